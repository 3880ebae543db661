import { safeEqual } from '../lib/hash.js';
import type { DiscoveredLead } from '../pipeline/ports.js';
import { visitorToLead, type VisitorVisit } from '../providers/rb2b/map-visitor.js';
import { rawBytesOf, readBody, type RawBody } from './raw-body.js';
import type { WebhookHandler, WebhookRequest } from './types.js';

/** For senders that can set a header (tests, a relay). RB2B itself sends no custom headers [docs]. */
export const RB2B_TOKEN_HEADER = 'x-caio-webhook-token';
export const RB2B_WEBHOOK_BASE_PATH = '/webhooks/rb2b';

/**
 * The URL path to configure in RB2B: the secret is the last segment (contracts/rb2b.md,
 * Authentication). Register this exact path with the receiver; it matches paths exactly.
 */
export const rb2bWebhookPath = (secret: string): string => `${RB2B_WEBHOOK_BASE_PATH}/${encodeURIComponent(secret)}`;

/** `raw`: the body as received, when the stored payload (`lead.raw`, made storable) differs from it. */
export type VisitorIntakeItem = { lead: DiscoveredLead; visit: VisitorVisit; receivedAt: Date; raw?: RawBody | null };
/** Stores one sighting; `duplicate` when this event (by `visit.eventKey`) was already stored. */
export type VisitorIntake = (item: VisitorIntakeItem) => Promise<{ accepted: boolean; duplicate: boolean }>;
/**
 * Keeps an authenticated but unusable event for a person to look at (contracts/rb2b.md, Delivery):
 * the text, the raw body (storable text, and the bytes when they differ) and, when it was JSON,
 * the parsed value made storable.
 */
export type VisitorQuarantine = (item: { body: string; reason: string; receivedAt: Date; raw: RawBody; json: unknown }) => Promise<void>;

/**
 * The secrets a request offers: the `X-Caio-Webhook-Token` header, the last segment of
 * `/webhooks/rb2b/<secret>`, or `?token=` when the path handed over still carries its query (the
 * receiver currently passes the pathname only, so that form needs the receiver to pass it).
 */
const offeredTokens = (request: WebhookRequest): string[] => {
  const tokens: string[] = [];
  const header = request.headers[RB2B_TOKEN_HEADER];
  if (header) tokens.push(header);
  const [pathname = '', query = ''] = request.path.split('?', 2);
  if (pathname.startsWith(`${RB2B_WEBHOOK_BASE_PATH}/`)) {
    try {
      const segment = decodeURIComponent(pathname.slice(RB2B_WEBHOOK_BASE_PATH.length + 1));
      if (segment) tokens.push(segment);
    } catch {
      // a malformed escape offers no token
    }
  }
  const fromQuery = new URLSearchParams(query).get('token') ?? request.query?.get('token') ?? null;
  if (fromQuery) tokens.push(fromQuery);
  return tokens;
};

/**
 * RB2B posts one identified visitor per page view and signs nothing, so a shared secret in the URL
 * (or the header) authenticates. Wrong or missing secret: 401. A body that is not a JSON object
 * (or nested too deep): 400; one naming no person (no LinkedIn URL, no business e-mail): 422. No
 * 4xx calls the intake.
 *
 * RB2B disconnects the integration on ANY non-200 (contracts/rb2b.md, Delivery). Give `quarantine`
 * to follow the contract instead: unusable authenticated events are then kept there and answered
 * 200 `{status:'quarantined'}`; only the 401 remains (such requests are not from RB2B anyway).
 */
export const createRb2bVisitorHandler = (deps: { secret: string; intake: VisitorIntake; quarantine?: VisitorQuarantine; now?: () => Date }): WebhookHandler => {
  if (!deps.secret) throw new Error('the RB2B webhook secret must not be empty');
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    if (!offeredTokens(request).some((token) => safeEqual(token, deps.secret))) return { status: 401, body: { error: 'unauthorized' } };
    const receivedAt = now();
    // Text PostgreSQL cannot store (NUL, lone surrogates) is made storable before it is mapped.
    const read = readBody(rawBytesOf(request), request.body);
    const unusable = async (status: number, reason: string) => {
      if (!deps.quarantine) return { status, body: { error: reason } };
      await deps.quarantine({ body: request.body, reason, receivedAt, raw: read.raw, json: read.json });
      return { status: 200, body: { status: 'quarantined' } };
    };
    if (!read.ok) return unusable(400, read.reason);
    const mapped = visitorToLead(read.json);
    if ('error' in mapped) return unusable(422, mapped.error);
    const outcome = await deps.intake({ ...mapped, receivedAt, raw: read.keepRaw ? read.raw : null });
    return { status: 200, body: { status: 'received', accepted: outcome.accepted, duplicate: outcome.duplicate } };
  };
};
