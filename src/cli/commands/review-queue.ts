import { openJobSet } from '../../compose/job-set.js';
import { reviewQueueStatusFor } from '../../compose/jobs.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

/** `caio review queue`: the drafts waiting for review against the queue watcher's marks. */
export const reviewQueueCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const status = await reviewQueueStatusFor(app)();
    if (options.json) return printJson(status);
    cliOut(
      `${status.pending} drafts wait for review (low-water mark ${status.lowWater}, target ${status.target}, the watcher looks every ${status.everyMinutes} min): ${status.needsTopUp ? 'below the mark, the next look tops it up' : 'no top-up needed'}\n`,
    );
  });
};

/**
 * `caio review top-up`: the queue watcher now, as the dashboard's trigger runs it (the same lease,
 * so never beside a scheduled top-up): a pipeline run here, or its chunk jobs for the workers with
 * REDIS_URL.
 */
export const reviewTopUpCommand = async (options: CommonOptions & { force?: boolean; by: string; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const set = await openJobSet(app, { work: false });
    try {
      const result = await set.watcher.run({ force: Boolean(options.force), by: options.by.trim() });
      if (options.json) return printJson(result);
      const { pending, toppedUp, reason, requested, by: _by, ...run } = result;
      cliOut(
        toppedUp
          ? `topped up: a pipeline run for ${String(requested)} leads (${String(pending)} drafts were waiting): ${Object.entries(run)
              .map(([k, v]) => `${k} ${String(v)}`)
              .join(', ')}\n`
          : `no top-up: ${String(reason)}\n`,
      );
    } finally {
      await set.close();
    }
  });
};
