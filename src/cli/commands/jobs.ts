import { jobCatalogue } from '../../jobs/catalogue.js';
import { openJobs } from '../../jobs/open-jobs.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { cliOut } from '../io.js';
import { openCliApp } from './with-app.js';

/**
 * The queue as a producer sees it: the catalogue's names and queues, no worker, no OPERATOR (a
 * status or retry needs neither); handlers are never called from here.
 */
const withQueues = async <T>(options: CommonOptions, work: (jobs: Awaited<ReturnType<typeof openJobs>>) => Promise<T>): Promise<T> => {
  const app = await openCliApp(configFrom(options));
  const never = async (): Promise<Record<string, unknown>> => {
    throw new Error('not run from caio jobs');
  };
  const definitions = jobCatalogue(app, { operator: null, watcher: { status: never, run: never } as never, processor: { process: never } as never, cadence: never as never, runPipeline: never });
  const jobs = await openJobs(app, definitions, { work: false, holder: 'caio-jobs-cli' });
  try {
    return await work(jobs);
  } finally {
    await jobs.close();
    await app.close();
  }
};

export const jobsStatusCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withQueues(options, async (runner) => {
    const status = await runner.status();
    if (options.json) return printJson(status);
    if (runner.backend === 'inline') return void cliOut('jobs run inline inside caio start / caio serve (no REDIS_URL): there is no shared queue to inspect; failed webhook deliveries are in caio webhooks list --status failed\n');
    const s = status as unknown as {
      queues: { queue: string; waiting: number; active: number; delayed: number; failed: number; completed: number; oldestWaitingAgeMs: number }[];
      schedulers: { id: string; pattern: string | null; every: number | null; nextRunAt: string | null }[];
    };
    cliOut(
      `${renderTable(
        ['queue', 'waiting', 'active', 'delayed', 'failed', 'completed', 'oldest waiting'],
        s.queues.map((q) => [q.queue, String(q.waiting), String(q.active), String(q.delayed), String(q.failed), String(q.completed), `${Math.round(q.oldestWaitingAgeMs / 1000)} s`]),
      )}\n\n`,
    );
    cliOut(
      `${renderTable(
        ['schedule', 'when', 'next run'],
        s.schedulers.map((j) => [j.id, j.pattern ? `cron ${j.pattern} UTC` : `every ${Math.round((j.every ?? 0) / 60_000)} min`, j.nextRunAt ?? '-']),
      )}\n`,
    );
  });
};

export const jobsFailedCommand = async (options: CommonOptions & { limit: number; json?: boolean }): Promise<void> => {
  await withQueues(options, async (runner) => {
    const failed = await runner.failed(options.limit);
    if (options.json) return printJson(failed);
    cliOut(
      failed.length
        ? `${renderTable(
            ['id', 'queue', 'job', 'attempts', 'failed at', 'error'],
            failed.map((f) => [f.id, f.queue, f.name, String(f.attemptsMade), f.finishedOn ?? '-', f.failedReason.slice(0, 120)]),
          )}\n`
        : 'no failed job\n',
    );
  });
};

export const jobsRetryCommand = async (id: string, options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withQueues(options, async (runner) => {
    const retried = await runner.retry(id.trim());
    if (options.json) return printJson(retried);
    cliOut(`job ${retried.id} is back in queue ${retried.queue}\n`);
  });
};
