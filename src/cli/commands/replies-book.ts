import { AppError } from '../../lib/app-error.js';
import { configFrom } from '../config-from.js';
import { cliOut } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `caio replies book <id> --slot ISO --by NAME [--json]`: book a meeting for a reply by hand,
 * through the SCHEDULER's own action (the slot re-checked against the calendar, never booked twice
 * for the lead, the confirmation queued), with the person audited.
 */
export const repliesBookCommand = async (id: string, options: CommonOptions & { slot: Date; by: string; json?: boolean }): Promise<void> => {
  if (!UUID.test(id.trim())) throw new AppError('INVALID_INPUT', 'a reply id is a UUID (see caio replies list)');
  if (!options.by.trim()) throw new AppError('INVALID_INPUT', '--by names the person booking');
  const { openDispatch } = await import('../../deps.js');
  const { bookReplyByHand, followThroughExecutorFor, followThroughProvidersFor } = await import('../../compose/follow-through.js');
  await withApp(configFrom(options), async (app) => {
    const dispatch = await openDispatch(app);
    try {
      const executor = followThroughExecutorFor(app, await followThroughProvidersFor(app, dispatch));
      const result = await bookReplyByHand(app, executor, { replyId: id.trim(), slot: options.slot, by: options.by.trim() });
      if (options.json) return printJson(result);
      cliOut(
        result.booked
          ? `booked ${result.slot}; see caio replies show ${result.replyId}\n`
          : `not booked (${result.status === 'done' ? 'the slot is not free: a draft offering the nearest free slots is in the review queue' : result.status}${result.error ? `: ${result.error}` : ''})\n`,
      );
    } finally {
      await dispatch.close();
    }
  });
};
