import { sql, type SQL } from 'drizzle-orm';

/** Per UTC day since `sinceDay`: sent, failed and uncertain counts, and bounces of the e-mails sent (the ramp's clean-day input). */
export const dailyTotalsSql = (sinceDay: string): SQL => sql`
      select to_char(coalesce(o.sent_at, o.claimed_at) at time zone 'UTC', 'YYYY-MM-DD') as date,
        count(*) filter (where o.status = 'sent')::int as sent,
        count(*) filter (where o.status in ('failed', 'uncertain'))::int as errors,
        count(*) filter (where o.status = 'sent' and o.channel in ('instantly', 'ghl') and exists (
          select 1 from lead_events e where e.lead_id = o.lead_id and e.type = 'email_bounced' and e.at >= o.sent_at))::int as bounces
      from outbox o
      where o.status in ('sent', 'failed', 'uncertain') and coalesce(o.sent_at, o.claimed_at) >= ${sinceDay}::date
      group by 1`;

export type DailyTotal = { date: string; sent: number; errors: number; bounces: number };

export const toDailyTotals = (rows: readonly { date: string; sent: unknown; errors: unknown; bounces: unknown }[]): DailyTotal[] =>
  rows.map((r) => ({ date: r.date, sent: Number(r.sent), errors: Number(r.errors), bounces: Number(r.bounces) })).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
