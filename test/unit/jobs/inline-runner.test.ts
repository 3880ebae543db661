import { describe, expect, it } from 'vitest';
import { createInlineRunner } from '../../../src/jobs/inline-runner.js';
import type { AnyJobDefinition, JobDefinition } from '../../../src/jobs/definitions.js';
import { AppError } from '../../../src/lib/app-error.js';
import { silentLog } from '../../support/pipeline.js';

const definition = (name: string, run: JobDefinition<unknown>['run'], attempts = 3): AnyJobDefinition => ({ name, queue: 'q', attempts, backoffMs: 1, run });

describe('the inline job runner', () => {
  it('runs jobs in order, retries a failure with backoff, and parks one that fails every attempt', async () => {
    const seen: string[] = [];
    let flaky = 0;
    const outcomes: string[] = [];
    const runner = createInlineRunner({
      log: silentLog,
      onJobDone: (e) => outcomes.push(`${e.name}:${e.outcome}`),
      definitions: [
        definition('ok', async (d) => (seen.push(String((d as { n: number }).n)), {})),
        definition('flaky', async () => {
          if (++flaky < 3) throw new Error('not yet');
          return {};
        }),
        definition('poison', async () => {
          throw new Error('always');
        }),
      ],
    });
    await runner.enqueue('ok', { n: 1 });
    await runner.enqueue('poison', {}, { jobId: 'p-1' });
    await runner.enqueue('flaky', {});
    await runner.enqueue('ok', { n: 2 });
    await runner.drain();
    expect(seen).toEqual(['1', '2']);
    expect(flaky).toBe(3);
    expect(outcomes).toEqual(['ok:completed', 'poison:retrying', 'poison:retrying', 'poison:failed', 'flaky:retrying', 'flaky:retrying', 'flaky:completed', 'ok:completed']);
    expect(await runner.failed()).toMatchObject([{ id: 'p-1', name: 'poison', attemptsMade: 3, failedReason: 'always' }]);
    await expect(runner.retry('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await runner.retry('p-1');
    await runner.drain();
    expect((await runner.failed())[0]).toMatchObject({ id: 'p-1', attemptsMade: 3 });
  });

  it('does not retry an unrecoverable error, dedupes a waiting job id, and refuses unknown jobs', async () => {
    let runs = 0;
    let dup = 0;
    const runner = createInlineRunner({
      log: silentLog,
      definitions: [
        definition('bad-input', async () => {
          runs++;
          throw new AppError('INVALID_INPUT', 'bad');
        }),
        definition('dup', async () => (dup++, {})),
      ],
    });
    await runner.enqueue('bad-input', {});
    await runner.enqueue('dup', {}, { jobId: 'same' });
    await runner.enqueue('dup', {}, { jobId: 'same' });
    await runner.drain();
    expect([runs, dup]).toEqual([1, 1]);
    await expect(runner.enqueue('missing', {})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await runner.close();
    await expect(runner.enqueue('dup', {})).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
