import type { AppDeps } from '../app-deps.js';
import { createControlStore } from '../store/control-repo.js';
import type { JobDoneEvent } from './bullmq/runner.js';
import { scheduledJobs } from './catalogue.js';
import type { AnyJobDefinition } from './definitions.js';
import { createInlineRunner } from './inline-runner.js';
import { startScheduler } from './scheduler.js';

export type JobRunner = {
  backend: 'inline' | 'bullmq';
  enqueue: (name: string, data: unknown, opts?: { jobId?: string }) => Promise<{ id: string; queue: string }>;
  status: () => Promise<Record<string, unknown>>;
  failed: (limit?: number) => Promise<{ id: string; queue: string; name: string; attemptsMade: number; failedReason: string; finishedOn: string | null }[]>;
  retry: (id: string) => Promise<{ id: string; queue: string }>;
  close: () => Promise<void>;
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
  const { createBullmqRunner } = await import('./bullmq/runner.js');
  const runner = createBullmqRunner({ redisUrl: backend.redisUrl, prefix: config.jobs.queuePrefix, definitions, log: app.log, ...(role.onJobDone ? { onJobDone: role.onJobDone } : {}) });
  if (role.work) {
    if (config.jobs.enabled) await runner.upsertSchedules();
    await runner.startWorkers({ ...(role.queues ? { queues: role.queues } : {}), concurrency: role.concurrency ?? 1 });
  }
  return { backend: 'bullmq', enqueue: runner.enqueue, status: async () => ({ backend: 'bullmq', ...(await runner.status()) }), failed: runner.failed, retry: runner.retry, close: runner.close };
};
