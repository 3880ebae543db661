import { activateCampaign } from '../dispatch/activate-campaign.js';
import { createBatchSender } from '../dispatch/batch-send.js';
import { batchOutlook } from '../dispatch/batch-outlook.js';
import type { BatchScopeControls } from '../server/api/routes.js';
import { createReviewStore } from '../store/review-repo.js';
import { isAppError } from '../lib/app-error.js';
import { operatorStatus, operatorStatusSettings } from '../dispatch/operator-status-settings.js';
import type { CampaignControls, DispatchReport, DispatchRequest, OperatorControls, OperatorStatusStores } from '../dispatch/ports.js';
import { createGatekeeper } from '../pipeline/gatekeeper.js';
import type { BatchStore } from '../pipeline/review-ports.js';
import { createBatchStore } from '../store/batches-repo.js';
import { operatorPageUrl } from './operator-url.js';
import { createCampaignStore, createControlStore } from '../store/control-repo.js';
import type { Db } from '../store/database.js';
import { createIncidentStore } from '../store/incident-repo.js';
import { createOutboxStore } from '../store/outbox-repo.js';
import { createSendBoardQueries } from '../store/send-board-repo.js';
import type { AppDeps, DispatchSet } from './app-deps.js';

/** The Gatekeeper of one app (batches for a person to approve), as `caio batch`, the OPERATOR and the API use it. */
export const gatekeeperFor = (app: AppDeps, batches: BatchStore = createBatchStore(app.database.db)) =>
  createGatekeeper({
    batches,
    audit: app.stores.audit,
    alerts: app.alerts,
    clock: app.clock,
    settings: { batchExpiryHours: app.config.gatekeeper.batchExpiryHours, tierRouting: app.config.tierRouting, operatorUrl: operatorPageUrl(app.config) },
  });

/**
 * A pending batch item by item (its messages and the OPERATOR's dry-run outcomes) and leaving
 * items out of it (issue 21 item 3). The dry run is the real OPERATOR's, in this process: it
 * writes nothing, so it never needs a worker.
 */
export const batchScopeFor = (app: AppDeps, dispatch: DispatchSet): BatchScopeControls => {
  const batches = createBatchStore(app.database.db);
  const reviews = createReviewStore(app.database.db);
  return {
    outlook: (batchId) =>
      batchOutlook(
        {
          operator: dispatch.operator,
          gatekeeper: dispatch.parts.gatekeeper,
          draftStatuses: (ids) => batches.draftStatuses(ids),
          draftCopy: async (draftId) => {
            const d = await reviews.get(draftId);
            return d ? { subject: d.editedSubject ?? d.subjectA, body: d.editedBody ?? d.body } : null;
          },
        },
        batchId,
        'dashboard (preview)',
      ),
    exclude: (batchId, items, by) => dispatch.parts.gatekeeper.excludeItems(batchId, items, by),
  };
};

/** The stores the operator status reads, on one database. */
export const operatorStatusStoresOn = (db: Db): OperatorStatusStores => ({ outbox: createOutboxStore(db), control: createControlStore(db), batches: createBatchStore(db), campaigns: createCampaignStore(db) });

/** `caio operator status` and GET /api/operator/status: read-only, no provider is started. */
export const operatorStatusFor = (app: AppDeps) => {
  const stores = operatorStatusStoresOn(app.database.db);
  return () => operatorStatus(stores, operatorStatusSettings(app.config), app.clock.now());
};

/** The campaigns we created at the providers, newest first (no provider is started). */
export const campaignListFor = (app: AppDeps) => () => createCampaignStore(app.database.db).list();

/** Open escalation incidents (`caio operator incidents`, GET /api/incidents). */
export const openIncidentsFor = (app: AppDeps) => () => createIncidentStore(app.database.db).open();

/** Campaigns as a person drives them, over the opened dispatch (its Instantly channel). */
export const campaignControlsFor = (app: AppDeps, dispatch: DispatchSet): CampaignControls => ({
  list: () => dispatch.parts.campaigns.list(),
  activate: (externalId, by) =>
    auditedRefusal(app, externalId, by, () =>
      activateCampaign(
        {
          campaigns: dispatch.parts.campaigns,
          control: dispatch.parts.control,
          envEmergencyStop: app.config.env.EMERGENCY_STOP === true,
          instantly: dispatch.channels.instantly,
          escalation: app.escalation,
          audit: app.stores.audit,
          clock: app.clock,
        },
        externalId,
        by,
      ),
    ),
});

/**
 * A refused activation (the emergency stop, an unknown or active campaign, Instantly not set up) is
 * audited with who asked, as a successful one is by the use case: a person's action leaves a trace
 * either way.
 */
const auditedRefusal = async <T>(app: AppDeps, externalId: string, by: string, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error) && error.code !== 'INVALID_INPUT') {
      await app.stores.audit.append({
        at: app.clock.now(),
        actor: by.trim(),
        action: 'campaign.activate_refused',
        entityType: 'campaign',
        entityId: null,
        runId: null,
        details: { provider: 'instantly', externalId: externalId.trim(), code: error.code, reason: error.message },
      });
    }
    throw error;
  }
};

/**
 * Approving a batch from the dashboard and sending it to the end (src/dispatch/batch-send.ts), over
 * the opened dispatch's Gatekeeper. `dispatch` is the OPERATOR's as the caller drives it: the API
 * passes its own (a worker's job where `caio serve` runs beside workers), the tick the process's.
 */
export const batchSenderFor = (app: AppDeps, dispatch: DispatchSet, run: (request: DispatchRequest) => Promise<DispatchReport | { queued: unknown }>) => {
  const board = createSendBoardQueries(app.database.db);
  const batches = createBatchStore(app.database.db);
  return createBatchSender({
    gatekeeper: dispatch.parts.gatekeeper,
    draftStatuses: (ids) => batches.draftStatuses(ids),
    dispatch: run,
    schedules: board,
    audit: app.stores.audit,
    clock: app.clock,
    settings: { send: app.config.send, timeZone: app.config.dispatch.timeZone, businessHours: app.config.dispatch.businessHours },
  });
};

/** The outbox by state for /operator and GET /api/outbox (reads only). */
export const sendBoardFor = (app: AppDeps) => createSendBoardQueries(app.database.db);

/**
 * The OPERATOR as the scheduled tick drives it: before the tick's own run, the batches approved
 * outside the send window whose time has come are executed (each exactly once, by the Gatekeeper).
 */
export const withScheduledBatches = (app: AppDeps, dispatch: DispatchSet): OperatorControls => {
  const operator = dispatch.operator;
  const sender = batchSenderFor(app, dispatch, (request) => operator.dispatch(request));
  return {
    stop: (by, reason) => operator.stop(by, reason),
    resume: (by) => operator.resume(by),
    explainStop: (by, reason) => operator.explainStop(by, reason),
    dispatch: async (request) => {
      if (request.live && !request.batchId && request.by === 'scheduler') {
        for (const r of await sender.runDue()) if (!r.ok) app.log.warn({ batchId: r.batchId, detail: r.detail }, 'a scheduled batch was not executed; the next tick tries again');
      }
      return operator.dispatch(request);
    },
  };
};
