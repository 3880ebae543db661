import { and, asc, eq, sql } from 'drizzle-orm';
import type { ReplyAction, ReplyActionKind, ReplyActionStore } from '../signals/ports.js';
import type { Db } from './database.js';
import { replyActions } from './schema.js';

const toAction = (r: typeof replyActions.$inferSelect): ReplyAction => ({
  id: r.id,
  replyId: r.replyId,
  leadId: r.leadId,
  kind: r.kind as ReplyActionKind,
  idempotencyKey: r.idempotencyKey,
  status: r.status as ReplyAction['status'],
  payload: (r.payload ?? {}) as Record<string, unknown>,
  notBefore: r.notBefore,
  attempts: r.attempts,
  claimedAt: r.claimedAt,
  lastError: r.lastError,
  doneAt: r.doneAt,
});

/**
 * The reply follow-through's action outbox: rows recorded once per idempotency key in the reply's
 * transaction; each claim a compare-and-set committed before the call (`FOR UPDATE SKIP LOCKED`:
 * two workers never take the same row), each finish only by the claim that took it.
 */
export const createReplyActionStore = (db: Db): ReplyActionStore & { counts(): Promise<Record<string, number>> } => ({
  record: async (actions) => {
    if (actions.length === 0) return 0;
    const rows = await db
      .insert(replyActions)
      .values(actions.map((a) => ({ ...a, status: 'pending' })))
      .onConflictDoNothing({ target: replyActions.idempotencyKey })
      .returning({ id: replyActions.id });
    return rows.length;
  },
  claimDue: async (now, limit, staleBefore) => {
    const result = await db.execute(sql`
      with due as (
        select id, status from ${replyActions}
        where (status in ('pending', 'failed') and not_before <= ${now}) or (status = 'running' and claimed_at <= ${staleBefore})
        order by not_before, created_at, id
        limit ${limit}
        for update skip locked)
      update ${replyActions} a set status = 'running', claimed_at = ${now}, attempts = a.attempts + 1, updated_at = ${now}
      from due where a.id = due.id
      returning a.*, due.status = 'running' as stale`);
    const rows = (result as { rows: Record<string, unknown>[] }).rows;
    const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));
    return rows.map((r) => ({
      id: String(r.id),
      replyId: String(r.reply_id),
      leadId: typeof r.lead_id === 'string' ? r.lead_id : null,
      kind: String(r.kind) as ReplyActionKind,
      idempotencyKey: String(r.idempotency_key),
      status: 'running' as const,
      payload: (r.payload ?? {}) as Record<string, unknown>,
      notBefore: at(r.not_before)!,
      attempts: Number(r.attempts),
      claimedAt: at(r.claimed_at),
      lastError: typeof r.last_error === 'string' ? r.last_error : null,
      doneAt: at(r.done_at),
      stale: r.stale === true,
    }));
  },
  finish: async (id, claimedAt, outcome) =>
    (
      await db
        .update(replyActions)
        .set({
          status: outcome.status,
          lastError: outcome.error ?? null,
          updatedAt: outcome.at,
          ...(outcome.status === 'done' || outcome.status === 'skipped' ? { doneAt: outcome.at } : {}),
          ...(outcome.notBefore ? { notBefore: outcome.notBefore } : {}),
        })
        .where(and(eq(replyActions.id, id), eq(replyActions.status, 'running'), eq(replyActions.claimedAt, claimedAt)))
        .returning({ id: replyActions.id })
    ).length === 1,
  forReply: async (replyId) => (await db.select().from(replyActions).where(eq(replyActions.replyId, replyId)).orderBy(asc(replyActions.createdAt), asc(replyActions.kind))).map(toAction),
  counts: async () => {
    const rows = await db
      .select({ status: replyActions.status, n: sql<number>`count(*)::int` })
      .from(replyActions)
      .groupBy(replyActions.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  },
});
