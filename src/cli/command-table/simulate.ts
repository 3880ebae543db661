import type { Command } from 'commander';
import { parsePositiveInt, parseSeed, withCommonOptions } from '../options.js';

/** `caio simulate`: a month rehearsed on a fake clock, through the real jobs (docs/simulation.md). */
export const registerSimulateCommand = (program: Command): void => {
  withCommonOptions(
    program
      .command('simulate')
      .description('rehearse D days for N leads on a fake clock through the real jobs, sandboxes and webhooks; checks the sending invariants')
      .requiredOption('--days <n>', 'simulated days (1-365)', parsePositiveInt('--days', 365))
      .requiredOption('--leads <n>', 'leads discovered in all (1-10000)', parsePositiveInt('--leads', 10_000))
      .option('--seed <n>', 'seed of the people, the engagement and the reviewer (default 1)', parseSeed)
      .option('--json', 'print {days, leads, sent, replies, meetings, violations, daily} as JSON'),
  ).action(async (options: Parameters<(typeof import('../commands/simulate.js'))['simulateCommand']>[0]) => (await import('../commands/simulate.js')).simulateCommand(options));
};
