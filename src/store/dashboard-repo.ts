import { sql } from 'drizzle-orm';
import { countsOf, groupKpis, ratesOf, trailingRates } from '../domain/kpis/kpi-events.js';
import type { Db } from './database.js';
import { createKpiStore } from './kpi-repo.js';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown) => (result as Rows<T>).rows;

export type LeadPageFilter = { status?: string | undefined; tier?: string | undefined; limit: number; cursor?: { createdAt: string; id: string } | undefined };

/** The read models of the dashboard: one query each, on indexed columns. */
export const createDashboardQueries = (db: Db) => {
  const kpiStore = createKpiStore(db);
  return {
    /** Reviewed drafts (approved or rejected), newest decision first. */
    reviewHistory: async (limit: number) =>
      rowsOf<{ draft_id: string; lead_id: string; email: string | null; status: string; decided_by: string | null; decided_at: string; subject: string }>(
        await db.execute(sql`select d.id as draft_id, d.lead_id, l.email, d.status, d.decided_by, d.decided_at, coalesce(d.edited_subject, d.subject_a) as subject
          from drafts d join leads l on l.id = d.lead_id where d.decided_at is not null and d.status in ('approved', 'rejected') order by d.decided_at desc limit ${limit}`),
      ).map((r) => ({ draftId: r.draft_id, leadId: r.lead_id, email: r.email, status: r.status, decidedBy: r.decided_by, decidedAt: new Date(r.decided_at).toISOString(), subject: r.subject })),

    /** A page of leads, newest first, with an opaque cursor (created_at, id) for the next page. */
    leadsPage: async (filter: LeadPageFilter) => {
      const rows = rowsOf<{ id: string; email: string | null; status: string; tier: string | null; points: number | null; company_name: string | null; title: string | null; created_at: string; updated_at: string }>(
        await db.execute(sql`select id, email, status, tier, points, company_name, title, created_at, updated_at from leads
          where duplicate_of is null
          ${filter.status ? sql`and status = ${filter.status}` : sql``}
          ${filter.tier ? sql`and tier = ${filter.tier}` : sql``}
          ${filter.cursor ? sql`and (created_at, id) < (${filter.cursor.createdAt}::timestamptz, ${filter.cursor.id}::uuid)` : sql``}
          order by created_at desc, id desc limit ${filter.limit + 1}`),
      );
      const page = rows.slice(0, filter.limit).map((r) => ({
        id: r.id,
        email: r.email,
        status: r.status,
        tier: r.tier,
        points: r.points,
        company: r.company_name,
        title: r.title,
        createdAt: new Date(r.created_at).toISOString(),
        updatedAt: new Date(r.updated_at).toISOString(),
      }));
      const last = page.at(-1);
      return { leads: page, nextCursor: rows.length > filter.limit && last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null };
    },

    /**
     * Engagement over the UTC days from `since` to `now`, from the KPI rollup (kpi-repo.ts): leads
     * that first reached each event in the window and the four rates, per campaign and per angle,
     * and per day with the rates over the trailing `trailingDays` days.
     */
    kpis: async (since: Date, now: Date, trailingDays = 7) => {
      const fromDay = since.toISOString().slice(0, 10);
      const rows = await kpiStore.since(new Date(Date.parse(`${fromDay}T00:00:00Z`) - (trailingDays - 1) * 86_400_000).toISOString().slice(0, 10));
      const inWindow = rows.filter((r) => r.day >= fromDay);
      const counts = countsOf(inWindow);
      return {
        since: fromDay,
        counts,
        rates: ratesOf(counts),
        trailingDays,
        perDay: trailingRates(rows, fromDay, now.toISOString().slice(0, 10), trailingDays),
        perCampaign: groupKpis(inWindow, 'campaign'),
        perAngle: groupKpis(inWindow, 'angle'),
      };
    },

    /** Leads per status (folded duplicates left out): the funnel's input. */
    statusCounts: async (): Promise<Record<string, number>> =>
      Object.fromEntries(rowsOf<{ status: string; n: number }>(await db.execute(sql`select status, count(*)::int as n from leads where duplicate_of is null group by status`)).map((r) => [r.status, Number(r.n)])),

    /** Drafts waiting for a person: what the review-queue watcher compares with its low-water mark. */
    pendingReviewCount: async (): Promise<number> => Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from drafts where status = 'pending_review'`))[0]?.n ?? 0),

    ping: async () => {
      await db.execute(sql`select 1`);
    },
  };
};

export type DashboardQueries = ReturnType<typeof createDashboardQueries>;
