import { z } from 'zod';
import { normalizeEmail } from '../../domain/lead.js';
import { cleanReply } from '../../domain/replies/index.js';
import { classifyReply, eventTime } from '../../domain/signals/index.js';
import type { ProviderWebhook, WebhookAuthScheme, WebhookParse, WebhookParseContext } from '../../signals/ports.js';

/**
 * GoHighLevel's inbound webhook, whole: a prospect's answer to a nurture or revival e-mail
 * (contracts/ghl.md "Where threadId / replyMessageId come from", "Webhooks (optional for us)").
 * A Marketplace app's `InboundMessage` is signed with GHL's RSA key (`x-wh-signature`), which we do
 * not hold offline; what we accept is the documented alternative: a workflow "Custom Webhook" action
 * (trigger "Customer Replied", channel e-mail) posting the InboundMessage fields as JSON with our
 * secret header. docs/replies.md "GoHighLevel nurture replies" says how to set it up.
 */

export const GHL_WEBHOOK_PATH = '/webhooks/ghl';

/** The one event we act on: an inbound message (the contract's `type`). */
export const GHL_INBOUND_EVENT = 'InboundMessage';

/**
 * A workflow action can set headers but signs nothing: the secret comes in `X-Caio-Webhook-Token`
 * (or `Authorization: Bearer`). No query parameter: GHL shows a workflow's URL to every user of the
 * location. `x-wh-signature` is not listed: it is RSA, not an HMAC of our secret.
 */
export const GHL_WEBHOOK_AUTH: WebhookAuthScheme = { signatureHeaders: [], tokenHeader: true, bearer: true, secretParams: [] };

const text = z.string().trim().min(1).max(2000).optional().catch(undefined);

/**
 * The InboundMessage fields we read (contract: `{ type, locationId, contactId, conversationId,
 * messageType, emailMessageId, threadId, subject, body, from, to[], direction, dateAdded }`), loose:
 * a workflow author may add fields or leave some out. A field of the wrong type is read as absent.
 */
export const GhlInboundMessageSchema = z.looseObject({
  type: text,
  locationId: text,
  contactId: text,
  conversationId: text,
  messageType: text,
  messageId: text,
  emailMessageId: text,
  threadId: text,
  subject: z.string().max(2000).optional().catch(undefined),
  // The prospect's message (HTML for an e-mail): understood by the follow-through, never stored in the signal.
  body: z.string().optional().catch(undefined),
  from: text,
  direction: text,
  dateAdded: text,
  timestamp: text,
  webhookId: text,
});
export type GhlInboundMessage = z.infer<typeof GhlInboundMessageSchema>;

/** The send enum says `Email`, the read enum `TYPE_EMAIL` (contract "Reading messages"): either is an e-mail. */
const isEmailType = (messageType: string | undefined): boolean => messageType === undefined || /^(type_)?(custom_|campaign_)?email$/i.test(messageType);

/** `Maya Rivera <maya@x.example>` or a bare address: the address. */
const addressOf = (from: string | undefined): string | null => {
  if (!from) return null;
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(from);
  return normalizeEmail(angled?.[1] ?? from);
};

/** An InboundMessage body as stored, read back (the prospect's text), or null when the body is not one. */
export const ghlInboundText = (payload: unknown): string | null => {
  const parsed = GhlInboundMessageSchema.safeParse(payload);
  return parsed.success ? (parsed.data.body ?? '') : null;
};

/** The thread fields of a stored InboundMessage, for an answer in it (threadId, the message answered) and its read-back (the conversation). */
export const ghlThreadOf = (payload: unknown): { contactId: string | null; threadId: string | null; replyMessageId: string | null; conversationId: string | null; subject: string | null } => {
  const parsed = GhlInboundMessageSchema.safeParse(payload);
  if (!parsed.success) return { contactId: null, threadId: null, replyMessageId: null, conversationId: null, subject: null };
  const m = parsed.data;
  return { contactId: m.contactId ?? null, threadId: m.threadId ?? m.emailMessageId ?? null, replyMessageId: m.emailMessageId ?? m.messageId ?? null, conversationId: m.conversationId ?? null, subject: m.subject ?? null };
};

/**
 * Read one (storable) parsed body. Only an inbound e-mail is acted on: an outbound message (ours,
 * when a workflow fires on every message), another channel (SMS, chat), or another event type is
 * kept as ignored with the reason (answered 200: a workflow action that keeps failing is noise in
 * GHL's logs, and nothing in it is ours to act on).
 */
export const parseGhlWebhook = (json: unknown, context: WebhookParseContext): WebhookParse => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, eventType: 'unknown', reason: 'the body is not a JSON object' };
  const m = GhlInboundMessageSchema.parse(json);
  const given = m.type?.slice(0, 60);
  if (!given) return { ok: false, eventType: 'unknown', reason: 'not a GoHighLevel message event: no type (set "type": "InboundMessage" in the workflow action)' };
  if (given === 'OutboundMessage') return { ok: false, eventType: given, reason: 'an outbound message (sent from GoHighLevel): not a reply' };
  if (given !== GHL_INBOUND_EVENT) return { ok: false, eventType: given, reason: `unknown GoHighLevel event type "${given}"` };
  if (m.direction !== undefined && m.direction.toLowerCase() !== 'inbound') return { ok: false, eventType: given, reason: `an ${m.direction.slice(0, 20)} message: only inbound messages are replies` };
  if (!isEmailType(m.messageType)) return { ok: false, eventType: given, reason: `a ${m.messageType!.slice(0, 30)} message: only e-mail replies are read` };
  const email = addressOf(m.from);
  if (!email) return { ok: false, eventType: given, reason: 'the message names no sender address (from)' };
  const messageRef = m.emailMessageId ?? m.messageId ?? null;
  const replyText = m.body ? cleanReply(m.body) : '';
  const classification = replyText ? classifyReply(replyText) : null;
  const time = eventTime(m.dateAdded ?? m.timestamp, context.receivedAt);
  return {
    ok: true,
    eventType: given,
    // A workflow action is re-run on retry with the same message: its id names it (else the body's bytes do).
    keyParts: messageRef ? ['ghl', messageRef, m.conversationId ?? null] : null,
    signal: {
      email,
      linkedinUrl: null,
      type: classification?.category === 'unsubscribe_request' ? 'unsubscribed' : 'email_replied',
      channel: 'email',
      at: time.at.toISOString(),
      details: {
        event: given,
        provider: 'ghl',
        conversationId: m.conversationId ?? null,
        ...(classification ? { replyCategory: classification.category } : {}),
        ...(time.flag ? { timeFlag: time.flag } : {}),
      },
      flags: time.flag ? [time.flag] : [],
    },
  };
};

export const ghlWebhook: ProviderWebhook = {
  provider: 'ghl',
  paths: [{ path: GHL_WEBHOOK_PATH }],
  auth: GHL_WEBHOOK_AUTH,
  parse: parseGhlWebhook,
};
