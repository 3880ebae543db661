import { z } from 'zod';
import { normalizeEmail, normalizeLinkedinUrl } from '../../domain/lead.js';

const text = z.string().nullable().optional();

/** The campaign statuses HeyReach reports (contracts/heyreach.md; the list is partly inferred, so any string is kept). */
export const CAMPAIGN_STATUSES = ['DRAFT', 'STARTING', 'IN_PROGRESS', 'PAUSED', 'FINISHED', 'CANCELED', 'FAILED'] as const;

/** Event types a webhook can subscribe to (contracts/heyreach.md "Webhooks"). */
export const WEBHOOK_EVENT_TYPES = [
  'CONNECTION_REQUEST_SENT',
  'CONNECTION_REQUEST_ACCEPTED',
  'MESSAGE_SENT',
  'MESSAGE_REPLY_RECEIVED',
  'EVERY_MESSAGE_REPLY_RECEIVED',
  'INMAIL_SENT',
  'INMAIL_REPLY_RECEIVED',
  'FOLLOW_SENT',
  'LIKED_POST',
  'VIEWED_PROFILE',
  'CAMPAIGN_COMPLETED',
  'LEAD_TAG_UPDATED',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const CustomUserFieldSchema = z.object({ name: z.string(), value: z.string() });

/**
 * The lead HeyReach accepts (contracts/heyreach.md "Lead object", live-verified): `profileUrl`,
 * `firstName` and `lastName` are required; any other key (e.g. the original's `linkedInUrl`) makes
 * HeyReach ignore the lead silently, so this is a strict object.
 */
export const LeadSchema = z.strictObject({
  profileUrl: z.string().min(1),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  companyName: z.string().optional(),
  position: z.string().optional(),
  location: z.string().optional(),
  summary: z.string().optional(),
  about: z.string().optional(),
  emailAddress: z.string().optional(),
  customUserFields: z.array(CustomUserFieldSchema).optional(),
});
export type HeyReachLead = z.infer<typeof LeadSchema>;
export const LEAD_FIELDS = Object.keys(LeadSchema.shape) as (keyof HeyReachLead)[];

/** Offset pages: `{ totalCount, items }` (contracts/heyreach.md "Pagination"). */
const pageOf = <T extends z.ZodType>(item: T) => z.looseObject({ totalCount: z.number().int().nonnegative(), items: z.array(item) });

export const CampaignSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  campaignAccountIds: z.array(z.number().int()).nullable().optional(),
  linkedInUserListId: z.number().int().nullable().optional(),
  progressStats: z.unknown().optional(),
});
export type HeyReachCampaign = z.infer<typeof CampaignSchema>;
export const CampaignPageSchema = pageOf(CampaignSchema);

/** GetCampaignsForLead: the campaigns a lead is in (contracts/heyreach.md "Campaign lead status"), the read-back of a campaign add. */
export const CampaignsForLeadPageSchema = pageOf(z.looseObject({ campaignId: z.number().int(), campaignName: text, campaignStatus: text, leadStatus: text }));

/** CreateEmptyList answers `{ id, name, … }`; the original also looked for `listId`: accept either. */
export const CreatedListSchema = z
  .looseObject({ id: z.number().int().optional(), listId: z.number().int().optional(), name: z.string().optional(), type: z.string().optional() })
  .refine((l) => l.id !== undefined || l.listId !== undefined, 'the list id is missing')
  .transform((l) => ({ id: (l.id ?? l.listId)!, name: l.name ?? null, type: l.type ?? null }));
export type HeyReachList = z.output<typeof CreatedListSchema>;

/**
 * The counts AddLeadsToListV2 / AddLeadsToCampaignV2 answer. The original read
 * `addedCount|leadsAdded|count`, which do not exist (contracts/heyreach.md quirk 2): only these are read.
 */
export const AddLeadsCountsSchema = z.looseObject({
  addedLeadsCount: z.number().int().nonnegative(),
  updatedLeadsCount: z.number().int().nonnegative(),
  failedLeadsCount: z.number().int().nonnegative().optional().default(0),
});

/** A lead read back from a list; item casing varies between reports, so snake_case is folded in. */
export const ListLeadSchema = z
  .looseObject({
    profileUrl: text,
    profile_url: text,
    firstName: text,
    first_name: text,
    lastName: text,
    last_name: text,
    companyName: text,
    company_name: text,
    position: text,
    emailAddress: text,
    email_address: text,
    customUserFields: z
      .array(z.looseObject({ name: z.string(), value: z.string().nullable() }))
      .nullable()
      .optional(),
  })
  .transform((l) => ({
    profileUrl: l.profileUrl ?? l.profile_url ?? null,
    firstName: l.firstName ?? l.first_name ?? null,
    lastName: l.lastName ?? l.last_name ?? null,
    companyName: l.companyName ?? l.company_name ?? null,
    position: l.position ?? null,
    emailAddress: l.emailAddress ?? l.email_address ?? null,
    customUserFields: l.customUserFields ?? [],
  }));
export type HeyReachListLead = z.output<typeof ListLeadSchema>;
export const ListLeadPageSchema = pageOf(ListLeadSchema);

export const WebhookSchema = z.looseObject({
  id: z.number().int(),
  webhookName: text,
  webhookUrl: text,
  eventType: text,
  campaignIds: z.array(z.number().int()).nullable().optional(),
  isActive: z.boolean().optional(),
});
export type HeyReachWebhook = z.infer<typeof WebhookSchema>;

/** CheckApiKey answers 200 with a body that may be empty (contracts/heyreach.md): any body is fine. */
export const AnyBodySchema = z.unknown();

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The first non-empty string (a number is read as its digits) among `keys` of the first object that has one. */
const pick = (objects: readonly Obj[], keys: readonly string[]): string | null => {
  for (const o of objects) {
    for (const k of keys) {
      const v = o[k];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    }
  }
  return null;
};

/** Where each value may be (contracts/heyreach.md «What a tolerant receiver must do»). */
const EVENT_KEYS = ['eventType', 'event_type', 'type', 'event', 'webhookEventType'];
const LINKEDIN_KEYS = ['profileUrl', 'profile_url', 'linkedInUrl', 'linkedinUrl', 'linkedin_profile_url', 'linkedin_url'];
const EMAIL_KEYS = ['emailAddress', 'email_address', 'enriched_email', 'enrichedEmailAddress', 'email'];
const MESSAGE_TEXT_KEYS = ['message', 'text', 'body'];

/** The text of the last message in `list` the lead sent (`is_reply`/`isReply`/`fromLead` true). */
const lastReply = (list: unknown): string | null => {
  if (!Array.isArray(list)) return null;
  for (let i = list.length - 1; i >= 0; i--) {
    const m: unknown = list[i];
    if (isObj(m) && (m.is_reply === true || m.isReply === true || m.fromLead === true || m.from_lead === true)) {
      const text = pick([m], MESSAGE_TEXT_KEYS);
      if (text) return text;
    }
  }
  return null;
};

/**
 * An inbound webhook event in any of the four shapes seen in the wild (contracts/heyreach.md
 * «Payload shapes», none confirmed by HeyReach): A snake_case conversation snapshot (often with no
 * event name), B camelCase `leadProfile`, C camelCase `lead`, D flat camelCase. Normalised to what
 * the pipeline keys on; nothing is required here (the reader below says what is missing), and a
 * field of an unexpected type reads as null. `raw` keeps the body for later confirmation.
 */
export const normalizeHeyReachEvent = (body: Obj) => {
  const message = body.message;
  const messageObj = isObj(message) ? message : null;
  const campaign = isObj(body.campaign) ? body.campaign : null;
  const conversation = isObj(body.conversation) ? body.conversation : null;
  // The lead: `lead` ∥ `leadProfile` ∥ `leadData` ∥ the body itself, field by field.
  const leads = [body.lead, body.leadProfile, body.leadData].filter(isObj);
  const people = [...leads, body];
  const explicit = pick([body], EVENT_KEYS);
  const hasConversation = Array.isArray(body.recent_messages) || Array.isArray(body.messages) || conversation !== null;
  return {
    /** Upper-cased as sent; null when the body names none (the reader then takes the URL's, or infers). */
    eventType: explicit ? explicit.toUpperCase() : null,
    /** A conversation snapshot without an event name is a reply (shape A). */
    inferredEventType: hasConversation ? ('EVERY_MESSAGE_REPLY_RECEIVED' as const) : null,
    timestamp: pick([body], ['timestamp']),
    linkedinUrl: normalizeLinkedinUrl(pick(people, LINKEDIN_KEYS)),
    email: normalizeEmail(pick(people, EMAIL_KEYS)),
    firstName: pick(people, ['firstName', 'first_name']),
    lastName: pick(people, ['lastName', 'last_name']),
    campaignId: (campaign ? pick([campaign], ['id']) : null) ?? pick([body], ['campaignId', 'campaign_id']),
    messageId: (messageObj ? pick([messageObj], ['id']) : null) ?? pick([body], ['messageId', 'message_id']),
    messageText:
      (typeof message === 'string' && message.trim() !== '' ? message : null) ??
      (messageObj ? pick([messageObj], ['text']) : null) ??
      pick([body], ['messageText', 'message_text']) ??
      lastReply(body.recent_messages) ??
      lastReply(body.messages),
    conversationId: pick([body], ['conversationId', 'conversation_id']) ?? (conversation ? pick([conversation], ['id']) : null) ?? pick([body], ['chatroomId']),
    raw: body,
  };
};

/** A webhook body (a JSON object) read in any shape; `.parse` of anything else fails. */
export const WebhookEventSchema = z.looseObject({}).transform((body) => normalizeHeyReachEvent(body));
export type HeyReachWebhookEvent = ReturnType<typeof normalizeHeyReachEvent>;
