import type { Command } from 'commander';
import { AppError } from '../../lib/app-error.js';
import { configFrom, parsePositiveInt, withCommonOptions, type CommonOptions } from '../options.js';
import { renderStageErrors, renderStageTable } from '../render/run-report.js';
import { renderTable } from '../render/table.js';
import { printJson, withApp } from './with-app.js';

export const registerRunCommands = (program: Command): void => {
  const runs = program.command('runs').description('stored pipeline run reports');

  withCommonOptions(runs.command('list').description('recent runs, newest first').option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 20).option('--json', 'print JSON')).action(
    async (options: CommonOptions & { limit: number; json?: boolean }) => {
      await withApp(configFrom(options), async (app) => {
        const list = await app.stores.runs.list(options.limit);
        if (options.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('no runs yet (run: npx caio pipeline run)\n');
        process.stdout.write(
          `${renderTable(
            ['run', 'status', 'mode', 'passed', 'leads', 'drafts', 'errors', 'started'],
            list.map((r) => [r.runId, r.status, r.mode, `${r.stages.filter((s) => s.status === 'pass').length}/${r.stages.length}`, r.summary.leads ?? 0, r.summary.drafts ?? 0, r.totalErrors, r.startedAt.toISOString()]),
          )}\n`,
        );
      });
    },
  );

  withCommonOptions(runs.command('show <runId>').description('one run report: every stage with counts, timings and errors').option('--json', 'print JSON')).action(
    async (runId: string, options: CommonOptions & { json?: boolean }) => {
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
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    },
  );
};
