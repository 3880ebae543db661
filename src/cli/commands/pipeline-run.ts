import { existsSync } from 'node:fs';
import { AppError } from '../../lib/app-error.js';
import { openProviders, pipelineDepsFor } from '../../deps.js';
import { runPipeline, type RunReport } from '../../pipeline/run-pipeline.js';
import { averageQuality } from '../../pipeline/enrich-leads.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderRunReport } from '../render/run-report.js';
import { createStageProgress } from '../render/stage-progress.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliErr, cliIo, cliOut, cliPath, setExitCode } from '../io.js';

export type PipelineRunOptions = CommonOptions & { source: string; limit?: number; seed?: number; json?: boolean; input?: string; enrich?: boolean };

type InputSummary = { rows: number; accepted: number; duplicates: number; rejected: { line: number; field: string; message: string }[]; duplicateRows: { line: number; of: number }[] };

/** "No limit" for a file, kept within the run record's integer column. */
const WHOLE_FILE = 2_147_483_647;

/** Credits spent by provider and the mean quality of the enriched leads (issue 3: credits per run). */
const enrichmentSummary = (stages: RunReport['stages']) => {
  const enrich = stages.find((s) => s.name === 'enrich');
  return { credits: (enrich?.metrics.credits as Record<string, number> | undefined) ?? {}, averageQuality: enrich ? averageQuality(enrich.metrics) : null };
};

const inputOf = (report: RunReport): InputSummary | null => (report.stages[0]?.metrics.input as InputSummary | undefined) ?? null;

const renderInput = (input: InputSummary): string => {
  const lines = [`input: ${input.rows} rows, ${input.accepted} accepted, ${input.duplicates} duplicates, ${input.rejected.length} rejected`];
  for (const r of input.rejected.slice(0, 20)) lines.push(`  line ${r.line}: ${r.field}: ${r.message}`);
  if (input.rejected.length > 20) lines.push(`  … ${input.rejected.length - 20} more (--json lists them all)`);
  for (const d of input.duplicateRows.slice(0, 10)) lines.push(`  line ${d.line}: duplicate of line ${d.of}`);
  return lines.join('\n');
};

export const runPipelineCommand = async (options: PipelineRunOptions): Promise<RunReport> => {
  const config = configFrom(options);
  const inputFile = options.input === undefined ? undefined : cliPath(options.input);
  if (inputFile && !existsSync(inputFile)) throw new AppError('INVALID_INPUT', `input file not found: ${options.input}`);
  return withApp(config, async (app) => {
    const io = cliIo();
    const tty = Boolean(io.stdout.isTTY) && !options.json;
    const onInputProgress = tty ? (rows: number) => cliErr(`\rreading ${options.input}: ${rows} rows`) : undefined;
    const providers = await openProviders(app, { source: options.source, seed: options.seed ?? null, inputFile, onInputProgress });
    try {
      // A file is read whole unless --limit says otherwise; Apollo discovery uses the configured default.
      const limit = options.limit ?? (options.input ? WHOLE_FILE : config.pipeline.defaultLimit);
      const deps = pipelineDepsFor(app, providers, { enrich: options.enrich !== false });
      const source = options.input ? providers.source.name : options.source;
      const run = { limit, source, seed: config.usesSandboxes ? (options.seed ?? config.sandbox.seed) : null };
      if (options.json) {
        const report = await runPipeline(deps, run);
        const input = inputOf(report);
        printJson({
          runId: report.runId,
          mode: report.mode,
          status: report.status,
          stages: report.stages.map(({ metrics: _m, ...s }) => s),
          passed: report.passed,
          total: report.total,
          totalErrors: report.totalErrors,
          enrichment: enrichmentSummary(report.stages),
          ...(options.input ? { input: input ? { rows: input.rows, accepted: input.accepted, duplicates: input.duplicates, rejected: input.rejected, duplicateRows: input.duplicateRows } : null } : {}),
          leads: report.leads,
          drafts: report.drafts,
        });
        return report;
      }
      cliOut(`CAIO pipeline: ${providers.description}, ${limit === WHOLE_FILE ? 'whole file' : `limit ${limit}`}, store ${app.database.kind}\n`);
      const progress = createStageProgress({ tty: Boolean(io.stdout.isTTY), stdout: io.stdout, stderr: io.stderr });
      const report = await progress.run(() => runPipeline(deps, run, progress.events));
      const input = inputOf(report);
      cliOut(`${input ? `${renderInput(input)}\n` : ''}${renderRunReport(report)}\n`);
      return report;
    } finally {
      await providers.close();
    }
  });
};

/** `caio pipeline run`: exit 1 when a stage failed. */
export const pipelineRunAction = async (options: PipelineRunOptions): Promise<void> => {
  const report = await runPipelineCommand(options);
  if (report.status !== 'passed') setExitCode(1);
};
