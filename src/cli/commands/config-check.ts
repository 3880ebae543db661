import type { Command } from 'commander';
import { describeConfig } from '../../config/load.js';
import { configFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { printJson } from './with-app.js';

export const registerConfigCommands = (program: Command): void => {
  const config = program.command('config').description('configuration');
  withCommonOptions(config.command('check').description('validate the config file and environment; print every problem with its key').option('--json', 'print JSON')).action(
    (options: CommonOptions & { json?: boolean }) => {
      // A ConfigError (every problem, exit 2) is printed by the CLI's error handler.
      const summary = describeConfig(configFrom(options));
      if (options.json) return printJson({ ok: true, config: summary });
      process.stdout.write(`config OK\n${JSON.stringify(summary, null, 2)}\n`);
    },
  );
};
