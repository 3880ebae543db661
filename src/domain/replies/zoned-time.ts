/**
 * Wall-clock arithmetic in a named time zone with the built-in Intl API (no date library: Intl
 * carries the IANA database and its DST rules, and what is needed here is two functions).
 *
 * Local dates are plain `{ year, month (1-12), day }` values; calendar steps use Date.UTC, which
 * normalises overflow ("March 32" is April 1), so a day step never meets a DST change.
 */

export type LocalDate = { year: number; month: number; day: number };
export type LocalDateTime = LocalDate & { hour: number; minute: number };

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

// Building a DateTimeFormat costs far more than using one; replies name a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** The wall clock in `timeZone` at instant `ms` (to the minute). */
export const localDateTimeAt = (ms: number, timeZone: string): LocalDateTime => {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
};

/** Offset of the zone from UTC at instant `ms`, in ms (New York in winter: -5 h). */
const offsetAt = (ms: number, timeZone: string): number => {
  const local = localDateTimeAt(ms, timeZone);
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - Math.floor(ms / MS_PER_MINUTE) * MS_PER_MINUTE;
};

/**
 * The instant at which the wall clock in `timeZone` reads `local`. Near a DST change it follows
 * the "compatible" rule (as Temporal does): a time the clock skips (02:30 on a spring-forward
 * night) moves forward by the gap (03:30 summer time); a time the clock shows twice (01:30 on a
 * fall-back night) is the earlier of the two.
 */
export const instantOfLocal = (local: LocalDateTime, timeZone: string): number => {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetAt(wall - 12 * MS_PER_HOUR, timeZone);
  const after = offsetAt(wall + 12 * MS_PER_HOUR, timeZone);
  const candidates = [wall - before, wall - after].filter((at) => at + offsetAt(at, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before; // in a gap: read with the offset in force before the change
};

/** True when year/month/day name a real calendar date (no February 30). */
export const isRealDate = (date: LocalDate): boolean => {
  if (!Number.isInteger(date.year) || date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) return false;
  const probe = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return probe.getUTCMonth() === date.month - 1 && probe.getUTCDate() === date.day;
};

export const addDays = (date: LocalDate, days: number): LocalDate => {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
};

/** ISO weekday of a local date: 1 = Monday ... 7 = Sunday. */
export const isoWeekday = (date: LocalDate): number => {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
};

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / MS_PER_DAY);

export const sameDate = (a: LocalDate, b: LocalDate): boolean => a.year === b.year && a.month === b.month && a.day === b.day;

/**
 * Cities a prospect names as where they are ("I'm in Denver, … my time", "3pm Berlin time"), mapped
 * to their zones. Only large business cities whose name is not also a common word ("LA", "Portland"
 * are left out: "la" is an article in Spanish and French, Portland is in two zones).
 */
const CITIES_BY_ZONE: Readonly<Record<string, readonly string[]>> = {
  'America/New_York': ['new york', 'nyc', 'boston', 'philadelphia', 'atlanta', 'miami', 'toronto', 'detroit', 'pittsburgh', 'charlotte'],
  'America/Chicago': ['chicago', 'dallas', 'houston', 'austin', 'minneapolis', 'nashville', 'st louis', 'kansas city'],
  'America/Denver': ['denver', 'boulder', 'salt lake city'],
  'America/Phoenix': ['phoenix'],
  'America/Los_Angeles': ['los angeles', 'san francisco', 'seattle', 'san diego', 'san jose', 'vancouver'],
  'America/Sao_Paulo': ['são paulo', 'sao paulo'],
  'Europe/London': ['manchester', 'edinburgh'],
  'Europe/Dublin': ['dublin'],
  'Europe/Lisbon': ['lisbon'],
  'Europe/Paris': ['paris'],
  'Europe/Berlin': ['berlin', 'munich', 'hamburg', 'frankfurt'],
  'Europe/Amsterdam': ['amsterdam'],
  'Europe/Madrid': ['madrid', 'barcelona'],
  'Europe/Rome': ['rome', 'milan'],
  'Europe/Zurich': ['zurich'],
  'Europe/Stockholm': ['stockholm'],
  'Asia/Dubai': ['dubai'],
  'Asia/Kolkata': ['bangalore', 'bengaluru', 'mumbai'],
  'Asia/Singapore': ['singapore'],
  'Asia/Tokyo': ['tokyo'],
  'Australia/Sydney': ['sydney', 'melbourne'],
};
const CITY_ZONES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CITIES_BY_ZONE).flatMap(([zone, cities]) => cities.map((city) => [city, zone])));

/** The city names of `ZONE_WORDS`, longest first (for a regular expression). */
export const CITY_NAMES: readonly string[] = Object.keys(CITY_ZONES).sort((a, b) => b.length - a.length);

/**
 * Zone words a reply writes after a time, mapped to IANA zones. A region's abbreviation names the
 * region whatever the season ("EST" in July still means New York time: people rarely switch to
 * "EDT"), so ET/EST/EDT all read as America/New_York with its DST rules. GMT and UTC are read
 * literally as UTC; "BST", "UK time" and "London time" as Europe/London.
 */
export const ZONE_WORDS: Readonly<Record<string, string>> = {
  et: 'America/New_York',
  est: 'America/New_York',
  edt: 'America/New_York',
  eastern: 'America/New_York',
  ct: 'America/Chicago',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  central: 'America/Chicago',
  mt: 'America/Denver',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  mountain: 'America/Denver',
  pt: 'America/Los_Angeles',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  pacific: 'America/Los_Angeles',
  gmt: 'UTC',
  utc: 'UTC',
  cet: 'Europe/Berlin',
  cest: 'Europe/Berlin',
  bst: 'Europe/London',
  uk: 'Europe/London',
  london: 'Europe/London',
  ...CITY_ZONES,
};
