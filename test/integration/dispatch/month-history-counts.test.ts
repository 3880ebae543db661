import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operatorStatusFor } from '../../../src/compose/operator.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/*
 * Issue 22: a live drain's send ledger reads the last day's sends one by one and the month's older
 * ones as counts per day and sender (`sentCountsBetween`), so it no longer reads every send of a
 * busy month. The quotas must judge exactly as before. Through the production wiring; the harness's
 * clock is Monday 2026-11-23 10:00 UTC.
 */
const HUGE = 1_000_000;
const LIMITS = { emailDailyLimit: HUGE, emailHourlyLimit: HUGE, emailMonthlyLimit: HUGE, perDomainHourlyLimit: HUGE, minDelaySeconds: 0 };

describe("the month's older sends as counts in a drain's ledger", () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  /** `n` sends at `at` (ISO), from `sender`, on Instantly. */
  const pastSends = (n: number, at: string, sender: string | null = null) =>
    h.db.execute(sql`insert into outbox (dedup_key, lead_id, channel, step, recipient, recipient_domain, status, sent_at, claimed_at, sender, payload, not_before, created_at, updated_at)
      select 'past-' || ${at} || '-' || i, null, 'instantly', 'initial', 'old' || i || '@past.example.com', 'past.example.com', 'sent', ${at}::timestamptz, ${at}::timestamptz, ${sender}, '{}'::jsonb, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
      from generate_series(1, ${n}) i`);

  it("counts them for the monthly quota: the month's 10th e-mail is the last one the limit lets go", async () => {
    h = await dispatchHarness(database, { gateway: { limits: { ...LIMITS, emailMonthlyLimit: 10 }, emailDailyLimit: HUGE }, operator: { drainLimit: 0 } });
    await pastSends(5, '2026-11-03T09:00:00Z');
    await pastSends(3, '2026-11-20T15:00:00Z');
    await pastSends(7, '2026-10-30T09:00:00Z'); // last month: not counted
    for (let i = 0; i < 4; i++) await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(run.counts).toMatchObject({ sent: 2, deferred: 2 });
    expect(run.items.filter((i) => i.outcome === 'deferred').map((i) => i.reason)).toEqual(['quota_monthly', 'quota_monthly']);
  });

  it('reads the older part as aggregates: one record per day, channel and sender, with its count and latest time', async () => {
    h = await dispatchHarness(database);
    await pastSends(4, '2026-11-03T09:00:00Z', 'a@ours.example.com');
    await pastSends(2, '2026-11-03T11:00:00Z', 'a@ours.example.com');
    await pastSends(3, '2026-11-03T12:00:00Z', 'b@ours.example.com');
    await pastSends(1, '2026-11-22T12:00:00Z', 'a@ours.example.com'); // within the last day: not in [from, before)
    const counts = await h.outbox.sentCountsBetween(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-22T10:00:00Z'));
    expect(counts.map((c) => [c.sender, c.count, c.at.toISOString(), c.channel]).sort()).toEqual([
      ['a@ours.example.com', 6, '2026-11-03T11:00:00.000Z', 'email'],
      ['b@ours.example.com', 3, '2026-11-03T12:00:00.000Z', 'email'],
    ]);
  });

  it("the OPERATOR's status reads the month the same way: older sends as counts, the last day's one by one", async () => {
    h = await dispatchHarness(database);
    await pastSends(5, '2026-11-03T09:00:00Z');
    await pastSends(3, '2026-11-20T15:00:00Z');
    await pastSends(2, '2026-11-23T10:00:00Z'); // this hour (the clock's now)
    await pastSends(7, '2026-10-30T09:00:00Z'); // last month
    const { usage } = await operatorStatusFor(h.app)();
    expect([usage.emailThisMonth.used, usage.emailToday.used, usage.emailThisHour.used]).toEqual([10, 2, 2]);
  });

  it("a send within the last day still counts one by one: today's daily quota sees yesterday's late sends only through their own day", async () => {
    h = await dispatchHarness(database, { gateway: { limits: { ...LIMITS, emailDailyLimit: 3 }, emailDailyLimit: 3 }, operator: { drainLimit: 0 } });
    await pastSends(5, '2026-11-22T20:00:00Z'); // yesterday, within the last 24 hours
    await pastSends(2, '2026-11-23T08:00:00Z'); // today
    for (let i = 0; i < 3; i++) await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(run.counts).toMatchObject({ sent: 1, deferred: 2 });
  });
});
