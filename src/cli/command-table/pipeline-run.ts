import type { Command } from 'commander';
import { parsePositiveInt, parseSeed, withCommonOptions } from '../options.js';

export const registerPipelineCommands = (program: Command): void => {
  const pipeline = program.command('pipeline').description('the six-stage pipeline');
  withCommonOptions(
    pipeline
      .command('run')
      .description('discover → enrich → score → craft → queue for approval → send (shadow); nothing is sent')
      .option('--source <name>', 'apollo, a targeting profile of discovery.profiles (e.g. tier1), or rb2b (the website visitors the RB2B webhook recorded)', 'apollo')
      .option('--input <file>', 'leads from a CSV or JSON file instead of discovery (stages 2-6 run as usual)')
      .option('--no-enrich', 'skip stage 2: leads go on with what their source gave')
      .option('--limit <n>', 'how many leads to discover (default: pipeline.defaultLimit, 25; with --input, the whole file)', parsePositiveInt('limit', 1_000_000))
      .option('--seed <s>', 'sandbox seed: a different seed gives different synthetic people', parseSeed)
      .option('--json', 'print one JSON object instead of the table'),
  ).action(async (options: Parameters<(typeof import('../commands/pipeline-run.js'))['pipelineRunAction']>[0]) => (await import('../commands/pipeline-run.js')).pipelineRunAction(options));
};
