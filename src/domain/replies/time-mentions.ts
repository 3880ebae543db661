/**
 * Finds the words of a reply that name a day ("Tuesday", "next Wed", "tomorrow", "3/14",
 * "March 14", "the 17th") or a time of day ("2pm", "10:30 ET", "between 1 and 3pm PT", "at 3",
 * "morning"), with their positions. Pairing them and turning them into instants is
 * proposed-times.ts's work.
 *
 * Reads lower-cased text. Numeric dates are US month/day ("3/14"); a first number above 12 makes an
 * impossible date, which is dropped, not read as day/month. Dotted dates with a year ("20.03.2026")
 * are day.month.year, the only way they are written.
 */

import { CITY_NAMES, ZONE_WORDS } from './zoned-time.js';

export type DaySpec =
  { type: 'relative'; days: number } | { type: 'weekday'; weekday: number; mode: 'bare' | 'this' | 'next' | 'last' } | { type: 'date'; month: number; day: number; year: number | null } | { type: 'day_of_month'; day: number };

export type PartOfDay = 'morning' | 'noon' | 'afternoon' | 'evening';

export type DayMention = { start: number; end: number; spec: DaySpec };
export type TimeMention = {
  start: number;
  end: number;
  /** Hour as written (1-12 with a meridiem or when ambiguous, 0-23 otherwise); null for a part of day alone. */
  hour: number | null;
  minute: number;
  meridiem: 'am' | 'pm' | null;
  part: PartOfDay | null;
  /** A zone word written after the time ("ET", "PT", "UK time"), or "my"/"your" for "my time"/"your time". */
  zone: string | null;
};

const WEEKDAYS: Readonly<Record<string, number>> = {
  monday: 1,
  mon: 1,
  tuesday: 2,
  tues: 2,
  tue: 2,
  wednesday: 3,
  weds: 3,
  wed: 3,
  thursday: 4,
  thurs: 4,
  thur: 4,
  thu: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sunday: 7,
};

const ENGLISH_MONTHS: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

/** Month names of the languages out-of-office replies commonly come in (day-first dates only). */
const OTHER_MONTHS: Readonly<Record<string, number>> = {
  januar: 1,
  jänner: 1,
  janvier: 1,
  enero: 1,
  janeiro: 1,
  januari: 1,
  februar: 2,
  février: 2,
  fevrier: 2,
  febrero: 2,
  fevereiro: 2,
  februari: 2,
  märz: 3,
  maerz: 3,
  mars: 3,
  marzo: 3,
  março: 3,
  maart: 3,
  avril: 4,
  abril: 4,
  mai: 5,
  mayo: 5,
  maio: 5,
  mei: 5,
  juni: 6,
  juin: 6,
  junio: 6,
  junho: 6,
  juli: 7,
  juillet: 7,
  julio: 7,
  julho: 7,
  août: 8,
  aout: 8,
  agosto: 8,
  augustus: 8,
  septembre: 9,
  septiembre: 9,
  setiembre: 9,
  setembro: 9,
  oktober: 10,
  octobre: 10,
  octubre: 10,
  outubro: 10,
  novembre: 11,
  noviembre: 11,
  novembro: 11,
  dezember: 12,
  décembre: 12,
  diciembre: 12,
  dezembro: 12,
};

const ALL_MONTHS: Readonly<Record<string, number>> = { ...ENGLISH_MONTHS, ...OTHER_MONTHS };

const alternation = (words: Iterable<string>): string => [...words].sort((a, b) => b.length - a.length).join('|');

const B = '(?<![\\p{L}\\p{N}])'; // no letter or digit before
const E = '(?![\\p{L}\\p{N}])'; // none after

// "this" of "this afternoon" is today; the part of day is found as a time.
const RELATIVE_DAY = new RegExp(`${B}(the day after tomorrow|day after tomorrow|today|tomorrow|tmrw|tmr|tomorow|tommorow|tommorrow|2morrow|this(?=\\s+(?:afternoon|evening)${E}))${E}`, 'gu');
// "c'mon" is not a Monday: no apostrophe may precede a weekday.
const WEEKDAY = new RegExp(`(?<![\\p{L}\\p{N}'])(?:(next|this|coming|last)\\s+)?(${alternation(Object.keys(WEEKDAYS))})${E}\\.?(\\s+next\\s+week${E})?`, 'gu');
// Not "24/7", "1/2 hour", "50/50 split", "$10/3": a date has no digit, slash, "$" or "." around it and is not a quantity.
const NEXT_WEEK_BEFORE = new RegExp(`${B}next\\s+week${E}`, 'u');
const NUMERIC_DATE = new RegExp(`(?<![\\p{N}/.$])(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}|\\d{2}))?(?![\\p{N}/%])(?!\\s*(?:hours?|hrs?|days?|weeks?|months?|years?|of|off|split)${E})`, 'gu');
const ISO_DATE = new RegExp(`(?<![\\p{N}])(\\d{4})-(\\d{2})-(\\d{2})(?![\\p{N}])`, 'gu');
const DOTTED_DATE = new RegExp(`(?<![\\p{N}.])(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})(?![\\p{N}])`, 'gu');
const MONTH_DAY = new RegExp(`${B}(${alternation(Object.keys(ENGLISH_MONTHS))})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?![\\p{L}\\p{N}:])(?:,?\\s+(\\d{4})${E})?`, 'gu');
const DAY_MONTH = new RegExp(`(?<![\\p{N}/.])(\\d{1,2})(?:st|nd|rd|th|\\.)?\\s+(?:of\\s+|de\\s+)?(${alternation(Object.keys(ALL_MONTHS))})${E}\\.?(?:,?\\s+(?:de\\s+)?(\\d{4})${E})?`, 'gu');
// "the 2nd option" picks an offered slot; it is not the 2nd of the month.
const ORDINAL_DAY = new RegExp(`${B}the\\s+(\\d{1,2})(?:st|nd|rd|th)${E}(?!\\s+(?:option|one|slot|choice|time|suggestion)s?${E})`, 'gu');

const MERIDIEM_WORD = '(a\\.?m\\.?|p\\.?m\\.?)(?![\\p{L}])';
// "between 1 and 3pm", "2-4 PT": a range counts by its start; a zone may stand for the meridiem.
const RANGE = new RegExp(
  `(?<![\\p{N}:./])(\\d{1,2})(?:[:.](\\d{2}))?\\s*(?:-|–|to|and)\\s*(\\d{1,2})(?:[:.](\\d{2}))?\\s*(?:${MERIDIEM_WORD}|(?=\\(?(?:et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|gmt|utc|cet|cest|bst|eastern|central|mountain|pacific)${E}))`,
  'gu',
);
const WITH_MERIDIEM = new RegExp(`(?<![\\p{N}:./])(\\d{1,2})(?:[:.](\\d{2}))?\\s*${MERIDIEM_WORD}|(?<![\\p{N}:./])(\\d{1,2})(?::(\\d{2}))?([ap])${E}`, 'gu');
const CLOCK = new RegExp(`(?<![\\p{N}:./])([01]?\\d|2[0-3])(?::|h)([0-5]\\d)(?![\\p{N}])|(?<=${B}(?:at|@)\\s{0,2})(\\d{1,2})\\.([0-5]\\d)(?![\\p{N}])`, 'gu');
// A bare hour needs a preposition ("at 3", "around 10") or "ish"/"-ish"/"o'clock", and must not be a quantity ("at 3 locations").
const BARE_HOUR = new RegExp(
  `${B}(?:(?:at|@|around|after|from|between|say|about)\\s+(\\d{1,2})(?:-?ish)?|(\\d{1,2})(?:-?ish|\\s*o'?clock))(?![\\p{N}:/%])(?!\\.\\d)(?!\\s*(?:percent|people|users|reps|seats|mins?|minutes|hours?|hrs?|days?|weeks?|months?|years?|x|k|employees|companies|of|am|pm|a\\.m|p\\.m)${E})`,
  'gu',
);
// "3 ET": an hour with a zone after it needs no preposition.
const HOUR_BEFORE_ZONE = new RegExp(`(?<![\\p{N}:./])(\\d{1,2})(?=\\s*\\(?(?:et|est|edt|ct|cst|cdt|mt|mst|mdt|pt|pst|pdt|gmt|utc|cet|cest|bst|eastern|central|mountain|pacific)${E})`, 'gu');
// "good morning" is a greeting and "this morning" is nearly always the past.
const PART_OF_DAY = new RegExp(`(?<!good\\s|this\\s(?=morning))${B}(after lunch|morning|afternoon|evening|noon|midday|lunchtime|lunch|first thing)${E}`, 'gu');
const CITY = alternation([...CITY_NAMES, 'london']);
const ZONE_AFTER = new RegExp(`^\\s*\\(?(?:(et|est|edt|eastern|ct|cst|cdt|central|mt|mst|mdt|mountain|pt|pst|pdt|pacific|gmt|utc|cet|cest|bst)${E}\\)?(?:\\s+time${E})?|(uk|my|your|${CITY})\\s+time${E})`, 'u');
// "I'm in Denver", "we're based out of Austin": where the prospect is, for "my time" and times without a zone.
const WHERE_I_AM = new RegExp(`${B}(?:i'm|im|i am|we're|we are|based|located|sitting|living|here)\\s+(?:based\\s+)?(?:in|out of)\\s+(${CITY})${E}`, 'u');

const PARTS: Readonly<Record<string, PartOfDay>> = { 'after lunch': 'afternoon', morning: 'morning', 'first thing': 'morning', afternoon: 'afternoon', evening: 'evening', noon: 'noon', midday: 'noon', lunch: 'noon', lunchtime: 'noon' };

const twoDigitYear = (year: string | undefined): number | null => {
  if (year === undefined) return null;
  const value = Number(year);
  return year.length === 2 ? 2000 + value : value;
};

const dayMentions = (text: string): DayMention[] => {
  const found: DayMention[] = [];
  const add = (match: RegExpExecArray, spec: DaySpec) => found.push({ start: match.index, end: match.index + match[0].length, spec });
  for (const m of text.matchAll(RELATIVE_DAY)) add(m, { type: 'relative', days: m[1] === 'today' || m[1] === 'this' ? 0 : m[1]!.includes('after') ? 2 : 1 });
  for (const m of text.matchAll(WEEKDAY)) {
    // "Let's find time next week. I'm flexible Tue/Wed": a bare weekday after "next week" is in that week.
    const afterNextWeek = m[1] === undefined && NEXT_WEEK_BEFORE.test(text.slice(Math.max(0, m.index - 150), m.index));
    const mode = m[3] !== undefined || afterNextWeek ? 'next' : m[1] === 'next' || m[1] === 'last' || m[1] === 'this' ? m[1] : m[1] === 'coming' ? 'this' : 'bare';
    add(m, { type: 'weekday', weekday: WEEKDAYS[m[2]!]!, mode });
  }
  for (const m of text.matchAll(NUMERIC_DATE)) add(m, { type: 'date', month: Number(m[1]), day: Number(m[2]), year: twoDigitYear(m[3]) });
  for (const m of text.matchAll(ISO_DATE)) add(m, { type: 'date', month: Number(m[2]), day: Number(m[3]), year: Number(m[1]) });
  for (const m of text.matchAll(DOTTED_DATE)) add(m, { type: 'date', month: Number(m[2]), day: Number(m[1]), year: Number(m[3]) });
  for (const m of text.matchAll(MONTH_DAY)) add(m, { type: 'date', month: ENGLISH_MONTHS[m[1]!]!, day: Number(m[2]), year: twoDigitYear(m[3]) });
  for (const m of text.matchAll(DAY_MONTH)) add(m, { type: 'date', month: ALL_MONTHS[m[2]!]!, day: Number(m[1]), year: twoDigitYear(m[3]) });
  for (const m of text.matchAll(ORDINAL_DAY)) add(m, { type: 'day_of_month', day: Number(m[1]) });
  return sharedNextWeek(text, mergeWeekdayWithDate(withoutOverlaps(found)));
};

/** Keeps the earliest of overlapping mentions, the longest when they start together. */
const withoutOverlaps = <T extends { start: number; end: number }>(mentions: T[]): T[] => {
  const sorted = [...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: T[] = [];
  for (const mention of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || mention.start >= last.end) kept.push(mention);
  }
  return kept;
};

/** "wed or thu next week": weekdays joined by "or"/"and"/"/" share the "next week" written after the last. */
const sharedNextWeek = (text: string, mentions: DayMention[]): DayMention[] => {
  const out = [...mentions];
  for (let i = out.length - 2; i >= 0; i--) {
    const day = out[i]!;
    const next = out[i + 1]!;
    if (day.spec.type !== 'weekday' || day.spec.mode !== 'bare' || next.spec.type !== 'weekday' || next.spec.mode !== 'next') continue;
    if (/^[\s,]*(?:or|and|\/|&)[\s,]*$/.test(text.slice(day.end, next.start))) out[i] = { ...day, spec: { ...day.spec, mode: 'next' } };
  }
  return out;
};

/** "Monday, March 16" and "Thu 3/12" are one day: the date decides, the weekday only decorates it. */
const mergeWeekdayWithDate = (mentions: DayMention[]): DayMention[] => {
  const merged: DayMention[] = [];
  for (const mention of mentions) {
    const last = merged[merged.length - 1];
    const isDate = mention.spec.type === 'date' || mention.spec.type === 'day_of_month';
    if (last !== undefined && last.spec.type === 'weekday' && isDate && mention.start - last.end <= 3) {
      merged[merged.length - 1] = { start: last.start, end: mention.end, spec: mention.spec };
    } else {
      merged.push(mention);
    }
  }
  return merged;
};

const meridiemOf = (word: string | undefined): 'am' | 'pm' | null => (word === undefined ? null : word.startsWith('a') ? 'am' : 'pm');

const timeMentions = (text: string): TimeMention[] => {
  const kept: TimeMention[] = [];
  const overlaps = (start: number, end: number) => kept.some((t) => start < t.end && end > t.start);
  const add = (start: number, end: number, time: Omit<TimeMention, 'start' | 'end' | 'zone'>) => {
    if (overlaps(start, end)) return;
    const zone = time.hour === null ? null : ZONE_AFTER.exec(text.slice(end, end + 24));
    kept.push({ start, end: end + (zone ? zone[0].length : 0), zone: zone ? (zone[1] ?? zone[2] ?? null) : null, ...time });
  };
  for (const m of text.matchAll(RANGE)) {
    const endHour = Number(m[3]);
    const end = meridiemOf(m[5]);
    // "11-1pm" starts before noon: a start hour above the end hour is on the other side of noon.
    const startHour = Number(m[1]);
    const meridiem = startHour > endHour && startHour < 12 ? (end === 'pm' ? 'am' : 'pm') : end;
    add(m.index, m.index + m[0].length, { hour: startHour, minute: Number(m[2] ?? 0), meridiem, part: null });
  }
  for (const m of text.matchAll(WITH_MERIDIEM)) {
    const hour = Number(m[1] ?? m[4]);
    add(m.index, m.index + m[0].length, { hour, minute: Number(m[2] ?? m[5] ?? 0), meridiem: meridiemOf(m[3] ?? m[6]), part: null });
  }
  for (const m of text.matchAll(CLOCK)) add(m.index, m.index + m[0].length, { hour: Number(m[1] ?? m[3]), minute: Number(m[2] ?? m[4]), meridiem: null, part: null });
  for (const m of text.matchAll(HOUR_BEFORE_ZONE)) add(m.index, m.index + m[0].length, { hour: Number(m[1]), minute: 0, meridiem: null, part: null });
  for (const m of text.matchAll(BARE_HOUR)) add(m.index, m.index + m[0].length, { hour: Number(m[1] ?? m[2]), minute: 0, meridiem: null, part: null });
  for (const m of text.matchAll(PART_OF_DAY)) add(m.index, m.index + m[0].length, { hour: null, minute: 0, meridiem: null, part: PARTS[m[1]!]! });
  return kept.filter((t) => t.hour === null || (t.hour <= 23 && (t.meridiem === null || (t.hour >= 1 && t.hour <= 12)))).sort((a, b) => a.start - b.start);
};

/** Lower case with every position kept (a letter whose lower case is longer, like "İ", stays as it is), so indices match the original. */
export const lowerSameLength = (text: string): string => {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : text.replace(/\p{Lu}/gu, (c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c));
};

/** The zone of the city the prospect says they are in ("I'm in Denver"), or null. */
export const cityZoneIn = (lowerText: string): string | null => {
  const m = WHERE_I_AM.exec(lowerText);
  return m ? (ZONE_WORDS[m[1]!] ?? null) : null;
};

export const findTimeMentions = (lowerText: string): { days: DayMention[]; times: TimeMention[] } => {
  const days = dayMentions(lowerText);
  // A day's digits ("3/14", "March 14") are not also an hour.
  const times = timeMentions(lowerText).filter((t) => !days.some((d) => t.start < d.end && t.end > d.start));
  return { days, times };
};
