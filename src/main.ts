#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './cli/program.js';
import { ConfigError } from './config/config-error.js';
import { EXIT_CODE, isAppError } from './lib/app-error.js';
import { storeUnavailableOf } from './store/connection-errors.js';

/** Usage errors exit 2, like invalid config; everything the user must fix says what and where. */
const USAGE_EXIT = 2;

const main = async (argv: string[]): Promise<number> => {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : USAGE_EXIT;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`error: invalid configuration${error.problems.length > 1 ? ` (${error.problems.length} problems)` : ''}:\n${error.problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}\n`);
      return EXIT_CODE.CONFIG_INVALID;
    }
    const known = isAppError(error) ? error : storeUnavailableOf(error);
    if (known) {
      process.stderr.write(`error: ${known.message}\n`);
      return EXIT_CODE[known.code];
    }
    process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
};

process.exitCode = await main(process.argv);
