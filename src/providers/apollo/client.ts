import type { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { ApolloMatchResponseSchema, ApolloOrganizationResponseSchema, ApolloSearchResponseSchema, type ApolloMatchParams, type ApolloOrganization, type ApolloPerson, type ApolloSearchPage, type ApolloSearchParams } from './schemas.js';

export type ApolloClientDeps = {
  /** e.g. https://api.apollo.io/api/v1 (or the sandbox's loopback URL) */
  baseUrl: string;
  apiKey: string;
  /** @defaultValue 15000 */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** The shared HTTP policy (retries, rate limit, breaker); without one, a single call with a timeout. */
  policy?: HttpPolicy;
};

export type ApolloClient = {
  searchPeople(params: ApolloSearchParams): Promise<ApolloSearchPage>;
  /** null when Apollo has no match (200 with no person, or 404): a miss, not an error. */
  matchPerson(params: ApolloMatchParams): Promise<ApolloPerson | null>;
  enrichOrganization(domain: string): Promise<ApolloOrganization | null>;
};

const CREDITS = /credit/i;

const readBody = async (res: Response): Promise<{ text: string; json: unknown }> => {
  const text = await res.text().catch(() => '');
  try {
    return { text, json: text ? JSON.parse(text) : undefined };
  } catch {
    return { text, json: undefined };
  }
};

const messageOf = (json: unknown, text: string): string => {
  const j = json as { error?: unknown; message?: unknown } | undefined;
  const m = typeof j?.error === 'string' ? j.error : typeof j?.message === 'string' ? j.message : text;
  return m.slice(0, 200);
};

/** Map an Apollo error status to our codes (contracts/apollo.md "Errors and retry"). Never includes the key. */
const errorFor = (endpoint: string, res: Response, json: unknown, text: string): AppError => {
  const status = res.status;
  const message = messageOf(json, text);
  const details = { provider: 'apollo', endpoint, status };
  if (status === 402 || ((status === 403 || status === 422) && CREDITS.test(message))) {
    return new AppError('OUT_OF_CREDITS', `apollo ${endpoint}: out of credits`, { details });
  }
  if (status === 401) return new AppError('PROVIDER_AUTH', `apollo ${endpoint}: the API key was rejected (401)`, { details });
  if (status === 403)
    return new AppError(
      'PROVIDER_AUTH',
      `apollo ${endpoint}: the API key may not call this endpoint (403${(json as { error_code?: string })?.error_code ? ` ${(json as { error_code: string }).error_code}` : ''}); People Search needs a master key`,
      { details },
    );
  if (status === 429) {
    const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
    return new AppError('PROVIDER_RATE_LIMITED', `apollo ${endpoint}: rate limited (429)`, { retryable: true, details: { ...details, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null } });
  }
  if (status >= 500) return new AppError('PROVIDER_UNAVAILABLE', `apollo ${endpoint}: server error ${status}`, { retryable: true, details });
  return new AppError('PROVIDER_BAD_REQUEST', `apollo ${endpoint}: request refused (${status}): ${message}`, { details });
};

/** The Apollo REST client: one clean call per method; retries and breakers belong to the shared HTTP policy. */
export const createApolloClient = ({ baseUrl, apiKey, timeoutMs = 15_000, fetch = globalThis.fetch, policy }: ApolloClientDeps): ApolloClient => {
  const base = baseUrl.replace(/\/+$/, '');
  const http = policy ?? createHttpPolicy({ provider: 'apollo', timeoutMs, retries: 0, secrets: [apiKey], fetch });

  /** `idempotent`: may the call be sent again after it may have reached Apollo (default: by method, so a POST may not). */
  const call = async <S extends z.ZodType>(endpoint: string, init: { method: 'GET' | 'POST'; query?: string; body?: unknown; idempotent?: boolean }, schema: S, missIs404 = false): Promise<z.output<S> | null> => {
    const res = await http.fetch(
      endpoint,
      `${base}/${endpoint}${init.query ? `?${init.query}` : ''}`,
      {
        method: init.method,
        headers: { 'x-api-key': apiKey, accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) },
        body: init.body ? JSON.stringify(init.body) : null,
      },
      init.idempotent === undefined ? {} : { idempotent: init.idempotent },
    );
    const { text, json } = await readBody(res);
    if (missIs404 && res.status === 404) return null;
    if (!res.ok) throw errorFor(endpoint, res, json, text);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new AppError(
        'PROVIDER_BAD_RESPONSE',
        `apollo ${endpoint}: unexpected response shape (${parsed.error.issues
          .slice(0, 2)
          .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
          .join('; ')})`,
        {
          details: { provider: 'apollo', endpoint, status: res.status },
        },
      );
    }
    return parsed.data;
  };

  return {
    // Repeatable: People API Search is a free read despite the POST (contracts/apollo.md §1: 0 credits, returns no e-mails).
    searchPeople: async (params) => (await call('mixed_people/api_search', { method: 'POST', body: params, idempotent: true }, ApolloSearchResponseSchema))!,
    matchPerson: async (params) => {
      // Never ask for phone numbers: Apollo requires a webhook for them and answers 400 without one.
      // NOT repeatable: each match that returns a person spends credits (contracts/apollo.md §2 "Credits").
      const result = await call('people/match', { method: 'POST', body: { ...params, reveal_personal_emails: false }, idempotent: false }, ApolloMatchResponseSchema, true);
      return result?.person ?? null;
    },
    enrichOrganization: async (domain) => {
      // Repeatable (a GET read); it spends credits only when a record comes back, i.e. on an answer we then have.
      const result = await call('organizations/enrich', { method: 'GET', query: new URLSearchParams({ domain }).toString() }, ApolloOrganizationResponseSchema, true);
      return result?.organization ?? null;
    },
  };
};
