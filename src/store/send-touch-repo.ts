import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Enrollment } from '../domain/cadence/index.js';
import type { SentTouchWrite, TouchState } from '../dispatch/ports.js';
import type { Db } from './database.js';
import { kpiMilestoneOf } from './kpi-repo.js';
import { auditLog, cadenceEnrollments, leadEvents, leads, outbox } from './schema.js';

/** What the touch is decided from, for the lead `leadId` (an SQL expression): its timeline's last event and opens, and its enrolment row. */
const lastEventOf = (leadId: SQL) => sql`(select max(e.at) from ${leadEvents} e where e.lead_id = ${leadId})`;
const opensOf = (leadId: SQL) => sql`(select count(*)::int from ${leadEvents} e where e.lead_id = ${leadId} and e.type = 'email_opened')`;
const enrolmentOf = (leadId: SQL) => sql`(select c from ${cadenceEnrollments} c where c.lead_id = ${leadId})`;
/** The fingerprint the write compares: the same text from the same three facts, at the read and at the write. */
const versionOf = (last: SQL, opens: SQL, enrolment: SQL) => sql`coalesce(${last}::text, '') || '|' || ${opens}::text || '|' || coalesce(${enrolment}::text, '')`;

/**
 * The touch facts of one lead as `itemState` selects them (one derived row: `t.last`, `t.opens`,
 * `t.enrolment` as JSON, `t.version`); `touchStateOf` reads them back.
 */
export const touchFactsOf = (leadId: SQL) => sql`(
    select f.last, f.opens, row_to_json(f.enr) as enrolment, ${versionOf(sql`f.last`, sql`f.opens`, sql`f.enr`)} as version
    from (select ${lastEventOf(leadId)} as last, ${opensOf(leadId)} as opens, ${enrolmentOf(leadId)} as enr) f) t`;

type EnrolmentRow = { lead_id: string; cadence_id: string; enrolled_at: string; status: string; completed_steps: number[]; exit_reason: string | null; last_step_at: string | null; status_changed_at: string | null };

/** `touchFactsOf`'s row, with the lead's id and status, as the touch recorder's state. */
export const touchStateOf = (lead: { leadId: string; status: string }, row: { last: string | Date | null; opens: number; enrolment: EnrolmentRow | null; version: string }): TouchState => ({
  leadId: lead.leadId,
  status: lead.status,
  lastEventAt: row.last === null ? null : new Date(row.last),
  opens: Number(row.opens),
  enrolment: row.enrolment ? toEnrollment(row.enrolment) : null,
  version: row.version,
});

const toEnrollment = (r: EnrolmentRow): Enrollment => ({
  leadId: r.lead_id,
  cadenceId: r.cadence_id,
  enrolledAt: new Date(r.enrolled_at),
  status: r.status as Enrollment['status'],
  completedSteps: r.completed_steps,
  exitReason: r.exit_reason,
  lastStepAt: r.last_step_at === null ? null : new Date(r.last_step_at),
  statusChangedAt: r.status_changed_at === null ? null : new Date(r.status_changed_at),
});

/**
 * A send the provider accepted, written in one statement (one round trip, one commit): the outbox
 * item marked sent with its audit line and, only if that mark was made (the claim is still ours),
 * while the lead's status and touch facts are still as
 * read before the send (a compare-and-set; the lead's row is locked for it), the touch: the status
 * move, the timeline event with its KPI milestone, the enrolment. `touched` false: the lead moved
 * meanwhile and only the mark was written; the caller records the touch the long way.
 */
export const createSendTouchStore = (db: Db) => {
  const run = byName(db);
  return {
    markSentWithTouch: async (w: SentTouchWrite): Promise<{ sent: boolean; touched: boolean }> => {
      const { audit, expect, event, enrolment } = w;
      const lead = sql`${expect.leadId}::uuid`;
      const e = enrolment?.value;
      const result = (await run(
        'caio_mark_sent_with_touch',
        sql`
      with sent as (
        update ${outbox} set status = 'sent', provider_ref = ${w.providerRef}, sent_at = ${w.sentAt}, reason = null, updated_at = ${w.sentAt}
        where id = ${w.outboxId} and claim_token = ${w.token} returning id),
      audited as (
        insert into ${auditLog} (at, actor, action, entity_type, entity_id, run_id, details)
        select ${audit.at}, ${audit.actor}, ${audit.action}, ${audit.entityType}, ${audit.entityId}, ${audit.runId}, ${JSON.stringify(audit.details)}::jsonb from sent
        returning 1),
      still as (
        select l.id from ${leads} l
        where exists (select 1 from sent) and l.id = ${lead} and l.status = ${expect.status}
          and ${versionOf(lastEventOf(lead), opensOf(lead), enrolmentOf(lead))} = ${expect.version}
        for update of l),
      moved as (
        update ${leads} set status = ${w.statusTo}, updated_at = ${event.at}
        where ${w.statusTo !== null} and id in (select id from still) and status = ${expect.status}
        returning id),
      ev as (
        insert into ${leadEvents} (lead_id, at, channel, type, source, from_status, to_status, inbox_id, details)
        select s.id, ${event.at}::timestamptz, ${event.channel}, ${event.type}, ${event.source},
          case when exists (select 1 from moved) then ${expect.status} end, case when exists (select 1 from moved) then ${w.statusTo} end,
          null, ${JSON.stringify(event.details)}::jsonb
        from still s
        returning lead_id, type, at),
      ${kpiMilestoneOf(sql`ev`)},
      enrolled as (
        insert into ${cadenceEnrollments} (lead_id, cadence_id, enrolled_at, status, completed_steps, exit_reason, last_step_at, status_changed_at, next_due_at)
        select s.id, ${e?.cadenceId ?? null}, ${e?.enrolledAt ?? null}::timestamptz, ${e?.status ?? null}, ${JSON.stringify(e?.completedSteps ?? [])}::jsonb, ${e?.exitReason ?? null},
          ${e?.lastStepAt ?? null}::timestamptz, ${e?.statusChangedAt ?? null}::timestamptz, ${enrolment?.nextDueAt ?? null}::timestamptz
        from still s where ${e !== undefined}
        on conflict (lead_id) do update set cadence_id = excluded.cadence_id, enrolled_at = excluded.enrolled_at, status = excluded.status, completed_steps = excluded.completed_steps,
          exit_reason = excluded.exit_reason, last_step_at = excluded.last_step_at, status_changed_at = excluded.status_changed_at, next_due_at = excluded.next_due_at
        returning 1)
      select (select count(*)::int from sent) as sent, (select count(*)::int from still) as touched`,
      )) as { rows: { sent: number; touched: number }[] };
      const row = result.rows[0]!;
      return { sent: Number(row.sent) === 1, touched: Number(row.touched) === 1 };
    },
  };
};

/** The driver's pool under a drizzle handle (drizzle's `$client`), which runs a statement by name. */
type NamedQueryable = { query: (config: { name: string; text: string; values: unknown[] }) => Promise<{ rows: unknown[] }> };
const dialect = new PgDialect();

/**
 * Runs a statement as a named prepared statement of the driver when `db` is a pool (parsed and
 * planned once per connection: the mark's plan takes longer to make than to run), else through
 * drizzle (a transaction). The name carries a hash of the text, so two texts never share a name.
 */
const byName = (db: Db) => {
  const client = (db as unknown as { $client?: Partial<NamedQueryable> }).$client;
  const pool = typeof client?.query === 'function' && !('release' in client) ? (client as NamedQueryable) : null;
  const names = new Map<string, string>();
  return async (name: string, statement: SQL): Promise<{ rows: unknown[] }> => {
    if (!pool) return (await db.execute(statement)) as { rows: unknown[] };
    const query = dialect.sqlToQuery(statement);
    let named = names.get(query.sql);
    if (!named) names.set(query.sql, (named = `${name}_${createHash('sha1').update(query.sql).digest('hex').slice(0, 12)}`));
    return pool.query({ name: named, text: query.sql, values: query.params });
  };
};
