/**
 * What a simulation runs on (docs/simulation.md): the configuration rehearsed, made safe (sandbox
 * providers, live sending into them, no Slack, no LLM, no Redis, fresh webhook tokens), the
 * settings of the model and the reviewer, and a store of its own: a fresh embedded PostgreSQL under
 * `<dataDir>/simulation`, or the schema `caio_simulation` of DATABASE_URL, wiped at each start.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config/load.js';
import { AppError } from '../lib/app-error.js';
import type { StoreLocation } from '../store/database.js';
import { parseSimulationSettings, type SimulationSettings } from './settings.js';
import { simulationSecret } from './secret.js';

export const MAX_LEADS = 10_000;
export const MAX_DAYS = 365;

export type SimulationSetup = { config: Config; settings: SimulationSettings; file: string | null };

/**
 * The Instantly sandbox's own sending accounts (src/providers/sandbox/instantly/server.ts). A real
 * workspace sends from its accounts, and Instantly names the receiving one in a reply webhook; a
 * campaign without accounts would leave our answer's thread without one (`thread_unknown`), so a
 * rehearsed config that names no Instantly account gets these.
 */
export const SANDBOX_INSTANTLY_ACCOUNTS = ['alex@outreach-one.example.com', 'alex@outreach-two.example.com'] as const;

const withSendingAccounts = (given: unknown): unknown => {
  const list: unknown[] = Array.isArray(given) ? (given as unknown[]) : [];
  const hasInstantly = list.some((a) => a && typeof a === 'object' && ((a as { channel?: unknown }).channel ?? 'instantly') === 'instantly');
  return hasInstantly ? given : [...list, ...SANDBOX_INSTANTLY_ACCOUNTS.map((email) => ({ email, channel: 'instantly' }))];
};

/** The config file as `caio` finds it (--config, CAIO_CONFIG, ./caio.config.json), read raw: its `simulation` object is ours. */
const readRaw = (given: string | undefined, env: Record<string, string | undefined>, cwd: string): { file: string | null; raw: Record<string, unknown> } => {
  const named = given ?? env.CAIO_CONFIG;
  const file = named ? path.resolve(cwd, named) : existsSync(path.join(cwd, 'caio.config.json')) ? path.join(cwd, 'caio.config.json') : null;
  if (!file) return { file: null, raw: {} };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AppError('INVALID_INPUT', `--config: cannot read ${file}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AppError('INVALID_INPUT', `--config: ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new AppError('INVALID_INPUT', `--config: ${file} must hold a JSON object`);
  return { file, raw: raw as Record<string, unknown> };
};

/**
 * The rehearsed configuration: the file's own keys, with sandbox providers and live sending, the
 * Apollo sandbox holding `leads` people from `seed`, the Instantly sandbox's sending accounts when
 * the file names none, and an environment of only what the simulation needs (the log level, its
 * own webhook tokens).
 */
export const simulationSetup = (options: { config?: string | undefined; dataDir?: string | undefined; env: Record<string, string | undefined>; cwd: string; leads: number; seed: number }): SimulationSetup => {
  const { file, raw } = readRaw(options.config, options.env, options.cwd);
  const { simulation, ...rest } = raw;
  const settings = parseSimulationSettings(simulation);
  const sandbox = { ...((rest.sandbox as Record<string, unknown> | undefined) ?? {}), seed: options.seed, peopleCount: Math.min(100_000, Math.max(options.leads * 4, 100)) };
  const env = {
    // Where the store is (the simulation then takes a schema of its own there) and how much it logs; nothing else of the user's.
    ...Object.fromEntries(['LOG_LEVEL', 'DATABASE_URL', 'CAIO_PG_PORT'].filter((k) => options.env[k]).map((k) => [k, options.env[k]])),
    INSTANTLY_WEBHOOK_SECRET: simulationSecret(),
    HEYREACH_WEBHOOK_SECRET: simulationSecret(),
    WEBHOOK_SIGNATURE_REQUIRED: 'true',
  };
  const config = loadConfig({ env, cwd: options.cwd, dataDir: options.dataDir ?? options.env.CAIO_DATA_DIR, values: { ...rest, providers: 'sandbox', send: 'live', sandbox, sendingAccounts: withSendingAccounts(rest.sendingAccounts) } });
  return { config, settings, file };
};

/** The simulation's own store, emptied first so every run starts over (its sandboxes keep their state in memory). */
export const freshSimulationStore = async (config: Config, override: StoreLocation | undefined): Promise<{ store: StoreLocation; sandboxStateDir: null; describe: string }> => {
  const folder = path.join(config.dataDir, 'simulation');
  rmSync(folder, { recursive: true, force: true });
  // The sandboxes keep their state in memory: one process runs the whole simulation, and a state file rewritten on every call would cost more than the rest.
  const sandboxStateDir = null;
  const base = override ?? (config.store.kind === 'postgres' ? { kind: 'postgres' as const, url: config.store.url } : null);
  if (base?.kind === 'postgres') {
    const schema = `${base.schema ?? 'caio'}_simulation`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
    await dropSchema(base.url, schema);
    return { store: { kind: 'postgres', url: base.url, schema }, sandboxStateDir, describe: `schema ${schema} of DATABASE_URL` };
  }
  return { store: { kind: 'embedded', dir: path.join(folder, 'pg') }, sandboxStateDir, describe: `an embedded PostgreSQL in ${folder}` };
};

const dropSchema = async (url: string, schema: string) => {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
};

/** The first simulated instant: UTC midnight `days` days before today, so the month ends about now. */
export const simulationStart = (now: Date, days: number): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days));

/** Options checked before anything opens; each message names its option. */
export const checkSimulationOptions = (o: { days: number; leads: number }) => {
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > MAX_DAYS) throw new AppError('INVALID_INPUT', `--days must be a whole number from 1 to ${MAX_DAYS}`);
  if (!Number.isInteger(o.leads) || o.leads < 1 || o.leads > MAX_LEADS) throw new AppError('INVALID_INPUT', `--leads must be a whole number from 1 to ${MAX_LEADS}`);
};
