import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, spawnCli, tempWorkdir } from '../support/cli.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * As a new user would: `caio start` serving the dashboard in one terminal, every other command in a
 * second one, on the embedded default (no DATABASE_URL), against the same data.
 */
describe('caio commands beside a running caio start (embedded PostgreSQL)', () => {
  const work = tempWorkdir();
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', DASHBOARD_AUTH_TOKEN: 'beside-start-token-0123456789' };
  let start: ChildProcess;
  let port = 0;
  let output = '';

  beforeAll(async () => {
    port = await freePort();
    start = spawn(process.execPath, [CLI, 'start', '--port', String(port)], { cwd: work.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    start.stdout!.on('data', (d) => (output += d));
    start.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 90_000;
    while (!output.includes('listening on')) {
      if (Date.now() > deadline || start.exitCode !== null) throw new Error(`caio start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);
  afterAll(async () => {
    if (start.exitCode === null) start.kill('SIGKILL');
    work.cleanup();
  });

  it('leads list, review list, a pipeline run, stop and resume all work while it serves, on the same data', async () => {
    const leads = await spawnCli(['leads', 'list', '--limit', '20', '--json'], { cwd: work.dir, env });
    expect([leads.code, leads.stderr]).toEqual([0, '']);
    const before = (JSON.parse(leads.stdout) as unknown[]).length;
    expect(before).toBeGreaterThan(0); // the leads `caio start` discovered
    const review = await spawnCli(['review', 'list', '--json'], { cwd: work.dir, env });
    expect(review.code).toBe(0);
    expect((JSON.parse(review.stdout) as unknown[]).length).toBeGreaterThan(0);
    const run = await spawnCli(['pipeline', 'run', '--limit', '5', '--seed', '77', '--json'], { cwd: work.dir, env });
    expect([run.code, run.stderr]).toEqual([0, '']);
    const stop = await spawnCli(['stop', '--reason', 'drill', '--by', 'Dana'], { cwd: work.dir, env });
    expect(stop.code).toBe(0);
    // The server sees the stop the CLI wrote: one database.
    const status = await fetch(`http://127.0.0.1:${port}/api/operator/status`, { headers: { 'x-dashboard-token': env.DASHBOARD_AUTH_TOKEN } });
    expect(JSON.stringify(await status.json())).toMatch(/drill/);
    const resume = await spawnCli(['resume', '--by', 'Dana'], { cwd: work.dir, env });
    expect(resume.code).toBe(0);
    // The commands came and went; the server's database is still up.
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
  }, 120_000);

  it('a second caio start (or serve) on the same data folder is refused with exit 5 naming the first', async () => {
    const second = await spawnCli(['serve', '--port', String(await freePort())], { cwd: work.dir, env });
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`PID ${start.pid}`);
  }, 60_000);

  it('Ctrl-C stops caio start and the database server with it', async () => {
    const pidFile = path.join(work.dir, '.caio', 'pg', 'postmaster.pid');
    const postgresPid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0]!, 10);
    start.kill('SIGINT');
    await new Promise((r) => start.once('exit', r));
    const deadline = Date.now() + 15_000;
    while (existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(pidFile)).toBe(false);
    // Then the process ends (it removes its pid file just before): gone, or a zombie left for init
    // to reap (the server is not our child).
    const state = () => (existsSync(`/proc/${postgresPid}/stat`) ? readFileSync(`/proc/${postgresPid}/stat`, 'utf8').split(') ')[1]![0] : 'gone');
    while (!['gone', 'Z', 'X'].includes(state()!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(['gone', 'Z', 'X']).toContain(state());
  }, 30_000);
});
