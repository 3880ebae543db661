import type { Command } from 'commander';
import { withCommonOptions } from '../options.js';

export const registerStartCommand = (program: Command): void => {
  withCommonOptions(
    program
      .command('start')
      .description('fill the review queue if it is empty, then serve the dashboard, webhooks and jobs')
      .option('--port <n>', 'port (default: server.port, 8080)', (v) => Number.parseInt(v, 10))
      .option('--once', 'run the pipeline once and exit, without serving')
      .option('--demo', 'first write 14 simulated days (150 leads) INTO this data folder, so the dashboard shows a lived-in past (docs/simulation.md)'),
  ).action(async (options: Parameters<(typeof import('../commands/start.js'))['startCommand']>[0]) => (await import('../commands/start.js')).startCommand(options));
};
