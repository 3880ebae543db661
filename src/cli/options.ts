import { InvalidArgumentError, type Command } from 'commander';
import type { ConfigSources } from '../config/load.js';
import type { CliIo } from './io.js';
import { TIERS, type Tier } from '../domain/tier.js';

/*
 * What the command table needs to declare options: commander and small parsers only. Loading the
 * configuration (zod, the schema) is config-from.ts, imported by the commands when they run.
 */

export type CommonOptions = { config?: string; dataDir?: string };

/**
 * Every command takes --config and --data-dir (env: CAIO_CONFIG, CAIO_DATA_DIR). commander hands an
 * action its options untyped: each action in command-table/ names them as its command's parameter.
 */
export const withCommonOptions = (command: Command): Command =>
  command.option('--config <file>', 'config file (env CAIO_CONFIG; default ./caio.config.json when present)').option('--data-dir <dir>', 'folder of the embedded database (env CAIO_DATA_DIR; default ./.caio)');

/**
 * Where a command's configuration comes from: the environment and the working folder of the CLI's
 * I/O context (io.ts: the process, or a test's), --config and --data-dir.
 */
export const configSourcesOf = (options: CommonOptions, io: Pick<CliIo, 'env' | 'cwd'>): ConfigSources => ({ env: io.env, cwd: io.cwd, configPath: options.config, dataDir: options.dataDir });

export const parsePositiveInt =
  (label: string, max: number) =>
  (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${label} must be a whole number from 1 to ${max}.`);
    const n = Number.parseInt(value, 10);
    if (n < 1 || n > max) throw new InvalidArgumentError(`${label} must be a whole number from 1 to ${max}.`);
    return n;
  };

export const parseSeed = (value: string): number => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('seed must be a whole number from 0 to 2147483647.');
  const n = Number.parseInt(value, 10);
  if (n > 2_147_483_647) throw new InvalidArgumentError('seed must be a whole number from 0 to 2147483647.');
  return n;
};

export const parseTier = (value: string): Tier => {
  const v = value
    .trim()
    .toLowerCase()
    .replace(/^(\d)$/, 'tier_$1')
    .replace(/^tier(\d)$/, 'tier_$1');
  if (!(TIERS as readonly string[]).includes(v)) throw new InvalidArgumentError(`tier must be one of ${TIERS.join(', ')} (or 1-4).`);
  return v as Tier;
};
