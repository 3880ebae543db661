import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Clock } from '../../src/lib/clock.js';
import type { StoreLocation } from '../../src/store/database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(root, 'dist', 'src', 'main.js');

export type CliResult = { code: number; stdout: string; stderr: string };

/** What a CLI run gets of the test's environment: a clean one, plus what the test passes. */
const cleanEnv = (env: Record<string, string> = {}): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env });

/**
 * Run the compiled CLI (npm test compiles first) in `cwd` with a clean environment, as a child
 * process. Without DATABASE_URL in `env` it starts (and stops) the embedded PostgreSQL of
 * `<cwd>/.caio`: for the smoke tests and what is about processes; the rest runs in-process.
 */
export const spawnCli = (args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    if (!existsSync(CLI)) reject(new Error(`${CLI} is missing: run npm run build`));
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

/** A new, empty schema on the run's PostgreSQL (the first command migrates it; the run's teardown drops it). */
export const freshCliStore = (): StoreLocation => ({ kind: 'postgres', url: inject('testDatabaseUrl'), schema: `${inject('testSchemaPrefix')}cli_${randomBytes(6).toString('hex')}` });

/** This test file's schema for in-process runs (each test file runs in its own process). */
let fileStore: StoreLocation | undefined;
export const cliFileStore = (): StoreLocation => (fileStore ??= freshCliStore());

const collector = () => {
  let text = '';
  return { stream: { isTTY: false, write: (chunk: string) => ((text += chunk), true) }, text: () => text };
};

export type InProcessOptions = {
  cwd: string;
  env?: Record<string, string>;
  clock?: Clock;
  /** default: this file's schema (cliFileStore); a describe that needs a clean slate passes freshCliStore() */
  store?: StoreLocation;
};

/**
 * Run the production CLI (src/cli/run-cli.ts: the same program, commands and composition root as
 * `caio`) in this process: its output collected, a clean environment, `cwd` as its working folder,
 * and the store overridden to this file's PostgreSQL schema, so no embedded server is started. When
 * the test puts DATABASE_URL in `env`, that database is used as `caio` would (no override).
 */
export const runCliInProcess = async (args: string[], options: InProcessOptions): Promise<CliResult> => {
  const { runCli } = await import('../../src/cli/run-cli.js');
  const stdout = collector();
  const stderr = collector();
  const store = options.env?.DATABASE_URL ? undefined : (options.store ?? cliFileStore());
  const code = await runCli(['node', 'caio', ...args], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: cleanEnv(options.env),
    cwd: options.cwd,
    overrides: { ...(store ? { store } : {}), ...(options.clock ? { clock: options.clock } : {}) },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

/** An in-process CLI with a folder's options and a schema of its own: for a describe that needs a clean slate. */
export const inProcessCli = (defaults: Omit<InProcessOptions, 'store'>) => {
  const store = freshCliStore();
  return {
    store,
    run: (args: string[], extra: { env?: Record<string, string> } = {}): Promise<CliResult> => runCliInProcess(args, { ...defaults, store, env: { ...defaults.env, ...extra.env } }),
  };
};

export const tempWorkdir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-cli-'));
  // The embedded PostgreSQL in <dir>/.caio/pg runs as the user postgres when the tests run as root.
  chmodSync(dir, 0o755);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};
