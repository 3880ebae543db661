import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../loopback.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';
import { createHeyReachInbox, type HeyReachInboxSnapshot } from './inbox.js';
import { saveBeforeAnswer, type SandboxStateFile } from '../state-file.js';

export type { FailureInjection } from '../failure-injection.js';

export type SandboxCampaign = { id: number; name: string; status: string; campaignAccountIds?: number[]; linkedInUserListId?: number | null };
export type SandboxLead = Record<string, unknown> & { profileUrl: string; firstName: string; lastName: string };
export type SandboxWebhook = { id: number; webhookName: string; webhookUrl: string; eventType: string; campaignIds: number[]; isActive: boolean };

export type HeyReachSandboxOptions = {
  apiKey?: string;
  /** Seeded campaigns; by default the two of the contract fixtures (one PAUSED, one DRAFT) and one running. */
  campaigns?: SandboxCampaign[];
  failures?: FailureInjection;
  /** @defaultValue 300 (contracts/heyreach.md "Rate limit"); lower it to test the 429. */
  rateLimitPerMinute?: number;
  /** The shape of delivered webhook events; neither is confirmed (contracts/heyreach.md "Webhooks"). @defaultValue 'snake_case' */
  webhookShape?: 'snake_case' | 'camelCase';
  port?: number;
  /** Keep campaigns, lists and their leads in this file across processes (docs/sandboxes.md). @defaultValue memory only */
  state?: SandboxStateFile;
};

/** What the state file holds: provider data only, never the API key or webhooks (their URLs may carry our token). */
type HeyReachState = {
  campaigns: SandboxCampaign[];
  lists: { id: number; name: string; type: string; leads: [string, SandboxLead][] }[];
  campaignLeads: [number, [string, SandboxLead][]][];
  nextListId: number;
  /** The conversations (a reply received by one process is answered by the next). */
  inbox?: HeyReachInboxSnapshot;
};

/** An event for `deliverEvent`: what happened, to whom, in which campaign. */
export type SandboxEvent = { eventType: string; campaignId: number; lead: SandboxLead; messageText?: string; messageId?: string; timestamp?: string };

const PREFIX = '/api/public';
const DEFAULT_CAMPAIGNS: SandboxCampaign[] = [
  { id: 334314, name: 'Tier 1 connect and message', status: 'PAUSED', campaignAccountIds: [55101], linkedInUserListId: 4401 },
  { id: 334364, name: 'Tier 2 connect only', status: 'DRAFT', campaignAccountIds: [55101], linkedInUserListId: null },
  { id: 334400, name: 'Tier 3 warm follow-up', status: 'IN_PROGRESS', campaignAccountIds: [55101], linkedInUserListId: null },
];
const LEAD_KEYS = new Set(['profileUrl', 'firstName', 'lastName', 'companyName', 'position', 'location', 'summary', 'about', 'emailAddress', 'customUserFields']);
const PROFILE_URL = /^https?:\/\/([a-z]{2,3}\.)?linkedin\.com\/in\/[^/?#\s]+\/?$/i;
const EVENT_TYPES = new Set([
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
]);
const RESUMABLE = new Set(['PAUSED', 'FINISHED', 'FAILED']);
const PAUSABLE = new Set(['STARTING', 'IN_PROGRESS', 'PAUSED']);

/** Success answers carry NO Content-Type, as HeyReach's often do (contracts/heyreach.md quirk 3); an undefined body is an empty 200. */
const ok = (res: ServerResponse, body?: unknown) => {
  res.writeHead(200);
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const fail = (res: ServerResponse, status: number, errorMessage: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ errorMessage }));
};

/**
 * HeyReach drops a lead silently (no error, it is just not counted) when `profileUrl`, `firstName`
 * or `lastName` is missing or when it carries an unknown key such as `linkedInUrl` (quirk 2). The
 * sandbox also drops profile URLs that are not `linkedin.com/in/…` profiles.
 */
const acceptedLead = (lead: unknown): SandboxLead | null => {
  if (!lead || typeof lead !== 'object' || Array.isArray(lead)) return null;
  const l = lead as Record<string, unknown>;
  if (Object.keys(l).some((k) => !LEAD_KEYS.has(k))) return null;
  const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (!filled(l.firstName) || !filled(l.lastName) || !filled(l.profileUrl) || !PROFILE_URL.test(String(l.profileUrl))) return null;
  return structuredClone(l) as SandboxLead;
};
const leadKey = (profileUrl: string) =>
  profileUrl
    .toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, '')
    .replace(/\/+$/, '');

/** Adds or updates (same profile URL) each accepted lead; returns the contract's three counts. */
const upsertLeads = (store: Map<string, SandboxLead>, leads: unknown[]) => {
  let added = 0;
  let updated = 0;
  for (const raw of leads) {
    const lead = acceptedLead(raw);
    if (!lead) continue;
    const key = leadKey(lead.profileUrl);
    if (store.has(key)) updated++;
    else added++;
    store.set(key, lead);
  }
  return { addedLeadsCount: added, updatedLeadsCount: updated, failedLeadsCount: 0 };
};

const snakeEvent = (event: SandboxEvent, campaign: SandboxCampaign, timestamp: string) => ({
  event_type: event.eventType,
  timestamp,
  ...(event.messageText !== undefined ? { message_text: event.messageText } : {}),
  lead: {
    profile_url: event.lead.profileUrl,
    first_name: event.lead.firstName,
    last_name: event.lead.lastName,
    full_name: `${event.lead.firstName} ${event.lead.lastName}`,
    company_name: event.lead.companyName ?? null,
    email_address: event.lead.emailAddress ?? null,
    position: event.lead.position ?? null,
    tags: [],
  },
  campaign: { id: campaign.id, name: campaign.name, status: campaign.status },
});
const camelEvent = (event: SandboxEvent, campaign: SandboxCampaign, timestamp: string) => ({
  eventType: event.eventType,
  timestamp,
  leadProfile: { firstName: event.lead.firstName, lastName: event.lead.lastName, emailAddress: event.lead.emailAddress ?? null, linkedInUrl: event.lead.profileUrl },
  campaign: { id: campaign.id, name: campaign.name },
  ...(event.messageText !== undefined ? { message: { id: event.messageId ?? null, text: event.messageText } } : {}),
});

/**
 * A loopback HeyReach public API (contracts/heyreach.md): X-API-KEY, offset pages, lists with
 * silent lead drops and read-back, campaigns with statuses, leads added to campaigns
 * (AddLeadsToCampaignV2; an unknown campaign id is a 404) and read back (GetCampaignsForLead) (Resume refuses DRAFT; adding leads
 * reactivates a paused or finished campaign unless both resume flags are false), webhooks created
 * by API and delivered unsigned in either payload shape, 429 above the per-minute limit, and
 * success answers without a Content-Type.
 */
export const startHeyReachSandbox = async (options: HeyReachSandboxOptions = {}) => {
  const apiKey = options.apiKey ?? 'sandbox-heyreach-key';
  const rateLimitPerMinute = options.rateLimitPerMinute ?? 300;
  let webhookShape = options.webhookShape ?? 'snake_case';
  const failures = createFailureSwitch(options.failures);
  const campaigns = new Map((options.campaigns ?? DEFAULT_CAMPAIGNS).map((c) => [c.id, structuredClone(c)]));
  const lists = new Map<number, { id: number; name: string; type: string; leads: Map<string, SandboxLead> }>();
  const campaignLeads = new Map<number, Map<string, SandboxLead>>();
  const webhooks = new Map<number, SandboxWebhook>();
  const ids = { list: 4401, webhook: 9901 };
  const saved = options.state?.load() as HeyReachState | null | undefined;
  if (saved) {
    campaigns.clear();
    for (const c of saved.campaigns ?? []) campaigns.set(c.id, c);
    for (const l of saved.lists ?? []) lists.set(l.id, { ...l, leads: new Map(l.leads) });
    for (const [id, entries] of saved.campaignLeads ?? []) campaignLeads.set(id, new Map(entries));
    ids.list = Math.max(ids.list, Number(saved.nextListId) || 0);
  }
  /** Written after every request that may change something (before its answer, so the caller's next process sees it). */
  const persist = () =>
    options.state?.save({
      campaigns: [...campaigns.values()],
      lists: [...lists.values()].map((l) => ({ id: l.id, name: l.name, type: l.type, leads: [...l.leads] })),
      campaignLeads: [...campaignLeads].map(([id, m]) => [id, [...m]]),
      nextListId: ids.list,
      inbox: inbox.snapshot(),
    } satisfies HeyReachState);
  const stats = { requests: 0, leadsAdded: 0, leadsUpdated: 0, leadsDropped: 0, deliveries: 0 };
  let window = { start: Date.now(), used: 0 };
  // Conversations and replies in them (inbox.ts).
  const inbox = createHeyReachInbox({ saved: saved?.inbox });

  const leadsOf = (campaignId: number) => campaignLeads.get(campaignId) ?? campaignLeads.set(campaignId, new Map()).get(campaignId)!;
  const count = (sent: number, counts: { addedLeadsCount: number; updatedLeadsCount: number }) => {
    stats.leadsAdded += counts.addedLeadsCount;
    stats.leadsUpdated += counts.updatedLeadsCount;
    stats.leadsDropped += sent - counts.addedLeadsCount - counts.updatedLeadsCount;
  };
  const page = <T>(items: T[], body: Record<string, unknown>) => {
    const offset = Math.max(0, Number(body.offset) || 0);
    const limit = Math.min(100, Math.max(1, Number(body.limit) || 100));
    return { totalCount: items.length, items: items.slice(offset, offset + limit) };
  };
  // A campaign resumed or started with no leads falls back to PAUSED about a second later (quirk 5);
  // the sandbox shows the settled state at once so tests stay deterministic.
  const run = (campaign: SandboxCampaign) => {
    campaign.status = leadsOf(campaign.id).size > 0 ? 'IN_PROGRESS' : 'PAUSED';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    if (req.headers['x-api-key'] !== apiKey) return fail(res, 401, 'Unauthorized');
    stats.requests++;
    if (Date.now() - window.start >= 60_000) window = { start: Date.now(), used: 0 };
    if (++window.used > rateLimitPerMinute) return fail(res, 429, 'Too many requests', { 'retry-after': String(Math.max(1, Math.ceil((window.start + 60_000 - Date.now()) / 1000))) });
    if (await failures.intercept(url.pathname, res)) return;

    let body: Record<string, unknown> = {};
    if (text.trim()) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return fail(res, 400, 'The request body is not valid JSON.');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return fail(res, 400, 'The request body must be a JSON object.');
    }
    const route = `${req.method} ${url.pathname.slice(PREFIX.length)}`;
    const campaignId = Number(url.searchParams.get('campaignId'));
    const campaign = campaigns.get(campaignId);

    const inInbox = inbox.route(route, body);
    if (inInbox) return 'error' in inInbox ? fail(res, inInbox.status, inInbox.error) : ok(res, inInbox.body);
    switch (route) {
      case 'GET /auth/CheckApiKey':
        return ok(res);
      case 'POST /campaign/GetAll': {
        const statuses = Array.isArray(body.statuses) ? (body.statuses as string[]) : null;
        const keyword = typeof body.keyword === 'string' ? body.keyword.toLowerCase() : '';
        const matching = [...campaigns.values()].filter((c) => (!statuses || statuses.includes(c.status)) && c.name.toLowerCase().includes(keyword));
        return ok(res, page(matching, body));
      }
      case 'GET /campaign/GetById':
        return campaign ? ok(res, campaign) : fail(res, 404, 'Campaign not found.');
      case 'POST /campaign/Resume':
        if (!campaign) return fail(res, 404, 'Campaign not found.');
        if (!RESUMABLE.has(campaign.status)) return fail(res, 400, 'The campaign you are trying to resume is not paused, finished or failed.');
        run(campaign);
        return ok(res);
      case 'POST /campaign/StartCampaign':
        if (!campaign) return fail(res, 404, 'Campaign not found.');
        if (campaign.status !== 'DRAFT') return fail(res, 400, 'Only a draft campaign can be started.');
        run(campaign);
        return ok(res);
      case 'POST /campaign/Pause':
        // Pausing a campaign that is not running is refused like Resume on DRAFT [inferred].
        if (!campaign) return fail(res, 404, 'Campaign not found.');
        if (!PAUSABLE.has(campaign.status)) return fail(res, 400, 'The campaign you are trying to pause is not in progress.');
        campaign.status = 'PAUSED';
        return ok(res);
      case 'POST /list/CreateEmptyList': {
        const type = body.type ?? body.listType ?? 'USER_LIST';
        if (typeof body.name !== 'string' || !body.name.trim()) return fail(res, 400, 'The list name is required.');
        if (type !== 'USER_LIST' && type !== 'COMPANY_LIST') return fail(res, 400, 'The list type must be USER_LIST or COMPANY_LIST.');
        const list = { id: ids.list++, name: body.name, type, leads: new Map<string, SandboxLead>() };
        lists.set(list.id, list);
        return ok(res, { id: list.id, name: list.name, type, totalItemsCount: 0 });
      }
      case 'POST /list/AddLeadsToListV2': {
        const list = lists.get(Number(body.listId));
        if (!list) return fail(res, 404, 'List not found.');
        if (!Array.isArray(body.leads) || body.leads.length > 100) return fail(res, 400, 'leads must be an array of at most 100 leads.');
        const counts = upsertLeads(list.leads, body.leads);
        count(body.leads.length, counts);
        return ok(res, counts);
      }
      case 'POST /list/GetLeadsFromList': {
        const list = lists.get(Number(body.listId));
        return list ? ok(res, page([...list.leads.values()], body)) : fail(res, 404, 'List not found.');
      }
      case 'POST /campaign/AddLeadsToCampaignV2': {
        const target = campaigns.get(Number(body.campaignId));
        if (!target) return fail(res, 404, 'Campaign not found.');
        if (!Array.isArray(body.accountLeadPairs) || body.accountLeadPairs.length > 100) return fail(res, 400, 'accountLeadPairs must be an array of at most 100 pairs.');
        const pairs = body.accountLeadPairs as { lead?: unknown }[];
        const counts = upsertLeads(
          leadsOf(target.id),
          pairs.map((p) => p?.lead),
        );
        count(pairs.length, counts);
        // Adding leads reactivates a paused or finished campaign unless its resume flag is false (quirk 1).
        if (counts.addedLeadsCount + counts.updatedLeadsCount > 0) {
          if (target.status === 'PAUSED' && body.resumePausedCampaign !== false) target.status = 'IN_PROGRESS';
          if (target.status === 'FINISHED' && body.resumeFinishedCampaign !== false) target.status = 'IN_PROGRESS';
        }
        return ok(res, counts);
      }
      case 'POST /campaign/GetCampaignsForLead': {
        // By profile URL (the contract also allows email / linkedinId; we only ask by URL).
        if (typeof body.profileUrl !== 'string' || !body.profileUrl.trim()) return fail(res, 400, 'profileUrl, email or linkedinId is required.');
        const key = leadKey(body.profileUrl);
        const mine = [...campaigns.values()].filter((c) => leadsOf(c.id).has(key));
        const lead = mine.length ? leadsOf(mine[0]!.id).get(key)! : null;
        const items = mine.map((c) => ({ campaignId: c.id, campaignName: c.name, campaignStatus: c.status, leadStatus: 'InSequence' }));
        return ok(res, { leadFullName: lead ? `${lead.firstName} ${lead.lastName}` : null, ...page(items, body) });
      }
      case 'POST /webhooks/CreateWebhook': {
        const { webhookName, webhookUrl, eventType, campaignIds = [] } = body as Partial<SandboxWebhook>;
        if (typeof webhookName !== 'string' || !webhookName.trim()) return fail(res, 400, 'webhookName is required.');
        if (typeof webhookUrl !== 'string' || !/^https?:\/\/\S+$/.test(webhookUrl)) return fail(res, 400, 'webhookUrl must be an http(s) URL.');
        if (typeof eventType !== 'string' || !EVENT_TYPES.has(eventType)) return fail(res, 400, 'eventType is not a known event type.');
        if (!Array.isArray(campaignIds) || campaignIds.some((id) => !Number.isInteger(id))) return fail(res, 400, 'campaignIds must be integers.');
        const webhook: SandboxWebhook = { id: ids.webhook++, webhookName, webhookUrl, eventType, campaignIds, isActive: true };
        webhooks.set(webhook.id, webhook);
        return ok(res, webhook);
      }
      case 'GET /webhooks/GetAllWebhooks':
        return ok(res, { totalCount: webhooks.size, items: [...webhooks.values()] });
      case 'DELETE /webhooks/DeleteWebhook':
        return webhooks.delete(Number(url.searchParams.get('webhookId'))) ? ok(res) : fail(res, 404, 'Webhook not found.');
      default:
        return fail(res, 404, 'Not found.');
    }
  };

  /**
   * POST an event to every active webhook subscribed to its type (and campaign), unsigned as
   * HeyReach's are, in the configured shape; returns the HTTP status of each delivery.
   */
  const deliverEvent = async (event: SandboxEvent): Promise<number[]> => {
    const campaign = campaigns.get(event.campaignId) ?? { id: event.campaignId, name: 'Unknown campaign', status: 'IN_PROGRESS' };
    const timestamp = event.timestamp ?? new Date().toISOString();
    const payload = webhookShape === 'camelCase' ? camelEvent(event, campaign, timestamp) : snakeEvent(event, campaign, timestamp);
    // A reply is a message of the prospect's conversation (what GetConversationsV2 then lists).
    if (event.messageText !== undefined && event.eventType.endsWith('REPLY_RECEIVED')) {
      inbox.receive({ profileUrl: event.lead.profileUrl, firstName: event.lead.firstName, lastName: event.lead.lastName, text: event.messageText, campaignId: event.campaignId, linkedInAccountId: campaign.campaignAccountIds?.[0] ?? 55101 });
      persist();
    }
    const targets = [...webhooks.values()].filter((w) => w.isActive && w.eventType === event.eventType && (w.campaignIds.length === 0 || w.campaignIds.includes(event.campaignId)));
    const statuses: number[] = [];
    for (const w of targets) {
      stats.deliveries++;
      const res = await fetch(w.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(5000) }).catch(() => null);
      await res?.body?.cancel().catch(() => undefined);
      statuses.push(res?.status ?? 0);
    }
    return statuses;
  };

  const server = createServer((req, res) => {
    // Saved as the answer is written (before it reaches the caller), for requests that may change something.
    if (options.state) saveBeforeAnswer(req, res, persist);
    handle(req, res).catch(() => fail(res, 500, 'sandbox error'));
  });
  const loopback = await listenOnLoopback(server, options.port);
  return {
    url: `http://127.0.0.1:${loopback.port}${PREFIX}`,
    apiKey,
    stats,
    setFailures: failures.set,
    setWebhookShape: (shape: 'snake_case' | 'camelCase') => {
      webhookShape = shape;
    },
    deliverEvent,
    campaigns: (): SandboxCampaign[] => structuredClone([...campaigns.values()]),
    lists: () => [...lists.values()].map((l) => ({ id: l.id, name: l.name, type: l.type, leadCount: l.leads.size })),
    /** A person deletes a list in HeyReach's web app (the public API has no delete). */
    deleteList: (id: number) => {
      const deleted = lists.delete(id);
      persist();
      return deleted;
    },
    leadsOfList: (id: number): SandboxLead[] => structuredClone([...(lists.get(id)?.leads.values() ?? [])]),
    leadsOfCampaign: (id: number): SandboxLead[] => structuredClone([...(campaignLeads.get(id)?.values() ?? [])]),
    webhooks: (): SandboxWebhook[] => structuredClone([...webhooks.values()]),
    /** The inbox: a prospect's message (opens the conversation), a new session (stale ids), what was sent. */
    receiveMessage: (message: Parameters<typeof inbox.receive>[0]) => {
      const conversation = inbox.receive(message);
      persist();
      return conversation;
    },
    rotateConversationIds: inbox.rotateIds,
    sentMessages: inbox.sentMessages,
    conversations: inbox.conversations,
    close: loopback.close,
  };
};

export type HeyReachSandbox = Awaited<ReturnType<typeof startHeyReachSandbox>>;
