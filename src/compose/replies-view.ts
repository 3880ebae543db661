import { sql } from 'drizzle-orm';
import { slotWords } from '../domain/drafting/reply-draft.js';
import { isReplyAngle } from '../domain/drafting/reply-draft.js';
import { cleanReply } from '../domain/replies/index.js';
import type { BriefMessage, MeetingBriefInput, ReplyConversation, ReplyDesk, ReplyListItem } from '../domain/replies/meeting-brief.js';
import { nearestFreeSlots } from '../domain/replies/slot-pick.js';
import { stepLabel } from '../domain/labels.js';
import { AppError } from '../lib/app-error.js';
import type { BookedMeeting } from '../signals/meeting-brief.js';
import type { StoredDelivery } from '../signals/ports.js';
import type { Db } from '../store/database.js';
import { createReplyQueries, type ReplyListing } from '../store/replies-repo.js';
import type { AppDeps, DispatchSet } from './app-deps.js';
import { bookReplyByHand, followThroughExecutorFor, followThroughProvidersFor, replyTextOf, type FollowThroughProvidersWithCalendar } from './follow-through.js';

type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] => (result as { rows: Row[] }).rows;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shape `caio replies list --json` prints and `GET /api/replies` answers (issue 17 item 6). */
export const replyListingJson = (r: ReplyListing): ReplyListItem => ({
  id: r.id,
  leadEmail: r.leadEmail,
  channel: r.channel,
  receivedAt: r.receivedAt.toISOString(),
  class: r.class,
  kind: r.kind,
  confidence: r.confidence,
  evidence: r.evidence,
  proposedTimes: r.proposedTimes,
  needsResponse: r.needsResponse,
  draftId: r.draftId,
  appointmentId: r.appointmentId,
  llm: r.llm ?? null,
});

/**
 * The read model behind the /replies page, its API and the meeting brief: one lead's conversation
 * across channels (what the OPERATOR sent, e-mail and LinkedIn, and every reply, cleaned of quotes
 * and signatures), the suggested answer, the appointment, the angle of the touch they answered.
 */
export const createRepliesView = (db: Db) => {
  const queries = createReplyQueries(db);

  const messagesOf = async (leadId: string): Promise<BriefMessage[]> => {
    const [sent, received] = await Promise.all([
      db.execute(sql`select o.channel, o.step, o.subject, o.body, o.sent_at from outbox o where o.lead_id = ${leadId} and o.status = 'sent' and o.sent_at is not null order by o.sent_at limit 200`),
      db.execute(sql`select r.received_at, r.channel, r.class, r.kind, r.excerpt, i.provider, i.event_type, i.payload from replies r join webhook_inbox i on i.id = r.inbox_id where r.lead_id = ${leadId} order by r.received_at limit 200`),
    ]);
    const ours = rowsOf(sent).map((r): BriefMessage => ({
      at: iso(r.sent_at)!,
      direction: 'sent',
      channel: r.channel === 'heyreach' ? 'linkedin' : 'email',
      subject: str(r.subject),
      text: str(r.body) ?? (r.channel === 'heyreach' ? '(a LinkedIn connection request)' : '(no text kept)'),
      note: r.step === 'reply' ? 'our answer to their reply' : stepLabel(String(r.step)),
    }));
    const theirs = rowsOf(received).map((r): BriefMessage => {
      const raw = replyTextOf({ provider: String(r.provider), eventType: String(r.event_type), payload: r.payload } as StoredDelivery);
      const text = raw ? cleanReply(raw) : '';
      return {
        at: iso(r.received_at)!,
        direction: 'received',
        channel: r.channel === 'linkedin' ? 'linkedin' : 'email',
        subject: null,
        text: text || String(r.excerpt ?? ''),
        note: r.kind ? `${String(r.class)}, ${String(r.kind)}` : String(r.class),
      };
    });
    return [...ours, ...theirs].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  };

  /** The lead's latest meeting event: booked or moved (live), or cancelled. */
  const appointmentOf = async (leadId: string) => {
    const [last] = rowsOf(await db.execute(sql`select type, details from lead_events where lead_id = ${leadId} and type in ('meeting_booked', 'meeting_moved', 'meeting_cancelled') order by at desc, id desc limit 1`));
    const d = (last?.details ?? {}) as Row;
    if (!last || typeof d.appointmentId !== 'string') return null;
    return { id: d.appointmentId, slot: typeof d.slot === 'string' ? d.slot : null, status: last.type === 'meeting_cancelled' ? ('cancelled' as const) : last.type === 'meeting_moved' ? ('moved' as const) : ('booked' as const) };
  };

  /** The angle of the last campaign draft sent before the lead's first reply (the one that got an answer). */
  const angleThatWorked = async (leadId: string): Promise<string | null> => {
    const [row] = rowsOf(
      await db.execute(sql`select d.angle_id from outbox o join drafts d on d.id = o.draft_id
        where o.lead_id = ${leadId} and o.status = 'sent' and d.angle_id not like 'reply:%'
          and o.sent_at <= coalesce((select min(received_at) from replies where lead_id = ${leadId}), now())
        order by o.sent_at desc limit 1`),
    );
    return str(row?.angle_id);
  };

  const show = async (id: string): Promise<ReplyConversation | null> => {
    if (!UUID.test(id)) return null;
    const reply = await queries.show(id);
    if (!reply) return null;
    const [leadRow] = reply.leadId ? rowsOf(await db.execute(sql`select title, status from leads where id = ${reply.leadId}`)) : [];
    const [draft] = rowsOf(
      await db.execute(sql`select id, status, angle_id, angle_reason, subject_a, body, edited_subject, edited_body, decided_by, decided_at from drafts where run_id = ${`reply:${reply.id}`} order by version desc, created_at desc limit 1`),
    );
    const appointment = reply.leadId ? await appointmentOf(reply.leadId) : null;
    return {
      ...replyListingJson(reply),
      leadId: reply.leadId,
      leadName: reply.leadName,
      company: reply.company,
      title: str(leadRow?.title),
      leadStatus: str(leadRow?.status),
      excerpt: reply.excerpt,
      timeZone: reply.timeZone,
      returnDate: reply.returnDate?.toISOString() ?? null,
      messages: reply.leadId ? await messagesOf(reply.leadId) : [],
      suggestedAnswer:
        draft && isReplyAngle(String(draft.angle_id))
          ? {
              id: String(draft.id),
              status: String(draft.status),
              angleId: String(draft.angle_id),
              subject: String(draft.subject_a ?? ''),
              body: String(draft.body ?? ''),
              editedSubject: str(draft.edited_subject),
              editedBody: str(draft.edited_body),
              reason: String(draft.angle_reason ?? ''),
              decidedBy: str(draft.decided_by),
              decidedAt: iso(draft.decided_at),
            }
          : null,
      appointment: appointment?.slot ? { id: appointment.id, slot: new Date(appointment.slot).toISOString(), status: appointment.status } : null,
    };
  };

  /** The facts of a meeting brief for a reply's lead (domain/replies/meeting-brief.ts builds the text). */
  const briefFacts = async (replyId: string, ownerTimeZone: string): Promise<{ input: MeetingBriefInput; leadId: string } | null> => {
    if (!UUID.test(replyId)) return null;
    const reply = await queries.show(replyId);
    if (!reply?.leadId) return null;
    const leadId = reply.leadId;
    const [lead] = rowsOf(await db.execute(sql`select first_name, last_name, title, company_name, linkedin_url, profile from leads where id = ${leadId}`));
    if (!lead) return null;
    const [score] = rowsOf(await db.execute(sql`select points, tier, reasons from scores where lead_id = ${leadId} order by created_at desc limit 1`));
    const profile = (lead.profile ?? {}) as { location?: string | null; company?: { domain?: string | null; industry?: string | null; employeeCount?: number | null } };
    const appointment = await appointmentOf(leadId);
    // The reply that booked the live meeting is the one the brief reads; else the one asked about.
    const live = appointment && appointment.status !== 'cancelled' && appointment.slot ? appointment : null;
    return {
      leadId,
      input: {
        person: { name: [lead.first_name, lead.last_name].filter(Boolean).join(' ') || 'The prospect', title: str(lead.title), location: str(profile.location), linkedinUrl: str(lead.linkedin_url) },
        company: { name: str(lead.company_name), domain: str(profile.company?.domain), industry: str(profile.company?.industry), size: typeof profile.company?.employeeCount === 'number' ? String(profile.company.employeeCount) : null },
        score: { points: typeof score?.points === 'number' ? score.points : null, tier: str(score?.tier), reasons: Array.isArray(score?.reasons) ? (score.reasons as unknown[]).map(String) : [] },
        conversation: await messagesOf(leadId),
        angleId: await angleThatWorked(leadId),
        reply: { class: reply.class, kind: reply.kind, evidence: reply.evidence },
        meeting: live ? { slot: new Date(live.slot!).toISOString(), appointmentId: live.id } : null,
        prospectTimeZone: reply.timeZone,
        ownerTimeZone,
      },
    };
  };

  /** Every lead's live meeting starting in [from, to): the latest meeting event per lead, unless it is a cancellation. */
  const meetingsBetween = async (from: Date, to: Date): Promise<BookedMeeting[]> => {
    const rows = rowsOf(
      await db.execute(sql`select * from (
          select distinct on (lead_id) lead_id, type, details from lead_events
          where type in ('meeting_booked', 'meeting_moved', 'meeting_cancelled') order by lead_id, at desc, id desc) last
        where last.type <> 'meeting_cancelled' and (last.details->>'slot')::timestamptz >= ${from.toISOString()}::timestamptz and (last.details->>'slot')::timestamptz < ${to.toISOString()}::timestamptz`),
    );
    const meetings: BookedMeeting[] = [];
    for (const r of rows) {
      const d = r.details as Row;
      if (typeof d.appointmentId !== 'string' || typeof d.slot !== 'string' || typeof d.replyId !== 'string') continue;
      // A moved meeting's event names the reply that moved it; the brief reads the lead's whole conversation either way.
      meetings.push({ replyId: d.replyId, leadId: String(r.lead_id), appointmentId: d.appointmentId, slot: new Date(d.slot).toISOString() });
    }
    return meetings.sort((a, b) => Date.parse(a.slot) - Date.parse(b.slot));
  };

  return {
    list: async (o: { class?: string | undefined; limit: number }) => (await queries.list({ ...(o.class ? { class: o.class } : {}), limit: o.limit })).map(replyListingJson),
    show,
    briefFacts,
    meetingsBetween,
  };
};

/**
 * The /replies desk of one app (API and page): the read model, live slots from the same GoHighLevel
 * calendar the SCHEDULER books on, a booking by hand through the SCHEDULER's action, the brief. The
 * providers are opened on first use (they may start nothing, but the API is built synchronously).
 */
export const replyDeskFor = (app: AppDeps, dispatch: Pick<DispatchSet, 'sandboxes'>, brief: (id: string) => ReturnType<ReplyDesk['brief']>): ReplyDesk => {
  const view = createRepliesView(app.database.db);
  let providers: Promise<FollowThroughProvidersWithCalendar> | null = null;
  const providersNow = () => (providers ??= followThroughProvidersFor(app, dispatch));
  const replyOr404 = async (id: string) => {
    const reply = UUID.test(id) ? await createReplyQueries(app.database.db).reply(id) : null;
    if (!reply) throw new AppError('NOT_FOUND', `no reply with id ${id}`);
    return reply;
  };
  return {
    list: view.list,
    show: view.show,
    slots: async (id) => {
      const reply = await replyOr404(id);
      const bookingUrl = app.config.scheduler.bookingUrl ?? app.config.sender.calendarLink ?? null;
      const calendar = (await providersNow()).calendar;
      if (!calendar) return { replyId: reply.id, timeZone: reply.timeZone, calendar: false, bookingUrl, slots: [] };
      const now = app.clock.now();
      const free = await calendar.freeSlots({ start: now, end: new Date(now.getTime() + app.config.scheduler.lookaheadDays * 86_400_000), timeZone: reply.timeZone });
      // What the SCHEDULER would book: at least an hour ahead, within business hours in the prospect's zone.
      const usable = nearestFreeSlots(free, null, { now, timeZone: reply.timeZone, businessHours: app.config.dispatch.businessHours, count: 40 });
      return { replyId: reply.id, timeZone: reply.timeZone, calendar: true, bookingUrl, slots: usable.map((at) => ({ at, label: slotWords(at, reply.timeZone) })) };
    },
    book: async (id, o) => {
      await replyOr404(id);
      const executor = followThroughExecutorFor(app, await providersNow());
      return bookReplyByHand(app, executor, { replyId: id, slot: o.slot, by: o.by });
    },
    brief,
  };
};
