import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createHttpPolicy } from '../../../src/providers/http/policy.js';
import { createInstantlyClient, isUsableSender } from '../../../src/providers/instantly/client.js';
import * as S from '../../../src/providers/instantly/schemas.js';
import { listenOnLoopback, readBody } from '../../../src/providers/sandbox/loopback.js';
import { startInstantlySandbox, type InstantlySandboxOptions } from '../../../src/providers/sandbox/instantly/server.js';
import { contractFixture } from '../../support/contracts.js';

const KEY = 'inst-test-key-7f3a9c21';
const fixture = (name: string) => contractFixture('instantly', name);
const campaignBody = () => structuredClone(fixture('create-campaign.json').request.body) as S.CreateCampaignInput;
const bulkLeads = () => (fixture('add-leads-bulk.json').request.body as { leads: S.LeadInput[] }).leads;

describe('Instantly V2 client against the loopback sandbox', () => {
  const closers: (() => Promise<void>)[] = [];
  const start = async (options: InstantlySandboxOptions = {}) => {
    const sandbox = await startInstantlySandbox({ apiKey: KEY, ...options });
    closers.push(sandbox.close);
    return { sandbox, client: createInstantlyClient({ baseUrl: sandbox.url, apiKey: KEY }) };
  };
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });
  const failure = async (promise: Promise<unknown>): Promise<AppError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(`${(error as AppError).message} ${JSON.stringify((error as AppError).details)}`).not.toContain(KEY);
    return error as AppError;
  };
  const raw = (url: string, path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}`, ...init.headers } });

  it('creates a campaign as Draft (0), reads it back and pages the list with starting_after', async () => {
    const { client, sandbox } = await start();
    const created = await client.createCampaign(campaignBody());
    expect(created.status).toBe(S.CAMPAIGN_STATUS.draft);
    expect(sandbox.campaigns()[0]).toMatchObject({ name: 't1_pipeline_20260302_v1', email_gap: 10, email_list: ['alex@outreach-one.example.com', 'alex@outreach-two.example.com'] });
    expect((await client.getCampaign(created.id))?.name).toBe('t1_pipeline_20260302_v1');
    expect(await client.getCampaign('019a2b3c-0000-7000-8000-ffffffffffff')).toBeNull();
    const second = await client.createCampaign({ ...campaignBody(), name: 't2_other' });
    const first = await client.listCampaigns({ limit: 1 });
    expect(first.items.map((c) => c.id)).toEqual([created.id]);
    expect(first.nextStartingAfter).toBe(created.id);
    const rest = await client.listCampaigns({ limit: 1, startingAfter: first.nextStartingAfter! });
    expect(rest).toEqual({ items: [expect.objectContaining({ id: second.id })], nextStartingAfter: null });
    expect((await client.listCampaigns({ search: 't2_' })).items).toHaveLength(1);
  });

  it('refuses a bad timezone or weekday-name days locally, before any request', async () => {
    const { client, sandbox } = await start();
    const nyc = campaignBody();
    nyc.campaign_schedule.schedules[0]!.timezone = 'America/New_York' as S.InstantlyTimezone;
    expect((await failure(client.createCampaign(nyc))).code).toBe('INVALID_INPUT');
    const named = campaignBody();
    (named.campaign_schedule.schedules[0] as { days: unknown }).days = { monday: true };
    expect((await failure(client.createCampaign(named))).message).toContain('days');
    expect((await failure(client.createCampaign({ ...campaignBody(), status: 1 } as S.CreateCampaignInput))).code).toBe('INVALID_INPUT');
    expect(sandbox.stats.requests).toBe(0);
    expect(S.toInstantlyTimezone('America/New_York')).toBe('America/Detroit');
    expect(S.toInstantlyTimezone('Pacific/Auckland')).toBe('Pacific/Auckland');
    expect(() => S.toInstantlyTimezone('America/Los_Angeles')).toThrow(/not in Instantly's timezone list/);
  });

  it('sandbox: answers the timezone fixture with its 400, and refuses day names and unknown keys', async () => {
    const { sandbox } = await start();
    const fx = fixture('create-campaign.error-400-timezone.json');
    const post = (body: unknown) => raw(sandbox.url, '/campaigns', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await post(fx.request.body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(fx.response.body);
    const named = campaignBody();
    (named.campaign_schedule.schedules[0] as { days: unknown }).days = { monday: true };
    expect(await (await post(named)).json()).toMatchObject({ message: 'body/campaign_schedule/schedules/0/days must NOT have additional properties' });
    expect((await post({ ...campaignBody(), status: 1 })).status).toBe(400);
    expect(sandbox.campaigns()).toHaveLength(0);
  });

  it('activates and pauses without a JSON content type (the sandbox refuses an empty JSON body)', async () => {
    const { client, sandbox } = await start();
    const { id } = await client.createCampaign(campaignBody());
    expect((await client.activateCampaign(id)).status).toBe(S.CAMPAIGN_STATUS.active);
    expect((await client.pauseCampaign(id)).status).toBe(S.CAMPAIGN_STATUS.paused);
    const res = await raw(sandbox.url, `/campaigns/${id}/activate`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/Body cannot be empty/);
    expect((await failure(client.activateCampaign('019a2b3c-0000-7000-8000-ffffffffffff'))).code).toBe('NOT_FOUND');
  });

  it('adds leads in bulk, reports what was not uploaded, dedupes per campaign and keeps custom variables in payload', async () => {
    const { client, sandbox } = await start();
    const { id } = await client.createCampaign(campaignBody());
    const first = await client.addLeads(id, bulkLeads());
    expect(first).toMatchObject({ totalSent: 3, uploaded: 2, invalidEmailCount: 1, notUploaded: [{ email: 'not-an-email', index: 2 }] });
    expect(first.created.map((c) => c.index)).toEqual([0, 1]);
    const again = await client.addLeads(id, bulkLeads().slice(0, 1));
    expect(again).toMatchObject({ uploaded: 0, duplicatedLeads: 1, notUploaded: [{ index: 0 }] });
    await client.addToBlockList('blocked.example.com');
    expect(sandbox.blockList()).toEqual(['blocked.example.com']);
    expect((await client.addLeads(id, [{ email: 'ann@blocked.example.com' }])).inBlocklist).toBe(1);
    const stored = sandbox.leadsOf(id);
    expect(stored.map((l) => l.email)).toEqual(['maya.rivera@northwind-agency.example.com', 'priya.natarajan@lumen-logistics.example.com']);
    expect(stored[0]!.payload).toMatchObject({ icpScore: 87, caio_lead_id: 'lead_0001' });
    expect((await failure(client.addLeads(id, [{ email: 'x@y.example.com', custom_variables: { nested: { a: 1 } as never } }]))).code).toBe('INVALID_INPUT');
  });

  it('splits more than 1000 leads into batches of at most 1000, with indexes over the whole input', async () => {
    const { client, sandbox } = await start();
    const { id } = await client.createCampaign(campaignBody());
    const leads = Array.from({ length: 2100 }, (_, i) => ({ email: `p${i}@bulk.example.com` }));
    const result = await client.addLeads(id, leads);
    expect(sandbox.stats.bulkAddCalls).toBe(3);
    expect(result).toMatchObject({ totalSent: 2100, uploaded: 2100, notUploaded: [] });
    expect(result.created.at(-1)).toMatchObject({ index: 2099, email: 'p2099@bulk.example.com' });
  });

  it('lists leads with the cursor in the body, and deletes one', async () => {
    const { client, sandbox } = await start();
    const { id } = await client.createCampaign(campaignBody());
    await client.addLeads(id, bulkLeads());
    const page1 = await client.listLeads({ campaign: id, limit: 1 });
    expect(page1.items[0]).toMatchObject({ email: 'maya.rivera@northwind-agency.example.com', payload: expect.objectContaining({ subject_a: expect.any(String) }) });
    const page2 = await client.listLeads({ campaign: id, limit: 1, startingAfter: page1.nextStartingAfter! });
    expect(page2).toMatchObject({ items: [{ email: 'priya.natarajan@lumen-logistics.example.com' }], nextStartingAfter: null });
    expect((await client.listLeads({ contacts: ['PRIYA.natarajan@lumen-logistics.example.com'] })).items).toHaveLength(1);
    await client.deleteLead(page1.items[0]!.id);
    expect(sandbox.leadsOf(id)).toHaveLength(1);
    expect((await failure(client.deleteLead(page1.items[0]!.id))).code).toBe('NOT_FOUND');
  });

  it('follows account pagination to the end and tells usable senders apart', async () => {
    const accounts = Array.from({ length: 230 }, (_, i) => ({ email: `s${i}@outreach.example.com`, ...(i % 50 === 0 ? { status: -2 } : {}), ...(i === 1 ? { setup_pending: true } : {}) }));
    const { client, sandbox } = await start({ accounts });
    const all = await client.listAccounts();
    expect(all).toHaveLength(230);
    expect(all.filter(isUsableSender)).toHaveLength(230 - 5 - 1);
    expect(sandbox.stats.requests).toBe(3);
  });

  it('computes analytics from recorded engagement, for one id or several', async () => {
    const { client, sandbox } = await start();
    const a = await client.createCampaign(campaignBody());
    const b = await client.createCampaign({ ...campaignBody(), name: 'b' });
    await client.addLeads(a.id, bulkLeads());
    await sandbox.recordEvent(a.id, 'maya.rivera@northwind-agency.example.com', 'sent');
    await sandbox.recordEvent(a.id, 'maya.rivera@northwind-agency.example.com', 'replied');
    await sandbox.recordEvent(a.id, 'priya.natarajan@lumen-logistics.example.com', 'bounced');
    const [one] = await client.campaignAnalytics([a.id]);
    expect(one).toMatchObject({ campaign_id: a.id, leads_count: 2, contacted_count: 1, emails_sent_count: 1, reply_count: 1, bounced_count: 1, open_count: 0 });
    expect((await client.campaignAnalytics([a.id, b.id])).map((x) => x.leads_count)).toEqual([2, 0]);
    expect(await client.campaignAnalytics([])).toEqual([]);
  });

  it('registers webhooks, delivers flat payloads with our header, and disables a failing one', async () => {
    const received: { headers: Record<string, unknown>; body: Record<string, unknown> }[] = [];
    let answer = 200;
    const receiver = createServer(
      (req, res) =>
        void readBody(req).then((b) => {
          received.push({ headers: req.headers, body: JSON.parse(b) as Record<string, unknown> });
          res.writeHead(answer).end();
        }),
    );
    const hookServer = await listenOnLoopback(receiver);
    closers.push(hookServer.close);
    const { client, sandbox } = await start({ webhookFailuresBeforeDisable: 2 });
    const { id } = await client.createCampaign(campaignBody());
    await client.addLeads(id, bulkLeads());
    const hook = await client.createWebhook({ targetUrl: `http://127.0.0.1:${hookServer.port}/webhooks/instantly`, eventType: 'reply_received', name: 'caio replies', headers: { 'X-Caio-Webhook-Token': 'tok-1' } });
    expect(hook).toMatchObject({ status: 1, campaign: null, event_type: 'reply_received' });
    expect((await client.listWebhooks()).map((w) => w.id)).toEqual([hook.id]);
    expect(await sandbox.recordEvent(id, 'maya.rivera@northwind-agency.example.com', 'opened')).toBe(0);
    expect(await sandbox.recordEvent(id, 'maya.rivera@northwind-agency.example.com', 'replied', { reply_text: 'Tuesday works' })).toBe(1);
    expect(received[0]!.headers['x-caio-webhook-token']).toBe('tok-1');
    const event = S.WebhookEventSchema.parse(received[0]!.body);
    expect(event).toMatchObject({ event_type: 'reply_received', campaign_id: id, lead_email: 'maya.rivera@northwind-agency.example.com', reply_text: 'Tuesday works', caio_lead_id: 'lead_0001' });
    expect(received[0]!.body).not.toHaveProperty('data');
    answer = 500;
    for (let i = 0; i < 3; i++) await sandbox.recordEvent(id, 'maya.rivera@northwind-agency.example.com', 'replied');
    expect(received).toHaveLength(3);
    expect((await client.listWebhooks())[0]).toMatchObject({ status: -1, timestamp_error: expect.any(String) });
    expect((await failure(client.createWebhook({ targetUrl: 'ftp://x', eventType: 'reply_received' }))).code).toBe('INVALID_INPUT');
  });

  it('maps a wrong key and a missing scope to PROVIDER_AUTH without echoing the key', async () => {
    const { sandbox } = await start({ scopes: ['campaigns:read'] });
    const wrong = await failure(createInstantlyClient({ baseUrl: sandbox.url, apiKey: 'inst-wrong-key-555' }).listCampaigns());
    expect(wrong.code).toBe('PROVIDER_AUTH');
    expect(wrong.message).not.toContain('inst-wrong-key-555');
    const client = createInstantlyClient({ baseUrl: sandbox.url, apiKey: KEY });
    await client.listCampaigns();
    expect(await failure(client.createCampaign(campaignBody()))).toMatchObject({ code: 'PROVIDER_AUTH', message: expect.stringContaining('scope') });
  });

  it('retries a 429 honouring Retry-After when a policy allows it, and rate limits at the ceiling', async () => {
    const { sandbox } = await start({ failures: { status429: { count: 1, retryAfterSeconds: 2 } }, rateLimitPerSecond: 2 });
    const waits: number[] = [];
    const policy = createHttpPolicy({ provider: 'instantly', retries: 2, sleep: async (ms) => void waits.push(ms), secrets: [KEY] });
    const client = createInstantlyClient({ baseUrl: sandbox.url, apiKey: KEY, policy });
    expect((await client.listCampaigns()).items).toEqual([]);
    expect(waits).toEqual([2000]);
    const plain = createInstantlyClient({ baseUrl: sandbox.url, apiKey: KEY });
    expect((await failure(plain.listCampaigns())).code).toBe('PROVIDER_RATE_LIMITED');
    const res = await raw(sandbox.url, '/leads/list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"limit":100}' });
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 429, body: fixture('error-429.json').response.body });
  });

  it('maps 5xx to PROVIDER_UNAVAILABLE and a malformed answer to PROVIDER_BAD_RESPONSE', async () => {
    const { client, sandbox } = await start({ failures: { status5xx: { count: 1 } } });
    expect((await failure(client.listAccounts())).code).toBe('PROVIDER_UNAVAILABLE');
    sandbox.setFailures({ malformed: { count: 1, kind: 'wrong_shape' } });
    expect((await failure(client.listCampaigns())).code).toBe('PROVIDER_BAD_RESPONSE');
    sandbox.setFailures({ malformed: { count: 1, kind: 'not_json' } });
    expect((await failure(client.campaignAnalytics(['x']))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('parses every documented response shape', () => {
    const body = (name: string) => fixture(name).response.body;
    for (const name of ['create-campaign.json', 'activate-campaign.json', 'pause-campaign.json']) expect(S.CampaignSchema.parse(body(name)).id).toBe('019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b');
    expect(S.CampaignPageSchema.parse(body('list-campaigns.json')).next_starting_after).toBe('019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5c');
    expect(S.LeadSchema.parse(body('add-lead.json')).payload).toMatchObject({ icpTier: 'tier_1' });
    expect(S.BulkAddResponseSchema.parse(body('add-leads-bulk.json'))).toMatchObject({ leads_uploaded: 2, invalid_email_count: 1 });
    expect(S.LeadPageSchema.parse(body('list-leads.json')).items[0]?.lt_interest_status).toBe(1);
    const accounts = S.AccountPageSchema.parse(body('list-accounts.json'));
    expect(accounts.next_starting_after).toBeNull();
    expect(accounts.items.filter(isUsableSender).map((a) => a.email)).toEqual(['alex@outreach-one.example.com']);
    expect(S.CampaignAnalyticsListSchema.parse(body('campaign-analytics.json'))[0]?.reply_count).toBe(3);
    expect(S.WebhookSchema.parse(body('create-webhook.json')).status).toBe(1);
    for (const name of ['reply_received', 'email_bounced', 'email_opened', 'lead_unsubscribed']) {
      expect(S.WebhookEventSchema.parse(fixture(`webhook.${name}.json`).request.body).event_type).toBe(name);
    }
    // The original's `data` wrapper is tolerated, never required.
    expect(S.WebhookEventSchema.parse({ data: fixture('webhook.email_opened.json').request.body }).lead_email).toBe('maya.rivera@northwind-agency.example.com');
  });
});
