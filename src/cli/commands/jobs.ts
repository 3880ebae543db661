import { openJobProducer } from '../../compose/jobs.js';
import type { JobRunner } from '../../jobs/ports.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { cliOut } from '../io.js';
import { openCliApp } from './with-app.js';

/** The queues as a producer sees them (no worker, no OPERATOR), closed with the app after `work`. */
const withQueues = async <T>(options: CommonOptions, work: (jobs: JobRunner) => Promise<T>): Promise<T> => {
  const app = await openCliApp(configFrom(options));
  try {
    const jobs = await openJobProducer(app, 'caio-jobs-cli');
    try {
      return await work(jobs);
    } finally {
      await jobs.close();
    }
  } finally {
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
