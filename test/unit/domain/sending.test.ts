import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDomainConcentration,
  checkAddressFormat,
  checkRecipient,
  checkSendQuota,
  crossChannelCapHit,
  effectiveEmailDailyLimit,
  isCleanDay,
  isExcludedDomain,
  isExcludedEmail,
  isWithinBusinessHours,
  linkedinDailyLimit,
  matchExcludedDomain,
  nextBusinessStart,
  nextSendAt,
  quotaUsage,
  rampStatus,
  resolveTimeZone,
  shouldAutoPause,
  type BusinessHours,
  type QuotaLimits,
  type RampSettings,
  type SendDay,
  type SendRecord,
} from '../../../src/domain/sending/index.js';

const at = (iso: string) => new Date(iso);

describe('checkAddressFormat', () => {
  it('accepts a normal address and returns it trimmed and lower-cased', () => {
    expect(checkAddressFormat('  Jane.Doe+x@Example.CO ')).toEqual({ ok: true, value: 'jane.doe+x@example.co' });
  });

  it.each(['', 'jane', 'jane@', '@example.com', 'jane@example', 'jane@example.c', 'jane doe@example.com', 'jane@exa mple.com', 'jane@@example.com', 'jané@example.com'])('rejects %j as invalid_email_format', (email) => {
    const result = checkAddressFormat(email);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_email_format');
  });
});

describe('excluded domains', () => {
  const excluded = ['x.com', 'Competitor.IO.', '', 'corp.example.org'];

  it.each([
    ['x.com', true],
    ['sub.x.com', true],
    ['a.b.sub.x.com', true],
    ['X.COM', true],
    ['x.com.', true],
    ['SUB.X.com...', true],
    ['competitor.io', true],
    ['mail.competitor.io', true],
    ['corp.example.org', true],
    ['eu.corp.example.org', true],
    ['example.org', false],
    ['notx.com', false],
    ['x.com.evil.org', false],
    ['xcom', false],
    ['x.co', false],
    ['', false],
    ['.', false],
    ['   ', false],
  ])('%j excluded: %s', (domain, expected) => {
    expect(isExcludedDomain(domain, excluded)).toBe(expected);
  });

  it('never matches everything because of an empty or dot-only list entry', () => {
    expect(isExcludedDomain('anything.com', ['', '.', '  '])).toBe(false);
  });

  it('treats a leading-dot entry as the domain itself', () => {
    expect(matchExcludedDomain('a.x.com', ['.x.com'])).toBe('x.com');
  });

  it('reports which entry matched', () => {
    expect(matchExcludedDomain('mail.competitor.io', excluded)).toBe('competitor.io');
    expect(matchExcludedDomain('free.com', excluded)).toBeNull();
  });
});

describe('isExcludedEmail', () => {
  it('matches exactly, case-insensitively, ignoring surrounding spaces', () => {
    expect(isExcludedEmail(' CEO@Customer.com', ['ceo@customer.com'])).toBe(true);
    expect(isExcludedEmail('ceo@customer.com', [' CEO@CUSTOMER.COM '])).toBe(true);
    expect(isExcludedEmail('ceo2@customer.com', ['ceo@customer.com'])).toBe(false);
    expect(isExcludedEmail('ceo@sub.customer.com', ['ceo@customer.com'])).toBe(false);
    expect(isExcludedEmail('', [''])).toBe(false);
  });
});

describe('checkRecipient (guard order)', () => {
  const policy = { excludedDomains: ['x.com'], excludedEmails: ['boss@client.com'] };
  const codeOf = (email: string, suppression: Parameters<typeof checkRecipient>[1] = null) => {
    const result = checkRecipient(email, suppression, policy);
    return result.ok ? 'OK' : result.error.code;
  };

  it('checks suppression first, then domain, then email, then format', () => {
    expect(codeOf('a@sub.x.com', 'unsubscribed')).toBe('suppressed');
    expect(codeOf('bad address@sub.x.com')).toBe('excluded_recipient_domain');
    expect(codeOf('Boss@Client.com')).toBe('excluded_recipient_email');
    expect(codeOf('not-an-email')).toBe('invalid_email_format');
    expect(codeOf('jane@acme.com')).toBe('OK');
  });

  it('carries the suppression sub-reason and the matched domain', () => {
    for (const reason of ['unsubscribed', 'bounced', 'do_not_contact', 'competitor'] as const) {
      const result = checkRecipient('jane@acme.com', reason, policy);
      expect(result.ok ? null : result.error).toMatchObject({ code: 'suppressed', reason });
    }
    const excluded = checkRecipient('a@mail.x.com', null, policy);
    expect(excluded.ok ? null : excluded.error).toMatchObject({ code: 'excluded_recipient_domain', domain: 'mail.x.com', matched: 'x.com' });
  });
});

describe('applyDomainConcentration', () => {
  it('rejects the 4th and later address per domain, in input order', () => {
    const items = ['a@acme.com', 'b@acme.com', 'x@other.com', 'c@ACME.com', 'd@acme.com', 'e@acme.com.', 'y@other.com'].map((email, i) => ({ key: i, email }));
    const outcome = applyDomainConcentration(items, 3);
    expect(outcome.passed).toEqual([0, 1, 2, 3, 6]);
    expect(outcome.rejected.map((r) => r.key)).toEqual([4, 5]);
    expect(outcome.rejected[0]!.rejection).toMatchObject({ code: 'domain_concentration_cap', domain: 'acme.com', cap: 3 });
  });

  it('counts only the items it is given (callers pass survivors of the earlier guards)', () => {
    const survivors = ['a@acme.com', 'b@acme.com', 'c@acme.com'].map((email) => ({ key: email, email }));
    expect(applyDomainConcentration(survivors, 3).rejected).toEqual([]);
  });

  it('treats subdomains as their own domain', () => {
    const items = ['a@acme.com', 'b@eu.acme.com'].map((email) => ({ key: email, email }));
    expect(applyDomainConcentration(items, 1).passed).toEqual(['a@acme.com', 'b@eu.acme.com']);
  });

  it('property: never more than N per domain pass, nothing is lost, order is kept', () => {
    const email = fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('acme.com', 'ACME.com', 'other.io', 'x.org', 'x.org.')).map(([l, d]) => `${l}@${d}`);
    fc.assert(
      fc.property(fc.array(email, { maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (emails, max) => {
        const items = emails.map((e, key) => ({ key, email: e }));
        const { passed, rejected } = applyDomainConcentration(items, max);
        const domainOf = (key: number) => items[key]!.email.split('@')[1]!.toLowerCase().replace(/\.$/, '');
        const perDomain = new Map<string, number>();
        for (const key of passed) perDomain.set(domainOf(key), (perDomain.get(domainOf(key)) ?? 0) + 1);
        for (const count of perDomain.values()) expect(count).toBeLessThanOrEqual(max);
        expect(passed.length + rejected.length).toBe(items.length);
        expect(passed).toEqual([...passed].sort((a, b) => a - b));
        // Every rejected item's domain already had max items passing before it.
        for (const { key } of rejected) expect(passed.filter((p) => p < key && domainOf(p) === domainOf(key)).length).toBe(max);
      }),
    );
  });
});

const LIMITS: QuotaLimits = {
  emailDailyLimit: 25,
  emailHourlyLimit: 15,
  emailMonthlyLimit: 2500,
  perDomainHourlyLimit: 3,
  minDelaySeconds: 45,
  senderDailyLimit: 10,
  linkedinDailyLimit: 5,
};
const OPEN: QuotaLimits = { ...LIMITS, emailDailyLimit: 10_000, emailHourlyLimit: 10_000, emailMonthlyLimit: 1_000_000, perDomainHourlyLimit: 1000, minDelaySeconds: 0, senderDailyLimit: null, linkedinDailyLimit: 100 };
const email = { channel: 'email' as const, sender: 's1@send.com', recipientDomain: 'acme.com' };
const sends = (count: number, start: string, stepSeconds: number, extra: Partial<SendRecord> = {}): SendRecord[] =>
  Array.from({ length: count }, (_, i) => ({ at: new Date(at(start).getTime() + i * stepSeconds * 1000), channel: 'email', sender: 's0@send.com', recipientDomain: `d${i}.com`, ...extra }));

describe('checkSendQuota', () => {
  it('allows a send with no history', () => {
    expect(checkSendQuota(email, LIMITS, [], at('2026-03-02T10:00:00Z'))).toEqual({ allowed: true });
  });

  it('daily: refuses until the next UTC midnight, then allows', () => {
    const history = sends(25, '2026-03-02T00:00:00Z', 3000);
    const limits = { ...OPEN, emailDailyLimit: 25 };
    const refused = checkSendQuota(email, limits, history, at('2026-03-02T23:59:59.999Z'));
    expect(refused).toMatchObject({ allowed: false, code: 'quota_daily', retryAt: at('2026-03-03T00:00:00Z') });
    expect(checkSendQuota(email, limits, history, at('2026-03-03T00:00:00.000Z'))).toEqual({ allowed: true });
  });

  it('daily: a send at 23:59:59.999 UTC the day before does not count today', () => {
    const history = [...sends(24, '2026-03-02T08:00:00Z', 60), ...sends(1, '2026-03-01T23:59:59.999Z', 0)];
    expect(checkSendQuota(email, { ...OPEN, emailDailyLimit: 25 }, history, at('2026-03-02T12:00:00Z')).allowed).toBe(true);
  });

  it('hourly: counts the UTC clock hour, not the last 60 minutes', () => {
    const history = sends(15, '2026-03-02T10:00:00Z', 200);
    const limits = { ...OPEN, emailHourlyLimit: 15 };
    expect(checkSendQuota(email, limits, history, at('2026-03-02T10:59:59Z'))).toMatchObject({ allowed: false, code: 'quota_hourly', retryAt: at('2026-03-02T11:00:00Z') });
    expect(checkSendQuota(email, limits, history, at('2026-03-02T11:00:00Z'))).toEqual({ allowed: true });
  });

  it('monthly: refuses until the first of the next UTC month, across a year end and a leap day', () => {
    const limits = { ...OPEN, emailMonthlyLimit: 100 };
    const december = sends(100, '2026-12-01T00:00:00Z', 20_000);
    expect(checkSendQuota(email, limits, december, at('2026-12-31T23:59:59Z'))).toMatchObject({ code: 'quota_monthly', retryAt: at('2027-01-01T00:00:00Z') });
    expect(checkSendQuota(email, limits, december, at('2027-01-01T00:00:00Z')).allowed).toBe(true);
    const february = sends(100, '2028-02-01T00:00:00Z', 20_000);
    expect(checkSendQuota(email, limits, february, at('2028-02-29T12:00:00Z'))).toMatchObject({ code: 'quota_monthly', retryAt: at('2028-03-01T00:00:00Z') });
  });

  it('per-domain hourly: counts one recipient domain, normalised, email only', () => {
    const now = at('2026-03-02T10:30:00Z');
    const history: SendRecord[] = [
      ...sends(2, '2026-03-02T10:00:00Z', 60, { recipientDomain: 'ACME.com' }),
      ...sends(1, '2026-03-02T10:05:00Z', 0, { recipientDomain: 'acme.com.' }),
      ...sends(5, '2026-03-02T10:10:00Z', 0, { channel: 'linkedin', recipientDomain: 'other.com' }),
      ...sends(3, '2026-03-02T09:59:00Z', 1, { recipientDomain: 'other.com' }),
    ];
    const limits = { ...OPEN, perDomainHourlyLimit: 3 };
    expect(checkSendQuota(email, limits, history, now)).toMatchObject({ allowed: false, code: 'quota_domain_hourly', retryAt: at('2026-03-02T11:00:00Z') });
    expect(checkSendQuota({ ...email, recipientDomain: 'other.com' }, limits, history, now).allowed).toBe(true);
    expect(checkSendQuota({ ...email, recipientDomain: null }, limits, history, now).allowed).toBe(true);
  });

  it('minimum delay: per sender, with retryAt at last send + delay', () => {
    const history: SendRecord[] = [{ at: at('2026-03-02T10:00:00Z'), channel: 'email', sender: 'S1@send.com', recipientDomain: 'a.com' }];
    const limits = { ...OPEN, minDelaySeconds: 45 };
    const refused = checkSendQuota(email, limits, history, at('2026-03-02T10:00:30Z'));
    expect(refused).toMatchObject({ allowed: false, code: 'quota_min_delay', retryAt: at('2026-03-02T10:00:45Z') });
    expect(checkSendQuota(email, limits, history, at('2026-03-02T10:00:45Z')).allowed).toBe(true);
    expect(checkSendQuota({ ...email, sender: 's2@send.com' }, limits, history, at('2026-03-02T10:00:30Z')).allowed).toBe(true);
    // An unknown sender is paced against every email send.
    expect(checkSendQuota({ ...email, sender: null }, limits, history, at('2026-03-02T10:00:30Z'))).toMatchObject({ code: 'quota_min_delay' });
  });

  it('per-sender daily: counts only that sender today (UTC)', () => {
    const history = [...sends(10, '2026-03-02T01:00:00Z', 600, { sender: 's1@send.com' }), ...sends(10, '2026-03-01T12:00:00Z', 60, { sender: 's2@send.com' })];
    const limits = { ...OPEN, senderDailyLimit: 10 };
    const now = at('2026-03-02T12:00:00Z');
    expect(checkSendQuota(email, limits, history, now)).toMatchObject({ allowed: false, code: 'quota_sender_daily', retryAt: at('2026-03-03T00:00:00Z') });
    expect(checkSendQuota({ ...email, sender: 's2@send.com' }, limits, history, now).allowed).toBe(true);
    expect(checkSendQuota(email, { ...limits, senderDailyLimit: null }, history, now).allowed).toBe(true);
  });

  it('LinkedIn: only its daily limit applies, email sends do not count', () => {
    const linkedin = { channel: 'linkedin' as const, sender: null, recipientDomain: 'acme.com' };
    const history = [...sends(5, '2026-03-02T08:00:00Z', 60, { channel: 'linkedin' }), ...sends(30, '2026-03-02T09:00:00Z', 1)];
    expect(checkSendQuota(linkedin, LIMITS, history, at('2026-03-02T12:00:00Z'))).toMatchObject({ allowed: false, code: 'quota_linkedin_daily', retryAt: at('2026-03-03T00:00:00Z') });
    expect(checkSendQuota(linkedin, LIMITS, history, at('2026-03-03T00:00:00Z')).allowed).toBe(true);
    expect(checkSendQuota(email, { ...OPEN, emailDailyLimit: 31 }, history, at('2026-03-02T12:00:00Z')).allowed).toBe(true);
  });

  it('checks in order: daily before hourly before monthly', () => {
    const history = sends(30, '2026-03-02T10:00:00Z', 1);
    expect(checkSendQuota(email, LIMITS, history, at('2026-03-02T10:30:00Z'))).toMatchObject({ code: 'quota_daily' });
    expect(checkSendQuota(email, { ...LIMITS, emailDailyLimit: 100 }, history, at('2026-03-02T10:30:00Z'))).toMatchObject({ code: 'quota_hourly' });
    expect(checkSendQuota(email, { ...LIMITS, emailDailyLimit: 100, emailHourlyLimit: 100, emailMonthlyLimit: 30 }, history, at('2026-03-02T10:30:00Z'))).toMatchObject({ code: 'quota_monthly' });
  });

  it('a limit of 0 allows nothing', () => {
    expect(checkSendQuota(email, { ...OPEN, emailDailyLimit: 0 }, [], at('2026-03-02T10:00:00Z'))).toMatchObject({ code: 'quota_daily' });
    expect(checkSendQuota({ ...email, channel: 'linkedin' }, { ...OPEN, linkedinDailyLimit: 0 }, [], at('2026-03-02T10:00:00Z'))).toMatchObject({ code: 'quota_linkedin_daily' });
  });

  it("property: never allows when today's count already equals the daily limit", () => {
    const dayStart = at('2026-03-02T00:00:00Z').getTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 86_399_999 }), fc.array(fc.integer({ min: 0, max: 86_399_999 }), { maxLength: 40 }), (limit, nowOffset, olderOffsets) => {
        const today = Array.from({ length: limit }, (_, i): SendRecord => ({ at: new Date(dayStart + ((i * 7919) % 86_400_000)), channel: 'email', sender: null, recipientDomain: null }));
        const yesterday = olderOffsets.map((o): SendRecord => ({ at: new Date(dayStart - 1 - o), channel: 'email', sender: null, recipientDomain: null }));
        const decision = checkSendQuota(email, { ...OPEN, emailDailyLimit: limit }, [...today, ...yesterday], new Date(dayStart + nowOffset));
        expect(decision).toMatchObject({ allowed: false, code: 'quota_daily' });
      }),
    );
  });

  it('property: with fewer sends than every limit and no recent send, it allows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), (count) => {
        const history = sends(count, '2026-03-02T10:00:00Z', 1, { sender: 'other@send.com' });
        expect(checkSendQuota({ ...email, recipientDomain: 'fresh.com' }, { ...LIMITS, senderDailyLimit: null }, history, at('2026-03-02T10:30:00Z')).allowed).toBe(true);
      }),
    );
  });

  it('quotaUsage reports used and remaining per bucket', () => {
    const history = [...sends(3, '2026-03-02T10:00:00Z', 60), ...sends(2, '2026-03-01T10:00:00Z', 60), ...sends(1, '2026-03-02T11:00:00Z', 0, { channel: 'linkedin' })];
    const usage = quotaUsage(LIMITS, history, at('2026-03-02T10:30:00Z'));
    expect(usage.emailToday).toEqual({ used: 3, limit: 25, remaining: 22 });
    expect(usage.emailThisHour).toEqual({ used: 3, limit: 15, remaining: 12 });
    expect(usage.emailThisMonth).toEqual({ used: 5, limit: 2500, remaining: 2495 });
    expect(usage.linkedinToday).toEqual({ used: 1, limit: 5, remaining: 4 });
  });
});

describe('linkedinDailyLimit', () => {
  const warmup = { warmupStart: '2026-03-01', warmupWeeks: 4, warmupDailyLimit: 5, fullDailyLimit: 20 };

  it('stays in warm-up at week 0 with no start date', () => {
    expect(linkedinDailyLimit({ ...warmup, warmupStart: null }, at('2030-01-01T00:00:00Z'))).toEqual({ limit: 5, week: 0, inWarmup: true });
  });

  it('counts UTC weeks from the start date and switches at week 4', () => {
    expect(linkedinDailyLimit(warmup, at('2026-03-01T00:00:00Z'))).toEqual({ limit: 5, week: 0, inWarmup: true });
    expect(linkedinDailyLimit(warmup, at('2026-03-08T00:00:00Z'))).toEqual({ limit: 5, week: 1, inWarmup: true });
    expect(linkedinDailyLimit(warmup, at('2026-03-28T23:59:59.999Z'))).toEqual({ limit: 5, week: 3, inWarmup: true });
    expect(linkedinDailyLimit(warmup, at('2026-03-29T00:00:00Z'))).toEqual({ limit: 20, week: 4, inWarmup: false });
  });

  it('is in warm-up before the start date and with an unparsable one', () => {
    expect(linkedinDailyLimit(warmup, at('2026-02-01T00:00:00Z'))).toEqual({ limit: 5, week: 0, inWarmup: true });
    expect(linkedinDailyLimit({ ...warmup, warmupStart: '2026-02-30' }, at('2026-12-01T00:00:00Z'))).toEqual({ limit: 5, week: 0, inWarmup: true });
  });
});

describe('ramp', () => {
  const settings: RampSettings = {
    enabled: true,
    mode: 'clean_days',
    emailDailyLimitOverride: 5,
    tierFilter: 'tier_1',
    startDate: '2026-03-01',
    rampDays: 3,
    cleanDaysRequired: 3,
    cleanDaysLookbackDays: 45,
  };
  const clean = (date: string, extra: Partial<SendDay> = {}): SendDay => ({ date, live: true, sent: 5, bounces: 0, complaints: 0, errors: 0, ...extra });

  it('defines a clean day: live, sent > 0, no errors, bounces <= 2%, complaints <= 0.1%', () => {
    const day = { live: true, sent: 50, bounces: 1, complaints: 0, errors: 0 };
    expect(isCleanDay(day)).toBe(true);
    expect(isCleanDay({ ...day, bounces: 2 })).toBe(false);
    expect(isCleanDay({ ...day, sent: 150, bounces: 3 })).toBe(true);
    expect(isCleanDay({ ...day, sent: 1000, complaints: 1 })).toBe(true);
    expect(isCleanDay({ ...day, sent: 999, complaints: 1 })).toBe(false);
    expect(isCleanDay({ ...day, errors: 1 })).toBe(false);
    expect(isCleanDay({ ...day, sent: 0, bounces: 0 })).toBe(false);
    expect(isCleanDay({ ...day, live: false })).toBe(false);
  });

  it('is active with the override and tier filter until enough clean days', () => {
    const status = rampStatus(settings, [clean('2026-03-02'), clean('2026-03-03')], at('2026-03-05T10:00:00Z'));
    expect(status).toMatchObject({ active: true, day: 3, cleanDays: 2, required: 3, emailLimitOverride: 5, tierFilter: 'tier_1', reason: 'collecting_clean_days' });
  });

  it('graduates after the required clean days', () => {
    const status = rampStatus(settings, [clean('2026-03-02'), clean('2026-03-03'), clean('2026-03-04')], at('2026-03-05T00:00:00Z'));
    expect(status).toMatchObject({ active: false, day: 0, cleanDays: 3, emailLimitOverride: null, tierFilter: null, reason: 'graduated' });
  });

  it('does not count today: its bounces are still arriving', () => {
    const days = [clean('2026-03-02'), clean('2026-03-03'), clean('2026-03-04')];
    expect(rampStatus(settings, days, at('2026-03-04T23:59:59Z'))).toMatchObject({ active: true, cleanDays: 2 });
    expect(rampStatus(settings, days, at('2026-03-05T00:00:00Z'))).toMatchObject({ active: false, cleanDays: 3 });
  });

  it('ignores shadow days, dirty days, bad dates, days before the start and beyond the lookback', () => {
    const days = [clean('2026-03-02', { live: false }), clean('2026-03-03', { bounces: 1 }), clean('2026-03-04', { errors: 2 }), clean('2026-02-28'), clean('2026-02-31'), clean('2026-03-06')];
    expect(rampStatus(settings, days, at('2026-03-10T00:00:00Z'))).toMatchObject({ active: true, cleanDays: 1, day: 2 });
    const noStart = { ...settings, startDate: null, cleanDaysLookbackDays: 5 };
    // Lookback 5 at 2026-03-10: the window is 03-05 up to and excluding 03-10.
    const recent = [clean('2026-03-04'), clean('2026-03-05'), clean('2026-03-06'), clean('2026-03-09')];
    expect(rampStatus(noStart, recent, at('2026-03-10T08:00:00Z'))).toMatchObject({ cleanDays: 3, active: false });
    expect(rampStatus(noStart, recent, at('2026-03-11T08:00:00Z'))).toMatchObject({ cleanDays: 2, active: true });
  });

  it('merges several records of one date before judging the day', () => {
    const days = [clean('2026-03-02', { sent: 50 }), clean('2026-03-02', { sent: 0, bounces: 2 })];
    expect(rampStatus(settings, days, at('2026-03-05T00:00:00Z')).cleanDays).toBe(0);
    const twice = [clean('2026-03-02'), clean('2026-03-02'), clean('2026-03-02')];
    expect(rampStatus(settings, twice, at('2026-03-05T00:00:00Z')).cleanDays).toBe(1);
  });

  it('is active before the start date and inactive when disabled', () => {
    expect(rampStatus(settings, [], at('2026-02-28T23:59:59Z'))).toMatchObject({ active: true, reason: 'before_start', day: 1 });
    expect(rampStatus({ ...settings, enabled: false }, [], at('2026-03-02T00:00:00Z'))).toMatchObject({ active: false, reason: 'disabled', emailLimitOverride: null });
  });

  it('calendar mode: active for rampDays UTC days from the start', () => {
    const calendar = { ...settings, mode: 'calendar' as const };
    expect(rampStatus(calendar, [], at('2026-03-01T00:00:00Z'))).toMatchObject({ active: true, day: 1, required: 3, reason: 'in_calendar_window' });
    expect(rampStatus(calendar, [], at('2026-03-03T23:59:59Z'))).toMatchObject({ active: true, day: 3 });
    expect(rampStatus(calendar, [], at('2026-03-04T00:00:00Z'))).toMatchObject({ active: false, reason: 'calendar_window_over' });
    expect(rampStatus({ ...calendar, startDate: null }, [], at('2026-03-04T00:00:00Z'))).toMatchObject({ active: true, reason: 'no_start_date' });
  });

  it('requiring zero clean days graduates at once', () => {
    expect(rampStatus({ ...settings, cleanDaysRequired: 0 }, [], at('2026-03-02T00:00:00Z'))).toMatchObject({ active: false, reason: 'graduated' });
  });

  it('effectiveEmailDailyLimit never raises a limit', () => {
    expect(effectiveEmailDailyLimit(25, { active: true, emailLimitOverride: 5 })).toBe(5);
    expect(effectiveEmailDailyLimit(3, { active: true, emailLimitOverride: 5 })).toBe(3);
    expect(effectiveEmailDailyLimit(25, { active: false, emailLimitOverride: null })).toBe(25);
  });
});

describe('business hours', () => {
  const HOURS: BusinessHours = { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5], defaultTimeZone: 'America/New_York' };

  it('America/New_York: 08:00 local is 13:00Z before DST (2026-03-08) and 12:00Z after', () => {
    expect(isWithinBusinessHours(at('2026-03-06T12:59:59Z'), 'America/New_York', HOURS)).toBe(false);
    expect(isWithinBusinessHours(at('2026-03-06T13:00:00Z'), 'America/New_York', HOURS)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-09T11:59:59Z'), 'America/New_York', HOURS)).toBe(false);
    expect(isWithinBusinessHours(at('2026-03-09T12:00:00Z'), 'America/New_York', HOURS)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-09T21:59:59Z'), 'America/New_York', HOURS)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-09T22:00:00Z'), 'America/New_York', HOURS)).toBe(false);
    // DST ends 2026-11-01: 08:00 is 13:00Z again.
    expect(isWithinBusinessHours(at('2026-11-02T12:30:00Z'), 'America/New_York', HOURS)).toBe(false);
    expect(isWithinBusinessHours(at('2026-11-02T13:00:00Z'), 'America/New_York', HOURS)).toBe(true);
  });

  it('Europe/Berlin: 08:00 local is 07:00Z before DST (2026-03-29) and 06:00Z after', () => {
    expect(isWithinBusinessHours(at('2026-03-27T06:59:59Z'), 'Europe/Berlin', HOURS)).toBe(false);
    expect(isWithinBusinessHours(at('2026-03-27T07:00:00Z'), 'Europe/Berlin', HOURS)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-30T05:59:59Z'), 'Europe/Berlin', HOURS)).toBe(false);
    expect(isWithinBusinessHours(at('2026-03-30T06:00:00Z'), 'Europe/Berlin', HOURS)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-30T15:59:59Z'), 'Europe/Berlin', HOURS)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-30T16:00:00Z'), 'Europe/Berlin', HOURS)).toBe(false);
    // DST ends 2026-10-25.
    expect(isWithinBusinessHours(at('2026-10-26T06:30:00Z'), 'Europe/Berlin', HOURS)).toBe(false);
    expect(isWithinBusinessHours(at('2026-10-26T07:00:00Z'), 'Europe/Berlin', HOURS)).toBe(true);
  });

  it('uses the local weekday, not the UTC one', () => {
    // Saturday 01:00Z is still Friday 20:00 in New York (closed by the hour) and Saturday in Berlin.
    expect(isWithinBusinessHours(at('2026-03-07T01:00:00Z'), 'America/New_York', { ...HOURS, endHour: 24 })).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-07T01:00:00Z'), 'Europe/Berlin', { ...HOURS, startHour: 0 })).toBe(false);
    expect(isWithinBusinessHours(at('2026-03-08T12:00:00Z'), 'UTC', { ...HOURS, weekdays: [0] })).toBe(true);
  });

  it('falls back to the default zone when the recipient zone is missing or invalid, then to UTC', () => {
    expect(resolveTimeZone('Not/AZone', 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone(null, 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('', 'also-bad')).toBe('UTC');
    expect(resolveTimeZone(' Asia/Tokyo ', 'Europe/Berlin')).toBe('Asia/Tokyo');
    // 13:30Z on a Monday in March: 09:30 in New York (open), 14:30 in Berlin (open), 22:30 in Tokyo (closed).
    const monday = at('2026-03-09T13:30:00Z');
    expect(isWithinBusinessHours(monday, 'Bogus/Zone', { ...HOURS, defaultTimeZone: 'Asia/Tokyo' })).toBe(false);
    expect(isWithinBusinessHours(monday, undefined, HOURS)).toBe(true);
  });

  it('nextBusinessStart returns now when open, and the next opening across a weekend and DST', () => {
    const open = at('2026-03-10T15:00:00Z');
    expect(nextBusinessStart(open, 'America/New_York', HOURS)).toEqual(open);
    expect(nextBusinessStart(at('2026-03-10T10:00:00Z'), 'America/New_York', HOURS)).toEqual(at('2026-03-10T12:00:00Z'));
    // Friday evening EST to Monday morning EDT.
    expect(nextBusinessStart(at('2026-03-06T23:30:00Z'), 'America/New_York', HOURS)).toEqual(at('2026-03-09T12:00:00Z'));
    // Friday evening EDT to Monday morning EST.
    expect(nextBusinessStart(at('2026-10-30T22:30:00Z'), 'America/New_York', HOURS)).toEqual(at('2026-11-02T13:00:00Z'));
    // Saturday in Berlin (CET) to Monday (CEST).
    expect(nextBusinessStart(at('2026-03-28T12:00:00Z'), 'Europe/Berlin', HOURS)).toEqual(at('2026-03-30T06:00:00Z'));
  });

  it('nextBusinessStart skips an opening hour that a DST gap removes', () => {
    // 2026-03-08 02:00 does not exist in New York: clocks go from 01:59:59 EST to 03:00 EDT (07:00Z).
    const allWeek = { startHour: 2, endHour: 18, weekdays: [1, 2, 3, 4, 5, 6, 7] };
    expect(nextBusinessStart(at('2026-03-08T06:30:00Z'), 'America/New_York', allWeek)).toEqual(at('2026-03-08T07:00:00Z'));
  });

  it('nextBusinessStart is null when no time is allowed', () => {
    expect(nextBusinessStart(at('2026-03-10T10:00:00Z'), 'UTC', { ...HOURS, weekdays: [] })).toBeNull();
    expect(nextBusinessStart(at('2026-03-10T10:00:00Z'), 'UTC', { ...HOURS, startHour: 18, endHour: 18 })).toBeNull();
  });

  it('property: nextBusinessStart is not before now and is inside business hours', () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];
    const from = at('2026-01-01T00:00:00Z').getTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 730 * 86_400_000 }), fc.constantFrom(...zones), (offset, zone) => {
        const now = new Date(from + offset);
        const next = nextBusinessStart(now, zone, HOURS);
        expect(next).not.toBeNull();
        expect(next!.getTime()).toBeGreaterThanOrEqual(now.getTime());
        expect(isWithinBusinessHours(next!, zone, HOURS)).toBe(true);
        // Within a week and not skipping an earlier opening: one hour before is closed unless it is now.
        expect(next!.getTime() - now.getTime()).toBeLessThan(7 * 86_400_000);
        if (next!.getTime() !== now.getTime()) expect(isWithinBusinessHours(new Date(next!.getTime() - 1000), zone, HOURS)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('nextSendAt', () => {
  const last = at('2026-03-02T10:00:00Z');

  it('adds the minimum gap and a jitter scaled by the injected random value', () => {
    expect(nextSendAt(last, { minGapSeconds: 90, jitterSeconds: 60 }, () => 0)).toEqual(at('2026-03-02T10:01:30Z'));
    expect(nextSendAt(last, { minGapSeconds: 90, jitterSeconds: 60 }, () => 0.5)).toEqual(at('2026-03-02T10:02:00Z'));
    expect(nextSendAt(last, { minGapSeconds: 90, jitterSeconds: 0 }, () => 0.9)).toEqual(at('2026-03-02T10:01:30Z'));
  });

  it('property: stays within [gap, gap + jitter) even for out-of-range random values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: 3600 }), fc.double({ min: -2, max: 3, noNaN: true }), (gap, jitter, r) => {
        const delta = nextSendAt(last, { minGapSeconds: gap, jitterSeconds: jitter }, () => r).getTime() - last.getTime();
        expect(delta).toBeGreaterThanOrEqual(gap * 1000);
        expect(delta).toBeLessThanOrEqual(gap * 1000 + Math.max(0, jitter * 1000 - 1));
      }),
    );
  });
});

describe('crossChannelCapHit', () => {
  const now = at('2026-03-02T15:00:00Z');

  it('is hit by a touch on another channel the same UTC day', () => {
    expect(crossChannelCapHit([{ at: at('2026-03-02T00:00:00Z'), channel: 'email' }], 'linkedin', now)).toBe(true);
    expect(crossChannelCapHit([{ at: at('2026-03-02T23:59:59Z'), channel: 'linkedin' }], 'email', now)).toBe(true);
  });

  it('is not hit by the same channel, another day, or no history', () => {
    expect(crossChannelCapHit([{ at: at('2026-03-02T09:00:00Z'), channel: 'linkedin' }], 'linkedin', now)).toBe(false);
    expect(crossChannelCapHit([{ at: at('2026-03-01T23:59:59.999Z'), channel: 'email' }], 'linkedin', now)).toBe(false);
    expect(crossChannelCapHit([], 'email', now)).toBe(false);
  });
});

describe('shouldAutoPause', () => {
  const thresholds = { maxBounceRate: 0.02, maxComplaintRate: 0.001, minSample: 100 };

  it('pauses above 2% bounces, not at exactly 2%', () => {
    expect(shouldAutoPause({ sent: 150, bounces: 3, complaints: 0 }, thresholds)).toMatchObject({ pause: false, reason: 'healthy' });
    expect(shouldAutoPause({ sent: 150, bounces: 4, complaints: 0 }, thresholds)).toMatchObject({ pause: true, reason: 'bounce_rate' });
  });

  it('pauses above 0.1% complaints, and reports complaints before bounces', () => {
    expect(shouldAutoPause({ sent: 1000, bounces: 0, complaints: 1 }, thresholds)).toMatchObject({ pause: false });
    expect(shouldAutoPause({ sent: 1000, bounces: 0, complaints: 2 }, thresholds)).toMatchObject({ pause: true, reason: 'complaint_rate' });
    expect(shouldAutoPause({ sent: 1000, bounces: 100, complaints: 2 }, thresholds)).toMatchObject({ pause: true, reason: 'complaint_rate' });
  });

  it('does not judge a small sample, unless the breach is already certain at minSample', () => {
    expect(shouldAutoPause({ sent: 10, bounces: 1, complaints: 0 }, thresholds)).toMatchObject({ pause: false, reason: 'insufficient_sample' });
    expect(shouldAutoPause({ sent: 10, bounces: 2, complaints: 0 }, thresholds)).toMatchObject({ pause: false, reason: 'insufficient_sample' });
    expect(shouldAutoPause({ sent: 10, bounces: 3, complaints: 0 }, thresholds)).toMatchObject({ pause: true, reason: 'bounce_rate' });
    expect(shouldAutoPause({ sent: 10, bounces: 0, complaints: 1 }, thresholds)).toMatchObject({ pause: true, reason: 'complaint_rate' });
    expect(shouldAutoPause({ sent: 0, bounces: 0, complaints: 0 }, thresholds)).toMatchObject({ pause: false, reason: 'insufficient_sample' });
  });

  it('uses the issue defaults when no thresholds are given', () => {
    expect(shouldAutoPause({ sent: 100, bounces: 3, complaints: 0 })).toMatchObject({ pause: true, reason: 'bounce_rate' });
  });
});
