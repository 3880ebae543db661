import type { Command } from 'commander';
import { openApp } from '../../deps.js';
import { jobCatalogue } from '../../jobs/catalogue.js';
import { openJobs } from '../../jobs/open-jobs.js';
import { configFrom, parsePositiveInt, withCommonOptions, type CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from './with-app.js';
import { workerCommand } from './serve.js';

/**
 * The queue as a producer sees it: the catalogue's names and queues, no worker, no OPERATOR (a
 * status or retry needs neither); handlers are never called from here.
 */
const withQueues = async <T>(options: CommonOptions, work: (jobs: Awaited<ReturnType<typeof openJobs>>) => Promise<T>): Promise<T> => {
  const app = await openApp(configFrom(options));
  const never = async (): Promise<Record<string, unknown>> => {
    throw new Error('not run from caio jobs');
  };
  const definitions = jobCatalogue(app, { operator: null, watcher: { status: never, run: never } as never, processor: { process: never } as never, runPipeline: never });
  const jobs = await openJobs(app, definitions, { work: false, holder: 'caio-jobs-cli' });
  try {
    return await work(jobs);
  } finally {
    await jobs.close();
    await app.close();
  }
};

export const registerJobCommands = (program: Command): void => {
  withCommonOptions(
    program
      .command('worker')
      .description('run jobs from Redis (REDIS_URL) until SIGTERM: webhook processing, dispatch, pipeline runs and the scheduled jobs')
      .option('--queues <list>', 'comma-separated queues (signals, dispatch, pipeline, schedule); default all', (v) => v.split(',').map((q) => q.trim()).filter(Boolean))
      .option('--concurrency <n>', 'jobs at a time per queue', parsePositiveInt('concurrency', 64), 1)
      .option('--metrics-port <n>', 'serve this worker\'s Prometheus metrics on GET /metrics at this port', parsePositiveInt('metrics-port', 65_535)),
  ).action((options: CommonOptions & { queues?: string[]; concurrency: number; metricsPort?: number }) => workerCommand(options));

  const jobs = program.command('jobs').description('the job queues (BullMQ with REDIS_URL; inline otherwise)');
  withCommonOptions(jobs.command('status').description('jobs per queue and state, the age of the oldest waiting job, and the schedules').option('--json', 'print JSON')).action(async (options: CommonOptions & { json?: boolean }) => {
    await withQueues(options, async (runner) => {
      const status = await runner.status();
      if (options.json) return printJson(status);
      if (runner.backend === 'inline') return void process.stdout.write('jobs run inline inside caio start / caio serve (no REDIS_URL): there is no shared queue to inspect; failed webhook deliveries are in caio webhooks list --status failed\n');
      const s = status as unknown as { queues: { queue: string; waiting: number; active: number; delayed: number; failed: number; completed: number; oldestWaitingAgeMs: number }[]; schedulers: { id: string; pattern: string | null; every: number | null; nextRunAt: string | null }[] };
      process.stdout.write(`${renderTable(['queue', 'waiting', 'active', 'delayed', 'failed', 'completed', 'oldest waiting'], s.queues.map((q) => [q.queue, String(q.waiting), String(q.active), String(q.delayed), String(q.failed), String(q.completed), `${Math.round(q.oldestWaitingAgeMs / 1000)} s`]))}\n\n`);
      process.stdout.write(`${renderTable(['schedule', 'when', 'next run'], s.schedulers.map((j) => [j.id, j.pattern ? `cron ${j.pattern} UTC` : `every ${Math.round((j.every ?? 0) / 60_000)} min`, j.nextRunAt ?? '-']))}\n`);
    });
  });
  withCommonOptions(jobs.command('failed').description('jobs that failed for good (after their retries), newest first').option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 50).option('--json', 'print JSON')).action(async (options: CommonOptions & { limit: number; json?: boolean }) => {
    await withQueues(options, async (runner) => {
      const failed = await runner.failed(options.limit);
      if (options.json) return printJson(failed);
      process.stdout.write(failed.length ? `${renderTable(['id', 'queue', 'job', 'attempts', 'failed at', 'error'], failed.map((f) => [f.id, f.queue, f.name, String(f.attemptsMade), f.finishedOn ?? '-', f.failedReason.slice(0, 120)]))}\n` : 'no failed job\n');
    });
  });
  withCommonOptions(jobs.command('retry <id>').description('put a failed job back in its queue with a fresh set of attempts').option('--json', 'print JSON')).action(async (id: string, options: CommonOptions & { json?: boolean }) => {
    await withQueues(options, async (runner) => {
      const retried = await runner.retry(id.trim());
      if (options.json) return printJson(retried);
      process.stdout.write(`job ${retried.id} is back in queue ${retried.queue}\n`);
    });
  });
};
