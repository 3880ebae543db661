import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

type RunJson = { leads: { email: string | null; status: string }[]; stages: { name: string; outputCount: number }[] };

/*
 * A second run on Apollo (the sandbox, as `npm start` has it) meets new people: discovery pages
 * past the people the first run scored and queued, instead of starting at page 1 and finding the
 * same ones again (which left every top-up of the review queue empty).
 */
describe('caio pipeline run twice: the second run finds people the first did not', () => {
  const work = tempWorkdir();
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('offers no person twice', async () => {
    const once = async () => {
      const result = await run(['pipeline', 'run', '--limit', '8', '--json']);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as RunJson;
    };
    const first = await once();
    const second = await once();
    const emails = (r: RunJson) => r.leads.map((l) => l.email).filter((e): e is string => e !== null);
    expect(emails(first).length).toBeGreaterThan(0);
    expect(emails(second).length).toBeGreaterThan(0);
    expect(emails(second).filter((e) => emails(first).includes(e))).toEqual([]);
    expect(second.stages.find((s) => s.name === 'discover')!.outputCount).toBe(8);
  }, 180_000);
});
