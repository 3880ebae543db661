/**
 * Send quotas, checked after the recipient guards and before the dedup claim.
 *
 * Time buckets are UTC calendar buckets, not rolling windows: "today" is the UTC day containing
 * `now` (00:00:00.000Z up to the next midnight), "this hour" is the UTC clock hour, "this month" the
 * UTC calendar month. A refusal's `retryAt` is the start of the next bucket, so a scheduler can park
 * the item instead of spinning. Every process counts the same way whatever its host time zone.
 */
import { parseUtcDate, startOfNextUtcDay, startOfNextUtcHour, startOfNextUtcMonth, startOfUtcDay, startOfUtcHour, startOfUtcMonth, utcDaysBetween } from './timing.js';
import type { SendChannel } from './channel.js';
import { ledgerOf, normaliseKey, type SendHistory } from './send-ledger.js';

export type { SendChannel } from './channel.js';

/** One past send, as plain data. The caller passes the recent window (at least the current UTC month). */
export type SendRecord = { at: Date; channel: SendChannel; sender: string | null; recipientDomain: string | null };

/** The send being considered. */
export type PlannedSend = { channel: SendChannel; sender: string | null; recipientDomain: string | null };

export type QuotaLimits = {
  emailDailyLimit: number;
  emailHourlyLimit: number;
  emailMonthlyLimit: number;
  /** Emails to one recipient domain per UTC hour, across all senders. */
  perDomainHourlyLimit: number;
  /** Minimum seconds between two emails from the same sender (between any two when the sender is unknown). */
  minDelaySeconds: number;
  /** The sending account's own daily cap; null when the send has no named account. */
  senderDailyLimit: number | null;
  /** Today's LinkedIn limit, from `linkedinDailyLimit()` (warm-up aware). */
  linkedinDailyLimit: number;
};

export type QuotaCode = 'quota_daily' | 'quota_hourly' | 'quota_monthly' | 'quota_domain_hourly' | 'quota_min_delay' | 'quota_sender_daily' | 'quota_linkedin_daily';

export type QuotaDecision = { allowed: true } | { allowed: false; code: QuotaCode; retryAt?: Date; detail: string };

/** A limit is reached when the count already equals it; a limit of 0 (or less) allows nothing. */
const reached = (used: number, limit: number): boolean => used >= limit;

/**
 * Whether one more send is allowed now. Checks run in the gateway's documented order and the first
 * refusal wins: email daily, hourly, monthly, per-domain hourly, minimum delay, per-sender daily;
 * LinkedIn has only its (warm-up aware) daily limit. A warm-up ramp lowers `emailDailyLimit` before
 * it gets here (see `effectiveEmailDailyLimit` in ramp.ts).
 */
export const checkSendQuota = (send: PlannedSend, limits: QuotaLimits, history: SendHistory, now: Date): QuotaDecision => {
  const ledger = ledgerOf(history);
  const dayStart = startOfUtcDay(now);
  if (send.channel === 'linkedin') {
    const used = ledger.count('linkedin', dayStart);
    return reached(used, limits.linkedinDailyLimit)
      ? { allowed: false, code: 'quota_linkedin_daily', retryAt: startOfNextUtcDay(now), detail: `${used} of ${limits.linkedinDailyLimit} LinkedIn touches already sent today (UTC)` }
      : { allowed: true };
  }

  const emailsToday = ledger.count('email', dayStart);
  if (reached(emailsToday, limits.emailDailyLimit)) {
    return { allowed: false, code: 'quota_daily', retryAt: startOfNextUtcDay(now), detail: `${emailsToday} of ${limits.emailDailyLimit} emails already sent today (UTC)` };
  }

  const hourStart = startOfUtcHour(now);
  const emailsThisHour = ledger.count('email', hourStart);
  if (reached(emailsThisHour, limits.emailHourlyLimit)) {
    return { allowed: false, code: 'quota_hourly', retryAt: startOfNextUtcHour(now), detail: `${emailsThisHour} of ${limits.emailHourlyLimit} emails already sent this UTC hour` };
  }

  const emailsThisMonth = ledger.count('email', startOfUtcMonth(now));
  if (reached(emailsThisMonth, limits.emailMonthlyLimit)) {
    return { allowed: false, code: 'quota_monthly', retryAt: startOfNextUtcMonth(now), detail: `${emailsThisMonth} of ${limits.emailMonthlyLimit} emails already sent this UTC month` };
  }

  const domain = normaliseKey(send.recipientDomain);
  if (domain !== null) {
    const toDomain = ledger.count(`email-domain:${domain}`, hourStart);
    if (reached(toDomain, limits.perDomainHourlyLimit)) {
      return {
        allowed: false,
        code: 'quota_domain_hourly',
        retryAt: startOfNextUtcHour(now),
        detail: `${toDomain} of ${limits.perDomainHourlyLimit} emails to ${domain} already sent this UTC hour`,
      };
    }
  }

  const sender = normaliseKey(send.sender);
  if (limits.minDelaySeconds > 0) {
    // The same inbox: this sender's e-mails, or any e-mail when the sender is unknown.
    const lastMs = ledger.lastAt(sender === null ? 'email' : `email-sender:${sender}`)?.getTime() ?? Number.NEGATIVE_INFINITY;
    const earliest = lastMs + limits.minDelaySeconds * 1000;
    if (now.getTime() < earliest) {
      const waitSeconds = Math.ceil((earliest - now.getTime()) / 1000);
      return {
        allowed: false,
        code: 'quota_min_delay',
        retryAt: new Date(earliest),
        detail: `the last email${sender === null ? '' : ` from ${sender}`} was under ${limits.minDelaySeconds}s ago; wait ${waitSeconds}s`,
      };
    }
  }

  if (sender !== null && limits.senderDailyLimit !== null) {
    const fromSender = ledger.count(`email-sender:${sender}`, dayStart);
    if (reached(fromSender, limits.senderDailyLimit)) {
      return {
        allowed: false,
        code: 'quota_sender_daily',
        retryAt: startOfNextUtcDay(now),
        detail: `${fromSender} of ${limits.senderDailyLimit} emails already sent from ${sender} today (UTC)`,
      };
    }
  }

  return { allowed: true };
};

export type QuotaUsage = { used: number; limit: number; remaining: number };

/** Used and remaining counts for `caio operator status`; same UTC buckets as `checkSendQuota`. */
export const quotaUsage = (
  limits: Pick<QuotaLimits, 'emailDailyLimit' | 'emailHourlyLimit' | 'emailMonthlyLimit' | 'linkedinDailyLimit'>,
  history: SendHistory,
  now: Date,
): { emailToday: QuotaUsage; emailThisHour: QuotaUsage; emailThisMonth: QuotaUsage; linkedinToday: QuotaUsage } => {
  const usage = (used: number, limit: number): QuotaUsage => ({ used, limit, remaining: Math.max(0, limit - used) });
  const ledger = ledgerOf(history);
  return {
    emailToday: usage(ledger.count('email', startOfUtcDay(now)), limits.emailDailyLimit),
    emailThisHour: usage(ledger.count('email', startOfUtcHour(now)), limits.emailHourlyLimit),
    emailThisMonth: usage(ledger.count('email', startOfUtcMonth(now)), limits.emailMonthlyLimit),
    linkedinToday: usage(ledger.count('linkedin', startOfUtcDay(now)), limits.linkedinDailyLimit),
  };
};

export type LinkedinWarmup = { warmupStart: string | null; warmupWeeks: number; warmupDailyLimit: number; fullDailyLimit: number };

/**
 * Today's LinkedIn limit (spec "Volume limits"): week = floor(UTC days since `warmupStart` / 7);
 * below `warmupWeeks` the warm-up limit applies, then the full one. With no start date, an
 * unparsable one, or a start in the future, the account is in warm-up at week 0: an account never
 * gets the full limit by accident.
 */
export const linkedinDailyLimit = (warmup: LinkedinWarmup, now: Date): { limit: number; week: number; inWarmup: boolean } => {
  const start = warmup.warmupStart === null ? null : parseUtcDate(warmup.warmupStart);
  const daysSinceStart = start === null ? 0 : utcDaysBetween(start, now);
  const week = Math.max(0, Math.floor(daysSinceStart / 7));
  const inWarmup = start === null || daysSinceStart < 0 || week < warmup.warmupWeeks;
  return { limit: inWarmup ? warmup.warmupDailyLimit : warmup.fullDailyLimit, week, inWarmup };
};
