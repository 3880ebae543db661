import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { EnvSchema, FileConfigSchema, SECRET_ENV_KEYS, type Env, type FileConfig } from './schema.js';

export type Config = Readonly<
  FileConfig & {
    env: Env;
    /** Where the config came from, or null when only defaults are used. */
    configPath: string | null;
    /** Folder for the embedded database and its lock file. */
    dataDir: string;
    emergencyStop: boolean;
    store: { kind: 'postgres'; url: string } | { kind: 'embedded'; dir: string; port: number | undefined };
    /** Resolved once here, read everywhere: loopback sandboxes (providers: sandbox) or the live providers. */
    usesSandboxes: boolean;
    /** Resolved once here: jobs in this process (inline) or on BullMQ queues in Redis (REDIS_URL). */
    jobsBackend: { kind: 'inline' } | { kind: 'bullmq'; redisUrl: string };
  }
>;

export { ConfigError, type ConfigProblem } from './config-error.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { heyreachCampaignProblems } from './heyreach-campaigns.js';

export type ConfigSources = {
  env: Record<string, string | undefined>;
  cwd: string;
  /** `--config FILE`; else CAIO_CONFIG; else ./caio.config.json when it exists. */
  configPath?: string | undefined;
  /** `--data-dir DIR`; else CAIO_DATA_DIR; else ./.caio */
  dataDir?: string | undefined;
  /** The config file's values given directly, checked like a file's (tests: their scenario's settings). */
  values?: unknown;
};

const DEFAULT_CONFIG_FILE = 'caio.config.json';

/** zod issues → `key.path: message`, never echoing the offending value (it may be a secret). */
export const toProblems = (issues: readonly z.core.$ZodIssue[], prefix = ''): ConfigProblem[] =>
  issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ key: base ? `${base}.${k}` : k, message: 'unknown key' }));
    }
    return [{ key: base || '(root)', message: issue.message }];
  });

const resolveConfigPath = (sources: ConfigSources): { path: string | null; explicit: boolean } => {
  const given = sources.configPath ?? sources.env.CAIO_CONFIG;
  if (given) return { path: path.resolve(sources.cwd, given), explicit: true };
  const fallback = path.resolve(sources.cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? { path: fallback, explicit: false } : { path: null, explicit: false };
};

const readConfigFile = (file: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([{ key: '(file)', message: code === 'ENOENT' ? `config file not found: ${file}` : `cannot read config file ${file} (${code})` }], file);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError([{ key: '(file)', message: `not valid JSON: ${(error as Error).message}` }], file);
  }
};

/** Collect every problem (file and env) before failing, so `caio config check` shows them all at once. */
export const loadConfig = (sources: ConfigSources): Config => {
  const { path: configPath } = sources.values === undefined ? resolveConfigPath(sources) : { path: null };
  const raw = sources.values ?? (configPath ? readConfigFile(configPath) : {});
  const problems: ConfigProblem[] = [];

  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError([{ key: '(root)', message: 'the config file must hold a JSON object' }], configPath ?? 'defaults');
  }
  const file = FileConfigSchema.safeParse(raw);
  if (!file.success) problems.push(...toProblems(file.error.issues));

  const envInput = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, sources.env[k] === '' ? undefined : sources.env[k]]));
  const env = EnvSchema.safeParse(envInput);
  if (!env.success) problems.push(...toProblems(env.error.issues, 'env'));

  if (file.success && env.success && file.data.providers === 'live' && !env.data.APOLLO_API_KEY) {
    problems.push({ key: 'env.APOLLO_API_KEY', message: 'required when providers is "live" (Apollo is the discovery and enrichment provider)' });
  }
  if (file.success && env.success && file.data.providers === 'live' && file.data.clay.enabled) {
    for (const key of ['CLAY_WEBHOOK_URL', 'CLAY_CALLBACK_TOKEN'] as const) {
      if (!env.data[key]) problems.push({ key: `env.${key}`, message: 'required when providers is "live" and clay.enabled is true' });
    }
  }
  if (file.success) problems.push(...heyreachCampaignProblems(file.data));
  if (problems.length > 0 || !file.success || !env.success) throw new ConfigError(problems, configPath ?? 'defaults and environment');

  const dataDir = path.resolve(sources.cwd, sources.dataDir ?? sources.env.CAIO_DATA_DIR ?? '.caio');
  const store = env.data.DATABASE_URL ? ({ kind: 'postgres', url: env.data.DATABASE_URL } as const) : ({ kind: 'embedded', dir: path.join(dataDir, 'pg'), port: env.data.CAIO_PG_PORT } as const);
  const config: Config = {
    ...file.data,
    logLevel: env.data.LOG_LEVEL ?? file.data.logLevel,
    env: Object.freeze(env.data),
    configPath,
    dataDir,
    emergencyStop: env.data.EMERGENCY_STOP ?? false,
    store,
    usesSandboxes: file.data.providers === 'sandbox',
    jobsBackend: env.data.REDIS_URL ? { kind: 'bullmq', redisUrl: env.data.REDIS_URL } : { kind: 'inline' },
  };
  return deepFreeze(config);
};

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

/** A printable summary: secrets show only whether they are set. */
export const describeConfig = (config: Config): Record<string, unknown> => ({
  configPath: config.configPath ?? '(none: defaults)',
  dataDir: config.dataDir,
  store: config.store.kind === 'postgres' ? 'postgres (DATABASE_URL)' : `embedded PostgreSQL (${config.store.dir})`,
  providers: config.providers,
  send: config.send,
  emergencyStop: config.emergencyStop,
  icpTiers: config.icp.tiers,
  exclusions: {
    competitorDomains: config.exclusions.competitorDomains.length,
    excludedDomains: config.exclusions.excludedDomains.length,
    excludedEmails: config.exclusions.excludedEmails.length,
  },
  sendingAccounts: config.sendingAccounts.length,
  secrets: Object.fromEntries(SECRET_ENV_KEYS.map((k) => [k, config.env[k] ? 'set' : 'not set'])),
});
