import { jobCatalogue, scheduledJobs, type JobCatalogueDeps, type JobCatalogueSettings } from '../jobs/catalogue.js';
import type { AnyJobDefinition } from '../jobs/definitions.js';
import type { JobDoneEvent } from '../jobs/bullmq/runner.js';
import { createInlineRunner } from '../jobs/inline-runner.js';
import type { JobRunner } from '../jobs/ports.js';
import { createReviewQueueWatcher, reviewQueueStatus, type QueueWatcherSettings } from '../jobs/review-queue-watcher.js';
import { startScheduler } from '../jobs/scheduler.js';
import type { CadenceSync } from '../signals/cadence-sync.js';
import { createApprovalWatcher } from '../jobs/approval-watcher.js';
import { createBatchStore } from '../store/batches-repo.js';
import { createControlStore } from '../store/control-repo.js';
import { createIncidentStore } from '../store/incident-repo.js';
import { operatorPageUrl } from './operator-url.js';
import { createDashboardQueries } from '../store/dashboard-repo.js';
import type { AppDeps } from './app-deps.js';
import { decayDetectorFor } from './decay.js';
import { BRIEF_EVERY_MINUTES } from './meeting-briefs.js';

const watcherSettings = (app: AppDeps): QueueWatcherSettings => ({ lowWater: app.config.jobs.reviewQueueLowWater, target: app.config.jobs.reviewQueueTarget, everyMinutes: app.config.jobs.queueWatchEveryMinutes });

/** The review-queue watcher of one app; `topUp` runs the pipeline for that many leads. */
export const queueWatcherFor = (app: AppDeps, topUp: (limit: number) => Promise<Record<string, unknown>>, holder: string) =>
  createReviewQueueWatcher({
    pending: () => createDashboardQueries(app.database.db).pendingReviewCount(),
    topUp,
    control: createControlStore(app.database.db),
    clock: app.clock,
    holder,
    settings: watcherSettings(app),
  });

/** The review queue as the watcher sees it, without anything it would need to top up. */
export const reviewQueueStatusFor = (app: AppDeps) => () => reviewQueueStatus(() => createDashboardQueries(app.database.db).pendingReviewCount(), watcherSettings(app));

const catalogueSettings = ({ config }: AppDeps): JobCatalogueSettings => ({
  send: config.send,
  decayAtUtc: config.jobs.decayAtUtc,
  dispatchEveryMinutes: config.jobs.dispatchEveryMinutes,
  queueWatchEveryMinutes: config.jobs.queueWatchEveryMinutes,
  approvalWatchEveryMinutes: config.jobs.approvalWatchEveryMinutes,
  visitorsEveryMinutes: config.jobs.visitorsEveryMinutes,
  meetingBriefsEveryMinutes: BRIEF_EVERY_MINUTES,
});

/** The approval watcher of one app: its batches, its escalator and alerts, the /operator link. */
export const approvalWatcherFor = (app: AppDeps) => {
  const incidents = createIncidentStore(app.database.db);
  return createApprovalWatcher({
    batches: createBatchStore(app.database.db),
    escalation: app.escalation,
    openIncidentKeys: async () => (await incidents.open()).map((i) => i.key),
    alerts: app.alerts,
    operatorUrl: operatorPageUrl(app.config),
  });
};

/** Every job of one app: the catalogue over its config and use cases (decay over its stores). */
export const jobCatalogueFor = (app: AppDeps, deps: Omit<JobCatalogueDeps, 'settings' | 'detectDecay' | 'cadence' | 'approvals'> & { cadence: CadenceSync }): AnyJobDefinition[] => {
  const detect = decayDetectorFor(app, deps.cadence);
  return jobCatalogue({ ...deps, approvals: approvalWatcherFor(app), settings: catalogueSettings(app), detectDecay: (now) => detect(now, false) });
};

/**
 * The job runner for this process. Without REDIS_URL, the inline backend: jobs run in this process
 * and the scheduled ones on the in-process scheduler (a database lease per slot). With it, BullMQ:
 * `work` starts workers (for `queues`, `concurrency` at a time) and makes sure the job schedulers
 * exist; a process that does not work (a `caio serve` beside `caio worker`s) only enqueues.
 */
export const openJobs = async (
  app: AppDeps,
  definitions: readonly AnyJobDefinition[],
  role: { work: boolean; holder: string; queues?: string[] | undefined; concurrency?: number | undefined; onJobDone?: (event: JobDoneEvent) => void },
): Promise<JobRunner> => {
  const { config } = app;
  const backend = config.jobsBackend;
  if (backend.kind === 'inline') {
    const runner = createInlineRunner({ definitions, log: app.log, ...(role.onJobDone ? { onJobDone: role.onJobDone } : {}) });
    const scheduler = role.work && config.jobs.enabled ? startScheduler({ jobs: scheduledJobs(definitions), control: createControlStore(app.database.db), clock: app.clock, log: app.log, holder: role.holder }) : null;
    return {
      backend: 'inline',
      enqueue: runner.enqueue,
      status: async () => ({ ...(await runner.status()), schedule: scheduler?.schedule() ?? [] }),
      failed: runner.failed,
      retry: runner.retry,
      close: async () => {
        await scheduler?.stop();
        await runner.close();
      },
    };
  }
  const { createBullmqRunner } = await import('../jobs/bullmq/runner.js');
  const runner = createBullmqRunner({ redisUrl: backend.redisUrl, prefix: config.jobs.queuePrefix, definitions, log: app.log, ...(role.onJobDone ? { onJobDone: role.onJobDone } : {}) });
  if (role.work) {
    if (config.jobs.enabled) await runner.upsertSchedules();
    await runner.startWorkers({ ...(role.queues ? { queues: role.queues } : {}), concurrency: role.concurrency ?? 1 });
  }
  return { backend: 'bullmq', enqueue: runner.enqueue, status: async () => ({ backend: 'bullmq', ...(await runner.status()) }), failed: runner.failed, retry: runner.retry, close: runner.close };
};

const refuse = async (): Promise<never> => {
  throw new Error('not run from caio jobs');
};

/**
 * The queues as a producer sees them (`caio jobs`): the catalogue's names and queues, no worker,
 * no OPERATOR (a status or a retry needs neither); its handlers are never called.
 */
export const openJobProducer = (app: AppDeps, holder: string): Promise<JobRunner> => {
  const definitions = jobCatalogue({
    settings: catalogueSettings(app),
    operator: null,
    watcher: { run: refuse },
    approvals: { run: refuse },
    processor: { processWithWaiting: refuse, processPending: refuse },
    cadence: { sync: refuse },
    detectDecay: refuse,
    runPipeline: refuse,
  });
  return openJobs(app, definitions, { work: false, holder });
};
