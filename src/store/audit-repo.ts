import { and, asc, eq, gte, inArray, or } from 'drizzle-orm';
import type { Db } from './database.js';
import { auditLog } from './schema.js';
import type { AuditEntry, AuditStore } from '../pipeline/ports.js';

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

export const createAuditStore = (db: Db): AuditStore & { forEntities: (refs: { type: string; ids: string[] }[]) => Promise<AuditEntry[]>; list: (q: { since?: Date | undefined; limit: number }) => Promise<AuditEntry[]> } => ({
  append: async (entry) => {
    const entries = Array.isArray(entry) ? entry : [entry];
    for (let i = 0; i < entries.length; i += 1000) await db.insert(auditLog).values(entries.slice(i, i + 1000));
  },
  list: async ({ since, limit }) => {
    const query = db.select().from(auditLog);
    return (await (since ? query.where(gte(auditLog.at, since)) : query).orderBy(asc(auditLog.id)).limit(limit)).map(toAuditEntry);
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
