import type { AppDeps } from './app-deps.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import { createCampaignRosterStore } from '../store/campaign-roster-repo.js';
import { createInboxStore, createLeadEventStore, createTimelineGapQuery } from '../store/inbox-repo.js';
import type { Db } from '../store/database.js';
import { createOutboxStore } from '../store/outbox-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import { createSuppressionStore } from '../store/suppressions-repo.js';
import { createCadenceSync, type CadenceSettings } from '../signals/cadence-sync.js';
import { bootstrapTimeline } from '../signals/bootstrap-timeline.js';
import { createInboxProcessor, type DeliveryStores, type InboxProcessor } from '../signals/process-inbox.js';
import type { PayloadReaders, UnitOfWork } from '../signals/ports.js';
import { createTouchRecorder, planTouch } from '../signals/record-touch.js';
import { createSendTouchStore } from '../store/send-touch-repo.js';
import type { SentItem, TouchState } from '../dispatch/ports.js';
import type { AuditEntry } from '../pipeline/ports.js';
import { ghlWebhook, heyreachWebhook, instantlyWebhook, rb2bWebhook } from '../webhooks/index.js';
import { followThroughOn, type ActionsRecorded, type FollowThroughConfig } from './follow-through.js';
import { replyLlmFor, withReplyPriming, type PrimeReads } from './reply-classifier.js';
import { replyTextOf } from './follow-through.js';
import { createReplyStore } from '../store/replies-repo.js';
import { storedSignalOf } from '../signals/stored-signal.js';

/**
 * The parse of each provider whose deliveries the inbox processor acts on (Clay's callbacks go to
 * the Clay store instead): it reads a delivery stored without a signal as the door reads one today.
 */
export const PAYLOAD_READERS: PayloadReaders = Object.fromEntries([instantlyWebhook, heyreachWebhook, ghlWebhook, rb2bWebhook].map((webhook) => [webhook.provider, webhook.parse]));

/** The signal loop's jobs wired to one app (store, clock, log, config): one place for CLI and server. */
export const cadenceSyncFor = (app: AppDeps) => {
  const db = app.database.db;
  return createCadenceSync({ store: createCadenceStore(db), settings: app.config.cadence });
};

/**
 * The stores processing one delivery writes through, all on `tx`, the unit of work's transaction;
 * with `followThrough`, the reply follow-through too (issue 17, compose/follow-through.ts).
 */
export const deliveryStoresFor = (tx: Db, cadence: CadenceSettings, followThrough?: FollowThroughConfig, recorded?: ActionsRecorded): DeliveryStores => {
  const db = tx;
  const outbox = createOutboxStore(db);
  return {
    inbox: createInboxStore(db),
    events: createLeadEventStore(db, { inTransaction: true }),
    leads: createSignalLeadStore(db),
    suppressions: createSuppressionStore(db),
    cancelOutbound: (leadId, reason) => outbox.cancelForLead(leadId, reason),
    cadence: createCadenceSync({ store: createCadenceStore(db), settings: cadence }),
    campaignRoster: createCampaignRosterStore(db),
    ...(followThrough ? { followThrough: followThroughOn(db, cadence, followThrough, recorded) } : {}),
  };
};

/** A unit of work over PostgreSQL: `work` gets the stores `storesFor` makes on one transaction, which commits when it returns. */
export const transactionalUnit =
  <S>(db: Db, storesFor: (tx: Db) => S): UnitOfWork<S> =>
  (work) =>
    db.transaction(async (tx) => work(storesFor(tx as unknown as Db)));

/** The inbox processor: each delivery processed in one transaction (status, timeline, suppression, cancelled sends, cadence, outcome). */
export const inboxProcessorOn = (db: Db, deps: { clock: AppDeps['clock']; log: AppDeps['log']; cadence: CadenceSettings; followThrough?: FollowThroughConfig; recorded?: ActionsRecorded }) =>
  createInboxProcessor({
    inbox: createInboxStore(db),
    clock: deps.clock,
    log: deps.log,
    payloadReaders: PAYLOAD_READERS,
    unitOfWork: transactionalUnit(db, (tx) => deliveryStoresFor(tx, deps.cadence, deps.followThrough, deps.recorded)),
  });

/** The server's and workers' processor (tests build theirs with the same factory, on their database and clock). */
export const processorFor = (app: AppDeps, recorded?: ActionsRecorded): InboxProcessor => {
  // With ANTHROPIC_API_KEY (and queen.llm.model) the LLM reply classifier may add to the rules' reading.
  const llm = replyLlmFor(app.config, app.log);
  const processor = inboxProcessorOn(app.database.db, {
    clock: app.clock,
    log: app.log,
    cadence: app.config.cadence,
    followThrough: { dispatch: app.config.dispatch, exclusions: app.config.exclusions, llm },
    ...(recorded ? { recorded } : {}),
  });
  return llm ? withReplyPriming(processor, llm, primeReadsFor(app), app.log) : processor;
};

/** What the reply classifier is asked for a delivery, read as its processing will read it: the text, the signal's time, the lead's zone. */
const primeReadsFor = (app: AppDeps): PrimeReads => {
  const db = app.database.db;
  const inbox = createInboxStore(db);
  const replies = createReplyStore(db);
  const leads = createSignalLeadStore(db);
  return {
    delivery: (id) => inbox.get(id),
    questionOf: async (item) => {
      const text = replyTextOf(item);
      if (text === null || (await replies.byInbox(item.id))) return null;
      const signal = storedSignalOf(item, PAYLOAD_READERS);
      if ('ignored' in signal) return null;
      const lead = (signal.email ? await leads.byEmail(signal.email) : null) ?? (signal.linkedinUrl ? await leads.byLinkedin(signal.linkedinUrl) : null);
      const timeZone = (lead ? await replies.leadTimeZone(lead.id) : null) ?? app.config.dispatch.timeZone;
      return { text, sentAt: new Date(signal.at), timeZone };
    },
  };
};

/** The gateway's touch recorder for one app: what a send (or a reconciled one) does to the lead. */
export const touchRecorderFor = (app: AppDeps) => {
  const db = app.database.db;
  const settings = app.config.cadence;
  // One transaction per touch (status, timeline, milestone, cadence): all or nothing, and one commit
  // to wait for instead of four on the send path.
  const unit = transactionalUnit(db, (tx) => {
    const events = createLeadEventStore(tx, { inTransaction: true });
    const leads = createSignalLeadStore(tx);
    return createTouchRecorder({ events, leads, cadence: createCadenceSync({ store: createCadenceStore(tx), settings }), steps: settings.steps });
  });
  return (item: Parameters<ReturnType<typeof createTouchRecorder>>[0], at: Date) => unit((record) => record(item, at));
};

/**
 * The gateway's mark of a send with its touch in one statement (store/send-touch-repo.ts): the touch
 * decided by `planTouch` from the lead's state the gateway read before the send. True when the touch
 * was written; false when the lead moved meanwhile (only the mark was written: the gateway then
 * records the touch with `touchRecorderFor`, which reads the lead again).
 */
export const sentWithTouchFor = (app: AppDeps) => {
  // The mark need not wait for the WAL flush: its claim is durable, and a mark lost in a crash of
  // PostgreSQL leaves the item claimed for the reconcile to ask the provider about (database.ts).
  const store = createSendTouchStore(app.database.asyncCommitDb);
  const settings = app.config.cadence;
  return async (sent: SentItem, mark: { token: string; at: Date; audit: AuditEntry }, before: TouchState, touchAt: Date): Promise<boolean> =>
    (await store.markSentWithTouch({ outboxId: sent.id, token: mark.token, providerRef: sent.providerRef, sentAt: mark.at, audit: mark.audit, ...planTouch(before, sent, touchAt, settings) })).touched;
};

/** `caio leads bootstrap` and POST /api/leads/bootstrap. */
export const bootstrapFor = (app: AppDeps) => (options: { dryRun: boolean; limit: number }) =>
  bootstrapTimeline({ missing: (limit) => createTimelineGapQuery(app.database.db).sentWithoutTouch(limit), record: touchRecorderFor(app) }, options);
