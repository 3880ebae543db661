import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/lib/clock.js';
import { runCliInProcess, tempWorkdir } from '../../support/cli.js';

/** What runCliInProcess overrides reaches the production wiring: this file's schema and the clock. */
describe('the in-process CLI with overrides', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());

  it("records with the given clock, in this file's schema, and starts no embedded server", async () => {
    const clock = fixedClock('2030-01-02T03:04:05.000Z');
    const stop = await runCliInProcess(['stop', '--reason', 'drill', '--by', 'Dana', '--json'], { cwd: work.dir, clock });
    expect(stop.code, stop.stderr).toBe(0);
    expect((JSON.parse(stop.stdout) as { at: string }).at).toBe('2030-01-02T03:04:05.000Z');
    const status = await runCliInProcess(['operator', 'status'], { cwd: work.dir });
    expect(status.stdout).toMatch(/EMERGENCY STOP/i);
    const resume = await runCliInProcess(['resume', '--by', 'Dana'], { cwd: work.dir, clock });
    expect(resume.stdout).toBe('emergency stop cleared at 2030-01-02T03:04:05.000Z\n');
    const audit = JSON.parse((await runCliInProcess(['audit', '--since', '2030-01-01', '--json'], { cwd: work.dir })).stdout) as { at: string; action: string }[];
    expect(audit.map((a) => [a.at, a.action])).toEqual(expect.arrayContaining([['2030-01-02T03:04:05.000Z', expect.stringMatching(/stop/)]]));
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(existsSync(path.join(work.dir, '.caio', 'pg'))).toBe(false);
  }, 60_000);
});
