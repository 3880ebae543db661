import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundChannel } from '../../../src/dispatch/ports.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * Issue 22, item 3: the drain claims its next Instantly and HeyReach items a batch at a time (one
 * commit for several claims) and reads each item alone right before judging it. What a batch
 * claimed and the drain did not send (a stop, a guard that held it back, a claim grown old) goes
 * back to the queue as it was; two drains never take the same item. Through the production wiring.
 */

const HUGE = 1_000_000;
const NO_QUOTAS = { limits: { emailDailyLimit: HUGE, emailHourlyLimit: HUGE, emailMonthlyLimit: HUGE, perDomainHourlyLimit: HUGE, minDelaySeconds: 0 }, emailDailyLimit: HUGE };

type Row = { id: string; recipient: string; channel: string; status: string; attempts: number; claim_token: string | null; claimed_at: Date | string | null; reason: string | null };

describe('batched claims in the drain (issue 22)', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });

  const rows = async () => ((await h.db.execute(sql`select id, recipient, channel, status, attempts, claim_token, claimed_at, reason from outbox order by created_at, recipient`)) as { rows: Row[] }).rows;

  /** `count` leads (e-mail only unless `linkedin`) in one approved batch, queued into the outbox without sending (a drain limit of 0). */
  const queuedBatch = async (count: number, linkedin = false) => {
    for (let i = 0; i < count; i++) await h.approvedLead({ linkedin });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
  };

  it('a stop set mid-batch: the items claimed with the sent ones but not reached are queued again as they were, and the next drain sends them once', async () => {
    let delivered = 0;
    h = await dispatchHarness(database, {
      gateway: NO_QUOTAS,
      operator: { drainLimit: 0 },
      wrap: (real) => ({
        ...real,
        instantly: {
          ...real.instantly,
          deliver: async (item, now) => {
            const result = await real.instantly.deliver(item, now);
            if (++delivered === 2) await h.operator.stop('Maya', 'complaint came in');
            return result;
          },
        },
      }),
    });
    await queuedBatch(6);
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(run.stopped).toBe(true);
    expect(run.counts).toMatchObject({ sent: 2, stopped: 4 });
    const after = await rows();
    expect(after.filter((r) => r.status === 'sent')).toHaveLength(2);
    // Not one is left claimed: the four went back to queued with no trace of the batch's claim.
    expect(after.filter((r) => r.status === 'queued').map((r) => ({ attempts: r.attempts, token: r.claim_token, at: r.claimed_at }))).toEqual(Array(4).fill({ attempts: 0, token: null, at: null }));
    await h.operator.resume('Maya');
    const again = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(again.counts.sent).toBe(4);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(6);
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual(Array(6).fill(['sent', 1]));
  });

  it('a process that dies holding a batch claim: after the lease each item is reconciled with Instantly, queued again and sent once', async () => {
    h = await dispatchHarness(database, { gateway: NO_QUOTAS, operator: { drainLimit: 0 } });
    await queuedBatch(4);
    const queued = await h.outbox.due(h.clock.now(), 10);
    // It claimed all four at once, sent the first, and died before marking anything.
    expect(
      (
        await h.outbox.claimMany(
          queued.map((i) => i.id),
          'dead-process',
          h.clock.now(),
        )
      ).size,
    ).toBe(4);
    await h.real.instantly.deliver(queued[0]!, h.clock.now());
    expect((await h.gateway.drain({ dryRun: false, limit: 10 })).reconciled).toEqual([]);
    h.clock.advance(5 * 60_000);
    const run = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(run.reconciled.map((r) => r.outcome).sort()).toEqual(['deferred', 'deferred', 'deferred', 'sent']);
    expect(run.counts.sent).toBe(3);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(4);
    expect((await rows()).map((r) => r.status)).toEqual(Array(4).fill('sent'));
  });

  it('an item the guards hold back after its batch claim is released: deferred by a quota it waits queued, unclaimed, its attempts unchanged', async () => {
    h = await dispatchHarness(database, { gateway: { ...NO_QUOTAS, limits: { ...NO_QUOTAS.limits, emailDailyLimit: 2 }, emailDailyLimit: 2 }, operator: { drainLimit: 0 } });
    await queuedBatch(5);
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(run.counts).toMatchObject({ sent: 2, deferred: 3 });
    const held = (await rows()).filter((r) => r.status !== 'sent');
    expect(held).toHaveLength(3);
    for (const r of held) expect(r).toMatchObject({ status: 'queued', attempts: 0, claim_token: null, claimed_at: null });
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(2);
  });

  it("a lead's e-mail and LinkedIn items claimed in one batch: the cross-channel cap still holds the second, which goes back to the queue", async () => {
    h = await dispatchHarness(database, { gateway: NO_QUOTAS, operator: { drainLimit: 0 } });
    await queuedBatch(3, true);
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(run.counts).toMatchObject({ sent: 3, deferred: 3 });
    expect(run.items.filter((i) => i.outcome === 'deferred').map((i) => [i.channel, i.reason])).toEqual(Array(3).fill(['heyreach', 'cross_channel_cap']));
    for (const r of (await rows()).filter((x) => x.channel === 'heyreach')) expect(r).toMatchObject({ status: 'queued', attempts: 0, claim_token: null });
    expect(h.sandboxes.heyreach.stats.leadsAdded).toBe(0);
  });

  it('two drains at once over more items than one batch: every item is sent exactly once, and none is left claimed', async () => {
    h = await dispatchHarness(database, { gateway: NO_QUOTAS, operator: { drainLimit: 0 } });
    await queuedBatch(20);
    const other = h.makeOperator('test-2').gateway;
    const [a, b] = await Promise.all([h.gateway.drain({ dryRun: false, limit: 100 }), other.drain({ dryRun: false, limit: 100 })]);
    // How many each one skips depends on how far the other got before it read the queue; what each sends never overlaps.
    const sentBy = (r: typeof a) => r.items.filter((i) => i.outcome === 'sent').map((i) => i.outboxId);
    expect(new Set([...sentBy(a), ...sentBy(b)]).size).toBe(20);
    expect(a.counts.sent + b.counts.sent).toBe(20);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(20);
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual(Array(20).fill(['sent', 1]));
  });

  it('a GoHighLevel item is claimed by the statement that reads it: held back by business hours it is released as it was; two drains at once send it once', async () => {
    h = await dispatchHarness(database, { gateway: NO_QUOTAS, operator: { drainLimit: 0 } });
    const lead = await h.approvedLead({ linkedin: false });
    const domain = lead.email.split('@')[1]!;
    const payload = { firstName: 'Ann', lastName: 'Lee', companyName: 'Northwind', title: 'CEO', email: lead.email };
    const [item] = (
      await h.outbox.enqueue([
        {
          dedupKey: `ghl:${lead.leadId}:revival`,
          batchId: null,
          draftId: null,
          leadId: lead.leadId,
          channel: 'ghl',
          step: 'revival',
          recipient: lead.email,
          recipientDomain: domain,
          tier: 'tier_2',
          subject: 'Hello',
          body: 'Hello there',
          payload,
          sender: null,
          notBefore: h.clock.now(),
          status: 'queued',
          reason: null,
        },
      ])
    ).inserted;
    // Monday 20:00 UTC: outside the harness's business hours (08-18 UTC), which hold GoHighLevel sends.
    h.clock.advance(10 * 3_600_000);
    const evening = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(evening.items.map((i) => [i.outcome, i.reason])).toEqual([['deferred', 'outside_business_hours']]);
    expect((await rows())[0]).toMatchObject({ status: 'queued', attempts: 0, claim_token: null, claimed_at: null });
    // Tuesday 08:00, inside hours: two drains at once, and the claim lets it through once.
    h.clock.advance(12 * 3_600_000);
    const other = h.makeOperator('test-2').gateway;
    const [a, b] = await Promise.all([h.gateway.drain({ dryRun: false, limit: 10 }), other.drain({ dryRun: false, limit: 10 })]);
    expect(a.counts.sent + b.counts.sent).toBe(1);
    expect(h.sandboxes.ghl.stats.emailsSent).toBe(1);
    expect((await rows())[0]).toMatchObject({ id: item!.id, status: 'sent', attempts: 1 });
  });

  it('a batch claim older than a tenth of the claim lease is given back and made again before the next item goes', async () => {
    const claimLeaseMs = 120_000;
    const slow = (c: OutboundChannel): OutboundChannel => ({
      ...c,
      deliver: async (item, now) => {
        const result = await c.deliver(item, now);
        h.clock.advance(claimLeaseMs / 10);
        return result;
      },
    });
    h = await dispatchHarness(database, { gateway: { ...NO_QUOTAS, claimLeaseMs }, operator: { drainLimit: 0 }, wrap: (real) => ({ ...real, instantly: slow(real.instantly) }) });
    await queuedBatch(3);
    const started = h.clock.now().getTime();
    const run = await h.gateway.drain({ dryRun: false, limit: 100 });
    expect(run.counts.sent).toBe(3);
    const after = await rows();
    // Each item was claimed anew right before it went (a claim as old as the lease would be reconciled by another process).
    expect(after.map((r) => new Date(r.claimed_at!).getTime() - started).sort((x, y) => x - y)).toEqual([0, claimLeaseMs / 10, (2 * claimLeaseMs) / 10]);
    expect(new Set(after.map((r) => r.claim_token)).size).toBe(3);
    expect(after.map((r) => [r.status, r.attempts])).toEqual(Array(3).fill(['sent', 1]));
  });
});
