import type { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { PollResponseSchema, SubmitResponseSchema, type PollResponse } from './schemas.js';

export type BetterContactInput = { first_name: string; last_name: string; company?: string; company_domain?: string; linkedin_url?: string; custom_fields: { lead_id: string } };

export type BetterContactClient = {
  /** The request id, or null when BetterContact gave none (a miss). */
  submit(contacts: BetterContactInput[]): Promise<string | null>;
  /** null when the id is unknown (406): stop polling it. */
  poll(requestId: string): Promise<PollResponse | null>;
};

// Cloudflare in front of BetterContact refuses non-browser user agents (contracts/bettercontact.md).
const USER_AGENT = 'Mozilla/5.0 (compatible; caio-alpha-swarm/0.1)';

export const createBetterContactClient = ({ baseUrl, apiKey, policy }: { baseUrl: string; apiKey: string; policy?: HttpPolicy }): BetterContactClient => {
  const base = baseUrl.replace(/\/+$/, '');
  const http = policy ?? createHttpPolicy({ provider: 'bettercontact', retries: 0, secrets: [apiKey] });

  const call = async <S extends z.ZodType>(endpoint: string, init: RequestInit, schema: S): Promise<z.output<S> | null> => {
    const res = await http.fetch(endpoint, `${base}/${endpoint}`, { ...init, headers: { 'X-API-Key': apiKey, 'User-Agent': USER_AGENT, accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) } });
    const details = { provider: 'bettercontact', endpoint, status: res.status };
    const text = await res.text().catch(() => '');
    if (res.status === 406) return null;
    if (res.status === 401 || res.status === 403) throw new AppError('PROVIDER_AUTH', `bettercontact ${endpoint}: the API key was refused (${res.status})`, { details });
    if (res.status === 402) throw new AppError('OUT_OF_CREDITS', `bettercontact ${endpoint}: out of credits`, { details });
    if (res.status === 429) throw new AppError('PROVIDER_RATE_LIMITED', `bettercontact ${endpoint}: rate limited (429)`, { retryable: true, details: { ...details, retryAfterSeconds: Number(res.headers.get('retry-after')) || null } });
    if (res.status >= 500) throw new AppError('PROVIDER_UNAVAILABLE', `bettercontact ${endpoint}: server error ${res.status}`, { retryable: true, details });
    if (!res.ok) throw new AppError('PROVIDER_BAD_REQUEST', `bettercontact ${endpoint}: request refused (${res.status})`, { details });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('PROVIDER_BAD_RESPONSE', `bettercontact ${endpoint}: the answer is not JSON`, { details });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new AppError('PROVIDER_BAD_RESPONSE', `bettercontact ${endpoint}: unexpected response shape`, { details });
    return parsed.data;
  };

  return {
    submit: async (contacts) => (await call('async', { method: 'POST', body: JSON.stringify({ data: contacts, enrich_email_address: true, enrich_phone_number: false }) }, SubmitResponseSchema)) ?? null,
    poll: (requestId) => call(`async/${encodeURIComponent(requestId)}`, { method: 'GET' }, PollResponseSchema),
  };
};
