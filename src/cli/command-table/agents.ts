import type { Command } from 'commander';
import { withCommonOptions } from '../options.js';

/** `caio agents`: the role registry is static data, so no store is opened. `caio agents status` reads what the roles did. */
export const registerAgentsCommand = (program: Command): void => {
  const agents = withCommonOptions(program.command('agents').description('the agent roles: what each owns, its allowed and denied actions, risk and rate limits').option('--json', 'print JSON')).action(
    async (options: Parameters<(typeof import('../commands/agents.js'))['agentsCommand']>[0]) => (await import('../commands/agents.js')).agentsCommand(options),
  );
  withCommonOptions(agents.command('status').description('what each of the 12 roles did in the last 24 hours (actions, refusals, failures, last run) and its health, from the audit log and the runs').option('--json', 'print JSON')).action(
    // `agents` declares the same options and, options not being positional, takes them from after `status` too: read both.
    async (_options: unknown, command: Command) => (await import('../commands/agents-status.js')).agentsStatusCommand(command.optsWithGlobals<Parameters<(typeof import('../commands/agents-status.js'))['agentsStatusCommand']>[0]>()),
  );
};
