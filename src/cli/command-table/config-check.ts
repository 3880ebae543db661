import type { Command } from 'commander';
import { withCommonOptions } from '../options.js';

export const registerConfigCommands = (program: Command): void => {
  const config = program.command('config').description('configuration');
  withCommonOptions(config.command('check').description('validate the config file and environment; print every problem with its key').option('--json', 'print JSON')).action(
    async (options: Parameters<(typeof import('../commands/config-check.js'))['configCheckCommand']>[0]) => (await import('../commands/config-check.js')).configCheckCommand(options),
  );
};
