import { describe, expect, it } from 'vitest';
import { jobCatalogue } from '../../../src/jobs/catalogue.js';
import { isUnrecoverable, type JobDefinition } from '../../../src/jobs/definitions.js';

/** Job data comes back from Redis as JSON: a payload that does not fit is refused, not retried, and reaches no use case. */
describe('the job catalogue refuses bad job data', () => {
  const called: string[] = [];
  const record = (what: string) => async () => (called.push(what), {});
  const definitions = jobCatalogue({
    settings: { send: 'live', decayAtUtc: '10:00', dispatchEveryMinutes: 15, queueWatchEveryMinutes: 30, approvalWatchEveryMinutes: 5 },
    operator: { dispatch: record('dispatch') } as never,
    watcher: { run: record('watcher') },
    approvals: { run: record('approvals') },
    processor: { processWithWaiting: record('processWithWaiting'), processPending: record('sweep') } as never,
    cadence: { sync: async () => (called.push('cadence-sync'), []) },
    detectDecay: async () => (called.push('decay'), []),
    runPipeline: record('pipeline'),
    pipelineChunk: record('chunk'),
  }) as unknown as JobDefinition<unknown>[];
  const run = (name: string, data: unknown) => definitions.find((d) => d.name === name)!.run(data, { jobId: 'j', attempt: 1, now: new Date() });

  it.each([
    ['webhook-inbox', { inboxId: 'not-a-uuid' }, 'inboxId'],
    ['dispatch', { motion: 'everything', live: true, by: 'x' }, 'motion'],
    ['pipeline-run', { limit: 0 }, 'limit'],
    ['pipeline-chunk', { runId: 'run_1', chunk: 1, leads: [] }, 'leads'],
  ])('%s with %j', async (name, data, field) => {
    const error = await run(name, data).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(field) });
    expect(isUnrecoverable(error)).toBe(true);
    expect(called).toEqual([]);
  });

  it('lets good data through to its use case', async () => {
    await run('webhook-inbox', { inboxId: '2b1f0c7e-8d4a-4c3e-9b5a-1f2e3d4c5b6a' });
    expect(called).toEqual(['processWithWaiting']);
  });
});
