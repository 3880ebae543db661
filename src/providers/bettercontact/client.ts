import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { createJsonCaller } from '../http/json-call.js';
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
  const http = createJsonCaller({
    provider: 'bettercontact',
    baseUrl,
    policy: policy ?? createHttpPolicy({ provider: 'bettercontact', retries: 0, secrets: [apiKey] }),
    headers: () => ({ 'X-API-Key': apiKey, 'User-Agent': USER_AGENT }),
    secrets: [apiKey],
  });
  return {
    // NOT repeatable: each submit starts a new enrichment request that spends credits (contracts/bettercontact.md "Submit", "Pricing").
    submit: async (contacts) =>
      (await http.call('async', { method: 'POST', path: 'async', body: { data: contacts, enrich_email_address: true, enrich_phone_number: false }, idempotent: false }, SubmitResponseSchema, { nullOn: [406] })) ?? null,
    // Repeatable (a GET read). 406: the id is unknown (contracts/bettercontact.md): stop polling it.
    poll: (requestId) => http.call('async/:id', { method: 'GET', path: `async/${encodeURIComponent(requestId)}` }, PollResponseSchema, { nullOn: [406] }),
  };
};
