import { sql } from 'drizzle-orm';
import { countsOf, groupKpis, ratesOf, trailingRates } from '../domain/kpis/kpi-events.js';
import type { Db } from './database.js';
import { createKpiStore } from './kpi-repo.js';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown) => (result as Rows<T>).rows;

/** The /leads list's search: every value is a bound parameter; `sort` picks from a fixed list of columns. */
export type LeadSearch = {
  q?: string | undefined;
  tier?: string | undefined;
  status?: string | undefined;
  source?: string | undefined;
  campaign?: string | undefined;
  sort?: LeadSort | undefined;
  dir?: 'asc' | 'desc' | undefined;
  limit: number;
  offset?: number | undefined;
};
export const LEAD_SORTS = ['created', 'name', 'company', 'status', 'tier', 'points'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];
const SORT_SQL: Record<LeadSort, string> = {
  created: 'l.created_at',
  name: "lower(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, ''))",
  company: 'lower(l.company_name)',
  status: 'l.status',
  tier: 'l.tier',
  points: 'l.points',
};

/**
 * What the /leads search matches, as the trigram indexes of migration 0023 index it: the same
 * expressions, or PostgreSQL reads every lead for a search.
 */
export const LEAD_NAME_SEARCH = "lower(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, ''))";
export const LEAD_COMPANY_SEARCH = "lower(coalesce(l.company_name, ''))";

/** The sort columns that may hold null (sorted last either way). */
const NULLABLE_SORTS: ReadonlySet<LeadSort> = new Set(['company', 'tier', 'points']);

/** LIKE's wildcards in a person's search text are literal characters. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export type LeadSearchRow = { id: string; name: string | null; title: string | null; company: string | null; status: string; tier: string | null; points: number | null; source: string; campaign: string | null; createdAt: string };

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
     * The /leads list: search (an e-mail exactly through its unique index; otherwise a name or
     * company substring, case-insensitive), filters on tier, status, source and campaign (the latest
     * score's recommendation, as the KPIs attribute), sorted on one of LEAD_SORTS. Newest first by
     * default, walking leads_created_idx (or leads_status_created_idx) so a page stops after
     * limit + 1 matches. Rows carry no e-mail address (it is a search key, never shown in a URL).
     */
    leadsSearch: async (s: LeadSearch): Promise<{ leads: LeadSearchRow[]; more: boolean }> => {
      const q = s.q?.trim() ?? '';
      const byEmail = q.includes('@');
      const like = `%${likeEscape(q.toLowerCase())}%`;
      // `nulls last` only where the column can be null: on a NOT NULL column it would still stop
      // PostgreSQL from walking the index (leads_created_idx) for the newest-first page.
      const nulls = NULLABLE_SORTS.has(s.sort ?? 'created') ? ' nulls last' : '';
      const order = sql.raw(`${SORT_SQL[s.sort ?? 'created']} ${s.dir === 'asc' ? 'asc' : 'desc'}${nulls}, l.created_at desc, l.id desc`);
      const rows = rowsOf<{
        id: string;
        first_name: string | null;
        last_name: string | null;
        title: string | null;
        company_name: string | null;
        status: string;
        tier: string | null;
        points: number | null;
        source: string;
        recommended_campaign: string | null;
        created_at: string;
      }>(
        await db.execute(sql`select l.id, l.first_name, l.last_name, l.title, l.company_name, l.status, l.tier, l.points, l.source, l.recommended_campaign, l.created_at
          from leads l
          where l.duplicate_of is null
          ${q && byEmail ? sql`and l.email = ${q.toLowerCase()}` : sql``}
          ${q && !byEmail ? sql`and (${sql.raw(LEAD_NAME_SEARCH)} like ${like} or ${sql.raw(LEAD_COMPANY_SEARCH)} like ${like})` : sql``}
          ${s.status ? sql`and l.status = ${s.status}` : sql``}
          ${s.tier ? sql`and l.tier = ${s.tier}` : sql``}
          ${s.source ? sql`and l.source = ${s.source}` : sql``}
          ${s.campaign ? sql`and l.recommended_campaign = ${s.campaign}` : sql``}
          order by ${order} limit ${s.limit + 1} offset ${s.offset ?? 0}`),
      );
      const page = rows.slice(0, s.limit);
      return {
        more: rows.length > s.limit,
        leads: page.map((r) => ({
          id: r.id,
          name: [r.first_name, r.last_name].filter(Boolean).join(' ') || null,
          title: r.title,
          company: r.company_name,
          status: r.status,
          tier: r.tier,
          points: r.points,
          source: r.source,
          campaign: r.recommended_campaign,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
    },

    /** The campaigns the KPI rollup knows (a few rows): the /leads campaign filter's choices. */
    campaignNames: async (): Promise<string[]> => rowsOf<{ campaign: string }>(await db.execute(sql`select distinct campaign from kpi_daily where campaign <> 'none' order by campaign`)).map((r) => r.campaign),

    /**
     * Everything /leads/<id> shows about one lead, each part on its lead_id index: the lead, its
     * scores (newest first), enrichment steps, drafts, rejections, the outbox and the events.
     * Null for an unknown id.
     */
    leadFile: async (id: string) => {
      const lead = rowsOf<{
        id: string;
        email: string | null;
        first_name: string | null;
        last_name: string | null;
        title: string | null;
        company_name: string | null;
        status: string;
        tier: string | null;
        points: number | null;
        source: string;
        profile: Record<string, unknown>;
        disqualification_reason: string | null;
        skip_reason: string | null;
        duplicate_of: string | null;
        created_at: string;
        updated_at: string;
      }>(
        await db.execute(
          sql`select id, email, first_name, last_name, title, company_name, status, tier, points, source, profile, disqualification_reason, skip_reason, duplicate_of, created_at, updated_at from leads where id = ${id}::uuid`,
        ),
      )[0];
      if (!lead) return null;
      const [scored, enriched, drafted, rejected, sent, events] = await Promise.all([
        db.execute(sql`select points, raw_points, multiplier, tier, breakdown, reasons, warnings, disqualification, recommended_campaign, created_at from scores where lead_id = ${id}::uuid order by created_at desc limit 20`),
        db.execute(sql`select provider, outcome, fields, error, quality, raw->'attempts' as attempts, created_at from enrichments where lead_id = ${id}::uuid order by created_at desc limit 50`),
        db.execute(
          sql`select id, angle_id, angle_reason, subject_a, subject_b, body, follow_ups, grounding, status, version, decided_by, decided_at, edited_subject, edited_body, created_at from drafts where lead_id = ${id}::uuid order by created_at desc limit 50`,
        ),
        db.execute(sql`select draft_id, tag, reason, rejected_by, rejected_at from rejections where lead_id = ${id}::uuid order by rejected_at desc limit 50`),
        db.execute(sql`select id, channel, step, status, reason, provider_ref, sent_at, updated_at, created_at from outbox where lead_id = ${id}::uuid order by created_at desc limit 100`),
        db.execute(sql`select at, channel, type, source, from_status, to_status, details from lead_events where lead_id = ${id}::uuid order by at desc limit 200`),
      ]);
      const at = (v: string | null) => (v ? new Date(v) : null);
      return {
        lead: { ...lead, created_at: new Date(lead.created_at), updated_at: new Date(lead.updated_at) },
        scores: rowsOf<{
          points: number;
          raw_points: number;
          multiplier: string;
          tier: string;
          breakdown: { components?: { code: string; points: number; max: number | null; reason: string; fields: string[] }[] };
          reasons: string[];
          warnings: string[];
          disqualification: { code: string; reason: string } | null;
          recommended_campaign: string;
          created_at: string;
        }>(scored).map((r) => ({ ...r, created_at: new Date(r.created_at) })),
        enrichments: rowsOf<{
          provider: string;
          outcome: string;
          fields: string[];
          error: string | null;
          quality: number | null;
          attempts: { provider: string; outcome: string; reason?: string; code?: string }[] | null;
          created_at: string;
        }>(enriched).map((r) => ({ ...r, created_at: new Date(r.created_at) })),
        drafts: rowsOf<{
          id: string;
          angle_id: string;
          angle_reason: string;
          subject_a: string;
          subject_b: string;
          body: string;
          follow_ups: unknown[];
          grounding: unknown[];
          status: string;
          version: number;
          decided_by: string | null;
          decided_at: string | null;
          edited_subject: string | null;
          edited_body: string | null;
          created_at: string;
        }>(drafted).map((r) => ({ ...r, decided_at: at(r.decided_at), created_at: new Date(r.created_at) })),
        rejections: rowsOf<{ draft_id: string; tag: string; reason: string; rejected_by: string; rejected_at: string }>(rejected).map((r) => ({ ...r, rejected_at: new Date(r.rejected_at) })),
        outbox: rowsOf<{ id: string; channel: string; step: string; status: string; reason: string | null; provider_ref: string | null; sent_at: string | null; updated_at: string; created_at: string }>(sent).map((r) => ({
          ...r,
          sent_at: at(r.sent_at),
          updated_at: new Date(r.updated_at),
          created_at: new Date(r.created_at),
        })),
        events: rowsOf<{ at: string; channel: string; type: string; source: string; from_status: string | null; to_status: string | null; details: Record<string, unknown> }>(events).map((r) => ({ ...r, at: new Date(r.at) })),
      };
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
