import { sha256Hex } from '../lib/hash.js';
import { readHeyReachDelivery, WEBHOOK_EVENT_TYPES } from '../providers/heyreach/schemas.js';
import { readInstantlyDelivery, WEBHOOK_PAYLOAD_EVENTS } from '../providers/instantly/schemas.js';
import type { ReadOutcome, WebhookSpec } from './inbox-handler.js';

/** Payload event names we act on (contracts/instantly.md "Delivery payload", plus lead_no_show). */
export const INSTANTLY_EVENTS = WEBHOOK_PAYLOAD_EVENTS;

/**
 * The original's per-event paths (so webhooks registered in Instantly's UI keep working), and the
 * events each is meant for. Documentation only: an event posted to another path is read all the
 * same (a reply or an unsubscribe must not be lost to a URL mix-up in Instantly's UI).
 */
export const INSTANTLY_PATHS: Record<string, readonly string[]> = {
  '/webhooks/instantly/reply': ['reply_received', 'auto_reply_received'],
  '/webhooks/instantly/bounce': ['email_bounced'],
  '/webhooks/instantly/open': ['email_opened', 'link_clicked'],
  '/webhooks/instantly/unsubscribe': ['lead_unsubscribed'],
  '/webhooks/instantly': INSTANTLY_EVENTS,
};

export const HEYREACH_EVENTS = WEBHOOK_EVENT_TYPES;

export const instantlySpec = (secret: string | undefined): WebhookSpec => ({
  provider: 'instantly',
  secret,
  // Instantly signs nothing: it sends the custom headers we register (X-Caio-Webhook-Token); the
  // original's X-Instantly-Signature HMAC is accepted for set-ups that add it through a proxy.
  scheme: { signatureHeaders: ['x-instantly-signature'], secretParams: ['token'] },
  read: (json): ReadOutcome => {
    const read = readInstantlyDelivery(json);
    if (!read.ok) return read;
    const e = read.event;
    // Instantly retries a failed delivery; these fields name one event (contract "Retries").
    return { ok: true, eventType: read.eventType, keyParts: [e.email_id ?? e.lead_email ?? null, e.campaign_id ?? null, e.step ?? null, e.timestamp ?? null] };
  },
});

/** `urlEvent`: the event of a per-event URL (`/webhooks/heyreach/<EVENT>`), for shapes that name none. */
export const heyreachSpec = (secret: string | undefined, urlEvent?: string): WebhookSpec => ({
  provider: 'heyreach',
  secret,
  // HeyReach signs nothing and cannot set headers: the secret goes in the URL (?secret= or a path segment).
  scheme: { signatureHeaders: ['x-heyreach-signature'], secretParams: ['secret', 'token'] },
  read: (json): ReadOutcome => {
    const read = readHeyReachDelivery(json, urlEvent);
    if (!read.ok) return read;
    const e = read.event;
    // Fanned out to every webhook and retried for 24 h: (event, conversation ∥ lead, message id, text ∥ time) name one (contract rule 6).
    return { ok: true, eventType: read.eventType, keyParts: [e.conversationId ?? e.linkedinUrl ?? e.email, e.messageId, e.messageText ? sha256Hex(e.messageText) : e.timestamp] };
  },
});
