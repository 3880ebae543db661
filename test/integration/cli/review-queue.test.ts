import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

/** The queue watcher from the CLI: the same watcher (lease, marks, pipeline top-up) the jobs and the API run. */
describe('caio review queue and caio review top-up', () => {
  const work = tempWorkdir();
  writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify({ jobs: { reviewQueueLowWater: 1, reviewQueueTarget: 6, queueWatchEveryMinutes: 20 } }));
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('shows an empty queue below its mark, tops it up with a pipeline run, then leaves a queue at its mark alone', async () => {
    expect(JSON.parse((await run(['review', 'queue', '--json'])).stdout)).toEqual({ pending: 0, lowWater: 1, target: 6, everyMinutes: 20, needsTopUp: true });
    expect((await run(['review', 'queue'])).stdout).toBe('0 drafts wait for review (low-water mark 1, target 6, the watcher looks every 20 min): below the mark, the next look tops it up\n');
    expect((await run(['review', 'top-up'])).code).toBe(2);

    const topUp = await run(['review', 'top-up', '--by', 'Dani', '--json']);
    expect(topUp.code, topUp.stderr).toBe(0);
    expect(JSON.parse(topUp.stdout)).toMatchObject({ pending: 0, toppedUp: true, requested: 6, by: 'Dani', status: 'passed', runId: expect.stringMatching(/^run_/) });

    const after = JSON.parse((await run(['review', 'queue', '--json'])).stdout) as { pending: number; needsTopUp: boolean };
    expect(after.pending).toBeGreaterThan(0);
    expect(after.needsTopUp).toBe(false);
    expect((await run(['review', 'top-up', '--by', 'Dani'])).stdout).toBe(`no top-up: ${after.pending} drafts wait for review (low-water mark 1)\n`);
    const forced = await run(['review', 'top-up', '--force', '--by', 'Dani']);
    expect(forced.stdout).toMatch(/^topped up: a pipeline run for \d+ leads \(\d+ drafts were waiting\): runId run_\S+, status passed, drafts \d+\n$/);
  }, 180_000);
});
