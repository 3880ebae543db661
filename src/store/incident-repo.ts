import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { incidents } from './schema.js';
import type { IncidentRecord, IncidentStore } from '../escalation/ports.js';

type Row = typeof incidents.$inferSelect;

// Rows never leave store/: callers get a plain record with the details they wrote.
const toRecord = (r: Row): IncidentRecord => ({
  key: r.key,
  level: r.level,
  notifiedLevel: r.notifiedLevel,
  openedAt: r.openedAt,
  lastSeenAt: r.lastSeenAt,
  lastNotifiedAt: r.lastNotifiedAt,
  resolvedAt: r.resolvedAt,
  details: (r.details ?? {}) as Record<string, unknown>,
});

/** Postgres evaluates every SET expression against the old row, so each can test whether it was resolved. */
const wasResolved = sql`${incidents.resolvedAt} is not null`;

/**
 * Incidents for escalation. Every operation is one statement, so processes reporting the same
 * incident at once agree: one row per key, one winner per notification level, one recovery.
 */
export const createIncidentStore = (db: Db): IncidentStore => ({
  // Upsert. An open incident keeps its first sighting and the greatest level seen; a resolved one
  // that is seen again re-opens as new (fresh opened_at, nobody notified yet).
  observe: async (incident, level, now) => {
    const details = { kind: incident.kind, title: incident.title, detail: incident.detail, since: incident.since.toISOString(), leadsAffected: incident.leadsAffected, sendingAffected: incident.sendingAffected };
    const [row] = await db
      .insert(incidents)
      .values({ key: incident.key, level, notifiedLevel: 0, openedAt: now, lastSeenAt: now, details })
      .onConflictDoUpdate({
        target: incidents.key,
        set: {
          level: sql`case when ${wasResolved} then excluded.level else greatest(${incidents.level}, excluded.level) end`,
          notifiedLevel: sql`case when ${wasResolved} then 0 else ${incidents.notifiedLevel} end`,
          openedAt: sql`case when ${wasResolved} then excluded.opened_at else ${incidents.openedAt} end`,
          // greatest: a process with a slower clock must not move last_seen_at backwards.
          lastSeenAt: sql`case when ${wasResolved} then excluded.last_seen_at else greatest(${incidents.lastSeenAt}, excluded.last_seen_at) end`,
          lastNotifiedAt: sql`case when ${wasResolved} then null else ${incidents.lastNotifiedAt} end`,
          resolvedAt: sql`null`,
          details: sql`excluded.details`,
        },
      })
      .returning();
    return toRecord(row!);
  },

  // The guarded UPDATE is the de-duplication: of all callers claiming the same level, exactly one
  // sees its row come back; a lower level than the one already notified never pages.
  claimNotification: async (key, level, now) =>
    (
      await db
        .update(incidents)
        .set({ notifiedLevel: level, lastNotifiedAt: now })
        .where(and(eq(incidents.key, key), isNull(incidents.resolvedAt), lt(incidents.notifiedLevel, level)))
        .returning({ key: incidents.key })
    ).length === 1,

  // Undo a claim whose every channel failed, so the next report tries again. Guarded on the level
  // claimed: if another process has since claimed a higher level, this does nothing.
  releaseNotification: async (key, level, previousLevel) => {
    await db
      .update(incidents)
      .set({ notifiedLevel: previousLevel })
      .where(and(eq(incidents.key, key), isNull(incidents.resolvedAt), eq(incidents.notifiedLevel, level)));
  },

  // Only the call that sets resolved_at gets the row back, so the recovery message goes out once.
  resolve: async (key, now) => {
    const [row] = await db
      .update(incidents)
      .set({ resolvedAt: now })
      .where(and(eq(incidents.key, key), isNull(incidents.resolvedAt)))
      .returning();
    if (!row) return { resolvedNow: false, notified: false, record: null };
    return { resolvedNow: true, notified: row.notifiedLevel > 0, record: toRecord(row) };
  },

  open: async () => (await db.select().from(incidents).where(isNull(incidents.resolvedAt)).orderBy(asc(incidents.openedAt), asc(incidents.key))).map(toRecord),
});
