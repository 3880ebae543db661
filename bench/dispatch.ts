import { openBenchApp } from './bench-store.js';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDispatch, pipelineDepsFor, type AppDeps, type ProviderSet } from '../src/deps.js';
import { emptyLead } from '../src/domain/lead.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { createInstantlyClient } from '../src/providers/instantly/client.js';
import { startInstantlySandbox } from '../src/providers/sandbox/instantly/server.js';

const ITEMS = Number(process.env.BENCH_DISPATCH_ITEMS ?? 1000);
/** Outbox rows already there (BENCH_DISPATCH_HISTORY): with it set, the dispatch is timed without and with them, in one run. */
const HISTORY = Number(process.env.BENCH_DISPATCH_HISTORY ?? 0);
const INSTANTLY_KEY = 'bench-key';
const EVERY_CHANNEL = ['instantly'];

/**
 * The scenario as a config file would hold it: live sends through Instantly at `instantlyUrl`, and
 * limits and a ramp that never hold an item back (the config's ceilings, far above ITEMS up to
 * 10,000), so that what is timed is the work per item, not a wait. Business hours, the inbox gap
 * and jitter gate only channels that send at once (GHL): Instantly keeps its own schedule.
 */
const scenario = (instantlyUrl: string) => ({
  providers: 'live',
  send: 'live',
  instantly: { baseUrl: instantlyUrl, rateLimitPerMinute: 100_000 },
  tierRouting: { tier_1: EVERY_CHANNEL, tier_2: EVERY_CHANNEL, tier_3: EVERY_CHANNEL, tier_4: EVERY_CHANNEL },
  quality: { enabled: false, mode: 'soft' },
  ramp: { enabled: false },
  limits: { emailDailyLimit: 10_000, emailHourlyLimit: 10_000, emailMonthlyLimit: 1_000_000, perDomainHourlyLimit: 1000, maxLeadsPerDomainPerBatch: 1000 },
  dispatch: { leaseSeconds: 600, drainLimit: ITEMS * 2, claimLeaseSeconds: 60 },
});

/** Live providers: Instantly's key (the loopback sandbox's); Apollo's only because a live config requires one, never called here. */
const ENV = { INSTANTLY_API_KEY: INSTANTLY_KEY, APOLLO_API_KEY: 'bench-unused' };

/**
 * Every statement the process sends to PostgreSQL while `counting`, and how many of them open a
 * transaction: counted at the driver (pool queries, drizzle's, a transaction's), as growth.ts does.
 */
const statementCounter = () => {
  const counted = { statements: 0, transactions: 0 };
  const prototype = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    counted.statements += 1;
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string' && /^\s*begin\b/i.test(text)) counted.transactions += 1;
    return original.apply(this, args);
  };
  return { read: () => ({ ...counted }), restore: () => void (prototype.query = original) };
};

/** A sandbox with its own limits lifted: the provider answers at once and never refuses. */
const liftedSandbox = () => startInstantlySandbox({ apiKey: INSTANTLY_KEY, rateLimitPerMinute: 10_000_000, rateLimitPerSecond: 10_000_000, leadPlanLimit: 10_000_000 });

/** ITEMS leads through the app's pipeline (enrichment off), each draft then approved. */
const seed = async (app: AppDeps) => {
  const leads = Array.from({ length: ITEMS }, (_, i) => {
    const profile = emptyLead({ email: `person${i}@company${i}.example.com`, firstName: `Ann${i}`, lastName: 'Lee', fullName: `Ann${i} Lee`, title: 'CEO' });
    profile.company = { ...profile.company, name: `Company ${i}`, domain: `company${i}.example.com`, industry: 'marketing & advertising', employeeCount: 180 };
    return { source: 'bench', sourceId: `b${i}`, profile, raw: {} };
  });
  // The bench's leads are the input, as a file is for `caio pipeline run --input`; the rest is the app's wiring.
  const input: ProviderSet = {
    source: { name: 'bench', discover: async () => ({ leads, errors: [], metrics: {} }) },
    enricher: { provider: 'none', enrich: async () => ({ outcome: 'miss' }) },
    close: async () => {},
    description: `${ITEMS} bench leads`,
  };
  await runPipeline(pipelineDepsFor(app, input, { enrich: false }), { limit: ITEMS, source: 'bench', seed: null });
  // Approval by a person is not what is measured here.
  await app.database.db.execute(sql`update drafts set status = 'approved', decided_by = 'bench', decided_at = now() where status = 'pending_review'`);
};

/**
 * `rows` outbox rows of earlier dispatches (five per lead, on leads of their own, in the seed's run): sent, with a few
 * rejected and failed, over the year before yesterday, so that no quota, cap or lead of this run
 * is touched by them; what they change is the size of the tables the drain reads.
 */
const seedHistory = async (app: AppDeps, rows: number) => {
  if (rows <= 0) return;
  const leadCount = Math.ceil(rows / 5);
  await app.database.db.execute(sql`
    insert into leads (source, source_id, email, profile, status, first_run_id, last_run_id)
    select 'history', 'h' || i, 'old' || i || '@history' || (i % 997) || '.example.com', '{}'::jsonb, 'contacted', run.id, run.id
    from generate_series(1, ${leadCount}) i, (select first_run_id as id from leads limit 1) run`);
  await app.database.db.execute(sql`
    with l as (select id, email, row_number() over (order by id) as n from leads where source = 'history'),
    r as (select i, now() - interval '2 days' - (i % 365) * interval '1 day' - (i % 1440) * interval '1 minute' as at from generate_series(1, ${rows}) i)
    insert into outbox (dedup_key, lead_id, channel, step, recipient, recipient_domain, tier, status, reason, not_before, claim_token, claimed_at, provider_ref, sent_at, attempts, created_at, updated_at)
    select 'history:' || r.i, l.id, case when r.i % 3 = 0 then 'heyreach' else 'instantly' end, 's' || (r.i % 5), l.email, split_part(l.email, '@', 2), 'tier_2',
      case when r.i % 20 = 0 then 'rejected' when r.i % 20 = 1 then 'failed' else 'sent' end, null, r.at, 'old', r.at, 'ref-' || r.i,
      case when r.i % 20 > 1 then r.at end, 1, r.at, r.at
    from r join l on l.n = 1 + (r.i % ${leadCount})`);
  await app.database.db.execute(sql`analyze outbox`);
  await app.database.db.execute(sql`analyze leads`);
};

/**
 * The whole live path, wired by the composition root as `caio dispatch` wires it (`openDispatch`:
 * the Instantly client with its HTTP policy, the channel, gateway, gatekeeper and OPERATOR): the
 * batch executed into the outbox, then every item through the gateway's guards, claim and the
 * touch it records.
 */
const timeDispatch = async (history = 0) => {
  const sandbox = await liftedSandbox();
  const bench = await openBenchApp(scenario(sandbox.url), ENV);
  try {
    await seed(bench.app);
    await seedHistory(bench.app, history);
    const dispatch = await openDispatch(bench.app, { holder: 'bench' });
    try {
      const { gatekeeper } = dispatch.parts;
      const batch = await gatekeeper.create('outbound', 'bench');
      await gatekeeper.approve(batch.id, 'bench');
      const counter = statementCounter();
      const started = performance.now();
      let report;
      try {
        report = await dispatch.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'bench' });
      } finally {
        counter.restore();
      }
      const ms = performance.now() - started;
      const counted = counter.read();
      return {
        statements: counted.statements,
        transactions: counted.transactions,
        ms,
        label: bench.label,
        sent: report.drain.counts.sent,
        deferred: report.drain.counts.deferred,
        deferReasons: [...new Set(report.drain.items.filter((i) => i.outcome === 'deferred').map((i) => i.reason))],
        sandboxCalls: sandbox.stats.bulkAddCalls,
      };
    } finally {
      await dispatch.close();
    }
  } finally {
    await bench.close();
    await sandbox.close();
  }
};

/**
 * The baseline: a bare Instantly client adding the same number of leads, one call each, with no
 * store and no guards. Built by hand on purpose: it is what the wiring is measured against.
 */
const timeBaseline = async () => {
  const sandbox = await liftedSandbox();
  try {
    const client = createInstantlyClient({ baseUrl: sandbox.url, apiKey: INSTANTLY_KEY });
    const campaign = await client.createCampaign({ name: 'bench', campaign_schedule: { schedules: [{ name: 'b', timing: { from: '08:00', to: '18:00' }, days: { '1': true }, timezone: 'America/Detroit' }] } });
    const started = performance.now();
    for (let i = 0; i < ITEMS; i++) await client.addLeads(campaign.id, [{ email: `person${i}@company${i}.example.com`, custom_variables: { subject: 's', body: 'b' } }]);
    return { ms: performance.now() - started };
  } finally {
    await sandbox.close();
  }
};

/** Per sent item: the time over the bare client's, and the statements and transactions of the whole live dispatch. */
const perItem = (dispatch: Awaited<ReturnType<typeof timeDispatch>>, baseline: { ms: number }) => ({
  overheadPerItemMs: +((dispatch.ms - (baseline.ms * dispatch.sent) / ITEMS) / Math.max(1, dispatch.sent)).toFixed(2),
  statementsPerItem: +(dispatch.statements / Math.max(1, dispatch.sent)).toFixed(2),
  transactionsPerItem: +(dispatch.transactions / Math.max(1, dispatch.sent)).toFixed(2),
});

export const benchDispatch = async () => {
  const baseline = await timeBaseline();
  const dispatch = await timeDispatch();
  const withHistory = HISTORY > 0 ? await timeDispatch(HISTORY) : null;
  return {
    name: `dispatch of a ${ITEMS}-item approved batch (Instantly sandbox, no latency, ${dispatch.label}, wired by openDispatch)`,
    dispatchMs: Math.round(dispatch.ms),
    itemsSent: dispatch.sent,
    itemsDeferred: dispatch.deferred,
    deferReasons: dispatch.deferReasons,
    itemsPerSecond: Math.round((dispatch.sent / dispatch.ms) * 1000),
    baselineMs: Math.round(baseline.ms),
    baselineItemsPerSecond: Math.round((ITEMS / baseline.ms) * 1000),
    overheadPerItemMs: +((dispatch.ms - (baseline.ms * dispatch.sent) / ITEMS) / Math.max(1, dispatch.sent)).toFixed(2),
    ratio: `${(dispatch.ms / ((baseline.ms * dispatch.sent) / ITEMS)).toFixed(2)}x`,
    sandboxCalls: dispatch.sandboxCalls,
    // The whole live dispatch (the batch queued into the outbox, reconcile, the drain) per item sent.
    statementsPerItem: +(dispatch.statements / Math.max(1, dispatch.sent)).toFixed(2),
    transactionsPerItem: +(dispatch.transactions / Math.max(1, dispatch.sent)).toFixed(2),
    // The same dispatch on a database that already holds HISTORY outbox rows (the issue: within 20 % of none).
    ...(withHistory
      ? {
          withHistory: {
            historyRows: HISTORY,
            dispatchMs: Math.round(withHistory.ms),
            itemsSent: withHistory.sent,
            ...perItem(withHistory, baseline),
            overheadVsNone: `${(perItem(withHistory, baseline).overheadPerItemMs / Math.max(0.01, perItem(dispatch, baseline).overheadPerItemMs)).toFixed(2)}x`,
          },
        }
      : {}),
  };
};
