import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import type { Clock } from '../lib/clock.js';
import type { StoreLocation } from '../store/database.js';

/*
 * The CLI's I/O context: where a command writes, which environment and working folder it reads,
 * and the exit code it sets. `caio` runs with the real process (processIo); the tests run the same
 * production CLI in-process (runCli in run-cli.ts) with string-collecting streams, a clean
 * environment, their temp folder and overrides (their own PostgreSQL schema, a fixed clock), so most
 * CLI behaviour is tested without spawning a process and starting an embedded PostgreSQL for each
 * command. Held in an AsyncLocalStorage, so concurrent in-process runs do not see each other's.
 * Only types are imported here: the command table loads this module, `caio --help` must stay fast.
 */

export type CliStream = { write(text: string): unknown; isTTY?: boolean };

/** What a test replaces in the production wiring; `caio` itself never sets these. */
export type CliOverrides = {
  /** The store to open instead of the configured one (DATABASE_URL or the embedded server). */
  store?: StoreLocation;
  clock?: Clock;
};

export type CliIo = {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Set by a command that finishes but must not exit 0 (a failed stage, an unusable provider). */
  exitCode?: number;
  overrides?: CliOverrides;
};

const storage = new AsyncLocalStorage<CliIo>();

/** The real process: its streams, environment and working folder. */
export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/** Run `work` with `io` as the CLI's I/O context. */
export const withCliIo = <T>(io: CliIo, work: () => Promise<T>): Promise<T> => storage.run(io, work);

/** The current context; outside runCli, the real process. */
export const cliIo = (): CliIo => storage.getStore() ?? processIo();

export const cliOut = (text: string): void => void cliIo().stdout.write(text);
export const cliErr = (text: string): void => void cliIo().stderr.write(text);

export const setExitCode = (code: number): void => {
  const io = storage.getStore();
  if (io) io.exitCode = code;
  else process.exitCode = code;
};

/**
 * A path the user gave, for the file system: relative to the context's working folder. Unchanged
 * when that folder is the process's own (`caio`), so messages and the run's description keep the
 * path as typed.
 */
export const cliPath = (given: string): string => {
  const { cwd } = cliIo();
  return path.isAbsolute(given) || path.resolve(cwd) === process.cwd() ? given : path.resolve(cwd, given);
};

/** The store a test points the CLI at (CliOverrides.store), if any. */
export const storeOverride = (): StoreLocation | undefined => cliIo().overrides?.store;
