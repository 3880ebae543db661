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

  it('puts the leads of one drain in one draft campaign, audits and records each send, and opens a new draft after a person activated it', async () => {
    for (let i = 0; i < 3; i++) await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const [first] = h.sandboxes.instantly.campaigns();
    expect(h.sandboxes.instantly.campaigns()).toHaveLength(1);
    // Created as the config says (dispatch.instantlyTimeZone, .instantlyCampaignDailyLimit, .instantlyEmailGapMinutes), through the root's wiring.
    expect(first).toMatchObject({ daily_limit: 50, email_gap: 10, campaign_schedule: { schedules: [{ timezone: 'America/Detroit' }] } });
    const sent = ((await h.db.execute(sql`select count(*)::int as n from outbox where status = 'sent'`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(sent).toBe(3);
    const audited = ((await h.db.execute(sql`select count(*)::int as n from audit_log where action = 'outbox.sent'`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(audited).toBe(3);
    // Each send's touch: the lead moves to sent, the timeline and the KPI rollup have it once (a failing touch is never allowed to fail a send, so only this shows it).
    const touches = (
      (await h.db.execute(sql`select
        (select count(*)::int from leads where status = 'sent') as sent_leads,
        (select count(*)::int from lead_events where type = 'email_sent' and source = 'operator') as events,
        (select count(*)::int from lead_milestones where type = 'email_sent') as milestones,
        (select coalesce(sum(leads), 0)::int from kpi_daily where type = 'email_sent') as rollup,
        (select count(*)::int from cadence_enrollments) as enrolled`)) as { rows: Record<string, number>[] }
    ).rows[0];
    expect(touches).toEqual({ sent_leads: 3, events: 3, milestones: 3, rollup: 3, enrolled: 3 });

    await campaignControlsFor(h.app, h.dispatch).activate(first!.id, 'Sam');
    await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });

    const campaigns = h.sandboxes.instantly.campaigns();
    expect(campaigns).toHaveLength(2);
    expect(campaigns[0]!.status).toBe(1);
    expect(campaigns[1]!.status).toBe(0);
  });

  it("a failed campaign creation (the call before the lead's) defers the item: the lead was not sent, so no person is needed", async () => {
    await h.approvedLead({ linkedin: false });
    // A 502 to the campaign creation: a POST that may have reached Instantly, but the lead was never added.
    h.sandboxes.instantly.setFailures({ status5xx: { count: 1, status: 502 }, path: '/api/v2/campaigns' });
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    expect(run.drain.items.map((i) => [i.outcome, i.reason])).toEqual([['deferred', 'PROVIDER_UNAVAILABLE']]);
    const statuses = ((await h.db.execute(sql`select status from outbox`)) as { rows: { status: string }[] }).rows.map((r) => r.status);
    expect(statuses).toEqual(['queued']);
  });
});
