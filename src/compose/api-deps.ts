import type { AppDeps, DispatchSet } from './app-deps.js';
import type { ReviewQueueControls } from '../jobs/ports.js';
import { bootstrapFor } from './signals.js';
import { decayDetectorFor } from './decay.js';
import { batchScopeFor, batchSenderFor, campaignControlsFor, openIncidentsFor, operatorStatusFor, sendBoardFor } from './operator.js';
import { reviewServiceFor } from './review.js';
import { stopViewFor } from './stop-view.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import { createDashboardQueries } from '../store/dashboard-repo.js';
import { createTimelineQuery } from '../store/timeline-repo.js';
import type { ApiDeps } from '../server/api/routes.js';
import { ask, toAskJson } from '../queen/ask.js';
import { agentsStatus } from '../queen/agents-status.js';
import { agentsStatusDepsFor, queenDepsFor } from './queen.js';
import { funnelFor, learningReportFor } from './learning.js';
import { replyDeskFor } from './replies-view.js';
import { meetingBriefsFor } from './meeting-briefs.js';

/** The API's use cases for one app: the same services the CLI builds (campaign activation included). */
export const apiDepsFor = (app: AppDeps, dispatch: DispatchSet, runPipeline: (limit: number) => Promise<Record<string, unknown>>, queueWatcher: ReviewQueueControls): ApiDeps => {
  const db = app.database.db;
  const cadence = dispatch.parts.cadence;
  const dashboard = createDashboardQueries(db);
  const detectDecay = decayDetectorFor(app, cadence);
  const deps: ApiDeps = {
    review: reviewServiceFor(app),
    runs: app.stores.runs,
    leadDetail: app.stores.leadDetail,
    timeline: (leadId, limit) => createTimelineQuery(db).forLead(leadId, limit),
    statusCounts: () => dashboard.statusCounts(),
    operatorStatus: operatorStatusFor(app),
    operator: dispatch.operator,
    campaigns: campaignControlsFor(app, dispatch),
    dashboard,
    gatekeeper: dispatch.parts.gatekeeper,
    detectDecay: (dryRun) => detectDecay(app.clock.now(), dryRun),
    cadence: { counts: () => createCadenceStore(db).counts(), due: () => cadence.due(app.clock.now()), sync: () => cadence.sync(app.clock.now()) },
    runPipeline,
    queueWatcher,
    bootstrapLeads: bootstrapFor(app),
    kpis: app.config.kpis,
    learning: { report: learningReportFor(db, app.config.learning), funnel: funnelFor(db, app.clock) },
    incidents: openIncidentsFor(app),
    ask: async (request, options) => toAskJson(await ask(queenDepsFor(app), request, options)),
    agentsStatus: () => agentsStatus(agentsStatusDepsFor(app)),
    replies: replyDeskFor(app, dispatch, (id) => meetingBriefsFor(app, dispatch).brief(id)),
    now: () => app.clock.now(),
    stopView: stopViewFor(app),
    // The OPERATOR's dispatch read through `deps` when called: `caio serve` beside workers swaps it for a job (server.ts).
    batchSend: batchSenderFor(app, dispatch, (request) => deps.operator.dispatch(request)),
    sendBoard: sendBoardFor(app),
    batchScope: batchScopeFor(app, dispatch),
    approvalScope: { tierRouting: app.config.tierRouting, cadenceSteps: app.config.cadence.steps },
  };
  return deps;
};
