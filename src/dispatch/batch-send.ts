import { readScopeAction } from '../domain/approval/scope-action.js';
import type { ScopeItem } from '../domain/approval/batch.js';
import { isWithinBusinessHours, nextBusinessStart, type BusinessHours } from '../domain/sending/index.js';
import { AppError, isAppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { AuditStore } from '../pipeline/ports.js';
import type { Batch } from '../pipeline/review-ports.js';
import type { BatchBoardRow, BatchBoardState, BatchSendOutcome, DispatchReport, DispatchRequest } from './ports.js';

/** The audit action of a batch approved outside the send window (src/store/send-board-repo.ts reads it back). */
export const BATCH_SCHEDULED = 'batch.execution_scheduled';

export type BatchSchedulePort = {
  schedulesOf(batchIds: string[]): Promise<Map<string, { at: Date; by: string }>>;
  /** Approved, unexpired batches whose scheduled time has come. */
  dueScheduled(now: Date): Promise<{ batchId: string; at: Date; by: string }[]>;
  batchCounts(batchIds: string[]): Promise<Map<string, Record<string, number>>>;
};

export type BatchSendDeps = {
  gatekeeper: { show(id: string): Promise<Batch>; approve(id: string, by: string): Promise<Batch>; list(limit?: number): Promise<Batch[]> };
  draftStatuses(ids: string[]): Promise<Map<string, string>>;
  /**
   * The OPERATOR's dispatch, as the CLI's `caio dispatch --batch` runs it. Where live runs are a
   * worker's job (`caio serve` beside workers) it answers `{ queued: job }` instead of a report.
   */
  dispatch(request: DispatchRequest): Promise<DispatchReport | { queued: unknown }>;
  schedules: BatchSchedulePort;
  audit: AuditStore;
  clock: Clock;
  settings: { send: 'shadow' | 'live'; timeZone: string; businessHours: Omit<BusinessHours, 'defaultTimeZone'> };
};

const needsDraft = (i: ScopeItem) => readScopeAction(i.action)?.kind !== 'revival';

const hoursText = (s: BatchSendDeps['settings']) => `${String(s.businessHours.startHour).padStart(2, '0')}:00-${String(s.businessHours.endHour).padStart(2, '0')}:00 ${s.timeZone}`;

/** A time as a person reads it in the send window's zone, with the UTC instant beside it. */
const whenText = (at: Date, timeZone: string) =>
  `${new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(at)} ${timeZone} (${at.toISOString()})`;

const isReport = (r: DispatchReport | { queued: unknown }): r is DispatchReport => 'drain' in r;

/**
 * Approving a batch from the dashboard sends it to the end (issue 21): the approval and then the
 * same OPERATOR dispatch `caio dispatch --batch ID --live` runs, so the guards, the lease and the
 * exactly-once execution are the CLI's. Outside the send window the batch is approved and its run
 * scheduled for the window's start (audited; the OPERATOR tick runs it). Refused, with nothing
 * sent: an expired batch, one a draft of which was rejected since it was made, an unknown one.
 * A second approval (a double click) changes nothing and says how the batch stands.
 */
export const createBatchSender = (deps: BatchSendDeps) => {
  const execute = async (batch: Batch, by: string, prefix: string): Promise<BatchSendOutcome> => {
    const report = await deps.dispatch({ motion: batch.motion, live: true, by, batchId: batch.id });
    if (!isReport(report)) {
      // A worker runs it: scheduled "now", so the tick retries it if the job is lost.
      await deps.audit.append({ at: deps.clock.now(), actor: by, action: BATCH_SCHEDULED, entityType: 'batch', entityId: batch.id, runId: null, details: { at: deps.clock.now().toISOString(), why: 'worker' } });
      return { batchId: batch.id, state: 'executing', message: `${prefix}Executing: a worker runs the dispatch now. This page shows the outcome when it is done.`, scheduledFor: null, counts: null };
    }
    const c = report.drain.counts;
    const counts = { queued: report.queued?.items ?? 0, refused: report.queued?.rejected.length ?? 0, sent: c.sent, deferred: c.deferred, failed: c.failed };
    return {
      batchId: batch.id,
      state: 'executed',
      message: `${prefix}Executed: ${counts.queued} items queued, ${counts.refused} refused by the guards; this run handed ${counts.sent} to the providers, deferred ${counts.deferred}, failed ${counts.failed}. Instantly e-mails go out only once their campaign is active (Campaigns below).`,
      scheduledFor: null,
      counts,
    };
  };

  const alreadyDecided = async (batch: Batch): Promise<BatchSendOutcome> => {
    const schedule = (await deps.schedules.schedulesOf([batch.id])).get(batch.id);
    const how = batch.status === 'executed' ? 'already executed' : schedule ? `already approved, to run at ${whenText(schedule.at, deps.settings.timeZone)}` : 'already approved';
    return { batchId: batch.id, state: 'already_decided', message: `This batch was ${how} (by ${batch.decidedBy ?? 'someone'}): nothing was done twice.`, scheduledFor: schedule?.at.toISOString() ?? null, counts: null };
  };

  return {
    approveAndSend: async (batchId: string, byName: string): Promise<BatchSendOutcome> => {
      const by = byName.trim();
      if (!by) throw new AppError('INVALID_INPUT', 'say who approves (by)');
      const batch = await deps.gatekeeper.show(batchId);
      if (batch.status === 'approved' || batch.status === 'executed') return alreadyDecided(batch);
      const now = deps.clock.now();
      // An expired (or rejected) batch: the Gatekeeper refuses and audits it.
      if (batch.status !== 'pending_approval' || now.getTime() >= batch.expiresAt.getTime()) await deps.gatekeeper.approve(batch.id, by);
      const statuses = await deps.draftStatuses([...new Set(batch.scope.filter(needsDraft).map((i) => i.draftId))]);
      const changed = [...new Set(batch.scope.filter(needsDraft).map((i) => i.draftId))].filter((id) => statuses.get(id) !== 'approved');
      if (changed.length) {
        const message = `cannot approve this batch: ${changed.length} of its drafts ${changed.length === 1 ? 'is' : 'are'} no longer approved (${[...new Set(changed.map((id) => statuses.get(id) ?? 'missing'))].join(', ')}) since it was made; nothing was sent. Reject this batch; the next one is built from the drafts still approved.`;
        await deps.audit.append({ at: now, actor: by, action: 'batch.approve_refused', entityType: 'batch', entityId: batch.id, runId: null, details: { reason: message, drafts: changed } });
        throw new AppError('CONFLICT', message);
      }
      let approved: Batch;
      try {
        approved = await deps.gatekeeper.approve(batch.id, by);
      } catch (error) {
        // Two clicks at once: the Gatekeeper's compare-and-set lets one through; the other reports the batch as it is.
        const current = await deps.gatekeeper.show(batch.id);
        if (isAppError(error) && error.code === 'CONFLICT' && (current.status === 'approved' || current.status === 'executed')) return alreadyDecided(current);
        throw error;
      }
      if (deps.settings.send !== 'live') {
        return {
          batchId: batch.id,
          state: 'approved_shadow',
          message: 'Approved. Send mode is shadow, so nothing is sent: set "send": "live" in the config to send for real (the approved batch is then sent by the next OPERATOR tick before it expires).',
          scheduledFor: null,
          counts: null,
        };
      }
      const hours = { ...deps.settings.businessHours, defaultTimeZone: deps.settings.timeZone };
      if (!isWithinBusinessHours(now, null, hours)) {
        const next = nextBusinessStart(now, null, hours);
        if (next && next.getTime() < approved.expiresAt.getTime()) {
          await deps.audit.append({ at: now, actor: by, action: BATCH_SCHEDULED, entityType: 'batch', entityId: batch.id, runId: null, details: { at: next.toISOString(), why: 'outside_send_window' } });
          return {
            batchId: batch.id,
            state: 'scheduled',
            message: `Approved. It is outside the send window (${hoursText(deps.settings)}), so nothing is sent now: the batch will be sent at ${whenText(next, deps.settings.timeZone)}.`,
            scheduledFor: next.toISOString(),
            counts: null,
          };
        }
        // The window opens after the batch expires: sent now, its items then wait for their window in the outbox (GoHighLevel) or the campaign's schedule (Instantly).
        return execute(approved, by, `Approved outside the send window (${hoursText(deps.settings)}); the next window opens after the batch expires, so it is executed now and its items wait for the window. `);
      }
      return execute(approved, by, 'Approved. ');
    },

    /** Scheduled batches whose time has come, run by the OPERATOR tick; a refusal (the stop) leaves the batch for the next tick. */
    runDue: async (): Promise<{ batchId: string; ok: boolean; detail: string }[]> => {
      const out: { batchId: string; ok: boolean; detail: string }[] = [];
      for (const due of await deps.schedules.dueScheduled(deps.clock.now())) {
        try {
          const batch = await deps.gatekeeper.show(due.batchId);
          await deps.dispatch({ motion: batch.motion, live: true, by: due.by, batchId: batch.id });
          out.push({ batchId: due.batchId, ok: true, detail: 'executed' });
        } catch (error) {
          out.push({ batchId: due.batchId, ok: false, detail: error instanceof Error ? error.message : String(error) });
        }
      }
      return out;
    },

    /** The newest batches with how each stands (approved, scheduled, executing, executed with counts, expired). */
    board: async (limit: number): Promise<BatchBoardRow[]> => {
      const now = deps.clock.now();
      const list = await deps.gatekeeper.list(limit);
      const ids = list.map((b) => b.id);
      const schedules = await deps.schedules.schedulesOf(ids);
      const counts = await deps.schedules.batchCounts(ids);
      return list.map((b) => {
        const schedule = schedules.get(b.id);
        const outbox = counts.get(b.id) ?? {};
        const expired = (b.status === 'pending_approval' || b.status === 'approved') && now.getTime() >= b.expiresAt.getTime();
        const state: BatchBoardState = expired
          ? 'expired'
          : b.status === 'pending_approval'
            ? 'pending'
            : b.status === 'rejected'
              ? 'rejected'
              : b.status === 'executed'
                ? 'executed'
                : schedule && schedule.at.getTime() > now.getTime()
                  ? 'scheduled'
                  : schedule
                    ? 'executing'
                    : 'approved';
        const counted = Object.entries(outbox)
          .map(([s, n]) => `${n} ${s === 'rejected' ? 'refused' : s === 'sent' ? 'handed to the provider' : s}`)
          .join(', ');
        const label = {
          pending: `waiting for approval until ${b.expiresAt.toISOString()}`,
          approved: `approved by ${b.decidedBy ?? '?'}, not sent yet`,
          scheduled: `approved by ${b.decidedBy ?? '?'}, to be sent at ${schedule ? whenText(schedule.at, deps.settings.timeZone) : '?'}`,
          executing: `approved by ${b.decidedBy ?? '?'}, executing`,
          executed: `executed ${b.executedAt?.toISOString() ?? ''}${counted ? `: ${counted}` : ''}`,
          rejected: `rejected by ${b.decidedBy ?? '?'}${b.decisionReason ? `: ${b.decisionReason}` : ''}`,
          expired: `expired ${b.expiresAt.toISOString()}${b.status === 'approved' ? ' (approved, never sent)' : ' (never approved)'}`,
        }[state];
        return {
          id: b.id,
          motion: b.motion,
          state,
          label,
          items: b.scope.length,
          createdAt: b.createdAt.toISOString(),
          expiresAt: b.expiresAt.toISOString(),
          decidedBy: b.decidedBy,
          scheduledFor: schedule?.at.toISOString() ?? null,
          outbox,
        };
      });
    },
  };
};

export type BatchSender = ReturnType<typeof createBatchSender>;
export type { BatchBoardRow, BatchSendOutcome } from './ports.js';
