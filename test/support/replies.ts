import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../src/compose/follow-through.js';
import { processorFor } from '../../src/compose/signals.js';
import { createInboxStore } from '../../src/store/inbox-repo.js';
import type { Harness } from './dispatch.js';

/**
 * Prospects' e-mail replies through the production processor with its follow-through (the
 * SCHEDULER, the suggested answers), as a webhook stored in the inbox: each delivery comes a minute
 * after the last on the harness's clock, must be processed, and gives the id of the stored reply.
 */
export const replyDelivery = async (h: Harness, log = h.app.log) => {
  const processor = withFollowThroughActions(processorFor(h.app), followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch)), log);
  const inbox = createInboxStore(h.db);
  return async (reply: { key: string; email: string; text: string; emailId?: string; subject?: string }): Promise<string> => {
    h.clock.advance(60_000);
    const id = await inbox.insert({
      provider: 'instantly',
      eventType: 'reply_received',
      idempotencyKey: reply.key,
      payload: {
        event_type: 'reply_received',
        step: 1,
        timestamp: h.clock.now().toISOString(),
        lead_email: reply.email,
        email_id: reply.emailId ?? reply.key,
        ...(reply.subject ? { reply_subject: reply.subject } : {}),
        reply_text: reply.text,
      },
      receivedAt: h.clock.now(),
    });
    expect(await processor.process(id!)).toBe('processed');
    const rows = ((await h.db.execute(sql`select id from replies where inbox_id = ${id}`)) as { rows: { id: string }[] }).rows;
    return String(rows[0]!.id);
  };
};
