import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { runPipelineCommand } from './pipeline-run.js';
import { serveCommand } from './serve.js';
import { withApp } from './with-app.js';
import { reviewQueueStatusFor } from '../../compose/jobs.js';
import { openDatabase } from '../../store/database.js';
import { storeLocationOf } from '../../deps.js';
import { cliOut, setExitCode, storeOverride } from '../io.js';

/**
 * `npm start`: on the embedded default, a sandbox pipeline run when the review queue is empty, then
 * the dashboard, the webhooks and the scheduled jobs in one process (`--once`: the run only, as
 * `caio pipeline run` does).
 */
export const startCommand = async (options: CommonOptions & { port?: number; once?: boolean; demo?: boolean }): Promise<void> => {
  const config = configFrom(options);
  // Held from the first step to the last, as the server role: on the embedded default the database
  // server stays up between the steps, and a second `caio start` is refused from the start.
  const held = await openDatabase(storeOverride() ?? storeLocationOf(config, options.once ? 'command' : 'server'));
  try {
    await startSteps(options);
  } finally {
    if (options.once) await held.close();
    // Serving: the server's own shutdown (SIGINT/SIGTERM) exits the process, which releases it.
  }
};

const startSteps = async (options: CommonOptions & { port?: number; once?: boolean; demo?: boolean }): Promise<void> => {
  // --demo only: 14 simulated days written into this data folder's own store, so the dashboard has a past (docs/simulation.md).
  if (options.demo) await (await import('./simulate.js')).demoSimulation(options, storeOverride() ?? storeLocationOf(configFrom(options)));
  const waiting = await withApp(configFrom(options), async (app) => (await reviewQueueStatusFor(app)()).pending);
  if (waiting === 0 || options.once) {
    const report = await runPipelineCommand({ ...options, source: 'apollo' });
    if (report.status !== 'passed') setExitCode(1);
  } else cliOut(`${waiting} drafts are waiting for review: no new pipeline run.\n`);
  if (options.once) return;
  cliOut('\nOpen the dashboard at the URL below and log in with the dashboard token (see the API line for where it is).\n');
  await serveCommand(options, 'start');
};
