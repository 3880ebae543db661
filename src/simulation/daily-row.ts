import { sql } from 'drizzle-orm';
import type { Db } from '../store/database.js';
import { rowsOf } from './rows.js';

/** One simulated day, as the table and `--json`'s `daily` show it. */
export type DailyRow = {
  day: number;
  date: string;
  sent: number;
  emails: number;
  linkedin: number;
  opened: number;
  clicked: number;
  replied: number;
  meetings: number;
  /** Of those, booked from a reply that picked one of the slots our answer offered ("the second option works"). */
  slotPickMeetings: number;
  bounces: number;
  unsubscribes: number;
  accepted: number;
  approved: number;
  edited: number;
  rejected: number;
  batchesApproved: number;
  batchesRejected: number;
  /** Items the send gateway refused or put off, by guard (quota_daily, cross_channel_cap, emergency_stop ...). */
  refusals: Record<string, number>;
  violations: number;
};

/** The day's sends from the outbox, its engagement from the leads' timelines and the reply store (what our webhooks recorded). */
export const countDay = async (db: Db, day: number, from: Date, to: Date, extra: Pick<DailyRow, 'approved' | 'edited' | 'rejected' | 'batchesApproved' | 'batchesRejected' | 'refusals' | 'violations'>): Promise<DailyRow> => {
  const sends = rowsOf<{ emails: number; linkedin: number }>(
    await db.execute(sql`
    select count(*) filter (where channel <> 'heyreach')::int as emails, count(*) filter (where channel = 'heyreach')::int as linkedin
    from outbox where status = 'sent' and sent_at >= ${from.toISOString()}::timestamptz and sent_at < ${to.toISOString()}::timestamptz`),
  )[0]!;
  const events = rowsOf<{ type: string; n: number }>(
    await db.execute(sql`
    select type, count(distinct lead_id)::int as n from lead_events
    where at >= ${from.toISOString()}::timestamptz and at < ${to.toISOString()}::timestamptz
      and type in ('email_opened', 'email_clicked', 'email_replied', 'linkedin_replied', 'meeting_booked', 'email_bounced', 'unsubscribed', 'linkedin_connection_accepted')
    group by type`),
  );
  // Replies from the reply store (every class: a "not interested" moves the lead without an email_replied event).
  const replies = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from replies where received_at >= ${from.toISOString()}::timestamptz and received_at < ${to.toISOString()}::timestamptz`))[0]!;
  // Meetings the SCHEDULER booked for a reply that picked one of our offered slots (its reading names the slot's position).
  const picked = rowsOf<{ n: number }>(
    await db.execute(sql`
    select count(distinct e.lead_id)::int as n from lead_events e join replies r on r.id::text = e.details->>'replyId'
    where e.type = 'meeting_booked' and e.at >= ${from.toISOString()}::timestamptz and e.at < ${to.toISOString()}::timestamptz
      and jsonb_typeof(r.proposed_times) = 'array' and exists (select 1 from jsonb_array_elements(r.proposed_times) t where t ? 'picksOffered')`),
  )[0]!;
  const n = (type: string) => Number(events.find((e) => e.type === type)?.n ?? 0);
  return {
    day,
    date: from.toISOString().slice(0, 10),
    sent: Number(sends.emails) + Number(sends.linkedin),
    emails: Number(sends.emails),
    linkedin: Number(sends.linkedin),
    opened: n('email_opened'),
    clicked: n('email_clicked'),
    replied: Number(replies.n),
    meetings: n('meeting_booked'),
    slotPickMeetings: Number(picked.n),
    bounces: n('email_bounced'),
    unsubscribes: n('unsubscribed'),
    accepted: n('linkedin_connection_accepted'),
    ...extra,
  };
};
