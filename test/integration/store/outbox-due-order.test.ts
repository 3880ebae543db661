import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOutboxItem } from '../../../src/dispatch/ports.js';
import type { Database } from '../../../src/store/database.js';
import { createOutboxStore } from '../../../src/store/outbox-repo.js';
import { openTestDatabase } from '../../support/store.js';

/*
 * An answer in a prospect's thread goes before the day's cold e-mails: behind them it met the
 * daily quota and waited for the next day, and the slots it offered had passed by then (found by
 * `caio simulate`, docs/simulation.md).
 */
describe('the outbox: what a drain takes first', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers (step reply) first, then the oldest first, e-mail before LinkedIn', async () => {
    const outbox = createOutboxStore(database.db);
    const item = (key: string, channel: NewOutboxItem['channel'], step: string, n: number): NewOutboxItem => ({
      dedupKey: key,
      batchId: null,
      draftId: null,
      leadId: null,
      channel,
      step,
      recipient: `p${n}@c${n}.example.com`,
      recipientDomain: `c${n}.example.com`,
      tier: 'tier_1',
      subject: 's',
      body: 'b',
      payload: {},
      sender: null,
      notBefore: new Date('2026-12-01T08:00:00Z'),
      status: 'queued',
      reason: null,
    });
    await outbox.enqueue([item('cold-1', 'instantly', 'initial', 1), item('li-1', 'heyreach', 'connection', 2)]);
    await outbox.enqueue([item('cold-2', 'instantly', 'initial', 3)]);
    await outbox.enqueue([item('answer-1', 'instantly', 'reply', 4)]);
    const due = await outbox.due(new Date('2026-12-01T09:00:00Z'), 10);
    expect(due.map((d) => d.dedupKey)).toEqual(['answer-1', 'cold-1', 'li-1', 'cold-2']);
    expect((await outbox.due(new Date('2026-12-01T09:00:00Z'), 1)).map((d) => d.dedupKey)).toEqual(['answer-1']);
  });
});
