import { and, asc, desc, eq, gte, inArray, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { isKpiEvent } from '../domain/kpis/kpi-events.js';
import { kpiMilestoneOf, recordKpiMilestones } from './kpi-repo.js';
import type { DecayQuery, InboxItem, InboxStore, LeadEvent, LeadEventStore, StoredDelivery } from '../signals/ports.js';
import { leadEvents, webhookInbox } from './schema.js';

/** The body as received: storable text, and the exact bytes (base64) when the text is not them. */
export type InboxRawBody = { text: string; base64: string | null };

/** One delivery as the door stores it (see `insert`). */
export type InboxInsertInput = {
  provider: string;
  eventType: string;
  idempotencyKey: string;
  payload: unknown;
  receivedAt: Date;
  status?: 'pending' | 'ignored';
  reason?: string | null;
  raw?: InboxRawBody | null;
  signal?: unknown;
};

/**
 * The inbox: the signal loop's port (signals/ports.ts), and besides it what the door writes
 * (`insert`), what the CLI reads (`get`, `raw`, `list`) and a claim committed on its own (`claim`).
 */
export type InboxRepo = InboxStore & {
  insert(input: InboxInsertInput): Promise<string | null>;
  get(id: string): Promise<StoredDelivery | null>;
  raw(id: string): Promise<InboxRawBody | null>;
  list(limit: number, status?: string): Promise<InboxItem[]>;
  claim(id: string, at: Date): Promise<boolean>;
};

const item = {
  id: webhookInbox.id,
  provider: webhookInbox.provider,
  eventType: webhookInbox.eventType,
  idempotencyKey: webhookInbox.idempotencyKey,
  payload: webhookInbox.payload,
  receivedAt: webhookInbox.receivedAt,
  status: webhookInbox.status,
  leadId: webhookInbox.leadId,
  error: webhookInbox.error,
  processedAt: webhookInbox.processedAt,
  flags: webhookInbox.flags,
};
const delivery = { ...item, signal: webhookInbox.signal };

/**
 * Claim for processing (`processing`, the claim time in processed_at) up to `limit` deliveries
 * matching `where`, oldest first, in one statement. Rows another worker's transaction holds are
 * left to it (SKIP LOCKED), not waited for.
 */
const claimWhere = (db: Db, where: SQL, limit: number, at: Date): Promise<StoredDelivery[]> =>
  db
    .update(webhookInbox)
    .set({ status: 'processing', processedAt: at })
    .where(inArray(webhookInbox.id, db.select({ id: webhookInbox.id }).from(webhookInbox).where(where).orderBy(asc(webhookInbox.receivedAt)).limit(limit).for('update', { skipLocked: true })))
    .returning(delivery);

export const createInboxStore = (db: Db): InboxRepo => ({
  /**
   * Insert unless this delivery was seen before; null for a duplicate. `status: 'ignored'` keeps a
   * delivery that will not be processed, with its `reason`; `payload` undefined or null is stored
   * as JSON null (a body that was not JSON); `raw` keeps the body as received; `signal` is the
   * provider's normalised reading of it, kept beside the payload for the processor.
   */
  insert: async (input: InboxInsertInput): Promise<string | null> => {
    const { status, reason, raw, payload, signal, ...rest } = input;
    const values = {
      ...rest,
      payload: payload === null || payload === undefined ? sql`'null'::jsonb` : payload,
      signal: signal ?? null,
      status: status ?? 'pending',
      error: reason ?? null,
      rawBody: raw?.text ?? null,
      rawBase64: raw?.base64 ?? null,
      ...(status === 'ignored' ? { processedAt: input.receivedAt } : {}),
    };
    const [row] = await db
      .insert(webhookInbox)
      .values(values)
      .onConflictDoNothing({ target: [webhookInbox.provider, webhookInbox.idempotencyKey] })
      .returning({ id: webhookInbox.id });
    return row?.id ?? null;
  },
  get: async (id: string): Promise<StoredDelivery | null> => {
    const [row] = await db.select(delivery).from(webhookInbox).where(eq(webhookInbox.id, id)).limit(1);
    return row ?? null;
  },
  /** The body as received, when it was kept (ignored deliveries, and those whose payload had to be made storable). */
  raw: async (id: string): Promise<InboxRawBody | null> => {
    const [row] = await db.select({ text: webhookInbox.rawBody, base64: webhookInbox.rawBase64 }).from(webhookInbox).where(eq(webhookInbox.id, id)).limit(1);
    return row?.text === null || row?.text === undefined ? null : { text: row.text, base64: row.base64 };
  },
  /** Back to pending, for a deliberate replay. */
  reset: async (id: string): Promise<boolean> => (await db.update(webhookInbox).set({ status: 'pending', error: null, processedAt: null, flags: null }).where(eq(webhookInbox.id, id)).returning({ id: webhookInbox.id })).length === 1,
  /** Oldest first; `receivedBefore`: only deliveries that have waited since before then. */
  pending: async (limit: number, receivedBefore?: Date): Promise<InboxItem[]> =>
    db
      .select(item)
      .from(webhookInbox)
      .where(receivedBefore ? and(eq(webhookInbox.status, 'pending'), lt(webhookInbox.receivedAt, receivedBefore)) : eq(webhookInbox.status, 'pending'))
      .orderBy(asc(webhookInbox.receivedAt))
      .limit(limit),
  list: async (limit: number, status?: string): Promise<InboxItem[]> =>
    db
      .select(item)
      .from(webhookInbox)
      .where(status ? eq(webhookInbox.status, status) : undefined)
      .orderBy(desc(webhookInbox.receivedAt))
      .limit(limit),
  /**
   * Take a pending delivery for processing (compare-and-set), committed on its own: of two workers
   * handed the same delivery, one processes it. The claim time goes in processed_at until the outcome
   * replaces it. The processor takes deliveries with `take` inside its transaction instead; this stays
   * for a claim that outlives one statement (and tests that simulate a worker dying after it).
   */
  claim: async (id: string, at: Date): Promise<boolean> =>
    (
      await db
        .update(webhookInbox)
        .set({ status: 'processing', processedAt: at })
        .where(and(eq(webhookInbox.id, id), eq(webhookInbox.status, 'pending')))
        .returning({ id: webhookInbox.id })
    ).length === 1,
  /**
   * Take the delivery if it is in one of `from` (compare-and-set), and return it. Called with a
   * transaction, the claim is that transaction's row lock: a second taker waits for its outcome and
   * then finds nothing to take; a rollback (a crash, a lost connection) leaves the delivery as it was,
   * so no `processing` row is ever left behind.
   */
  take: async (id: string, from: readonly string[], at: Date): Promise<StoredDelivery | null> => {
    const [row] = await db
      .update(webhookInbox)
      .set({ status: 'processing', processedAt: at })
      .where(and(eq(webhookInbox.id, id), inArray(webhookInbox.status, [...from])))
      .returning(delivery);
    return row ?? null;
  },
  /** `take` for many deliveries in one statement (set-based processing): the ones still takeable, in no particular order. */
  takeMany: async (ids: readonly string[], from: readonly string[], at: Date): Promise<StoredDelivery[]> =>
    ids.length === 0 ? [] : claimWhere(db, and(inArray(webhookInbox.id, [...ids]), inArray(webhookInbox.status, [...from]))!, ids.length, at),
  /** A delivery's status alone (null when it is gone): a job whose delivery another batch took returns at once. */
  statusOf: async (id: string): Promise<string | null> => (await db.select({ status: webhookInbox.status }).from(webhookInbox).where(eq(webhookInbox.id, id)).limit(1))[0]?.status ?? null,
  /**
   * A delivery's own job claiming it together with the oldest deliveries waiting (a burst), `limit`
   * in all: rows another worker holds are skipped (SKIP LOCKED), so concurrent jobs take different
   * deliveries instead of queueing on the same ones. Oldest first. Every row claimed is returned:
   * the caller finishes each (a claimed row left out would stay `processing`).
   */
  takeWithWaiting: async (id: string, limit: number, from: readonly string[], at: Date): Promise<StoredDelivery[]> => {
    const take = (where: SQL, n: number) => claimWhere(db, where, n, at);
    const own = await take(and(eq(webhookInbox.id, id), inArray(webhookInbox.status, [...from]))!, 1);
    const waiting = limit > own.length ? await take(and(eq(webhookInbox.status, 'pending'), ne(webhookInbox.id, id))!, limit - own.length) : [];
    return [...own, ...waiting].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  },
  /** `finish` for many deliveries in one statement; returns how many were still in `from`. */
  finishMany: async (outcomes: readonly { id: string; status: 'processed' | 'unknown_lead' | 'ignored'; leadId: string | null; error: string | null; flags?: readonly string[] }[], from: string, at: Date): Promise<number> => {
    if (outcomes.length === 0) return 0;
    const rows = JSON.stringify(outcomes.map((o) => ({ id: o.id, status: o.status, lead_id: o.leadId, error: o.error, flags: o.flags?.length ? o.flags : null })));
    const result = await db.execute(sql`update webhook_inbox w set status = v.status, lead_id = v.lead_id, error = v.error, processed_at = ${at}, flags = v.flags
      from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, status text, lead_id uuid, error text, flags text[])
      where w.id = v.id and w.status = ${from}`);
    return (result as { rowCount: number | null }).rowCount ?? 0;
  },
  /** Claims taken at or before `claimedBefore` belong to a worker that died: back to pending (their ids), to be processed again. */
  releaseStale: async (claimedBefore: Date): Promise<string[]> =>
    (
      await db
        .update(webhookInbox)
        .set({ status: 'pending', processedAt: null })
        .where(and(eq(webhookInbox.status, 'processing'), lte(webhookInbox.processedAt, claimedBefore)))
        .returning({ id: webhookInbox.id })
    ).map((r) => r.id),
  /** Deliveries whose processing failed, received since `receivedSince` (oldest first): retried by the sweep. */
  failedSince: async (limit: number, receivedSince: Date): Promise<InboxItem[]> =>
    db
      .select(item)
      .from(webhookInbox)
      .where(and(eq(webhookInbox.status, 'failed'), gte(webhookInbox.receivedAt, receivedSince)))
      .orderBy(asc(webhookInbox.receivedAt))
      .limit(limit),
  /**
   * Processing failed (its transaction rolled back): `failed` with the reason, unless another worker
   * has finished it meanwhile. A failed delivery is taken again like a pending one (the sweep retries it).
   */
  fail: async (id: string, error: string, at: Date): Promise<boolean> =>
    (
      await db
        .update(webhookInbox)
        .set({ status: 'failed', leadId: null, error, processedAt: at, flags: null })
        .where(and(eq(webhookInbox.id, id), inArray(webhookInbox.status, ['pending', 'processing', 'failed'])))
        .returning({ id: webhookInbox.id })
    ).length === 1,
  /** Record the outcome, only if still in the state the processor read (no double processing). `error` is the reason for `ignored`. */
  finish: async (id: string, from: string, outcome: { status: 'processed' | 'unknown_lead' | 'ignored' | 'failed'; leadId: string | null; error: string | null; at: Date; flags?: readonly string[] }): Promise<boolean> =>
    (
      await db
        .update(webhookInbox)
        .set({ status: outcome.status, leadId: outcome.leadId, error: outcome.error, processedAt: outcome.at, flags: outcome.flags?.length ? [...outcome.flags] : null })
        .where(and(eq(webhookInbox.id, id), eq(webhookInbox.status, from)))
        .returning({ id: webhookInbox.id })
    ).length === 1,
});

/** A KPI event and, when it is the lead's first of its type, its milestone and the day's counter: one statement. */
const appendWithMilestone = async (db: Db, event: Omit<LeadEvent, 'id'>): Promise<number> => {
  const result = (await db.execute(sql`with ev as (
      insert into ${leadEvents} (lead_id, at, channel, type, source, from_status, to_status, inbox_id, details)
      values (${event.leadId}::uuid, ${event.at}::timestamptz, ${event.channel}, ${event.type}, ${event.source}, ${event.fromStatus}, ${event.toStatus}, ${event.inboxId}::uuid, ${JSON.stringify(event.details)}::jsonb)
      on conflict (inbox_id, type) where inbox_id is not null do nothing
      returning lead_id, type, at),
    ${kpiMilestoneOf(sql`ev`)}
    select count(*)::int as inserted from ev`)) as { rows: { inserted: number }[] };
  return Number(result.rows[0]?.inserted ?? 0);
};

const insertEvent = (executor: Db, event: Omit<LeadEvent, 'id'>) =>
  executor
    .insert(leadEvents)
    .values(event)
    .onConflictDoNothing({ target: [leadEvents.inboxId, leadEvents.type], where: sql`inbox_id is not null` })
    .returning({ id: leadEvents.id });

export const createLeadEventStore = (
  db: Db,
  options: { /** `db` is a transaction already (a unit of work): no savepoint of its own. */ inTransaction?: boolean } = {},
): LeadEventStore & { ofDelivery: (inboxId: string, type: string) => Promise<LeadEvent | null> } => ({
  /**
   * The event, and in the same transaction its KPI milestone when it is the lead's first of its type.
   * An event read from a webhook delivery is recorded once per (delivery, type): a second insert does
   * nothing (ON CONFLICT DO NOTHING, so a surrounding transaction is not aborted) and returns false.
   */
  append: async (event: Omit<LeadEvent, 'id'>): Promise<boolean> => {
    if (options.inTransaction) {
      // Commits or rolls back with the surrounding unit of work; a KPI event with its milestone in one statement.
      if (isKpiEvent(event.type)) return (await appendWithMilestone(db, event)) === 1;
      return (await insertEvent(db, event)).length === 1;
    }
    if (!isKpiEvent(event.type)) return (await insertEvent(db, event)).length === 1;
    // The event and its milestone in one statement (atomic on its own): one round trip, not four.
    return (await appendWithMilestone(db, event)) === 1;
  },
  /**
   * Many events in one statement, with their KPI milestones in a second (set-based processing, in a
   * unit of work). Returns how many were inserted: fewer than given means another worker recorded
   * one of them meanwhile, and the caller rolls the whole unit back.
   */
  appendMany: async (events: readonly Omit<LeadEvent, 'id'>[]): Promise<number> => {
    if (events.length === 0) return 0;
    const inserted = await db
      .insert(leadEvents)
      .values([...events])
      .onConflictDoNothing({ target: [leadEvents.inboxId, leadEvents.type], where: sql`inbox_id is not null` })
      .returning({ id: leadEvents.id });
    const kpi = events.filter((e) => isKpiEvent(e.type));
    if (kpi.length) await recordKpiMilestones(db, kpi);
    return inserted.length;
  },
  /** The event already recorded for this delivery and type, if any. */
  ofDelivery: async (inboxId: string, type: string): Promise<LeadEvent | null> => {
    const [row] = await db
      .select()
      .from(leadEvents)
      .where(and(eq(leadEvents.inboxId, inboxId), eq(leadEvents.type, type)))
      .limit(1);
    return row ? { ...row, details: row.details as Record<string, unknown> } : null;
  },
  /**
   * In one round trip (it runs per webhook delivery): whether this delivery already has its event of
   * this type (a replay), and what the status machine needs of the lead's timeline (see stateOf).
   */
  deliveryState: async (inboxId: string, type: string, leadId: string): Promise<{ recorded: boolean; lastEventAt: Date | null; opens: number }> => {
    const [row] = await db
      .select({
        recorded: sql<boolean>`exists (select 1 from ${leadEvents} where ${leadEvents.inboxId} = ${inboxId} and ${leadEvents.type} = ${type})`,
        last: sql<string | null>`max(${leadEvents.at})`,
        opens: sql<number>`count(*) filter (where ${leadEvents.type} = 'email_opened')::int`,
      })
      .from(leadEvents)
      .where(eq(leadEvents.leadId, leadId));
    return { recorded: Boolean(row?.recorded), lastEventAt: row?.last ? new Date(row.last) : null, opens: Number(row?.opens ?? 0) };
  },
  /**
   * `deliveryState` for many deliveries in one round trip: which (delivery, type) pairs have their
   * event already (replays), and per lead the timeline state the status machine needs.
   */
  deliveryStates: async (items: readonly { inboxId: string; type: string; leadId: string }[]): Promise<{ recorded: Set<string>; leads: Map<string, { lastEventAt: Date | null; opens: number }> }> => {
    const recorded = new Set<string>();
    const leads = new Map<string, { lastEventAt: Date | null; opens: number }>();
    if (items.length === 0) return { recorded, leads };
    const input = JSON.stringify(items.map((i) => ({ inbox_id: i.inboxId, type: i.type })));
    const leadIds = JSON.stringify([...new Set(items.map((i) => i.leadId))]);
    const result = await db.execute(sql`select 'event' as kind, v.inbox_id::text as key, v.type as type, null::timestamptz as last, null::int as opens
        from jsonb_to_recordset(${input}::jsonb) as v(inbox_id uuid, type text)
        where exists (select 1 from lead_events e where e.inbox_id = v.inbox_id and e.type = v.type)
      union all
      select 'lead', l.id::text, null, max(e.at), (count(*) filter (where e.type = 'email_opened'))::int
        from jsonb_array_elements_text(${leadIds}::jsonb) as l(id) left join lead_events e on e.lead_id = l.id::uuid
        group by l.id`);
    for (const row of (result as { rows: { kind: string; key: string; type: string | null; last: string | Date | null; opens: number | null }[] }).rows) {
      if (row.kind === 'event') recorded.add(`${row.key}|${row.type}`);
      else leads.set(row.key, { lastEventAt: row.last ? new Date(row.last) : null, opens: Number(row.opens ?? 0) });
    }
    return { recorded, leads };
  },
  /** What the status machine needs besides the status: the latest event's time and the opens so far. */
  stateOf: async (leadId: string): Promise<{ lastEventAt: Date | null; opens: number }> => {
    const [row] = await db
      .select({ last: sql<string | null>`max(${leadEvents.at})`, opens: sql<number>`count(*) filter (where ${leadEvents.type} = 'email_opened')::int` })
      .from(leadEvents)
      .where(eq(leadEvents.leadId, leadId));
    return { lastEventAt: row?.last ? new Date(row.last) : null, opens: Number(row?.opens ?? 0) };
  },
  /** Newest first. */
  timeline: async (leadId: string, limit = 200): Promise<LeadEvent[]> =>
    (await db.select().from(leadEvents).where(eq(leadEvents.leadId, leadId)).orderBy(desc(leadEvents.at), desc(leadEvents.id)).limit(limit)).map((r) => ({ ...r, details: r.details as Record<string, unknown> })),
});

/** Per lead, what decay detection needs, from the timeline: last touch, last engagement, opens, clicks, replied. */
export const createDecayQuery = (db: Db): DecayQuery => ({
  candidates: async (statuses: readonly string[]) => {
    const rows = (await db.execute(sql`
      select l.id, l.status,
        max(e.at) filter (where e.type in ('email_sent', 'linkedin_connection_sent', 'linkedin_message_sent')) as last_touch,
        max(e.at) filter (where e.type in ('email_opened', 'email_clicked', 'email_replied', 'linkedin_replied', 'linkedin_connection_accepted')) as last_engagement,
        count(*) filter (where e.type = 'email_opened')::int as opens,
        count(*) filter (where e.type = 'email_clicked')::int as clicks,
        bool_or(e.type in ('email_replied', 'linkedin_replied')) as replied
      from leads l join lead_events e on e.lead_id = l.id
      where l.status in (${sql.join(
        statuses.map((s) => sql`${s}`),
        sql`, `,
      )})
      group by l.id, l.status`)) as { rows: { id: string; status: string; last_touch: string | null; last_engagement: string | null; opens: number; clicks: number; replied: boolean | null }[] };
    return rows.rows.map((r) => ({
      leadId: r.id,
      status: r.status,
      lastTouchAt: r.last_touch ? new Date(r.last_touch) : null,
      lastEngagementAt: r.last_engagement ? new Date(r.last_engagement) : null,
      opens: Number(r.opens),
      clicks: Number(r.clicks),
      replied: Boolean(r.replied),
    }));
  },
});

/** Leads the revival motion queued since the start of this UTC day (the daily limit counts them). */
export const revivalQueuedSince = async (db: Db, since: Date): Promise<number> =>
  Number(((await db.execute(sql`select count(distinct lead_id)::int as n from lead_events where type = 'revival_queued' and at >= ${since}`)) as { rows: { n: number }[] }).rows[0]?.n ?? 0);

/**
 * Sends the provider accepted that never reached the lead's timeline (the touch recorder failed
 * after the send, or an older version sent without one): the input of `caio leads bootstrap`.
 */
export const createTimelineGapQuery = (db: Db) => ({
  sentWithoutTouch: async (limit: number) => {
    const rows = (await db.execute(sql`
      select o.id, o.lead_id, o.channel, o.step, o.provider_ref, o.sent_at from outbox o
      where o.status = 'sent' and o.lead_id is not null and o.sent_at is not null
        and not exists (select 1 from lead_events e where e.lead_id = o.lead_id and e.details->>'outboxId' = o.id::text)
      order by o.sent_at limit ${limit}`)) as { rows: { id: string; lead_id: string; channel: string; step: string; provider_ref: string | null; sent_at: string }[] };
    return rows.rows.map((r) => ({ id: r.id, leadId: r.lead_id, channel: r.channel, step: r.step, providerRef: r.provider_ref ?? '', sentAt: new Date(r.sent_at) }));
  },
});
