import { createHmac } from 'node:crypto';
import { safeEqual } from '../lib/hash.js';

export type VerifyScheme = {
  /** Headers that may carry a hex HMAC-SHA256 of the raw body (an optional `sha256=` prefix is accepted). */
  signatureHeaders: readonly string[];
  /** Query parameters that may carry the shared secret (providers that cannot send headers, e.g. HeyReach). */
  secretParams: readonly string[];
};

export type VerifyOutcome = { ok: true; method: 'hmac' | 'token' | 'bearer' | 'query' | 'unverified' } | { ok: false; status: 401 | 503; code: 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'SECRET_NOT_CONFIGURED' };

/** The shared-secret header a provider can be told to send (Instantly's webhook `headers`, Clay's column). */
export const TOKEN_HEADER = 'x-caio-webhook-token';

const hmacHex = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');

/**
 * Verification before anything else, over the raw bytes. Accepted proofs, any one suffices: a hex
 * HMAC-SHA256 in the provider's signature header (the original's names), the secret itself in
 * `X-Caio-Webhook-Token` or `Authorization: Bearer`, or in a query parameter (for senders that can
 * set no header). All comparisons are constant-time. None of these providers sends a timestamp, so
 * there is no replay window to check; the inbox's idempotency key absorbs replays.
 * Strict (`required`): no proof is 401, no secret configured is 503. Not strict (sandbox): a provider
 * with no secret configured is accepted unverified; one with a secret is still verified.
 */
export const verifyWebhook = (request: { headers: Record<string, string | undefined>; query?: URLSearchParams | undefined; rawBody: Buffer | string }, secret: string | undefined, scheme: VerifyScheme, required: boolean): VerifyOutcome => {
  if (!secret) return required ? { ok: false, status: 503, code: 'SECRET_NOT_CONFIGURED' } : { ok: true, method: 'unverified' };
  let presented = false;
  for (const name of scheme.signatureHeaders) {
    const value = request.headers[name.toLowerCase()];
    if (!value) continue;
    presented = true;
    const given = value.trim().replace(/^sha256=/i, '').toLowerCase();
    if (safeEqual(given, hmacHex(secret, request.rawBody))) return { ok: true, method: 'hmac' };
  }
  const token = request.headers[TOKEN_HEADER];
  if (token) {
    presented = true;
    if (safeEqual(token, secret)) return { ok: true, method: 'token' };
  }
  const auth = request.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) {
    presented = true;
    if (safeEqual(auth.slice(7).trim(), secret)) return { ok: true, method: 'bearer' };
  }
  for (const param of scheme.secretParams) {
    const value = request.query?.get(param) ?? null;
    if (value === null) continue;
    presented = true;
    if (safeEqual(value, secret)) return { ok: true, method: 'query' };
  }
  return { ok: false, status: 401, code: presented ? 'SIGNATURE_INVALID' : 'SIGNATURE_MISSING' };
};

/** For tests and the benchmark: the signature a sender would put in the header. */
export const signBody = (secret: string, body: Buffer | string): string => `sha256=${hmacHex(secret, body)}`;
