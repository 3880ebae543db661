import type { AppDeps, DispatchSet } from '../app-deps.js';
import { operatorStatus, operatorStatusSettings } from '../dispatch/operator-status-settings.js';
import { createReviewService } from '../pipeline/review-draft.js';
import type { ReviewQueueWatcher } from '../jobs/review-queue-watcher.js';
import { bootstrapFor } from '../compose/signals.js';
import { runDecay } from '../signals/run-decay.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import { createDashboardQueries } from '../store/dashboard-repo.js';
import { createIncidentStore } from '../store/incident-repo.js';
import { createDecayQuery, createLeadEventStore } from '../store/inbox-repo.js';
import { createReviewStore } from '../store/review-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import { createTimelineQuery } from '../store/timeline-repo.js';
import type { ApiDeps } from '../server/api/routes.js';

/** The API's use cases for one app: the same services the CLI builds. */
export const apiDepsFor = (app: AppDeps, dispatch: DispatchSet, runPipeline: (limit: number) => Promise<Record<string, unknown>>, queueWatcher: ReviewQueueWatcher): ApiDeps => {
  const db = app.database.db;
  const cadence = dispatch.parts.cadence;
  const dashboard = createDashboardQueries(db);
  return {
    review: createReviewService({ review: createReviewStore(db), audit: app.stores.audit, clock: app.clock, sender: app.config.sender, quality: { ...app.config.quality, maxRejections: app.config.review.maxRejections } }),
    runs: app.stores.runs,
    leadDetail: app.stores.leadDetail,
    timeline: (leadId, limit) => createTimelineQuery(db).forLead(leadId, limit),
    statusCounts: () => dashboard.statusCounts(),
    operatorStatus: () => operatorStatus(db, operatorStatusSettings(app.config), app.clock.now()),
    operator: dispatch.operator,
    dashboard,
    gatekeeper: dispatch.parts.gatekeeper,
    detectDecay: (dryRun) => runDecay({ query: createDecayQuery(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), thresholds: app.config.decay, cadence }, app.clock.now(), dryRun),
    cadence: { counts: () => createCadenceStore(db).counts(), due: () => cadence.due(app.clock.now()), sync: () => cadence.sync(app.clock.now()) },
    runPipeline,
    queueWatcher,
    bootstrapLeads: bootstrapFor(app),
    kpis: app.config.kpis,
    incidents: () => createIncidentStore(db).open(),
    now: () => app.clock.now(),
  };
};
