/**
 * When a send may happen: UTC calendar buckets for counting, business hours in the recipient's
 * time zone, the randomised gap per sending inbox, and the per-lead cross-channel cap.
 *
 * Every function takes the current instant as an argument; nothing here reads the clock.
 */
import type { SendChannel } from './channel.js';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// UTC buckets. Quotas, warm-up weeks, ramp days and the cross-channel cap all count in UTC so that
// every process, whatever its host time zone, agrees on which day a send belongs to.
// ---------------------------------------------------------------------------------------------

export const startOfUtcHour = (at: Date): Date => new Date(Math.floor(at.getTime() / MS_PER_HOUR) * MS_PER_HOUR);
export const startOfUtcDay = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
export const startOfUtcMonth = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
export const startOfNextUtcHour = (at: Date): Date => new Date(startOfUtcHour(at).getTime() + MS_PER_HOUR);
export const startOfNextUtcDay = (at: Date): Date => new Date(startOfUtcDay(at).getTime() + MS_PER_DAY);
export const startOfNextUtcMonth = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));

/** `YYYY-MM-DD` of the UTC day that contains `at`. */
export const utcDateKey = (at: Date): string => at.toISOString().slice(0, 10);

/** Midnight UTC of a `YYYY-MM-DD` string, or null when the string is not a real calendar date. */
export const parseUtcDate = (date: string): Date | null => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const parsed = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  // Date.UTC rolls 2026-02-30 over to March; a round trip catches it.
  return utcDateKey(parsed) === date ? parsed : null;
};

/** Whole UTC days from `from` to `to` (negative when `to` is earlier). */
export const utcDaysBetween = (from: Date, to: Date): number => Math.round((startOfUtcDay(to).getTime() - startOfUtcDay(from).getTime()) / MS_PER_DAY);

// ---------------------------------------------------------------------------------------------
// Business hours in a named time zone.
// ---------------------------------------------------------------------------------------------

export type BusinessHours = {
  /** First local hour in which sending is allowed (inclusive), 0-23. */
  startHour: number;
  /** Local hour at which sending stops (exclusive), 1-24: 18 means up to 17:59:59. */
  endHour: number;
  /** ISO weekdays on which sending is allowed: 1 = Monday ... 7 = Sunday (0 is also read as Sunday). */
  weekdays: readonly number[];
  /** Used when the recipient's zone is missing or not a valid IANA name. Invalid here too means UTC. */
  defaultTimeZone?: string;
};

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5], defaultTimeZone: 'UTC' };

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number; second: number; isoWeekday: number };

const WEEKDAY_INDEX: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// Building a DateTimeFormat is far slower than using one; a batch asks for the same few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** True when `timeZone` is a name Intl accepts (IANA names such as Europe/Berlin, or UTC). */
export const isValidTimeZone = (timeZone: string | null | undefined): timeZone is string => {
  if (!timeZone || timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone.trim());
    return true;
  } catch {
    return false;
  }
};

/** The recipient's zone when valid, else the fallback when valid, else UTC. */
export const resolveTimeZone = (timeZone: string | null | undefined, fallback: string | undefined): string => (isValidTimeZone(timeZone) ? timeZone.trim() : isValidTimeZone(fallback) ? fallback.trim() : 'UTC');

const localPartsOf = (at: Date, timeZone: string): LocalParts => {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    isoWeekday: WEEKDAY_INDEX[parts.weekday ?? ''] ?? 0,
  };
};

/** Offset of the zone from UTC at instant `ms`, in milliseconds (Berlin in summer: +2 h). */
const offsetAt = (ms: number, timeZone: string): number => {
  const p = localPartsOf(new Date(ms), timeZone);
  const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallAsUtc - Math.floor(ms / 1000) * 1000;
};

/** The instant at which the local wall clock in `timeZone` reads the given date and hour. */
const instantOfLocal = (year: number, month: number, day: number, hour: number, timeZone: string): number => {
  const wall = Date.UTC(year, month - 1, day, hour);
  // Two passes: the offset at the first guess can differ from the offset at the answer near a DST change.
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
};

const isAllowedWeekday = (isoWeekday: number, weekdays: readonly number[]): boolean => weekdays.some((d) => d % 7 === isoWeekday % 7);

const isInsideWindow = (p: LocalParts, hours: BusinessHours): boolean => isAllowedWeekday(p.isoWeekday, hours.weekdays) && p.hour >= hours.startHour && p.hour < hours.endHour;

/**
 * True when `now` falls inside business hours on the recipient's local wall clock. The recipient's
 * zone comes from enrichment; when it is missing or not a valid IANA name, `hours.defaultTimeZone`
 * applies. DST is handled by Intl: 08:00 in New York is 13:00 UTC in winter and 12:00 UTC in summer.
 */
export const isWithinBusinessHours = (now: Date, timeZone: string | null | undefined, hours: BusinessHours = DEFAULT_BUSINESS_HOURS): boolean => isInsideWindow(localPartsOf(now, resolveTimeZone(timeZone, hours.defaultTimeZone)), hours);

/**
 * The earliest instant at or after `now` that is inside business hours in the recipient's zone:
 * `now` itself when already inside, else the next allowed day's opening hour. Returns null only
 * when the configuration allows no time at all (no weekdays, or startHour >= endHour).
 */
export const nextBusinessStart = (now: Date, timeZone: string | null | undefined, hours: BusinessHours = DEFAULT_BUSINESS_HOURS): Date | null => {
  if (hours.weekdays.length === 0 || hours.startHour >= hours.endHour) return null;
  const zone = resolveTimeZone(timeZone, hours.defaultTimeZone);
  const local = localPartsOf(now, zone);
  if (isInsideWindow(local, hours)) return now;

  // Walk forward over local calendar days (Date.UTC normalises day overflow across months).
  for (let offsetDays = 0; offsetDays <= 8; offsetDays += 1) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + offsetDays));
    let candidate = instantOfLocal(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hours.startHour, zone);
    // If the opening hour falls in a DST gap the wall clock skips it; the first real instant after is wanted.
    for (let step = 0; step < 3 && !isInsideWindow(localPartsOf(new Date(candidate), zone), hours); step += 1) {
      candidate += MS_PER_HOUR;
    }
    if (candidate > now.getTime() && isInsideWindow(localPartsOf(new Date(candidate), zone), hours)) return new Date(candidate);
  }
  return null;
};

// ---------------------------------------------------------------------------------------------
// Pacing per sending inbox.
// ---------------------------------------------------------------------------------------------

export type SendGap = { minGapSeconds: number; jitterSeconds: number };

/**
 * When an inbox may send next: the last send plus the configured minimum gap plus a random jitter in
 * [0, jitterSeconds). A fixed gap is a robotic signature to mailbox providers; the jitter breaks it.
 * `random` is injected (returns [0, 1)) so tests are deterministic; out-of-range values are clamped.
 */
export const nextSendAt = (lastSendAt: Date, gap: SendGap, random: () => number): Date => {
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  const minGapMs = Math.max(0, gap.minGapSeconds) * 1000;
  const jitterMs = Math.floor(r * Math.max(0, gap.jitterSeconds) * 1000);
  return new Date(lastSendAt.getTime() + minGapMs + jitterMs);
};

// ---------------------------------------------------------------------------------------------
// Per-lead cross-channel frequency cap.
// ---------------------------------------------------------------------------------------------

export type LeadTouch = { at: Date; channel: SendChannel };

/**
 * True when this lead already received a touch on a different channel during the current UTC day,
 * so an email and a LinkedIn touch do not land on the same day. A cadence step that deliberately
 * pairs channels should skip this check rather than weaken it.
 */
export const crossChannelCapHit = (leadHistory: readonly LeadTouch[], channel: SendChannel, now: Date): boolean => {
  const today = utcDateKey(now);
  return leadHistory.some((touch) => touch.channel !== channel && utcDateKey(touch.at) === today);
};
