import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

type Status = {
  windowHours: number;
  agents: { role: string; health: string; actions: number; refusals: number; failures: number; lastRun: string | null; byAction: Record<string, number>; summary: string }[];
  unattributed: { count: number };
  truncated: boolean;
};

/** `caio agents status` through the production CLI, composition root and store: what the roles did, from the audit log, traces and runs. */
describe('caio agents status', () => {
  const work = tempWorkdir();
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());
  const status = async (): Promise<Status> => {
    const result = await run(['agents', 'status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Status;
  };

  it('says plainly that no role has data on a fresh store, then shows what a run, asks and a refusal did', async () => {
    const fresh = await status();
    expect(fresh.windowHours).toBe(24);
    expect(fresh.agents.map((a) => a.role)).toHaveLength(12);
    expect(fresh.agents.filter((a) => a.health === 'idle').map((a) => a.summary)).toEqual(Array(7).fill('No data: nothing recorded for this role in the last 24 hours.'));
    expect(fresh.agents.filter((a) => a.health === 'merged').map((a) => a.role)).toEqual(['SCOUT', 'COACH', 'PIPER', 'SCHEDULER', 'RESEARCHER']);

    expect((await run(['pipeline', 'run', '--limit', '3'])).code).toBe(0);
    expect((await run(['ask', 'How full is the review queue?'])).code).toBe(0);
    expect((await run(['ask', 'send all approved emails now'])).code).toBe(0);
    const after = await status();
    const role = (name: string) => after.agents.find((a) => a.role === name)!;
    expect(role('UNIFIED_QUEEN')).toMatchObject({ actions: 1, refusals: 1, failures: 0, health: 'ok' });
    expect(role('HUNTER')).toMatchObject({ actions: 3, health: 'ok', byAction: { 'run.discover': 3 } });
    expect(role('HUNTER').lastRun).not.toBeNull();
    expect(role('CRAFTER').actions).toBeGreaterThan(0);
    expect(role('GATEKEEPER').byAction['draft.queued_for_review']).toBeGreaterThan(0);

    const text = await run(['agents', 'status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^the last 24 hours \(/);
    expect(text.stdout).toMatch(/UNIFIED_QUEEN\s+ok\s+1\s+1\s+0\s+\d{4}-/);
    expect(text.stdout).toContain('SCOUT: Merged into OPERATOR');
    // `caio agents` without a subcommand still prints the registry.
    expect((await run(['agents'])).stdout).toContain('may do:');
  }, 120_000);
});
