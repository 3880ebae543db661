import type { LeadProfile } from '../domain/lead.js';
import type { SignalType } from '../domain/signals/index.js';

/**
 * What people drive of the signal loop (the CLI, the dashboard's API): the timeline bootstrap's
 * report (signals/bootstrap-timeline.ts makes it), and the unit of work the inbox processor runs a
 * delivery in; and the contract between each provider's webhook (src/providers/<name>/webhook.ts),
 * the door that serves it (src/webhooks/) and the processor that acts on what it stored. Types only.
 */
export type BootstrapReport = {
  dryRun: boolean;
  /** Sends the provider accepted whose touch is missing from the lead's timeline. */
  missing: number;
  recorded: number;
  items: { outboxId: string; leadId: string; channel: string; step: string; sentAt: string }[];
};

/**
 * Work that commits as one: `work` is handed stores bound to one transaction; what it wrote commits
 * when it returns and none of it when it throws (compose/signals.ts runs it in a database
 * transaction). The inbox processor runs each delivery in one.
 */
export type UnitOfWork<S> = <T>(work: (stores: S) => Promise<T>) => Promise<T>;

/**
 * One webhook delivery as the signal loop acts on it, whatever provider sent it: which lead (by
 * e-mail, else LinkedIn URL), what happened, on which channel, when. Plain JSON (the time is an ISO
 * string), so the door stores it in `webhook_inbox.signal` next to the raw payload and the processor
 * reads it back from there without knowing the provider's payload.
 */
export type NormalisedSignal = {
  email: string | null;
  linkedinUrl: string | null;
  /** The status-machine signal; null for an event recorded on the timeline without a status change (an auto-reply, a label). */
  type: SignalType | null;
  channel: 'email' | 'linkedin' | 'website';
  /** When it happened (ISO 8601): the provider's time, or the receive time when it gave none or one out of range. */
  at: string;
  /** What the timeline event keeps besides its type (event name, campaign, reply category, page...): never a message's text. */
  details: Record<string, unknown>;
  /** What was worked around (an event time out of range, replaced by the receive time). */
  flags: string[];
  /** A person who is a lead in their own right (a website visitor): recorded when we do not know them yet. */
  newLead?: { source: string; sourceId: string; profile: LeadProfile };
};

/** What the door tells a provider's `parse` besides the body. */
export type WebhookParseContext = {
  /** When the door received the delivery (the event time when the provider gives none usable). */
  receivedAt: Date;
  /** The event the URL names (`/webhooks/heyreach/<EVENT>`), or for a stored delivery the event type stored with it. */
  urlEvent?: string | null;
};

/**
 * A provider's reading of one delivery body (parsed JSON, made storable), in one pass: an event to
 * act on, with the fields that name this delivery for idempotency (null: the body's bytes name it)
 * and its normalised signal; or why it is kept without being acted on. Reasons name fields, never a
 * personal value.
 */
export type WebhookParse = { ok: true; eventType: string; keyParts: readonly unknown[] | null; signal: NormalisedSignal } | { ok: false; eventType: string; reason: string };

/**
 * How a provider's deliveries prove who sent them, checked by the door over the raw bytes in
 * constant time (src/webhooks/verify.ts). Any one proof suffices.
 */
export type WebhookAuthScheme = {
  /** Headers that may carry a hex HMAC-SHA256 of the raw body (an optional `sha256=` prefix is accepted). */
  signatureHeaders: readonly string[];
  /** The shared secret may come in `X-Caio-Webhook-Token`. */
  tokenHeader: boolean;
  /** The shared secret may come as `Authorization: Bearer <secret>`. */
  bearer: boolean;
  /** Query parameters that may carry the shared secret (senders that can set no header). */
  secretParams: readonly string[];
  /** The shared secret may be the rest of the path under this one (`/webhooks/rb2b/<secret>`). */
  secretPathUnder?: string;
};

/** A public POST path of a provider's webhook; `urlEvent`: the event this URL is for, for bodies that name none. */
export type WebhookPath = { path: string; urlEvent?: string };

/** What a provider's `webhook.ts` exports for the door (paths and auth) and the processor (its signal, through the door's store). */
export type ProviderWebhook = {
  /** The inbox's provider name. */
  provider: string;
  paths: readonly WebhookPath[];
  auth: WebhookAuthScheme;
  parse: (json: unknown, context: WebhookParseContext) => WebhookParse;
};
