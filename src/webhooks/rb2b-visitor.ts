import type { NormalisedSignal } from '../signals/ports.js';
import { parseRb2bWebhook, RB2B_WEBHOOK_AUTH } from '../providers/rb2b/webhook.js';
import { rawBytesOf, readBody, type RawBody } from './raw-body.js';
import type { WebhookHandler } from './types.js';
import { TOKEN_HEADER, verifyWebhook } from './verify.js';

/** For senders that can set a header (tests, a relay). RB2B itself sends no custom headers [docs]. */
export const RB2B_TOKEN_HEADER = TOKEN_HEADER;

/**
 * One usable visit, as the door stores it: the normalised signal (the visit, and the visitor as a
 * lead), the event's own key (person, time, page: a redelivered event has the same), the payload
 * (made storable) and `raw`, the body as received when the payload differs from it.
 */
export type VisitorIntakeItem = { eventType: string; eventKey: string; signal: NormalisedSignal; payload: unknown; receivedAt: Date; raw: RawBody | null };
/** Stores one sighting; `duplicate` when this event (by `eventKey`) was already stored. */
export type VisitorIntake = (item: VisitorIntakeItem) => Promise<{ accepted: boolean; duplicate: boolean }>;
/**
 * Keeps an authenticated but unusable event for a person to look at (contracts/rb2b.md, Delivery):
 * the text, the raw body (storable text, and the bytes when they differ) and, when it was JSON,
 * the parsed value made storable.
 */
export type VisitorQuarantine = (item: { body: string; reason: string; receivedAt: Date; raw: RawBody; json: unknown }) => Promise<void>;

/**
 * RB2B posts one identified visitor per page view and signs nothing, so a shared secret in the URL
 * (`/webhooks/rb2b/<secret>`, `?token=`) or the header authenticates (RB2B_WEBHOOK_AUTH). Wrong or
 * missing secret: 401. A body that is not a JSON object (or nested too deep): 400; one naming no
 * person (no LinkedIn URL, no business e-mail): 422. No 4xx calls the intake.
 *
 * RB2B disconnects the integration on ANY non-200 (contracts/rb2b.md, Delivery). Give `quarantine`
 * to follow the contract instead: unusable authenticated events are then kept there and answered
 * 200 `{status:'quarantined'}`; only the 401 remains (such requests are not from RB2B anyway).
 */
export const createRb2bVisitorHandler = (deps: { secret: string; intake: VisitorIntake; quarantine?: VisitorQuarantine; now?: () => Date }): WebhookHandler => {
  if (!deps.secret) throw new Error('the RB2B webhook secret must not be empty');
  const now = deps.now ?? (() => new Date());
  return async (request) => {
    const bytes = rawBytesOf(request);
    const verified = verifyWebhook({ headers: request.headers, query: request.query, path: request.path, rawBody: bytes }, { token: deps.secret, hmac: undefined }, RB2B_WEBHOOK_AUTH, true);
    if (!verified.ok) return { status: 401, body: { error: 'unauthorized' } };
    const receivedAt = now();
    // Text PostgreSQL cannot store (NUL, lone surrogates) is made storable before it is read.
    const read = readBody(bytes, request.body);
    const unusable = async (status: number, reason: string) => {
      if (!deps.quarantine) return { status, body: { error: reason } };
      await deps.quarantine({ body: request.body, reason, receivedAt, raw: read.raw, json: read.json });
      return { status: 200, body: { status: 'quarantined' } };
    };
    if (!read.ok) return unusable(400, read.reason);
    const parsed = parseRb2bWebhook(read.json, { receivedAt });
    if (!parsed.ok) return unusable(422, parsed.reason);
    const outcome = await deps.intake({ eventType: parsed.eventType, eventKey: (parsed.keyParts ?? []).join('|'), signal: parsed.signal, payload: read.json, receivedAt, raw: read.keepRaw ? read.raw : null });
    return { status: 200, body: { status: 'received', accepted: outcome.accepted, duplicate: outcome.duplicate } };
  };
};
