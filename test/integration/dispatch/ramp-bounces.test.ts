import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

describe.each(STORE_KINDS)('the ramp sees bounces: a send day with a bounced e-mail is not clean (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  it('counts a bounce that came after an e-mail against the day it was sent, and not one from before', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const b = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Maya' });
    const events = createLeadEventStore(database.db);
    const bounce = (leadId: string, at: Date) => events.append({ leadId, at, channel: 'email', type: 'email_bounced', source: 'instantly', fromStatus: null, toStatus: null, inboxId: null, details: {} });
    await bounce(b.leadId, new Date('2026-11-20T10:00:00Z'));
    expect(await h.outbox.dailyTotals('2026-11-01')).toEqual([{ date: '2026-11-23', sent: 2, errors: 0, bounces: 0 }]);
    await bounce(a.leadId, new Date('2026-11-24T08:00:00Z'));
    expect(await h.outbox.dailyTotals('2026-11-01')).toEqual([{ date: '2026-11-23', sent: 2, errors: 0, bounces: 1 }]);
  });
});
