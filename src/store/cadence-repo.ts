import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Enrollment } from '../domain/cadence/index.js';
import type { CadenceFactsQuery, CadenceLeadRecord, CadenceStore } from '../signals/ports.js';
import type { Db } from './database.js';
import { cadenceEnrollments, leadEvents, leads } from './schema.js';

const toEnrollment = (r: typeof cadenceEnrollments.$inferSelect): Enrollment => ({
  leadId: r.leadId,
  cadenceId: r.cadenceId,
  enrolledAt: r.enrolledAt,
  status: r.status as Enrollment['status'],
  completedSteps: r.completedSteps as number[],
  exitReason: r.exitReason,
  lastStepAt: r.lastStepAt,
  statusChangedAt: r.statusChangedAt,
});

/** The cadence enrolments: the cadence sync's port (signals/ports.ts), and the counts per status the dashboard and CLI show. */
export const createCadenceStore = (db: Db): CadenceStore & CadenceFactsQuery & { counts: () => Promise<Record<string, number>> } => ({
  get: async (leadId: string): Promise<Enrollment | null> => {
    const [row] = await db.select().from(cadenceEnrollments).where(eq(cadenceEnrollments.leadId, leadId)).limit(1);
    return row ? toEnrollment(row) : null;
  },
  /** The enrolments of these leads, keyed by lead (one query). */
  getMany: async (leadIds: readonly string[]): Promise<Map<string, Enrollment>> =>
    leadIds.length === 0
      ? new Map()
      : new Map(
          (
            await db
              .select()
              .from(cadenceEnrollments)
              .where(inArray(cadenceEnrollments.leadId, [...new Set(leadIds)]))
          ).map((row) => [row.leadId, toEnrollment(row)]),
        ),
  /** Insert or replace one enrolment; `nextDueAt` is what the engine says is next (null when nothing is). */
  save: async (e: Enrollment, nextDueAt: Date | null): Promise<void> => {
    const values = {
      leadId: e.leadId,
      cadenceId: e.cadenceId,
      enrolledAt: e.enrolledAt,
      status: e.status,
      completedSteps: e.completedSteps,
      exitReason: e.exitReason,
      lastStepAt: e.lastStepAt ?? null,
      statusChangedAt: e.statusChangedAt ?? null,
      nextDueAt,
    };
    await db.insert(cadenceEnrollments).values(values).onConflictDoUpdate({ target: cadenceEnrollments.leadId, set: values });
  },
  /** Active enrolments with a step due by `now`, earliest first (an index on status and next_due_at). */
  due: async (now: Date, limit: number): Promise<Enrollment[]> =>
    (
      await db
        .select()
        .from(cadenceEnrollments)
        .where(and(eq(cadenceEnrollments.status, 'active'), lte(cadenceEnrollments.nextDueAt, now)))
        .orderBy(asc(cadenceEnrollments.nextDueAt))
        .limit(limit)
    ).map(toEnrollment),
  /** Active and paused enrolments (the ones a sync may still move). */
  open: async (): Promise<Enrollment[]> =>
    (
      await db
        .select()
        .from(cadenceEnrollments)
        .where(inArray(cadenceEnrollments.status, ['active', 'paused']))
    ).map(toEnrollment),
  /**
   * The leads' records and the event types of their `newestEvents` newest timeline events, in one
   * statement (the due list and the sync read every lead they judge). The newest events are taken
   * as the timeline reads them (time, then id, newest first).
   */
  leadRecords: async (leadIds: readonly string[], newestEvents: number): Promise<Map<string, CadenceLeadRecord>> => {
    const ids = [...new Set(leadIds)];
    if (ids.length === 0) return new Map();
    const rows = await db
      .select({
        id: leads.id,
        status: leads.status,
        linkedinUrl: sql<string | null>`coalesce(${leads.profile}->>'linkedinUrl', ${leads.linkedinUrl})`,
        // Written out: drizzle renders the outer column unqualified here, which the subquery would read as its own.
        types: sql<string[] | null>`(select json_agg(distinct t.type) from (select e.type from ${leadEvents} e where e.lead_id = "leads"."id" order by e.at desc, e.id desc limit ${newestEvents}) t)`,
      })
      .from(leads)
      .where(sql`${leads.id} = any(${sql.param(ids)}::uuid[])`);
    return new Map(rows.map((r) => [r.id, { status: r.status, linkedinUrl: r.linkedinUrl, eventTypes: new Set(r.types ?? []) }]));
  },
  counts: async (): Promise<Record<string, number>> => {
    const rows = await db.select({ status: cadenceEnrollments.status }).from(cadenceEnrollments);
    return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
  },
});
