import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import { createJsonCaller } from '../http/json-call.js';
import {
  AddLeadsCountsSchema,
  AnyBodySchema,
  CampaignPageSchema,
  CampaignSchema,
  CampaignsForLeadPageSchema,
  CreatedListSchema,
  LEAD_FIELDS,
  ListLeadPageSchema,
  WebhookSchema,
  type HeyReachCampaign,
  type HeyReachLead,
  type HeyReachList,
  type HeyReachListLead,
  type HeyReachWebhook,
  type WebhookEventType,
} from './schemas.js';

/**
 * What an add-leads call really did. HeyReach answers 200 with `0/0/0` for leads it silently
 * ignores (contracts/heyreach.md quirk 2), so `dropped` is what the counts do not account for and
 * `complete` is false whenever a lead was neither added nor updated; only a read-back
 * (getLeadsFromList) proves which leads are there.
 */
export type AddLeadsResult = { sent: number; added: number; updated: number; failed: number; dropped: number; complete: boolean };

export type HeyReachClient = {
  /** true for a valid key, false when HeyReach refuses it (401/403). */
  checkApiKey(): Promise<boolean>;
  /** Every campaign, all pages. */
  listCampaigns(filter?: { keyword?: string; statuses?: string[] }): Promise<HeyReachCampaign[]>;
  /** One campaign; null when HeyReach has none by that id (404). */
  getCampaign(campaignId: number): Promise<HeyReachCampaign | null>;
  /** The ids of the campaigns a lead (by profile URL) is in, all pages: the read-back of a campaign add. */
  campaignsForLead(profileUrl: string): Promise<number[]>;
  createList(name: string): Promise<HeyReachList>;
  addLeadsToList(listId: number, leads: HeyReachLead[]): Promise<AddLeadsResult>;
  /** Every lead of the list, all pages: the read-back that proves an add. */
  getLeadsFromList(listId: number): Promise<HeyReachListLead[]>;
  /** Attach leads to a campaign without ever reactivating it (both resume flags false, quirk 1). */
  addLeadsToCampaign(campaignId: number, leads: HeyReachLead[], options?: { linkedInAccountId?: number }): Promise<AddLeadsResult>;
  /** Only paused, finished or failed campaigns; a DRAFT one is refused (use startCampaign). */
  resumeCampaign(campaignId: number): Promise<void>;
  pauseCampaign(campaignId: number): Promise<void>;
  /** The undocumented DRAFT → IN_PROGRESS call (contracts/heyreach.md quirk 5). */
  startCampaign(campaignId: number): Promise<void>;
  createWebhook(webhook: { name: string; url: string; eventType: WebhookEventType; campaignIds?: number[] }): Promise<HeyReachWebhook>;
  /** The lead's conversation, fetched fresh (ids go stale between sessions): null when HeyReach has none. */
  conversationOf(profileUrl: string): Promise<HeyReachConversation | null>;
  /**
   * Answer in a conversation (contract «Reply»): with the sender that owns it. NOT repeatable: a
   * second call is a second LinkedIn message. A 404 (stale id) is `NOT_FOUND`, surely not sent.
   */
  sendMessage(input: { conversationId: string; linkedInAccountId: number; message: string }): Promise<void>;
};

/** A conversation, the fields a reply needs (contract «List conversations»). */
export type HeyReachConversation = { id: string; linkedInAccountId: number; lastMessageSender: string | null; lastMessageAt: string | null; messages: { body: string; sender: string; createdAt: string | null }[] };
const ConversationSchema = z
  .looseObject({
    id: z.string().min(1),
    linkedInAccountId: z.number().int(),
    lastMessageSender: z.string().nullish(),
    lastMessageAt: z.string().nullish(),
    messages: z.array(z.looseObject({ body: z.string().nullish(), sender: z.string().nullish(), createdAt: z.string().nullish() })).nullish(),
  })
  .transform((c): HeyReachConversation => ({
    id: c.id,
    linkedInAccountId: c.linkedInAccountId,
    lastMessageSender: c.lastMessageSender ?? null,
    lastMessageAt: c.lastMessageAt ?? null,
    messages: (c.messages ?? []).map((m) => ({ body: m.body ?? '', sender: m.sender ?? '', createdAt: m.createdAt ?? null })),
  }));
const ConversationPageSchema = z.looseObject({ totalCount: z.number().int().nonnegative(), items: z.array(ConversationSchema) });

const PROVIDER = 'heyreach';
/** Offset pages and add-leads batches are capped at 100 (contracts/heyreach.md). */
const PAGE_SIZE = 100;
const LEADS_PER_CALL = 100;
/** 300 requests a minute, all endpoints together (contracts/heyreach.md "Rate limit"). */
export const HEYREACH_RATE_LIMIT_PER_MINUTE = 300;

/** Only the documented lead fields are sent: an unknown key makes HeyReach drop the lead silently. */
const toWireLead = (lead: HeyReachLead): Record<string, unknown> => Object.fromEntries(LEAD_FIELDS.filter((f) => lead[f] !== undefined).map((f) => [f, lead[f]]));

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export const createHeyReachClient = ({ baseUrl, apiKey, policy }: { baseUrl: string; apiKey: string; policy?: HttpPolicy }): HeyReachClient => {
  const http = createJsonCaller({
    provider: PROVIDER,
    baseUrl,
    policy: policy ?? createHttpPolicy({ provider: PROVIDER, retries: 0, rateLimitPerMinute: HEYREACH_RATE_LIMIT_PER_MINUTE, secrets: [apiKey] }),
    headers: () => ({ 'X-API-KEY': apiKey }),
    secrets: [apiKey],
  });

  /** Walks `{ offset, limit }` pages until `totalCount` is reached (or a page comes back empty). */
  const allPages = async <T>(fetchPage: (offset: number) => Promise<{ totalCount: number; items: T[] }>): Promise<T[]> => {
    const all: T[] = [];
    for (;;) {
      const page = await fetchPage(all.length);
      all.push(...page.items);
      if (page.items.length === 0 || all.length >= page.totalCount) return all;
    }
  };

  const addLeads = async (endpoint: string, sent: number, bodies: unknown[], idempotent: boolean): Promise<AddLeadsResult> => {
    const total = { added: 0, updated: 0, failed: 0 };
    for (const body of bodies) {
      const counts = await http.required(endpoint, { method: 'POST', path: endpoint, body, idempotent }, AddLeadsCountsSchema);
      total.added += counts.addedLeadsCount;
      total.updated += counts.updatedLeadsCount;
      total.failed += counts.failedLeadsCount;
    }
    const dropped = Math.max(0, sent - total.added - total.updated - total.failed);
    return { sent, ...total, dropped, complete: total.added + total.updated >= sent };
  };

  /** Pause/Resume/Start answer 400 with an `errorMessage` when the status does not allow it: say which rule. */
  const campaignAction = async (action: 'Resume' | 'Pause' | 'StartCampaign', campaignId: number, refusal: string) => {
    const endpoint = `campaign/${action}`;
    try {
      // Pause is repeatable: it only stops sending. Resume and StartCampaign are NOT: they start sending,
      // and a repeat of one that went through is refused (400) and would be reported as a refusal.
      await http.call(endpoint, { method: 'POST', path: endpoint, query: { campaignId }, idempotent: action === 'Pause' }, AnyBodySchema);
    } catch (error) {
      if (error instanceof AppError && error.code === 'PROVIDER_BAD_REQUEST') {
        throw new AppError('PROVIDER_BAD_REQUEST', `${PROVIDER} ${endpoint}: campaign ${campaignId} ${refusal}`, {
          cause: error,
          details: { ...error.details, campaignId, reason: 'campaign_status_refused' },
        });
      }
      throw error;
    }
  };

  return {
    checkApiKey: async () => (await http.call('auth/CheckApiKey', { method: 'GET', path: 'auth/CheckApiKey' }, AnyBodySchema, { nullOn: [401, 403] })) !== null,

    // Repeatable: a read despite the POST (contracts/heyreach.md "Pagination": list endpoints are POSTs).
    listCampaigns: (filter = {}) => allPages((offset) => http.required('campaign/GetAll', { method: 'POST', path: 'campaign/GetAll', body: { offset, limit: PAGE_SIZE, ...filter }, idempotent: true }, CampaignPageSchema)),

    // Repeatable: reads.
    getCampaign: (campaignId) => http.call('campaign/GetById', { method: 'GET', path: 'campaign/GetById', query: { campaignId } }, CampaignSchema, { nullOn: [404] }),
    campaignsForLead: async (profileUrl) =>
      (await allPages((offset) => http.required('campaign/GetCampaignsForLead', { method: 'POST', path: 'campaign/GetCampaignsForLead', body: { profileUrl, offset, limit: PAGE_SIZE }, idempotent: true }, CampaignsForLeadPageSchema))).map(
        (c) => c.campaignId,
      ),

    // NOT repeatable: every POST creates another empty list.
    createList: (name) => http.required('list/CreateEmptyList', { method: 'POST', path: 'list/CreateEmptyList', body: { name, type: 'USER_LIST' }, idempotent: false }, CreatedListSchema),

    // Repeatable: keyed by profileUrl, "re-posting the same profileUrl updates the lead" (contracts/heyreach.md
    // `Lead`): a repeat counts it as updated, not added twice. A list sends nothing by itself.
    addLeadsToList: (listId, leads) =>
      addLeads(
        'list/AddLeadsToListV2',
        leads.length,
        chunks(leads, LEADS_PER_CALL).map((batch) => ({ listId, leads: batch.map(toWireLead) })),
        true,
      ),

    // Repeatable: a read (the add's read-back).
    getLeadsFromList: (listId) => allPages((offset) => http.required('list/GetLeadsFromList', { method: 'POST', path: 'list/GetLeadsFromList', body: { listId, offset, limit: PAGE_SIZE }, idempotent: true }, ListLeadPageSchema)),

    // NOT repeatable: a running campaign starts on the lead at once; the contract documents the
    // profileUrl key for lists only, so a repeat here is not known to be harmless.
    addLeadsToCampaign: (campaignId, leads, options = {}) =>
      addLeads(
        'campaign/AddLeadsToCampaignV2',
        leads.length,
        chunks(leads, LEADS_PER_CALL).map((batch) => ({
          campaignId,
          // Adding to a paused or finished campaign reactivates it unless both flags are false (quirk 1).
          resumePausedCampaign: false,
          resumeFinishedCampaign: false,
          accountLeadPairs: batch.map((lead) => ({ ...(options.linkedInAccountId !== undefined ? { linkedInAccountId: options.linkedInAccountId } : {}), lead: toWireLead(lead) })),
        })),
        false,
      ),

    resumeCampaign: (campaignId) => campaignAction('Resume', campaignId, 'cannot be resumed: HeyReach resumes only paused, finished or failed campaigns (a DRAFT campaign must be started with startCampaign)'),
    pauseCampaign: (campaignId) => campaignAction('Pause', campaignId, 'cannot be paused: it is not running (a DRAFT campaign has nothing to pause)'),
    startCampaign: (campaignId) => campaignAction('StartCampaign', campaignId, 'cannot be started: only a DRAFT campaign can be started (resume a paused one)'),

    // NOT repeatable: a second webhook fans every event out twice (contracts/heyreach.md "Webhooks").
    createWebhook: ({ name, url, eventType, campaignIds }) =>
      http.required('webhooks/CreateWebhook', { method: 'POST', path: 'webhooks/CreateWebhook', body: { webhookName: name, webhookUrl: url, eventType, ...(campaignIds ? { campaignIds } : {}) }, idempotent: false }, WebhookSchema),

    // A read (POST with filters): repeatable.
    conversationOf: async (profileUrl) => {
      const page = await http.required('inbox/GetConversationsV2', { method: 'POST', path: 'inbox/GetConversationsV2', body: { offset: 0, limit: 10, filters: { leadProfileUrl: profileUrl } }, idempotent: true }, ConversationPageSchema);
      return page.items[0] ?? null;
    },
    // NOT repeatable: "re-firing creates a duplicate message on LinkedIn" (contract «Reply»); 200 with an empty body = queued.
    sendMessage: async ({ conversationId, linkedInAccountId, message }) => {
      await http.required('inbox/SendMessage', { method: 'POST', path: 'inbox/SendMessage', body: { message, conversationId, linkedInAccountId, subject: '' }, idempotent: false }, AnyBodySchema);
    },
  };
};
