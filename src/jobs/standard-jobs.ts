import { sql } from 'drizzle-orm';
import type { AppDeps } from '../deps.js';
import type { Operator } from '../dispatch/operator.js';
import { cadenceSyncFor } from '../signals/compose.js';
import { runDecay } from '../signals/run-decay.js';
import { createDecayQuery, createLeadEventStore } from '../store/inbox-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import type { Job } from './scheduler.js';

/** Drafts waiting for a person, real ones only (the review queue is never topped up with anything else). */
const pendingReview = async (app: AppDeps): Promise<number> =>
  Number(((await app.database.db.execute(sql`select count(*)::int as n from drafts where status = 'pending_review'`)) as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);

/**
 * The scheduled work of the signal loop: daily decay detection, the OPERATOR tick (only when the
 * send mode is live: it freezes new work into pending batches for a person and sends what approved
 * batches queued), and the review-queue watcher (one pipeline run when the queue is low).
 */
export const standardJobs = (app: AppDeps, deps: { operator: Operator | null; topUp: (limit: number) => Promise<Record<string, unknown>> }): Job[] => {
  const { jobs } = app.config;
  const db = app.database.db;
  return [
    {
      name: 'decay',
      schedule: { kind: 'daily', atUtc: jobs.decayAtUtc },
      run: async (now) => {
        const findings = await runDecay({ query: createDecayQuery(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), thresholds: app.config.decay, cadence: cadenceSyncFor(app) }, now, false);
        return { decayed: findings.filter((f) => f.applied).length };
      },
    },
    {
      name: 'operator',
      schedule: { kind: 'every', minutes: jobs.dispatchEveryMinutes },
      run: async () => {
        if (app.config.send !== 'live' || !deps.operator) return { skipped: 'send mode is shadow' };
        const report = await deps.operator.dispatch({ motion: 'all', live: true, by: 'scheduler' });
        return { pendingBatch: report.pendingBatch?.id ?? null, sent: report.drain.counts.sent, deferred: report.drain.counts.deferred };
      },
    },
    {
      name: 'review-queue',
      schedule: { kind: 'every', minutes: jobs.queueWatchEveryMinutes },
      run: async () => {
        const waiting = await pendingReview(app);
        if (waiting >= jobs.reviewQueueLowWater) return { waiting, toppedUp: 0 };
        return { waiting, ...(await deps.topUp(Math.max(1, jobs.reviewQueueTarget - waiting))) };
      },
    },
  ];
};
