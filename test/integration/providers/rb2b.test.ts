import { afterEach, describe, expect, it } from 'vitest';
import { visitorToLead, type VisitorMapping } from '../../../src/providers/rb2b/map-visitor.js';
import { RB2B_FIXTURE_BODIES, startRb2bSandbox, type Rb2bFixtureName } from '../../../src/providers/sandbox/rb2b/server.js';
import { rb2bWebhookPath, RB2B_WEBHOOK_BASE_PATH } from '../../../src/providers/rb2b/webhook.js';
import { createRb2bVisitorHandler, RB2B_TOKEN_HEADER, type VisitorIntake, type VisitorIntakeItem } from '../../../src/webhooks/rb2b-visitor.js';
import type { WebhookHandler } from '../../../src/webhooks/types.js';
import { contractFixture } from '../../support/contracts.js';
import { serveWebhooks } from '../../support/webhook-app.js';

const SECRET = 'rb2b-url-secret-4f9c2a7e1b';
const RECEIVED = new Date('2026-03-02T18:00:00.000Z');
const fixtureBody = (name: Rb2bFixtureName) => contractFixture('rb2b', `${name}.json`).request.body;
const mapped = (payload: unknown) => {
  const result: VisitorMapping = visitorToLead(payload);
  if ('error' in result) throw new Error(result.error);
  return result;
};

/** The visitor a stored visit names (its lead in its own right). */
const visitorOf = (item: VisitorIntakeItem) => {
  if (!item.signal.newLead) throw new Error('a visit names its visitor');
  return item.signal.newLead;
};

/** An in-memory intake: dedupes by event key and counts sightings per person, as a store would. */
const memoryIntake = () => {
  const items: VisitorIntakeItem[] = [];
  const keys = new Set<string>();
  const sightings = new Map<string, number>();
  const intake: VisitorIntake = async (item) => {
    if (keys.has(item.eventKey)) return { accepted: true, duplicate: true };
    keys.add(item.eventKey);
    items.push(item);
    sightings.set(visitorOf(item).sourceId, (sightings.get(visitorOf(item).sourceId) ?? 0) + 1);
    return { accepted: true, duplicate: false };
  };
  return { intake, items, sightings };
};

describe('RB2B visitor mapping', () => {
  it('the sandbox sends exactly the contract fixtures', () => {
    for (const name of Object.keys(RB2B_FIXTURE_BODIES) as Rb2bFixtureName[]) expect(RB2B_FIXTURE_BODIES[name]).toEqual(fixtureBody(name));
  });

  it('maps visitor.json to a website-visitor lead with RB2B provenance and a pricing-page visit', () => {
    const { lead, visit } = mapped(fixtureBody('visitor'));
    expect(lead).toMatchObject({ source: 'rb2b', sourceId: 'linkedin.com/in/example-maya-rivera' });
    expect(lead.profile).toMatchObject({
      email: 'maya.rivera@northwind-agency.example.com',
      firstName: 'Maya',
      lastName: 'Rivera',
      fullName: 'Maya Rivera',
      title: 'VP of Sales @ Northwind Agency | B2B growth',
      linkedinUrl: 'https://www.linkedin.com/in/example-maya-rivera/',
      location: 'Denver, Colorado',
      sourceType: 'website_visitor',
      // A pricing page has no topic a draft could use.
      sourceName: null,
      company: { name: 'Northwind Agency', domain: 'northwind-agency.example.com', industry: 'Marketing & Advertising', employeeCount: 180, annualRevenue: 24_000_000 },
      intent: { websiteVisits: 1, pricingPageVisits: 1, contentDownloads: 0, demoRequested: false },
    });
    for (const field of ['email', 'firstName', 'title', 'linkedinUrl', 'company.name', 'company.domain', 'company.employeeCount', 'intent.websiteVisits', 'intent.pricingPageVisits']) {
      expect(lead.profile.provenance[field]).toBe('rb2b');
    }
    expect(visit).toMatchObject({ seenAt: new Date('2026-03-02T15:04:05.000Z'), pageUrl: 'https://www.caio.example.com/pricing', isPricingPage: true, isRepeatVisit: false, tags: ['Hot Pages', 'Hot Leads'] });
  });

  it('maps visitor.no-email.json: no e-mail, string head count, RB2B-malformed Seen At parsed leniently', () => {
    const { lead, visit } = mapped(fixtureBody('visitor.no-email'));
    expect(lead.sourceId).toBe('linkedin.com/in/example-jordan-lee');
    expect(lead.profile).toMatchObject({
      email: null,
      title: null,
      sourceName: 'AI council',
      company: { name: 'Quill Analytics', employeeCount: 11, industry: null, annualRevenue: null },
      intent: { websiteVisits: 1, pricingPageVisits: 0 },
    });
    expect(lead.profile.provenance.email).toBeUndefined();
    expect(lead.profile.provenance.sourceName).toBe('rb2b');
    expect(visit).toMatchObject({ seenAt: new Date('2026-03-02T12:34:56.000Z'), seenAtRaw: '2026-03-02T12:34:56:00.00+00.00', isPricingPage: false, isRepeatVisit: false, tags: [] });
  });

  it('maps visitor.repeat-visit.json to the same person, flagged as a repeat (arrived from our own pricing page)', () => {
    const first = mapped(fixtureBody('visitor'));
    const again = mapped(fixtureBody('visitor.repeat-visit'));
    expect(again.lead.sourceId).toBe(first.lead.sourceId);
    expect(again.visit).toMatchObject({ isRepeatVisit: true, isPricingPage: false, pageUrl: 'https://www.caio.example.com/case-studies/agency' });
    expect(again.visit.eventKey).not.toBe(first.visit.eventKey);
    expect(again.lead.profile.intent.pricingPageVisits).toBe(0);
  });

  it("tolerates the original's nested shape and refuses a payload that names no person", () => {
    const { lead, visit } = mapped({
      visitor_id: 'v-9',
      person: { work_email: 'Sam.Ortiz@Delta.example.com', name: 'Sam Ortiz', job_title: 'CRO', company: { name: 'Delta', domain: 'www.delta.example.com' } },
      pages: ['https://www.caio.example.com/', { url: 'https://www.caio.example.com/pricing' }],
      geo: { city: 'Lyon', country: 'France' },
    });
    expect(lead.sourceId).toBe('sam.ortiz@delta.example.com');
    expect(lead.profile).toMatchObject({ firstName: 'Sam', lastName: 'Ortiz', title: 'CRO', location: 'Lyon, France', company: { name: 'Delta', domain: 'delta.example.com' }, intent: { websiteVisits: 2, pricingPageVisits: 1 } });
    expect(visit).toMatchObject({ visitorId: 'v-9', isRepeatVisit: true });
    const companyOnly = { visitor_id: 'v-1', company: { name: 'Acme', domain: 'acme.example.com', employee_count: 'lots' }, page_url: 'https://www.caio.example.com/' };
    expect(visitorToLead(companyOnly)).toEqual({ error: expect.stringContaining('no LinkedIn URL') });
    expect(visitorToLead({ ...(fixtureBody('visitor.no-email') as object), 'LinkedIn URL': 'n/a' })).toHaveProperty('error');
    expect(visitorToLead([1])).toHaveProperty('error');
  });
});

describe('RB2B visitor webhook', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const good = JSON.stringify(RB2B_FIXTURE_BODIES.visitor);
  const path = rb2bWebhookPath(SECRET);

  it('answers 401 / 400 / 422 without calling the intake, and 200 for each accepted way of giving the secret', async () => {
    const memory = memoryIntake();
    const handler = createRb2bVisitorHandler({ secret: SECRET, intake: memory.intake, now: () => RECEIVED });
    const call = (p: string, body: string, headers: Record<string, string> = {}) => handler({ path: p, headers, body }).then((r) => r.status);
    expect(await call(RB2B_WEBHOOK_BASE_PATH, good)).toBe(401);
    expect(await call(RB2B_WEBHOOK_BASE_PATH, good, { [RB2B_TOKEN_HEADER]: 'wrong' })).toBe(401);
    expect(await call(rb2bWebhookPath('guess'), good)).toBe(401);
    expect(await call(path, '{"LinkedIn URL": ')).toBe(400);
    expect(await call(path, '[1,2]')).toBe(400);
    expect(await call(path, '"text"')).toBe(400);
    expect(await call(path, JSON.stringify({ visitor_id: 'v-1', page_url: 'https://www.caio.example.com/' }))).toBe(422);
    expect(memory.items).toHaveLength(0);

    expect(await handler({ path, headers: {}, body: good })).toEqual({ status: 200, body: { status: 'received', accepted: true, duplicate: false } });
    expect(await handler({ path: RB2B_WEBHOOK_BASE_PATH, headers: { [RB2B_TOKEN_HEADER]: SECRET }, body: good })).toEqual({ status: 200, body: { status: 'received', accepted: true, duplicate: true } });
    expect(await call(`${RB2B_WEBHOOK_BASE_PATH}?token=${SECRET}`, JSON.stringify(RB2B_FIXTURE_BODIES['visitor.no-email']))).toBe(200);
    expect(memory.items.map((i) => i.receivedAt)).toEqual([RECEIVED, RECEIVED]);
  });

  it('with a quarantine, an unusable authenticated event is kept there and answered 200 (RB2B disconnects on any non-200)', async () => {
    const memory = memoryIntake();
    const quarantined: string[] = [];
    const handler = createRb2bVisitorHandler({ secret: SECRET, intake: memory.intake, quarantine: async (q) => void quarantined.push(q.reason) });
    expect((await handler({ path, headers: {}, body: 'nope' })).body).toEqual({ status: 'quarantined' });
    expect((await handler({ path, headers: {}, body: '{"visitor_id": 1}' })).status).toBe(200);
    expect((await handler({ path: RB2B_WEBHOOK_BASE_PATH, headers: {}, body: good })).status).toBe(401);
    expect(quarantined).toEqual(['the body is not JSON', expect.stringContaining('no LinkedIn URL')]);
    expect(memory.items).toHaveLength(0);
  });

  const loop = async (handler: WebhookHandler, options: Partial<Parameters<typeof startRb2bSandbox>[0]> = {}) => {
    const receiver = await serveWebhooks({ [path]: handler, [RB2B_WEBHOOK_BASE_PATH]: handler });
    closers.push(receiver.close);
    const sandbox = await startRb2bSandbox({ targetUrl: `${receiver.url}${path}`, seed: 7, ...options });
    closers.push(sandbox.close);
    return { receiver, sandbox };
  };

  it('full loop: the sandbox posts N visitors to the receiver, the intake gets N, repeats are flagged', async () => {
    const memory = memoryIntake();
    const { sandbox } = await loop(createRb2bVisitorHandler({ secret: SECRET, intake: memory.intake }));
    const results = await sandbox.sendVisitors(12);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(memory.items).toHaveLength(12);
    expect(sandbox.stats).toMatchObject({ sent: 12, ok: 12, repeats: 4, disconnected: false });
    const repeats = memory.items.filter((i) => i.signal.details.repeat === true);
    expect(repeats).toHaveLength(4);
    for (const r of repeats) expect(memory.sightings.get(visitorOf(r).sourceId)).toBeGreaterThan(1);
    expect(memory.items.some((i) => visitorOf(i).profile.email === null)).toBe(true);
    // Every Seen At read, RB2B's own malformed form included: the visit's time, not the receive time, unflagged.
    expect(memory.items.some((i) => String((i.payload as Record<string, unknown>)['Seen At']).endsWith(':00.00+00.00'))).toBe(true);
    for (const i of memory.items) expect([i.signal.at === i.receivedAt.toISOString(), i.signal.flags]).toEqual([false, []]);

    expect((await sandbox.sendFixture('visitor')).status).toBe(200);
    expect((await sandbox.sendFixture('visitor.repeat-visit.json')).status).toBe(200);
    expect((await sandbox.sendFixture('visitor')).status).toBe(200);
    expect(memory.items).toHaveLength(14);
    expect(memory.items.at(-1)?.signal.details.repeat).toBe(true);
  });

  it('the same seed generates the same visitors', async () => {
    const bodies = async () => {
      const { sandbox } = await loop(createRb2bVisitorHandler({ secret: SECRET, intake: memoryIntake().intake }));
      await sandbox.sendVisitors(5);
      return sandbox.deliveries().map((d) => d.body);
    };
    expect(await bodies()).toEqual(await bodies());
  });

  it('the sandbox marks the integration disconnected on a 4xx and on a slow reply, and then sends nothing', async () => {
    const memory = memoryIntake();
    const strict = await loop(createRb2bVisitorHandler({ secret: SECRET, intake: memory.intake }), { failures: { malformed: { count: 1, kind: 'wrong_shape' } } });
    expect((await strict.sandbox.sendVisitors(2)).map((r) => [r.status, r.sent])).toEqual([
      [422, true],
      [0, false],
    ]);
    expect(strict.sandbox.stats).toMatchObject({ disconnected: true, disconnectedBecause: 'answered 422' });
    strict.sandbox.reconnect();
    expect((await strict.sandbox.sendVisitors(1))[0]?.status).toBe(200);

    const headerOnly = await loop(createRb2bVisitorHandler({ secret: SECRET, intake: memory.intake }));
    const sandbox = await startRb2bSandbox({ targetUrl: `${headerOnly.receiver.url}${RB2B_WEBHOOK_BASE_PATH}`, token: SECRET, failures: { wrongToken: { count: 1 } } });
    expect((await sandbox.sendFixture('visitor')).status).toBe(401);
    expect(sandbox.stats.disconnectedBecause).toBe('answered 401');
    sandbox.reconnect();
    expect((await sandbox.sendFixture('visitor.no-email')).status).toBe(200);

    const slow: WebhookHandler = async () => new Promise((r) => setTimeout(() => r({ status: 200, body: {} }), 300));
    const late = await loop(slow, { replyTimeoutMs: 50 });
    expect((await late.sandbox.sendFixture('visitor')).status).toBe(0);
    expect(late.sandbox.stats.disconnectedBecause).toBe('no answer within 50 ms');

    const tolerant = await loop(createRb2bVisitorHandler({ secret: SECRET, intake: memory.intake, quarantine: async () => {} }), { failures: { malformed: { count: 2, kind: 'not_json' } } });
    expect((await tolerant.sandbox.sendVisitors(3)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(tolerant.sandbox.stats.disconnected).toBe(false);
  });
});
