import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedServer } from '../../../src/store/embedded-postgres.js';
import type { AppError } from '../../../src/lib/app-error.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MODULE = path.join(root, 'dist', 'src', 'store', 'embedded-postgres.js');
const USER_SCRIPT = path.join(root, 'test', 'support', 'embedded-user.mjs');

/** Another process using the same data folder (the compiled module, as `caio` runs it). */
const otherProcess = (dir: string, role: 'server' | 'command') => {
  const child = spawn(process.execPath, [USER_SCRIPT, MODULE, dir, role], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((w) => line.startsWith(w.prefix))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const next = (...prefixes: string[]) =>
    new Promise<string>((resolve) => {
      const seen = lines.find((l) => prefixes.some((p) => l.startsWith(p)));
      if (seen) {
        lines.splice(lines.indexOf(seen), 1);
        return resolve(seen);
      }
      for (const prefix of prefixes) waiters.push({ prefix, resolve });
    });
  return {
    child,
    started: () => next('ready', 'error'),
    query: async () => {
      child.stdin.write('query\n');
      return next('result', 'queryerror');
    },
    release: async () => {
      child.stdin.write('release\n');
      await next('released');
      await new Promise((r) => child.once('exit', r));
    },
  };
};

const postmaster = (dir: string) => {
  const file = path.join(dir, 'postmaster.pid');
  return existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8').split('\n')[0]!, 10) : null;
};
/** Running: a zombie (dead, not yet reaped by whoever adopted it) does not count. */
const alive = (pid: number | null) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) [ZX] /.test(stat);
};
const selectOne = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('select 1 as one')).rows[0]!.one;
  } finally {
    await client.end();
  }
};
const waitFor = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('the embedded PostgreSQL, shared by every process of a data folder', () => {
  let base: string;
  let dir: string;

  beforeAll(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'caio-embedded-'));
    chmodSync(base, 0o755);
    dir = path.join(base, 'data', 'pg');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('the first user starts it; others join; it stops when the last one leaves; secrets are 0600', async () => {
    const first = await openEmbeddedServer({ dir, role: 'command' });
    expect(await selectOne(first.url)).toBe(1);
    expect(statSync(`${dir}.credentials.json`).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(`${dir}.credentials.json`, 'utf8'))).toMatchObject({ user: 'caio', port: first.port });
    const other = otherProcess(dir, 'command');
    expect(await other.started()).toBe(`ready ${first.port}`);
    expect(await other.query()).toBe('result 1');
    // The owner leaves first: the server stays for the other process, which inherits it.
    const pid = postmaster(dir);
    await first.release();
    expect(alive(pid)).toBe(true);
    expect(await other.query()).toBe('result 1');
    await other.release();
    await waitFor(() => !alive(pid));
    expect(existsSync(path.join(dir, 'postmaster.pid'))).toBe(false);
  });

  it('a second server role (caio start/serve) is refused with STORE_LOCKED while the first lives; a command beside it works', async () => {
    const serving = otherProcess(dir, 'server');
    expect(await serving.started()).toMatch(/^ready \d+$/);
    const second = await openEmbeddedServer({ dir, role: 'server' }).catch((e: AppError) => e);
    expect(second).toMatchObject({ code: 'STORE_LOCKED', message: expect.stringContaining(`PID ${serving.child.pid}`) });
    const command = await openEmbeddedServer({ dir, role: 'command' });
    expect(await selectOne(command.url)).toBe(1);
    const pid = postmaster(dir);
    await command.release();
    expect(alive(pid)).toBe(true); // the server's owner is still there
    await serving.release();
    await waitFor(() => !alive(pid));
  });

  it('a server left by a killed owner (kill -9) is adopted, and stopped by its new owner', async () => {
    const doomed = otherProcess(dir, 'server');
    await doomed.started();
    const pid = postmaster(dir);
    doomed.child.kill('SIGKILL');
    await new Promise((r) => doomed.child.once('exit', r));
    expect(alive(pid)).toBe(true);
    const server = await openEmbeddedServer({ dir, role: 'server' });
    expect(postmaster(dir)).toBe(pid);
    expect(await selectOne(server.url)).toBe(1);
    await server.release();
    await waitFor(() => !alive(pid));
  });

  it('a stale postmaster.pid (the server killed with -9, or its PID reused by another program) is recovered from', async () => {
    const server = await openEmbeddedServer({ dir, role: 'command' });
    const pid = postmaster(dir)!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid));
    // Queries now fail with a connection error; the release copes with a server already gone.
    await expect(selectOne(server.url)).rejects.toThrow();
    await server.release();
    expect(existsSync(path.join(dir, 'postmaster.pid'))).toBe(true);
    const again = await openEmbeddedServer({ dir, role: 'command' });
    expect(await selectOne(again.url)).toBe(1);
    await again.release();
    // A pid file naming a live process that is not PostgreSQL (this test's own PID).
    const file = path.join(dir, 'postmaster.pid');
    writeFileSync(file, `${process.pid}\n${dir}\n0\n5432\n\n127.0.0.1\n0 0\nready\n`);
    const third = await openEmbeddedServer({ dir, role: 'command' });
    expect(await selectOne(third.url)).toBe(1);
    await third.release();
  });

  it.skipIf(process.getuid?.() !== 0)('as root, a data folder the user postgres cannot enter (0700 above it) gets its cluster under /var/lib/caio, recorded beside it', async () => {
    const closed = mkdtempSync(path.join(os.tmpdir(), 'caio-closed-')); // 0700, as a clone under /root is
    const inside = path.join(closed, '.caio', 'pg');
    try {
      const server = await openEmbeddedServer({ dir: inside, role: 'command' });
      const cluster = readFileSync(`${inside}.location`, 'utf8').trim();
      expect(cluster).toMatch(/^\/var\/lib\/caio\/clusters\/[0-9a-f]{16}\/pg$/);
      expect(existsSync(path.join(cluster, 'PG_VERSION'))).toBe(true);
      expect(await selectOne(server.url)).toBe(1);
      await server.release();
      expect(existsSync(path.join(cluster, 'postmaster.pid'))).toBe(false);
      // The next process finds the same cluster (and its data) through the recorded location.
      const again = await openEmbeddedServer({ dir: inside, role: 'command' });
      expect(readFileSync(`${inside}.location`, 'utf8').trim()).toBe(cluster);
      await again.release();
      rmSync(path.dirname(cluster), { recursive: true, force: true });
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it('bad input: an unusable data folder and a taken port give STORE_UNAVAILABLE naming the cause, and change nothing', async () => {
    const file = path.join(base, 'a-file');
    writeFileSync(file, 'not a folder');
    await expect(openEmbeddedServer({ dir: path.join(file, 'pg'), role: 'command' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(file) });
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(openEmbeddedServer({ dir, role: 'command', port: taken })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining(`port ${taken}`) });
      expect(postmaster(dir)).toBeNull();
      expect(readdirOrEmpty(`${dir}.users`)).toEqual([]);
    } finally {
      blocker.close();
    }
    // A cluster folder that holds something else is not initialised over.
    const foreign = path.join(base, 'foreign', 'pg');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
    await expect(openEmbeddedServer({ dir: foreign, role: 'command' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('PG_VERSION') });
    expect(readFileSync(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

const readdirOrEmpty = (d: string): string[] => {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
};
