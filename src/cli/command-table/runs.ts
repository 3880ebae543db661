import type { Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const runCommands = () => import('../commands/runs.js');
type RunCommands = Awaited<ReturnType<typeof runCommands>>;

export const registerRunCommands = (program: Command): void => {
  const runs = program.command('runs').description('stored pipeline run reports');

  withCommonOptions(runs.command('list').description('recent runs, newest first').option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 20).option('--json', 'print JSON')).action(
    async (options: Parameters<RunCommands['runsListCommand']>[0]) => (await runCommands()).runsListCommand(options),
  );

  withCommonOptions(runs.command('show <runId>').description('one run report: every stage with counts, timings and errors').option('--json', 'print JSON')).action(
    async (runId: string, options: Parameters<RunCommands['runsShowCommand']>[1]) => (await runCommands()).runsShowCommand(runId, options),
  );
};
