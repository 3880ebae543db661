import type { AppDeps } from '../app-deps.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import { createInboxStore, createLeadEventStore, createTimelineGapQuery } from '../store/inbox-repo.js';
import { createOutboxStore } from '../store/outbox-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import { createCadenceSync } from './cadence-sync.js';
import { bootstrapTimeline } from './bootstrap-timeline.js';
import { createInboxProcessor } from './process-inbox.js';
import { createTouchRecorder } from './record-touch.js';

/** The signal loop's jobs wired to one app (store, clock, log, config): one place for CLI and server. */
export const cadenceSyncFor = (app: AppDeps) => {
  const db = app.database.db;
  return createCadenceSync({ store: createCadenceStore(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), settings: app.config.cadence });
};

export const processorFor = (app: AppDeps) => {
  const db = app.database.db;
  const outbox = createOutboxStore(db);
  return createInboxProcessor({
    inbox: createInboxStore(db),
    events: createLeadEventStore(db),
    leads: createSignalLeadStore(db),
    suppressions: app.stores.suppressions,
    cancelOutbound: (leadId, reason) => outbox.cancelForLead(leadId, reason),
    clock: app.clock,
    log: app.log,
    cadence: cadenceSyncFor(app),
  });
};

/** The gateway's touch recorder for one app: what a send (or a reconciled one) does to the lead. */
export const touchRecorderFor = (app: AppDeps) => {
  const db = app.database.db;
  return createTouchRecorder({ events: createLeadEventStore(db), leads: createSignalLeadStore(db), cadence: cadenceSyncFor(app) });
};

/** `caio leads bootstrap` and POST /api/leads/bootstrap. */
export const bootstrapFor = (app: AppDeps) => (options: { dryRun: boolean; limit: number }) =>
  bootstrapTimeline({ missing: (limit) => createTimelineGapQuery(app.database.db).sentWithoutTouch(limit), record: touchRecorderFor(app) }, options);
