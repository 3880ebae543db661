import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { campaignControlsFor } from '../../../src/compose/operator.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * The Instantly channel keeps today's draft campaign for the length of one drain (one read per
 * campaign, not per item), never beyond it: a campaign a person activated between two drains is not
 * added to. The sent mark and its audit line are written in one statement.
 */
describe('the draft campaign kept for one drain', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  it('puts the leads of one drain in one draft campaign, audits each send, and opens a new draft after a person activated it', async () => {
    for (let i = 0; i < 3; i++) await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const [first] = h.sandboxes.instantly.campaigns();
    expect(h.sandboxes.instantly.campaigns()).toHaveLength(1);
    const sent = ((await h.db.execute(sql`select count(*)::int as n from outbox where status = 'sent'`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(sent).toBe(3);
    const audited = ((await h.db.execute(sql`select count(*)::int as n from audit_log where action = 'outbox.sent'`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(audited).toBe(3);

    await campaignControlsFor(h.app, h.dispatch).activate(first!.id, 'Sam');
    await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });

    const campaigns = h.sandboxes.instantly.campaigns();
    expect(campaigns).toHaveLength(2);
    expect(campaigns[0]!.status).toBe(1);
    expect(campaigns[1]!.status).toBe(0);
  });
});
