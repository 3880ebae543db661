import { randomBytes } from 'node:crypto';
import { monthSendHistory } from './month-history.js';
import { channelKindOf, createSendLedger, decideItem, emergencyStopReason, type GuardSettings, type ItemFacts, type RecipientPolicy } from '../domain/sending/index.js';
import { isAppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { AlertPort, AuditEntry, AuditStore } from '../pipeline/ports.js';
import type { SendChannel } from '../pipeline/ports.js';
import type { ClaimBefore, ControlStore, DrainReport, ItemOutcome, ItemReport, LeadStateQuery, OutboundChannel, OutboxItem, OutboxStore, SendRecord, SentItem, TouchState } from './ports.js';

/** The guards' settings (domain/sending/dispatch-guard.ts); a drain may lower `emailDailyLimit` (the supervised ramp). */
export type GatewaySettings = Omit<GuardSettings, 'limits'> & {
  limits: GuardSettings['limits'] & { emailDailyLimit: number };
  /** A claim older than this with no outcome is treated as a crash and reconciled. */
  claimLeaseMs: number;
};

export type GatewayDeps = {
  outbox: OutboxStore;
  control: ControlStore;
  leads: LeadStateQuery;
  isSuppressed: () => Promise<(identity: string) => boolean>;
  channels: Partial<Record<SendChannel, OutboundChannel>>;
  audit: AuditStore;
  alerts: AlertPort;
  clock: Clock;
  /** EMERGENCY_STOP from the environment: blocks as the database flag does. */
  envEmergencyStop: boolean;
  settings: GatewaySettings;
  /** Exclusions imported into the store (caio exclusions import), read once per drain and added to `settings.recipients`. */
  importedExclusions?: () => Promise<RecipientPolicy>;
  random?: () => number;
  newToken?: () => string;
  /** Every item's outcome in a live drain (metrics: sends by channel, refusals by guard). */
  onItem?: (report: ItemReport) => void;
  /** Told after a send the provider accepted (the signal loop records the touch); never fails a send. */
  onSent?: (item: SentItem, at: Date) => Promise<void>;
  /**
   * The mark of a send (outbox `sent` and its audit line) with the lead's touch in one statement, the
   * touch decided from `before` (read with the item, before the send). True: the touch was written
   * too; false: the lead moved meanwhile, the mark alone was written and `onSent` records the touch.
   * Without it: `markSent`, then `onSent`.
   */
  sentWithTouch?: (sent: SentItem, mark: { token: string; at: Date; audit: AuditEntry }, before: TouchState, touchAt: Date) => Promise<boolean>;
};

// The reports are declared with the ports (the OPERATOR's report, which the API serves, holds one).
export type { DrainReport, ItemOutcome, ItemReport } from './ports.js';

const DAY_MS = 86_400_000;
/** The outbox step of an answer in a prospect's thread (reply drafts): sent with every guard, recorded as an answer, not a touch. */
const REPLY_STEP = 'reply';
/**
 * The channels whose provider can say whether it has an item (the reconcile's lookup): theirs are
 * claimed a batch at a time, since a claim a crash leaves behind goes back to the queue, not to a
 * person. A GoHighLevel claim left behind would need a person, so it is made only just before its send.
 */
const RECONCILED_CHANNELS: ReadonlySet<SendChannel> = new Set(['instantly', 'heyreach']);
/** How many items one batch claim takes (one commit for all of them). */
const CLAIM_BATCH = 16;
/** How long an item waiting for a config fix waits before it is tried again. */
const CONFIG_RETRY_MS = 15 * 60_000;
/**
 * The quotas that refuse every item of a channel kind alike: the e-mail daily, hourly and monthly
 * counts and the LinkedIn daily count are checked first (quotas.ts) and read nothing of the item.
 * Once one refuses an item in a live drain, the kind's later items are held with the same verdict
 * until that bucket ends, without being claimed, read or judged one by one (issue 20 item 4).
 */
const CHANNEL_WIDE_QUOTAS: ReadonlySet<string> = new Set(['quota_daily', 'quota_hourly', 'quota_monthly', 'quota_linkedin_daily']);

/**
 * The one door every outbound action goes through. Per item, in this order: the dedup claim
 * (committed; for Instantly and HeyReach made for the next few items at once) -> emergency stop (the
 * database flag and EMERGENCY_STOP, read again for every item) -> the guards, decided from the
 * item's facts by `decideItem` (domain/sending/dispatch-guard.ts: suppression -> excluded domains
 * and emails -> address format -> quotas (daily, hourly, monthly, per-domain hourly, minimum delay,
 * per sender; LinkedIn warm-up) -> business hours (GHL) and the cross-channel cap -> agent
 * permission), an item they hold back released from its claim as it was -> the provider call -> the
 * mark, written while the next item goes. Domain concentration is applied per batch when the batch
 * is queued (operator.ts). Send mode is checked by the caller: in shadow mode the gateway is never
 * asked to send. A dry run evaluates the same guards and writes nothing.
 */
export const createSendGateway = (deps: GatewayDeps) => {
  const random = deps.random ?? Math.random;
  const newToken = deps.newToken ?? (() => randomBytes(12).toString('hex'));
  const { settings } = deps;

  /** Why sending is stopped now (the environment's flag first: with it set, the database is not asked), or null. */
  const stopReason = async (): Promise<string | null> => emergencyStopReason(deps.envEmergencyStop, deps.envEmergencyStop ? null : await deps.control.emergencyStop());
  /** Why sending is stopped, given the database flag as a caller read it; `null` flag: the environment's alone decides. */
  const stopReasonOf = (flag: Awaited<ReturnType<ControlStore['emergencyStop']>>): string | null => emergencyStopReason(deps.envEmergencyStop, deps.envEmergencyStop ? null : flag);

  /**
   * What the guards decide from, in one round trip: the stop flag (read again for every item; with
   * EMERGENCY_STOP in the environment the database is not asked), the lead as it is now and its
   * touches in the last day (with those a dry run plans).
   */
  const readItem = async (item: OutboxItem, now: Date, unsent?: readonly string[]): Promise<{ halt: string | null; lead: ItemFacts['lead']; touches: ItemFacts['leadTouches']; touch: TouchState | null }> => {
    if (deps.envEmergencyStop) return { halt: emergencyStopReason(true, null), lead: null, touches: [], touch: null };
    const state = await deps.leads.itemState(item.leadId, new Date(now.getTime() - DAY_MS), unsent);
    return { halt: emergencyStopReason(false, state.stop), lead: state.lead, touches: state.lead && item.leadId ? state.touches : [], touch: state.touch ?? null };
  };

  /** `readItem` in the statement that claims the item (not while the database's stop flag is set). */
  const claimAndRead = async (item: OutboxItem, token: string, now: Date) => {
    const state = await deps.leads.claimItem({ id: item.id, leadId: item.leadId }, token, now, new Date(now.getTime() - DAY_MS));
    const touches = state.lead && item.leadId ? state.touches : [];
    return { halt: emergencyStopReason(false, state.stop), lead: state.lead, touches, touch: state.touch ?? null, claimed: state.claimed, before: state.before };
  };

  /**
   * A send the provider accepted: marked sent with its audit line, and the lead's touch recorded.
   * With `sentWithTouch` and the lead's state from before the send, all of it in one statement;
   * the long way (`onSent`, which reads the lead again) when the lead moved meanwhile or that
   * statement failed (then nothing of it was written, and the mark is written alone first). The
   * touch never fails a send: a failure of `onSent` is dropped (`caio leads bootstrap` repairs it).
   */
  const recordSent = async (sent: SentItem, token: string, at: Date, entry: AuditEntry, before: TouchState | null) => {
    // Our answer in a prospect's thread (issue 17 item 3) is not an outbound touch (it would move a
    // `replied` lead back to `sent` and feed the cold cadence): the mark first, then `onSent`, which
    // puts the answer on the timeline and moves nothing (record-touch.ts).
    if (sent.step === REPLY_STEP) {
      await deps.outbox.markSent(sent.id, token, sent.providerRef, at, entry);
      return void (await deps.onSent?.(sent, deps.clock.now()).catch(() => undefined));
    }
    let touched = false;
    if (deps.sentWithTouch && before && sent.leadId === before.leadId) {
      try {
        touched = await deps.sentWithTouch(sent, { token, at, audit: entry }, before, deps.clock.now());
      } catch {
        await deps.outbox.markSent(sent.id, token, sent.providerRef, at, entry);
      }
    } else await deps.outbox.markSent(sent.id, token, sent.providerRef, at, entry);
    if (!touched) await deps.onSent?.(sent, deps.clock.now()).catch(() => undefined);
  };

  const auditEntry = (action: string, item: OutboxItem, details: Record<string, unknown>): AuditEntry => ({
    at: deps.clock.now(),
    actor: 'OPERATOR',
    action,
    entityType: 'outbox',
    entityId: item.id,
    runId: null,
    details: { leadId: item.leadId, channel: item.channel, batchId: item.batchId, ...details },
  });
  const audit = (action: string, item: OutboxItem, details: Record<string, unknown>) => deps.audit.append(auditEntry(action, item, details));

  /** Claims a crash or an outage left open: ask the provider, never resend blindly. */
  const reconcile = async (): Promise<ItemReport[]> => reconcileItems(await deps.outbox.unresolved(new Date(deps.clock.now().getTime() - settings.claimLeaseMs)));
  const reconcileItems = async (unresolved: readonly OutboxItem[]): Promise<ItemReport[]> => {
    const now = deps.clock.now();
    const reports: ItemReport[] = [];
    for (const item of unresolved) {
      const channel = deps.channels[item.channel];
      let result: Awaited<ReturnType<OutboundChannel['lookup']>> = { found: 'unknown' };
      try {
        if (channel) result = await channel.lookup(item);
      } catch {
        result = { found: 'unknown' };
      }
      if (result.found === true) {
        await deps.outbox.resolve(item.id, { status: 'sent', providerRef: result.providerRef, at: now });
        await audit('outbox.reconciled_sent', item, { providerRef: result.providerRef });
        // The lead's side of it too (status, timeline, cadence), as for any send; `caio leads bootstrap` repairs a miss.
        await deps.onSent?.({ id: item.id, leadId: item.leadId, channel: item.channel, step: item.step, providerRef: result.providerRef }, now).catch(() => undefined);
        reports.push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'sent', reason: 'reconciled: the provider has it', providerRef: result.providerRef });
      } else if (result.found === false) {
        await deps.outbox.resolve(item.id, { status: 'queued', reason: 'reconciled: the provider does not have it' });
        await audit('outbox.reconciled_requeued', item, {});
        reports.push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: 'reconciled: not at the provider, queued again' });
      } else {
        if (item.status !== 'uncertain') {
          await deps.outbox.resolve(item.id, { status: 'uncertain', reason: 'needs a person: the provider cannot say whether it was sent' });
          await audit('outbox.needs_review', item, {});
          await deps.alerts.send({
            severity: 'warning',
            title: 'an outbound item needs a person',
            body: `Outbox item ${item.id} (${item.channel}) may or may not have been sent; it will not be resent automatically.`,
            metadata: { outboxId: item.id, channel: item.channel },
          });
        }
        reports.push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'uncertain', reason: 'needs a person: the provider cannot say whether it was sent' });
      }
    }
    return reports;
  };

  return {
    stopReason,
    stopReasonOf,
    /** EMERGENCY_STOP is set in the environment: sending is stopped whatever the database says. */
    envStopped: deps.envEmergencyStop,
    reconcile,
    /**
     * Send what is due, one item at a time (so a stop set mid-run holds the very next item).
     * `dryRun`: the same evaluation over the same items with an in-memory history; nothing is written.
     */
    drain: async ({ dryRun, limit, planned = [], emailDailyLimit = settings.emailDailyLimit }: { dryRun: boolean; limit: number; planned?: OutboxItem[]; emailDailyLimit?: number }): Promise<DrainReport> => {
      const counts: Record<ItemOutcome, number> = { sent: 0, would_send: 0, deferred: 0, rejected: 0, failed: 0, uncertain: 0, skipped: 0, stopped: 0 };
      const report: DrainReport = { dryRun, stopped: false, stopReason: null, reconciled: [], items: [], counts };
      const push = (r: ItemReport) => {
        report.items.push(r);
        counts[r.outcome]++;
        if (!dryRun) deps.onItem?.(r);
      };
      let now0 = deps.clock.now();
      let due: OutboxItem[];
      if (dryRun) {
        // `planned`: items a batch would queue (dry runs only), judged after what is already queued.
        due = [...(await deps.outbox.due(now0, limit)), ...planned];
      } else {
        // What a crash left to reconcile and what is due, in one read; after a reconcile (rare: it may
        // queue an item again) what is due is read again, as it was read after the reconcile before.
        const work = await deps.outbox.drainWork(now0, limit, new Date(now0.getTime() - settings.claimLeaseMs));
        due = work.due;
        if (work.unresolved.length > 0) {
          report.reconciled = await reconcileItems(work.unresolved);
          now0 = deps.clock.now();
          due = await deps.outbox.due(now0, limit);
        }
      }
      // Nothing due (most ticks, once the quotas hold the rest for later): nothing to judge, so no history, suppression list or exclusions to read.
      if (due.length === 0) return report;
      // The month's sends, read once (the older ones as counts, month-history.ts) and then kept as counters as this drain sends (send-ledger.ts).
      const history = createSendLedger(await monthSendHistory(deps.outbox, now0));
      const matcher = await deps.isSuppressed();
      const imported = deps.importedExclusions ? await deps.importedExclusions() : null;
      const recipients: RecipientPolicy = imported
        ? { excludedDomains: [...settings.recipients.excludedDomains, ...imported.excludedDomains], excludedEmails: [...settings.recipients.excludedEmails, ...imported.excludedEmails] }
        : settings.recipients;
      const plannedTouches = new Map<string, { channel: string; at: Date }[]>();
      /**
       * Channel kinds a channel-wide quota refused in this live drain, until the end of its bucket.
       * The ledger only grows while the drain sends, so the verdict stands for every later item of
       * the kind; a send given back to the ledger (a failed send) lifts every hold.
       */
      const holds = new Map<string, { until: Date; reason: string }>();
      const heldAt = (item: OutboxItem, now: Date) => {
        const hold = dryRun ? undefined : holds.get(channelKindOf(item.channel));
        return hold && now < hold.until ? hold : null;
      };
      /** Items a hold deferred, written in one statement when the drain ends. */
      const parked: { id: string; notBefore: Date; reason: string }[] = [];
      const scoped = dryRun ? [] : Object.values(deps.channels).filter((c): c is OutboundChannel => c !== undefined);
      for (const channel of scoped) channel.drainScope?.(true);
      /**
       * The last send's mark and touch (`recordSent`), written while the next item is claimed and
       * sent: its claim is committed, so the mark need not be there before the next item. Its report
       * is pushed when it settles; `settled` waits for it before anything else is reported or
       * written for a later item, so the report keeps the items' order and a failure is the drain's
       * as before. Never rejects: a failure is held as `{ error }` until `settled` throws it.
       */
      let marking: Promise<{ error: unknown } | null> | null = null;
      const settled = async () => {
        const last = marking;
        marking = null;
        const failure = await last;
        if (failure) throw failure.error;
      };
      /** What a provider's refusal (or a failed mark) leaves: deferred, uncertain or failed, by the error's kind. */
      const sendFailed = async (item: OutboxItem, token: string, now: Date, record: SendRecord, error: unknown) => {
        // Most outcomes below give the send back to the ledger: a quota that held a kind may have room again.
        holds.clear();
        const code = isAppError(error) ? error.code : 'INTERNAL';
        // A provider may echo the recipient in its error: the outbox and the append-only audit
        // log keep the message without it (an erasure cannot reach the audit log afterwards).
        const message = withoutRecipient(error instanceof Error ? error.message : String(error), item.recipient);
        // No answer, or a 5xx: the provider may have it. Rate limited, or a connection that
        // never opened (the HTTP layer says `uncertain: false`): it surely has not, so the item
        // waits and goes again. The send is the last call of every channel's deliver, so nothing
        // of this item reached the provider.
        const notSent = code === 'PROVIDER_UNAVAILABLE' && isAppError(error) && error.details.uncertain === false;
        // A config a person must fix, found before anything was sent (a HeyReach campaign id that
        // does not exist): the item stays queued with the reason naming the key, tried again later.
        const waitsForConfig = code === 'CONFIG_INVALID' && isAppError(error) && error.retryable;
        if (waitsForConfig) {
          history.remove(record);
          await deps.outbox.defer(item.id, new Date(now.getTime() + CONFIG_RETRY_MS), `${code}: ${message}`, token);
          await audit('outbox.waiting_for_config', item, { code, message });
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: `${code}: ${message}` });
        } else if (code === 'PROVIDER_RATE_LIMITED' || notSent) {
          history.remove(record);
          await deps.outbox.defer(item.id, new Date(now.getTime() + 60_000), code, token);
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: code });
        } else if (code === 'PROVIDER_UNAVAILABLE') {
          await deps.outbox.markUncertain(item.id, token, message, deps.clock.now());
          await audit('outbox.uncertain', item, { code, message });
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'uncertain', reason: message });
        } else {
          history.remove(record);
          await deps.outbox.markFailed(item.id, token, `${code}: ${message}`, deps.clock.now());
          await audit('outbox.failed', item, { code, message });
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'failed', reason: `${code}: ${message}` });
        }
      };
      /** Live items on a configured channel whose provider can say whether it has an item: claimed a few at a time. */
      const inBatches = (item: OutboxItem) => !dryRun && !deps.envEmergencyStop && deps.channels[item.channel] !== undefined && RECONCILED_CHANNELS.has(item.channel) && item.step !== REPLY_STEP;
      /** The last batch claim: its token and time, the items it was asked for, and those it claimed and this drain has not reached yet. */
      const batch = { token: '', at: 0, asked: new Set<string>(), reserved: new Map<string, ClaimBefore>() };
      const releaseReserved = async () => {
        const rest = [...batch.reserved].map(([id, before]) => ({ id, before }));
        batch.reserved.clear();
        await deps.outbox.releaseMany(rest, batch.token);
      };
      /**
       * The item's claim: from the batch claim that holds it, or a new batch claim of the next
       * `CLAIM_BATCH` such items from this one on. A batch older than a tenth of the claim lease is
       * given back and claimed again, so that no item waits claimed for long before it goes (after
       * the lease, another process's reconcile would take the claim for a crash).
       */
      const batchClaim = async (index: number, now: Date): Promise<void> => {
        const item = due[index]!;
        const stale = now.getTime() - batch.at >= settings.claimLeaseMs / 10;
        if (batch.asked.has(item.id) && !(stale && batch.reserved.has(item.id))) return;
        await releaseReserved();
        const next = due
          .slice(index)
          .filter((i) => inBatches(i) && !heldAt(i, now))
          .slice(0, CLAIM_BATCH)
          .map((i) => i.id);
        batch.token = newToken();
        batch.at = now.getTime();
        batch.asked = new Set(next);
        for (const [id, before] of await deps.outbox.claimMany(next, batch.token, now)) batch.reserved.set(id, before);
      };
      /** A channel-wide refusal: the kind is held, and what the last batch claim took of it goes back to the queue in one statement, to be held unclaimed. */
      const hold = async (kind: string, verdict: { until: Date; reason: string }) => {
        holds.set(kind, verdict);
        const back = [...batch.reserved].filter(([id]) => {
          const reserved = dueById.get(id);
          return reserved !== undefined && channelKindOf(reserved.channel) === kind;
        });
        for (const [id] of back) batch.reserved.delete(id);
        await deps.outbox.releaseMany(
          back.map(([id, before]) => ({ id, before })),
          batch.token,
        );
      };
      const dueById = new Map(due.map((i) => [i.id, i]));
      try {
        for (const [index, item] of due.entries()) {
          const now = deps.clock.now();
          const channel = deps.channels[item.channel];
          // A kind a channel-wide quota holds: the same deferral, without a claim or a read (nothing is
          // sent, so the stop, read before every item that may go, is not needed). What a batch claim
          // took before the hold was given back when the hold was set (`hold`).
          const held = heldAt(item, now);
          if (held && !batch.reserved.has(item.id)) {
            await settled();
            parked.push({ id: item.id, notBefore: held.until, reason: held.reason });
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: held.reason, notBefore: held.until.toISOString() });
            continue;
          }
          // Live, on a configured channel: claimed before the guards judge it, released if they hold
          // it back. Instantly and HeyReach items a batch at a time (claimMany: one commit for several
          // items) and read alone; the others (GoHighLevel, whose provider cannot say whether it has
          // an item; answers in a thread) claimed in the statement that reads them (not while the stop
          // is set). Dry runs and unconfigured channels: the read alone.
          const batched = inBatches(item);
          if (batched) await batchClaim(index, now);
          const claiming = !batched && !dryRun && channel !== undefined && !deps.envEmergencyStop;
          const token = batched ? batch.token : newToken();
          const read = claiming
            ? await claimAndRead(item, token, now)
            : { ...(await readItem(item, now, batched ? [...batch.reserved.keys()] : undefined)), claimed: batch.reserved.has(item.id), before: batch.reserved.get(item.id) ?? null };
          batch.reserved.delete(item.id);
          const halt = read.halt;
          if (halt) {
            await settled();
            // What the batch claimed and this drain will not reach goes back to queued, as it was (this item too).
            if (batched && read.before) batch.reserved.set(item.id, read.before);
            await releaseReserved();
            report.stopped = true;
            report.stopReason = halt;
            for (const rest of due.slice(due.indexOf(item))) push({ outboxId: rest.id, leadId: rest.leadId, channel: rest.channel, outcome: 'stopped', reason: halt });
            if (!dryRun)
              await deps.audit.append({ at: deps.clock.now(), actor: 'OPERATOR', action: 'dispatch.stopped', entityType: 'outbox', entityId: null, runId: null, details: { reason: halt, remaining: due.length - due.indexOf(item) } });
            break;
          }
          if ((claiming || batched) && !read.claimed) {
            await settled();
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'skipped', reason: 'claimed by another dispatcher' });
            continue;
          }
          const facts: ItemFacts = { item, lead: read.lead, isSuppressed: matcher, history, leadTouches: read.lead && item.leadId ? [...read.touches, ...(plannedTouches.get(item.leadId) ?? [])] : [] };
          const verdict = decideItem(facts, { ...settings, recipients, emailDailyLimit }, now, random);
          if (verdict.kind === 'reject') {
            if (!dryRun) {
              await settled();
              if (read.before) await deps.outbox.release(item.id, token, { status: 'rejected', reason: verdict.reason }, read.before);
              else await deps.outbox.reject(item.id, verdict.reason);
              await audit('outbox.rejected', item, { reason: verdict.reason });
            }
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'rejected', reason: verdict.reason });
            continue;
          }
          if (verdict.kind === 'defer') {
            if (!dryRun && CHANNEL_WIDE_QUOTAS.has(verdict.reason)) await hold(channelKindOf(item.channel), { until: verdict.until, reason: verdict.reason });
            if (!dryRun) {
              await settled();
              if (read.before) await deps.outbox.release(item.id, token, { status: 'queued', notBefore: verdict.until, reason: verdict.reason }, read.before);
              else await deps.outbox.defer(item.id, verdict.until, verdict.reason);
            }
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: verdict.reason, notBefore: verdict.until.toISOString() });
            continue;
          }
          const record: SendRecord = { at: now, channel: channelKindOf(item.channel), sender: verdict.sender, recipientDomain: item.recipientDomain, provider: item.channel };
          if (dryRun) {
            history.add(record);
            if (item.leadId) plannedTouches.set(item.leadId, [...(plannedTouches.get(item.leadId) ?? []), { channel: item.channel, at: now }]);
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'would_send', reason: null });
            continue;
          }
          if (!channel) {
            await settled();
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'skipped', reason: `${item.channel} is not configured` });
            continue;
          }
          history.add(record);
          let providerRef: string;
          try {
            ({ providerRef } = await channel.deliver({ ...item, sender: verdict.sender, claimedAt: now }, now));
          } catch (error) {
            await settled();
            await sendFailed(item, token, now, record, error);
            continue;
          }
          const sentAt = deps.clock.now();
          const sent: SentItem = { id: item.id, leadId: item.leadId, channel: item.channel, step: item.step, providerRef };
          const entry = auditEntry('outbox.sent', item, { providerRef, sender: verdict.sender });
          await settled();
          marking = (async () => {
            try {
              await recordSent(sent, token, sentAt, entry, read.touch);
              push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'sent', reason: null, providerRef });
            } catch (error) {
              await sendFailed(item, token, now, record, error);
            }
          })().then(
            () => null,
            (error: unknown) => ({ error }),
          );
        }
        await settled();
        await deps.outbox.deferMany(parked);
      } finally {
        // A drain that failed still lets its last mark finish (its failure, if any, is not the one
        // thrown) and gives back what it claimed and did not reach (should that fail too, the claims
        // are reconciled after their lease, as a crash's are).
        await marking;
        await releaseReserved().catch(() => undefined);
        for (const channel of scoped) channel.drainScope?.(false);
      }
      return report;
    },
  };
};

export type SendGateway = ReturnType<typeof createSendGateway>;

const withoutRecipient = (message: string, recipient: string | null): string => {
  if (!recipient) return message;
  const escaped = recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message.replace(new RegExp(`${escaped}|${escaped.replace(/@/g, '%40')}`, 'gi'), '[recipient]');
};
