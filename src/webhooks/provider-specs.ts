import type { z } from 'zod';
import { WebhookEventSchema as HeyReachEventSchema } from '../providers/heyreach/schemas.js';
import { WebhookEventSchema as InstantlyEventSchema } from '../providers/instantly/schemas.js';
import type { ReadOutcome, WebhookSpec } from './inbox-handler.js';

/** Payload event names Instantly sends (contracts/instantly.md "Delivery payload"). */
export const INSTANTLY_EVENTS = [
  'email_sent', 'email_opened', 'reply_received', 'auto_reply_received', 'link_clicked', 'email_bounced', 'lead_unsubscribed', 'account_error', 'campaign_completed',
  'lead_neutral', 'lead_interested', 'lead_not_interested', 'lead_meeting_booked', 'lead_meeting_completed', 'lead_closed', 'lead_out_of_office', 'lead_wrong_person',
] as const;

/** The original's per-event paths (so webhooks registered in Instantly's UI keep working), and the events each takes. */
export const INSTANTLY_PATHS: Record<string, readonly string[]> = {
  '/webhooks/instantly/reply': ['reply_received', 'auto_reply_received'],
  '/webhooks/instantly/bounce': ['email_bounced'],
  '/webhooks/instantly/open': ['email_opened', 'link_clicked'],
  '/webhooks/instantly/unsubscribe': ['lead_unsubscribed'],
  '/webhooks/instantly': INSTANTLY_EVENTS,
};

export const HEYREACH_EVENTS = [
  'CONNECTION_REQUEST_SENT', 'CONNECTION_REQUEST_ACCEPTED', 'MESSAGE_SENT', 'MESSAGE_REPLY_RECEIVED', 'EVERY_MESSAGE_REPLY_RECEIVED', 'INMAIL_SENT',
  'INMAIL_REPLY_RECEIVED', 'FOLLOW_SENT', 'LIKED_POST', 'VIEWED_PROFILE', 'CAMPAIGN_COMPLETED', 'LEAD_TAG_UPDATED',
] as const;

/** Field paths of the problems, never the values (a webhook answer must not echo personal data). */
const issuesOf = (error: z.ZodError) => error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');

export const instantlySpec = (path: string, secret: string | undefined): WebhookSpec => {
  const accepted = new Set(INSTANTLY_PATHS[path] ?? INSTANTLY_EVENTS);
  return {
    provider: 'instantly',
    secret,
    // Instantly signs nothing: it sends the custom headers we register (X-Caio-Webhook-Token); the
    // original's X-Instantly-Signature HMAC is accepted for set-ups that add it through a proxy.
    scheme: { signatureHeaders: ['x-instantly-signature'], secretParams: ['token'] },
    read: (json): ReadOutcome => {
      const parsed = InstantlyEventSchema.safeParse(json);
      if (!parsed.success) return { ok: false, code: 'INVALID_PAYLOAD', message: `not an Instantly event (${issuesOf(parsed.error)})` };
      const e = parsed.data;
      if (!(INSTANTLY_EVENTS as readonly string[]).includes(e.event_type)) return { ok: false, code: 'UNKNOWN_EVENT', message: `unknown Instantly event type "${e.event_type.slice(0, 40)}"` };
      if (!accepted.has(e.event_type)) return { ok: false, code: 'EVENT_PATH_MISMATCH', message: `${path} does not take ${e.event_type} events` };
      // Instantly retries a failed delivery; these fields name one event (contract "Retries").
      return { ok: true, eventType: e.event_type, keyParts: [e.email_id ?? e.lead_email ?? null, e.campaign_id ?? null, e.step ?? null, e.timestamp] };
    },
  };
};

export const heyreachSpec = (secret: string | undefined): WebhookSpec => ({
  provider: 'heyreach',
  secret,
  // HeyReach signs nothing and cannot set headers: the secret goes in the URL (?secret=).
  scheme: { signatureHeaders: ['x-heyreach-signature'], secretParams: ['secret', 'token'] },
  read: (json): ReadOutcome => {
    const parsed = HeyReachEventSchema.safeParse(json);
    if (!parsed.success) return { ok: false, code: 'INVALID_PAYLOAD', message: `not a HeyReach event (${issuesOf(parsed.error)})` };
    const e = parsed.data;
    if (!(HEYREACH_EVENTS as readonly string[]).includes(e.eventType)) return { ok: false, code: 'UNKNOWN_EVENT', message: `unknown HeyReach event type "${e.eventType.slice(0, 40)}"` };
    if (!e.linkedinUrl && !e.email) return { ok: false, code: 'INVALID_PAYLOAD', message: 'the event names no lead (no LinkedIn URL and no e-mail)' };
    return { ok: true, eventType: e.eventType, keyParts: [e.messageId, e.linkedinUrl ?? e.email, e.campaignId, e.timestamp] };
  },
});
