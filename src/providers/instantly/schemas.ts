import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';

/**
 * `campaign_schedule.schedules[].timezone` is a CLOSED enum in Instantly's own order
 * (contracts/instantly.md "Timezone quirk"). It lacks America/New_York, America/Los_Angeles and
 * Europe/London: a schedule must name one of these.
 */
export const INSTANTLY_TIMEZONES = [
  'Etc/GMT+12',
  'Etc/GMT+11',
  'Etc/GMT+10',
  'America/Anchorage',
  'America/Dawson',
  'America/Creston',
  'America/Chihuahua',
  'America/Boise',
  'America/Belize',
  'America/Chicago',
  'America/Bahia_Banderas',
  'America/Regina',
  'America/Bogota',
  'America/Detroit',
  'America/Indiana/Marengo',
  'America/Caracas',
  'America/Asuncion',
  'America/Glace_Bay',
  'America/Campo_Grande',
  'America/Anguilla',
  'America/Santiago',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Argentina/La_Rioja',
  'America/Araguaina',
  'America/Godthab',
  'America/Montevideo',
  'America/Bahia',
  'America/Noronha',
  'America/Scoresbysund',
  'Atlantic/Cape_Verde',
  'Africa/Casablanca',
  'America/Danmarkshavn',
  'Europe/Isle_of_Man',
  'Atlantic/Canary',
  'Africa/Abidjan',
  'Arctic/Longyearbyen',
  'Europe/Belgrade',
  'Africa/Ceuta',
  'Europe/Sarajevo',
  'Africa/Algiers',
  'Africa/Windhoek',
  'Asia/Nicosia',
  'Asia/Beirut',
  'Africa/Cairo',
  'Asia/Damascus',
  'Europe/Bucharest',
  'Africa/Blantyre',
  'Europe/Helsinki',
  'Europe/Istanbul',
  'Asia/Jerusalem',
  'Africa/Tripoli',
  'Asia/Amman',
  'Asia/Baghdad',
  'Europe/Kaliningrad',
  'Asia/Aden',
  'Africa/Addis_Ababa',
  'Europe/Kirov',
  'Europe/Astrakhan',
  'Asia/Tehran',
  'Asia/Dubai',
  'Asia/Baku',
  'Indian/Mahe',
  'Asia/Tbilisi',
  'Asia/Yerevan',
  'Asia/Kabul',
  'Antarctica/Mawson',
  'Asia/Yekaterinburg',
  'Asia/Karachi',
  'Asia/Kolkata',
  'Asia/Colombo',
  'Asia/Kathmandu',
  'Antarctica/Vostok',
  'Asia/Dhaka',
  'Asia/Rangoon',
  'Antarctica/Davis',
  'Asia/Novokuznetsk',
  'Asia/Hong_Kong',
  'Asia/Krasnoyarsk',
  'Asia/Brunei',
  'Australia/Perth',
  'Asia/Taipei',
  'Asia/Choibalsan',
  'Asia/Irkutsk',
  'Asia/Dili',
  'Asia/Pyongyang',
  'Australia/Adelaide',
  'Australia/Darwin',
  'Australia/Brisbane',
  'Australia/Melbourne',
  'Antarctica/DumontDUrville',
  'Australia/Currie',
  'Asia/Chita',
  'Antarctica/Macquarie',
  'Asia/Sakhalin',
  'Pacific/Auckland',
  'Etc/GMT-12',
  'Pacific/Fiji',
  'Asia/Anadyr',
  'Asia/Kamchatka',
  'Etc/GMT-13',
  'Pacific/Apia',
] as const;
export type InstantlyTimezone = (typeof INSTANTLY_TIMEZONES)[number];

/**
 * Common zones missing from the enum, mapped to an enum zone with the same clock all year
 * (contracts/instantly.md: US Eastern → America/Detroit, US Central → America/Chicago). Only exact
 * equivalents: anything else must be chosen from the enum by a person.
 */
const TIMEZONE_ALIASES: Readonly<Record<string, InstantlyTimezone>> = {
  'America/New_York': 'America/Detroit',
  'US/Eastern': 'America/Detroit',
  'America/Toronto': 'America/Detroit',
  'US/Central': 'America/Chicago',
  'America/Winnipeg': 'America/Chicago',
  'Europe/London': 'Europe/Isle_of_Man',
};

const isInstantlyTimezone = (name: string): name is InstantlyTimezone => (INSTANTLY_TIMEZONES as readonly string[]).includes(name);

/** The Instantly timezone for an IANA zone; fails loudly (INVALID_INPUT) for anything unmapped. */
export const toInstantlyTimezone = (name: string): InstantlyTimezone => {
  if (isInstantlyTimezone(name)) return name;
  const alias = TIMEZONE_ALIASES[name];
  if (alias) return alias;
  throw new AppError('INVALID_INPUT', `timezone "${name}" is not in Instantly's timezone list and has no known equivalent; choose one of INSTANTLY_TIMEZONES (e.g. America/Detroit for US Eastern)`);
};

/** Campaign `status` (read-only; a new campaign is always 0 = Draft). */
export const CAMPAIGN_STATUS = { draft: 0, active: 1, paused: 2, completed: 3, runningSubsequences: 4, accountSuspended: -99, accountsUnhealthy: -1, bounceProtect: -2 } as const;
/** Lead `status`. */
export const LEAD_STATUS = { active: 1, paused: 2, completed: 3, bounced: -1, unsubscribed: -2, skipped: -3 } as const;
/** Sending account `status` and `warmup_status`. */
export const ACCOUNT_STATUS = { active: 1, paused: 2, connectionError: -1, softBounceError: -2, sendingError: -3 } as const;
export const WARMUP_STATUS = { paused: 0, active: 1, banned: -1, spamFolderUnknown: -2, permanentSuspension: -3 } as const;

/** Subscribable webhook event types (`null` subscribes to custom-label events). */
export const WEBHOOK_EVENT_TYPES = [
  'all_events',
  'email_sent',
  'email_opened',
  'email_link_clicked',
  'reply_received',
  'email_bounced',
  'lead_unsubscribed',
  'campaign_completed',
  'account_error',
  'lead_neutral',
  'lead_interested',
  'lead_not_interested',
  'lead_meeting_booked',
  'lead_meeting_completed',
  'lead_closed',
  'lead_out_of_office',
  'lead_wrong_person',
  'lead_no_show',
  'supersearch_enrichment_completed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The most leads one `POST /leads/add` takes. */
export const BULK_ADD_MAX = 1000;

// ---------------------------------------------------------------- requests (validated locally)

const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
const dayFlag = z.boolean().optional();

/** `days` keys are digit strings, "0" = Sunday; weekday names are refused (contract "Days quirk"). */
export const ScheduleDaysSchema = z
  .strictObject({ '0': dayFlag, '1': dayFlag, '2': dayFlag, '3': dayFlag, '4': dayFlag, '5': dayFlag, '6': dayFlag })
  .refine((days) => Object.keys(days).length > 0, 'days must name at least one day ("0"-"6")');

export const ScheduleSchema = z.strictObject({
  name: z.string().min(1),
  timing: z.strictObject({ from: z.string().regex(HH_MM), to: z.string().regex(HH_MM) }),
  days: ScheduleDaysSchema,
  timezone: z.enum(INSTANTLY_TIMEZONES),
});
export type InstantlySchedule = z.infer<typeof ScheduleSchema>;

export const SequenceSchema = z.strictObject({
  steps: z
    .array(
      z.strictObject({
        type: z.literal('email'),
        /** Days before this step. */
        delay: z.number().int().min(0),
        variants: z.array(z.strictObject({ subject: z.string(), body: z.string(), v_disabled: z.boolean().optional() })).min(1),
      }),
    )
    .min(1),
});

/** The closed create body (`additionalProperties: false`): an unknown key is refused before sending. */
export const CreateCampaignInputSchema = z.strictObject({
  name: z.string().min(1),
  campaign_schedule: z.strictObject({
    schedules: z.array(ScheduleSchema).min(1),
    start_date: z.string().optional(),
    end_date: z.string().optional(),
  }),
  // Only sequences[0] is used by Instantly; a second one would be silently ignored, so refuse it.
  sequences: z.array(SequenceSchema).max(1, 'Instantly only uses sequences[0]; put every step in one sequence').optional(),
  email_list: z.array(z.string().min(3)).optional(),
  daily_limit: z.number().int().positive().optional(),
  /** Minutes between e-mails (not seconds: contract quirk 10). */
  email_gap: z.number().int().min(0).optional(),
  stop_on_reply: z.boolean().optional(),
  stop_for_company: z.boolean().optional(),
  link_tracking: z.boolean().optional(),
  open_tracking: z.boolean().optional(),
  text_only: z.boolean().optional(),
  insert_unsubscribe_header: z.boolean().optional(),
});
export type CreateCampaignInput = z.input<typeof CreateCampaignInputSchema>;

/** Custom variable values must be scalar; objects and arrays are refused by Instantly. */
const customValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const LeadInputSchema = z.looseObject({
  email: z.string().min(1),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  company_name: z.string().optional(),
  website: z.string().optional(),
  phone: z.string().optional(),
  personalization: z.string().optional(),
  custom_variables: z.record(z.string(), customValue).optional(),
});
export type LeadInput = z.input<typeof LeadInputSchema>;

// ---------------------------------------------------------------- responses

const count = z
  .number()
  .nullish()
  .transform((n) => n ?? 0);
const maybeText = z.string().nullish();
const cursor = z
  .string()
  .nullish()
  .transform((c) => (c ? c : null));

export const CampaignSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  status: z.number().int(),
  campaign_schedule: z.looseObject({ schedules: z.array(z.looseObject({ timezone: z.string().optional() })).optional() }).nullish(),
  sequences: z.array(z.unknown()).nullish(),
  email_list: z.array(z.string()).nullish(),
  daily_limit: z.number().nullish(),
  email_gap: z.number().nullish(),
  stop_on_reply: z.boolean().nullish(),
  timestamp_created: maybeText,
  timestamp_updated: maybeText,
});
export type InstantlyCampaign = z.infer<typeof CampaignSchema>;
export const CampaignPageSchema = z.looseObject({ items: z.array(CampaignSchema), next_starting_after: cursor });

export const LeadSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string(),
  campaign: z.string().nullish(),
  status: z.number().nullish(),
  lt_interest_status: z.number().nullish(),
  email_open_count: count,
  email_reply_count: count,
  email_click_count: count,
  /** Custom variables come back here, not under `custom_variables`. */
  payload: z.record(z.string(), z.unknown()).nullish(),
  first_name: maybeText,
  last_name: maybeText,
  company_name: maybeText,
  timestamp_last_contact: maybeText,
  timestamp_last_reply: maybeText,
});
export type InstantlyLead = z.infer<typeof LeadSchema>;
export const LeadPageSchema = z.looseObject({ items: z.array(LeadSchema), next_starting_after: cursor });

export const BulkAddResponseSchema = z.looseObject({
  status: z.string().optional(),
  total_sent: count,
  leads_uploaded: count,
  in_blocklist: count,
  duplicated_leads: count,
  skipped_count: count,
  invalid_email_count: count,
  incomplete_count: count,
  duplicate_email_count: count,
  remaining_in_plan: z.number().nullish(),
  created_leads: z.array(z.looseObject({ id: z.string(), email: z.string(), index: z.number().int() })).nullish(),
});
export type BulkAddResponse = z.infer<typeof BulkAddResponseSchema>;

export const AccountSchema = z.looseObject({
  email: z.string().min(1),
  first_name: maybeText,
  last_name: maybeText,
  status: z.number(),
  warmup_status: z.number().nullish(),
  setup_pending: z.boolean().nullish(),
  daily_limit: z.number().nullish(),
  stat_warmup_score: z.number().nullish(),
  sending_gap: z.number().nullish(),
  tracking_domain_name: maybeText,
  timestamp_last_used: maybeText,
});
export type InstantlyAccount = z.infer<typeof AccountSchema>;
export const AccountPageSchema = z.looseObject({ items: z.array(AccountSchema), next_starting_after: cursor });

export const CampaignAnalyticsSchema = z.looseObject({
  campaign_id: z.string(),
  campaign_name: maybeText,
  campaign_status: z.number().nullish(),
  leads_count: count,
  contacted_count: count,
  emails_sent_count: count,
  open_count: count,
  reply_count: count,
  link_click_count: count,
  bounced_count: count,
  unsubscribed_count: count,
  completed_count: count,
  total_opportunities: count,
});
export type CampaignAnalytics = z.infer<typeof CampaignAnalyticsSchema>;
/** The analytics answer is an array, one entry per campaign. */
export const CampaignAnalyticsListSchema = z.array(CampaignAnalyticsSchema);

export const WebhookSchema = z.looseObject({
  id: z.string().min(1),
  target_hook_url: z.string(),
  event_type: z.string().nullable(),
  campaign: z.string().nullish(),
  name: maybeText,
  headers: z.record(z.string(), z.string()).nullish(),
  /** 1 active; -1 disabled after repeated delivery failures (monitor it). */
  status: z.number(),
  timestamp_created: maybeText,
  timestamp_error: maybeText,
});
export type InstantlyWebhook = z.infer<typeof WebhookSchema>;
export const WebhookPageSchema = z.looseObject({ items: z.array(WebhookSchema), next_starting_after: cursor });

export const BlockListEntrySchema = z.looseObject({ id: z.string().min(1), bl_value: z.string(), timestamp_created: maybeText });
export type BlockListEntry = z.infer<typeof BlockListEntrySchema>;

/** Deletes answer the deleted object; only its id is read. */
export const DeletedSchema = z.looseObject({ id: z.string().optional() });

/** Payload text: a string (a number is read as its digits); anything else, or null, is null. */
const payloadText = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .catch(null);
/** Payload numbers (`step`, `variant`): a number or a string of digits (the SDK's `Email.step` is a string); else null. */
const payloadNumber = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*-?\d+\s*$/)
      .transform(Number),
  ])
  .nullish()
  .catch(null);

/**
 * One webhook delivery: a FLAT object (contract "Delivery payload"). The original read a `data`
 * wrapper the docs do not have; it is accepted only as a tolerance and unwrapped. Only
 * `event_type` is required: every other field may be missing, null (as the SDK marks its
 * counterparts nullable) or of another type (then read as null), so one odd field never costs the
 * delivery. Bounce type and reason are undocumented: never required.
 */
export const WebhookEventSchema = z.preprocess(
  (raw) => {
    const r = raw as { data?: unknown; event_type?: unknown } | null;
    return r && typeof r === 'object' && r.event_type === undefined && r.data && typeof r.data === 'object' ? { ...r.data } : raw;
  },
  z.looseObject({
    timestamp: payloadText,
    event_type: z.string().trim().min(1),
    workspace: payloadText,
    campaign_id: payloadText,
    campaign_name: payloadText,
    lead_email: payloadText,
    email_account: payloadText,
    unibox_url: payloadText,
    step: payloadNumber,
    variant: payloadNumber,
    is_first: z
      .union([z.boolean(), z.number().transform((n) => n !== 0)])
      .nullish()
      .catch(null),
    email_id: payloadText,
    email_subject: payloadText,
    reply_subject: payloadText,
    reply_text_snippet: payloadText,
    reply_text: payloadText,
    reply_html: payloadText,
    bounce_type: payloadText,
  }),
);
export type InstantlyWebhookEvent = z.infer<typeof WebhookEventSchema>;
