import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { dispatchHarness, HARNESS_CONFIG, type Harness } from '../../support/dispatch.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const DAY_MS = 86_400_000;
/** Day 1 is the harness clock's day (Monday 2026-11-23); the day of a timestamp in cadence days. */
const DAY1 = Date.UTC(2026, 10, 23);
const dayOf = (at: Date) => Math.floor((at.getTime() - DAY1) / DAY_MS) + 1;
/** Every day is a business day here: the test is about the cadence's days, not the weekend rule. */
const EVERY_DAY = { dispatch: { ...HARNESS_CONFIG.dispatch, businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5, 6, 7] } } };

type Sent = { leadId: string; step: string; subject: string | null; body: string | null; day: number };

describe.each(STORE_KINDS)('the whole cadence reaches people: a copy per step, one step a day after an outage (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database, { config: EVERY_DAY });
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  const sentEmails = async (): Promise<Sent[]> =>
    (
      (await database.db.execute(sql`select lead_id as "leadId", step, subject, body, sent_at as "sentAt" from outbox where channel = 'instantly' and status = 'sent' order by sent_at`)) as {
        rows: (Omit<Sent, 'day'> & { sentAt: string | Date })[];
      }
    ).rows.map((r) => ({ leadId: r.leadId, step: r.step, subject: r.subject, body: r.body, day: dayOf(new Date(r.sentAt)) }));

  /** One working day of the OPERATOR at 10:00: what is due becomes a batch, a person approves it, it goes out. */
  const workDay = async () => {
    await h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' });
    const created = await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' });
    if (!created.pendingBatch) return [];
    const batch = await h.gatekeeper.show(created.pendingBatch.id);
    // What the person approves: every item with the copy it will send.
    const preview = (await h.operator.preview(batch.id)).items;
    await h.gatekeeper.approve(batch.id, 'Sam');
    const run = await h.operator.dispatch({ motion: 'cadence', live: true, batchId: batch.id, by: 'A' });
    expect(run.queued?.rejected).toEqual([]);
    return preview;
  };

  it('over 26 days with a 5-day outage (days 5-9): each e-mail step has its own copy, day 10 is no breakup, steps 7 and 8 send, never two steps a day', async () => {
    const leads = [await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false, firstName: 'Bea' })];
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const previews = [];
    for (let day = 2; day <= 30; day++) {
      h.clock.advance(DAY1 + (day - 1) * DAY_MS + 10 * 3600_000 - h.clock.now().getTime());
      if (day >= 5 && day <= 9) continue;
      previews.push(...(await workDay()).map((p) => ({ ...p, day })));
    }
    const sent = await sentEmails();
    for (const lead of leads) {
      const mine = sent.filter((s) => s.leadId === lead.leadId);
      // Step 3 (day 5) goes out when the OPERATOR is back (day 10); the later steps keep their spacing, 5 days later.
      expect(mine.map((s) => [s.step, s.day])).toEqual([
        ['initial', 1],
        ['s3', 10],
        ['s5', 15],
        ['s7', 22],
        ['s8', 26],
      ]);
      expect(new Set(mine.map((s) => s.day)).size).toBe(mine.length);
      expect(new Set(mine.map((s) => s.subject)).size).toBe(5);
      expect(new Set(mine.map((s) => s.body)).size).toBe(5);
      const [, value, proof, breakup, close] = mine;
      expect(value!.subject).toMatch(/, a quick resource$/);
      expect(value!.body).toContain('AI-readiness self-audit');
      expect(proof!.subject).toBe('A case study for Northwind Agency');
      expect(proof!.body).toContain('27 percent');
      expect(`${proof!.subject}\n${proof!.body}`).not.toMatch(/closing the loop|last note|stop writing/i);
      expect(breakup!.subject).toBe('Closing the loop / Northwind Agency');
      expect(close!.subject).toMatch(/^Last note from me, (Ann\d+|Bea)$/);
      expect(close!.body).toMatch(/Yes, a No, or a Not yet/);
    }
    // The copy is per lead: the two leads' step-8 notes name each one.
    expect(sent.filter((s) => s.step === 's8').map((s) => s.subject)).toEqual(expect.arrayContaining(['Last note from me, Bea']));
    // The batch a person approved showed the copy that then went out.
    for (const p of previews) {
      const out = sent.find((s) => s.leadId === p.leadId && s.step === p.step);
      expect(out).toBeDefined();
      expect([p.subject, p.body]).toEqual([out!.subject, out!.body]);
    }
    expect(previews.length).toBe(8);
    // Every e-mail step is done; the LinkedIn steps stay open (these leads have no profile URL), so nothing else is due.
    expect(await h.cadence.status(leads[0]!.leadId, h.clock.now())).toMatchObject({ status: 'active', completed: 5 });
    expect((await h.cadence.due(h.clock.now())).flatMap((d) => d.due)).toEqual([]);
  });

  it('a lead on both channels who accepts the invitation: every touch, e-mail or LinkedIn, on a day of its own across the outage', async () => {
    const lead = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    for (let day = 2; day <= 30; day++) {
      h.clock.advance(DAY1 + (day - 1) * DAY_MS + 10 * 3600_000 - h.clock.now().getTime());
      if (day === 3) {
        await createLeadEventStore(database.db).append({ leadId: lead.leadId, at: h.clock.now(), channel: 'linkedin', type: 'linkedin_connection_accepted', source: 'test', fromStatus: null, toStatus: null, inboxId: null, details: {} });
      }
      if (day >= 5 && day <= 9) continue;
      await workDay();
    }
    const touches = (
      (await database.db.execute(sql`select channel, step, sent_at as "sentAt" from outbox where lead_id = ${lead.leadId}::uuid and status = 'sent' order by sent_at`)) as {
        rows: { channel: string; step: string; sentAt: string | Date }[];
      }
    ).rows.map((r) => [r.channel, r.step, dayOf(new Date(r.sentAt))] as const);
    expect(touches.map(([channel, step]) => `${channel}:${step}`)).toEqual(['instantly:initial', 'heyreach:initial', 'instantly:s3', 'heyreach:s4', 'instantly:s5', 'heyreach:s6', 'instantly:s7', 'instantly:s8']);
    const days = touches.map(([, , day]) => day);
    expect(new Set(days).size).toBe(days.length);
    // Step 3 waits for the OPERATOR to come back on day 10; everything after it keeps its spacing.
    expect(touches.find(([, step]) => step === 's3')![2]).toBe(10);
    expect(await h.cadence.status(lead.leadId, h.clock.now())).toMatchObject({ status: 'completed', completed: 8 });
  });
});
