import { openBenchDatabase } from './bench-store.js';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { emptyLead } from '../src/domain/lead.js';
import { DEFAULT_ICP_SETTINGS } from '../src/domain/scoring/settings.js';
import { DEFAULT_SENDER_SETTINGS } from '../src/domain/drafting/index.js';
import { createOperator } from '../src/dispatch/operator.js';
import { createSendGateway } from '../src/dispatch/send-gateway.js';
import { systemClock } from '../src/lib/clock.js';
import { createGatekeeper } from '../src/pipeline/gatekeeper.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { createInstantlyClient } from '../src/providers/instantly/client.js';
import { createInstantlyChannel } from '../src/providers/instantly/outbound-channel.js';
import { createLogAlerts } from '../src/providers/log-alerts.js';
import { startInstantlySandbox } from '../src/providers/sandbox/instantly/server.js';
import { createBatchStore } from '../src/store/batches-repo.js';
import { createCampaignStore, createControlStore } from '../src/store/control-repo.js';
import { createLeadStateQuery } from '../src/store/dispatch-query-repo.js';
import { createStores } from '../src/store/index.js';
import { createOutboxStore } from '../src/store/outbox-repo.js';

const ITEMS = Number(process.env.BENCH_DISPATCH_ITEMS ?? 1000);
const NO_LIMIT = 1_000_000;

/** ITEMS leads, each with an approved draft, on a fresh the embedded PostgreSQL, or DATABASE_URL. */
const seed = async () => {
  const database = await openBenchDatabase();
  const stores = createStores(database.db);
  const log = pino({ level: 'silent' });
  const leads = Array.from({ length: ITEMS }, (_, i) => {
    const profile = emptyLead({ email: `person${i}@company${i}.example.com`, firstName: `Ann${i}`, lastName: 'Lee', fullName: `Ann${i} Lee`, title: 'CEO' });
    profile.company = { ...profile.company, name: `Company ${i}`, domain: `company${i}.example.com`, industry: 'marketing & advertising', employeeCount: 180 };
    return { source: 'bench', sourceId: `b${i}`, profile, raw: {} };
  });
  await runPipeline(
    {
      stores,
      source: { name: 'bench', discover: async () => ({ leads, errors: [], metrics: {} }) },
      enricher: { provider: 'none', enrich: async () => ({ outcome: 'miss' }) },
      alerts: createLogAlerts(log),
      clock: systemClock,
      log,
      settings: {
        mode: 'sandbox',
        icp: DEFAULT_ICP_SETTINGS,
        sender: DEFAULT_SENDER_SETTINGS,
        tierRouting: { tier_1: ['instantly'], tier_2: ['instantly'], tier_3: ['instantly'], tier_4: ['instantly'] },
        stopOnStageFailure: false,
        enrichConcurrency: 4,
        enrichTimeoutMs: 180_000,
        review: { rejectionTtlDays: 30, maxRejections: 2 },
        quality: { enabled: false, mode: 'soft', genericPhraseDensity: 0.4 },
        enrich: false,
      },
    },
    { limit: ITEMS, source: 'bench', seed: null },
  );
  // Approval by a person is not what is measured here.
  await database.db.execute(sql`update drafts set status = 'approved', decided_by = 'bench', decided_at = now() where status = 'pending_review'`);
  return { database, stores };
};

/** The whole live path: batch executed into the outbox, then every item through the gateway's guards and claim. */
const timeDispatch = async () => {
  const { database, stores } = await seed();
  const sandbox = await startInstantlySandbox({ apiKey: 'bench-key', rateLimitPerMinute: 10_000_000, rateLimitPerSecond: 10_000_000, leadPlanLimit: 10_000_000 });
  try {
    const db = database.db;
    const alerts = createLogAlerts(pino({ level: 'silent' }));
    const outbox = createOutboxStore(db);
    const control = createControlStore(db);
    const leads = createLeadStateQuery(db);
    const batches = createBatchStore(db);
    const channels = {
      instantly: createInstantlyChannel({
        client: createInstantlyClient({ baseUrl: sandbox.url, apiKey: 'bench-key' }),
        campaigns: createCampaignStore(db),
        settings: { senders: [], timezone: 'America/Detroit', days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, campaignDailyLimit: 50, emailGapMinutes: 10 },
      }),
    };
    const gatekeeper = createGatekeeper({
      batches,
      audit: stores.audit,
      alerts,
      clock: systemClock,
      settings: { batchExpiryHours: 24, tierRouting: { tier_1: ['instantly'], tier_2: ['instantly'], tier_3: ['instantly'], tier_4: ['instantly'] } },
    });
    const gateway = createSendGateway({
      outbox,
      control,
      leads,
      isSuppressed: () => stores.suppressions.matcher(),
      channels,
      audit: stores.audit,
      alerts,
      clock: systemClock,
      envEmergencyStop: false,
      settings: {
        limits: { emailDailyLimit: NO_LIMIT, emailHourlyLimit: NO_LIMIT, emailMonthlyLimit: NO_LIMIT, perDomainHourlyLimit: NO_LIMIT, minDelaySeconds: 0 },
        linkedinWarmup: { warmupStart: null, warmupWeeks: 0, warmupDailyLimit: NO_LIMIT, fullDailyLimit: NO_LIMIT },
        emailDailyLimit: NO_LIMIT,
        senders: [],
        recipients: { excludedDomains: ['gong.io'], excludedEmails: [] },
        businessHours: { startHour: 0, endHour: 24, weekdays: [1, 2, 3, 4, 5, 6, 7] },
        jitterSeconds: 0,
        claimLeaseMs: 60_000,
      },
    });
    const operator = createOperator({
      gatekeeper,
      batches,
      outbox,
      control,
      campaigns: createCampaignStore(db),
      leads,
      gateway,
      channels,
      audit: stores.audit,
      alerts,
      clock: systemClock,
      settings: {
        send: 'live',
        gatekeeperRequired: true,
        maxLeadsPerDomainPerBatch: NO_LIMIT,
        ramp: { enabled: false, mode: 'clean_days', emailDailyLimitOverride: 5, tierFilter: null, startDate: null, rampDays: 0, cleanDaysRequired: 0, cleanDaysLookbackDays: 1 },
        leaseMs: 600_000,
        drainLimit: ITEMS * 2,
        autoPause: { maxBounceRate: 0.02, maxComplaintRate: 0.001, minSample: 50 },
        cadenceSteps: [],
        emailDailyLimit: NO_LIMIT,
      },
    });
    const batch = await gatekeeper.create('outbound', 'bench');
    await gatekeeper.approve(batch.id, 'bench');
    const started = performance.now();
    const report = await operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'bench' });
    const ms = performance.now() - started;
    return {
      ms,
      sent: report.drain.counts.sent,
      deferred: report.drain.counts.deferred,
      deferReasons: [...new Set(report.drain.items.filter((i) => i.outcome === 'deferred').map((i) => i.reason))],
      sandboxCalls: sandbox.stats.bulkAddCalls,
    };
  } finally {
    await sandbox.close();
    await database.close();
  }
};

/** The baseline: the same client adding the same number of leads, one call each, with no store and no guards. */
const timeBaseline = async () => {
  const sandbox = await startInstantlySandbox({ apiKey: 'bench-key', rateLimitPerMinute: 10_000_000, rateLimitPerSecond: 10_000_000, leadPlanLimit: 10_000_000 });
  try {
    const client = createInstantlyClient({ baseUrl: sandbox.url, apiKey: 'bench-key' });
    const campaign = await client.createCampaign({ name: 'bench', campaign_schedule: { schedules: [{ name: 'b', timing: { from: '08:00', to: '18:00' }, days: { '1': true }, timezone: 'America/Detroit' }] } });
    const started = performance.now();
    for (let i = 0; i < ITEMS; i++) await client.addLeads(campaign.id, [{ email: `person${i}@company${i}.example.com`, custom_variables: { subject: 's', body: 'b' } }]);
    return { ms: performance.now() - started };
  } finally {
    await sandbox.close();
  }
};

export const benchDispatch = async () => {
  const baseline = await timeBaseline();
  const dispatch = await timeDispatch();
  return {
    name: `dispatch of a ${ITEMS}-item approved batch (Instantly sandbox, no latency, the embedded PostgreSQL, or DATABASE_URL)`,
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
  };
};
