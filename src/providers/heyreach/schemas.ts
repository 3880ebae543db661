import { z } from 'zod';
import { normalizeLinkedinUrl } from '../../domain/lead.js';

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
    customUserFields: z.array(z.looseObject({ name: z.string(), value: z.string().nullable() })).nullable().optional(),
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

/**
 * An inbound webhook event in either shape seen in the wild (contracts/heyreach.md "Webhooks":
 * snake_case `event_type`/`lead.profile_url` or camelCase `eventType`/`leadProfile.linkedInUrl`;
 * neither is confirmed). Normalised to what the pipeline keys on; `raw` keeps the body for later
 * confirmation of the real shape.
 */
export const WebhookEventSchema = z
  .looseObject({
    event_type: z.string().optional(),
    eventType: z.string().optional(),
    timestamp: z.string().optional(),
    correlation_id: z.string().nullable().optional(),
    message_text: text,
    messageText: text,
    lead: z.looseObject({ id: z.union([z.number(), z.string()]).nullable().optional(), profile_url: text, email_address: text, enriched_email: text, first_name: text, last_name: text }).optional(),
    leadProfile: z.looseObject({ linkedInUrl: text, profileUrl: text, emailAddress: text, firstName: text, lastName: text }).optional(),
    campaign: z.looseObject({ id: z.union([z.number(), z.string()]).nullable().optional(), name: text }).nullable().optional(),
    message: z.union([z.string(), z.looseObject({ id: z.union([z.number(), z.string()]).nullable().optional(), text: text })]).nullable().optional(),
  })
  .refine((e) => Boolean(e.event_type ?? e.eventType), 'event_type or eventType is required')
  .transform((e) => {
    const message = typeof e.message === 'string' ? { id: null, text: e.message } : e.message;
    return {
      eventType: (e.event_type ?? e.eventType)!.toUpperCase(),
      timestamp: e.timestamp ?? null,
      linkedinUrl: normalizeLinkedinUrl(e.lead?.profile_url ?? e.leadProfile?.linkedInUrl ?? e.leadProfile?.profileUrl),
      email: (e.lead?.email_address ?? e.lead?.enriched_email ?? e.leadProfile?.emailAddress)?.toLowerCase() ?? null,
      firstName: e.lead?.first_name ?? e.leadProfile?.firstName ?? null,
      lastName: e.lead?.last_name ?? e.leadProfile?.lastName ?? null,
      campaignId: e.campaign?.id != null ? String(e.campaign.id) : null,
      messageId: message?.id != null ? String(message.id) : null,
      messageText: e.message_text ?? e.messageText ?? message?.text ?? null,
      raw: e as Record<string, unknown>,
    };
  });
export type HeyReachWebhookEvent = z.output<typeof WebhookEventSchema>;
