import type { Command } from 'commander';
import { withCommonOptions, type CommonOptions } from '../options.js';
import { agentsReport, renderAgents } from '../render/agents.js';
import { printJson } from './with-app.js';

/** `caio agents`: the role registry is static data, so no store is opened. */
export const registerAgentsCommand = (program: Command): void => {
  withCommonOptions(program.command('agents').description('the agent roles: what each owns, its allowed and denied actions, risk and rate limits').option('--json', 'print JSON')).action((options: CommonOptions & { json?: boolean }) => {
    if (options.json) return printJson(agentsReport());
    process.stdout.write(`${renderAgents()}\n`);
  });
};
