/**
 * The supervised send ramp (spec/operator.md "Volume limits"): while active, email is capped at a
 * small override and only one tier is sent; it graduates on its own.
 */
import { parseUtcDate, startOfUtcDay, utcDateKey, utcDaysBetween } from './timing.js';

export type RampSettings = {
  enabled: boolean;
  mode: 'clean_days' | 'calendar';
  emailDailyLimitOverride: number;
  tierFilter: string | null;
  /** `YYYY-MM-DD`, a UTC day. */
  startDate: string | null;
  /** Calendar mode: the ramp lasts this many UTC days from the start date. */
  rampDays: number;
  /** Clean-days mode: clean live days needed to graduate. */
  cleanDaysRequired: number;
  /** Clean-days mode: how far back (in UTC days before today) a clean day still counts. */
  cleanDaysLookbackDays: number;
};

/** One UTC day of sending as recorded by the gateway. */
export type SendDay = { date: string; live: boolean; sent: number; bounces: number; complaints: number; errors: number };

export const CLEAN_DAY_MAX_BOUNCE_RATE = 0.02;
export const CLEAN_DAY_MAX_COMPLAINT_RATE = 0.001;

/**
 * A clean day: live sending (not shadow or dry run), at least one send, no dispatch errors, a bounce
 * rate of at most 2% and a complaint rate of at most 0.1% (rates over that day's sends). The
 * original counted any error-free live run; bounces and complaints are added because a ramp that
 * graduates while mail bounces defeats its purpose.
 */
export const isCleanDay = (day: Omit<SendDay, 'date'>): boolean => day.live && day.sent > 0 && day.errors === 0 && day.bounces / day.sent <= CLEAN_DAY_MAX_BOUNCE_RATE && day.complaints / day.sent <= CLEAN_DAY_MAX_COMPLAINT_RATE;

export type RampReason = 'disabled' | 'before_start' | 'collecting_clean_days' | 'graduated' | 'in_calendar_window' | 'calendar_window_over' | 'no_start_date';

export type RampStatus = {
  active: boolean;
  /** 1-based ramp day while active (clean days completed + 1, or calendar day); 0 when inactive. */
  day: number;
  /** Clean live days counted in the window (both modes, for the status display). */
  cleanDays: number;
  /** What graduation needs: clean days (clean_days mode) or calendar days (calendar mode). */
  required: number;
  /** The email daily limit while active, else null. */
  emailLimitOverride: number | null;
  /** The only tier sent while active, else null. */
  tierFilter: string | null;
  reason: RampReason;
  detail: string;
};

/** Live days in the window, merged per date (several records for one day are summed). */
const cleanDaysIn = (days: readonly SendDay[], fromKey: string, beforeKey: string): number => {
  const perDate = new Map<string, Omit<SendDay, 'date'>>();
  for (const day of days) {
    if (!day.live || parseUtcDate(day.date) === null || day.date < fromKey || day.date >= beforeKey) continue;
    const sum = perDate.get(day.date) ?? { live: true, sent: 0, bounces: 0, complaints: 0, errors: 0 };
    perDate.set(day.date, { live: true, sent: sum.sent + day.sent, bounces: sum.bounces + day.bounces, complaints: sum.complaints + day.complaints, errors: sum.errors + day.errors });
  }
  let clean = 0;
  for (const day of perDate.values()) if (isCleanDay(day)) clean += 1;
  return clean;
};

const addDays = (at: Date, days: number): Date => new Date(at.getTime() + days * 86_400_000);

/**
 * Where the ramp stands at `now` (days are UTC).
 * - Disabled: inactive.
 * - Before `startDate`: active (spec), in both modes.
 * - `clean_days`: active until `cleanDaysRequired` distinct clean live days fall inside the window
 *   [max(startDate, today - lookback), today). Today is not counted: its bounces and complaints are
 *   still arriving, so a day counts once it is over.
 * - `calendar`: active while 0 <= days since start < `rampDays`. With no start date the ramp stays
 *   active, the safe reading of a half-configured ramp.
 */
export const rampStatus = (settings: RampSettings, days: readonly SendDay[], now: Date): RampStatus => {
  const today = startOfUtcDay(now);
  const start = settings.startDate === null ? null : parseUtcDate(settings.startDate);
  const lookbackStart = addDays(today, -settings.cleanDaysLookbackDays);
  const windowStart = start !== null && start > lookbackStart ? start : lookbackStart;
  const cleanDays = cleanDaysIn(days, utcDateKey(windowStart), utcDateKey(today));
  const required = settings.mode === 'calendar' ? settings.rampDays : settings.cleanDaysRequired;
  const inactive = (reason: RampReason, detail: string): RampStatus => ({ active: false, day: 0, cleanDays, required, emailLimitOverride: null, tierFilter: null, reason, detail });
  const active = (day: number, reason: RampReason, detail: string): RampStatus => ({
    active: true,
    day,
    cleanDays,
    required,
    emailLimitOverride: settings.emailDailyLimitOverride,
    tierFilter: settings.tierFilter,
    reason,
    detail,
  });

  if (!settings.enabled) return inactive('disabled', 'the ramp is disabled');
  if (start !== null && today < start) return active(1, 'before_start', `the ramp starts on ${utcDateKey(start)}`);

  if (settings.mode === 'calendar') {
    if (start === null) return active(1, 'no_start_date', 'calendar ramp without a start date stays active');
    const elapsed = utcDaysBetween(start, now);
    return elapsed < settings.rampDays ? active(elapsed + 1, 'in_calendar_window', `calendar day ${elapsed + 1} of ${settings.rampDays}`) : inactive('calendar_window_over', `the ${settings.rampDays}-day calendar ramp ended`);
  }

  return cleanDays < settings.cleanDaysRequired
    ? active(cleanDays + 1, 'collecting_clean_days', `${cleanDays} of ${settings.cleanDaysRequired} clean live days`)
    : inactive('graduated', `${cleanDays} clean live days reached (${settings.cleanDaysRequired} required)`);
};

/**
 * The email daily limit with the ramp applied. The spec replaces the limit with the override; the
 * lower of the two is used so a ramp can never raise a limit someone set lower on purpose.
 */
export const effectiveEmailDailyLimit = (baseLimit: number, ramp: Pick<RampStatus, 'active' | 'emailLimitOverride'>): number => (ramp.active && ramp.emailLimitOverride !== null ? Math.min(baseLimit, ramp.emailLimitOverride) : baseLimit);
