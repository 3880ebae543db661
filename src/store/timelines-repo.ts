import { sql } from 'drizzle-orm';
import type { LeadEvent } from '../signals/ports.js';
import type { Db } from './database.js';
import { leadEvents } from './schema.js';

type EventRow = {
  id: string | number;
  lead_id: string;
  at: string | Date;
  channel: string;
  type: string;
  source: string;
  from_status: string | null;
  to_status: string | null;
  inbox_id: string | null;
  details: Record<string, unknown> | null;
};

/**
 * The newest `limit` events of each of `leadIds`, newest first per lead (the order and the cut of
 * `LeadEventStore.timeline`), in one statement however many leads: the revival scan reads the
 * timelines of a page of CRM contacts at once (issue 20 item 5).
 */
export const timelinesOf = async (db: Db, leadIds: readonly string[], limit: number): Promise<Map<string, LeadEvent[]>> => {
  const out = new Map<string, LeadEvent[]>();
  if (leadIds.length === 0) return out;
  const { rows } = (await db.execute(sql`
    select id, lead_id, at, channel, type, source, from_status, to_status, inbox_id, details from (
      select e.*, row_number() over (partition by e.lead_id order by e.at desc, e.id desc) as n
      from ${leadEvents} e where e.lead_id = any(${sql.param([...leadIds])}::uuid[])) t
    where n <= ${limit}
    order by lead_id, at desc, id desc`)) as { rows: EventRow[] };
  for (const r of rows) {
    const event: LeadEvent = { id: Number(r.id), leadId: r.lead_id, at: new Date(r.at), channel: r.channel, type: r.type, source: r.source, fromStatus: r.from_status, toStatus: r.to_status, inboxId: r.inbox_id, details: r.details ?? {} };
    const list = out.get(r.lead_id);
    if (list) list.push(event);
    else out.set(r.lead_id, [event]);
  }
  return out;
};
