import { eventTime } from '../../domain/signals/index.js';
import type { ProviderWebhook, WebhookAuthScheme, WebhookParse, WebhookParseContext } from '../../signals/ports.js';
import { visitorToLead } from './map-visitor.js';

/**
 * RB2B's inbound webhook, whole: its paths, how a delivery proves it is RB2B's, and the one reading
 * of a visitor event into a normalised signal: a website visit, and the visitor as a lead of their
 * own (contracts/rb2b.md).
 */

export const RB2B_WEBHOOK_BASE_PATH = '/webhooks/rb2b';

/**
 * The URL path to configure in RB2B: the secret is the last segment (contracts/rb2b.md,
 * Authentication). Served as an exact path beside the base path.
 */
export const rb2bWebhookPath = (secret: string): string => `${RB2B_WEBHOOK_BASE_PATH}/${encodeURIComponent(secret)}`;

/**
 * RB2B signs nothing and sends no custom header [docs]: the secret rides in the URL
 * (`/webhooks/rb2b/<secret>` or `?token=`); `X-Caio-Webhook-Token` is for senders that can set a
 * header (tests, a relay).
 */
export const RB2B_WEBHOOK_AUTH: WebhookAuthScheme = { signatureHeaders: [], tokenHeader: true, bearer: false, secretParams: ['token'], secretPathUnder: RB2B_WEBHOOK_BASE_PATH };

/** Every RB2B event is one page view. */
const EVENT_TYPE = 'visit';

/**
 * One (storable) parsed body -> a visit. The key part is the event's own key (person, time, page),
 * so a redelivered event is recognised. `Seen At` is parsed leniently (the receive time when it is
 * unreadable, as the contract says).
 */
export const parseRb2bWebhook = (json: unknown, context: WebhookParseContext): WebhookParse => {
  const mapped = visitorToLead(json);
  if ('error' in mapped) return { ok: false, eventType: EVENT_TYPE, reason: mapped.error };
  const { lead, visit } = mapped;
  const time = eventTime(visit.seenAt, context.receivedAt);
  return {
    ok: true,
    eventType: EVENT_TYPE,
    keyParts: [visit.eventKey],
    signal: {
      email: lead.profile.email,
      linkedinUrl: lead.profile.linkedinUrl,
      type: 'website_visit',
      channel: 'website',
      at: time.at.toISOString(),
      details: { event: EVENT_TYPE, page: visit.pageUrl, pricingPage: visit.isPricingPage, repeat: visit.isRepeatVisit, ...(time.flag ? { timeFlag: time.flag } : {}) },
      flags: time.flag ? [time.flag] : [],
      // The stored payload is the raw record; the lead keeps its profile.
      newLead: { source: lead.source, sourceId: lead.sourceId, profile: lead.profile },
    },
  };
};

export const rb2bWebhook: ProviderWebhook = {
  provider: 'rb2b',
  // And `rb2bWebhookPath(secret)`, when a secret is configured (RB2B_WEBHOOK_AUTH.secretPathUnder).
  paths: [{ path: RB2B_WEBHOOK_BASE_PATH }],
  auth: RB2B_WEBHOOK_AUTH,
  parse: parseRb2bWebhook,
};
