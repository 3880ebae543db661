import type { Command } from 'commander';
import { withCommonOptions } from '../options.js';

/** `caio agents`: the role registry is static data, so no store is opened. */
export const registerAgentsCommand = (program: Command): void => {
  withCommonOptions(program.command('agents').description('the agent roles: what each owns, its allowed and denied actions, risk and rate limits').option('--json', 'print JSON')).action(
    async (options: Parameters<(typeof import('../commands/agents.js'))['agentsCommand']>[0]) => (await import('../commands/agents.js')).agentsCommand(options),
  );
};
