import { AppError } from '../../lib/app-error.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderStageErrors, renderStageTable } from '../render/run-report.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

export const runsListCommand = async (options: CommonOptions & { limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const list = await app.stores.runs.list(options.limit);
    if (options.json) return printJson(list);
    if (list.length === 0) return void cliOut('no runs yet (run: npx caio pipeline run)\n');
    cliOut(
      `${renderTable(
        ['run', 'status', 'mode', 'passed', 'leads', 'drafts', 'errors', 'started'],
        list.map((r) => [r.runId, r.status, r.mode, `${r.stages.filter((s) => s.status === 'pass').length}/${r.stages.length}`, r.summary.leads ?? 0, r.summary.drafts ?? 0, r.totalErrors, r.startedAt.toISOString()]),
      )}\n`,
    );
  });
};

export const runsShowCommand = async (runId: string, options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const run = await app.stores.runs.get(runId.trim());
    if (!run) throw new AppError('NOT_FOUND', `no run ${runId.trim()} (see: caio runs list)`);
    if (options.json) return printJson(run);
    const lines = [
      `run ${run.runId}: ${run.status.toUpperCase()} (${run.mode} providers, source ${run.source}, limit ${run.requestedLimit}${run.seed !== null ? `, seed ${run.seed}` : ''})`,
      `started ${run.startedAt.toISOString()}${run.completedAt ? `, completed ${run.completedAt.toISOString()}` : ' (not completed)'}`,
      '',
      renderStageTable(run.stages),
      '',
      ...run.stages.map((s) => `${s.name}: ${JSON.stringify(s.metrics)}`),
    ];
    const errors = renderStageErrors(run.stages, 10);
    if (errors.length) lines.push('', 'errors:', ...errors);
    cliOut(`${lines.join('\n')}\n`);
  });
};
