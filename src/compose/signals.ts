import type { AppDeps } from './app-deps.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import { createInboxStore, createLeadEventStore, createTimelineGapQuery } from '../store/inbox-repo.js';
import type { Db } from '../store/database.js';
import { createOutboxStore } from '../store/outbox-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import { createSuppressionStore } from '../store/suppressions-repo.js';
import { createCadenceSync, type CadenceSettings } from '../signals/cadence-sync.js';
import { bootstrapTimeline } from '../signals/bootstrap-timeline.js';
import { createInboxProcessor, type DeliveryStores } from '../signals/process-inbox.js';
import type { PayloadReaders, UnitOfWork } from '../signals/ports.js';
import { createTouchRecorder } from '../signals/record-touch.js';
import { heyreachWebhook, instantlyWebhook, rb2bWebhook } from '../webhooks/index.js';

/**
 * The parse of each provider whose deliveries the inbox processor acts on (Clay's callbacks go to
 * the Clay store instead): it reads a delivery stored without a signal as the door reads one today.
 */
export const PAYLOAD_READERS: PayloadReaders = Object.fromEntries([instantlyWebhook, heyreachWebhook, rb2bWebhook].map((webhook) => [webhook.provider, webhook.parse]));

/** The signal loop's jobs wired to one app (store, clock, log, config): one place for CLI and server. */
export const cadenceSyncFor = (app: AppDeps) => {
  const db = app.database.db;
  return createCadenceSync({ store: createCadenceStore(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), settings: app.config.cadence });
};

/** The stores processing one delivery writes through, all on `tx`, the unit of work's transaction. */
export const deliveryStoresFor = (tx: Db, cadence: CadenceSettings): DeliveryStores => {
  const db = tx;
  const outbox = createOutboxStore(db);
  return {
    inbox: createInboxStore(db),
    events: createLeadEventStore(db, { inTransaction: true }),
    leads: createSignalLeadStore(db),
    suppressions: createSuppressionStore(db),
    cancelOutbound: (leadId, reason) => outbox.cancelForLead(leadId, reason),
    cadence: createCadenceSync({ store: createCadenceStore(db), events: createLeadEventStore(db, { inTransaction: true }), leads: createSignalLeadStore(db), settings: cadence }),
  };
};

/** A unit of work over PostgreSQL: `work` gets the stores `storesFor` makes on one transaction, which commits when it returns. */
export const transactionalUnit =
  <S>(db: Db, storesFor: (tx: Db) => S): UnitOfWork<S> =>
  (work) =>
    db.transaction(async (tx) => work(storesFor(tx as unknown as Db)));

/** The inbox processor: each delivery processed in one transaction (status, timeline, suppression, cancelled sends, cadence, outcome). */
export const inboxProcessorOn = (db: Db, deps: { clock: AppDeps['clock']; log: AppDeps['log']; cadence: CadenceSettings }) =>
  createInboxProcessor({
    inbox: createInboxStore(db),
    clock: deps.clock,
    log: deps.log,
    payloadReaders: PAYLOAD_READERS,
    unitOfWork: transactionalUnit(db, (tx) => deliveryStoresFor(tx, deps.cadence)),
  });

/** The server's and workers' processor (tests build theirs with the same factory, on their database and clock). */
export const processorFor = (app: AppDeps) => inboxProcessorOn(app.database.db, { clock: app.clock, log: app.log, cadence: app.config.cadence });

/** The gateway's touch recorder for one app: what a send (or a reconciled one) does to the lead. */
export const touchRecorderFor = (app: AppDeps) => {
  const db = app.database.db;
  const settings = app.config.cadence;
  // One transaction per touch (status, timeline, milestone, cadence): all or nothing, and one commit
  // to wait for instead of four on the send path.
  const unit = transactionalUnit(db, (tx) => {
    const events = createLeadEventStore(tx, { inTransaction: true });
    const leads = createSignalLeadStore(tx);
    return createTouchRecorder({ events, leads, cadence: createCadenceSync({ store: createCadenceStore(tx), events, leads, settings }) });
  });
  return (item: Parameters<ReturnType<typeof createTouchRecorder>>[0], at: Date) => unit((record) => record(item, at));
};

/** `caio leads bootstrap` and POST /api/leads/bootstrap. */
export const bootstrapFor = (app: AppDeps) => (options: { dryRun: boolean; limit: number }) =>
  bootstrapTimeline({ missing: (limit) => createTimelineGapQuery(app.database.db).sentWithoutTouch(limit), record: touchRecorderFor(app) }, options);
