import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, spawnCli, tempWorkdir } from '../support/cli.js';

/*
 * Issue 20, item 3: `npm start -- --demo` runs a short simulation INTO the data folder's own store
 * before serving, so a new user's dashboard shows a lived-in past. The compiled CLI on the embedded
 * default (no DATABASE_URL), stopped with SIGTERM once it serves; the data is then there for any
 * command on the same folder.
 */
describe('caio start --demo', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());

  it('writes simulated days into the data folder, then serves; what it wrote stays for the next command', async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--demo', '--port', '0'], { cwd: work.dir, env: { PATH: process.env.PATH ?? '', HOME: work.dir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`start --demo did not serve: ${out}${err}`)), 240_000);
      child.stdout.on('data', (d) => {
        out += d;
        if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(out) && /\njobs: /.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`start --demo exited: ${out}${err}`)));
    });
    const demo = /^demo: 14 simulated days written into the data folder: (\d+) sent, (\d+) replies, (\d+) meetings/m.exec(out);
    expect(demo, out).not.toBeNull();
    expect(Number(demo![1])).toBeGreaterThan(0);
    expect(out).not.toMatch(/violations/);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // The simulated sends are the folder's own data now: the KPIs count them.
    const kpis = await spawnCli(['kpis', '--json'], { cwd: work.dir });
    expect(kpis.code, kpis.stderr).toBe(0);
    const counts = (JSON.parse(kpis.stdout) as { counts: { emailSent: number } }).counts;
    expect(counts.emailSent).toBeGreaterThan(0);
  }, 300_000);
});
