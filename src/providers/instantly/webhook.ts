import { normalizeEmail } from '../../domain/lead.js';
import { classifyReply, eventTime, type SignalType } from '../../domain/signals/index.js';
import type { ProviderWebhook, WebhookAuthScheme, WebhookParse, WebhookParseContext } from '../../signals/ports.js';
import { WebhookEventSchema } from './schemas.js';

/**
 * Instantly's inbound webhook, whole: its paths, how a delivery proves it is Instantly's, and the
 * one reading of a body into a normalised signal (contracts/instantly.md "Webhooks").
 */

/**
 * The payload `event_type`s we act on (contract "Delivery payload"), plus `lead_no_show`
 * (subscribable; the payload is assumed to carry the same name, like the other `lead_*` labels).
 * Matched as sent (case included), as the SDK docs say.
 */
export const WEBHOOK_PAYLOAD_EVENTS = [
  'email_sent',
  'email_opened',
  'reply_received',
  'auto_reply_received',
  'link_clicked',
  'email_bounced',
  'lead_unsubscribed',
  'account_error',
  'campaign_completed',
  'lead_neutral',
  'lead_interested',
  'lead_not_interested',
  'lead_meeting_booked',
  'lead_meeting_completed',
  'lead_closed',
  'lead_out_of_office',
  'lead_wrong_person',
  'lead_no_show',
] as const;
type PayloadEvent = (typeof WEBHOOK_PAYLOAD_EVENTS)[number];

/** Subscription names a payload may carry instead of the payload name (the docs name both for clicks). */
const PAYLOAD_EVENT_ALIASES: Readonly<Record<string, PayloadEvent>> = { email_link_clicked: 'link_clicked' };

/** Known events that are not about one lead: kept, never acted on. */
const NOT_LEAD_EVENTS: Readonly<Record<string, string>> = {
  supersearch_enrichment_completed: 'supersearch_enrichment_completed is a SuperSearch enrichment finishing, not an event about one lead',
};

/** What each event means for the lead's status; null: recorded on the timeline, no status change. */
const INSTANTLY_SIGNAL: Record<PayloadEvent, SignalType | null> = {
  email_sent: 'email_sent',
  email_opened: 'email_opened',
  link_clicked: 'email_clicked',
  reply_received: 'email_replied',
  email_bounced: 'email_bounced',
  lead_unsubscribed: 'unsubscribed',
  lead_meeting_booked: 'meeting_booked',
  lead_wrong_person: 'do_not_contact',
  // An auto-reply is not a reply; labels are a person's notes.
  auto_reply_received: null,
  lead_out_of_office: null,
  lead_interested: null,
  lead_not_interested: null,
  lead_neutral: null,
  lead_meeting_completed: null,
  lead_closed: null,
  lead_no_show: null,
  campaign_completed: null,
  account_error: null,
};

/**
 * The original's per-event paths (so webhooks registered in Instantly's UI keep working), and the
 * events each is meant for. Documentation only: an event posted to another path is read all the
 * same (a reply or an unsubscribe must not be lost to a URL mix-up in Instantly's UI).
 */
export const INSTANTLY_PATHS: Readonly<Record<string, readonly string[]>> = {
  '/webhooks/instantly/reply': ['reply_received', 'auto_reply_received'],
  '/webhooks/instantly/bounce': ['email_bounced'],
  '/webhooks/instantly/open': ['email_opened', 'link_clicked'],
  '/webhooks/instantly/unsubscribe': ['lead_unsubscribed'],
  '/webhooks/instantly': WEBHOOK_PAYLOAD_EVENTS,
};

/**
 * Instantly signs nothing: it sends the custom headers we register (X-Caio-Webhook-Token); the
 * original's X-Instantly-Signature HMAC is accepted for set-ups that add it through a proxy, and
 * `?token=` for a URL-only set-up.
 */
export const INSTANTLY_WEBHOOK_AUTH: WebhookAuthScheme = { signatureHeaders: ['x-instantly-signature'], tokenHeader: true, bearer: true, secretParams: ['token'] };

/**
 * Read one (storable) parsed body. Unknown names are custom labels (sent as-is) or events added
 * since: kept with the reason, never refused, since Instantly disables a webhook that keeps failing.
 */
export const parseInstantlyWebhook = (json: unknown, context: WebhookParseContext): WebhookParse => {
  const parsed = WebhookEventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, eventType: 'unknown', reason: 'not an Instantly event: no event_type (a non-empty string)' };
  const given = parsed.data.event_type;
  const eventType = PAYLOAD_EVENT_ALIASES[given] ?? given;
  const notLead = NOT_LEAD_EVENTS[eventType];
  if (notLead) return { ok: false, eventType, reason: notLead };
  if (!(WEBHOOK_PAYLOAD_EVENTS as readonly string[]).includes(eventType)) {
    const label = eventType.slice(0, 60);
    return { ok: false, eventType: label, reason: `unknown Instantly event type "${label}" (a custom label, or an event added since)` };
  }
  const e = parsed.data;
  const email = normalizeEmail(e.lead_email);
  if (!email) return { ok: false, eventType, reason: `${eventType} names no lead (no lead_email)` };
  const replyText = e.reply_text ?? e.reply_text_snippet ?? null;
  const classification = eventType === 'reply_received' && replyText ? classifyReply(replyText) : null;
  const time = eventTime(e.timestamp, context.receivedAt);
  return {
    ok: true,
    eventType,
    // Instantly retries a failed delivery; these fields name one event (contract "Retries").
    keyParts: [e.email_id ?? e.lead_email ?? null, e.campaign_id ?? null, e.step ?? null, e.timestamp ?? null],
    signal: {
      email,
      linkedinUrl: null,
      // A reply asking to be taken off the list is an unsubscribe (only that category suppresses).
      type: classification?.category === 'unsubscribe_request' ? 'unsubscribed' : INSTANTLY_SIGNAL[eventType as PayloadEvent],
      channel: 'email',
      at: time.at.toISOString(),
      details: {
        event: eventType,
        campaignId: e.campaign_id ?? null,
        step: e.step ?? null,
        ...(classification ? { replyCategory: classification.category } : {}),
        ...(e.bounce_type ? { bounceType: e.bounce_type } : {}),
        ...(time.flag ? { timeFlag: time.flag } : {}),
      },
      flags: time.flag ? [time.flag] : [],
    },
  };
};

export const instantlyWebhook: ProviderWebhook = {
  provider: 'instantly',
  paths: Object.keys(INSTANTLY_PATHS).map((path) => ({ path })),
  auth: INSTANTLY_WEBHOOK_AUTH,
  parse: parseInstantlyWebhook,
};
