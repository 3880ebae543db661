import { ANGLE_IDS } from '../domain/drafting/index.js';
import { buildLearningReport, type LeadOutcome } from '../domain/learning/index.js';
import { learningRowOf, type LeadRow, type ReplyRow } from '../domain/queen/index.js';
import { buildMeetingBrief, timeInZone } from '../domain/replies/meeting-brief.js';
import { understandReply } from '../domain/replies/index.js';
import type { QueenReads } from './ports.js';

/**
 * The replay sandbox's replies, calendar, meetings, learning, visitors and webhooks: each computed
 * by the same domain functions production uses (the reply understanding reads the seeded texts,
 * the learning report is built from seeded outcomes, the brief by the brief builder), over invented
 * data at a fixed time. No case's figures are planted.
 */
const OWNER_ZONE = 'America/New_York';
const uuid = (block: string, i: number) => `00000000-0000-4000-${block}-${String(i).padStart(12, '0')}`;

const REPLY_TEXTS: readonly [string, 'email' | 'linkedin', number][] = [
  ['Thanks for reaching out. Could we talk Tuesday at 2pm ET? Happy to see a demo.', 'email', 3],
  ['We already use Outreach and are locked in until next year, so not a fit right now.', 'email', 7],
  ['I am out of the office until Monday January 19 with limited access to e-mail.', 'email', 10],
  ['Please remove me from your list.', 'linkedin', 26],
];

/** Webhook deliveries stored (provider, processing status, hours ago). */
const DELIVERIES: readonly [string, string, number][] = [
  ['instantly', 'processed', 3],
  ['instantly', 'processed', 7],
  ['instantly', 'processed', 10],
  ['heyreach', 'processed', 26],
  ['rb2b', 'processed', 2],
  ['rb2b', 'processed', 4],
  ['rb2b', 'unknown_lead', 30],
  ['instantly', 'failed', 5],
];

type SeedReply = ReplyRow & { text: string };

const seedReplies = (now: Date): SeedReply[] =>
  REPLY_TEXTS.map(([text, channel, hoursAgo], i) => {
    const sentAt = new Date(now.getTime() - hoursAgo * 3_600_000);
    const r = understandReply(text, { sentAt, timeZone: OWNER_ZONE });
    const needsResponse = r.class === 'meeting_request' || r.class === 'interested' || r.class === 'question' || r.class === 'objection';
    return {
      id: uuid('9000', i + 1),
      channel,
      receivedAt: sentAt.toISOString(),
      class: r.class,
      kind: r.kind,
      confidence: r.confidence,
      evidence: r.evidence,
      proposedTimes: r.proposedTimes.map((p) => p.at),
      needsResponse,
      appointmentId: null,
      text,
    };
  });

/** The sandbox calendar's free slots: weekdays at 10:00, 14:00 and 16:00 in the owner's zone (15:00, 19:00, 21:00 UTC in January). */
const freeSlots = (now: Date, days: number): string[] => {
  const out: string[] = [];
  for (let d = 1; d <= days; d++) {
    const day = new Date(now.getTime() + d * 86_400_000);
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    for (const hour of [15, 19, 21]) out.push(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour)).toISOString());
  }
  return out;
};

/** Leads first e-mailed in the last four weeks: subject variant and angle per lead, and what came of it. */
const seedOutcomes = (): LeadOutcome[] =>
  Array.from({ length: 240 }, (_, i) => ({
    leadId: uuid('7000', i + 1),
    angle: ANGLE_IDS[i % 3] ?? 'unknown',
    variant: i % 2 === 0 ? 'A' : 'B',
    opened: i % 5 < (i % 2 === 0 ? 3 : 2),
    replied: i % 2 === 0 ? i % 12 === 0 : i % 20 === 1,
    meeting: i % 40 === 0,
    components: null,
  }));

export const sandboxSignalReads = (now: Date, leads: readonly LeadRow[]): Pick<QueenReads, 'replies' | 'calendarSlots' | 'meetings' | 'learning' | 'visitors' | 'visitorContacts' | 'webhooks'> => {
  const replies = seedReplies(now);
  const booked = { replyId: replies[0]!.id, appointmentId: 'appt_sandbox_0001', slot: new Date(now.getTime() + 27 * 3_600_000).toISOString() };
  const bookedLead = leads[0];
  return {
    replies: async (q) =>
      replies
        .filter((r) => !q.class || r.class === q.class)
        .slice(0, q.limit)
        .map(({ text: _t, ...r }) => r),
    calendarSlots: async (q) => {
      const reply = q.replyId ? replies.find((r) => r.id === q.replyId) : undefined;
      if (q.replyId && !reply) throw new Error(`no reply with id ${q.replyId}`);
      const timeZone = q.timeZone ?? OWNER_ZONE;
      return { replyId: reply?.id ?? null, timeZone, calendar: true, bookingUrl: null, slots: freeSlots(now, q.days).map((at) => ({ at, label: timeInZone(at, timeZone) })) };
    },
    meetings: async (q) => {
      const to = new Date(now.getTime() + q.hours * 3_600_000);
      const inWindow = (q.replyId ? booked.replyId === q.replyId : new Date(booked.slot) < to) ? [booked] : [];
      return {
        from: now.toISOString(),
        to: to.toISOString(),
        count: inWindow.length,
        meetings: inWindow.map((m) => ({
          ...m,
          brief: buildMeetingBrief({
            person: { name: 'Sandbox Contact', title: bookedLead?.title ?? null, location: null, linkedinUrl: null },
            company: { name: bookedLead?.company ?? null, domain: null, industry: null, size: null },
            score: { points: bookedLead?.points ?? null, tier: bookedLead?.tier ?? null, reasons: [] },
            conversation: [{ at: replies[0]!.receivedAt, direction: 'received', channel: 'email', subject: null, text: replies[0]!.text, note: replies[0]!.class }],
            angleId: ANGLE_IDS[0] ?? null,
            reply: { class: replies[0]!.class, kind: replies[0]!.kind, evidence: replies[0]!.evidence },
            meeting: { slot: m.slot, appointmentId: m.appointmentId },
            prospectTimeZone: OWNER_ZONE,
            ownerTimeZone: OWNER_ZONE,
          }),
        })),
      };
    },
    learning: async (days) =>
      learningRowOf(
        buildLearningReport(
          seedOutcomes(),
          { since: new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10), until: now.toISOString().slice(0, 10) },
          { alpha: 0.05, minPerArm: 100, minOutcomesForFit: 30, autoShift: false, maxShift: 0.3 },
        ),
      ),
    visitors: async (limit) => ({
      count: Math.min(3, limit),
      visitors: leads
        .slice(1, 4)
        .slice(0, limit)
        .map((l, i) => ({
          leadId: l.id,
          company: l.company,
          domain: (l.email ?? '').split('@')[1] ?? null,
          title: l.title,
          status: l.status,
          tier: l.tier,
          points: l.points,
          visits: [2, 5, 1][i] ?? 1,
          lastVisit: new Date(now.getTime() - (i + 2) * 3_600_000).toISOString(),
        })),
    }),
    // The same three RB2B visitors, and one stored contact (the first seeded lead, found by Apollo) whose visits RB2B matched to it.
    visitorContacts: async (limit) =>
      // Visits and last visits as visitors.recent gives them for the RB2B three (2, 3 and 4 hours ago); the stored contact's last an hour ago.
      (
        [
          [0, 3, 1],
          [1, 2, 2],
          [2, 5, 3],
          [3, 1, 4],
        ] as const
      )
        .map(([n, visits, hours]) => ({ l: leads[n]!, visits, hours }))
        .slice(0, limit)
        .map(({ l, visits, hours }) => ({
          leadId: l.id,
          company: l.company,
          domain: (l.email ?? '').split('@')[1] ?? null,
          title: l.title,
          source: l.id === leads[0]!.id ? 'apollo_search' : 'rb2b',
          status: l.status,
          tier: l.tier,
          visits,
          lastVisit: new Date(now.getTime() - hours * 3_600_000).toISOString(),
          sameCompanyLeads: 0,
        })),
    webhooks: async (since) => {
      const inWindow = DELIVERIES.map(([provider, status, hoursAgo]) => ({ provider, status, at: new Date(now.getTime() - hoursAgo * 3_600_000) })).filter((d) => d.at >= since);
      const byProvider: Record<string, Record<string, number>> = {};
      for (const d of inWindow) byProvider[d.provider] = { ...byProvider[d.provider], [d.status]: (byProvider[d.provider]?.[d.status] ?? 0) + 1 };
      return {
        total: inWindow.length,
        byProvider,
        last:
          inWindow
            .map((d) => d.at.toISOString())
            .sort()
            .at(-1) ?? null,
      };
    },
  };
};
