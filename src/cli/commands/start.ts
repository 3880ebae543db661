import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { configFrom, withCommonOptions, type CommonOptions } from '../options.js';
import { runPipelineCommand } from './pipeline-run.js';
import { serveCommand } from './serve.js';
import { withApp } from './with-app.js';

/**
 * `npm start`: on the embedded default, a sandbox pipeline run when the review queue is empty, then
 * the dashboard, the webhooks and the scheduled jobs in one process (`--once`: the run only, as
 * `caio pipeline run` does).
 */
export const registerStartCommand = (program: Command): void => {
  withCommonOptions(
    program
      .command('start')
      .description('fill the review queue if it is empty, then serve the dashboard, webhooks and jobs')
      .option('--port <n>', 'port (default: server.port, 8080)', (v) => Number.parseInt(v, 10))
      .option('--once', 'run the pipeline once and exit, without serving'),
  ).action(async (options: CommonOptions & { port?: number; once?: boolean }) => {
    const waiting = await withApp(configFrom(options), async (app) =>
      Number(((await app.database.db.execute(sql`select count(*)::int as n from drafts where status = 'pending_review'`)) as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0),
    );
    if (waiting === 0 || options.once) {
      const report = await runPipelineCommand({ ...options, source: 'apollo' });
      if (report.status !== 'passed') process.exitCode = 1;
    } else process.stdout.write(`${waiting} drafts are waiting for review: no new pipeline run.\n`);
    if (options.once) return;
    process.stdout.write('\nOpen the dashboard at the URL below and log in with the dashboard token (see the API line for where it is).\n');
    await serveCommand(options, 'start');
  });
};
