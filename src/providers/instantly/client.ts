import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { createJsonCaller } from '../http/json-call.js';
import {
  AccountPageSchema,
  BULK_ADD_MAX,
  BlockListEntrySchema,
  BulkAddResponseSchema,
  CampaignAnalyticsListSchema,
  CampaignPageSchema,
  CampaignSchema,
  CreateCampaignInputSchema,
  DeletedSchema,
  LeadInputSchema,
  LeadPageSchema,
  WEBHOOK_EVENT_TYPES,
  WebhookPageSchema,
  WebhookSchema,
  type BlockListEntry,
  type CampaignAnalytics,
  type CreateCampaignInput,
  type InstantlyAccount,
  type InstantlyCampaign,
  type InstantlyLead,
  type InstantlyWebhook,
  type LeadInput,
  type WebhookEventType,
} from './schemas.js';

export type Page<T> = { items: T[]; nextStartingAfter: string | null };

export type LeadFilter = { campaign?: string; listId?: string; search?: string; contacts?: string[]; ids?: string[]; limit?: number; startingAfter?: string };

export type AddLeadsOptions = {
  /** Skip an address already in another campaign of the workspace. @defaultValue true */
  skipIfInWorkspace?: boolean;
  /** @defaultValue true */
  skipIfInCampaign?: boolean;
  /** Our leads are verified before they get here; re-verifying spends Instantly credits. @defaultValue false */
  verifyLeadsOnImport?: boolean;
};

/** What Instantly reports for a (possibly batched) bulk add, summed over the batches. */
export type AddLeadsResult = {
  totalSent: number;
  uploaded: number;
  inBlocklist: number;
  duplicatedLeads: number;
  skippedCount: number;
  invalidEmailCount: number;
  incompleteCount: number;
  duplicateEmailCount: number;
  remainingInPlan: number | null;
  /** `index` is the position in the `leads` argument (not in a batch). */
  created: { id: string; email: string; index: number }[];
  /**
   * Leads sent but not created (blocklisted, duplicate, invalid…: Instantly gives only the counts
   * above, not a reason per lead). null when a batch answer carried no `created_leads` to reconcile.
   */
  notUploaded: { email: string; index: number }[] | null;
};

export type CreateWebhookInput = {
  targetUrl: string;
  /** null subscribes to custom-label events. */
  eventType: WebhookEventType | null;
  campaignId?: string | null;
  name?: string;
  /** Sent by Instantly with every delivery: how we authenticate deliveries (Instantly does not sign). */
  headers?: Record<string, string>;
};

export type InstantlyClient = {
  /** Validates the closed body locally (timezone enum, "0"-"6" days) before sending; the campaign starts as Draft (0). */
  createCampaign(input: CreateCampaignInput): Promise<InstantlyCampaign>;
  /** null when Instantly does not know the id (404): the caller decides (re-lookup by name). */
  getCampaign(id: string): Promise<InstantlyCampaign | null>;
  listCampaigns(params?: { limit?: number; startingAfter?: string; search?: string }): Promise<Page<InstantlyCampaign>>;
  activateCampaign(id: string): Promise<InstantlyCampaign>;
  pauseCampaign(id: string): Promise<InstantlyCampaign>;
  addLeads(campaignId: string, leads: LeadInput[], options?: AddLeadsOptions): Promise<AddLeadsResult>;
  listLeads(filter: LeadFilter): Promise<Page<InstantlyLead>>;
  deleteLead(id: string): Promise<void>;
  addToBlockList(value: string): Promise<BlockListEntry>;
  /** Every sending account, following `starting_after` to the end. */
  listAccounts(params?: { status?: number }): Promise<InstantlyAccount[]>;
  campaignAnalytics(ids: readonly string[]): Promise<CampaignAnalytics[]>;
  createWebhook(input: CreateWebhookInput): Promise<InstantlyWebhook>;
  /** Every webhook, following `starting_after` to the end. */
  listWebhooks(): Promise<InstantlyWebhook[]>;
  /**
   * Set a lead's interest status (contract «Lead interest status»): `interestValue` 1 Interested, 0 Out of
   * Office, -1 Not Interested, -2 Wrong Person… Instantly answers 202 (queued, not yet applied).
   */
  updateInterestStatus(input: { leadEmail: string; interestValue: number | null; campaignId?: string | null }): Promise<{ message: string | null }>;
  /**
   * Answer a received e-mail in its thread (contract «Reply»): `replyToUuid` is the reply webhook's
   * `email_id`, `eaccount` the account that received it, `subject` already "Re: …". NOT repeatable:
   * every call sends another e-mail; after an uncertain call look with `sentInThread` first.
   */
  replyToEmail(input: { replyToUuid: string; eaccount: string; subject: string; text: string; html?: string }): Promise<InstantlyThreadEmail>;
  /** The e-mails we sent in a thread (`GET /emails?search=thread:<id>&email_type=sent`): the look before a second try. */
  sentInThread(threadId: string): Promise<InstantlyThreadEmail[]>;
};

/** An e-mail of a Unibox thread, the fields we read (contract «Email object»). */
export type InstantlyThreadEmail = { id: string; threadId: string | null; replyToUuid: string | null; subject: string | null };
const ThreadEmailSchema = z
  .looseObject({ id: z.string().min(1), thread_id: z.string().nullish(), reply_to_uuid: z.string().nullish(), subject: z.string().nullish() })
  .transform((e): InstantlyThreadEmail => ({ id: e.id, threadId: e.thread_id ?? null, replyToUuid: e.reply_to_uuid ?? null, subject: e.subject ?? null }));
const ThreadEmailPageSchema = z.looseObject({ items: z.array(ThreadEmailSchema) });

const InterestStatusAnswerSchema = z.looseObject({ message: z.string().nullish() }).transform((a) => ({ message: a.message ?? null }));

/** Only these may go into a campaign's `email_list` (contract "Sending accounts"). */
export const isUsableSender = (account: InstantlyAccount): boolean => account.status === 1 && !account.setup_pending;

const PAGE_LIMIT = 100;
/** A guard against a cursor that never ends (100 pages of 100). */
const MAX_PAGES = 100;

const invalid = (what: string, error: z.ZodError) => {
  const where = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || what}: ${i.message}`)
    .join('; ');
  return new AppError('INVALID_INPUT', `instantly ${what}: ${where}`, { details: { provider: 'instantly' } });
};

const CreateWebhookInputSchema = z.object({
  targetUrl: z.string().regex(/^https?:\/\//, 'must start with http:// or https://'),
  eventType: z.enum(WEBHOOK_EVENT_TYPES).nullable(),
  campaignId: z.string().min(1).nullish(),
  name: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** The Instantly API V2 client (contracts/instantly.md): Bearer auth, one call per method through the shared policy. */
export const createInstantlyClient = ({ baseUrl, apiKey, policy }: { baseUrl: string; apiKey: string; policy?: HttpPolicy }): InstantlyClient => {
  const http = createJsonCaller({
    provider: 'instantly',
    baseUrl,
    policy: policy ?? createHttpPolicy({ provider: 'instantly', retries: 0, secrets: [apiKey] }),
    headers: () => ({ Authorization: `Bearer ${apiKey}` }),
    secrets: [apiKey],
    // V2 keys are scoped: a 403 is a missing scope, which a person must grant (contract "Base URL and auth").
    classify: (status, message, endpoint) =>
      status === 403 ? new AppError('PROVIDER_AUTH', `instantly ${endpoint}: the API key lacks the scope for this call (403)${message ? `: ${message}` : ''}`, { details: { provider: 'instantly', endpoint, status } }) : undefined,
  });
  const id = (value: string) => encodeURIComponent(value);
  const page = <T>(answer: { items: T[]; next_starting_after: string | null }): Page<T> => ({ items: answer.items, nextStartingAfter: answer.next_starting_after });

  /** Follow `next_starting_after` until it is absent or empty (contract "Pagination"). */
  const collect = async <T>(fetchPage: (startingAfter: string | undefined) => Promise<Page<T>>): Promise<T[]> => {
    const all: T[] = [];
    let startingAfter: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const next = await fetchPage(startingAfter);
      all.push(...next.items);
      if (!next.nextStartingAfter || next.nextStartingAfter === startingAfter || next.items.length === 0) return all;
      startingAfter = next.nextStartingAfter;
    }
    return all;
  };

  const getCampaign = (campaignId: string) => http.call('campaigns/:id', { method: 'GET', path: `campaigns/${id(campaignId)}` }, CampaignSchema, { nullOn: [404] });

  /**
   * Activate and pause take NO body: the caller omits it, so no JSON content type goes out (Fastify
   * refuses an empty JSON body, contract quirk 6). The answer is assumed to be the campaign
   * [inferred]; when it is not, the campaign is read back.
   */
  const campaignAction = async (campaignId: string, action: 'activate' | 'pause') => {
    // Pause is repeatable: it only stops sending, and a second pause leaves the campaign paused (it is
    // also the brake auto-pause pulls, which must not give up on one 502). Activate is NOT: it starts
    // sending, a human decision; an uncertain activation is re-read and re-run by that person.
    const answer = await http.required(`campaigns/:id/${action}`, { method: 'POST', path: `campaigns/${id(campaignId)}/${action}`, idempotent: action === 'pause' }, z.unknown());
    const campaign = CampaignSchema.safeParse(answer);
    if (campaign.success) return campaign.data;
    const reread = await getCampaign(campaignId);
    if (!reread) throw new AppError('NOT_FOUND', `instantly campaigns/:id/${action}: the campaign is gone`, { details: { provider: 'instantly' } });
    return reread;
  };

  return {
    createCampaign: async (input) => {
      const body = CreateCampaignInputSchema.safeParse(input);
      if (!body.success) throw invalid('createCampaign', body.error);
      // NOT repeatable: every POST creates another campaign (an orphan draft when the first answer was lost).
      return http.required('campaigns', { method: 'POST', path: 'campaigns', body: body.data, idempotent: false }, CampaignSchema);
    },
    getCampaign,
    listCampaigns: async ({ limit, startingAfter, search } = {}) => page(await http.required('campaigns', { method: 'GET', path: 'campaigns', query: { limit, starting_after: startingAfter, search } }, CampaignPageSchema)),
    activateCampaign: (campaignId) => campaignAction(campaignId, 'activate'),
    pauseCampaign: (campaignId) => campaignAction(campaignId, 'pause'),

    addLeads: async (campaignId, leads, options = {}) => {
      const parsed = z.array(LeadInputSchema).safeParse(leads);
      if (!parsed.success) throw invalid('addLeads', parsed.error);
      const result: AddLeadsResult = { totalSent: 0, uploaded: 0, inBlocklist: 0, duplicatedLeads: 0, skippedCount: 0, invalidEmailCount: 0, incompleteCount: 0, duplicateEmailCount: 0, remainingInPlan: null, created: [], notUploaded: [] };
      // Bulk add takes 1-1000 leads and names the campaign `campaign_id` (not `campaign`: quirk 5).
      for (let offset = 0; offset < parsed.data.length; offset += BULK_ADD_MAX) {
        const batch = parsed.data.slice(offset, offset + BULK_ADD_MAX);
        const answer = await http.required(
          'leads/add',
          {
            method: 'POST',
            path: 'leads/add',
            body: { campaign_id: campaignId, leads: batch, skip_if_in_workspace: options.skipIfInWorkspace ?? true, skip_if_in_campaign: options.skipIfInCampaign ?? true, verify_leads_on_import: options.verifyLeadsOnImport ?? false },
            // NOT repeatable: this is the send. skip_if_in_campaign keeps a repeat from mailing twice, but
            // the repeat's answer ("skipped") would report a lead that went in as refused; the outbox
            // reconciles an uncertain add with leads/list instead (outbound-channel.ts `lookup`).
            idempotent: false,
          },
          BulkAddResponseSchema,
        );
        result.totalSent += answer.total_sent || batch.length;
        result.uploaded += answer.leads_uploaded;
        result.inBlocklist += answer.in_blocklist;
        result.duplicatedLeads += answer.duplicated_leads;
        result.skippedCount += answer.skipped_count;
        result.invalidEmailCount += answer.invalid_email_count;
        result.incompleteCount += answer.incomplete_count;
        result.duplicateEmailCount += answer.duplicate_email_count;
        result.remainingInPlan = answer.remaining_in_plan ?? result.remainingInPlan;
        if (!answer.created_leads) {
          result.notUploaded = null;
          continue;
        }
        const createdHere = new Set(answer.created_leads.map((c) => c.index));
        result.created.push(...answer.created_leads.map((c) => ({ id: c.id, email: c.email, index: offset + c.index })));
        if (result.notUploaded) result.notUploaded.push(...batch.flatMap((lead, i) => (createdHere.has(i) ? [] : [{ email: lead.email, index: offset + i }])));
      }
      return result;
    },
    listLeads: async (filter) =>
      page(
        await http.required(
          'leads/list',
          // A POST with the filter and cursor in the body; the campaign key is `campaign` here. Repeatable: a read.
          {
            method: 'POST',
            path: 'leads/list',
            body: { campaign: filter.campaign, list_id: filter.listId, search: filter.search, contacts: filter.contacts, ids: filter.ids, limit: filter.limit ?? PAGE_LIMIT, starting_after: filter.startingAfter },
            idempotent: true,
          },
          LeadPageSchema,
        ),
      ),
    deleteLead: async (leadId) => {
      // Repeatable (DELETE); a repeat after a lost answer may find the lead gone (404 → NOT_FOUND).
      await http.required('leads/:id', { method: 'DELETE', path: `leads/${id(leadId)}` }, DeletedSchema);
    },
    // Repeatable on purpose: it only blocks sending (our suppression list's second line of defence); the
    // worst a repeat does is a second entry for the same value, and giving up on one 502 leaves an address open.
    addToBlockList: (value) => http.required('block-lists-entries', { method: 'POST', path: 'block-lists-entries', body: { bl_value: value }, idempotent: true }, BlockListEntrySchema),
    listAccounts: ({ status } = {}) => collect(async (startingAfter) => page(await http.required('accounts', { method: 'GET', path: 'accounts', query: { limit: PAGE_LIMIT, starting_after: startingAfter, status } }, AccountPageSchema))),

    campaignAnalytics: async (ids) => {
      if (ids.length === 0) return [];
      // One campaign: `id=`; several: repeated `ids=`, which the caller's flat query cannot express.
      const query = ids.length === 1 ? new URLSearchParams({ id: ids[0]! }) : new URLSearchParams(ids.map((v): [string, string] => ['ids', v]));
      query.set('exclude_total_leads_count', 'false');
      return http.required('campaigns/analytics', { method: 'GET', path: `campaigns/analytics?${query.toString()}` }, CampaignAnalyticsListSchema);
    },
    createWebhook: async (input) => {
      const parsed = CreateWebhookInputSchema.safeParse(input);
      if (!parsed.success) throw invalid('createWebhook', parsed.error);
      const { targetUrl, eventType, campaignId, name, headers } = parsed.data;
      // NOT repeatable: a second POST registers a second webhook, and every event is then delivered twice.
      return http.required('webhooks', { method: 'POST', path: 'webhooks', body: { target_hook_url: targetUrl, event_type: eventType, campaign: campaignId ?? null, name, headers }, idempotent: false }, WebhookSchema);
    },
    listWebhooks: () => collect(async (startingAfter) => page(await http.required('webhooks', { method: 'GET', path: 'webhooks', query: { limit: PAGE_LIMIT, starting_after: startingAfter } }, WebhookPageSchema))),
    // Repeatable: it sets a value, so a second call leaves the same status. `disable_auto_interest` keeps
    // Instantly's AI from re-labelling the lead over ours (contract «Set it»).
    updateInterestStatus: ({ leadEmail, interestValue, campaignId }) =>
      http.required(
        'leads/update-interest-status',
        { method: 'POST', path: 'leads/update-interest-status', body: { lead_email: leadEmail, interest_value: interestValue, ...(campaignId ? { campaign_id: campaignId } : {}), disable_auto_interest: true }, idempotent: true },
        InterestStatusAnswerSchema,
      ),
    // NOT repeatable: Instantly has no idempotency key for a reply (contract «Reply»).
    replyToEmail: ({ replyToUuid, eaccount, subject, text, html }) =>
      http.required('emails/reply', { method: 'POST', path: 'emails/reply', body: { reply_to_uuid: replyToUuid, eaccount, subject, body: { text, ...(html ? { html } : {}) } }, idempotent: false }, ThreadEmailSchema),
    sentInThread: async (threadId) => (await http.required('emails', { method: 'GET', path: 'emails', query: { search: `thread:${threadId}`, email_type: 'sent' } }, ThreadEmailPageSchema)).items,
  };
};
