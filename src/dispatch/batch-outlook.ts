import { readScopeAction } from '../domain/approval/scope-action.js';
import type { ScopeItem } from '../domain/approval/batch.js';
import type { Batch } from '../pipeline/review-ports.js';
import type { Gatekeeper } from '../pipeline/gatekeeper.js';
import type { BatchPreview, Operator } from './operator.js';
import type { BatchOutlookItem, OutlookOutcome } from '../domain/approval/batch-outlook.js';

export type { BatchOutlookItem, OutlookOutcome } from '../domain/approval/batch-outlook.js';

/**
 * What a pending batch would do if approved now, item by item (issue 21 item 3): the message each
 * item carries and its predicted outcome under today's guards. The prediction is the OPERATOR's own
 * dry run of the batch (`dispatch` with `live: false`): the same tier filter, domain cap, quotas,
 * send windows, suppression and emergency stop, and it writes nothing. The copy is the OPERATOR's
 * `preview` (deterministic, so it is what the live run queues).
 */
export type BatchOutlook = { batch: Batch; items: BatchOutlookItem[]; stopped: boolean; stopReason: string | null };

export type BatchOutlookDeps = {
  operator: Pick<Operator, 'preview' | 'dispatch'>;
  gatekeeper: Pick<Gatekeeper, 'show'>;
  draftStatuses(ids: string[]): Promise<Map<string, string>>;
  /** The draft's own copy, for an item the OPERATOR refuses before building its copy. */
  draftCopy(draftId: string): Promise<{ subject: string | null; body: string | null } | null>;
};

const keyOf = (leadId: string | null, channel: string) => `${leadId ?? ''}|${channel}`;

/** Items of the same lead and channel come out of each report in scope order, so a queue per key pairs them. */
const queues = <T>(rows: readonly T[], key: (r: T) => string) => {
  const map = new Map<string, T[]>();
  for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), r]);
  return { take: (k: string): T | undefined => map.get(k)?.shift() };
};

const describe = (i: ScopeItem) => {
  const a = readScopeAction(i.action);
  if (!a) return { kind: 'unknown' as const, touch: null, step: null };
  if (a.kind === 'first_touch') return { kind: a.kind, touch: a.touch, step: 1 };
  if (a.kind === 'cadence_step') return { kind: a.kind, touch: a.action, step: a.step };
  return { kind: a.kind, touch: null, step: null };
};

export const batchOutlook = async (deps: BatchOutlookDeps, batchId: string, by: string): Promise<BatchOutlook> => {
  const batch = await deps.gatekeeper.show(batchId);
  const isRevival = (i: ScopeItem) => readScopeAction(i.action)?.kind === 'revival';
  const statuses = await deps.draftStatuses([...new Set(batch.scope.filter((i) => !isRevival(i)).map((i) => i.draftId))]);
  const preview: BatchPreview = await deps.operator.preview(batch.id);
  const dry = await deps.operator.dispatch({ motion: batch.motion, live: false, batchId: batch.id, by });
  const copies = queues(preview.items, (r) => keyOf(r.leadId, r.channel));
  // The dry run's planned items are `planned-<n>`; the others are the outbox's own due items, judged first.
  const planned = queues(
    dry.drain.items.filter((r) => r.outboxId.startsWith('planned-')),
    (r) => keyOf(r.leadId, r.channel),
  );
  const refused = queues(dry.queued?.rejected ?? [], (r) => keyOf(r.leadId, r.channel));

  const items: BatchOutlookItem[] = [];
  for (const [index, item] of batch.scope.entries()) {
    const base = { index, leadId: item.leadId, draftId: item.draftId, channel: item.channel, ...describe(item) };
    if (isRevival(item)) {
      items.push({ ...base, subject: null, body: null, outcome: 'queues_revival', until: null, reason: null });
      continue;
    }
    const key = keyOf(item.leadId, item.channel);
    const copy = copies.take(key) ?? (await deps.draftCopy(item.draftId));
    const message = { subject: copy?.subject ?? null, body: copy?.body ?? null };
    const status = statuses.get(item.draftId) ?? 'missing';
    if (status !== 'approved') {
      items.push({ ...base, ...message, outcome: 'left_out', until: null, reason: status });
      continue;
    }
    const judged = planned.take(key);
    if (judged) {
      const outcome: OutlookOutcome = judged.outcome === 'would_send' || judged.outcome === 'sent' ? 'would_send' : judged.outcome === 'deferred' ? 'deferred' : judged.outcome === 'stopped' ? 'stopped' : 'refused';
      items.push({ ...base, ...message, outcome, until: judged.notBefore ?? null, reason: judged.reason });
      continue;
    }
    const before = refused.take(key);
    items.push({ ...base, ...message, outcome: 'refused', until: null, reason: before?.reason ?? 'not planned' });
  }
  return { batch, items, stopped: dry.drain.stopped, stopReason: dry.drain.stopReason };
};
