import type { AppDeps } from '../deps.js';
import type { Operator } from '../dispatch/operator.js';
import { cadenceSyncFor } from '../signals/compose.js';
import { runDecay } from '../signals/run-decay.js';
import { createDecayQuery, createLeadEventStore } from '../store/inbox-repo.js';
import { createSignalLeadStore } from '../store/signals-repo.js';
import { createControlStore } from '../store/control-repo.js';
import { createDashboardQueries } from '../store/dashboard-repo.js';
import { createReviewQueueWatcher, type ReviewQueueWatcher } from './review-queue-watcher.js';
import type { Job } from './scheduler.js';

/** The review-queue watcher of one app; `topUp` runs the pipeline for that many leads. */
export const queueWatcherFor = (app: AppDeps, topUp: (limit: number) => Promise<Record<string, unknown>>, holder: string) =>
  createReviewQueueWatcher({ pending: () => createDashboardQueries(app.database.db).pendingReviewCount(), topUp, control: createControlStore(app.database.db), clock: app.clock, holder, settings: { lowWater: app.config.jobs.reviewQueueLowWater, target: app.config.jobs.reviewQueueTarget, everyMinutes: app.config.jobs.queueWatchEveryMinutes } });

/**
 * The scheduled work of the signal loop: daily decay detection, the OPERATOR tick (only when the
 * send mode is live: it freezes new work into pending batches for a person and sends what approved
 * batches queued), and the review-queue watcher (one pipeline run when the queue is low).
 */
export const standardJobs = (app: AppDeps, deps: { operator: Operator | null; watcher: ReviewQueueWatcher }): Job[] => {
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
      run: () => deps.watcher.run({ force: false, by: 'scheduler' }),
    },
  ];
};
