import { activateCampaign } from '../dispatch/activate-campaign.js';
import { operatorStatus, operatorStatusSettings } from '../dispatch/operator-status-settings.js';
import type { CampaignControls, OperatorStatusStores } from '../dispatch/ports.js';
import { createGatekeeper } from '../pipeline/gatekeeper.js';
import type { BatchStore } from '../pipeline/review-ports.js';
import { createBatchStore } from '../store/batches-repo.js';
import { operatorPageUrl } from './operator-url.js';
import { createCampaignStore, createControlStore } from '../store/control-repo.js';
import type { Db } from '../store/database.js';
import { createIncidentStore } from '../store/incident-repo.js';
import { createOutboxStore } from '../store/outbox-repo.js';
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
});
