import { sql } from 'drizzle-orm';
import { slotWords } from '../domain/drafting/reply-draft.js';
import { learningRowOf, type MeetingRow } from '../domain/queen/index.js';
import { nearestFreeSlots } from '../domain/replies/slot-pick.js';
import { AppError } from '../lib/app-error.js';
import type { QueenActs, QueenReads } from '../queen/ports.js';
import { openDispatch } from '../deps.js';
import type { AppDeps } from './app-deps.js';
import { followThroughProvidersFor } from './follow-through.js';
import { learningReportFor } from './learning.js';
import { meetingBriefsFor } from './meeting-briefs.js';
import { createRepliesView, replyDeskFor } from './replies-view.js';

/**
 * QUEEN's reads of the reply desk, the SCHEDULER's calendar, the meeting briefs, the learning
 * report, the RB2B visitors and the webhook inbox, and its one booking act: the same use cases as
 * `caio replies list|slots|book|brief`, `caio learn report` and the stores behind them. No address
 * leaves here in a list (replies and visitors carry ids, classes and companies only).
 */
type Row = Record<string, unknown>;
const rowsOf = (result: unknown): Row[] => (result as { rows: Row[] }).rows;
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());
/** Meetings briefed per ask (a brief is a page). */
const MAX_BRIEFS = 5;

const withDispatch = async <T>(app: AppDeps, work: (dispatch: Awaited<ReturnType<typeof openDispatch>>) => Promise<T>): Promise<T> => {
  const dispatch = await openDispatch(app);
  try {
    return await work(dispatch);
  } finally {
    await dispatch.close();
  }
};

/** Building a brief opens no channel: the brief alone is read, never delivered from here. */
const briefsOf = (app: AppDeps) => meetingBriefsFor(app, { sandboxes: {} });

export const queenSignalReadsFor = (app: AppDeps): Pick<QueenReads, 'replies' | 'calendarSlots' | 'meetings' | 'learning' | 'visitors' | 'visitorContacts' | 'webhooks'> => {
  const db = app.database.db;
  return {
    replies: async (q) =>
      (await createRepliesView(db).list({ ...(q.class ? { class: q.class } : {}), limit: q.limit })).map((r) => ({
        id: r.id,
        channel: r.channel,
        receivedAt: r.receivedAt,
        class: r.class,
        kind: r.kind,
        confidence: r.confidence,
        evidence: r.evidence,
        proposedTimes: r.proposedTimes.map((p) => p.at),
        needsResponse: r.needsResponse,
        appointmentId: r.appointmentId,
      })),
    calendarSlots: (q) =>
      withDispatch(app, async (dispatch) => {
        if (q.replyId) {
          const s = await replyDeskFor(app, dispatch, (id) => briefsOf(app).brief(id)).slots(q.replyId);
          return { ...s, replyId: s.replyId };
        }
        // No reply named: the calendar's slots in the zone the request named, else the owner's.
        const timeZone = q.timeZone ?? app.config.dispatch.timeZone;
        const bookingUrl = app.config.scheduler.bookingUrl ?? app.config.sender.calendarLink ?? null;
        const providers = await followThroughProvidersFor(app, dispatch);
        if (!providers.calendar) return { replyId: null, timeZone, calendar: false, bookingUrl, slots: [] };
        const now = app.clock.now();
        const free = await providers.calendar.freeSlots({ start: now, end: new Date(now.getTime() + q.days * 86_400_000), timeZone });
        const usable = nearestFreeSlots(free, null, { now, timeZone, businessHours: app.config.dispatch.businessHours, count: 40 });
        return { replyId: null, timeZone, calendar: true, bookingUrl, slots: usable.map((at) => ({ at, label: slotWords(at, timeZone) })) };
      }),
    meetings: async (q) => {
      const now = app.clock.now();
      const to = new Date(now.getTime() + q.hours * 3_600_000);
      const view = createRepliesView(db);
      const booked = q.replyId ? [] : await view.meetingsBetween(now, to);
      const meetings: MeetingRow[] = [];
      if (q.replyId) {
        const brief = await briefsOf(app).brief(q.replyId);
        if (brief.meeting) meetings.push({ replyId: q.replyId, appointmentId: brief.meeting.appointmentId, slot: brief.meeting.slot, brief: { title: brief.title, text: brief.text } });
      } else
        for (const m of booked.slice(0, MAX_BRIEFS)) {
          const brief = await briefsOf(app)
            .brief(m.replyId)
            .catch(() => null);
          meetings.push({ replyId: m.replyId, appointmentId: m.appointmentId, slot: m.slot, brief: brief && { title: brief.title, text: brief.text } });
        }
      return { from: now.toISOString(), to: to.toISOString(), count: q.replyId ? meetings.length : booked.length, meetings };
    },
    learning: async (days) => learningRowOf(await learningReportFor(db, app.config.learning)(app.clock.now(), days)),
    visitors: async (limit) => {
      const rows = rowsOf(
        await db.execute(sql`select l.id, l.status, l.tier, l.points, coalesce(l.title, l.profile->>'title') as title, coalesce(l.company_name, l.profile->'company'->>'name') as company, l.profile->'company'->>'domain' as domain,
            count(e.id)::int as visits, max(e.at) as last_visit
          from leads l left join lead_events e on e.lead_id = l.id and e.type = 'website_visit'
          where l.source = 'rb2b' group by l.id order by max(e.at) desc nulls last, l.created_at desc limit ${limit}`),
      );
      const visitors = rows.map((r) => ({
        leadId: String(r.id),
        company: (r.company as string | null) ?? null,
        domain: (r.domain as string | null) ?? null,
        title: (r.title as string | null) ?? null,
        status: String(r.status),
        tier: (r.tier as string | null) ?? null,
        points: r.points === null || r.points === undefined ? null : Number(r.points),
        visits: Number(r.visits),
        lastVisit: iso(r.last_visit),
      }));
      return { count: visitors.length, visitors };
    },
    // Every lead with a website visit on its timeline, whatever its source: a visit lands on a stored lead when RB2B's
    // e-mail or LinkedIn URL matches it (signals/process-inbox.ts), else on a new RB2B lead. Same company: by company domain.
    visitorContacts: async (limit) =>
      rowsOf(
        await db.execute(sql`with v as (
            select l.id, l.source, l.status, l.tier, coalesce(l.title, l.profile->>'title') as title, coalesce(l.company_name, l.profile->'company'->>'name') as company,
              lower(l.profile->'company'->>'domain') as domain, count(e.id)::int as visits, max(e.at) as last_visit
            from leads l join lead_events e on e.lead_id = l.id and e.type = 'website_visit'
            group by l.id order by max(e.at) desc limit ${limit})
          select v.*, (select count(*)::int from leads o where o.id <> v.id and v.domain is not null and lower(o.profile->'company'->>'domain') = v.domain) as same_company
          from v order by v.last_visit desc`),
      ).map((r) => ({
        leadId: String(r.id),
        company: (r.company as string | null) ?? null,
        domain: (r.domain as string | null) ?? null,
        title: (r.title as string | null) ?? null,
        source: String(r.source),
        status: String(r.status),
        tier: (r.tier as string | null) ?? null,
        visits: Number(r.visits),
        lastVisit: iso(r.last_visit),
        sameCompanyLeads: Number(r.same_company),
      })),
    webhooks: async (since) => {
      const rows = rowsOf(
        await db.execute(sql`select provider, status, count(*)::int as n, max(received_at) as last from webhook_inbox where received_at >= ${since.toISOString()}::timestamptz group by provider, status order by provider, status`),
      );
      const byProvider: Record<string, Record<string, number>> = {};
      for (const r of rows) byProvider[String(r.provider)] = { ...byProvider[String(r.provider)], [String(r.status)]: Number(r.n) };
      const last = rows.map((r) => iso(r.last)).filter((x): x is string => x !== null);
      return { total: rows.reduce((s, r) => s + Number(r.n), 0), byProvider, last: last.sort().at(-1) ?? null };
    },
  };
};

/** A booking by hand, as `caio replies book`: the slot given, else the reply's first proposed time. */
export const queenBookFor =
  (app: AppDeps): QueenActs['bookReply'] =>
  async (replyId, slot, by) => {
    const at = slot ?? (await createRepliesView(app.database.db).show(replyId))?.proposedTimes[0]?.at ?? null;
    if (!at) throw new AppError('INVALID_INPUT', `reply ${replyId} proposed no time: name the slot to book (an ISO time from the free slots)`);
    return withDispatch(app, (dispatch) => replyDeskFor(app, dispatch, (id) => briefsOf(app).brief(id)).book(replyId, { slot: new Date(at), by }));
  };
