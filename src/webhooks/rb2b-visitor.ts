import { safeEqual } from '../lib/hash.js';
import type { DiscoveredLead } from '../pipeline/ports.js';
import { visitorToLead, type VisitorVisit } from '../providers/rb2b/map-visitor.js';
import type { WebhookHandler, WebhookRequest } from './types.js';

/** For senders that can set a header (tests, a relay). RB2B itself sends no custom headers [docs]. */
export const RB2B_TOKEN_HEADER = 'x-caio-webhook-token';
export const RB2B_WEBHOOK_BASE_PATH = '/webhooks/rb2b';

/**
 * The URL path to configure in RB2B: the secret is the last segment (contracts/rb2b.md,
 * Authentication). Register this exact path with the receiver; it matches paths exactly.
 */
export const rb2bWebhookPath = (secret: string): string => `${RB2B_WEBHOOK_BASE_PATH}/${encodeURIComponent(secret)}`;

export type VisitorIntakeItem = { lead: DiscoveredLead; visit: VisitorVisit; receivedAt: Date };
/** Stores one sighting; `duplicate` when this event (by `visit.eventKey`) was already stored. */
export type VisitorIntake = (item: VisitorIntakeItem) => Promise<{ accepted: boolean; duplicate: boolean }>;
/** Keeps an authenticated but unusable event for a person to look at (contracts/rb2b.md, Delivery). */
export type VisitorQuarantine = (item: { body: string; reason: string; receivedAt: Date }) => Promise<void>;

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
 * (or the header) authenticates. Wrong or missing secret: 401. A body that is not a JSON object:
 * 400; one naming no person (no LinkedIn URL, no business e-mail): 422. No 4xx calls the intake.
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
    const unusable = async (status: number, reason: string) => {
      if (!deps.quarantine) return { status, body: { error: reason } };
      await deps.quarantine({ body: request.body, reason, receivedAt });
      return { status: 200, body: { status: 'quarantined' } };
    };
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      return unusable(400, 'the body is not JSON');
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return unusable(400, 'the body must be a JSON object');
    const mapped = visitorToLead(json);
    if ('error' in mapped) return unusable(422, mapped.error);
    const outcome = await deps.intake({ ...mapped, receivedAt });
    return { status: 200, body: { status: 'received', accepted: outcome.accepted, duplicate: outcome.duplicate } };
  };
};
