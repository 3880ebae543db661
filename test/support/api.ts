import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../src/domain/drafting/index.js';
import { FileConfigSchema } from '../../src/config/schema.js';
import { createReviewService } from '../../src/pipeline/review-draft.js';
import type { ApiDeps } from '../../src/server/api/routes.js';
import { runDecay } from '../../src/signals/run-decay.js';
import { createCadenceStore } from '../../src/store/cadence-repo.js';
import { createDashboardQueries } from '../../src/store/dashboard-repo.js';
import { createIncidentStore } from '../../src/store/incident-repo.js';
import { createDecayQuery, createLeadEventStore, createTimelineGapQuery } from '../../src/store/inbox-repo.js';
import { createReviewQueueWatcher } from '../../src/jobs/review-queue-watcher.js';
import { bootstrapTimeline } from '../../src/signals/bootstrap-timeline.js';
import { createTouchRecorder } from '../../src/signals/record-touch.js';
import { createReviewStore } from '../../src/store/review-repo.js';
import { createSignalLeadStore } from '../../src/store/signals-repo.js';
import { createTimelineQuery } from '../../src/store/timeline-repo.js';
import type { Harness } from './dispatch.js';

/** The API's use cases over a dispatch harness: the real services on the test database, its fake clock. */
export const apiDepsOf = (h: Harness, overrides: Partial<ApiDeps> = {}): ApiDeps => {
  const db = h.db;
  const dashboard = createDashboardQueries(db);
  return {
    review: createReviewService({ review: createReviewStore(db), audit: h.stores.audit, clock: h.clock, sender: SENDER, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } }),
    runs: h.stores.runs,
    leadDetail: h.stores.leadDetail,
    timeline: (leadId, limit) => createTimelineQuery(db).forLead(leadId, limit),
    statusCounts: () => dashboard.statusCounts(),
    operatorStatus: async () => ({ ok: true }),
    operator: h.operator,
    dashboard,
    gatekeeper: h.gatekeeper,
    detectDecay: (dryRun) => runDecay({ query: createDecayQuery(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), thresholds: { ghostedAfterHours: 72, stalledAfterDays: 7, engagedOpens: 2, engagedClicks: 1 }, cadence: h.cadence }, h.clock.now(), dryRun),
    cadence: { counts: () => createCadenceStore(db).counts(), due: () => h.cadence.due(h.clock.now()), sync: () => h.cadence.sync(h.clock.now()) },
    runPipeline: async (limit) => ({ limit }),
    // The real watcher and bootstrap over the test database; the top-up's pipeline run is a stand-in that reports its limit.
    queueWatcher: createReviewQueueWatcher({ pending: () => dashboard.pendingReviewCount(), topUp: async (limit) => ({ ran: 'pipeline', limit }), control: h.control, clock: h.clock, holder: 'api-test', settings: { lowWater: 3, target: 5, everyMinutes: 30 } }),
    bootstrapLeads: (options) => bootstrapTimeline({ missing: (limit) => createTimelineGapQuery(db).sentWithoutTouch(limit), record: createTouchRecorder({ events: createLeadEventStore(db), leads: createSignalLeadStore(db), cadence: h.cadence }) }, options),
    kpis: FileConfigSchema.parse({}).kpis,
    incidents: () => createIncidentStore(db).open(),
    now: () => h.clock.now(),
    ...overrides,
  };
};
