import { and, desc, eq, inArray, like, lt, or, sql } from 'drizzle-orm';
import type { LlmNote, ObjectionKind, ProposedTime, ReplyClass } from '../domain/replies/index.js';
import type { ReplyLeadCard, ReplyStore, StoredReply } from '../signals/ports.js';
import type { Db } from './database.js';
import { drafts, leads, replies } from './schema.js';

const toReply = (r: typeof replies.$inferSelect): StoredReply => ({
  id: r.id,
  inboxId: r.inboxId,
  leadId: r.leadId,
  channel: r.channel === 'linkedin' ? 'linkedin' : 'email',
  receivedAt: r.receivedAt,
  class: r.class as ReplyClass,
  kind: (r.kind as ObjectionKind | null) ?? null,
  confidence: r.confidence,
  evidence: (r.evidence as string[]) ?? [],
  proposedTimes: (r.proposedTimes as ProposedTime[]) ?? [],
  returnDate: r.returnDate,
  timeZone: r.timeZone,
  needsResponse: r.needsResponse,
  excerpt: r.excerpt,
  referredLeadId: r.referredLeadId,
  pausedUntil: r.pausedUntil,
  llm: (r.llm as LlmNote | null) ?? null,
});

/** A reply as `caio replies list|show` print it: with the lead's address (a person's view, never a log line). */
export type ReplyListing = StoredReply & { leadEmail: string | null; leadName: string | null; company: string | null; draftId: string | null; appointmentId: string | null };

const IANA = /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$|^UTC$/;

/** The replies and what they said: written in the delivery's transaction, read by the CLI and the actions. */
export const createReplyStore = (db: Db): ReplyStore & { byId(id: string): Promise<StoredReply | null> } => ({
  record: async (reply) => {
    const [inserted] = await db
      .insert(replies)
      .values({ ...reply, evidence: reply.evidence, proposedTimes: reply.proposedTimes })
      .onConflictDoNothing({ target: replies.inboxId })
      .returning();
    if (inserted) return { reply: toReply(inserted), created: true };
    const [existing] = await db.select().from(replies).where(eq(replies.inboxId, reply.inboxId)).limit(1);
    if (!existing) throw new Error('a reply was neither stored nor found for its delivery');
    return { reply: toReply(existing), created: false };
  },
  byInbox: async (inboxId) => {
    const [row] = await db.select().from(replies).where(eq(replies.inboxId, inboxId)).limit(1);
    return row ? toReply(row) : null;
  },
  byId: async (id) => {
    const [row] = await db.select().from(replies).where(eq(replies.id, id)).limit(1);
    return row ? toReply(row) : null;
  },
  setFollowUp: async (id, followUp) => {
    await db
      .update(replies)
      .set({ ...(followUp.referredLeadId !== undefined ? { referredLeadId: followUp.referredLeadId } : {}), ...(followUp.pausedUntil !== undefined ? { pausedUntil: followUp.pausedUntil } : {}) })
      .where(eq(replies.id, id));
  },
  leadTimeZone: async (leadId) => {
    const [row] = await db
      .select({ zone: sql<string | null>`coalesce(${leads.profile}->>'timeZone', ${leads.profile}->>'timezone')` })
      .from(leads)
      .where(eq(leads.id, leadId))
      .limit(1);
    const zone = row?.zone?.trim();
    if (!zone || !IANA.test(zone)) return null;
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      return null;
    }
  },
  offeredSlots: async (leadId) => {
    // The slots live in the draft's grounding ("free slot" entries, in the order the answer lists them; reply-draft.ts).
    // Only an answer a person approved can have reached the prospect: a pending or rejected one offered nothing.
    const [row] = await db
      .select({ grounding: drafts.grounding })
      .from(drafts)
      .where(and(eq(drafts.leadId, leadId), like(drafts.angleId, 'reply:%'), inArray(drafts.status, ['approved', 'sent'])))
      .orderBy(desc(drafts.createdAt), desc(drafts.version))
      .limit(1);
    const grounding = Array.isArray(row?.grounding) ? (row.grounding as { claim?: unknown; value?: unknown }[]) : [];
    return grounding
      .filter((g) => g.claim === 'free slot' && typeof g.value === 'string')
      .map((g) => new Date(g.value as string))
      .filter((d) => Number.isFinite(d.getTime()));
  },
});

/** Reads for `caio replies list|show` and the follow-through's actions (outside any transaction). */
export const createReplyQueries = (db: Db) => {
  const listing = (r: { reply: typeof replies.$inferSelect; email: string | null; firstName: string | null; lastName: string | null; company: string | null; draftId: string | null; appointmentId: string | null }): ReplyListing => ({
    ...toReply(r.reply),
    draftId: r.draftId,
    appointmentId: r.appointmentId,
    leadEmail: r.email,
    leadName: [r.firstName, r.lastName].filter(Boolean).join(' ') || null,
    company: r.company,
  });
  // The suggested answer's draft (issue 17 item 3): queued under the run id `reply:<reply id>`, the newest version.
  // Written out qualified: in a select from replies alone, drizzle names its columns bare ("id"), which
  // inside these subqueries would be the subquery's own table's.
  const draftId = sql<string | null>`(select d.id::text from drafts d where d.run_id = 'reply:' || replies.id::text order by d.version desc limit 1)`;
  // The meeting the SCHEDULER booked for this reply (issue 17 item 4): the meeting_booked event's details name the reply.
  const appointmentId = sql<
    string | null
  >`(select e.details->>'appointmentId' from lead_events e where e.lead_id = replies.lead_id and e.type = 'meeting_booked' and e.details->>'replyId' = replies.id::text order by e.at desc, e.id desc limit 1)`;
  const select = () => db.select({ reply: replies, draftId, appointmentId }).from(replies);
  /**
   * The people of a page of replies, by id, after the page is chosen: a join chosen before the
   * limit let PostgreSQL hash every lead when it had no statistics on the replies table (an empty,
   * never analysed one: 650 ms at 100,000 leads for an empty /replies).
   */
  const withPeople = async (rows: { reply: typeof replies.$inferSelect; draftId: string | null; appointmentId: string | null }[]): Promise<ReplyListing[]> => {
    const ids = [...new Set(rows.map((r) => r.reply.leadId).filter((id): id is string => id !== null))];
    const people = ids.length ? await db.select({ id: leads.id, email: leads.email, firstName: leads.firstName, lastName: leads.lastName, company: leads.companyName }).from(leads).where(inArray(leads.id, ids)) : [];
    const byId = new Map(people.map((p) => [p.id, p]));
    return rows.map((r) => {
      const person = r.reply.leadId ? byId.get(r.reply.leadId) : undefined;
      return listing({ ...r, email: person?.email ?? null, firstName: person?.firstName ?? null, lastName: person?.lastName ?? null, company: person?.company ?? null });
    });
  };
  return {
    /** Newest first; `before` pages on (receivedAt, id). */
    list: async (options: { class?: string; limit?: number; before?: { receivedAt: Date; id: string } } = {}): Promise<ReplyListing[]> => {
      const filters = [
        ...(options.class ? [eq(replies.class, options.class)] : []),
        ...(options.before ? [or(lt(replies.receivedAt, options.before.receivedAt), and(eq(replies.receivedAt, options.before.receivedAt), lt(replies.id, options.before.id)))!] : []),
      ];
      const rows = await select()
        .where(filters.length ? and(...filters) : undefined)
        .orderBy(desc(replies.receivedAt), desc(replies.id))
        .limit(options.limit ?? 100);
      return withPeople(rows);
    },
    show: async (id: string): Promise<ReplyListing | null> => {
      const [row] = await select().where(eq(replies.id, id)).limit(1);
      return row ? ((await withPeople([row]))[0] ?? null) : null;
    },
    reply: async (id: string) => {
      const [row] = await db.select().from(replies).where(eq(replies.id, id)).limit(1);
      return row ? toReply(row) : null;
    },
    lead: async (id: string): Promise<ReplyLeadCard | null> => {
      const [row] = await db.select({ id: leads.id, email: leads.email, firstName: leads.firstName, lastName: leads.lastName, company: leads.companyName }).from(leads).where(eq(leads.id, id)).limit(1);
      return row ?? null;
    },
  };
};
