import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { reviewServiceFor } from '../../../src/compose/review.js';
import { pipelineJobs } from '../../../src/compose/pipeline-jobs.js';
import { openServer } from '../../../src/compose/server.js';
import { openApp, openProviders, pipelineDepsFor, type AppDeps } from '../../../src/deps.js';
import { leadIdentities } from '../../../src/domain/lead.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { generateSyntheticPeople, LOCKED_EMAIL } from '../../../src/providers/sandbox/apollo/synthetic-people.js';
import { createControlStore } from '../../../src/store/control-repo.js';
import { createExclusionStore } from '../../../src/store/exclusions-repo.js';
import type { Database } from '../../../src/store/database.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * An identified website visitor, end to end through the production wiring: RB2B posts the visits
 * to `caio serve`'s webhook (openServer, inline jobs), the inbox processor records the visitor as a
 * lead with each sighting on the timeline, and `caio pipeline run --source rb2b` (openProviders +
 * pipelineDepsFor + runPipeline, as the command wires it) enriches them through the Apollo sandbox
 * (People Match by LinkedIn URL), scores the visits as intent and queues a draft for review.
 */
const SECRET = 'rb2b-secret-visitors-0123456789';
const SEED = 1;
const PEOPLE = 60;

/** A synthetic Apollo person with an e-mail: RB2B gives their LinkedIn URL and no e-mail, Apollo has the address. */
const PERSON = generateSyntheticPeople({ seed: SEED, count: PEOPLE }).find((p) => p.linkedinUrl && p.email && p.email !== LOCKED_EMAIL)!;

const ORG = PERSON.organization;

/** The visitor as RB2B identifies them (the same person Apollo holds), without the e-mail. */
const visit = (seenAt: string, page: string, overrides: Record<string, unknown> = {}) => ({
  'LinkedIn URL': PERSON.linkedinUrl,
  'First Name': PERSON.firstName,
  'Last Name': PERSON.lastName,
  Title: PERSON.title,
  'Company Name': ORG.name,
  'Business Email': null,
  Website: `https://${ORG.domain}`,
  Industry: ORG.industry,
  'Employee Count': ORG.employees,
  'Estimate Revenue': null,
  City: PERSON.city,
  State: PERSON.state,
  Zipcode: '80202',
  'Seen At': seenAt,
  Referrer: null,
  'Captured URL': `https://www.caio.example.com${page}`,
  Tags: null,
  ...overrides,
});

/** Two visits an hour apart: three page views, one of them pricing, one about AI councils. */
const VISITS = [visit('2026-12-01T15:00:00.000+00:00', '/blog/ai-council'), visit('2026-12-01T15:06:00.000+00:00', '/pricing'), visit('2026-12-01T16:30:00.000+00:00', '/blog/ai-council')];

/** What would tell the person we watched them browse. */
const TRACKING = /visit|caio\.example|www\.caio|\/blog|pricing|noticed|saw you|our (web)?site|browsing/i;

type Rows<T> = { rows: T[] };

describe('website visitors become drafts in the review queue', () => {
  let database: Database;
  let closers: (() => Promise<void>)[] = [];
  let app: AppDeps;
  let url = '';

  const open = async (values: Record<string, unknown> = {}) => {
    const config = loadConfig({
      cwd: '/nonexistent-caio-test-dir',
      env: { RB2B_WEBHOOK_SECRET: SECRET, DASHBOARD_AUTH_TOKEN: 'dashboard-token-visitors-0123456789' },
      values: { providers: 'sandbox', sandbox: { seed: SEED, peopleCount: PEOPLE }, jobs: { enabled: false }, ...values },
    });
    app = await openApp(config, { database, log: silentLog, clock: fixedClock('2026-12-02T09:00:00Z') });
    closers.push(() => app.close());
    const server = await openServer(app, { mode: 'serve', host: '127.0.0.1', port: 0 });
    closers.push(() => server.close());
    url = server.address;
  };

  /** RB2B posts one event; the inline job processes it after the 200. */
  const post = async (body: unknown) => {
    const res = await fetch(`${url}/webhooks/rb2b/${SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };

  /** Every stored delivery processed by its job (no assertion on time: it polls until none is left). */
  const settled = async () => {
    for (let i = 0; i < 400; i++) {
      const { rows } = (await database.db.execute(sql`select count(*)::int as n from webhook_inbox where status in ('pending', 'processing')`)) as Rows<{ n: number }>;
      if (rows[0]!.n === 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('webhook deliveries were not processed');
  };

  /** What `caio pipeline run --source rb2b` runs. */
  const runVisitors = async () => {
    const providers = await openProviders(app, { source: 'rb2b', seed: SEED });
    try {
      return await runPipeline(pipelineDepsFor(app, providers), { limit: 25, source: 'rb2b', seed: SEED });
    } finally {
      await providers.close();
    }
  };

  const visitorLead = async () => {
    const { rows } = (await database.db.execute(sql`select id, status, email, disqualification_reason, profile from leads where source = 'rb2b'`)) as Rows<{
      id: string;
      status: string;
      email: string | null;
      disqualification_reason: string | null;
      profile: { provenance: Record<string, string> };
    }>;
    return rows;
  };

  const queue = async () => reviewServiceFor(app).list();

  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers = [];
    await database.close();
  });

  it('visits posted to the webhook are enriched by LinkedIn URL, scored as intent and drafted without a word about the visit', async () => {
    await open();
    for (const body of VISITS) await post(body);
    await settled();
    const [before] = await visitorLead();
    expect(before).toMatchObject({ status: 'discovered', email: null });

    const report = await runVisitors();
    expect(report.stages.map((s) => [s.name, s.status])).toEqual([
      ['discover', 'pass'],
      ['enrich', 'pass'],
      ['score', 'pass'],
      ['craft', 'pass'],
      ['queue', 'pass'],
      ['send', 'pass'],
    ]);
    const [lead] = await visitorLead();
    // Apollo knew the person by the LinkedIn URL RB2B gave and supplied the address RB2B did not have.
    expect(lead).toMatchObject({ status: 'pending_review', email: PERSON.email!.toLowerCase() });
    expect(lead!.profile.provenance.email).toBe('apollo_match');

    const detail = await app.stores.leadDetail.detailByEmail(PERSON.email!);
    const intent = detail!.score!.components.find((c) => c.code === 'intent')!;
    // Three page views, the pricing page and a return visit, inside the 20-point cap, with the reason.
    expect(intent.points).toBe(18);
    expect(intent.reason).toBe('+18: 3 website visits (+4), pricing page visit (+6), came back for 2 separate visits (+4), source website_visitor (+4)');
    expect(detail!.score!.reasons).toContain(intent.reason);

    const drafts = (await queue()).filter((d) => d.leadId === lead!.id);
    expect(drafts).toHaveLength(1);
    const draft = drafts[0]!;
    expect(draft.status).toBe('pending_review');
    // mentionVisit defaults to never: not the topic, not the pages, not that we saw them.
    for (const text of [draft.subjectA, draft.subjectB, draft.body]) {
      expect(text).not.toMatch(TRACKING);
      expect(text).not.toMatch(/AI council/i);
    }
  }, 60_000);

  it('with mentionVisit "topic" the draft names only the topic of the pages, never a page or the tracking', async () => {
    await open({ rb2b: { mentionVisit: 'topic' } });
    for (const body of VISITS) await post(body);
    await settled();
    await runVisitors();
    const [lead] = await visitorLead();
    const [draft] = (await queue()).filter((d) => d.leadId === lead!.id);
    expect(draft!.body).toContain(`Teams like ${ORG.name} often ask us about AI council, so I wanted to share how we approach it.`);
    for (const text of [draft!.subjectA, draft!.subjectB, draft!.body]) expect(text).not.toMatch(TRACKING);
    expect(draft!.grounding).toContainEqual({ claim: 'topic of interest', field: 'sourceName', value: 'AI council', provider: 'rb2b' });
  }, 60_000);

  it('a visitor at a company of exclusions.excludedDomains gets no draft and costs no enrichment', async () => {
    await open({ exclusions: { excludedDomains: [ORG.domain] } });
    await post(VISITS[0]);
    await settled();
    const report = await runVisitors();
    const [lead] = await visitorLead();
    expect(lead).toMatchObject({ status: 'disqualified', disqualification_reason: `excluded domain: ${ORG.domain} is an own or customer domain` });
    expect(report.stages[0]!.metrics).toMatchObject({ excluded: 1 });
    expect(report.stages.find((s) => s.name === 'enrich')!.status).toBe('skip');
    expect(await queue()).toEqual([]);
    // The run that found only excluded visitors did not fail.
    expect(report.status).toBe('passed');
  }, 60_000);

  it('an imported customer domain (caio exclusions import) keeps the visitor from being drafted', async () => {
    await open();
    await createExclusionStore(database.db).add([{ kind: 'domain', value: ORG.domain, source: 'customers.csv', addedBy: 'Dana', addedAt: new Date('2026-12-01T00:00:00Z') }]);
    await post(VISITS[0]);
    await settled();
    await runVisitors();
    const [lead] = await visitorLead();
    expect(lead!.status).toBe('disqualified');
    expect(await queue()).toEqual([]);
  }, 60_000);

  it('a suppressed person stays suppressed: no lead from their visit, and a visitor suppressed after the visit gets no draft', async () => {
    await open();
    // Suppressed before the visit (asked to be forgotten): the visit creates no lead.
    await app.stores.suppressions.add(leadIdentities({ email: null, linkedinUrl: PERSON.linkedinUrl })[0]!, 'suppressed (privacy request)');
    await post(VISITS[0]);
    await settled();
    expect(await visitorLead()).toEqual([]);

    // Someone else visits, then unsubscribes elsewhere before the run: discovery drops them.
    const other = 'https://www.linkedin.com/in/example-visitor-otto-brandt/';
    await post({ ...VISITS[1], 'LinkedIn URL': other, 'Business Email': 'otto.brandt@brandt-partners.example.com', 'Company Name': 'Brandt Partners', Website: 'https://brandt-partners.example.com' });
    await settled();
    expect((await visitorLead()).map((l) => l.status)).toEqual(['discovered']);
    await app.stores.suppressions.add('otto.brandt@brandt-partners.example.com', 'unsubscribed');
    const report = await runVisitors();
    expect(report.stages[0]!.metrics).toMatchObject({ suppressed: 1 });
    expect(report.stages.find((s) => s.name === 'enrich')!.status).toBe('skip');
    expect(await queue()).toEqual([]);
    // Closed with the reason, so the next run does not take them again.
    expect(await visitorLead()).toEqual([expect.objectContaining({ status: 'disqualified', disqualification_reason: expect.stringMatching(/^suppressed: /) })]);
    expect((await runVisitors()).stages[0]!.metrics).toMatchObject({ visitors: 0 });
  }, 60_000);

  it('the scheduled visitors job drafts the waiting visitors; it skips when none wait or another run holds the pipeline lease', async () => {
    await open();
    const jobs = pipelineJobs(app, async () => {});
    closers.push(() => jobs.close());
    expect(await jobs.runVisitors(25)).toEqual({ skipped: 'no website visitor waiting' });
    expect(await app.stores.runs.list(10)).toEqual([]);
    for (const body of VISITS) await post(body);
    await settled();
    const control = createControlStore(database.db);
    const now = app.clock.now();
    expect(await control.acquireLease('pipeline-run', 'another-run', new Date(now.getTime() + 60_000), now)).toBe(true);
    expect(await jobs.runVisitors(25)).toEqual({ skipped: 'another pipeline run is in progress' });
    await control.releaseLease('pipeline-run', 'another-run');
    expect(await jobs.runVisitors(25)).toMatchObject({ status: 'passed', drafts: 1 });
    expect(await queue()).toHaveLength(1);
  }, 60_000);

  it('with no visitor waiting the run passes with nothing to do', async () => {
    await open();
    const report = await runVisitors();
    expect(report.status).toBe('passed');
    expect(report.stages.map((s) => s.status)).toEqual(['pass', 'skip', 'skip', 'skip', 'skip', 'skip']);
  }, 60_000);
});
