import { approvalWaitIsDue, type Incident } from '../domain/escalation/rubric.js';
import type { Batch, BatchStore } from '../pipeline/review-ports.js';
import type { AlertPort } from '../pipeline/ports.js';

/** The incident of one waiting batch; its key is how a later tick finds it again. */
const KEY_PREFIX = 'approval:batch:';
export const approvalIncidentKey = (batchId: string) => `${KEY_PREFIX}${batchId}`;

export type ApprovalWatcherDeps = {
  batches: Pick<BatchStore, 'open' | 'get' | 'claimExpiryNotice'>;
  escalation: {
    report(incident: Incident): Promise<unknown>;
    resolve(key: string, note?: { title: string; body: string }): Promise<{ announced: boolean }>;
  };
  /** Keys of the open incidents (all kinds; the watcher picks its own). */
  openIncidentKeys: () => Promise<string[]>;
  alerts: AlertPort;
  /** Where a person decides (the dashboard's /operator page). */
  operatorUrl: string;
};

const short = (id: string) => id.slice(0, 8);
const leadsOf = (b: Batch) => new Set(b.scope.map((i) => i.leadId)).size;

/**
 * The approval watcher (a scheduled job): a batch waiting for a person escalates through the
 * escalation rubric after 30 minutes, 2 hours and 4 hours (each level pages once, whichever process
 * reports it); a decided batch closes its incident, saying who decided; a batch that expires
 * undecided says so once (the batch row records the announcement).
 */
export const createApprovalWatcher = (deps: ApprovalWatcherDeps) => ({
  run: async (now: Date): Promise<Record<string, unknown>> => {
    const pending = (await deps.batches.open(now)).filter((b) => b.status === 'pending_approval');
    let overdue = 0;
    let expired = 0;
    let closed = 0;
    const waiting = new Set<string>();
    for (const batch of pending) {
      const key = approvalIncidentKey(batch.id);
      if (now >= batch.expiresAt) {
        if (!(await deps.batches.claimExpiryNotice(batch.id, now))) continue;
        expired++;
        const note = {
          title: `Batch ${short(batch.id)} expired without a decision`,
          body: `${batch.scope.length} actions for ${leadsOf(batch)} leads (${batch.motion}) expired at ${batch.expiresAt.toISOString()} and will not be sent. Create a new batch (caio batch create) and decide at ${deps.operatorUrl}.`,
        };
        // The people paged about the wait hear how it ended; if nobody was, Slack still hears it.
        const outcome = await deps.escalation.resolve(key, note);
        if (!outcome.announced) await deps.alerts.send({ severity: 'warning', ...note, metadata: { batchId: batch.id, items: batch.scope.length, link: deps.operatorUrl } });
        continue;
      }
      waiting.add(key);
      if (!approvalWaitIsDue(batch.createdAt, now)) continue;
      overdue++;
      await deps.escalation.report({
        key,
        kind: 'approval_waiting',
        title: `Batch ${short(batch.id)} waiting for approval`,
        detail: `${batch.scope.length} actions for ${leadsOf(batch)} leads (${batch.motion}), created by ${batch.createdBy}, expire ${batch.expiresAt.toISOString()}. Approve or reject at ${deps.operatorUrl}`,
        since: batch.createdAt,
        leadsAffected: leadsOf(batch),
        sendingAffected: false,
      });
    }
    // Incidents of batches no longer waiting: a person decided (or the batch went away).
    for (const key of await deps.openIncidentKeys()) {
      if (!key.startsWith(KEY_PREFIX) || waiting.has(key)) continue;
      const batch = await deps.batches.get(key.slice(KEY_PREFIX.length));
      if (batch?.status === 'pending_approval') continue;
      closed++;
      const decided = batch ? `${batch.status.replace('_', ' ')}${batch.decidedBy ? ` by ${batch.decidedBy}` : ''}` : 'removed';
      await deps.escalation.resolve(key, { title: `Batch ${short(key.slice(KEY_PREFIX.length))} ${decided}`, body: batch?.decisionReason ? `Reason: ${batch.decisionReason}` : 'Nothing waits for approval in this batch any more.' });
    }
    return { pending: pending.length, overdue, expired, closed };
  },
});

export type ApprovalWatcher = ReturnType<typeof createApprovalWatcher>;
