import type { Command } from 'commander';
import { withCommonOptions, type CommonOptions } from '../options.js';

export const registerProvidersCheckCommand = (program: Command): void => {
  const action = async (options: CommonOptions & { json?: boolean }) => (await import('../commands/providers-check.js')).providersCheckCommand(options);
  withCommonOptions(
    program
      .command('providers')
      .description('providers')
      .command('check')
      .description('is each provider configured and reachable, its last breaker state, the store usable, and (with REDIS_URL) Redis and the job queues healthy')
      .option('--json', 'print JSON'),
  ).action(action);
  withCommonOptions(program.command('doctor').description('same as caio providers check').option('--json', 'print JSON')).action(action);
};
