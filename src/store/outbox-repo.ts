import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Db } from './database.js';
import { auditLog, controlFlags, outbox } from './schema.js';
import { EMERGENCY_STOP_FLAG } from './control-repo.js';
import { dailyTotalsSql, toDailyTotals } from './daily-totals-sql.js';
import type { NewOutboxItem, OutboxItem, OutboxStore, SendRecord } from '../dispatch/ports.js';

const toItem = (r: typeof outbox.$inferSelect): OutboxItem => ({ ...r, channel: r.channel as OutboxItem['channel'], status: r.status as OutboxItem['status'], payload: r.payload ?? {} });

const EMAIL_CHANNELS = ['instantly', 'ghl'];

const dueWhere = (now: Date) => and(eq(outbox.status, 'queued'), lte(outbox.notBefore, now));
// Answers in a prospect's thread first (a person is waiting, and offered slots go stale: behind a
// day of cold e-mails they waited for the next day's quota); then oldest first; within one batch
// e-mail before LinkedIn (the original ran Instantly first), then by recipient.
// Byte order (collate "C") for the recipient: a dry run sorts its planned items the same way in code (operator.ts).
const DUE_ORDER_BY = [sql`case when ${outbox.step} = 'reply' then 0 else 1 end`, asc(outbox.createdAt), sql`case ${outbox.channel} when 'instantly' then 0 when 'ghl' then 1 else 2 end`, sql`${outbox.recipient} collate "C"`, asc(outbox.id)];
const DUE_ORDER = sql.join(DUE_ORDER_BY, sql`, `);
/** Claims a crash or an outage left in `sending` since before `claimedBefore`, and items that wait for a person (`uncertain`). */
const unresolvedWhere = (claimedBefore: Date) => or(and(eq(outbox.status, 'sending'), lt(outbox.claimedAt, claimedBefore)), eq(outbox.status, 'uncertain'));

/** Every state change is a compare-and-set on status (and the claim token), so two processes never both act. */
export const createOutboxStore = (db: Db): OutboxStore => ({
  enqueue: async (items: NewOutboxItem[]) => {
    if (items.length === 0) return { inserted: [], duplicates: [] };
    const rows = await db.transaction(async (tx) => tx.insert(outbox).values(items).onConflictDoNothing({ target: outbox.dedupKey }).returning());
    const inserted = new Set(rows.map((r) => r.dedupKey));
    return { inserted: rows.map(toItem), duplicates: items.map((i) => i.dedupKey).filter((k) => !inserted.has(k)) };
  },
  // In DUE_ORDER_BY's order (answers first, then oldest first).
  due: async (now, limit) =>
    (
      await db
        .select()
        .from(outbox)
        .where(dueWhere(now))
        .orderBy(...DUE_ORDER_BY)
        .limit(limit)
    ).map(toItem),
  // One statement (a union): a live drain's first read, what a crash left to reconcile and what is due.
  // Each part's rows carry their position in the part's order, which the union does not keep by itself.
  drainWork: async (now, limit, claimedBefore) => {
    const rows = await unionAll(
      db
        .select({ ...getTableColumns(outbox), part: sql<number>`0`.as('part'), pos: sql<number>`row_number() over (order by ${outbox.claimedAt})`.as('pos') })
        .from(outbox)
        .where(unresolvedWhere(claimedBefore)),
      db
        .select({ ...getTableColumns(outbox), part: sql<number>`1`.as('part'), pos: sql<number>`row_number() over (order by ${DUE_ORDER})`.as('pos') })
        .from(outbox)
        .where(dueWhere(now))
        .orderBy(...DUE_ORDER_BY)
        .limit(limit),
    );
    rows.sort((a, b) => Number(a.part) - Number(b.part) || Number(a.pos) - Number(b.pos));
    const item = ({ part: _part, pos: _pos, ...r }: (typeof rows)[number]) => toItem(r);
    return { unresolved: rows.filter((r) => Number(r.part) === 0).map(item), due: rows.filter((r) => Number(r.part) === 1).map(item) };
  },
  claim: async (id, token, now) =>
    (
      await db
        .update(outbox)
        .set({ status: 'sending', claimToken: token, claimedAt: now, attempts: sql`${outbox.attempts} + 1`, updatedAt: now })
        .where(and(eq(outbox.id, id), eq(outbox.status, 'queued')))
        .returning({ id: outbox.id })
    ).length === 1,
  markSent: async (id, token, providerRef, now, audit) => {
    if (!audit) {
      await db
        .update(outbox)
        .set({ status: 'sent', providerRef, sentAt: now, reason: null, updatedAt: now })
        .where(and(eq(outbox.id, id), eq(outbox.claimToken, token)));
      return;
    }
    // One statement, one round trip: the mark and its audit line commit together (or neither).
    await db.execute(sql`
      with sent as (
        update ${outbox} set status = 'sent', provider_ref = ${providerRef}, sent_at = ${now}, reason = null, updated_at = ${now}
        where id = ${id} and claim_token = ${token} returning id)
      insert into ${auditLog} (at, actor, action, entity_type, entity_id, run_id, details)
      select ${audit.at}, ${audit.actor}, ${audit.action}, ${audit.entityType}, ${audit.entityId}, ${audit.runId}, ${JSON.stringify(audit.details)}::jsonb from sent`);
  },
  markFailed: async (id, token, reason, now) => {
    await db
      .update(outbox)
      .set({ status: 'failed', reason, updatedAt: now })
      .where(and(eq(outbox.id, id), eq(outbox.claimToken, token)));
  },
  markUncertain: async (id, token, reason, now) => {
    await db
      .update(outbox)
      .set({ status: 'uncertain', reason, updatedAt: now })
      .where(and(eq(outbox.id, id), eq(outbox.claimToken, token)));
  },
  defer: async (id, notBefore, reason, token) => {
    const match = token ? and(eq(outbox.id, id), eq(outbox.claimToken, token)) : and(eq(outbox.id, id), eq(outbox.status, 'queued'));
    await db.update(outbox).set({ status: 'queued', notBefore, reason, updatedAt: new Date() }).where(match);
  },
  reject: async (id, reason) => {
    await db
      .update(outbox)
      .set({ status: 'rejected', reason, updatedAt: new Date() })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'queued')));
  },
  claimMany: async (ids, token, now) => {
    if (ids.length === 0) return new Map();
    const { rows } = (await db.execute(sql`
      with picked as (
        select p.id, p.claim_token, p.claimed_at from ${outbox} p
        where p.id = any(${sql.param(ids)}::uuid[]) and p.status = 'queued'
          and not exists (select 1 from ${controlFlags} f where f.name = ${EMERGENCY_STOP_FLAG} and f.active)
        order by p.id
        for update of p)
      update ${outbox} o set status = 'sending', claim_token = ${token}, claimed_at = ${now}, attempts = o.attempts + 1, updated_at = ${now}
      from picked where o.id = picked.id
      returning o.id, picked.claim_token as before_token, picked.claimed_at as before_at`)) as { rows: { id: string; before_token: string | null; before_at: string | Date | null }[] };
    return new Map(rows.map((r) => [r.id, { claimToken: r.before_token, claimedAt: r.before_at === null ? null : new Date(r.before_at) }]));
  },
  releaseMany: async (items, token) => {
    if (items.length === 0) return;
    await db.execute(sql`
      update ${outbox} o set status = 'queued', claim_token = v.token, claimed_at = v.at, attempts = o.attempts - 1, updated_at = ${new Date()}
      from unnest(${sql.param(items.map((i) => i.id))}::uuid[], ${sql.param(items.map((i) => i.before.claimToken))}::text[], ${sql.param(items.map((i) => i.before.claimedAt?.toISOString() ?? null))}::timestamptz[]) as v(id, token, at)
      where o.id = v.id and o.status = 'sending' and o.claim_token = ${token}`);
  },
  deferMany: async (items) => {
    if (items.length === 0) return;
    await db.execute(sql`
      update ${outbox} o set not_before = v.not_before, reason = v.reason, updated_at = ${new Date()}
      from unnest(${sql.param(items.map((i) => i.id))}::uuid[], ${sql.param(items.map((i) => i.notBefore.toISOString()))}::timestamptz[], ${sql.param(items.map((i) => i.reason))}::text[]) as v(id, not_before, reason)
      where o.id = v.id and o.status = 'queued'`);
  },
  release: async (id, token, outcome, before) => {
    const held = outcome.status === 'queued' ? { status: 'queued', notBefore: outcome.notBefore } : { status: 'rejected' };
    await db
      .update(outbox)
      .set({ ...held, reason: outcome.reason, claimToken: before.claimToken, claimedAt: before.claimedAt, attempts: sql`${outbox.attempts} - 1`, updatedAt: new Date() })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'sending'), eq(outbox.claimToken, token)));
  },
  unresolved: async (claimedBefore) => (await db.select().from(outbox).where(unresolvedWhere(claimedBefore)).orderBy(asc(outbox.claimedAt))).map(toItem),
  resolve: async (id, outcome) => {
    const from = inArray(outbox.status, ['sending', 'uncertain']);
    if (outcome.status === 'sent')
      await db
        .update(outbox)
        .set({ status: 'sent', providerRef: outcome.providerRef, sentAt: outcome.at, reason: 'reconciled: the provider has it', updatedAt: outcome.at })
        .where(and(eq(outbox.id, id), from));
    else
      await db
        .update(outbox)
        .set({ status: outcome.status, reason: outcome.reason, claimToken: null, updatedAt: new Date() })
        .where(and(eq(outbox.id, id), from));
  },
  sentSince: async (since) =>
    (
      await db
        .select({ at: sql<Date>`coalesce(${outbox.sentAt}, ${outbox.claimedAt})`, channel: outbox.channel, sender: outbox.sender, recipientDomain: outbox.recipientDomain })
        .from(outbox)
        .where(and(inArray(outbox.status, ['sent', 'sending', 'uncertain']), gte(sql`coalesce(${outbox.sentAt}, ${outbox.claimedAt})`, since)))
    ).map((r) => ({ at: new Date(r.at), channel: EMAIL_CHANNELS.includes(r.channel) ? ('email' as const) : ('linkedin' as const), sender: r.sender, recipientDomain: r.recipientDomain, provider: r.channel as SendRecord['provider'] })),
  sentCountsBetween: async (from, before) => {
    const at = sql`coalesce(${outbox.sentAt}, ${outbox.claimedAt})`;
    const rows = await db
      .select({ latest: sql<Date>`max(${at})`, n: sql<number>`count(*)::int`, channel: outbox.channel, sender: outbox.sender })
      .from(outbox)
      .where(and(inArray(outbox.status, ['sent', 'sending', 'uncertain']), gte(at, from), lt(at, before)))
      .groupBy(sql`date_trunc('day', ${at} at time zone 'UTC')`, outbox.channel, outbox.sender);
    return rows.map((r) => ({
      at: new Date(r.latest),
      count: Number(r.n),
      channel: EMAIL_CHANNELS.includes(r.channel) ? ('email' as const) : ('linkedin' as const),
      sender: r.sender,
      recipientDomain: null,
      provider: r.channel as SendRecord['provider'],
    }));
  },
  leadSendsSince: async (leadId, since) =>
    (
      await db
        .select({ channel: outbox.channel, at: sql<Date>`coalesce(${outbox.sentAt}, ${outbox.claimedAt})` })
        .from(outbox)
        .where(and(eq(outbox.leadId, leadId), inArray(outbox.status, ['sent', 'sending', 'uncertain']), gte(sql`coalesce(${outbox.sentAt}, ${outbox.claimedAt})`, since)))
    ).map((r) => ({
      channel: r.channel,
      at: new Date(r.at),
    })),
  statusCounts: async () =>
    Object.fromEntries(
      (
        await db
          .select({ status: outbox.status, n: sql<number>`count(*)::int` })
          .from(outbox)
          .groupBy(outbox.status)
      ).map((r) => [r.status, Number(r.n)]),
    ),
  /**
   * Per UTC day: items sent and failed, and e-mail sends whose lead bounced afterwards (a bounce
   * counts against the day the mail went out, which is the day the ramp judges).
   */
  dailyTotals: async (sinceDay) => toDailyTotals(((await db.execute(dailyTotalsSql(sinceDay))) as { rows: { date: string; sent: number; errors: number; bounces: number }[] }).rows),
  list: async ({ status, batchId, limit }) =>
    (
      await db
        .select()
        .from(outbox)
        .where(and(status ? eq(outbox.status, status) : undefined, batchId ? eq(outbox.batchId, batchId) : undefined))
        .orderBy(desc(outbox.updatedAt))
        .limit(limit)
    ).map(toItem),
  cancelForLead: async (leadId, reason) =>
    (
      await db
        .update(outbox)
        .set({ status: 'cancelled', reason, updatedAt: new Date() })
        .where(and(eq(outbox.leadId, leadId), eq(outbox.status, 'queued')))
        .returning({ id: outbox.id })
    ).length,
});
