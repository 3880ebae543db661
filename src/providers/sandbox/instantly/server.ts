import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { INSTANTLY_TIMEZONES, WEBHOOK_EVENT_TYPES } from '../../instantly/schemas.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';
import { listenOnLoopback, readBody } from '../loopback.js';
import type { SandboxStateFile } from '../state-file.js';
import { createInstantlyReplies, type InstantlySandboxEmail } from './replies.js';

export type { FailureInjection } from '../failure-injection.js';

/** A seeded sending account; unset fields take healthy defaults (status 1, warm-up active). */
export type InstantlySandboxAccount = { email: string; status?: number; warmup_status?: number; setup_pending?: boolean; daily_limit?: number; stat_warmup_score?: number; first_name?: string; last_name?: string };

export type InstantlySandboxOptions = {
  apiKey?: string;
  /** V2 key scopes, e.g. `campaigns:read`, `leads:all`. @defaultValue ['all:all'] */
  scopes?: readonly string[];
  accounts?: InstantlySandboxAccount[];
  failures?: FailureInjection;
  port?: number;
  /** Workspace-wide ceilings (contract "Rate limits"), scaled down for tests. @defaultValue 6000 */
  rateLimitPerMinute?: number;
  /** @defaultValue 100 */
  rateLimitPerSecond?: number;
  /** Consecutive failed deliveries after which a webhook is disabled (status -1). @defaultValue 3 */
  webhookFailuresBeforeDisable?: number;
  /** Leads the plan holds; reported as `remaining_in_plan`. @defaultValue 10000 */
  leadPlanLimit?: number;
  now?: () => Date;
  /** Keep campaigns, leads, sends, the block list and accounts in this file across processes (docs/sandboxes.md). @defaultValue memory only */
  state?: SandboxStateFile;
};

/** What the state file holds: provider data only, never the API key or webhooks (their headers may carry our token). */
type InstantlyState = { campaigns: Stored[]; leads: Stored[]; sends: [string, number][]; blockList: Stored[]; accounts: Json[]; counters: [string, number][]; emails?: InstantlySandboxEmail[] };

/** Engagement a test can record on a lead; it updates the lead, the analytics and fires webhooks. */
export type SandboxEngagement = 'sent' | 'opened' | 'clicked' | 'replied' | 'bounced' | 'unsubscribed';

type Json = Record<string, unknown>;
type Stored = Json & { id: string };
type Ctx = { url: URL; body: Json | undefined; params: string[] };
type Answer = { status: number; body: unknown };

const PREFIX = '/api/v2';
const ORGANIZATION = '019a0000-0000-7000-8000-00000000a001';
const WORKSPACE = '019a0000-0000-7000-8000-00000000b001';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

const fastifyError = (status: number, message: string): Answer => {
  const error = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }[status] ?? 'Error';
  return { status, body: { statusCode: status, error, message } };
};

/** A zod issue in the words of Fastify's ajv validator (the fixture's `body/... must be equal to one of the allowed values`). */
const ajvMessage = (issue: z.core.$ZodIssue, root: string): string => {
  const path = [root, ...issue.path.map(String)].join('/');
  switch (issue.code) {
    case 'invalid_value':
      return `${path} must be equal to one of the allowed values`;
    case 'unrecognized_keys':
      return `${path} must NOT have additional properties`;
    case 'invalid_type':
      if (!('input' in issue) || issue.input === undefined) return `${[root, ...issue.path.slice(0, -1).map(String)].join('/')} must have required property '${String(issue.path.at(-1))}'`;
      return `${path} must be ${issue.expected}`;
    case 'invalid_format':
      return `${path} must match pattern "${(issue as { pattern?: string }).pattern ?? issue.format}"`;
    case 'too_small':
      return `${path} must NOT have fewer than ${String(issue.minimum)} ${issue.origin === 'array' ? 'items' : issue.origin === 'string' ? 'characters' : ''}`.trim();
    case 'too_big':
      return `${path} must NOT have more than ${String(issue.maximum)} ${issue.origin === 'array' ? 'items' : issue.origin === 'string' ? 'characters' : ''}`.trim();
    default:
      return `${path} ${issue.message}`;
  }
};

const validate = <S extends z.ZodType>(schema: S, value: unknown, root = 'body'): { data: z.output<S> } | { error: Answer } => {
  const parsed = schema.safeParse(value, { reportInput: true });
  return parsed.success ? { data: parsed.data } : { error: fastifyError(400, ajvMessage(parsed.error.issues[0]!, root)) };
};

// ---- request schemas, written from the contract (independently of the client's own checks)
const flag = z.boolean().optional();
const ScheduleBody = z.strictObject({
  name: z.string(),
  timing: z.strictObject({ from: z.string().regex(HH_MM), to: z.string().regex(HH_MM) }),
  // Digit-string keys only: `monday` is an additional property (contract "Days quirk").
  days: z.strictObject({ '0': flag, '1': flag, '2': flag, '3': flag, '4': flag, '5': flag, '6': flag }).refine((d) => Object.keys(d).length > 0, 'must NOT have fewer than 1 properties'),
  timezone: z.enum(INSTANTLY_TIMEZONES),
});
const Variant = z.looseObject({ subject: z.string(), body: z.string() });
const CampaignBody = z.strictObject({
  name: z.string().min(1),
  campaign_schedule: z.strictObject({ schedules: z.array(ScheduleBody).min(1), start_date: z.string().nullish(), end_date: z.string().nullish() }),
  sequences: z.array(z.looseObject({ steps: z.array(z.looseObject({ type: z.literal('email'), delay: z.number(), variants: z.array(Variant).min(1) })) })).optional(),
  email_list: z.array(z.string()).optional(),
  daily_limit: z.number().int().nullish(),
  email_gap: z.number().int().nullish(),
  random_wait_max: z.number().int().nullish(),
  daily_max_leads: z.number().int().nullish(),
  pl_value: z.number().nullish(),
  email_tag_list: z.array(z.string()).optional(),
  ...Object.fromEntries(
    [
      'stop_on_reply',
      'stop_on_auto_reply',
      'stop_for_company',
      'link_tracking',
      'open_tracking',
      'text_only',
      'first_email_text_only',
      'insert_unsubscribe_header',
      'is_evergreen',
      'prioritize_new_leads',
      'match_lead_esp',
      'allow_risky_contacts',
      'disable_bounce_protect',
    ].map((k) => [k, z.boolean().nullish()]),
  ),
});
const customVariables = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const LeadFields = {
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company_name: z.string().nullish(),
  website: z.string().nullish(),
  phone: z.string().nullish(),
  personalization: z.string().nullish(),
  custom_variables: customVariables.optional(),
};
const skipFlags = { skip_if_in_workspace: flag, skip_if_in_campaign: flag, skip_if_in_list: flag, verify_leads_on_import: flag };
const BulkBody = z.strictObject({ campaign_id: z.string().optional(), list_id: z.string().optional(), leads: z.array(z.looseObject(LeadFields)).min(1).max(1000), blocklist_id: z.string().optional(), ...skipFlags });
const LeadBody = z.strictObject({ campaign: z.string().optional(), list_id: z.string().optional(), ...LeadFields, ...skipFlags });
const LeadListBody = z.looseObject({
  campaign: z.string().optional(),
  list_id: z.string().optional(),
  search: z.string().optional(),
  contacts: z.array(z.string()).optional(),
  ids: z.array(z.string()).optional(),
  limit: z.number().int().min(1).max(100).optional(),
  starting_after: z.string().optional(),
});
const WebhookBody = z.strictObject({
  target_hook_url: z.string().regex(/^https?:\/\//),
  event_type: z.enum(WEBHOOK_EVENT_TYPES).nullable(),
  campaign: z.string().nullish(),
  name: z.string().nullish(),
  headers: z.record(z.string(), z.string()).nullish(),
  custom_interest_value: z.number().nullish(),
});
const BlockListBody = z.strictObject({ bl_value: z.string().min(1) });
const InterestBody = z.looseObject({
  lead_email: z.string().min(1),
  interest_value: z.number().nullable(),
  campaign_id: z.string().nullish(),
  list_id: z.string().nullish(),
  ai_interest_value: z.number().nullish(),
  disable_auto_interest: z.boolean().nullish(),
});
const LimitQuery = z.coerce.number().int().min(1).max(100);

/** Engagement → [subscription event_type, payload event_type] (note email_link_clicked vs link_clicked). */
const EVENT_NAMES: Record<SandboxEngagement, [string, string]> = {
  sent: ['email_sent', 'email_sent'],
  opened: ['email_opened', 'email_opened'],
  clicked: ['email_link_clicked', 'link_clicked'],
  replied: ['reply_received', 'reply_received'],
  bounced: ['email_bounced', 'email_bounced'],
  unsubscribed: ['lead_unsubscribed', 'lead_unsubscribed'],
};

/**
 * A loopback Instantly API V2 (contracts/instantly.md "Sandbox must"): Bearer auth and scopes with
 * Fastify error bodies; the closed campaign schema with the timezone enum and digit-string days;
 * campaigns born Draft (0); per-campaign leads deduplicated by e-mail with the bulk accounting;
 * `payload` for custom variables; cursor pagination on every list; empty JSON bodies refused;
 * analytics computed from the recorded engagement; flat webhook deliveries with the registered
 * custom headers, disabling a webhook after repeated failures; 429 at the workspace ceilings.
 */
export const startInstantlySandbox = async (options: InstantlySandboxOptions = {}) => {
  const apiKey = options.apiKey ?? 'sandbox-instantly-key';
  const scopes = new Set(options.scopes ?? ['all:all']);
  const now = options.now ?? (() => new Date());
  const perMinute = options.rateLimitPerMinute ?? 6000;
  const perSecond = options.rateLimitPerSecond ?? 100;
  const disableAfter = options.webhookFailuresBeforeDisable ?? 3;
  const planLimit = options.leadPlanLimit ?? 10_000;
  const failures = createFailureSwitch(options.failures);
  const stats = { requests: 0, rateLimited: 0, bulkAddCalls: 0, webhookDeliveries: 0, webhookFailures: 0 };

  const campaigns = new Map<string, Stored>();
  const leads = new Map<string, Stored>();
  const sends = new Map<string, number>();
  const webhooks = new Map<string, Stored>();
  const webhookFailureCount = new Map<string, number>();
  const blockList: Stored[] = [];
  const accounts: Json[] = (options.accounts ?? [{ email: 'alex@outreach-one.example.com' }, { email: 'alex@outreach-two.example.com' }]).map((a) => ({
    first_name: 'Alex',
    last_name: 'Sender',
    organization: ORGANIZATION,
    status: 1,
    warmup_status: 1,
    setup_pending: false,
    daily_limit: 30,
    sending_gap: 10,
    stat_warmup_score: 100,
    tracking_domain_name: null,
    timestamp_created: now().toISOString(),
    timestamp_last_used: null,
    ...a,
  }));

  // Ids are UUID-shaped and grow with a counter, so "ordered by id" is insertion order and runs repeat.
  const counters = new Map<string, number>();
  const nextId = (kind: string) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `019a${kind}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
  };
  const stamp = () => now().toISOString();
  const saved = options.state?.load() as InstantlyState | null | undefined;
  if (saved) {
    for (const c of saved.campaigns ?? []) campaigns.set(c.id, c);
    for (const l of saved.leads ?? []) leads.set(l.id, l);
    for (const [id, n] of saved.sends ?? []) sends.set(id, n);
    blockList.push(...(saved.blockList ?? []));
    if (saved.accounts?.length) {
      // The accounts as they were left, plus any the caller names that they lack (a sending account added to the config since).
      const kept = new Set(saved.accounts.map((a) => String(a.email).toLowerCase()));
      const added = options.accounts ? accounts.filter((a) => !kept.has(String(a.email).toLowerCase())) : [];
      accounts.splice(0, accounts.length, ...saved.accounts, ...added);
    }
    for (const [kind, n] of saved.counters ?? []) counters.set(kind, n);
  }
  // Unibox replies in a thread (replies.ts): their routes join the table below. The thread's e-mails
  // are kept with the rest, so an answer sent by another process finds the reply it answers.
  const unibox = createInstantlyReplies({ nextId, stamp, accountEmails: () => accounts.map((a) => String(a.email).toLowerCase()), saved: saved?.emails ?? [] });
  /** Written after every request that may change something (before its answer, so the caller's next process sees it). */
  const persist = () => options.state?.save({ campaigns: [...campaigns.values()], leads: [...leads.values()], sends: [...sends], blockList, accounts, counters: [...counters], emails: unibox.all() } satisfies InstantlyState);

  let second = { start: 0, used: 0 };
  let minute = { start: 0, used: 0 };
  const overLimit = () => {
    const t = Date.now();
    if (t - second.start >= 1000) second = { start: t, used: 0 };
    if (t - minute.start >= 60_000) minute = { start: t, used: 0 };
    second.used++;
    minute.used++;
    return second.used > perSecond || minute.used > perMinute;
  };

  /** Cursor pagination: `starting_after` is the key of the last item seen; `next_starting_after` only while more remain. */
  const paginate = <T>(all: T[], keyOf: (t: T) => string, limit: number, startingAfter: string | undefined) => {
    const from = startingAfter ? all.findIndex((t) => keyOf(t) === startingAfter) + 1 : 0;
    const items = from === 0 && startingAfter ? [] : all.slice(from, from + limit);
    const more = from + limit < all.length && items.length > 0;
    return { items, ...(more ? { next_starting_after: keyOf(items[items.length - 1]!) } : {}) };
  };
  const queryPage = (url: URL): { limit: number; startingAfter: string | undefined } | { error: Answer } => {
    const raw = url.searchParams.get('limit');
    const limit = raw === null ? { data: 100 } : validate(LimitQuery, raw, 'querystring/limit');
    return 'error' in limit ? limit : { limit: limit.data, startingAfter: url.searchParams.get('starting_after') || undefined };
  };

  const interestUpdates: { leadEmail: string; interestValue: number | null; campaignId: string | null }[] = [];
  const leadsIn = (campaignId: string) => [...leads.values()].filter((l) => l.campaign === campaignId);
  const isBlocked = (email: string) => blockList.some((b) => b.bl_value === email || (!String(b.bl_value).includes('@') && email.endsWith(`@${String(b.bl_value)}`)));

  const newLead = (fields: Json, campaignId: string | null, listId: string | null): Stored => {
    const email = String(fields.email).trim().toLowerCase();
    const { custom_variables, ...rest } = fields;
    const lead: Stored = {
      id: nextId('2b40'),
      timestamp_created: stamp(),
      timestamp_updated: stamp(),
      organization: ORGANIZATION,
      status: 1,
      email_open_count: 0,
      email_reply_count: 0,
      email_click_count: 0,
      company_domain: email.split('@')[1] ?? null,
      campaign: campaignId,
      list_id: listId,
      ...rest,
      email,
      // Custom variables are stored and returned under `payload` (contract "Add one").
      payload: { ...(custom_variables ?? {}) },
      lt_interest_status: null,
      timestamp_last_contact: null,
      timestamp_last_reply: null,
    };
    leads.set(lead.id, lead);
    return lead;
  };

  const bulkAdd = (body: z.output<typeof BulkBody>): Answer => {
    if (!body.campaign_id === !body.list_id) return fastifyError(400, 'body must have exactly one of campaign_id or list_id');
    if (body.campaign_id && !campaigns.has(body.campaign_id)) return fastifyError(404, 'Campaign not found');
    stats.bulkAddCalls++;
    const owner = (l: Json) => (body.campaign_id ? l.campaign === body.campaign_id : l.list_id === body.list_id);
    const counts = { in_blocklist: 0, duplicated_leads: 0, skipped_count: 0, invalid_email_count: 0, incomplete_count: 0, duplicate_email_count: 0 };
    const created: { id: string; email: string; index: number }[] = [];
    const seen = new Set<string>();
    body.leads.forEach((fields, index) => {
      const email = (fields.email ?? '').trim().toLowerCase();
      if (!email) return void counts.incomplete_count++;
      if (!EMAIL.test(email)) return void counts.invalid_email_count++;
      if (seen.has(email)) return void counts.duplicate_email_count++;
      seen.add(email);
      if (isBlocked(email)) return void counts.in_blocklist++;
      const existing = [...leads.values()].filter((l) => l.email === email);
      // One lead per e-mail within a campaign, whatever the flags say.
      if (existing.some(owner)) return void counts.duplicated_leads++;
      if (body.skip_if_in_workspace && existing.length > 0) return void counts.skipped_count++;
      if (leads.size >= planLimit) return void counts.skipped_count++;
      const lead = newLead(fields, body.campaign_id ?? null, body.list_id ?? null);
      created.push({ id: lead.id, email, index });
    });
    return {
      status: 200,
      body: {
        status: 'success',
        total_sent: body.leads.length,
        leads_uploaded: created.length,
        ...counts,
        blocklist_used: blockList.length ? 'workspace' : null,
        remaining_in_plan: Math.max(0, planLimit - leads.size),
        created_leads: created,
      },
    };
  };

  const analyticsOf = (campaign: Stored) => {
    const own = leadsIn(campaign.id);
    const sum = (key: string) => own.reduce((n, l) => n + Number(l[key] ?? 0), 0);
    return {
      campaign_name: campaign.name,
      campaign_id: campaign.id,
      campaign_status: campaign.status,
      campaign_is_evergreen: false,
      leads_count: own.length,
      contacted_count: own.filter((l) => (sends.get(l.id) ?? 0) > 0).length,
      emails_sent_count: own.reduce((n, l) => n + (sends.get(l.id) ?? 0), 0),
      new_leads_contacted_count: own.filter((l) => (sends.get(l.id) ?? 0) > 0).length,
      open_count: sum('email_open_count'),
      reply_count: sum('email_reply_count'),
      link_click_count: sum('email_click_count'),
      bounced_count: own.filter((l) => l.status === -1).length,
      unsubscribed_count: own.filter((l) => l.status === -2).length,
      completed_count: own.filter((l) => l.status === 3).length,
      total_opportunities: 0,
      total_opportunity_value: 0,
    };
  };

  const campaignMissing = fastifyError(404, 'Campaign not found');
  const setStatus = (id: string | undefined, status: number): Answer => {
    const campaign = campaigns.get(id ?? '');
    if (!campaign) return campaignMissing;
    Object.assign(campaign, { status, timestamp_updated: stamp() });
    return { status: 200, body: campaign };
  };
  const ok = (body: unknown): Answer => ({ status: 200, body });
  const needBody = (ctx: Ctx) => ctx.body ?? {};

  type Route = { method: string; pattern: RegExp; scope: [string, string]; handle: (ctx: Ctx) => Answer };
  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/campaigns$/,
      scope: ['campaigns', 'create'],
      handle: (ctx) => {
        const v = validate(CampaignBody, ctx.body);
        if ('error' in v) return v.error;
        // `status` is read-only: a new campaign is always Draft (0) until activated.
        const campaign: Stored = { id: nextId('2b3c'), ...v.data, status: 0, organization: ORGANIZATION, sequences: v.data.sequences ?? [], email_list: v.data.email_list ?? [], timestamp_created: stamp(), timestamp_updated: stamp() };
        campaigns.set(campaign.id, campaign);
        return ok(campaign);
      },
    },
    {
      method: 'GET',
      pattern: /^\/campaigns$/,
      scope: ['campaigns', 'read'],
      handle: ({ url }) => {
        const p = queryPage(url);
        if ('error' in p) return p.error;
        const search = url.searchParams.get('search')?.toLowerCase();
        const all = [...campaigns.values()].filter((c) => !search || String(c.name).toLowerCase().includes(search));
        return ok(paginate(all, (c) => c.id, p.limit, p.startingAfter));
      },
    },
    {
      method: 'GET',
      pattern: /^\/campaigns\/analytics$/,
      scope: ['campaigns', 'read'],
      handle: ({ url }) => {
        const [start, end] = [url.searchParams.get('start_date'), url.searchParams.get('end_date')];
        if (start && end && Date.parse(start) >= Date.parse(end)) return { status: 400, body: { message: 'Start Date must be earlier than End Date' } };
        const wanted = [...url.searchParams.getAll('id'), ...url.searchParams.getAll('ids')];
        const chosen = wanted.length ? wanted.flatMap((id) => campaigns.get(id) ?? []) : [...campaigns.values()];
        return ok(chosen.map(analyticsOf));
      },
    },
    {
      method: 'GET',
      pattern: /^\/campaigns\/([^/]+)$/,
      scope: ['campaigns', 'read'],
      handle: ({ params }) => {
        const c = campaigns.get(params[0] ?? '');
        return c ? ok(c) : campaignMissing;
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/campaigns\/([^/]+)$/,
      scope: ['campaigns', 'delete'],
      handle: ({ params }) => {
        const c = campaigns.get(params[0] ?? '');
        if (!c) return campaignMissing;
        campaigns.delete(c.id);
        for (const l of leadsIn(c.id)) leads.delete(l.id);
        return ok(c);
      },
    },
    { method: 'POST', pattern: /^\/campaigns\/([^/]+)\/activate$/, scope: ['campaigns', 'update'], handle: ({ params }) => setStatus(params[0], 1) },
    { method: 'POST', pattern: /^\/campaigns\/([^/]+)\/pause$/, scope: ['campaigns', 'update'], handle: ({ params }) => setStatus(params[0], 2) },
    {
      method: 'POST',
      pattern: /^\/leads\/add$/,
      scope: ['leads', 'create'],
      handle: (ctx) => {
        const v = validate(BulkBody, ctx.body);
        return 'error' in v ? v.error : bulkAdd(v.data);
      },
    },
    {
      method: 'POST',
      pattern: /^\/leads$/,
      scope: ['leads', 'create'],
      handle: (ctx) => {
        const v = validate(LeadBody, ctx.body);
        if ('error' in v) return v.error;
        const email = (v.data.email ?? '').trim().toLowerCase();
        if (!EMAIL.test(email)) return fastifyError(400, 'body/email must match format "email"');
        if (v.data.campaign && !campaigns.has(v.data.campaign)) return fastifyError(404, 'Campaign not found');
        const { campaign, list_id, skip_if_in_workspace, skip_if_in_campaign, skip_if_in_list, verify_leads_on_import, ...fields } = v.data;
        const existing = [...leads.values()].find((l) => l.email === email && (campaign ? l.campaign === campaign : l.list_id === list_id));
        return ok(existing ?? newLead(fields, campaign ?? null, list_id ?? null));
      },
    },
    {
      method: 'POST',
      pattern: /^\/leads\/list$/,
      scope: ['leads', 'read'],
      handle: (ctx) => {
        const v = validate(LeadListBody, needBody(ctx));
        if ('error' in v) return v.error;
        const f = v.data;
        const search = f.search?.toLowerCase();
        const contacts = f.contacts ? new Set(f.contacts.map((c) => c.toLowerCase())) : null;
        const all = [...leads.values()]
          .filter((l) => (!f.campaign || l.campaign === f.campaign) && (!f.list_id || l.list_id === f.list_id) && (!f.ids || f.ids.includes(l.id)) && (!contacts || contacts.has(String(l.email))))
          .filter(
            (l) =>
              !search ||
              [l.email, l.first_name, l.last_name, l.company_name].some((x) =>
                String(x ?? '')
                  .toLowerCase()
                  .includes(search),
              ),
          )
          .sort((a, b) => a.id.localeCompare(b.id));
        return ok(paginate(all, (l) => l.id, f.limit ?? 100, f.starting_after));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/leads\/([^/]+)$/,
      scope: ['leads', 'delete'],
      handle: ({ params }) => {
        const lead = leads.get(params[0] ?? '');
        if (!lead) return fastifyError(404, 'Lead not found');
        leads.delete(lead.id);
        return ok(lead);
      },
    },
    {
      // Contract «Lead interest status»: addressed by e-mail (+ campaign); 202, queued; 400 `{ error }` for an unknown lead.
      method: 'POST',
      pattern: /^\/leads\/update-interest-status$/,
      scope: ['leads', 'update'],
      handle: (ctx) => {
        const v = validate(InterestBody, ctx.body);
        if ('error' in v) return v.error;
        const email = v.data.lead_email.trim().toLowerCase();
        const matching = [...leads.values()].filter((l) => l.email === email && (!v.data.campaign_id || l.campaign === v.data.campaign_id));
        if (matching.length === 0) return { status: 400, body: { error: 'Invalid lead email' } };
        for (const lead of matching) Object.assign(lead, { lt_interest_status: v.data.interest_value, timestamp_last_interest_change: stamp() });
        interestUpdates.push({ leadEmail: email, interestValue: v.data.interest_value, campaignId: v.data.campaign_id ?? null });
        return { status: 202, body: { message: 'Lead interest status update background job submitted' } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/block-lists-entries$/,
      scope: ['block_list_entries', 'create'],
      handle: (ctx) => {
        const v = validate(BlockListBody, ctx.body);
        if ('error' in v) return v.error;
        const value = v.data.bl_value.trim().toLowerCase();
        const entry = blockList.find((b) => b.bl_value === value) ?? { id: nextId('2c10'), bl_value: value, is_domain: !value.includes('@'), organization_id: ORGANIZATION, timestamp_created: stamp() };
        if (!blockList.includes(entry)) blockList.push(entry);
        return ok(entry);
      },
    },
    {
      method: 'GET',
      pattern: /^\/accounts$/,
      scope: ['accounts', 'read'],
      handle: ({ url }) => {
        const p = queryPage(url);
        if ('error' in p) return p.error;
        const status = url.searchParams.get('status');
        const all = accounts.filter((a) => status === null || String(a.status) === status);
        return ok(paginate(all, (a) => String(a.email), p.limit, p.startingAfter));
      },
    },
    {
      method: 'POST',
      pattern: /^\/webhooks$/,
      scope: ['webhooks', 'create'],
      handle: (ctx) => {
        const v = validate(WebhookBody, ctx.body);
        if ('error' in v) return v.error;
        const hook: Stored = {
          id: nextId('2c00'),
          organization: ORGANIZATION,
          target_hook_url: v.data.target_hook_url,
          event_type: v.data.event_type,
          name: v.data.name ?? null,
          campaign: v.data.campaign ?? null,
          custom_interest_value: v.data.custom_interest_value ?? null,
          headers: v.data.headers ?? {},
          status: 1,
          timestamp_created: stamp(),
          timestamp_error: null,
        };
        webhooks.set(hook.id, hook);
        return ok(hook);
      },
    },
    {
      method: 'GET',
      pattern: /^\/webhooks$/,
      scope: ['webhooks', 'read'],
      handle: ({ url }) => {
        const p = queryPage(url);
        if ('error' in p) return p.error;
        const [campaign, eventType] = [url.searchParams.get('campaign'), url.searchParams.get('event_type')];
        const all = [...webhooks.values()].filter((w) => (!campaign || w.campaign === campaign) && (!eventType || w.event_type === eventType));
        return ok(paginate(all, (w) => w.id, p.limit, p.startingAfter));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/webhooks\/([^/]+)$/,
      scope: ['webhooks', 'delete'],
      handle: ({ params }) => {
        const hook = webhooks.get(params[0] ?? '');
        if (!hook) return fastifyError(404, 'Webhook not found');
        webhooks.delete(hook.id);
        return ok(hook);
      },
    },
    ...unibox.routes,
  ];

  const allowed = ([resource, action]: [string, string]) => [`${resource}:${action}`, `${resource}:all`, `all:${action}`, 'all:all'].some((s) => scopes.has(s));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<Answer | null> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    stats.requests++;
    // V2 takes only `Authorization: Bearer <key>`; V1's `?api_key=` is ignored.
    if (req.headers.authorization !== `Bearer ${apiKey}`) return fastifyError(401, 'Invalid API key');
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : '';
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of routes) {
      const m = r.method === req.method ? r.pattern.exec(path) : null;
      if (m) {
        route = r;
        params = m.slice(1).map(decodeURIComponent);
        break;
      }
    }
    if (!route) return fastifyError(404, `Route ${req.method}:${url.pathname} not found`);
    if (!allowed(route.scope)) return fastifyError(403, `API key is missing the scope ${route.scope.join(':')}`);
    if (overLimit()) {
      stats.rateLimited++;
      // No Retry-After: Instantly documents none (contract "Rate limits").
      return fastifyError(429, 'Rate limit exceeded');
    }
    if (await failures.intercept(url.pathname, res)) return null;
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    // Fastify refuses a JSON content type with an empty body (contract quirk 6).
    if (isJson && !text.trim()) return { status: 400, body: { statusCode: 400, code: 'FST_ERR_CTP_EMPTY_JSON_BODY', error: 'Bad Request', message: "Body cannot be empty when content-type is set to 'application/json'" } };
    let body: Json | undefined;
    if (text.trim()) {
      if (!isJson) return { status: 415, body: { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', error: 'Unsupported Media Type', message: `Unsupported Media Type: ${req.headers['content-type'] ?? ''}` } };
      try {
        body = JSON.parse(text) as Json;
      } catch {
        return fastifyError(400, 'Body is not valid JSON');
      }
    }
    return route.handle({ url, body, params });
  };

  const deliver = async (hook: Stored, payload: Json) => {
    let delivered = false;
    try {
      const res = await fetch(String(hook.target_hook_url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Instantly-Sandbox-Webhook', ...((hook.headers as Record<string, string> | null) ?? {}) },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(2000),
      });
      await res.body?.cancel().catch(() => undefined);
      delivered = res.ok;
    } catch {
      delivered = false;
    }
    if (delivered) {
      stats.webhookDeliveries++;
      webhookFailureCount.set(hook.id, 0);
      return true;
    }
    stats.webhookFailures++;
    const failed = (webhookFailureCount.get(hook.id) ?? 0) + 1;
    webhookFailureCount.set(hook.id, failed);
    // Instantly disables a webhook after repeated delivery failures (status -1, contract "Manage").
    if (failed >= disableAfter) Object.assign(hook, { status: -1, timestamp_error: stamp() });
    return false;
  };

  /**
   * Record engagement on a lead of a campaign (what Instantly would observe while sending): it
   * moves the lead's counters and status, feeds the analytics, and delivers the flat webhook payload
   * to every active matching webhook. Resolves to the number of successful deliveries.
   */
  const recordEvent = async (campaignId: string, email: string, kind: SandboxEngagement, extra: Json = {}): Promise<number> => {
    const campaign = campaigns.get(campaignId);
    const lead = leadsIn(campaignId).find((l) => l.email === email.toLowerCase());
    if (!campaign || !lead) throw new Error(`instantly sandbox: no lead ${email} in campaign ${campaignId}`);
    const at = stamp();
    if (kind === 'sent') {
      sends.set(lead.id, (sends.get(lead.id) ?? 0) + 1);
      lead.timestamp_last_contact = at;
    }
    if (kind === 'opened') lead.email_open_count = Number(lead.email_open_count) + 1;
    if (kind === 'clicked') lead.email_click_count = Number(lead.email_click_count) + 1;
    if (kind === 'replied') Object.assign(lead, { email_reply_count: Number(lead.email_reply_count) + 1, timestamp_last_reply: at });
    if (kind === 'bounced') lead.status = -1;
    if (kind === 'unsubscribed') lead.status = -2;
    const [subscription, eventType] = EVENT_NAMES[kind];
    const step = Math.max(1, sends.get(lead.id) ?? 1);
    // One flat object per event: lead fields and custom variables merged in, no `data` wrapper.
    const payload: Json = {
      ...(lead.payload as Json),
      first_name: lead.first_name ?? null,
      last_name: lead.last_name ?? null,
      company_name: lead.company_name ?? null,
      timestamp: at,
      event_type: eventType,
      workspace: WORKSPACE,
      campaign_id: campaign.id,
      campaign_name: campaign.name,
      lead_email: lead.email,
      email_account: (campaign.email_list as string[])[0] ?? null,
      step,
      variant: 1,
      is_first: step === 1,
      email_id: nextId('2d11'),
      ...extra,
    };
    // A reply is an e-mail of the thread the reply endpoint can answer (its id is the payload's email_id).
    if (kind === 'replied') unibox.receive({ id: String(payload.email_id), lead: String(lead.email), eaccount: String(payload.email_account ?? ''), subject: String(payload.reply_subject ?? 'Re:'), text: String(payload.reply_text ?? '') });
    const targets = [...webhooks.values()].filter((w) => w.status === 1 && (w.event_type === 'all_events' || w.event_type === subscription) && (!w.campaign || w.campaign === campaignId));
    persist();
    const results = await Promise.all(targets.map((w) => deliver(w, payload)));
    return results.filter(Boolean).length;
  };

  const server = createServer((req, res) => {
    handle(req, res)
      .then((answer) => {
        if (!answer) return;
        if (req.method !== 'GET' && answer.status < 400) persist();
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(answer.body));
      })
      .catch(() => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'sandbox error' }));
      });
  });
  const loopback = await listenOnLoopback(server, options.port);
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    url: `http://127.0.0.1:${loopback.port}${PREFIX}`,
    apiKey,
    stats,
    setFailures: failures.set,
    close: loopback.close,
    recordEvent,
    campaigns: () => copy([...campaigns.values()]),
    leadsOf: (campaignId: string) => copy(leadsIn(campaignId)),
    webhooks: () => copy([...webhooks.values()]),
    blockList: () => blockList.map((b) => String(b.bl_value)),
    /** Every interest status set (update-interest-status), in order. */
    interestUpdates: () => copy(interestUpdates),
    accounts: () => copy(accounts),
    /** Register a prospect's e-mail (the id a reply webhook names), so the reply endpoint can answer it. */
    receiveEmail: (email: Parameters<typeof unibox.receive>[0]) => {
      const stored = unibox.receive(email);
      persist();
      return stored;
    },
    /** The replies sent in threads (POST /emails/reply), in order. */
    sentReplies: unibox.sentReplies,
  };
};

export type InstantlySandbox = Awaited<ReturnType<typeof startInstantlySandbox>>;
