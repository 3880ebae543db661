import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyLead } from '../../../src/domain/lead.js';
import { migrationsFolder, type Database, type Db } from '../../../src/store/database.js';
import type { LeadEvent } from '../../../src/signals/ports.js';
import { createInboxStore, createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { openTestDatabase } from '../../support/store.js';

/** A timeline event is unique per (delivery, type); the inbox's claim inside a transaction is its row lock. */
describe('lead events per delivery, and the inbox claim in a transaction', () => {
  let database: Database;
  let db: Db;
  let leadId = '';
  const at = new Date('2026-11-23T10:00:00Z');
  const INBOX = '6f0c1a52-36c4-4a8e-9d8a-0a7d0f3c2b11';

  beforeEach(async () => {
    database = await openTestDatabase();
    db = database.db;
    leadId = await createSignalLeadStore(db).fromDiscovered({ source: 'rb2b', sourceId: 'v-1', profile: emptyLead({ email: 'ann.lee@northwind.example.com' }) }, 'run-1');
  });
  afterEach(async () => database.close());

  const event = (overrides: Partial<Omit<LeadEvent, 'id'>> = {}): Omit<LeadEvent, 'id'> => ({
    leadId,
    at,
    channel: 'email',
    type: 'email_opened',
    source: 'instantly',
    fromStatus: null,
    toStatus: null,
    inboxId: INBOX,
    details: {},
    ...overrides,
  });
  const count = async (query: ReturnType<typeof sql>) => Number(((await db.execute(query)) as { rows: { n: number }[] }).rows[0]!.n);
  const deliver = async (key: string) => (await createInboxStore(db).insert({ provider: 'instantly', eventType: 'email_opened', idempotencyKey: key, payload: { event_type: 'email_opened' }, receivedAt: at }))!;

  it('append inserts once per (delivery, type) and says whether it did; events without a delivery are not limited', async () => {
    const events = createLeadEventStore(db);
    expect(await events.append(event())).toBe(true);
    expect(await events.append(event({ details: { again: true } }))).toBe(false);
    expect(await events.append(event({ type: 'email_clicked' }))).toBe(true);
    expect(await events.append(event({ inboxId: null, type: 'email_sent', source: 'operator' }))).toBe(true);
    expect(await events.append(event({ inboxId: null, type: 'email_sent', source: 'operator' }))).toBe(true);
    expect(await count(sql`select count(*)::int as n from lead_events where inbox_id = ${INBOX}::uuid`)).toBe(2);
    expect(await count(sql`select count(*)::int as n from lead_events where inbox_id is null`)).toBe(2);
    expect((await events.ofDelivery(INBOX, 'email_opened'))?.details).toEqual({});
    expect(await events.ofDelivery(INBOX, 'email_replied')).toBeNull();
    // A repeat KPI event adds no milestone, and the one open counts once.
    expect(await count(sql`select coalesce(sum(leads), 0)::int as n from kpi_daily where type = 'email_opened'`)).toBe(1);
  });

  it('a repeated insert inside a transaction does not abort it (ON CONFLICT DO NOTHING, not an error)', async () => {
    await createLeadEventStore(db).append(event());
    const result = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      const again = await createLeadEventStore(tx).append(event());
      const other = await createLeadEventStore(tx).append(event({ type: 'email_replied' }));
      return { again, other };
    });
    expect(result).toEqual({ again: false, other: true });
    expect(await count(sql`select count(*)::int as n from lead_events`)).toBe(2);
  });

  it('the database refuses a second event of a type for one delivery whoever writes it', async () => {
    await createLeadEventStore(db).append(event());
    await expect(db.execute(sql`insert into lead_events (lead_id, at, channel, type, source, inbox_id) values (${leadId}::uuid, now(), 'email', 'email_opened', 'instantly', ${INBOX}::uuid)`)).rejects.toThrow();
  });

  it('migration 0016 keeps the first of the duplicates a delivery processed twice left, then adds the index', async () => {
    await db.execute(sql`drop index lead_events_inbox_type_uq`);
    for (const type of ['email_opened', 'email_opened', 'email_opened', 'email_clicked'])
      await db.execute(sql`insert into lead_events (lead_id, at, channel, type, source, inbox_id) values (${leadId}::uuid, now(), 'email', ${type}, 'instantly', ${INBOX}::uuid)`);
    await db.execute(sql`insert into lead_events (lead_id, at, channel, type, source) values (${leadId}::uuid, now(), 'email', 'email_sent', 'operator'), (${leadId}::uuid, now(), 'email', 'email_sent', 'operator')`);
    const first = await count(sql`select min(id)::int as n from lead_events where type = 'email_opened'`);
    const migration = readFileSync(path.join(migrationsFolder(), '0016_lead_events_per_delivery.sql'), 'utf8');
    for (const statement of migration.split('--> statement-breakpoint')) await db.execute(sql.raw(statement));
    expect(await count(sql`select count(*)::int as n from lead_events where inbox_id = ${INBOX}::uuid`)).toBe(2);
    expect(await count(sql`select id::int as n from lead_events where type = 'email_opened'`)).toBe(first);
    expect(await count(sql`select count(*)::int as n from lead_events where inbox_id is null`)).toBe(2);
    expect(await count(sql`select count(*)::int as n from pg_indexes where schemaname = current_schema() and indexname = 'lead_events_inbox_type_uq'`)).toBe(1);
  });

  it('take inside a transaction is the claim: a second taker waits for the outcome and finds nothing; a rollback leaves the delivery as it was', async () => {
    const id = await deliver('k-1');
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const first = db.transaction(async (transaction) => {
      const inbox = createInboxStore(transaction);
      const item = await inbox.take(id, ['pending', 'failed'], at);
      await held;
      await inbox.finish(id, 'processing', { status: 'processed', leadId: null, error: null, at });
      return item?.id ?? null;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = createInboxStore(db).take(id, ['pending', 'failed'], at);
    await new Promise((r) => setTimeout(r, 100));
    // Nobody outside the transaction sees it `processing`.
    expect((await createInboxStore(db).get(id))?.status).toBe('pending');
    release();
    expect(await first).toBe(id);
    expect(await second).toBeNull();
    expect((await createInboxStore(db).get(id))?.status).toBe('processed');

    const other = await deliver('k-2');
    await expect(
      db.transaction(async (transaction) => {
        expect(await createInboxStore(transaction as unknown as Db).take(other, ['pending', 'failed'], at)).not.toBeNull();
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect((await createInboxStore(db).get(other))?.status).toBe('pending');
  });

  it('fail records the reason unless the delivery was finished meanwhile; a failed delivery is listed for a retry for a day, and taken again', async () => {
    const inbox = createInboxStore(db);
    const id = await deliver('k-1');
    expect(await inbox.fail(id, 'boom', at)).toBe(true);
    expect(await inbox.get(id)).toMatchObject({ status: 'failed', error: 'boom' });
    expect((await inbox.failedSince(10, new Date(at.getTime() - 1000))).map((i) => i.id)).toEqual([id]);
    expect(await inbox.failedSince(10, new Date(at.getTime() + 1000))).toEqual([]);
    expect((await inbox.take(id, ['pending', 'failed'], at))?.id).toBe(id);
    expect(await inbox.finish(id, 'processing', { status: 'processed', leadId: null, error: null, at })).toBe(true);
    expect(await inbox.fail(id, 'too late', at)).toBe(false);
    expect((await inbox.get(id))?.status).toBe('processed');
  });

  it('releaseStale returns the claims it released (at or before the cut-off)', async () => {
    const inbox = createInboxStore(db);
    const old = await deliver('k-1');
    const young = await deliver('k-2');
    await inbox.claim(old, new Date(at.getTime() - 60_000));
    await inbox.claim(young, new Date(at.getTime() - 59_000));
    expect(await inbox.releaseStale(new Date(at.getTime() - 60_000))).toEqual([old]);
    expect((await inbox.get(old))?.status).toBe('pending');
    expect((await inbox.get(young))?.status).toBe('processing');
  });
});
