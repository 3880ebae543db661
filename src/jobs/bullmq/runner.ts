import { Queue, UnrecoverableError, Worker, type Job, type JobSchedulerJson, type JobsOptions, type RepeatOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError } from '../../lib/app-error.js';
import type { Logger } from '../../lib/logger.js';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, isUnrecoverable, type AnyJobDefinition } from '../definitions.js';
import type { Schedule } from '../schedule.js';

/**
 * What a job's attempt came to, for metrics (a prom-client counter and histogram, say). Reported by
 * the worker as the handler returns or throws, just before BullMQ records it in Redis.
 */
export type JobDoneEvent = { queue: string; name: string; outcome: 'completed' | 'failed' | 'retrying'; durationMs: number };

export type BullmqRunnerOptions = {
  redisUrl: string;
  /** Namespaces every Redis key, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  definitions: readonly AnyJobDefinition[];
  log: Logger;
  /** The clock handed to jobs as `ctx.now`. @defaultValue the system clock */
  now?: () => Date;
  onJobDone?: (event: JobDoneEvent) => void;
  /**
   * How long a schedule's "minute" lasts for `every` schedules. Only tests change it, so that an
   * `every 1 min` schedule fires each second; daily schedules are cron patterns and ignore it.
   * @defaultValue 60000
   */
  minuteMs?: number;
};

export type QueueStatus = { queue: string; waiting: number; active: number; delayed: number; failed: number; completed: number; oldestWaitingAgeMs: number };
export type SchedulerStatus = { queue: string; id: string; pattern: string | null; every: number | null; tz: string | null; nextRunAt: string | null };
export type FailedJob = { id: string; queue: string; name: string; attemptsMade: number; failedReason: string; finishedOn: string | null };

type JobData = unknown;
type JobResult = Record<string, unknown>;
type RunnerQueue = Queue<JobData, JobResult, string>;
type RunnerJob = Job<JobData, JobResult, string>;

/** Completed jobs are only history: keep the last thousand per queue so Redis memory stays bounded. */
const KEEP_COMPLETED = { count: 1000 };
/**
 * Failed jobs are kept until a person retries or cleans them: they are the dead-letter list, and
 * dropping one silently would lose work. `status()` shows the count, so growth is visible.
 */
const KEEP_FAILED = false;
/** Reconnect forever, backing off to one try every 5 s: a Redis restart or outage is waited out. */
const reconnectDelay = (times: number): number => Math.min(times * 200, 5000);
/**
 * How long a worker waits before retrying a Redis call that failed for a reason other than a
 * closed connection. BullMQ's default (15 s) would stall a queue that long after a brief hiccup.
 */
const RUN_RETRY_DELAY_MS = 1000;
const CUSTOM_ID_RULES = 'a job id must not contain ":" and must not be an integer (BullMQ reserves those)';

const DAILY_AT = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Fails at start-up, naming the definition, rather than when its first job runs. */
const validateDefinitions = (definitions: readonly AnyJobDefinition[]): void => {
  const seen = new Set<string>();
  for (const d of definitions) {
    const problem = seen.has(d.name)
      ? 'the name is used twice'
      : !d.queue || d.queue.includes(':')
        ? 'its queue name must be non-empty and without ":"'
        : d.schedule?.kind === 'daily' && !DAILY_AT.test(d.schedule.atUtc)
          ? `atUtc "${d.schedule.atUtc}" is not HH:MM`
          : d.schedule?.kind === 'every' && !(d.schedule.minutes > 0)
            ? 'an every-schedule needs minutes > 0'
            : d.attempts !== undefined && !(Number.isInteger(d.attempts) && d.attempts >= 1)
              ? 'attempts must be an integer >= 1'
              : null;
    if (problem) throw new AppError('CONFIG_INVALID', `job definition "${d.name}": ${problem}`);
    seen.add(d.name);
  }
};

/** Our schedule in BullMQ's terms. Daily times are UTC whatever the server's zone. */
export const repeatOptionsFor = (schedule: Schedule, minuteMs = 60_000): Omit<RepeatOptions, 'key'> => {
  // On the clock, as the inline scheduler does (every 15 min = :00, :15, :30, :45 UTC), when the
  // interval divides an hour: BullMQ's `every` would count from whenever the first worker started.
  if (schedule.kind === 'every' && minuteMs === 60_000 && Number.isInteger(schedule.minutes) && 60 % schedule.minutes === 0) return { pattern: `*/${schedule.minutes} * * * *`, tz: 'UTC' };
  if (schedule.kind === 'every' && minuteMs === 60_000 && schedule.minutes % 60 === 0 && 24 % (schedule.minutes / 60) === 0) return { pattern: `0 */${schedule.minutes / 60} * * *`, tz: 'UTC' };
  if (schedule.kind === 'every') return { every: Math.round(schedule.minutes * minuteMs) };
  const [, hours, minutes] = DAILY_AT.exec(schedule.atUtc) ?? [];
  return { pattern: `${Number(minutes)} ${Number(hours)} * * *`, tz: 'UTC' };
};

const jobOptionsFor = (d: AnyJobDefinition): JobsOptions => ({
  attempts: d.attempts ?? DEFAULT_ATTEMPTS,
  backoff: { type: 'exponential', delay: d.backoffMs ?? DEFAULT_BACKOFF_MS },
  removeOnComplete: KEEP_COMPLETED,
  removeOnFail: KEEP_FAILED,
});

const isValidCustomId = (id: string): boolean => !id.includes(':') && !/^\d+$/.test(id);

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * `maxRetriesPerRequest: null` makes a command wait for the reconnect instead of failing; BullMQ
 * requires it for workers, whose loop must survive an outage. Producers get a small number so
 * that `enqueue` during an outage fails within seconds and the caller sees it.
 */
const connect = (url: string, role: 'producer' | 'worker', prefix: string, log: Logger): Redis => {
  const client = new Redis(url, { maxRetriesPerRequest: role === 'worker' ? null : 3, retryStrategy: reconnectDelay, connectionName: `${prefix}:runner-${role}` });
  // Without a listener ioredis prints each reconnect failure to the console.
  client.on('error', (error: Error) => log.warn({ role, err: error.message }, 'redis connection error'));
  return client;
};

/**
 * The BullMQ backend of the job runner: queues per `definition.queue`, one job scheduler per
 * scheduled definition (BullMQ makes one job per tick however many workers run), and workers that
 * dispatch by job name. Nothing lives in process memory that another process needs.
 *
 * Shutdown: call `close()` (or `onSigterm()` to have SIGTERM/SIGINT do it); it lets running jobs
 * finish before the connections go.
 */
export const createBullmqRunner = (options: BullmqRunnerOptions) => {
  validateDefinitions(options.definitions);
  const log = options.log.child({ component: 'bullmq-runner' });
  const now = options.now ?? (() => new Date());
  const byName = new Map(options.definitions.map((d) => [d.name, d]));
  const producer = connect(options.redisUrl, 'producer', options.prefix, log);
  const queues = new Map<string, RunnerQueue>();
  for (const name of new Set(options.definitions.map((d) => d.queue))) {
    const queue: RunnerQueue = new Queue<JobData, JobResult, string>(name, { connection: producer, prefix: options.prefix });
    queue.on('error', (error) => log.warn({ queue: name, err: error.message }, 'queue error'));
    queues.set(name, queue);
  }
  let workerConnection: Redis | null = null;
  const workers = new Map<string, Worker<JobData, JobResult, string>>();
  let closing: Promise<void> | null = null;

  const report = (event: JobDoneEvent, jobId: string, error?: Error): void => {
    try {
      options.onJobDone?.(event);
    } catch (hookError) {
      // A broken metrics hook must not turn a finished job into a failed (and retried) one.
      log.warn({ err: toError(hookError).message }, 'onJobDone hook threw');
    }
    const fields = { queue: event.queue, job: event.name, jobId, durationMs: event.durationMs };
    if (event.outcome === 'completed') log.info(fields, 'job completed');
    else if (event.outcome === 'retrying') log.warn({ ...fields, err: error?.message }, 'job failed, will retry');
    else log.error({ ...fields, err: error?.message }, 'job failed for good');
  };

  /** Runs one attempt. Unrecoverable errors become BullMQ's UnrecoverableError so it skips the retries. */
  const processJob = async (job: RunnerJob): Promise<JobResult> => {
    const definition = byName.get(job.name);
    if (!definition || definition.queue !== job.queueName) {
      // A producer newer or older than this worker: parking the job keeps it for a person to see.
      log.error({ queue: job.queueName, job: job.name, jobId: job.id }, 'no definition for job');
      throw new UnrecoverableError(`no job definition "${job.name}" on queue "${job.queueName}"`);
    }
    const attempt = job.attemptsMade + 1;
    const started = performance.now();
    const done = (outcome: JobDoneEvent['outcome'], error?: Error) => report({ queue: job.queueName, name: job.name, outcome, durationMs: Math.round(performance.now() - started) }, job.id ?? '', error);
    try {
      // The cast is the data's trust boundary, see JobDefinition.run.
      const result = await definition.run(job.data as never, { jobId: job.id ?? '', attempt, now: now() });
      done('completed');
      return result;
    } catch (thrown) {
      const error = toError(thrown);
      const unrecoverable = isUnrecoverable(thrown);
      // The job's own options, not the definition's: they were fixed when it was enqueued.
      done(unrecoverable || attempt >= (job.opts.attempts ?? 1) ? 'failed' : 'retrying', error);
      if (unrecoverable && !(error instanceof UnrecoverableError)) throw new UnrecoverableError(error.message);
      throw error;
    }
  };

  const queueOf = (name: string): RunnerQueue => {
    const queue = queues.get(name);
    if (!queue) throw new AppError('INVALID_INPUT', `no job definition uses queue "${name}" (known: ${[...queues.keys()].join(', ')})`);
    return queue;
  };

  const ensureOpen = (): void => {
    if (closing) throw new AppError('CONFLICT', 'the job runner is closed');
  };

  /** Adds a job; with a `jobId`, a job of that id that still exists in the queue makes this a no-op. */
  const enqueue = async (name: string, data: unknown, opts: { jobId?: string; delayMs?: number } = {}): Promise<{ id: string; queue: string }> => {
    ensureOpen();
    const definition = byName.get(name);
    if (!definition) throw new AppError('INVALID_INPUT', `no job named "${name}"`);
    if (opts.jobId !== undefined && !isValidCustomId(opts.jobId)) throw new AppError('INVALID_INPUT', `job id "${opts.jobId}": ${CUSTOM_ID_RULES}`);
    const job = await queueOf(definition.queue).add(name, data, { ...jobOptionsFor(definition), jobId: opts.jobId, delay: opts.delayMs });
    return { id: job.id ?? '', queue: definition.queue };
  };

  /**
   * Makes Redis hold exactly one scheduler per scheduled definition, keyed by its name. Upserting is
   * idempotent, so every worker process may call this at start-up. Schedulers whose definition is
   * gone are removed; only queues some definition still names are swept.
   */
  const upsertSchedules = async (): Promise<{ upserted: string[]; removed: string[] }> => {
    ensureOpen();
    const upserted: string[] = [];
    const removed: string[] = [];
    for (const [name, queue] of queues) {
      const scheduled = options.definitions.filter((d) => d.queue === name && d.schedule);
      for (const d of scheduled) {
        await queue.upsertJobScheduler(d.name, repeatOptionsFor(d.schedule!, options.minuteMs), { name: d.name, data: {}, opts: jobOptionsFor(d) });
        upserted.push(d.name);
      }
      for (const existing of await queue.getJobSchedulers(0, -1)) {
        if (scheduled.some((d) => d.name === existing.key)) continue;
        await queue.removeJobScheduler(existing.key);
        removed.push(existing.key);
      }
    }
    if (removed.length > 0) log.info({ removed }, 'removed job schedulers without a definition');
    return { upserted, removed };
  };

  /** One worker per queue (all of them by default); `concurrency` jobs at a time per worker. */
  const startWorkers = async (opts: { queues?: string[]; concurrency?: number } = {}): Promise<void> => {
    ensureOpen();
    const names = opts.queues ?? [...queues.keys()];
    names.forEach(queueOf);
    const already = names.filter((n) => workers.has(n));
    if (already.length > 0) throw new AppError('CONFLICT', `workers already run for: ${already.join(', ')}`);
    workerConnection ??= connect(options.redisUrl, 'worker', options.prefix, log);
    for (const name of names) {
      const worker = new Worker<JobData, JobResult, string>(name, processJob, {
        connection: workerConnection,
        prefix: options.prefix,
        concurrency: opts.concurrency ?? 1,
        runRetryDelay: RUN_RETRY_DELAY_MS,
      });
      // An 'error' event without a listener would crash the process; during an outage these are expected.
      worker.on('error', (error) => log.warn({ queue: name, err: error.message }, 'worker error'));
      workers.set(name, worker);
    }
    await Promise.all(names.map((n) => workers.get(n)!.waitUntilReady()));
    log.info({ queues: names, concurrency: opts.concurrency ?? 1 }, 'job workers started');
  };

  const queueStatus = async (queue: RunnerQueue): Promise<QueueStatus> => {
    const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed');
    // Ascending: the job that has waited longest comes first. It became ready at timestamp + delay
    // (approximately, for a retried job). Wall-clock time, like BullMQ's own timestamps.
    const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
    const readyAt = oldest ? oldest.timestamp + (oldest.delay ?? 0) : null;
    const count = (type: string) => counts[type] ?? 0;
    return {
      queue: queue.name,
      waiting: count('waiting') + count('prioritized'),
      active: count('active'),
      delayed: count('delayed'),
      failed: count('failed'),
      completed: count('completed'),
      oldestWaitingAgeMs: readyAt === null ? 0 : Math.max(0, Date.now() - readyAt),
    };
  };

  const schedulerStatus = (queue: string, s: JobSchedulerJson<JobData>): SchedulerStatus => ({
    queue,
    id: s.key,
    pattern: s.pattern ?? null,
    every: s.every === undefined ? null : Number(s.every),
    tz: s.tz ?? null,
    nextRunAt: s.next === undefined ? null : new Date(Number(s.next)).toISOString(),
  });

  /** Counts per queue (`oldestWaitingAgeMs` is 0 when nothing waits) and the schedulers with their next run. */
  const status = async (): Promise<{ queues: QueueStatus[]; schedulers: SchedulerStatus[] }> => {
    ensureOpen();
    const all = [...queues.values()];
    const counts = await Promise.all(all.map(queueStatus));
    const schedulers = await Promise.all(all.map(async (q) => (await q.getJobSchedulers(0, -1, true)).map((s) => schedulerStatus(q.name, s))));
    return { queues: counts, schedulers: schedulers.flat() };
  };

  const toFailedJob = (job: RunnerJob): FailedJob => ({
    id: job.id ?? '',
    queue: job.queueName,
    name: job.name,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason,
    finishedOn: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  });

  /** The most recently failed jobs across all queues, newest first. */
  const failed = async (limit = 50): Promise<FailedJob[]> => {
    ensureOpen();
    // getFailed(0, -1) would mean "all of them": a limit below 1 asks for one.
    const last = Math.max(1, Math.floor(limit)) - 1;
    const perQueue = await Promise.all([...queues.values()].map((q) => q.getFailed(0, last)));
    return perQueue
      .flat()
      .map(toFailedJob)
      .sort((a, b) => (b.finishedOn ?? '').localeCompare(a.finishedOn ?? ''))
      .slice(0, last + 1);
  };

  /** Puts a failed job back in its queue with a fresh attempt budget. */
  const retry = async (id: string): Promise<{ id: string; queue: string }> => {
    ensureOpen();
    const found = (await Promise.all([...queues.values()].map((q) => q.getJob(id)))).filter((j): j is RunnerJob => j !== undefined);
    if (found.length === 0) throw new AppError('NOT_FOUND', `no job "${id}" in queues ${[...queues.keys()].join(', ')}`);
    for (const job of found) {
      if ((await job.getState()) !== 'failed') continue;
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      log.info({ queue: job.queueName, job: job.name, jobId: id }, 'failed job retried');
      return { id, queue: job.queueName };
    }
    throw new AppError('CONFLICT', `job "${id}" has not failed (it is ${await found[0]!.getState()})`);
  };

  /** Workers first (BullMQ waits for their running jobs), then queues, then our connections. Idempotent. */
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await Promise.all([...workers.values()].map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      // disconnect(), not quit(): quit would wait forever for a Redis that is down, and nothing is pending by now.
      producer.disconnect();
      workerConnection?.disconnect();
      log.info('job runner closed');
    })());

  /** Closes on SIGTERM/SIGINT (then calls `then`, e.g. to exit); returns a function that unhooks it. */
  const onSigterm = (then?: (error?: unknown) => void): (() => void) => {
    const handler = (signal: NodeJS.Signals) => {
      unhook();
      log.info({ signal }, 'closing job runner');
      close().then(
        () => then?.(),
        (error: unknown) => then?.(error),
      );
    };
    const unhook = () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    };
    process.once('SIGTERM', handler);
    process.once('SIGINT', handler);
    return unhook;
  };

  return { enqueue, upsertSchedules, startWorkers, status, failed, retry, close, onSigterm };
};

export type BullmqRunner = ReturnType<typeof createBullmqRunner>;
