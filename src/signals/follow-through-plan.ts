import { instantOfLocal, localDateTimeAt, type ReplyClass, type ReplyUnderstanding } from '../domain/replies/index.js';
import { nextBusinessStart, type BusinessHours } from '../domain/sending/index.js';
import type { SignalType } from '../domain/signals/index.js';

/**
 * What one understood reply means for the lead, decided without I/O (issue 17 item 2; decisions in
 * docs/replies.md "Follow-through"): the signal the status machine and the cadence hear, the
 * provider calls to make after commit, and how long an out-of-office note pauses the cadence.
 */

/** Classes that alert a person at once ("HOT LEAD"). */
export const HOT_CLASSES: ReadonlySet<ReplyClass> = new Set(['meeting_request', 'interested']);

/** Classes a person (or item 3's suggested answer) must answer. */
const NEEDS_RESPONSE: ReadonlySet<ReplyClass> = new Set(['meeting_request', 'interested', 'question', 'objection', 'referral']);

/**
 * Instantly's interest value per class (contracts/instantly.md «Lead interest status»): 1 Interested,
 * 0 Out of Office, -1 Not Interested, -2 Wrong Person. A meeting request is "Interested" until a
 * meeting is booked (2 belongs to the SCHEDULER, item 4). Other classes set nothing.
 */
export const INSTANTLY_INTEREST: Partial<Record<ReplyClass, number>> = { meeting_request: 1, interested: 1, out_of_office: 0, not_interested: -1, unsubscribe: -1, referral: -2 };

/** The CRM tag a class gets (GoHighLevel tags are lower-case words with dashes). */
export const crmTagsOf = (cls: ReplyClass): string[] => [`reply-${cls.replace(/_/g, '-')}`, ...(cls === 'unsubscribe' || cls === 'not_interested' ? ['status-unsubscribed', 'DNC'] : [])];

/** When an out-of-office note gives no return date, the cadence is paused this long from the reply, then one business day more. */
export const DEFAULT_AWAY_DAYS = 7;

/**
 * The signal a reply stands for, replacing the provider's reading:
 * - meeting_request, interested, question, objection, referral: the reply itself (`email_replied` /
 *   `linkedin_replied`): the lead becomes `replied` and the cadence exits (cadence.exitOn);
 * - unsubscribe and not_interested: `unsubscribed` (suppression, queued sends cancelled; the
 *   spec's negative-reply rule, spec/signals.md);
 * - out_of_office and auto_reply: null: an automated note is not a reply, so the status does not
 *   move and the cadence does not exit (an out-of-office note pauses it instead).
 * A delivery the provider's parse already read as an opt-out stays one: reading too much as an
 * opt-out is the safe mistake.
 */
export const signalForReply = (cls: ReplyClass, given: SignalType | null, channel: 'email' | 'linkedin' | 'website'): SignalType | null => {
  if (given === 'unsubscribed' || cls === 'unsubscribe' || cls === 'not_interested') return 'unsubscribed';
  if (cls === 'out_of_office' || cls === 'auto_reply') return null;
  return channel === 'linkedin' ? 'linkedin_replied' : 'email_replied';
};

export const needsResponse = (cls: ReplyClass): boolean => NEEDS_RESPONSE.has(cls);

const DAY_MS = 24 * 3600_000;

/** The instant local midnight begins on the calendar day after (`days` = 1) or of (`days` = 0) the day `at` falls on in `zone`. */
const localMidnight = (at: Date, zone: string, days: number): Date => {
  const local = localDateTimeAt(at.getTime(), zone);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return new Date(instantOfLocal({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: 0, minute: 0 }, zone));
};

/**
 * Until when an out-of-office note pauses the cadence: the opening of the first business day after
 * the day back (the prospect gets a day to catch up), in the prospect's zone, with the configured
 * business hours and weekdays. The day back is the first business day on or after the return date;
 * without a return date (or one already past), `DEFAULT_AWAY_DAYS` after the reply. Null only when
 * the business hours allow no time at all.
 */
export const resumeAfterAbsence = (understanding: Pick<ReplyUnderstanding, 'returnDate'>, repliedAt: Date, zone: string, hours: BusinessHours): Date | null => {
  const given = understanding.returnDate ? new Date(understanding.returnDate) : null;
  const back = given && given.getTime() > repliedAt.getTime() ? given : new Date(repliedAt.getTime() + DEFAULT_AWAY_DAYS * DAY_MS);
  const inZone = { ...hours, defaultTimeZone: zone };
  const dayBack = nextBusinessStart(localMidnight(back, zone, 0), zone, inZone);
  return dayBack ? nextBusinessStart(localMidnight(dayBack, zone, 1), zone, inZone) : null;
};

/** What the alert and `caio replies show` quote: the first words of the new text, addresses and phone numbers masked. */
export const excerptOf = (clean: string, max = 280): string => {
  const masked = clean
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[address]')
    .replace(/\+?\d[\d ().-]{7,}\d/g, '[phone]')
    .replace(/\s+/g, ' ')
    .trim();
  return masked.length > max ? `${masked.slice(0, max - 1)}…` : masked;
};

/** Addresses a referral names (the referred person), other than the replier's own. */
export const referredAddresses = (clean: string, own: string | null): string[] => {
  const found = [...clean.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((m) => m[0].toLowerCase().replace(/[.]+$/, ''));
  return [...new Set(found)].filter((a) => a !== own?.toLowerCase());
};
