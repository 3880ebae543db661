import { sql } from 'drizzle-orm';
import type { Db } from './database.js';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown) => (result as Rows<T>).rows;

export type LeadPageFilter = { status?: string | undefined; tier?: string | undefined; limit: number; cursor?: { createdAt: string; id: string } | undefined };

/** The read models of the dashboard: one query each, on indexed columns. */
export const createDashboardQueries = (db: Db) => ({
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
    const page = rows.slice(0, filter.limit).map((r) => ({ id: r.id, email: r.email, status: r.status, tier: r.tier, points: r.points, company: r.company_name, title: r.title, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString() }));
    const last = page.at(-1);
    return { leads: page, nextCursor: rows.length > filter.limit && last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null };
  },

  /**
   * Engagement rates over a window, from the timeline: e-mail sent, opened, replied, bounced (distinct
   * leads), LinkedIn invitations and acceptances; per campaign comes with the dashboard pages.
   */
  kpis: async (since: Date) => {
    const [r] = rowsOf<Record<string, number>>(
      await db.execute(sql`select
        count(distinct lead_id) filter (where type = 'email_sent')::int as email_sent,
        count(distinct lead_id) filter (where type = 'email_opened')::int as email_opened,
        count(distinct lead_id) filter (where type = 'email_replied')::int as email_replied,
        count(distinct lead_id) filter (where type = 'email_bounced')::int as email_bounced,
        count(distinct lead_id) filter (where type = 'unsubscribed')::int as unsubscribed,
        count(distinct lead_id) filter (where type = 'linkedin_connection_sent')::int as linkedin_sent,
        count(distinct lead_id) filter (where type = 'linkedin_connection_accepted')::int as linkedin_accepted,
        count(distinct lead_id) filter (where type = 'linkedin_replied')::int as linkedin_replied
        from lead_events where at >= ${since}`),
    );
    const n = (k: string) => Number(r?.[k] ?? 0);
    const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);
    return {
      since: since.toISOString(),
      counts: { emailSent: n('email_sent'), emailOpened: n('email_opened'), emailReplied: n('email_replied'), emailBounced: n('email_bounced'), unsubscribed: n('unsubscribed'), linkedinSent: n('linkedin_sent'), linkedinAccepted: n('linkedin_accepted'), linkedinReplied: n('linkedin_replied') },
      rates: { open: rate(n('email_opened'), n('email_sent')), reply: rate(n('email_replied'), n('email_sent')), bounce: rate(n('email_bounced'), n('email_sent')), linkedinAccept: rate(n('linkedin_accepted'), n('linkedin_sent')) },
    };
  },

  /** Leads per status (folded duplicates left out): the funnel's input. */
  statusCounts: async (): Promise<Record<string, number>> =>
    Object.fromEntries(rowsOf<{ status: string; n: number }>(await db.execute(sql`select status, count(*)::int as n from leads where duplicate_of is null group by status`)).map((r) => [r.status, Number(r.n)])),

  ping: async () => {
    await db.execute(sql`select 1`);
  },
});

export type DashboardQueries = ReturnType<typeof createDashboardQueries>;
