import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../src/domain/drafting/index.js';
import { fixedClock } from '../../src/lib/clock.js';
import { createOperator, type OperatorDeps, type OperatorSettings } from '../../src/dispatch/operator.js';
import type { OutboundChannel } from '../../src/dispatch/ports.js';
import { createSendGateway, type GatewaySettings } from '../../src/dispatch/send-gateway.js';
import { createGatekeeper } from '../../src/pipeline/gatekeeper.js';
import type { SendChannel } from '../../src/pipeline/context.js';
import type { PipelineStores } from '../../src/pipeline/ports.js';
import { createReviewService } from '../../src/pipeline/review-draft.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import { createGhlClient } from '../../src/providers/ghl/client.js';
import { createGhlChannel } from '../../src/providers/ghl/outbound-channel.js';
import { createHeyReachClient } from '../../src/providers/heyreach/client.js';
import { createHeyReachChannel } from '../../src/providers/heyreach/outbound-channel.js';
import { createInstantlyClient } from '../../src/providers/instantly/client.js';
import { createInstantlyChannel } from '../../src/providers/instantly/outbound-channel.js';
import { createLogAlerts } from '../../src/providers/log-alerts.js';
import { startGhlSandbox } from '../../src/providers/sandbox/ghl/server.js';
import { staleCrmContacts } from '../../src/providers/sandbox/ghl/stale-contacts.js';
import { createRevival } from '../../src/signals/revival.js';
import { revivalQueuedSince } from '../../src/store/inbox-repo.js';
import { startHeyReachSandbox } from '../../src/providers/sandbox/heyreach/server.js';
import { startInstantlySandbox } from '../../src/providers/sandbox/instantly/server.js';
import { createBatchStore } from '../../src/store/batches-repo.js';
import { createCampaignStore, createControlStore } from '../../src/store/control-repo.js';
import type { Database } from '../../src/store/database.js';
import { createLeadStateQuery } from '../../src/store/dispatch-query-repo.js';
import { createStores } from '../../src/store/index.js';
import { createOutboxStore } from '../../src/store/outbox-repo.js';
import { createReviewStore } from '../../src/store/review-repo.js';
import { createTouchRecorder } from '../../src/signals/record-touch.js';
import { createCadenceSync } from '../../src/signals/cadence-sync.js';
import { createCadenceStore } from '../../src/store/cadence-repo.js';
import { FileConfigSchema } from '../../src/config/schema.js';

/** The configured default cadence (the 8-step, 21-day sequence). */
export const CADENCE = FileConfigSchema.parse({}).cadence;
import { createLeadEventStore } from '../../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../../src/store/signals-repo.js';
import { aDiscoveredLead, aProfile } from './builders.js';
import { fakeEnricher, fakeSource, pipelineDeps, silentLog } from './pipeline.js';

const company = (domain: string) => ({ name: 'Northwind Agency', domain, industry: 'marketing & advertising', employeeCount: 180, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null });

export const BASE_GATEWAY: GatewaySettings = {
  limits: { emailDailyLimit: 25, emailHourlyLimit: 15, emailMonthlyLimit: 2500, perDomainHourlyLimit: 3, minDelaySeconds: 45 },
  linkedinWarmup: { warmupStart: null, warmupWeeks: 4, warmupDailyLimit: 5, fullDailyLimit: 20 },
  emailDailyLimit: 25,
  senders: [],
  recipients: { excludedDomains: ['customer.example.com', 'gong.io'], excludedEmails: ['vip@partner.example.com'] },
  businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5], defaultTimeZone: 'UTC' },
  jitterSeconds: 0,
  claimLeaseMs: 60_000,
};

export const BASE_OPERATOR: OperatorSettings = {
  send: 'live',
  gatekeeperRequired: true,
  maxLeadsPerDomainPerBatch: 3,
  ramp: { enabled: false, mode: 'clean_days', emailDailyLimitOverride: 5, tierFilter: 'tier_1', startDate: null, rampDays: 3, cleanDaysRequired: 3, cleanDaysLookbackDays: 45 },
  leaseMs: 60_000,
  drainLimit: 500,
  autoPause: { maxBounceRate: 0.02, maxComplaintRate: 0.001, minSample: 50 },
  cadenceSteps: FileConfigSchema.parse({}).cadence.steps,
  emailDailyLimit: 25,
};

export type Harness = Awaited<ReturnType<typeof dispatchHarness>>;

/**
 * Everything a dispatch test needs on one database: the stores, the real Instantly, HeyReach and GHL
 * clients against their loopback sandboxes (which count every call), the gateway and the operator.
 * Monday 2026-11-23 10:00 UTC, inside business hours.
 */
export const dispatchHarness = async (database: Database, options: { gateway?: Partial<GatewaySettings>; operator?: Partial<OperatorSettings>; wrap?: (channels: Record<SendChannel, OutboundChannel>) => Partial<Record<SendChannel, OutboundChannel>>; holder?: string; envStop?: boolean; escalation?: OperatorDeps['escalation'] } = {}) => {
  const db = database.db;
  const stores: PipelineStores = createStores(db);
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const alerts = createLogAlerts(silentLog);
  const instantly = await startInstantlySandbox({ apiKey: 'inst-key-123456' });
  const heyreach = await startHeyReachSandbox({ apiKey: 'hr-key-123456' });
  const ghl = await startGhlSandbox({ seedContacts: staleCrmContacts(clock.now(), 1) });
  const campaigns = createCampaignStore(db);
  const real: Record<SendChannel, OutboundChannel> = {
    instantly: createInstantlyChannel({ client: createInstantlyClient({ baseUrl: instantly.url, apiKey: 'inst-key-123456' }), campaigns, settings: { senders: [], timezone: 'America/Detroit', days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, campaignDailyLimit: 50, emailGapMinutes: 10 } }),
    heyreach: createHeyReachChannel({ client: createHeyReachClient({ baseUrl: heyreach.url, apiKey: 'hr-key-123456' }), campaigns }),
    ghl: createGhlChannel({ client: createGhlClient({ baseUrl: ghl.url, apiKey: ghl.apiKey, locationId: ghl.locationId }) }),
  };
  const channels = options.wrap ? options.wrap(real) : real;
  const outbox = createOutboxStore(db);
  const control = createControlStore(db);
  const batches = createBatchStore(db);
  const leads = createLeadStateQuery(db);
  const gatewaySettings = { ...BASE_GATEWAY, ...options.gateway };
  const gatekeeper = createGatekeeper({ batches, audit: stores.audit, alerts, clock, settings: { batchExpiryHours: 24, tierRouting: { tier_1: ['instantly', 'heyreach'], tier_2: ['instantly', 'heyreach'], tier_3: ['instantly'], tier_4: ['instantly'] } } });
  const ghlClient = createGhlClient({ baseUrl: ghl.url, apiKey: ghl.apiKey, locationId: ghl.locationId });
  const revival = createRevival({ ghl: ghlClient, leads: createSignalLeadStore(db), events: createLeadEventStore(db), settings: { minInactiveDays: 30, maxInactiveDays: 120, excludeTags: ['do-not-contact', 'competitor', 'unsubscribed'] }, dailyLimit: 5, queuedToday: (now) => revivalQueuedSince(db, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))) });
  const cadence = createCadenceSync({ store: createCadenceStore(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), settings: CADENCE });
  const makeOperator = (holder: string, overrides: Partial<OperatorSettings> = {}) => {
    const gateway = createSendGateway({ outbox, control, leads, isSuppressed: () => stores.suppressions.matcher(), channels, audit: stores.audit, alerts, clock, envEmergencyStop: options.envStop ?? false, settings: gatewaySettings, random: () => 0, onSent: createTouchRecorder({ events: createLeadEventStore(db), leads: createSignalLeadStore(db), cadence }) });
    return { gateway, operator: createOperator({ ...(options.escalation ? { escalation: options.escalation } : {}), cadence, revival, gatekeeper, batches, outbox, control, campaigns, leads, gateway, channels, audit: stores.audit, alerts, clock, settings: { ...BASE_OPERATOR, ...options.operator, ...overrides }, holder }) };
  };
  const { gateway, operator } = makeOperator(options.holder ?? 'test-1');
  const review = createReviewService({ review: createReviewStore(db), audit: stores.audit, clock, sender: SENDER, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } });
  let n = 0;

  /** A lead through the real pipeline, its draft approved by a person: what dispatch starts from. */
  const approvedLead = async (overrides: { email?: string; domain?: string; linkedin?: boolean; firstName?: string; lastName?: string } = {}) => {
    n++;
    const domain = overrides.domain ?? `northwind${n}.example.com`;
    const email = overrides.email ?? `lead${n}@${domain}`;
    const lead = aDiscoveredLead({ sourceId: `src-${n}-${email}`, profile: aProfile({ email, title: 'CEO', firstName: overrides.firstName ?? `Ann${n}`, lastName: overrides.lastName ?? 'Lee', company: company(domain), linkedinUrl: overrides.linkedin === false ? null : `https://www.linkedin.com/in/example-lead-${n}` }) });
    await runPipeline(pipelineDeps(stores, { source: fakeSource([lead]), enricher: fakeEnricher({}), clock }).deps, { limit: 5, source: 'fake', seed: null });
    const detail = await stores.leadDetail.detailByEmail(email);
    const draft = detail?.drafts[0];
    if (!draft) throw new Error(`no draft for ${email}: ${detail?.lead.status} ${detail?.lead.skipReason ?? ''}`);
    await review.approve({ draftId: draft.id, by: 'Dani' });
    return { email, leadId: detail!.lead.id, draftId: draft.id };
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
    sandboxes: { instantly, heyreach, ghl },
    real,
    outbox,
    control,
    gatekeeper,
    gateway,
    operator,
    makeOperator,
    approvedLead,
    approvedBatch,
    close: async () => {
      await instantly.close();
      await heyreach.close();
      await ghl.close();
    },
  };
};
