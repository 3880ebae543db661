import type { Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const jobCommands = () => import('../commands/jobs.js');
type JobCommands = Awaited<ReturnType<typeof jobCommands>>;

export const registerJobCommands = (program: Command): void => {
  withCommonOptions(
    program
      .command('worker')
      .description('run jobs from Redis (REDIS_URL) until SIGTERM: webhook processing, dispatch, pipeline runs and the scheduled jobs')
      .option('--queues <list>', 'comma-separated queues (signals, dispatch, pipeline, schedule); default all', (v) =>
        v
          .split(',')
          .map((q) => q.trim())
          .filter(Boolean),
      )
      .option('--concurrency <n>', 'jobs at a time per queue', parsePositiveInt('concurrency', 64), 1)
      .option('--metrics-port <n>', "serve this worker's Prometheus metrics on GET /metrics at this port", parsePositiveInt('metrics-port', 65_535)),
  ).action(async (options: Parameters<(typeof import('../commands/serve.js'))['workerCommand']>[0]) => (await import('../commands/serve.js')).workerCommand(options));

  const jobs = program.command('jobs').description('the job queues (BullMQ with REDIS_URL; inline otherwise)');
  withCommonOptions(jobs.command('status').description('jobs per queue and state, the age of the oldest waiting job, and the schedules').option('--json', 'print JSON')).action(
    async (options: Parameters<JobCommands['jobsStatusCommand']>[0]) => (await jobCommands()).jobsStatusCommand(options),
  );
  withCommonOptions(jobs.command('failed').description('jobs that failed for good (after their retries), newest first').option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 50).option('--json', 'print JSON')).action(
    async (options: Parameters<JobCommands['jobsFailedCommand']>[0]) => (await jobCommands()).jobsFailedCommand(options),
  );
  withCommonOptions(jobs.command('retry <id>').description('put a failed job back in its queue with a fresh set of attempts').option('--json', 'print JSON')).action(
    async (id: string, options: Parameters<JobCommands['jobsRetryCommand']>[1]) => (await jobCommands()).jobsRetryCommand(id, options),
  );
};
