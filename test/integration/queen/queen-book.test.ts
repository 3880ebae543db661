import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queenDepsFor } from '../../../src/compose/queen.js';
import { ask } from '../../../src/queen/ask.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { replyDelivery } from '../../support/replies.js';
import { openTestDatabase } from '../../support/store.js';

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/**
 * QUEEN books a stored reply's meeting through the same use case as `caio replies book`, on a reply
 * a real dispatch and webhook delivery wrote (the harness's fixed clock: Monday 2026-11-23 10:00 UTC):
 * held until confirmed, then an appointment at the GoHighLevel sandbox and a confirmation draft in
 * the review queue, nothing sent. The reply desk and the meeting brief then show it.
 */
describe('QUEEN books a reply', () => {
  let database: Database;
  let h: Harness;
  let replyId = '';

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const lead = await h.approvedLead({ firstName: 'Maya', lastName: 'Rivera', linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    replyId = await (await replyDelivery(h))({ key: 'queen-book-1', email: lead.email, emailId: 'e-1', text: 'Sounds interesting, tell me more about how it works.' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await database?.close();
  });

  it('shows the reply, holds the booking until confirmed, then books the slot and queues the confirmation for review', async () => {
    const deps = queenDepsFor(h.app);
    const replies = await ask(deps, 'Show the latest replies');
    expect(replies.results['replies.recent']).toMatchObject({ count: 1, replies: [{ id: replyId, class: 'interested' }] });
    expect(replies.answer).not.toContain('@');

    const slots = await ask(deps, `Free slots for reply ${replyId}`);
    const slot = (slots.results['calendar.slots'] as { slots: { at: string }[] }).slots[0]!.at;
    const outbox = async () => Number(rowsOf(await database.db.execute(sql`select count(*)::int as n from outbox`))[0]!.n);
    const sentBefore = await outbox();
    const confirmations = async () => Number(rowsOf(await database.db.execute(sql`select count(*)::int as n from drafts where status = 'pending_review' and body like '%works on my side%'`))[0]!.n);
    expect(await confirmations()).toBe(0);

    const held = await ask(deps, `Book reply ${replyId} at ${slot}`);
    expect(held.calls.find((c) => c.tool === 'calendar.book')).toMatchObject({ status: 'needs_confirmation' });
    expect(held.answer).toContain('needs confirmation');

    const booked = await ask(deps, `Book reply ${replyId} at ${slot}`, { confirm: true, by: 'Sam' });
    expect(booked.results['calendar.book']).toMatchObject({ replyId, slot, booked: true });
    expect(booked.answer).toContain('QUEEN sent nothing');
    expect(await outbox()).toBe(sentBefore);
    expect(await confirmations()).toBe(1);

    const brief = await ask(deps, `Meeting brief for reply ${replyId}`);
    expect(brief.results['meeting.brief']).toMatchObject({ count: 1, meetings: [{ replyId, slot }] });
    expect(brief.answer).toContain('Meeting brief: Maya Rivera');
  });
});
