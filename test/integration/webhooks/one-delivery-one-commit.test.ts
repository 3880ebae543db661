import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInboxProcessor, type DeliveryStores, type InboxProcessor } from '../../../src/signals/process-inbox.js';
import { deliveryStoresFor, PAYLOAD_READERS, transactionalUnit } from '../../../src/compose/signals.js';
import type { Database, Db } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { contractFixture } from '../../support/contracts.js';
import { CADENCE, dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase, testDatabaseUrl } from '../../support/store.js';

/**
 * "Safe to run live", the crash finding and item 3: processing one delivery (status, timeline,
 * suppression, cadence exit, cancelled sends, inbox outcome) commits as one; a timeline event is
 * unique per (delivery, type); side effects follow from the event, so a replay still suppresses and
 * cancels; a claim left by a worker that died is taken again within a minute.
 */
describe('one delivery, one commit', () => {
  let database: Database;
  let h: Harness;
  let db: Db;
  let n = 0;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    db = database.db;
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  /** The processor as the app wires it (compose.ts): one transaction per delivery; `wrap` injects a failure into one step. */
  const processorWith = (wrap: (stores: DeliveryStores, tx: Db) => DeliveryStores = (s) => s): InboxProcessor =>
    createInboxProcessor({ inbox: createInboxStore(db), clock: h.clock, log: silentLog, payloadReaders: PAYLOAD_READERS, unitOfWork: transactionalUnit(db, (tx) => wrap(deliveryStoresFor(tx, CADENCE), tx)) });

  const deliver = async (fixture: string, overrides: Record<string, unknown>) => {
    const payload = { ...(contractFixture('instantly', fixture).request.body as Record<string, unknown>), ...overrides };
    const id = await createInboxStore(db).insert({ provider: 'instantly', eventType: String(payload.event_type), idempotencyKey: `k-${++n}`, payload, receivedAt: h.clock.now() });
    return id!;
  };
  const rows = async <T>(query: ReturnType<typeof sql>) => ((await db.execute(query)) as { rows: T[] }).rows;
  const eventsOf = (inboxId: string) => rows<{ type: string; from_status: string | null; to_status: string | null }>(sql`select type, from_status, to_status from lead_events where inbox_id = ${inboxId}::uuid order by id`);
  const statusMoves = async (leadId: string) => (await rows<{ n: number }>(sql`select count(*)::int as n from lead_events where lead_id = ${leadId}::uuid and source = 'instantly' and to_status is not null`))[0]!.n;
  const statusOf = async (leadId: string) => (await rows<{ status: string }>(sql`select status from leads where id = ${leadId}::uuid`))[0]!.status;
  const inboxOf = async (id: string) => (await rows<{ status: string; error: string | null }>(sql`select status, error from webhook_inbox where id = ${id}::uuid`))[0]!;
  const queuedFor = async (leadId: string) => (await rows<{ n: number }>(sql`select count(*)::int as n from outbox where lead_id = ${leadId}::uuid and status = 'queued'`))[0]!.n;
  /** A lead with sends queued for it (approved, batched, queued, not sent). */
  const leadWithQueuedSends = async () => {
    const lead = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    await h.makeOperator('queue-only', { drainLimit: 0 }).operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    expect(await queuedFor(lead.leadId)).toBeGreaterThan(0);
    return lead;
  };
  /** A lead who was sent the intro, so enrolled in the cadence. */
  const enrolledLead = async () => {
    const lead = await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    expect((await h.cadence.status(lead.leadId, h.clock.now()))?.status).toBe('active');
    return lead;
  };

  it('(a) the same delivery processed by two workers at once, then replayed, is one timeline event and one status move', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const id = await deliver('webhook.email_opened.json', { lead_email: a.email, email_id: 'open-race' });
    const [one, two] = [processorWith(), processorWith()];
    const outcomes = await Promise.all([one.process(id), two.process(id), one.process(id)]);
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(1);
    expect(await statusOf(a.leadId)).toBe('opened');
    // A replay (an operator's, or a sweep's after a crash) adds nothing: a second open would lift the lead to engaged_not_replied.
    expect(await one.replay(id)).toBe('processed');
    expect(await Promise.all([one.replay(id), two.replay(id)])).toContain('processed');
    expect(await eventsOf(id)).toEqual([{ type: 'email_opened', from_status: expect.any(String), to_status: 'opened' }]);
    expect(await statusMoves(a.leadId)).toBe(1);
    expect(await statusOf(a.leadId)).toBe('opened');
    expect((await inboxOf(id)).status).toBe('processed');
  });

  it('(b) a failure after the event insert (cancelling the queued sends) leaves nothing: no event, no status, no suppression, the delivery claimable; the retry does it all', async () => {
    const a = await leadWithQueuedSends();
    const before = await statusOf(a.leadId);
    const id = await deliver('webhook.lead_unsubscribed.json', { lead_email: a.email });
    const failing = processorWith((s) => ({
      ...s,
      cancelOutbound: async () => {
        throw new Error('the outbox is unreachable');
      },
    }));
    expect(await failing.process(id)).toBe('failed');
    expect(await eventsOf(id)).toEqual([]);
    expect(await statusOf(a.leadId)).toBe(before);
    expect(await h.stores.suppressions.isSuppressed(a.email)).toBe(false);
    expect(await queuedFor(a.leadId)).toBeGreaterThan(0);
    const row = await inboxOf(id);
    expect(['pending', 'failed']).toContain(row.status);
    expect(row.error).toMatch(/outbox is unreachable/);
    // The sweep (every minute) retries it: everything happens, once.
    h.clock.advance(60_000);
    expect(await processorWith().processPending(1000, new Date(h.clock.now().getTime() - 120_000))).toBe(1);
    expect((await inboxOf(id)).status).toBe('processed');
    expect(await eventsOf(id)).toHaveLength(1);
    expect(await statusOf(a.leadId)).toBe('unsubscribed');
    expect(await h.stores.suppressions.isSuppressed(a.email)).toBe(true);
    expect(await queuedFor(a.leadId)).toBe(0);
  });

  it('(b) a failure at the cadence exit leaves the status and the event uncommitted; a retry of the delivery completes it', async () => {
    const a = await enrolledLead();
    const id = await deliver('webhook.reply_received.json', { lead_email: a.email, email_id: 'reply-1', timestamp: h.clock.now().toISOString(), reply_text: 'Yes, interested, let us talk.' });
    const failing = processorWith((s) => ({
      ...s,
      cadence: {
        ...s.cadence!,
        onSignal: async () => {
          throw new Error('cadence store timed out');
        },
      },
    }));
    expect(await failing.process(id)).toBe('failed');
    expect(await eventsOf(id)).toEqual([]);
    expect(await statusOf(a.leadId)).toBe('sent');
    expect((await h.cadence.status(a.leadId, h.clock.now()))?.status).toBe('active');
    expect(await processorWith().process(id)).toBe('processed');
    expect(await eventsOf(id)).toEqual([{ type: 'email_replied', from_status: 'sent', to_status: 'replied' }]);
    expect(await h.cadence.status(a.leadId, h.clock.now())).toMatchObject({ status: 'exited', exitReason: 'replied' });
  });

  it('(b) the connection killed mid-transaction (the crash finding): nothing commits, the delivery is not left in processing, the retry completes it', async () => {
    const a = await leadWithQueuedSends();
    const id = await deliver('webhook.lead_unsubscribed.json', { lead_email: a.email });
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      const killed = processorWith((s, tx) => ({
        ...s,
        cancelOutbound: async (leadId, reason) => {
          const [{ pid }] = ((await tx.execute(sql`select pg_backend_pid() as pid`)) as { rows: { pid: number }[] }).rows as [{ pid: number }];
          await admin.query('select pg_terminate_backend($1)', [pid]);
          await new Promise((r) => setTimeout(r, 200));
          return s.cancelOutbound(leadId, reason);
        },
      }));
      expect(await killed.process(id)).toBe('failed');
    } finally {
      await admin.end();
    }
    expect(await eventsOf(id)).toEqual([]);
    expect(await h.stores.suppressions.isSuppressed(a.email)).toBe(false);
    expect(['pending', 'failed']).toContain((await inboxOf(id)).status);
    expect(await processorWith().process(id)).toBe('processed');
    expect(await statusOf(a.leadId)).toBe('unsubscribed');
    expect(await h.stores.suppressions.isSuppressed(a.email)).toBe(true);
    expect(await queuedFor(a.leadId)).toBe(0);
  });

  it('(c) an unsubscribe replayed after its event exists still ensures the suppression and cancels what is queued, without a second event', async () => {
    const a = await leadWithQueuedSends();
    const id = await deliver('webhook.lead_unsubscribed.json', { lead_email: a.email });
    const processor = processorWith();
    expect(await processor.process(id)).toBe('processed');
    expect(await statusOf(a.leadId)).toBe('unsubscribed');
    // The side effects lost (an older version crashed after the event; a person re-queued a send by hand).
    await db.execute(sql`delete from suppressions`);
    await db.execute(sql`update outbox set status = 'queued', reason = null where lead_id = ${a.leadId}::uuid`);
    expect(await processor.replay(id)).toBe('processed');
    expect(await h.stores.suppressions.isSuppressed(a.email)).toBe(true);
    expect(await queuedFor(a.leadId)).toBe(0);
    expect(await eventsOf(id)).toHaveLength(1);
    expect(await statusMoves(a.leadId)).toBe(1);
    expect(await statusOf(a.leadId)).toBe('unsubscribed');
  });

  it('(d) a claim left by a worker that died is processed again by the sweep within 60 s', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const id = await deliver('webhook.email_opened.json', { lead_email: a.email, email_id: 'open-dead' });
    // A worker claims it and dies (never finishes).
    expect(await createInboxStore(db).claim(id, h.clock.now())).toBe(true);
    const processor = processorWith();
    expect(await processor.process(id)).toBe('skipped');
    const sweep = () => processor.processPending(1000, new Date(h.clock.now().getTime() - 120_000));
    h.clock.advance(30_000);
    expect(await sweep()).toBe(0);
    expect((await inboxOf(id)).status).toBe('processing');
    h.clock.advance(30_000);
    expect(await sweep()).toBe(1);
    expect((await inboxOf(id)).status).toBe('processed');
    expect(await eventsOf(id)).toHaveLength(1);
    expect(await statusOf(a.leadId)).toBe('opened');
  });
});
