import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';
import { statementsDuring } from '../../support/statements.js';

/**
 * Issue 20 item 4: once a channel-wide quota (the e-mail daily, hourly or monthly count, the LinkedIn
 * daily count) refuses an item, a live drain holds the kind's later items with the same verdict,
 * without claiming, reading or judging each one, and writes their deferral in one statement. Before,
 * every held item cost a claim, a read and a release on every drain. Through the production wiring.
 */

const HUGE = 1_000_000;
const NO_QUOTAS = { limits: { emailDailyLimit: HUGE, emailHourlyLimit: HUGE, emailMonthlyLimit: HUGE, perDomainHourlyLimit: HUGE, minDelaySeconds: 0 }, emailDailyLimit: HUGE };
const DAILY_2 = { ...NO_QUOTAS, limits: { ...NO_QUOTAS.limits, emailDailyLimit: 2 }, emailDailyLimit: 2 };

type Row = { id: string; status: string; attempts: number; claim_token: string | null; not_before: Date | string; reason: string | null; updated_at: Date | string };

describe('a channel-wide quota holds the rest of its kind in one statement (issue 20)', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  const rows = async () => ((await h.db.execute(sql`select id, status, attempts, claim_token, not_before, reason, updated_at from outbox order by created_at, recipient`)) as { rows: Row[] }).rows;

  /** `count` leads (e-mail only unless `linkedin`) in one approved batch, queued without sending (a drain limit of 0). */
  const queuedBatch = async (count: number, linkedin = false) => {
    for (let i = 0; i < count; i++) await h.approvedLead({ linkedin });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
  };

  it('the items after the first refusal are deferred as that one is: same reason and time, queued, unclaimed, attempts unchanged', async () => {
    h = await dispatchHarness(database, { gateway: DAILY_2, operator: { drainLimit: 0 } });
    await queuedBatch(6);
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(run.counts).toMatchObject({ sent: 2, deferred: 4 });
    const nextDay = '2026-11-24T00:00:00.000Z';
    expect(run.items.filter((i) => i.outcome === 'deferred').map((i) => [i.reason, i.notBefore])).toEqual(Array(4).fill(['quota_daily', nextDay]));
    const held = (await rows()).filter((r) => r.status !== 'sent');
    expect(held).toHaveLength(4);
    for (const r of held) {
      expect(r).toMatchObject({ status: 'queued', attempts: 0, claim_token: null, reason: 'quota_daily' });
      expect(new Date(r.not_before).toISOString()).toBe(nextDay);
    }
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(2);

    // The next drain the same day finds nothing due: the held items are not read or written again.
    const before = await rows();
    const again = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(again.items).toEqual([]);
    expect(await rows()).toEqual(before);

    // The next day they go, two by two, as the quota allows.
    h.clock.advance(14 * 3_600_000);
    expect((await h.gateway.drain({ dryRun: false, limit: 100 })).counts).toMatchObject({ sent: 2, deferred: 2 });
  });

  it("a drain's statements do not grow with the items a quota holds back", async () => {
    const drainOf = async (count: number) => {
      const fresh = await openTestDatabase();
      try {
        h = await dispatchHarness(fresh, { gateway: DAILY_2, operator: { drainLimit: 0 } });
        await queuedBatch(count);
        let run: Awaited<ReturnType<Harness['gateway']['drain']>> | null = null;
        const { statements } = await statementsDuring(async () => {
          run = await h.gateway.drain({ dryRun: false, limit: 100 });
        });
        return { statements, counts: run!.counts };
      } finally {
        await h.close();
        await fresh.close();
      }
    };
    const few = await drainOf(4);
    const many = await drainOf(12);
    expect(few.counts).toMatchObject({ sent: 2, deferred: 2 });
    expect(many.counts).toMatchObject({ sent: 2, deferred: 10 });
    expect(many.statements).toBe(few.statements);
  });

  it('a hold is per kind: LinkedIn items still go when the e-mail quota is spent, and the cross-channel cap still judges each', async () => {
    h = await dispatchHarness(database, { gateway: DAILY_2, operator: { drainLimit: 0 } });
    await queuedBatch(4, true);
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    const byChannel = (channel: string) => run.items.filter((i) => i.channel === channel).map((i) => `${i.outcome}:${i.reason ?? ''}`);
    expect(byChannel('instantly')).toEqual(['sent:', 'sent:', 'deferred:quota_daily', 'deferred:quota_daily']);
    // The two leads e-mailed today wait for tomorrow (cross-channel cap); the two others are invited now.
    expect(byChannel('heyreach').sort()).toEqual(['deferred:cross_channel_cap', 'deferred:cross_channel_cap', 'sent:', 'sent:']);
  });

  it('a dry run still judges every item by every guard (nothing is written, nothing is held)', async () => {
    h = await dispatchHarness(database, { gateway: DAILY_2, operator: { drainLimit: 0 } });
    await queuedBatch(4);
    const before = await rows();
    const dry = await h.gateway.drain({ dryRun: true, limit: 100 });
    expect(dry.counts).toMatchObject({ would_send: 2, deferred: 2 });
    expect(await rows()).toEqual(before);
  });
});
