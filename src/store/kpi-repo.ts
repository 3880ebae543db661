import { sql, type SQL } from 'drizzle-orm';
import { KPI_EVENT_TYPES, isKpiEvent } from '../domain/kpis/kpi-events.js';
import type { Db } from './database.js';

type Executor = Pick<Db, 'execute'>;
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** The campaign a lead is worked under (its latest score's recommendation) and the angle of its approved or sent draft. */
const campaignOf = (leadId: SQL | string) => sql`coalesce((select recommended_campaign from scores where lead_id = ${leadId} order by created_at desc limit 1), 'none')`;
const angleOf = (leadId: SQL | string) => sql`coalesce((select angle_id from drafts where lead_id = ${leadId} and status in ('approved', 'sent') order by created_at desc limit 1), 'none')`;

/**
 * The KPI rollup's one writer, run with the events (in their transaction or their statement): the
 * lead's first event of a KPI type becomes a milestone and adds one to that day's counter; later
 * events of the type add nothing. For many events in one statement, as if recorded one after
 * another in the order given.
 */
export const recordKpiMilestones = async (db: Executor, events: readonly { leadId: string; type: string; at: Date }[]): Promise<void> => {
  const rows = JSON.stringify(events.filter((e) => isKpiEvent(e.type)).map((e, position) => ({ position, lead_id: e.leadId, type: e.type, at: e.at.toISOString() })));
  if (rows === '[]') return;
  await db.execute(sql`with e as (
      select distinct on (v.lead_id, v.type) v.lead_id, v.type, v.at
      from jsonb_to_recordset(${rows}::jsonb) as v(position int, lead_id uuid, type text, at timestamptz)
      order by v.lead_id, v.type, v.position),
    m as (
      insert into lead_milestones (lead_id, type, at, campaign, angle)
      select e.lead_id, e.type, e.at, ${campaignOf(sql`e.lead_id`)}, ${angleOf(sql`e.lead_id`)}
      from e
      where not exists (select 1 from lead_milestones lm where lm.lead_id = e.lead_id and lm.type = e.type)
      on conflict (lead_id, type) do nothing
      returning type, at, campaign, angle)
    insert into kpi_daily (day, campaign, angle, type, leads)
    select (at at time zone 'UTC')::date, campaign, angle, type, count(*)::int from m group by 1, 2, 3, 4
    on conflict (day, campaign, angle, type) do update set leads = kpi_daily.leads + excluded.leads`);
};

/**
 * A cancelled meeting is not a meeting booked (docs/replies.md "The SCHEDULER", KPIs): when the
 * SCHEDULER cancels a lead's appointment, in the cancel's unit of work, the lead's `meeting_booked`
 * milestone is removed and its day's counter (under the campaign and angle it was counted with)
 * goes down by one. A later booking is then the lead's first again and counts on its own day, as
 * `rebuild` reads the timeline. Returns whether there was a milestone to withdraw.
 */
export const withdrawMeetingMilestone = async (db: Executor, leadId: string): Promise<boolean> => {
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`with m as (
        delete from lead_milestones where lead_id = ${leadId} and type = 'meeting_booked'
        returning type, at, campaign, angle),
      k as (
        update kpi_daily d set leads = d.leads - 1
        from m where d.day = (m.at at time zone 'UTC')::date and d.campaign = m.campaign and d.angle = m.angle and d.type = m.type and d.leads > 1
        returning 1),
      z as (
        -- The day's last such lead: the row goes, as rebuild would write none (two CTEs must not touch one row).
        delete from kpi_daily d using m where d.day = (m.at at time zone 'UTC')::date and d.campaign = m.campaign and d.angle = m.angle and d.type = m.type and d.leads <= 1
        returning 1)
      select (select count(*) from m)::int as n, (select count(*) from k)::int + (select count(*) from z)::int as counters`),
  );
  return Number(rows[0]?.n ?? 0) > 0;
};

/**
 * The KPI types as an SQL list: a statement that inserts any touch (the send path's one statement also
 * writes a LinkedIn message, which is no KPI event) makes milestones of these only, as `recordKpiMilestones` does.
 */
const KPI_TYPES_SQL = sql.join(
  KPI_EVENT_TYPES.map((t) => sql`${t}`),
  sql`, `,
);

/**
 * The CTEs that turn the rows of `events` (a CTE with lead_id, type, at: events just inserted) into
 * milestones and the day's counters, for a statement that inserts the events itself: the same rules
 * as `recordKpiMilestones`; a repeat event stops before the campaign and angle lookups. Ends with a comma-free CTE list, so the caller adds its final select.
 */
export const kpiMilestoneOf = (events: SQL): SQL => sql`m as (
      insert into lead_milestones (lead_id, type, at, campaign, angle)
      select e.lead_id, e.type, e.at, ${campaignOf(sql`e.lead_id`)}, ${angleOf(sql`e.lead_id`)}
      from ${events} e
      where e.type in (${KPI_TYPES_SQL})
        and not exists (select 1 from lead_milestones lm where lm.lead_id = e.lead_id and lm.type = e.type)
      on conflict (lead_id, type) do nothing
      returning type, at, campaign, angle),
    k as (
      insert into kpi_daily (day, campaign, angle, type, leads)
      select (at at time zone 'UTC')::date, campaign, angle, type, count(*)::int from m group by 1, 2, 3, 4
      on conflict (day, campaign, angle, type) do update set leads = kpi_daily.leads + excluded.leads
      returning 1)`;

export type KpiRow = { day: string; campaign: string; angle: string; type: string; leads: number };

export const createKpiStore = (db: Db) => ({
  /** Rollup rows from a UTC day on (a few per day, campaign, angle and type). */
  since: async (sinceDay: string): Promise<KpiRow[]> =>
    rowsOf<{ day: string; campaign: string; angle: string; type: string; leads: number }>(
      await db.execute(sql`select to_char(day, 'YYYY-MM-DD') as day, campaign, angle, type, leads from kpi_daily where day >= ${sinceDay}::date order by day, campaign, angle, type`),
    ).map((r) => ({ ...r, leads: Number(r.leads) })),

  /**
   * Rebuild milestones and rollup from the whole timeline, in one transaction (bulk loads that
   * bypass the event store, and a check that the rollup agrees with the events).
   */
  rebuild: async (): Promise<{ milestones: number }> =>
    db.transaction(async (tx) => {
      await tx.execute(sql`delete from kpi_daily`);
      await tx.execute(sql`delete from lead_milestones`);
      const types = sql.join(
        KPI_EVENT_TYPES.map((t) => sql`${t}`),
        sql`, `,
      );
      // A booking cancelled since is no milestone (withdrawMeetingMilestone): the lead's first booking after its latest cancel counts.
      await tx.execute(sql`insert into lead_milestones (lead_id, type, at, campaign, angle)
        select f.lead_id, f.type, f.at, ${campaignOf(sql`f.lead_id`)}, ${angleOf(sql`f.lead_id`)}
        from (select e.lead_id, e.type, min(e.at) as at from lead_events e where e.type in (${types})
          and not (e.type = 'meeting_booked' and exists (select 1 from lead_events c where c.lead_id = e.lead_id and c.type = 'meeting_cancelled' and c.at >= e.at))
          group by e.lead_id, e.type) f`);
      await tx.execute(sql`insert into kpi_daily (day, campaign, angle, type, leads)
        select (at at time zone 'UTC')::date, campaign, angle, type, count(*)::int from lead_milestones group by 1, 2, 3, 4`);
      const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from lead_milestones`));
      return { milestones: Number(row?.n ?? 0) };
    }),
});

export type KpiStore = ReturnType<typeof createKpiStore>;
