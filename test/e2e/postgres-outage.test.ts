import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, tempWorkdir } from '../support/cli.js';
import { freshPostgresDatabase } from '../support/postgres.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
if (!DATABASE_URL || !REDIS_URL) console.warn('PostgreSQL outage test skipped: it needs DATABASE_URL and REDIS_URL');
const TOKEN = 'outage-dashboard-token-012345';

/** A TCP proxy in front of PostgreSQL that the test can cut (dropping every connection) and restore. */
const startProxy = async (target: { host: string; port: number }) => {
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      if (server) return resolve();
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  await open();
  return {
    get port() {
      return port;
    },
    cut: async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      for (const s of sockets) s.resetAndDestroy();
      server = null;
    },
    restore: open,
  };
};

/**
 * PostgreSQL briefly unavailable under one `caio serve` and one `caio worker` (a proxy the test
 * cuts): neither process dies, readiness says the database is down, a job enqueued meanwhile fails
 * and is retried until the database is back, and then everything answers again.
 */
describe.skipIf(!DATABASE_URL || !REDIS_URL)('PostgreSQL briefly unavailable', () => {
  const work = tempWorkdir();
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>> | null = null;
  const children: ChildProcess[] = [];
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let api = '';
  const output: string[] = [];

  beforeAll(async () => {
    database = await freshPostgresDatabase(DATABASE_URL!, 'caio_outage');
    const direct = new URL(DATABASE_URL!);
    proxy = await startProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(DATABASE_URL!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    viaProxy.pathname = `/${database.name}`;
    writeFileSync(path.join(work.dir, 'caio.json'), JSON.stringify({ jobs: { enabled: false, queuePrefix: `o${randomBytes(4).toString('hex')}` } }));
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', DATABASE_URL: viaProxy.toString(), REDIS_URL: REDIS_URL!, DASHBOARD_AUTH_TOKEN: TOKEN, CAIO_CONFIG: 'caio.json' };
    const start = (args: string[]) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: work.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => output.push(String(d)));
      child.stderr.on('data', (d) => output.push(String(d)));
      children.push(child);
    };
    start(['serve', '--port', '0']);
    start(['worker']);
    const until = Date.now() + 60_000;
    while (!(/listening on (http:\/\/\S+)/.test(output.join('')) && output.join('').includes('caio worker: queues'))) {
      if (Date.now() > until) throw new Error(`processes did not start: ${output.join('').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    api = /listening on (http:\/\/\S+)/.exec(output.join(''))![1]!;
  }, 90_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await proxy?.cut();
    await database?.drop();
    work.cleanup();
  });

  it('keeps both processes up, reports it in /ready, and runs the job enqueued meanwhile once the database is back', async () => {
    const auth = { 'x-dashboard-token': TOKEN, 'content-type': 'application/json' };
    expect((await fetch(`${api}/ready`)).status).toBe(200);
    await proxy.cut();
    const ready = await fetch(`${api}/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toMatch(/database/i);
    // Redis is up: the run is accepted and queued; the worker's first attempts fail on the database.
    const queued = await fetch(`${api}/api/runs`, { method: 'POST', headers: auth, body: JSON.stringify({ limit: 5 }) });
    expect(queued.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3000));
    expect(children.map((c) => c.exitCode)).toEqual([null, null]);
    await proxy.restore();

    const until = Date.now() + 90_000;
    let runs: { status: string; completedAt: string | null }[] = [];
    while (Date.now() < until) {
      const res = await fetch(`${api}/api/runs`, { headers: auth }).catch(() => null);
      runs = res?.ok ? ((await res.json()) as typeof runs) : [];
      if (runs[0]?.completedAt) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(runs[0]?.status, output.join('').slice(-2000)).toBe('passed');
    expect((await fetch(`${api}/ready`)).status).toBe(200);
    expect(children.map((c) => c.exitCode)).toEqual([null, null]);
  }, 150_000);
});
