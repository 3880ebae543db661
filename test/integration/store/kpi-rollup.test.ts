import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { createDashboardQueries } from '../../../src/store/dashboard-repo.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createKpiStore } from '../../../src/store/kpi-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const at = (iso: string) => new Date(iso);

describe.each(STORE_KINDS)('the KPI rollup: first events per lead, per day, campaign and angle (%s)', (kind) => {
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

  const event = (leadId: string, type: string, when: string) =>
    createLeadEventStore(database.db).append({ leadId, type, at: at(when), channel: type.startsWith('linkedin') ? 'linkedin' : 'email', source: 'test', fromStatus: null, toStatus: null, inboxId: null, details: {} });

  it('counts each lead once per event type, on the day it first happened, under its campaign and angle', async () => {
    const a = await h.approvedLead();
    const b = await h.approvedLead();
    const c = await h.approvedLead();
    const old = await h.approvedLead();
    for (const lead of [a, b, c]) await event(lead.leadId, 'email_sent', '2026-11-20T09:00:00Z');
    await event(old.leadId, 'email_sent', '2026-09-01T09:00:00Z');
    await event(a.leadId, 'email_opened', '2026-11-21T09:00:00Z');
    await event(a.leadId, 'email_opened', '2026-11-22T09:00:00Z');
    await event(b.leadId, 'email_opened', '2026-11-22T23:59:00Z');
    await event(a.leadId, 'email_replied', '2026-11-23T08:00:00Z');
    await event(c.leadId, 'email_bounced', '2026-11-20T09:05:00Z');
    await event(c.leadId, 'lead_status_changed', '2026-11-20T09:05:00Z');
    // Issue 17: one meeting booked out of two replies (one per channel): a reply-to-meeting rate of 1 of 2.
    await event(b.leadId, 'linkedin_replied', '2026-11-22T10:00:00Z');
    await event(a.leadId, 'meeting_booked', '2026-11-23T09:00:00Z');
    await event(a.leadId, 'meeting_booked', '2026-11-23T10:00:00Z');

    const kpis = await createDashboardQueries(database.db).kpis(at('2026-11-01T00:00:00Z'), at('2026-11-23T12:00:00Z'));
    expect(kpis.counts).toMatchObject({ emailSent: 3, emailOpened: 2, emailReplied: 1, emailBounced: 1, linkedinReplied: 1, meetingsBooked: 1 });
    expect(kpis.rates).toEqual({ open: 0.6667, reply: 0.3333, bounce: 0.3333, linkedinAccept: null, replyToMeeting: 0.5 });
    // One point per day of the window, the rates over the trailing 7 days ending that day.
    expect(kpis.perDay).toHaveLength(23);
    expect(kpis.perDay.slice(-4).map((d) => [d.day, d.counts.emailSent, d.counts.emailOpened, d.rates.open])).toEqual([
      ['2026-11-20', 3, 0, 0],
      ['2026-11-21', 0, 1, 0.3333],
      ['2026-11-22', 0, 1, 0.6667],
      ['2026-11-23', 0, 0, 0.6667],
    ]);
    expect(kpis.perDay[0]!.rates.open).toBeNull();
    const [campaign, angle] = (
      (await database.db.execute(sql`select s.recommended_campaign as c, d.angle_id as a from scores s join drafts d on d.lead_id = s.lead_id where s.lead_id = ${a.leadId}`)) as { rows: { c: string; a: string }[] }
    ).rows.map((r) => [r.c, r.a])[0]!;
    expect(kpis.perCampaign.find((p) => p.campaign === campaign)?.counts.emailSent).toBeGreaterThanOrEqual(1);
    expect(kpis.perAngle.find((p) => p.angle === angle)?.counts.emailSent).toBeGreaterThanOrEqual(1);
    expect(kpis.perCampaign.find((p) => p.campaign === campaign)?.counts.meetingsBooked).toBe(1);
    expect(kpis.perAngle.find((p) => p.angle === angle)?.counts.meetingsBooked).toBe(1);
    expect(kpis.perCampaign.reduce((n, p) => n + p.counts.meetingsBooked, 0)).toBe(1);
    expect(kpis.perCampaign.reduce((n, p) => n + p.counts.emailSent, 0)).toBe(3);
    expect(kpis.perAngle.reduce((n, p) => n + p.counts.emailSent, 0)).toBe(3);

    // The older send is outside the window but counts when the window reaches it.
    expect((await createDashboardQueries(database.db).kpis(at('2026-08-01T00:00:00Z'), at('2026-11-23T12:00:00Z'))).counts.emailSent).toBe(4);
  });

  it('agrees with a rebuild from the whole timeline, and an erased lead leaves only counts behind', async () => {
    const a = await h.approvedLead();
    const b = await h.approvedLead();
    await event(a.leadId, 'email_sent', '2026-11-20T09:00:00Z');
    await event(b.leadId, 'linkedin_connection_sent', '2026-11-20T10:00:00Z');
    await event(b.leadId, 'linkedin_connection_accepted', '2026-11-21T10:00:00Z');
    await event(b.leadId, 'linkedin_connection_accepted', '2026-11-22T10:00:00Z');
    const store = createKpiStore(database.db);
    const live = await store.since('2026-01-01');
    expect(await store.rebuild()).toEqual({ milestones: 3 });
    expect(await store.since('2026-01-01')).toEqual(live);
    expect((await createDashboardQueries(database.db).kpis(at('2026-11-01T00:00:00Z'), at('2026-11-23T12:00:00Z'))).rates.linkedinAccept).toBe(1);

    await database.db.execute(sql`delete from leads where id = ${b.leadId}`);
    const left = (await database.db.execute(sql`select count(*)::int as n from lead_milestones where lead_id = ${b.leadId}`)) as { rows: { n: number }[] };
    expect(Number(left.rows[0]!.n)).toBe(0);
    expect((await store.since('2026-01-01')).reduce((n, r) => n + r.leads, 0)).toBe(3);
  });
});
