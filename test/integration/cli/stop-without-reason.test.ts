import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

/** `caio stop` never waits for words (issue 21 item 6): the reason may come afterwards with `caio stop-reason`. */
describe('caio stop without a reason, then caio stop-reason', () => {
  const work = tempWorkdir();
  const cli = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('stops at once, says how to add the reason, and records it later under the person who gave it', async () => {
    const stop = await cli.run(['stop', '--by', 'Dana']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain('EMERGENCY STOP set at');
    expect(stop.stdout).toContain('caio stop-reason --reason TEXT --by Dana');
    expect((await cli.run(['operator', 'status'])).stdout).toMatch(/EMERGENCY STOP/i);

    const explained = await cli.run(['stop-reason', '--reason', 'a complaint from a prospect', '--by', 'Sam', '--json']);
    expect(explained.code, explained.stderr).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({ reason: 'a complaint from a prospect' });
    const audit = JSON.parse((await cli.run(['audit', '--since', '2000-01-01', '--json'])).stdout) as { actor: string; action: string; details: { reason?: string | null } }[];
    expect(audit.find((a) => a.action === 'emergency_stop.set')).toMatchObject({ actor: 'Dana', details: { reason: null } });
    expect(audit.find((a) => a.action === 'emergency_stop.reason_added')).toMatchObject({ actor: 'Sam', details: { reason: 'a complaint from a prospect' } });

    // Bad input: no name; explaining when nothing is stopped.
    expect((await cli.run(['stop-reason', '--reason', 'x'])).code).not.toBe(0);
    expect((await cli.run(['resume', '--by', 'Dana'])).code).toBe(0);
    const nothing = await cli.run(['stop-reason', '--reason', 'late', '--by', 'Sam']);
    expect([nothing.code === 0, nothing.stderr]).toEqual([false, expect.stringContaining('no emergency stop is set')]);
  }, 60_000);
});
