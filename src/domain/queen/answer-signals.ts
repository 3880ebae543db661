import type { BookingRow, LearningRow, MeetingsFound, RateArm, RepliesFound, ReplyReading, SlotsFound, VisitorsFound, WebhooksRow } from './results.js';

/**
 * The answer's lines for the reply, calendar, meeting, learning, visitor and webhook tools: written
 * only from what the tool returned (every figure is one of its values), and saying plainly when
 * there is nothing. Pure.
 */

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** What a person does next with a reply of this class (the follow-through's own handling, docs/replies.md). */
export const NEXT_FOR_CLASS: Record<string, string> = {
  meeting_request: 'offer or book a slot (calendar.slots, then caio replies book)',
  interested: 'answer with a meeting proposal; the suggested answer waits in the review queue',
  question: 'a person answers the question; the suggested answer waits in the review queue',
  objection: 'answer the objection itself, low pressure; a person reviews the suggested answer',
  referral: 'thank them and contact the person named, as a new lead',
  out_of_office: 'no answer: the cadence waits until the return date',
  not_interested: 'no answer: the lead is closed and the cadence stops',
  unsubscribe: 'no answer: the address is suppressed and nothing more is sent',
  auto_reply: 'no answer needed',
};

export const classifyLine = (r: ReplyReading): string =>
  [
    `Reply read (${r.chars} characters given in the request; nothing stored): intent ${r.class}${r.kind ? ` (${r.kind})` : ''}, confidence ${r.confidence}.`,
    r.evidence.length ? `Evidence: ${r.evidence.map((e) => `"${e}"`).join('; ')}.` : 'Evidence: none found in the text.',
    r.proposedTimes.length ? `Proposed times: ${r.proposedTimes.map((p) => `${p.at} ("${p.text}", ${p.precision})`).join('; ')}.` : '',
    r.returnDate ? `Back on ${r.returnDate}.` : '',
    `Recommended response: ${NEXT_FOR_CLASS[r.class] ?? 'a person reads it'}.`,
  ]
    .filter(Boolean)
    .join(' ');

export const repliesLine = (r: RepliesFound, args: Record<string, unknown>): string => {
  const filter = args.class ? ` of class ${String(args.class)}` : '';
  if (r.count === 0) return `No stored reply${filter}: nothing to summarise.${args.class || args.text ? '' : ' To read a reply you have, paste its text in quotes (or after "reply:").'}`;
  const waiting = r.replies.filter((x) => x.needsResponse).length;
  return [
    `Latest ${r.count} stored replies${filter} by intent: ${list(r.byClass)}; ${waiting === 0 ? 'none needs' : waiting === r.count ? 'all need' : 'some need'} a response.`,
    ...r.replies.map(
      (x) =>
        `Reply ${x.id} (${x.channel}, ${x.receivedAt}): ${x.class}${x.kind ? ` (${x.kind})` : ''}, confidence ${x.confidence}${x.evidence.length ? `, evidence "${x.evidence[0]}"` : ''}${x.proposedTimes.length ? `, proposes ${x.proposedTimes.join(', ')}` : ''}${x.appointmentId ? `, booked (appointment ${x.appointmentId})` : ''}; ${x.needsResponse ? 'needs a response' : 'no response needed'}; recommended response: ${NEXT_FOR_CLASS[x.class] ?? 'a person reads it'}.`,
    ),
  ].join(' ');
};

const ZONE_FROM: Record<SlotsFound['zoneFrom'], string> = {
  reply: "the reply's time zone",
  request: 'the time zone named in the request',
  owner: "the owner's time zone: no reply or zone named, so the prospect's zone is unknown; timezone clarification needed before booking",
};

export const slotsLine = (s: SlotsFound): string => {
  const zone = `in ${s.timeZone} (${ZONE_FROM[s.zoneFrom] ?? s.zoneFrom}${s.replyId ? `, reply ${s.replyId}` : ''})`;
  if (!s.calendar)
    return `Availability: no calendar is connected (scheduler.calendarId unset), so no free slot can be checked${s.bookingUrl ? `; the booking link ${s.bookingUrl} is offered instead` : ''}. No slot is proposed without an availability check.`;
  if (s.slots.length === 0) return `Availability checked: the calendar has no free slot ${zone} in the window looked at.`;
  return `Availability checked: candidate slots ${zone}, each in UTC and local time: ${s.slots
    .slice(0, 8)
    .map((x) => `${x.at} UTC (${x.label})`)
    .join('; ')}${s.slots.length > 8 ? '; more with caio replies slots' : ''}. A slot is booked only after confirmation.`;
};

export const bookLine = (b: BookingRow): string =>
  b.booked
    ? `Meeting confirmation: reply ${b.replyId} booked for ${b.slot} UTC (status ${b.status}): a calendar event (appointment) at GoHighLevel, and a confirmation draft queued for a person's review; QUEEN sent nothing.`
    : `Reply ${b.replyId} was not booked for ${b.slot} (status ${b.status}${b.error ? `: ${b.error}` : ''}); nothing was booked.`;

export const meetingsLine = (m: MeetingsFound, args: Record<string, unknown>): string => {
  if (m.count === 0) return args.replyId ? `No booked meeting for reply ${String(args.replyId)}: no brief to show.` : `No meeting booked from ${m.from} to ${m.to}: no meeting prep needed.`;
  return `Meeting prep: ${m.count} booked meetings from ${m.from} to ${m.to}. ${m.meetings
    .map((x) => `Meeting at ${x.slot} UTC (reply ${x.replyId}, appointment ${x.appointmentId}): ${x.brief ? `${x.brief.title}. ${x.brief.text.replace(/\s*\n\s*/g, ' / ')}` : 'no brief could be built (the lead is gone)'}`)
    .join(' | ')}`;
};

const armWords = (a: RateArm) => `${a.name} ${a.successes} of ${a.n}${a.rate === null ? '' : ` = ${a.rate} (interval ${a.low} to ${a.high})`}`;

export const learningLine = (l: LearningRow): string => {
  if (l.sent === 0) return `Learning report ${l.since} to ${l.until}: no lead was first e-mailed in the window, so no variant or angle has data yet (no winner is declared without data).`;
  const side = (name: string, c: LearningRow['variants']) =>
    Object.entries(c)
      .map(([metric, x]) => `${name} ${metric}: ${x.arms.map(armWords).join(', ')}; ${x.verdict}`)
      .join('. ');
  return [
    `Learning report ${l.since} to ${l.until}: ${l.sent} leads first e-mailed.`,
    `A/B test of subject lines (running on every draft, variants A and B): ${side('subject', l.variants)}.`,
    `Angles: ${side('angle', l.angles)}.`,
    `Success criteria: a variant wins only when its rate beats the other's at alpha ${l.alpha} with at least ${l.minSample} sends per arm; otherwise no winner is declared.`,
    l.suggestions.length ? `Suggested ICP weight changes (for a person to apply in the config; nothing is changed from here): ${l.suggestions.join(' ')}` : 'No ICP weight change is suggested by the outcomes so far.',
  ].join(' ');
};

export const visitorsLine = (v: VisitorsFound): string => {
  if (v.count === 0) return 'Website visitors: no RB2B visitor is recorded; nothing to rank.';
  return `Website visitors (RB2B), in a ranking with a signal-based rationale: the most recorded visits first, then the higher ICP score; first to contact first: ${v.visitors
    .map(
      (x) =>
        `${x.company ?? 'company unknown'}${x.domain ? ` (${x.domain})` : ''}, ${x.title ?? 'title unknown'}: ${x.visits} visits, last ${x.lastVisit ?? 'unknown'}, ${x.tier ?? 'not scored'}${x.points === null ? '' : ` ${x.points} points`}, ${x.status} (lead ${x.leadId})`,
    )
    .join(' > ')}. Contact priority follows that order; a visitor is contacted only through the pipeline (a draft a person approves).`;
};

export const webhooksLine = (w: WebhooksRow): string =>
  w.total === 0
    ? `Webhook deliveries since ${w.since} (the last ${w.sinceHours} hours): none stored.`
    : `Webhook deliveries since ${w.since} (the last ${w.sinceHours} hours): ${w.total} stored, each having passed its provider's signature check (a delivery failing it is refused at the door and not stored, so not counted here); by provider and status: ${Object.entries(
        w.byProvider,
      )
        .map(([p, s]) => `${p} (${list(s)})`)
        .join('; ')}; last at ${w.last ?? 'unknown'}.`;
