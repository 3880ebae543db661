import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess, tempWorkdir } from '../../support/cli.js';

/** The job commands refuse what they cannot do, with the setting or option named, and touch nothing. */
describe('caio worker, caio jobs and caio kpis with bad input', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());
  const run = (args: string[], env?: Record<string, string>) => runCliInProcess(args, { cwd: work.dir, ...(env ? { env } : {}) });
  // DATABASE_URL in the environment: the CLI uses it, not this file's schema.
  const unreachable = { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' };

  it('a worker without REDIS_URL, or with an unknown queue, is a usage error (the embedded database is shared, so it is no longer one)', async () => {
    const noRedis = await run(['worker']);
    expect([noRedis.code, noRedis.stderr]).toEqual([2, expect.stringContaining('REDIS_URL')]);
    const queue = await run(['worker', '--queues', 'signals,everything'], unreachable);
    expect([queue.code, queue.stderr]).toEqual([2, expect.stringContaining('unknown queue everything')]);
    const concurrency = await run(['worker', '--concurrency', '0'], unreachable);
    expect(concurrency.code).toBe(2);
  });

  it('retrying a job that does not exist is "not found"; kpis refuse a window of 0 days', async () => {
    const retry = await run(['jobs', 'retry', 'no-such-job']);
    expect([retry.code, retry.stderr]).toEqual([3, expect.stringContaining('no-such-job')]);
    const kpis = await run(['kpis', '--days', '0']);
    expect([kpis.code, kpis.stderr]).toEqual([2, expect.stringContaining('days')]);
  }, 60_000);
});
