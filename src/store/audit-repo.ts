import { and, asc, count, eq, gte, inArray, lte, max, ne, or } from 'drizzle-orm';
import type { Db } from './database.js';
import { auditLog } from './schema.js';
import type { AuditEntry, AuditStore } from '../pipeline/ports.js';
import type { ActivityEntry } from '../domain/agents/activity.js';

type AuditRow = typeof auditLog.$inferSelect;

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  at: row.at,
  actor: row.actor,
  action: row.action,
  entityType: row.entityType,
  entityId: row.entityId,
  runId: row.runId,
  details: row.details as Record<string, unknown>,
});

/** QUEEN's asks: the only entries whose details the activity report reads (refused, failed calls). */
const ASK_ACTION = 'queen.ask';

export const createAuditStore = (
  db: Db,
): AuditStore & {
  forEntities: (refs: { type: string; ids: string[] }[]) => Promise<AuditEntry[]>;
  list: (q: { since?: Date | undefined; limit: number }) => Promise<AuditEntry[]>;
  activity: (since: Date, until: Date, askLimit: number) => Promise<ActivityEntry[]>;
} => ({
  append: async (entry) => {
    const entries = Array.isArray(entry) ? entry : [entry];
    for (let i = 0; i < entries.length; i += 1000) await db.insert(auditLog).values(entries.slice(i, i + 1000));
  },
  list: async ({ since, limit }) => {
    const query = db.select().from(auditLog);
    return (await (since ? query.where(gte(auditLog.at, since)) : query).orderBy(asc(auditLog.id)).limit(limit)).map(toAuditEntry);
  },
  /**
   * A window of the log for the agents page: one row per actor and action (counted in SQL on
   * audit_at_idx, so a day of 50,000 lines is not carried into the process), QUEEN's asks one by one.
   */
  activity: async (since, until, askLimit) => {
    const window = and(gte(auditLog.at, since), lte(auditLog.at, until));
    const [grouped, asks] = await Promise.all([
      db
        .select({ actor: auditLog.actor, action: auditLog.action, n: count(), last: max(auditLog.at) })
        .from(auditLog)
        .where(and(window, ne(auditLog.action, ASK_ACTION)))
        .groupBy(auditLog.actor, auditLog.action),
      db
        .select()
        .from(auditLog)
        .where(and(window, eq(auditLog.action, ASK_ACTION)))
        .orderBy(asc(auditLog.id))
        .limit(askLimit),
    ]);
    return [...grouped.map((g) => ({ at: g.last ?? since, actor: g.actor, action: g.action, details: {}, count: Number(g.n) })), ...asks.map(toAuditEntry)];
  },
  forEntities: async (refs) => {
    const clauses = refs.filter((r) => r.ids.length > 0).map((r) => and(eq(auditLog.entityType, r.type), inArray(auditLog.entityId, r.ids)));
    if (clauses.length === 0) return [];
    const rows = await db
      .select()
      .from(auditLog)
      .where(or(...clauses))
      .orderBy(asc(auditLog.id));
    return rows.map(toAuditEntry);
  },
});
