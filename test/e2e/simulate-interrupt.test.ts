import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, spawnCli, tempWorkdir } from '../support/cli.js';

type Report = { days: number; interrupted: boolean; violations: unknown[] };

/*
 * Issue 20's bad input: a simulation interrupted with Ctrl-C leaves its data folder consistent and
 * `caio simulate` can start over. The compiled CLI is spawned on the embedded default (no
 * DATABASE_URL: the simulation's own server in <dataDir>/simulation/pg), interrupted with SIGINT
 * once its first simulated day is reported, then run again on the same folder.
 */
describe('caio simulate, interrupted with Ctrl-C', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());

  it('stops after the current step (exit 130, the partial report says so); the next run starts over and completes', async () => {
    const child = spawn(process.execPath, [CLI, 'simulate', '--days', '20', '--leads', '30'], { cwd: work.dir, env: { PATH: process.env.PATH ?? '', HOME: work.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      // The run reports each simulated day on stderr: Ctrl-C once the first one is done.
      if (!signalled && /^day 1\/20:/m.test(stderr)) {
        signalled = true;
        setTimeout(() => child.kill('SIGINT'), 1500);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (!signalled) child.kill('SIGINT');
    expect(signalled, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/^note: interrupted after \d+ day\(s\): the figures cover those days only$/m);
    expect(stdout).toMatch(/^violations: 0$/m);
    expect(stdout).not.toMatch(/^day 20\//m);
    expect(stderr).toContain('stopping after this step');

    const again = await spawnCli(['simulate', '--days', '2', '--leads', '10', '--json'], { cwd: work.dir });
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout) as Report;
    expect([second.interrupted, second.days, second.violations]).toEqual([false, 2, []]);
  }, 240_000);
});
