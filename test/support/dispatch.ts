import { loadConfig } from '../../src/config/load.js';
import { openApp, openDispatch } from '../../src/deps.js';
import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../src/domain/drafting/index.js';
import { fixedClock } from '../../src/lib/clock.js';
import { type OperatorDeps, type OperatorSettings } from '../../src/dispatch/operator.js';
import type { OutboundChannel } from '../../src/dispatch/ports.js';
import { type GatewaySettings } from '../../src/dispatch/send-gateway.js';
import type { SendChannel } from '../../src/pipeline/context.js';
import type { PipelineStores } from '../../src/pipeline/ports.js';
import { createReviewService } from '../../src/pipeline/review-draft.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { createLogAlerts } from '../../src/providers/log-alerts.js';
import type { Database } from '../../src/store/database.js';
import { createReviewStore } from '../../src/store/review-repo.js';
import { FileConfigSchema } from '../../src/config/schema.js';

/** The configured default cadence (the 8-step, 21-day sequence). */
export const CADENCE = FileConfigSchema.parse({}).cadence;
import { aDiscoveredLead, aProfile } from './builders.js';
import { fakeEnricher, fakeSource, pipelineDeps, silentLog } from './pipeline.js';

const company = (domain: string) => ({ name: 'Northwind Agency', domain, industry: 'marketing & advertising', employeeCount: 180, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null });

export type Harness = Awaited<ReturnType<typeof dispatchHarness>>;

/**
 * The harness's scenario as config values (what caio.config.json would hold), read through the
 * production config and wiring: sandbox providers, live sends, no ramp, business hours 8-18 UTC.
 */
export const HARNESS_CONFIG = {
  providers: 'sandbox',
  send: 'live',
  sandbox: { seed: 1 },
  limits: {
    emailDailyLimit: 25,
    emailHourlyLimit: 15,
    emailMonthlyLimit: 2500,
    perDomainHourlyLimit: 3,
    minDelaySeconds: 45,
    maxLeadsPerDomainPerBatch: 3,
    linkedinWarmupDailyLimit: 5,
    linkedinFullDailyLimit: 20,
    linkedinWarmupWeeks: 4,
    revivalDailyLimit: 5,
  },
  exclusions: { excludedDomains: ['customer.example.com'], competitorDomains: ['gong.io'], excludedEmails: ['vip@partner.example.com'] },
  ramp: { enabled: false },
  tierRouting: { tier_1: ['instantly', 'heyreach'], tier_2: ['instantly', 'heyreach'], tier_3: ['instantly'], tier_4: ['instantly'] },
  revival: { minInactiveDays: 30, maxInactiveDays: 120, excludeTags: ['do-not-contact', 'competitor', 'unsubscribed'] },
  dispatch: {
    gatekeeperRequired: true,
    leaseSeconds: 60,
    drainLimit: 500,
    claimLeaseSeconds: 60,
    timeZone: 'UTC',
    businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5] },
    jitterSeconds: 0,
    autoPause: { maxBounceRate: 0.02, maxComplaintRate: 0.001, minSample: 50 },
    instantlyTimeZone: 'America/Detroit',
    instantlyCampaignDailyLimit: 50,
    instantlyEmailGapMinutes: 10,
  },
  gatekeeper: { batchExpiryHours: 24 },
  jobs: { reviewQueueLowWater: 3, reviewQueueTarget: 5, queueWatchEveryMinutes: 30 },
};

/**
 * Everything a dispatch test needs on one database, built by the production wiring (`openApp` and
 * `openDispatch`, as `caio dispatch` and `caio serve` build it) in sandbox mode: the real Instantly,
 * HeyReach and GHL clients with their HTTP policies against their loopback sandboxes (which count
 * every call), the gateway and the operator. Overrides: a fixed clock (Monday 2026-11-23 10:00 UTC,
 * inside business hours), the test's database, settings on top of HARNESS_CONFIG, wrapped channels.
 */
export const dispatchHarness = async (
  database: Database,
  options: {
    gateway?: Partial<GatewaySettings>;
    operator?: Partial<OperatorSettings>;
    wrap?: (channels: Record<SendChannel, OutboundChannel>) => Partial<Record<SendChannel, OutboundChannel>>;
    holder?: string;
    envStop?: boolean;
    escalation?: OperatorDeps['escalation'];
    config?: Record<string, unknown>;
  } = {},
) => {
  const db = database.db;
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: {}, values: { ...HARNESS_CONFIG, ...options.config } });
  const alerts = createLogAlerts(silentLog);
  const app = await openApp(config, { database, clock, log: silentLog, alerts });
  const stores: PipelineStores = app.stores;
  let real!: Record<SendChannel, OutboundChannel>;
  const dispatch = await openDispatch(app, {
    ...(options.gateway ? { gateway: options.gateway } : {}),
    ...(options.operator ? { operator: options.operator } : {}),
    ...(options.escalation ? { escalation: options.escalation } : {}),
    holder: options.holder ?? 'test-1',
    envEmergencyStop: options.envStop ?? false,
    random: () => 0,
    wrapChannels: (built) => {
      real = built;
      return options.wrap ? options.wrap(built) : built;
    },
  });
  const { gateway, gatekeeper, outbox, control, cadence, operatorFor } = dispatch.parts;
  const { operator } = dispatch;
  const revival = dispatch.revival!;
  const sandboxes = { instantly: dispatch.sandboxes.instantly!, heyreach: dispatch.sandboxes.heyreach!, ghl: dispatch.sandboxes.ghl! };
  const makeOperator = (holder: string, overrides: Partial<OperatorSettings> = {}) => operatorFor(holder, overrides);
  const review = createReviewService({ review: createReviewStore(db), audit: stores.audit, clock, sender: SENDER, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } });
  let n = 0;

  /** A lead through the real pipeline, its draft approved by a person: what dispatch starts from. */
  const approvedLead = async (overrides: { email?: string; domain?: string; linkedin?: boolean; firstName?: string; lastName?: string } = {}) => {
    n++;
    const domain = overrides.domain ?? `northwind${n}.example.com`;
    const email = overrides.email ?? `lead${n}@${domain}`;
    const lead = aDiscoveredLead({
      sourceId: `src-${n}-${email}`,
      profile: aProfile({
        email,
        title: 'CEO',
        firstName: overrides.firstName ?? `Ann${n}`,
        lastName: overrides.lastName ?? 'Lee',
        company: company(domain),
        linkedinUrl: overrides.linkedin === false ? null : `https://www.linkedin.com/in/example-lead-${n}`,
      }),
    });
    await runPipeline(pipelineDeps(stores, { source: fakeSource([lead]), enricher: fakeEnricher({}), clock }).deps, { limit: 5, source: 'fake', seed: null });
    const detail = await stores.leadDetail.detailByEmail(email);
    const draft = detail?.drafts[0];
    if (!draft) throw new Error(`no draft for ${email}: ${detail?.lead.status} ${detail?.lead.skipReason ?? ''}`);
    await review.approve({ draftId: draft.id, by: 'Dani' });
    return { email, leadId: detail.lead.id, draftId: draft.id };
  };

  /** Create, approve and return a batch of everything approved. */
  const approvedBatch = async () => {
    const batch = await gatekeeper.create('outbound', 'Dani');
    await gatekeeper.approve(batch.id, 'Sam');
    return batch;
  };

  return {
    db,
    cadence,
    revival,
    stores,
    clock,
    alerts,
    sandboxes,
    real,
    app,
    dispatch,
    outbox,
    control,
    gatekeeper,
    gateway,
    operator,
    makeOperator,
    approvedLead,
    approvedBatch,
    close: async () => {
      await dispatch.close();
      await app.close();
    },
  };
};
