import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { isUnrecoverable, type AnyJobDefinition, type JobDefinition } from '../../../src/jobs/definitions.js';
import { createBullmqRunner, repeatOptionsFor, type BullmqRunner, type BullmqRunnerOptions, type JobDoneEvent } from '../../../src/jobs/bullmq/runner.js';
import { silentLog } from '../../support/pipeline.js';

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('[bullmq-runner.test] REDIS_URL is not set: the BullMQ runner tests are skipped');
const describeRedis = REDIS_URL ? describe : describe.skip;

/** Polls until `check` holds; the failure names what was awaited. */
const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
};

/** A definition whose data type is checked here and erased for the runner's list. */
const define = <D>(d: JobDefinition<D>): AnyJobDefinition => d;

/** Counts runs per job id: "ran twice" is a count of 2. */
const runLog = () => {
  const runs = new Map<string, number>();
  return {
    record: (jobId: string) => runs.set(jobId, (runs.get(jobId) ?? 0) + 1),
    count: (jobId: string) => runs.get(jobId) ?? 0,
    total: () => [...runs.values()].reduce((a, b) => a + b, 0),
    ids: () => [...runs.keys()],
    counts: () => [...runs.values()],
  };
};

describe('isUnrecoverable', () => {
  it('stops retries for input, config, missing, conflict, stop, credits and provider 4xx errors; retries outages and rate limits', () => {
    for (const code of ['INVALID_INPUT', 'CONFIG_INVALID', 'NOT_FOUND', 'CONFLICT', 'EMERGENCY_STOP', 'OUT_OF_CREDITS', 'PROVIDER_AUTH', 'PROVIDER_BAD_REQUEST'] as const) expect(isUnrecoverable(new AppError(code, 'x')), code).toBe(true);
    for (const code of ['PROVIDER_UNAVAILABLE', 'PROVIDER_RATE_LIMITED', 'PROVIDER_BAD_RESPONSE', 'STORE_LOCKED', 'INTERNAL'] as const) expect(isUnrecoverable(new AppError(code, 'x')), code).toBe(false);
    expect(isUnrecoverable(new AppError('CONFLICT', 'x', { retryable: true }))).toBe(false);
    expect(isUnrecoverable(new UnrecoverableError('x'))).toBe(true);
    expect(isUnrecoverable(new Error('x'))).toBe(false);
    expect(isUnrecoverable('x')).toBe(false);
  });

  it('turns schedules into BullMQ repeat options: daily as a UTC cron pattern, every as milliseconds', () => {
    expect(repeatOptionsFor({ kind: 'daily', atUtc: '07:05' })).toEqual({ pattern: '5 7 * * *', tz: 'UTC' });
    expect(repeatOptionsFor({ kind: 'every', minutes: 15 })).toEqual({ pattern: '*/15 * * * *', tz: 'UTC' });
    expect(repeatOptionsFor({ kind: 'every', minutes: 120 })).toEqual({ pattern: '0 */2 * * *', tz: 'UTC' });
    expect(repeatOptionsFor({ kind: 'every', minutes: 45 })).toEqual({ every: 2_700_000 });
    expect(repeatOptionsFor({ kind: 'every', minutes: 2 }, 1000)).toEqual({ every: 2000 });
  });
});

describeRedis('the BullMQ job runner (real Redis)', () => {
  let admin: Redis;
  const prefixes: string[] = [];
  const runners: BullmqRunner[] = [];

  const newPrefix = (): string => {
    const prefix = `caio-test-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    return prefix;
  };
  const makeRunner = (opts: Omit<BullmqRunnerOptions, 'redisUrl' | 'log'>): BullmqRunner => {
    const runner = createBullmqRunner({ redisUrl: REDIS_URL!, log: silentLog, ...opts });
    runners.push(runner);
    return runner;
  };
  const queueStatus = async (runner: BullmqRunner, queue: string) => (await runner.status()).queues.find((q) => q.queue === queue)!;

  beforeAll(() => {
    admin = new Redis(REDIS_URL!, { maxRetriesPerRequest: null });
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.close()));
    for (const prefix of prefixes.splice(0)) {
      let cursor = '0';
      do {
        const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await admin.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  });
  afterAll(() => {
    admin.disconnect();
  });

  it('runs an enqueued job with its data and reports it done', async () => {
    const seen: { data: { n: number }; attempt: number }[] = [];
    const events: JobDoneEvent[] = [];
    const runner = makeRunner({
      prefix: newPrefix(),
      definitions: [
        define<{ n: number }>({
          name: 'echo',
          queue: 'main',
          run: async (data, ctx) => {
            seen.push({ data, attempt: ctx.attempt });
            return { doubled: data.n * 2 };
          },
        }),
      ],
      onJobDone: (e) => events.push(e),
    });
    await runner.startWorkers();
    const { id, queue } = await runner.enqueue('echo', { n: 21 });
    expect(queue).toBe('main');
    await waitFor('the job to complete', async () => (await queueStatus(runner, 'main')).completed === 1);
    expect(seen).toEqual([{ data: { n: 21 }, attempt: 1 }]);
    expect(id).toBeTruthy();
    expect(events).toEqual([expect.objectContaining({ queue: 'main', name: 'echo', outcome: 'completed' })]);
    await expect(runner.enqueue('nope', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(runner.enqueue('echo', {}, { jobId: 'a:b' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('adds one job for two enqueues with the same job id', async () => {
    const runs = runLog();
    const runner = makeRunner({
      prefix: newPrefix(),
      definitions: [define({ name: 'once', queue: 'main', run: async (_d, ctx) => (runs.record(ctx.jobId), {}) })],
    });
    const first = await runner.enqueue('once', {}, { jobId: 'batch-42' });
    const second = await runner.enqueue('once', {}, { jobId: 'batch-42' });
    expect(second.id).toBe(first.id);
    const before = await queueStatus(runner, 'main');
    expect(before.waiting).toBe(1);
    expect(before.oldestWaitingAgeMs).toBeGreaterThanOrEqual(0);
    await runner.startWorkers();
    await waitFor('the job to complete', async () => (await queueStatus(runner, 'main')).completed === 1);
    await sleep(200);
    expect(runs.ids()).toEqual(['batch-42']);
    expect(runs.count('batch-42')).toBe(1);
  });

  it('retries a poison job to its limit, parks it in failed with its error, and keeps processing the others', async () => {
    const poison = runLog();
    const healthy = runLog();
    const events: JobDoneEvent[] = [];
    const runner = makeRunner({
      prefix: newPrefix(),
      definitions: [
        define({
          name: 'poison',
          queue: 'main',
          attempts: 3,
          backoffMs: 20,
          run: async (_d, ctx) => {
            poison.record(ctx.jobId);
            throw new Error('cannot digest this');
          },
        }),
        define({ name: 'healthy', queue: 'main', run: async (_d, ctx) => (healthy.record(ctx.jobId), {}) }),
      ],
      onJobDone: (e) => {
        if (e.name === 'poison') events.push(e);
      },
    });
    await runner.startWorkers();
    const { id } = await runner.enqueue('poison', {});
    for (let i = 0; i < 3; i++) await runner.enqueue('healthy', {});
    await waitFor('the poison job to be parked', async () => (await queueStatus(runner, 'main')).failed === 1);
    await waitFor('the healthy jobs to complete', async () => (await queueStatus(runner, 'main')).completed === 3);
    expect(poison.count(id)).toBe(3);
    expect(healthy.counts()).toEqual([1, 1, 1]);
    expect(events.map((e) => e.outcome)).toEqual(['retrying', 'retrying', 'failed']);
    const [parked] = await runner.failed(10);
    expect(parked).toMatchObject({ id, queue: 'main', name: 'poison', attemptsMade: 3, failedReason: 'cannot digest this' });
    expect(parked!.finishedOn).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('does not retry an unrecoverable error', async () => {
    const runs = runLog();
    const runner = makeRunner({
      prefix: newPrefix(),
      definitions: [
        define({
          name: 'bad-input',
          queue: 'main',
          attempts: 5,
          backoffMs: 20,
          run: async (_d, ctx) => {
            runs.record(ctx.jobId);
            throw new AppError('INVALID_INPUT', 'lead has no email');
          },
        }),
      ],
    });
    await runner.startWorkers();
    const { id } = await runner.enqueue('bad-input', {});
    await waitFor('the job to fail', async () => (await queueStatus(runner, 'main')).failed === 1);
    await sleep(200); // a retry, had there been one, would run within its 20 ms backoff
    expect(runs.count(id)).toBe(1);
    expect(await runner.failed(10)).toEqual([expect.objectContaining({ id, attemptsMade: 1, failedReason: 'lead has no email' })]);
  });

  it('reruns a failed job by id with a fresh attempt budget; an unknown id is NOT_FOUND', async () => {
    const runs = runLog();
    let broken = true;
    const runner = makeRunner({
      prefix: newPrefix(),
      definitions: [
        define({
          name: 'flaky',
          queue: 'other',
          run: async (_d, ctx) => {
            runs.record(ctx.jobId);
            if (broken) throw new AppError('PROVIDER_AUTH', 'key revoked');
            return { ok: true };
          },
        }),
        define({ name: 'idle', queue: 'main', run: async () => ({}) }),
      ],
    });
    await runner.startWorkers();
    const { id } = await runner.enqueue('flaky', {}, { jobId: 'lead-7-enrich' });
    await waitFor('the job to fail', async () => (await queueStatus(runner, 'other')).failed === 1);
    broken = false;
    await expect(runner.retry(id)).resolves.toEqual({ id, queue: 'other' });
    await waitFor('the retried job to complete', async () => (await queueStatus(runner, 'other')).completed === 1);
    expect(runs.count(id)).toBe(2);
    expect(await runner.failed(10)).toEqual([]);
    await expect(runner.retry(id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(runner.retry('no-such-job')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('fires an every-schedule once per tick with two workers, and removes schedulers whose definition is gone', async () => {
    const prefix = newPrefix();
    const runs: { jobId: string; worker: string }[] = [];
    const tick = (worker: string) =>
      define({
        name: 'tick',
        queue: 'cron',
        schedule: { kind: 'every', minutes: 1 },
        run: async (_d, ctx) => {
          runs.push({ jobId: ctx.jobId, worker });
          return {};
        },
      });
    const daily = define({ name: 'decay', queue: 'cron', schedule: { kind: 'daily', atUtc: '07:05' }, run: async () => ({}) });
    // minuteMs shrinks "every 1 min" to every second.
    const a = makeRunner({ prefix, minuteMs: 1000, definitions: [tick('a'), daily] });
    const b = makeRunner({ prefix, minuteMs: 1000, definitions: [tick('b'), daily] });
    await Promise.all([a.upsertSchedules(), b.upsertSchedules()]);
    await Promise.all([a.startWorkers(), b.startWorkers()]);
    const started = Date.now();
    await sleep(3_300);
    await Promise.all([a.close(), b.close()]);
    const elapsed = Date.now() - started;

    // Scheduler job ids end in the tick's millisecond: one job per tick, each run once.
    const ticks = runs.map((r) => Number(r.jobId.split(':').pop()));
    expect(new Set(runs.map((r) => r.jobId)).size).toBe(runs.length);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
    const sorted = [...ticks].sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(1000);

    const c = makeRunner({ prefix, minuteMs: 1000, definitions: [daily] });
    expect((await c.status()).schedulers.map((s) => s.id).sort()).toEqual(['decay', 'tick']);
    await expect(c.upsertSchedules()).resolves.toEqual({ upserted: ['decay'], removed: ['tick'] });
    const { schedulers } = await c.status();
    expect(schedulers).toEqual([expect.objectContaining({ queue: 'cron', id: 'decay', pattern: '5 7 * * *', tz: 'UTC', every: null })]);
    expect(schedulers[0]!.nextRunAt).toMatch(/T07:05:00\.000Z$/);
  });

  it('waits for a running job to finish when closed', async () => {
    const prefix = newPrefix();
    let finished = false;
    const runner = makeRunner({
      prefix,
      definitions: [
        define({
          name: 'slow',
          queue: 'main',
          run: async () => {
            await sleep(800);
            finished = true;
            return {};
          },
        }),
      ],
    });
    await runner.startWorkers();
    await runner.enqueue('slow', {});
    await waitFor('the job to start', async () => (await queueStatus(runner, 'main')).active === 1);
    await runner.close();
    expect(finished).toBe(true);
    await expect(runner.enqueue('slow', {})).rejects.toMatchObject({ code: 'CONFLICT' });
    const observer = makeRunner({ prefix, definitions: [define({ name: 'slow', queue: 'main', run: async () => ({}) })] });
    expect(await queueStatus(observer, 'main')).toMatchObject({ active: 0, completed: 1, failed: 0 });
  });

  it('survives dropped Redis connections: workers reconnect, later jobs complete, and no job runs twice', async () => {
    const prefix = newPrefix();
    const runs = runLog();
    const runner = makeRunner({
      prefix,
      definitions: [
        define<{ ms: number }>({
          name: 'work',
          queue: 'main',
          run: async (data, ctx) => {
            runs.record(ctx.jobId);
            await sleep(data.ms);
            return {};
          },
        }),
      ],
    });
    await runner.startWorkers();
    await runner.enqueue('work', { ms: 0 }, { jobId: 'before' });
    await runner.enqueue('work', { ms: 800 }, { jobId: 'during' });
    await waitFor('the long job to start', () => runs.count('during') === 1);

    // A Redis restart as the clients see it: every connection of this runner is dropped at once.
    // Only this test's connections (named after its prefix), so other users of this Redis are untouched.
    const killed = await killConnections(admin, prefix);
    expect(killed.length).toBeGreaterThanOrEqual(3); // producer, worker, the worker's blocking connection

    for (const id of ['after-1', 'after-2', 'after-3']) await runner.enqueue('work', { ms: 0 }, { jobId: id });
    await waitFor('all jobs to complete', async () => (await queueStatus(runner, 'main')).completed === 5, 20_000);
    expect(runs.ids().sort()).toEqual(['after-1', 'after-2', 'after-3', 'before', 'during']);
    expect(runs.counts()).toEqual([1, 1, 1, 1, 1]);
    expect(await runner.failed(10)).toEqual([]);
    // They came back as new connections: none of the killed ids, as many as before.
    const reconnected = await connectionIds(admin, prefix);
    expect(reconnected.filter((id) => killed.includes(id))).toEqual([]);
    expect(reconnected.length).toBe(killed.length);
  });
});

/** The ids of the client connections whose name starts with the prefix (BullMQ names its own after it too). */
const connectionIds = async (admin: Redis, prefix: string): Promise<string[]> =>
  String(await admin.call('CLIENT', 'LIST', 'TYPE', 'normal'))
    .split('\n')
    .filter((line) => / name=(\S+)/.exec(line)?.[1]?.startsWith(prefix))
    .map((line) => /(?:^| )id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);

/** Kills each of them, as a Redis restart would; returns the killed ids. */
const killConnections = async (admin: Redis, prefix: string): Promise<string[]> => {
  const ids = await connectionIds(admin, prefix);
  for (const id of ids) expect(await admin.call('CLIENT', 'KILL', 'ID', id)).toBe(1);
  return ids;
};
