import { classifyReply, eventTime, type SignalType } from '../../domain/signals/index.js';
import { sha256Hex } from '../../lib/hash.js';
import type { ProviderWebhook, WebhookAuthScheme, WebhookParse, WebhookParseContext } from '../../signals/ports.js';
import { normalizeHeyReachEvent, WEBHOOK_EVENT_TYPES } from './schemas.js';

/**
 * HeyReach's inbound webhook, whole: its paths, how a delivery proves it is HeyReach's, and the one
 * reading of a body (any of the shapes seen in the wild) into a normalised signal
 * (contracts/heyreach.md "Webhooks", «What a tolerant receiver must do»).
 */

export const HEYREACH_WEBHOOK_PATH = '/webhooks/heyreach';

/** What each event means for the lead's status; absent: recorded on the timeline, no status change. */
const HEYREACH_SIGNAL: Partial<Record<string, SignalType>> = {
  CONNECTION_REQUEST_SENT: 'linkedin_connection_sent',
  CONNECTION_REQUEST_ACCEPTED: 'linkedin_connection_accepted',
  MESSAGE_REPLY_RECEIVED: 'linkedin_replied',
  EVERY_MESSAGE_REPLY_RECEIVED: 'linkedin_replied',
  INMAIL_REPLY_RECEIVED: 'linkedin_replied',
  // The sequence ran out without a reply: the lead becomes `linkedin_exhausted` and gets no more LinkedIn steps.
  CAMPAIGN_COMPLETED: 'linkedin_campaign_completed',
};

/**
 * HeyReach signs nothing and cannot set headers: the secret goes in the URL (`?secret=`, or
 * `?token=`). Not as a path segment: `caio serve` prints its routes at start, and the secret would
 * be in them. The headers are accepted for a relay that can set them.
 */
export const HEYREACH_WEBHOOK_AUTH: WebhookAuthScheme = { signatureHeaders: ['x-heyreach-signature'], tokenHeader: true, bearer: true, secretParams: ['secret', 'token'] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A campaign id as HeyReach gives it (an integer); anything else cannot name a campaign of ours. */
const CAMPAIGN_ID = /^\d{1,18}$/;

/**
 * A `CAMPAIGN_COMPLETED` that names no lead, only its campaign (the contract's minimal shape: "may
 * carry no lead"): a signal without a person, `details.campaignId` naming the campaign. The
 * processor hears it for every lead we added to that campaign (src/signals/campaign-completed.ts).
 * Without a campaign either, there is nobody to hear it: kept as ignored.
 */
const campaignWide = (campaignId: string | null, timestamp: string | null, receivedAt: Date): WebhookParse => {
  const eventType = 'CAMPAIGN_COMPLETED';
  if (!campaignId || !CAMPAIGN_ID.test(campaignId)) return { ok: false, eventType, reason: `${eventType} names no lead (no LinkedIn URL and no e-mail) and no campaign (campaign.id, campaignId)` };
  const time = eventTime(timestamp, receivedAt);
  return {
    ok: true,
    eventType,
    // Retried for 24 h: the campaign and its time name one (no conversation, no lead).
    keyParts: [`campaign:${campaignId}`, null, timestamp],
    signal: {
      email: null,
      linkedinUrl: null,
      type: 'linkedin_campaign_completed',
      channel: 'linkedin',
      at: time.at.toISOString(),
      details: { event: eventType, campaignId, scope: 'campaign', ...(time.flag ? { timeFlag: time.flag } : {}) },
      flags: time.flag ? [time.flag] : [],
    },
  };
};

/**
 * Read one (storable) parsed body. The event is the body's own name, else the URL's
 * (`context.urlEvent`: the per-event URL it was posted to, or the type stored with it), else
 * inferred from a conversation snapshot.
 */
export const parseHeyReachWebhook = (json: unknown, context: WebhookParseContext): WebhookParse => {
  if (!isObject(json)) return { ok: false, eventType: 'UNKNOWN', reason: 'the body is not a JSON object' };
  const e = normalizeHeyReachEvent(json);
  const urlEvent = context.urlEvent;
  const eventType = e.eventType ?? (urlEvent && urlEvent !== 'UNKNOWN' ? urlEvent.toUpperCase() : null) ?? e.inferredEventType;
  if (!eventType) return { ok: false, eventType: 'UNKNOWN', reason: 'no event type (eventType, event_type, type, event) in the body, and none from the URL' };
  const label = eventType.slice(0, 60);
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(eventType)) return { ok: false, eventType: label, reason: `unknown HeyReach event type "${label}"` };
  if (!e.linkedinUrl && !e.email) {
    if (eventType === 'CAMPAIGN_COMPLETED') return campaignWide(e.campaignId, e.timestamp, context.receivedAt);
    return { ok: false, eventType, reason: `${eventType} names no lead (no LinkedIn URL and no e-mail)` };
  }
  const signalType = HEYREACH_SIGNAL[eventType] ?? null;
  const classification = signalType === 'linkedin_replied' && e.messageText ? classifyReply(e.messageText) : null;
  const time = eventTime(e.timestamp, context.receivedAt);
  return {
    ok: true,
    eventType,
    // Fanned out to every webhook and retried for 24 h: (event, conversation ∥ lead, message id, text ∥ time) name one (contract rule 6).
    keyParts: [e.conversationId ?? e.linkedinUrl ?? e.email, e.messageId, e.messageText ? sha256Hex(e.messageText) : e.timestamp],
    signal: {
      email: e.email,
      linkedinUrl: e.linkedinUrl,
      type: classification?.category === 'unsubscribe_request' ? 'unsubscribed' : signalType,
      channel: 'linkedin',
      at: time.at.toISOString(),
      details: { event: eventType, campaignId: e.campaignId, ...(classification ? { replyCategory: classification.category } : {}), ...(time.flag ? { timeFlag: time.flag } : {}) },
      flags: time.flag ? [time.flag] : [],
    },
  };
};

export const heyreachWebhook: ProviderWebhook = {
  provider: 'heyreach',
  // One URL per event (`/webhooks/heyreach/<EVENT>`) names the event for shapes that carry none.
  paths: [{ path: HEYREACH_WEBHOOK_PATH }, ...WEBHOOK_EVENT_TYPES.map((event) => ({ path: `${HEYREACH_WEBHOOK_PATH}/${event}`, urlEvent: event }))],
  auth: HEYREACH_WEBHOOK_AUTH,
  parse: parseHeyReachWebhook,
};
