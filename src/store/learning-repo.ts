import { sql } from 'drizzle-orm';
import type { FunnelCounts } from '../domain/learning/funnel.js';
import type { ScoreComponentCode } from '../domain/scoring/types.js';
import type { Db } from './database.js';

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** One lead e-mailed in the window: its milestones, the subject its first e-mail went out with, the draft's subjects and its latest score's components. */
export type LearningRow = {
  leadId: string;
  angle: string;
  opened: boolean;
  replied: boolean;
  meeting: boolean;
  sentSubject: string | null;
  subjectA: string | null;
  subjectB: string | null;
  editedSubject: string | null;
  components: Partial<Record<ScoreComponentCode, number>> | null;
};

export const createLearningQuery = (db: Db) => ({
  /**
   * Every lead whose first e-mail (its `email_sent` milestone) fell in [since, until): whether it
   * ever opened, replied (e-mail or LinkedIn) or booked a meeting, and the first e-mail's subject
   * (the outbox's `initial` step, frozen at enqueue) beside its draft's subjects.
   */
  outcomes: async (since: Date, until: Date): Promise<LearningRow[]> => {
    const rows = rowsOf<{
      lead_id: string;
      angle: string;
      opened: boolean;
      replied: boolean;
      meeting: boolean;
      sent_subject: string | null;
      subject_a: string | null;
      subject_b: string | null;
      edited_subject: string | null;
      components: { code: string; points: number }[] | null;
    }>(
      await db.execute(sql`select s.lead_id, s.angle,
          exists (select 1 from lead_milestones m where m.lead_id = s.lead_id and m.type = 'email_opened') as opened,
          exists (select 1 from lead_milestones m where m.lead_id = s.lead_id and m.type in ('email_replied', 'linkedin_replied')) as replied,
          exists (select 1 from lead_milestones m where m.lead_id = s.lead_id and m.type = 'meeting_booked') as meeting,
          o.subject as sent_subject, d.subject_a, d.subject_b, d.edited_subject,
          (select sc.breakdown -> 'components' from scores sc where sc.lead_id = s.lead_id order by sc.created_at desc limit 1) as components
        from lead_milestones s
        left join lateral (select ob.subject, ob.draft_id from outbox ob
          where ob.lead_id = s.lead_id and ob.step = 'initial' and ob.channel <> 'heyreach' and ob.status = 'sent'
          order by ob.sent_at nulls last limit 1) o on true
        left join drafts d on d.id = o.draft_id
        where s.type = 'email_sent' and s.at >= ${since} and s.at < ${until}
        order by s.lead_id`),
    );
    return rows.map((r) => ({
      leadId: r.lead_id,
      angle: r.angle,
      opened: Boolean(r.opened),
      replied: Boolean(r.replied),
      meeting: Boolean(r.meeting),
      sentSubject: r.sent_subject,
      subjectA: r.subject_a,
      subjectB: r.subject_b,
      editedSubject: r.edited_subject,
      components: Array.isArray(r.components) ? Object.fromEntries(r.components.map((c) => [c.code, Number(c.points)])) : null,
    }));
  },

  /**
   * The funnel of the leads discovered since `since` (duplicates folded into another lead left out): how many reached each step.
   * Each step is one hash join of the window's leads with its table, not a probe per lead: the
   * correlated form took about 0.9 s at 100,000 leads on every /kpis load, and a materialized list
   * of the window's ids (whose size the planner cannot see) still led it to probe per lead
   * (docs/benchmarks.md).
   */
  funnel: async (since: Date): Promise<FunnelCounts> => {
    const window = sql`l.created_at >= ${since} and l.duplicate_of is null`;
    const [row] = rowsOf<Record<keyof FunnelCounts, number>>(
      await db.execute(sql`select
          (select count(*) from leads l where ${window})::int as discovered,
          (select count(*) from leads l where ${window} and exists (select 1 from scores s where s.lead_id = l.id))::int as scored,
          d.drafted, d.approved, m.contacted, m.replied, m.meeting
        from (select count(*)::int as drafted, count(*) filter (where approved)::int as approved
            from (select dr.lead_id, bool_or(dr.status in ('approved', 'sent')) as approved
              from drafts dr join leads l on l.id = dr.lead_id where ${window} group by dr.lead_id) x) d,
          (select count(*) filter (where contacted)::int as contacted, count(*) filter (where replied)::int as replied, count(*) filter (where meeting)::int as meeting
            from (select mi.lead_id,
                bool_or(mi.type in ('email_sent', 'linkedin_connection_sent')) as contacted,
                bool_or(mi.type in ('email_replied', 'linkedin_replied')) as replied,
                bool_or(mi.type = 'meeting_booked') as meeting
              from lead_milestones mi join leads l on l.id = mi.lead_id where ${window} group by mi.lead_id) y) m`),
    );
    const n = (v: unknown) => Number(v ?? 0);
    return { discovered: n(row?.discovered), scored: n(row?.scored), drafted: n(row?.drafted), approved: n(row?.approved), contacted: n(row?.contacted), replied: n(row?.replied), meeting: n(row?.meeting) };
  },
});

export type LearningQuery = ReturnType<typeof createLearningQuery>;
