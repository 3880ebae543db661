import type { Command } from 'commander';
import { openProviders, pipelineDepsFor } from '../../deps.js';
import { runPipeline, type RunReport } from '../../pipeline/run-pipeline.js';
import { configFrom, parsePositiveInt, parseSeed, withCommonOptions, type CommonOptions } from '../options.js';
import { renderRunReport } from '../render/run-report.js';
import { createStageProgress } from '../render/stage-progress.js';
import { printJson, withApp } from './with-app.js';

export type PipelineRunOptions = CommonOptions & { source: string; limit?: number; seed?: number; json?: boolean };

export const runPipelineCommand = async (options: PipelineRunOptions): Promise<RunReport> => {
  const config = configFrom(options);
  return withApp(config, async (app) => {
    const providers = await openProviders(app, { source: options.source, seed: options.seed ?? null });
    try {
      const limit = options.limit ?? config.pipeline.defaultLimit;
      const deps = pipelineDepsFor(app, providers);
      const run = { limit, source: options.source, seed: config.providers === 'sandbox' ? (options.seed ?? config.sandbox.seed) : null };
      if (options.json) {
        const report = await runPipeline(deps, run);
        printJson({ runId: report.runId, mode: report.mode, status: report.status, stages: report.stages.map(({ metrics: _m, ...s }) => s), passed: report.passed, total: report.total, totalErrors: report.totalErrors, leads: report.leads, drafts: report.drafts });
        return report;
      }
      process.stdout.write(`CAIO pipeline: ${providers.description}, limit ${limit}, store ${app.database.kind}\n`);
      const progress = createStageProgress({ tty: Boolean(process.stdout.isTTY) });
      const report = await progress.run(() => runPipeline(deps, run, progress.events));
      process.stdout.write(`${renderRunReport(report)}\n`);
      return report;
    } finally {
      await providers.close();
    }
  });
};

export const registerPipelineCommands = (program: Command): void => {
  const pipeline = program.command('pipeline').description('the six-stage pipeline');
  withCommonOptions(
    pipeline
      .command('run')
      .description('discover → enrich → score → craft → queue for approval → send (shadow); nothing is sent')
      .option('--source <name>', 'lead source', 'apollo')
      .option('--limit <n>', 'how many leads to discover (default: pipeline.defaultLimit, 25)', parsePositiveInt('limit', 10_000))
      .option('--seed <s>', 'sandbox seed: a different seed gives different synthetic people', parseSeed)
      .option('--json', 'print one JSON object instead of the table'),
  ).action(async (options: PipelineRunOptions) => {
    const report = await runPipelineCommand(options);
    if (report.status !== 'passed') process.exitCode = 1;
  });
};
