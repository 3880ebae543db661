import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createHttpPolicy } from '../../../src/providers/http/policy.js';
import { createHeyReachClient } from '../../../src/providers/heyreach/client.js';
import { AddLeadsCountsSchema, AnyBodySchema, CampaignPageSchema, CreatedListSchema, ListLeadPageSchema, WebhookEventSchema, WebhookSchema, type HeyReachLead } from '../../../src/providers/heyreach/schemas.js';
import { listenOnLoopback, readBody } from '../../../src/providers/sandbox/loopback.js';
import { startHeyReachSandbox, type HeyReachSandbox, type HeyReachSandboxOptions, type SandboxCampaign } from '../../../src/providers/sandbox/heyreach/server.js';
import { contractFixture } from '../../support/contracts.js';

const KEY = 'hr-test-key-0123456789';
const fixture = (name: string) => contractFixture('heyreach', name) as ReturnType<typeof contractFixture> & { request: { method: string; path: string; query?: Record<string, string> } };
const lead = (slug: string, extra: Partial<HeyReachLead> = {}): HeyReachLead => ({ profileUrl: `https://www.linkedin.com/in/example-${slug}`, firstName: 'Maya', lastName: slug, ...extra });
const DRAFT = 334364;
const PAUSED = 334314;

describe('HeyReach client against the loopback sandbox', () => {
  let sandbox: HeyReachSandbox | undefined;
  const start = async (options: HeyReachSandboxOptions = {}) => {
    sandbox = await startHeyReachSandbox({ apiKey: KEY, ...options });
    return { sandbox, client: createHeyReachClient({ baseUrl: sandbox.url, apiKey: KEY }) };
  };
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const failure = async (promise: Promise<unknown>): Promise<AppError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(KEY);
    return error;
  };
  /** Sends a fixture's request as recorded, with the test key. */
  const replay = (s: HeyReachSandbox, name: string) => {
    const { request } = fixture(name);
    const url = new URL(request.path, s.url);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    return fetch(url, { method: request.method, headers: { 'X-API-KEY': KEY, 'content-type': 'application/json' }, body: request.body === undefined ? null : JSON.stringify(request.body) });
  };

  it('checks the key: true for a valid one, false when refused, from an empty 200 body', async () => {
    const { sandbox, client } = await start();
    expect(await client.checkApiKey()).toBe(true);
    expect(await createHeyReachClient({ baseUrl: sandbox.url, apiKey: 'wrong-key-abcdef' }).checkApiKey()).toBe(false);
  });

  it('parses answers that carry no Content-Type (quirk 3)', async () => {
    const { sandbox, client } = await start();
    const raw = await fetch(`${sandbox.url}/campaign/GetAll`, { method: 'POST', headers: { 'X-API-KEY': KEY }, body: '{"offset":0,"limit":1}' });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBeNull();
    expect((await client.listCampaigns()).map((c) => c.status)).toEqual(['PAUSED', 'DRAFT', 'IN_PROGRESS']);
  });

  it('pages through every campaign with offset/limit and passes filters', async () => {
    const campaigns: SandboxCampaign[] = Array.from({ length: 230 }, (_, i) => ({ id: 1000 + i, name: `Campaign ${i}`, status: i % 2 ? 'PAUSED' : 'DRAFT' }));
    const { sandbox, client } = await start({ campaigns });
    const all = await client.listCampaigns();
    expect(all.map((c) => c.id)).toEqual(campaigns.map((c) => c.id));
    expect(sandbox.stats.requests).toBe(3);
    expect(await client.listCampaigns({ statuses: ['PAUSED'], keyword: 'campaign 22' })).toHaveLength(5);
  });

  it('creates a list, adds leads (re-posting updates), strips unknown keys and reads them back', async () => {
    const { sandbox, client } = await start();
    const list = await client.createList('caio_t1_20260302_v1');
    expect(list).toEqual({ id: 4401, name: 'caio_t1_20260302_v1', type: 'USER_LIST' });
    const withStray = { ...lead('b'), linkedInUrl: 'https://www.linkedin.com/in/example-b' } as HeyReachLead;
    expect(await client.addLeadsToList(list.id, [lead('a', { customUserFields: [{ name: 'icp_tier', value: 'tier_1' }] }), withStray])).toEqual({ sent: 2, added: 2, updated: 0, failed: 0, dropped: 0, complete: true });
    expect(await client.addLeadsToList(list.id, [lead('a', { position: 'VP of Sales' })])).toMatchObject({ added: 0, updated: 1, complete: true });
    const readBack = await client.getLeadsFromList(list.id);
    expect(readBack.map((l) => l.profileUrl)).toEqual(['https://www.linkedin.com/in/example-a', 'https://www.linkedin.com/in/example-b']);
    expect(readBack[0]).toMatchObject({ position: 'VP of Sales' });
    expect(sandbox.lists()).toEqual([{ id: 4401, name: 'caio_t1_20260302_v1', type: 'USER_LIST', leadCount: 2 }]);
    expect(sandbox.leadsOfList(list.id)[1]).not.toHaveProperty('linkedInUrl');
  });

  it('reports leads HeyReach drops silently with a 200 (quirk 2), in batches of at most 100', async () => {
    const { sandbox, client } = await start();
    const { id } = await client.createList('drops');
    const leads = [...Array.from({ length: 120 }, (_, i) => lead(`p${i}`)), lead('company', { profileUrl: 'https://www.linkedin.com/company/example-co' }), lead('nolast', { lastName: '' })];
    expect(await client.addLeadsToList(id, leads)).toEqual({ sent: 122, added: 120, updated: 0, failed: 0, dropped: 2, complete: false });
    expect(await client.getLeadsFromList(id)).toHaveLength(120);
    expect(sandbox.stats.leadsDropped).toBe(2);
    // The original's `linkedInUrl` shape, exactly as recorded: 0/0/0.
    const silent = await replay(sandbox, 'add-leads-to-list.silent-drop.json');
    expect(await silent.json()).toEqual(fixture('add-leads-to-list.silent-drop.json').response.body);
  });

  it('adds leads to a campaign without reactivating it; the sandbox reactivates when the flags are left out', async () => {
    const { sandbox, client } = await start();
    expect(await client.addLeadsToCampaign(PAUSED, [lead('a')], { linkedInAccountId: 55101 })).toMatchObject({ added: 1, complete: true });
    expect(sandbox.campaigns().find((c) => c.id === PAUSED)?.status).toBe('PAUSED');
    expect(sandbox.leadsOfCampaign(PAUSED).map((l) => l.lastName)).toEqual(['a']);
    await fetch(`${sandbox.url}/campaign/AddLeadsToCampaignV2`, { method: 'POST', headers: { 'X-API-KEY': KEY }, body: JSON.stringify({ campaignId: PAUSED, accountLeadPairs: [{ lead: lead('b') }] }) });
    expect(sandbox.campaigns().find((c) => c.id === PAUSED)?.status).toBe('IN_PROGRESS');
  });

  it('refuses to resume or pause a DRAFT campaign with a clear error; start, pause and resume move statuses', async () => {
    const { sandbox, client } = await start();
    const resume = await failure(client.resumeCampaign(DRAFT));
    expect(resume).toMatchObject({ code: 'PROVIDER_BAD_REQUEST', details: { campaignId: DRAFT, status: 400, reason: 'campaign_status_refused' } });
    expect(resume.message).toMatch(/334364 cannot be resumed.*DRAFT.*startCampaign/);
    expect((await failure(client.pauseCampaign(DRAFT))).message).toMatch(/cannot be paused/);
    await client.addLeadsToCampaign(DRAFT, [lead('a')]);
    await client.startCampaign(DRAFT);
    await client.pauseCampaign(DRAFT);
    expect(sandbox.campaigns().find((c) => c.id === DRAFT)?.status).toBe('PAUSED');
    await client.resumeCampaign(DRAFT);
    expect(sandbox.campaigns().find((c) => c.id === DRAFT)?.status).toBe('IN_PROGRESS');
    // A campaign resumed with no leads falls back to PAUSED (quirk 5).
    await client.resumeCampaign(PAUSED);
    expect(sandbox.campaigns().find((c) => c.id === PAUSED)?.status).toBe('PAUSED');
  });

  it('creates a webhook and delivers unsigned events in both payload shapes', async () => {
    const received: { headers: Record<string, unknown>; body: unknown }[] = [];
    const receiver = await listenOnLoopback(
      createServer((req, res) => {
        void readBody(req).then((body) => {
          received.push({ headers: req.headers, body: JSON.parse(body) });
          res.end('{"status":"received"}');
        });
      }),
    );
    try {
      const { sandbox, client } = await start();
      const hook = await client.createWebhook({ name: 'caio replies', url: `http://127.0.0.1:${receiver.port}/webhooks/heyreach/s3cret`, eventType: 'MESSAGE_REPLY_RECEIVED', campaignIds: [PAUSED] });
      expect(hook).toMatchObject({ id: 9901, isActive: true, eventType: 'MESSAGE_REPLY_RECEIVED' });
      expect(sandbox.webhooks()).toHaveLength(1);
      const event = { eventType: 'MESSAGE_REPLY_RECEIVED', campaignId: PAUSED, lead: lead('maya', { emailAddress: 'Maya@x.example.com' }), messageText: 'Sounds good', messageId: 'm1' };
      expect(await sandbox.deliverEvent(event)).toEqual([200]);
      sandbox.setWebhookShape('camelCase');
      expect(await sandbox.deliverEvent(event)).toEqual([200]);
      expect(await sandbox.deliverEvent({ ...event, campaignId: DRAFT })).toEqual([]);
      const [snake, camel] = received.map((r) => WebhookEventSchema.parse(r.body));
      expect(received[0]!.body).toHaveProperty('event_type');
      expect(received[1]!.body).toHaveProperty('eventType');
      for (const e of [snake!, camel!]) expect(e).toMatchObject({ eventType: 'MESSAGE_REPLY_RECEIVED', linkedinUrl: 'linkedin.com/in/example-maya', email: 'maya@x.example.com', campaignId: String(PAUSED), messageText: 'Sounds good' });
      expect(received.every((r) => Object.keys(r.headers).every((h) => !/signature|authorization/i.test(h)))).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('maps a refused key to PROVIDER_AUTH without echoing it', async () => {
    const { sandbox } = await start();
    const error = await failure(createHeyReachClient({ baseUrl: sandbox.url, apiKey: 'wrong-key-abcdef' }).listCampaigns());
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).not.toContain('wrong-key-abcdef');
  });

  it('honours Retry-After on 429 when the policy retries, and answers 429 past the per-minute limit', async () => {
    const { sandbox } = await start({ failures: { status429: { count: 1, retryAfterSeconds: 7 } } });
    const waits: number[] = [];
    const policy = createHttpPolicy({ provider: 'heyreach', retries: 2, sleep: async (ms) => void waits.push(ms), secrets: [KEY] });
    expect(await createHeyReachClient({ baseUrl: sandbox.url, apiKey: KEY, policy }).listCampaigns()).toHaveLength(3);
    expect(waits).toEqual([7000]);
    await sandbox.close();
    const { client } = await start({ rateLimitPerMinute: 2 });
    await client.checkApiKey();
    await client.checkApiKey();
    const limited = await failure(client.listCampaigns());
    expect(limited).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true });
    expect(Number(limited.details.retryAfterSeconds)).toBeGreaterThan(0);
  });

  it('maps 5xx to PROVIDER_UNAVAILABLE and malformed bodies to PROVIDER_BAD_RESPONSE', async () => {
    const { sandbox, client } = await start({ failures: { status5xx: { count: 1, status: 502 } } });
    expect(await failure(client.listCampaigns())).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    sandbox.setFailures({ malformed: { count: 1, kind: 'not_json' } });
    expect((await failure(client.listCampaigns())).code).toBe('PROVIDER_BAD_RESPONSE');
    sandbox.setFailures({ malformed: { count: 1, kind: 'wrong_shape' } });
    expect((await failure(client.createList('x'))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('answers each recorded request as the contract fixtures show, without Content-Type on success', async () => {
    const getAll = fixture('campaign-getall.json');
    const { sandbox } = await start({ campaigns: (getAll.response.body as { items: SandboxCampaign[] }).items });
    const same = ['campaign-getall.json', 'check-api-key.json', 'create-list.json', 'add-leads-to-list.json', 'add-leads-to-campaign.json', 'create-webhook.json', 'resume-campaign.error-draft.json'];
    for (const name of same) {
      const res = await replay(sandbox, name);
      const { status, body } = fixture(name).response;
      expect(res.status, name).toBe(status);
      const text = await res.text();
      expect(text ? JSON.parse(text) : null, name).toEqual(body);
      if (status === 200) expect(res.headers.get('content-type'), name).toBeNull();
    }
    const readBack = (await (await replay(sandbox, 'get-leads-from-list.json')).json()) as { items: { profileUrl: string }[] };
    expect(readBack.items.map((l) => l.profileUrl)).toEqual(['https://www.linkedin.com/in/example-maya-rivera']);
  });

  it('parses every contract fixture with the client schemas', () => {
    const body = (name: string) => fixture(name).response.body;
    expect(CampaignPageSchema.parse(body('campaign-getall.json')).items[1]?.status).toBe('DRAFT');
    expect(CreatedListSchema.parse(body('create-list.json')).id).toBe(4401);
    expect(CreatedListSchema.parse({ listId: 7 }).id).toBe(7);
    expect(AddLeadsCountsSchema.parse(body('add-leads-to-list.json')).addedLeadsCount).toBe(1);
    expect(AddLeadsCountsSchema.parse(body('add-leads-to-list.silent-drop.json'))).toMatchObject({ addedLeadsCount: 0, updatedLeadsCount: 0 });
    expect(AddLeadsCountsSchema.parse(body('add-leads-to-campaign.json')).addedLeadsCount).toBe(1);
    expect(ListLeadPageSchema.parse(body('get-leads-from-list.json')).items[0]?.profileUrl).toBe('https://www.linkedin.com/in/example-maya-rivera');
    expect(ListLeadPageSchema.parse({ totalCount: 1, items: [{ profile_url: 'u', first_name: 'A' }] }).items[0]).toMatchObject({ profileUrl: 'u', firstName: 'A' });
    expect(WebhookSchema.parse(body('create-webhook.json')).id).toBe(9901);
    expect(AnyBodySchema.safeParse(body('check-api-key.json')).success).toBe(true);
    const events = ['webhook.connection_request_accepted.json', 'webhook.message_reply_received.json', 'webhook.message_reply_received.camelcase.json'].map((n) => WebhookEventSchema.parse(fixture(n).request.body));
    expect(events.map((e) => e.eventType)).toEqual(['CONNECTION_REQUEST_ACCEPTED', 'MESSAGE_REPLY_RECEIVED', 'MESSAGE_REPLY_RECEIVED']);
    expect(new Set(events.map((e) => e.linkedinUrl))).toEqual(new Set(['linkedin.com/in/example-maya-rivera']));
    expect(events[2]).toMatchObject({ messageId: 'm_0001', messageText: events[1]!.messageText, campaignId: '334314' });
  });
});
