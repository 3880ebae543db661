import { createHmac, timingSafeEqual } from 'node:crypto';
import { safeEqual } from '../lib/hash.js';
import type { WebhookAuthScheme } from '../signals/ports.js';

/** How a provider's deliveries prove who sent them: each provider's webhook.ts declares its own. */
export type VerifyScheme = WebhookAuthScheme;

/**
 * The secrets a delivery is checked against: `token` for the shared secret sent as is (header,
 * bearer, query, path), `hmac` for the key of the body's HMAC. The same secret for most providers;
 * Clay's token (CLAY_CALLBACK_TOKEN) and HMAC key (CLAY_WEBHOOK_SECRET) differ.
 */
export type VerifyKeys = { token: string | undefined; hmac: string | undefined };

export type VerifyOutcome = { ok: true; method: 'hmac' | 'token' | 'bearer' | 'query' | 'path' | 'unverified' } | { ok: false; status: 401 | 503; code: 'SIGNATURE_MISSING' | 'SIGNATURE_INVALID' | 'SECRET_NOT_CONFIGURED' };

/** The shared-secret header a provider can be told to send (Instantly's webhook `headers`, Clay's column). */
export const TOKEN_HEADER = 'x-caio-webhook-token';

const hmacHex = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * Whether `given` (lower-case hex) is the body's HMAC, in constant time: a SHA-256 digest's length
 * is no secret, so anything but 64 hex digits is refused at once, and the bytes are compared as they are.
 */
const hmacMatches = (secret: string, body: Buffer | string, given: string): boolean => HEX_DIGEST.test(given) && timingSafeEqual(Buffer.from(given, 'hex'), createHmac('sha256', secret).update(body).digest());

/** The secret in the path (`<under>/<secret>`, percent-decoded); null when the path has none or a malformed escape. */
const pathSecret = (path: string, under: string): string | null => {
  const pathname = path.split('?', 1)[0] ?? '';
  if (!pathname.startsWith(`${under}/`)) return null;
  try {
    return decodeURIComponent(pathname.slice(under.length + 1)) || null;
  } catch {
    return null;
  }
};

/** A query parameter from the request's query, else from a path handed over with its query still on. */
const queryParam = (request: { path?: string | undefined; query?: URLSearchParams | undefined }, name: string): string | null => {
  const given = request.query?.get(name) ?? null;
  if (given !== null) return given;
  const query = request.path?.split('?', 2)[1];
  return query === undefined ? null : new URLSearchParams(query).get(name);
};

/**
 * Verification before anything else, over the raw bytes. Accepted proofs, any one suffices, as the
 * provider's scheme allows: a hex HMAC-SHA256 in one of its signature headers (the original's
 * names), the secret itself in `X-Caio-Webhook-Token` or `Authorization: Bearer`, in a query
 * parameter (senders that can set no header) or as the rest of the path. All comparisons are
 * constant-time. None of these providers sends a timestamp, so there is no replay window to check;
 * the inbox's idempotency key absorbs replays.
 * Strict (`required`): no proof is 401, no secret configured is 503. Not strict (sandbox): a provider
 * with no secret configured is accepted unverified; one with a secret is still verified.
 */
export const verifyWebhook = (
  request: { headers: Record<string, string | undefined>; query?: URLSearchParams | undefined; path?: string | undefined; rawBody: Buffer | string },
  keys: VerifyKeys,
  scheme: VerifyScheme,
  required: boolean,
): VerifyOutcome => {
  if (!keys.token && !keys.hmac) return required ? { ok: false, status: 503, code: 'SECRET_NOT_CONFIGURED' } : { ok: true, method: 'unverified' };
  let presented = false;
  for (const name of scheme.signatureHeaders) {
    const value = request.headers[name.toLowerCase()];
    if (!value) continue;
    presented = true;
    const given = value
      .trim()
      .replace(/^sha256=/i, '')
      .toLowerCase();
    if (keys.hmac && hmacMatches(keys.hmac, request.rawBody, given)) return { ok: true, method: 'hmac' };
  }
  const secret = keys.token;
  const offered = (value: string | null | undefined, method: 'token' | 'bearer' | 'query' | 'path'): VerifyOutcome | null => {
    if (value === null || value === undefined) return null;
    presented = true;
    return secret && safeEqual(value, secret) ? { ok: true, method } : null;
  };
  const token = scheme.tokenHeader ? request.headers[TOKEN_HEADER] : undefined;
  const auth = request.headers.authorization;
  const bearer = scheme.bearer && auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : null;
  const found =
    (token ? offered(token, 'token') : null) ??
    offered(bearer, 'bearer') ??
    scheme.secretParams.reduce<VerifyOutcome | null>((hit, param) => hit ?? offered(queryParam(request, param), 'query'), null) ??
    (scheme.secretPathUnder && request.path ? offered(pathSecret(request.path, scheme.secretPathUnder), 'path') : null);
  if (found) return found;
  return { ok: false, status: 401, code: presented ? 'SIGNATURE_INVALID' : 'SIGNATURE_MISSING' };
};

/** For tests and the benchmark: the signature a sender would put in the header. */
export const signBody = (secret: string, body: Buffer | string): string => `sha256=${hmacHex(secret, body)}`;
