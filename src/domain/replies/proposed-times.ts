/**
 * Times a prospect proposes, as UTC instants, resolved against the moment the reply was sent and
 * the prospect's time zone (or a zone written after the time: "10:30 ET"). The decisions, also in
 * docs/replies.md:
 * - A weekday alone is its next occurrence after the day of sending (never that day: "today" says
 *   that); "this Tue" is the one in the current week if still ahead; "next Tue" / "Tue next week"
 *   is the one in the following Monday-to-Sunday week; "last Tue" is the past and dropped.
 * - A date without a year takes the year that puts it nearest the day of sending; a date (or time)
 *   that is then in the past is dropped, and so is an impossible one (2/30, 13/1, "the 31st" of a
 *   30-day month).
 * - An hour without am/pm: 1-7 is afternoon, 8-11 morning, 12 noon, 13-23 as written; "morning" /
 *   "afternoon" next to it decides instead.
 * - Without an hour: morning = 09:00, noon/lunch = 12:00, afternoon = 14:00, evening = 17:00, a day
 *   alone = 09:00 local, marked by `precision`. If that start is already past but the window is
 *   not ("this afternoon" written at 15:10), the next whole hour is used.
 * - A day alone or a part of day alone counts only where the sentence is about meeting ("works",
 *   "free", "could we", a question mark...), so "we signed on Monday" proposes nothing; a day just
 *   after "back", "until", "after", "before" ... or in a clause that says "can't", "doesn't work",
 *   "I'm out" is not a proposal.
 * - Offered slots are picked by ordinal ("the second option", "option 2", "option B", "the last one"), by "either
 *   works", by day ("the 11th works", "Tuesday works") or by time ("2pm works").
 * - Near a DST change a skipped wall time moves forward by the gap and a repeated one takes the
 *   earlier instant (zoned-time.ts).
 */
import { DEFAULT_BUSINESS_HOURS, resolveTimeZone, type BusinessHours } from '../sending/timing.js';
import { cityZoneIn, findTimeMentions, lowerSameLength, type DayMention, type DaySpec, type PartOfDay, type TimeMention } from './time-mentions.js';
import { addDays, daysBetween, instantOfLocal, isoWeekday, isRealDate, localDateTimeAt, sameDate, ZONE_WORDS, type LocalDate } from './zoned-time.js';

export type TimePrecision = 'exact' | 'part_of_day' | 'day';

export type ProposedTime = {
  /** ISO 8601 UTC instant. */
  at: string;
  /** The words it was read from. */
  text: string;
  precision: TimePrecision;
  /** The zone the words were read in: a zone named in the reply, else the prospect's. */
  timeZone: string;
  /** Index into `offeredSlots` (from 0) when the reply picks one of the times we offered. */
  picksOffered?: number;
  /** On a weekend or outside business hours in the prospect's zone: kept, but worth a confirmation. */
  outsideBusinessHours?: true;
};

export type TimeContext = {
  sentAt: Date;
  /** The prospect's IANA zone when known, else dispatch.timeZone; an invalid name reads as UTC. */
  timeZone: string;
  offeredSlots?: readonly Date[];
  /** Our zone, for "3pm your time"; without it "your time" reads in the prospect's zone. */
  senderTimeZone?: string;
  businessHours?: BusinessHours;
};

/** Start and end (exclusive) local hours of the windows a reply can name without a clock time. */
export const WINDOW_HOURS: Readonly<Record<PartOfDay | 'day', { start: number; end: number }>> = {
  morning: { start: 9, end: 12 },
  noon: { start: 12, end: 14 },
  afternoon: { start: 14, end: 18 },
  evening: { start: 17, end: 21 },
  day: { start: 9, end: 18 },
};

/** Local hours [start, end) in which an offered slot counts as "Tuesday afternoon" and so on. */
const SLOT_WINDOWS: Readonly<Record<PartOfDay | 'day', { start: number; end: number }>> = {
  morning: { start: 0, end: 12 },
  noon: { start: 11, end: 14 },
  afternoon: { start: 12, end: 18 },
  evening: { start: 17, end: 24 },
  day: { start: 0, end: 24 },
};

const MS_PER_HOUR = 3_600_000;
const MAX_GAP_AFTER_DAY = 40;
const MAX_GAP_BEFORE_DAY = 20;

const BOUNDARY = /[!?;\n]|\.(?=\s|$)/;
const CLAUSE_BOUNDARY = /[,;!?\n]|\.(?=\s|$)|\bbut\b|\bhowever\b|\botherwise\b/;
const CLAUSE_BOUNDARIES = new RegExp(CLAUSE_BOUNDARY.source, 'g');
const NEXT_SENTENCE_OPENS = /^[^.!?;\n]*[.!?;\n]\s*$/;
const CONNECTOR = /^[\s,]*(?:or|and|\/|&|or maybe|or even)?[\s,]*$/;
const NOT_A_PROPOSAL_BEFORE = /(?:back|return|returning|until|till|til|through|thru|after|before|by|from|since|except|week\s+of|\b(?:is|was)\s+a|'s\s+a)\s+(?:on\s+|the\s+|next\s+|this\s+)*$/;
const NEGATIVE_CLAUSE =
  /(?<![\p{L}])(?:can't|cant|cannot|can not|won't|wont|doesn't|doesnt|don't|dont|isn't|not|unavailable|booked|(?:i'm|im|i am|i'll be|we're|we are|will be|be)\s+(?:out|off|away|traveling|travelling|busy)|out of (?:the )?office|on (?:leave|vacation|holiday|pto))(?![\p{L}])/u;
const MEETING_CUE =
  /(?<![\p{L}])(?:works?|best|better|prefer|free|flexible|around|times?|slots?|available|availability|open|suits?|good|ok|okay|fine|how about|what about|could|can|shall|let's|lets|meet|meeting|call|chat|talk|speak|demo|invite|book|schedule|(?:let's|lets|can|could|would|shall|we|you|u|i)\s+do|catch up|sync|connect|anytime|any time|perfect|great)(?![\p{L}])|\?/u;
const ACCEPTANCE = /(?<![\p{L}])(?:works?|fine|good|ok|okay|suits?|great|perfect|please|is best|sounds)(?![\p{L}])/u;
const ORDINALS: Readonly<Record<string, number | 'last'>> = { first: 0, '1st': 0, former: 0, earlier: 0, second: 1, '2nd': 1, third: 2, '3rd': 2, fourth: 3, '4th': 3, fifth: 4, '5th': 4, last: 'last', latter: 'last', later: 'last' };
const ORDINAL_PICK =
  /(?<![\p{L}])(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|latter|former|earlier|later)\s+(?:option|one|slot|time|choice|suggestion)s?(?![\p{L}])|(?<![\p{L}])(?:option|slot|choice)\s*(?:#|no\.?|number)?\s*(\d)(?![\p{N}])|(?<![\p{L}\p{N}&])#(\d)(?![\p{N}])|(?<![\p{L}])the\s+(first|second|third|last|latter|former)(?=\s*(?:works|is|would|sounds|please|[.!,?]|$))|(?<![\p{L}])(?:option|slot|choice)\s+([a-e])(?![\p{L}\p{N}])(?=\s*(?:works|is|would|sounds|please|for|[.!,?)]|$))/gu;
const EITHER = /(?<![\p{L}])(?:either|any of (?:those|these|them|the (?:times|slots|options))|both|all of (?:those|these|them)|whichever|any (?:one|time) (?:works|is fine))(?![\p{L}])/u;

type Group = { day: DayMention | null; times: TimeMention[]; start: number; end: number };
type Slot = { index: number; ms: number };

const hasBoundary = (text: string, from: number, to: number): boolean => BOUNDARY.test(text.slice(from, to));

/** The clause around [start, end): from the previous comma, "but", full stop ... to the next. */
const clauseAround = (text: string, start: number, end: number): string => {
  const windowStart = Math.max(0, start - 160);
  let from = windowStart;
  for (const m of text.slice(windowStart, start).matchAll(CLAUSE_BOUNDARIES)) from = windowStart + m.index + m[0].length;
  const rest = text.slice(end, end + 160);
  const next = rest.search(CLAUSE_BOUNDARY);
  return text.slice(from, next < 0 ? end + rest.length : end + next);
};

const sentenceAround = (text: string, start: number, end: number): string => {
  const before = text.slice(Math.max(0, start - 200), start);
  const cut = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('!'), before.lastIndexOf('?'), before.search(/\.\s[^.]*$/));
  const after = text.slice(end, end + 200);
  const stop = after.search(/[!?\n]|\.(?=\s|$)/);
  return before.slice(cut + 1) + text.slice(start, end) + (stop < 0 ? after : after.slice(0, stop + 1));
};

const groupMentions = (text: string, days: readonly DayMention[], times: readonly TimeMention[]): Group[] => {
  const groups: Group[] = days.map((day) => ({ day, times: [], start: day.start, end: day.end }));
  const claimed = new Set<TimeMention>();
  groups.forEach((group, i) => {
    const nextDay = groups[i + 1]?.start ?? Number.POSITIVE_INFINITY;
    for (const time of times) {
      if (claimed.has(time) || time.start < group.end || time.start >= nextDay) continue;
      if (time.start - group.end > MAX_GAP_AFTER_DAY || hasBoundary(text, group.end, time.start)) continue;
      claimed.add(time);
      group.times.push(time);
      group.end = time.end;
    }
  });
  // "at 3 tomorrow": a time just before a day that has none of its own.
  for (const group of groups) {
    if (group.times.length > 0 || group.day === null) continue;
    const before = times.filter((t) => !claimed.has(t) && t.end <= group.start && group.start - t.end <= MAX_GAP_BEFORE_DAY && !hasBoundary(text, t.end, group.start)).pop();
    if (before) {
      claimed.add(before);
      group.times.push(before);
      group.start = before.start;
    }
  }
  // "Monday works. 11am central?": a day without a time takes one that opens the very next sentence.
  for (const group of groups) {
    if (group.times.length > 0 || group.day === null) continue;
    const next = times.find((t) => !claimed.has(t) && t.start >= group.end && t.start - group.end <= MAX_GAP_AFTER_DAY);
    if (next && NEXT_SENTENCE_OPENS.test(text.slice(group.end, next.start)) && !days.some((d) => d.start > group.end && d.start < next.start)) {
      claimed.add(next);
      group.times.push(next);
      group.end = next.end;
    }
  }
  // "Thursday or Friday afternoon": a day without a time shares the next day's across a connector.
  for (let i = groups.length - 2; i >= 0; i--) {
    const group = groups[i]!;
    const next = groups[i + 1]!;
    if (group.times.length === 0 && next.times.length > 0 && CONNECTOR.test(text.slice(group.end, next.day!.start))) {
      group.times = next.times;
      group.end = next.end;
    }
  }
  const floating = times.filter((t) => !claimed.has(t)).map((t) => ({ day: null, times: [t], start: t.start, end: t.end }));
  return [...groups, ...floating];
};

const isProposal = (text: string, group: Group): boolean => {
  const day = group.day!;
  if (NOT_A_PROPOSAL_BEFORE.test(text.slice(Math.max(0, day.start - 40), day.start))) return false;
  if (NEGATIVE_CLAUSE.test(clauseAround(text, group.start, group.end))) return false;
  const hasClock = group.times.some((t) => t.hour !== null);
  return hasClock || MEETING_CUE.test(sentenceAround(text, group.start, group.end));
};

const nearestYear = (month: number, day: number, today: LocalDate): LocalDate | null => {
  const candidates = [today.year - 1, today.year, today.year + 1].map((year) => ({ year, month, day })).filter(isRealDate);
  candidates.sort((a, b) => Math.abs(daysBetween(today, a)) - Math.abs(daysBetween(today, b)));
  return candidates[0] ?? null;
};

/** The local date a day mention names, or null when it is impossible or in the past. */
export const resolveDay = (spec: DaySpec, today: LocalDate): LocalDate | null => {
  let date: LocalDate | null;
  switch (spec.type) {
    case 'relative':
      date = addDays(today, spec.days);
      break;
    case 'weekday': {
      const weekday = isoWeekday(today);
      if (spec.mode === 'last') return null;
      const ahead = (spec.weekday - weekday + 7) % 7;
      date = addDays(today, spec.mode === 'next' ? 7 - weekday + spec.weekday : spec.mode === 'this' ? ahead : ahead || 7);
      break;
    }
    case 'date':
      date = spec.year === null ? nearestYear(spec.month, spec.day, today) : { year: spec.year, month: spec.month, day: spec.day };
      break;
    case 'day_of_month': {
      const month = spec.day >= today.day ? today : addDays({ ...today, day: 1 }, 31);
      date = { year: month.year, month: month.month, day: spec.day };
      break;
    }
  }
  return date !== null && isRealDate(date) && daysBetween(today, date) >= 0 ? date : null;
};

const hour24 = (time: TimeMention, part: PartOfDay | null): number => {
  const hour = time.hour!;
  if (time.meridiem === 'pm') return (hour % 12) + 12;
  if (time.meridiem === 'am') return hour % 12;
  if (hour === 0 || hour >= 13) return hour;
  if (part === 'afternoon' || part === 'evening') return (hour % 12) + 12;
  if (part === 'morning') return hour;
  return hour <= 7 ? hour + 12 : hour;
};

const zoneOf = (group: Group, context: TimeContext, prospectZone: string): string => {
  const word = group.times.find((t) => t.zone !== null)?.zone ?? null;
  if (word === null || word === 'my') return prospectZone;
  if (word === 'your') return resolveTimeZone(context.senderTimeZone, prospectZone);
  return ZONE_WORDS[word] ?? prospectZone;
};

type Resolved = { ms: number; precision: TimePrecision; zone: string; date: LocalDate; window: PartOfDay | 'day' | null };

const resolveGroup = (group: Group, context: TimeContext, prospectZone: string): Resolved[] => {
  const zone = zoneOf(group, context, prospectZone);
  const sentAt = context.sentAt.getTime();
  const date = resolveDay(group.day!.spec, localDateTimeAt(sentAt, zone));
  if (date === null) return [];
  const part = group.times.find((t) => t.part !== null)?.part ?? null;
  const clocks = group.times.filter((t) => t.hour !== null);
  if (clocks.length > 0) {
    return clocks.map((clock) => ({ ms: instantOfLocal({ ...date, hour: hour24(clock, part), minute: clock.minute }, zone), precision: 'exact' as const, zone, date, window: null })).filter((resolved) => resolved.ms > sentAt);
  }
  const windowName = part ?? 'day';
  const window = WINDOW_HOURS[windowName];
  let ms = instantOfLocal({ ...date, hour: window.start, minute: 0 }, zone);
  if (ms <= sentAt) {
    // Today's window may still be open: the next whole hour inside it.
    ms = Math.ceil((sentAt + 1) / MS_PER_HOUR) * MS_PER_HOUR;
    if (ms >= instantOfLocal({ ...date, hour: window.end, minute: 0 }, zone)) return [];
  }
  return [{ ms, precision: part ? 'part_of_day' : 'day', zone, date, window: windowName }];
};

/** The offered slot a resolved day or time lands on, if any. */
const matchingSlot = (resolved: Resolved, slots: readonly Slot[]): Slot | undefined => {
  if (resolved.window === null) return slots.find((slot) => slot.ms === resolved.ms);
  const window = SLOT_WINDOWS[resolved.window];
  return slots.find((slot) => {
    const local = localDateTimeAt(slot.ms, resolved.zone);
    return sameDate(local, resolved.date) && local.hour >= window.start && local.hour < window.end;
  });
};

const slotPicks = (text: string, groups: readonly Group[], slots: readonly Slot[], zone: string): { slot: Slot; text: string; start: number }[] => {
  if (slots.length === 0) return [];
  const picks: { slot: Slot; text: string; start: number }[] = [];
  for (const m of text.matchAll(ORDINAL_PICK)) {
    const word = m[1] ?? m[4];
    // "option B": offered slots lettered from A.
    const ordinal = word !== undefined ? ORDINALS[word] : m[5] !== undefined ? m[5].charCodeAt(0) - 'a'.charCodeAt(0) : Number(m[2] ?? m[3]) - 1;
    const index = ordinal === 'last' ? slots.length - 1 : ordinal;
    const slot = index === undefined ? undefined : slots[index];
    if (slot) picks.push({ slot, text: m[0], start: m.index });
  }
  const either = EITHER.exec(text);
  if (either && ACCEPTANCE.test(clauseAround(text, either.index, either.index + either[0].length))) picks.push({ slot: slots[0]!, text: either[0], start: either.index });
  // "2pm works": a time with no day picks the offered slot at that local time.
  for (const group of groups) {
    const time = group.times[0];
    if (group.day !== null || time === undefined || time.hour === null) continue;
    const hour = hour24(time, null);
    const slot = slots.find((s) => {
      const local = localDateTimeAt(s.ms, zone);
      return local.hour === hour && local.minute === time.minute;
    });
    if (slot) picks.push({ slot, text: text.slice(time.start, time.end), start: time.start });
  }
  return picks;
};

/** On a day off or outside the hours, in `zone` (the mark a proposed time carries; also for the LLM's times, llm-reading.ts). */
export const isOutsideBusinessHours = (ms: number, zone: string, hours: BusinessHours): boolean => {
  const local = localDateTimeAt(ms, zone);
  const weekday = isoWeekday(local);
  return !hours.weekdays.some((d) => d % 7 === weekday % 7) || local.hour < hours.startHour || local.hour >= hours.endHour;
};

/**
 * Proposed times in `text` (a cleaned reply, see clean-reply.ts), in the order written, without
 * duplicates; past and impossible ones dropped.
 */
export const findProposedTimes = (text: string, context: TimeContext): ProposedTime[] => {
  const lower = lowerSameLength(text);
  // A city the prospect says they are in ("I'm in Denver, … my time") is their zone for this reply.
  const prospectZone = resolveTimeZone(cityZoneIn(lower) ?? context.timeZone, 'UTC');
  const hours = context.businessHours ?? DEFAULT_BUSINESS_HOURS;
  const slots: Slot[] = (context.offeredSlots ?? []).map((slot, index) => ({ index, ms: slot.getTime() })).filter((slot) => Number.isFinite(slot.ms));
  const { days, times } = findTimeMentions(lower);
  const groups = groupMentions(lower, days, times);

  const found: (ProposedTime & { start: number })[] = [];
  const push = (ms: number, words: string, start: number, precision: TimePrecision, zone: string, slot: Slot | undefined) =>
    found.push({
      at: new Date(ms).toISOString(),
      text: words,
      precision,
      timeZone: zone,
      start,
      ...(slot ? { picksOffered: slot.index } : {}),
      ...(isOutsideBusinessHours(ms, prospectZone, hours) ? { outsideBusinessHours: true as const } : {}),
    });
  for (const group of groups) {
    if (group.day === null || !isProposal(lower, group)) continue;
    for (const resolved of resolveGroup(group, context, prospectZone)) {
      const slot = matchingSlot(resolved, slots);
      push(slot ? slot.ms : resolved.ms, text.slice(group.start, group.end), group.start, slot ? 'exact' : resolved.precision, resolved.zone, slot);
    }
  }
  for (const pick of slotPicks(lower, groups, slots, prospectZone)) push(pick.slot.ms, text.slice(pick.start, pick.start + pick.text.length), pick.start, 'exact', prospectZone, pick.slot);

  // One entry per instant, where it was first written; a pick of an offered slot wins over a plain mention.
  found.sort((a, b) => a.start - b.start);
  const byInstant = new Map<string, ProposedTime & { start: number }>();
  for (const time of found) {
    const earlier = byInstant.get(time.at);
    if (earlier === undefined) byInstant.set(time.at, time);
    else if (earlier.picksOffered === undefined && time.picksOffered !== undefined) byInstant.set(time.at, { ...time, start: earlier.start });
  }
  return [...byInstant.values()].sort((a, b) => a.start - b.start).map(({ start: _start, ...time }) => time);
};

// ---------------------------------------------------------------------------------------------
// Out-of-office return dates
// ---------------------------------------------------------------------------------------------

/** "back on X", "returning X": X is the first day back. */
const BACK_CUE =
  /(?<![\p{L}])(?:back(?: in the office| in office| at (?:my|the) desk| at work)?|return(?:ing|s)?(?: to the office| to work)?|reopen(?:ing|s)?|in the office (?:again )?|zurück|wieder im büro|de retour|de vuelta|regreso|regresaré|terug)(?:\s+(?:on|am|le|el|op))?(?![\p{L}])/gu;
/** "through X", "bis einschließlich X": X is the last day away. */
const THROUGH_CUE = /(?<![\p{L}])(?:through|thru|until and including|up to and including|to and including|bis einschließlich|bis einschliesslich|t\/m|tot en met|jusqu'au .{0,30}inclus)(?![\p{L}])/gu;
/** "until X", "till X": read as back on X, as out-of-office notes mean it. */
const UNTIL_CUE = /(?<![\p{L}])(?:until|till|til|bis(?:\s+(?:zum|am))?|jusqu'au|jusqu'à|hasta(?:\s+el)?|tot|até)(?![\p{L}])/gu;

const nextWeekday = (date: LocalDate): LocalDate => {
  let next = addDays(date, 1);
  while (isoWeekday(next) >= 6) next = addDays(next, 1);
  return next;
};

/**
 * When an out-of-office reply says the person is back: 09:00 local on the first day back, as an ISO
 * UTC instant, or null when it says no date or one already past. "back on", "returning" beat
 * "through" (the next weekday after it), which beats "until" (that day).
 */
export const findReturnDate = (text: string, context: TimeContext): { at: string; text: string } | null => {
  const lower = lowerSameLength(text);
  const zone = resolveTimeZone(context.timeZone, 'UTC');
  const sentAt = context.sentAt.getTime();
  const today = localDateTimeAt(sentAt, zone);
  const { days } = findTimeMentions(lower);
  for (const [cue, through] of [
    [BACK_CUE, false],
    [THROUGH_CUE, true],
    [UNTIL_CUE, false],
  ] as const) {
    for (const m of lower.matchAll(cue)) {
      const cueEnd = m.index + m[0].length;
      const day = days.find((d) => d.start >= cueEnd && d.start - cueEnd <= MAX_GAP_AFTER_DAY && !hasBoundary(lower, cueEnd, d.start));
      const date = day ? resolveDay(day.spec, today) : null;
      if (!day || !date) continue;
      const back = through ? nextWeekday(date) : date;
      const ms = instantOfLocal({ ...back, hour: WINDOW_HOURS.day.start, minute: 0 }, zone);
      if (ms > sentAt) return { at: new Date(ms).toISOString(), text: text.slice(m.index, day.end) };
    }
  }
  return null;
};
