import { describe, expect, it } from 'vitest';
import { decideItem, emergencyStopReason, rampTierRefusal, senderFor, suppressionOf, type GuardSettings, type ItemFacts, type OutboundProvider, type ProviderSendRecord } from '../../../src/domain/sending/index.js';

// A Wednesday, inside the default business hours (UTC).
const NOW = new Date('2026-03-04T10:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);
const never = () => false;

const settings: GuardSettings = {
  limits: { emailHourlyLimit: 100, emailMonthlyLimit: 1000, perDomainHourlyLimit: 100, minDelaySeconds: 60 },
  linkedinWarmup: { warmupStart: null, warmupWeeks: 4, warmupDailyLimit: 2, fullDailyLimit: 20 },
  emailDailyLimit: 50,
  senders: [],
  recipients: { excludedDomains: ['excluded.example'], excludedEmails: ['blocked@ok.example'] },
  businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5], defaultTimeZone: 'UTC' },
  jitterSeconds: 0,
};

const RECIPIENT: Record<OutboundProvider, string> = { instantly: 'ann@ok.example', ghl: 'ann@ok.example', heyreach: 'https://www.linkedin.com/in/ann-example/' };

type Overrides = { channel?: OutboundProvider; recipient?: string; sender?: string | null; lead?: Partial<NonNullable<ItemFacts['lead']>> | null } & Partial<Omit<ItemFacts, 'item' | 'lead'>>;

const factsFor = ({ channel = 'instantly', recipient, sender = 'me@send.example', lead = {}, ...rest }: Overrides = {}): ItemFacts => {
  const to = recipient ?? RECIPIENT[channel];
  return {
    item: { channel, recipient: to, recipientDomain: channel === 'heyreach' ? null : to.slice(to.lastIndexOf('@') + 1), sender },
    lead: lead === null ? null : { status: 'queued', disqualificationReason: null, email: 'ann@ok.example', linkedinUrl: RECIPIENT.heyreach, ...lead },
    isSuppressed: never,
    history: [],
    leadTouches: [],
    ...rest,
  };
};

const sent = (at: Date, provider: OutboundProvider, sender: string | null = 'other@send.example', recipientDomain: string | null = 'elsewhere.example'): ProviderSendRecord => ({
  at,
  provider,
  channel: provider === 'heyreach' ? 'linkedin' : 'email',
  sender,
  recipientDomain,
});

const decide = (overrides: Overrides = {}, with_: Partial<GuardSettings> = {}, now = NOW, random = () => 0) => decideItem(factsFor(overrides), { ...settings, ...with_ }, now, random);
const reasonOf = (verdict: ReturnType<typeof decideItem>) => (verdict.kind === 'send' ? null : verdict.reason);

describe('decideItem: refusals', () => {
  it('sends what no guard refuses, with its sender', () => {
    for (const channel of ['instantly', 'ghl', 'heyreach'] as const) expect(decide({ channel })).toEqual({ kind: 'send', sender: 'me@send.example' });
  });

  it('rejects an item whose lead is missing', () => {
    expect(decide({ lead: null })).toEqual({ kind: 'reject', reason: 'lead_missing' });
  });

  it.each([
    [{ status: 'unsubscribed' }, 'suppressed:unsubscribed'],
    [{ status: 'bounced' }, 'suppressed:bounced'],
    [{ status: 'do_not_contact' }, 'suppressed:do_not_contact'],
    [{ status: 'disqualified', disqualificationReason: 'competitor' }, 'suppressed:competitor'],
    [{ status: 'disqualified', disqualificationReason: 'too_small' }, 'suppressed:do_not_contact'],
  ])('rejects a lead whose status suppresses it (%j) on every channel', (lead, reason) => {
    for (const channel of ['instantly', 'ghl', 'heyreach'] as const) expect(decide({ channel, lead })).toEqual({ kind: 'reject', reason });
  });

  it('rejects a lead one of whose identities is on the suppression list (its e-mail or its LinkedIn profile)', () => {
    expect(decide({ isSuppressed: (id) => id === 'ann@ok.example' })).toEqual({ kind: 'reject', reason: 'suppressed:do_not_contact' });
    expect(decide({ channel: 'heyreach', isSuppressed: (id) => id === 'linkedin:linkedin.com/in/ann-example' })).toEqual({ kind: 'reject', reason: 'suppressed:do_not_contact' });
  });

  it('rejects an e-mail to an excluded domain (or a subdomain of one), an excluded address, or a malformed address', () => {
    expect(decide({ recipient: 'bo@mail.excluded.example' })).toEqual({ kind: 'reject', reason: 'excluded_recipient_domain' });
    expect(decide({ channel: 'ghl', recipient: 'Blocked@ok.example' })).toEqual({ kind: 'reject', reason: 'excluded_recipient_email' });
    expect(decide({ recipient: 'not-an-address' })).toEqual({ kind: 'reject', reason: 'invalid_email_format' });
  });

  it('rejects a LinkedIn touch to anything but one profile URL', () => {
    for (const recipient of ['https://www.linkedin.com/company/acme', 'https://www.linkedin.com/in/ann/?trk=x', 'https://example.com/in/ann', 'ann@ok.example']) {
      expect(decide({ channel: 'heyreach', recipient })).toEqual({ kind: 'reject', reason: 'invalid_linkedin_url' });
    }
  });

  it('rejects a LinkedIn touch to a person whose e-mail is refused, always as excluded_recipient_domain', () => {
    expect(decide({ channel: 'heyreach', lead: { email: 'ann@excluded.example' } })).toEqual({ kind: 'reject', reason: 'excluded_recipient_domain' });
    expect(decide({ channel: 'heyreach', lead: { email: 'blocked@ok.example' } })).toEqual({ kind: 'reject', reason: 'excluded_recipient_domain' });
    expect(decide({ channel: 'heyreach', lead: { email: null } })).toEqual({ kind: 'send', sender: 'me@send.example' });
  });

  it("defers past the drain's e-mail daily limit until the next UTC day", () => {
    const history = [sent(ago(3600), 'instantly'), sent(ago(1800), 'instantly')];
    expect(decide({ history }, { emailDailyLimit: 2 })).toEqual({ kind: 'defer', until: new Date('2026-03-05T00:00:00.000Z'), reason: 'quota_daily' });
    expect(decide({ history }, { emailDailyLimit: 3 }).kind).toBe('send');
  });

  it("defers LinkedIn past the warm-up's daily limit; e-mails do not count against it", () => {
    const linkedin = [sent(ago(600), 'heyreach', null, null), sent(ago(300), 'heyreach', null, null)];
    expect(decide({ channel: 'heyreach', history: linkedin })).toEqual({ kind: 'defer', until: new Date('2026-03-05T00:00:00.000Z'), reason: 'quota_linkedin_daily' });
    expect(decide({ channel: 'heyreach', history: [sent(ago(600), 'instantly'), sent(ago(300), 'ghl')] }).kind).toBe('send');
  });

  it('applies the minimum delay between two sends of one inbox to GHL only (Instantly paces its own)', () => {
    const history = [sent(ago(30), 'ghl', 'me@send.example')];
    expect(decide({ channel: 'ghl', history })).toEqual({ kind: 'defer', until: new Date(ago(30).getTime() + 60_000), reason: 'quota_min_delay' });
    expect(decide({ channel: 'instantly', history }).kind).toBe('send');
  });

  it("defers a GHL send within the inbox's jittered gap", () => {
    const history = [sent(ago(90), 'ghl', 'me@send.example')];
    // Gap 60 s + jitter 0.5 × 120 s = 120 s after the last send: 30 s from now.
    expect(decide({ channel: 'ghl', history }, { jitterSeconds: 120 }, NOW, () => 0.5)).toEqual({ kind: 'defer', until: new Date(NOW.getTime() + 30_000), reason: 'inbox_gap' });
    expect(decide({ channel: 'ghl', history }, { jitterSeconds: 120 }, NOW, () => 0.1).kind).toBe('send');
  });

  it('defers a GHL send outside business hours to the next opening; other channels are not held', () => {
    const saturday = new Date('2026-03-07T10:00:00.000Z');
    expect(decide({ channel: 'ghl' }, {}, saturday)).toEqual({ kind: 'defer', until: new Date('2026-03-09T08:00:00.000Z'), reason: 'outside_business_hours' });
    expect(decide({ channel: 'instantly' }, {}, saturday).kind).toBe('send');
  });

  it('defers a touch on one channel when the lead had one on another today, until the next UTC day', () => {
    const touchedOnLinkedin = { leadTouches: [{ channel: 'heyreach', at: ago(3600) }] };
    expect(decide({ channel: 'instantly', ...touchedOnLinkedin })).toEqual({ kind: 'defer', until: new Date('2026-03-05T00:00:00.000Z'), reason: 'cross_channel_cap' });
    expect(decide({ channel: 'heyreach', ...touchedOnLinkedin }).kind).toBe('send');
    // A touch yesterday (UTC) does not count; a provider the guard does not know counts as e-mail.
    expect(decide({ channel: 'instantly', leadTouches: [{ channel: 'heyreach', at: new Date('2026-03-03T23:00:00.000Z') }] }).kind).toBe('send');
    expect(reasonOf(decide({ channel: 'heyreach', leadTouches: [{ channel: 'smtp', at: ago(60) }] }))).toBe('cross_channel_cap');
  });

  it("defers a GHL e-mail for a minute once the agent's rate limit is reached (2 a minute); Instantly adds are not counted", () => {
    const history = [sent(ago(10), 'ghl', 'a@send.example'), sent(ago(20), 'ghl', 'b@send.example')];
    expect(decide({ channel: 'ghl', history })).toEqual({ kind: 'defer', until: new Date(NOW.getTime() + 60_000), reason: 'AGENT_RATE_LIMITED' });
    expect(decide({ channel: 'instantly', history }).kind).toBe('send');
    expect(decide({ channel: 'ghl', history: history.map((h) => ({ ...h, provider: 'instantly' as const })) }).kind).toBe('send');
  });
});

// Read with the test above: each case holds two refusals at once, and the earlier guard must win.
describe('decideItem: order of precedence', () => {
  const dailyFull = [sent(ago(3600), 'ghl', 'x@send.example'), sent(ago(1800), 'ghl', 'y@send.example')];
  const saturday = new Date('2026-03-07T10:00:00.000Z');

  it('lead missing before anything else', () => {
    expect(decide({ lead: null, recipient: 'bad', isSuppressed: () => true })).toEqual({ kind: 'reject', reason: 'lead_missing' });
  });

  it('suppression before the excluded lists and the format (e-mail), and before the URL (LinkedIn)', () => {
    expect(reasonOf(decide({ lead: { status: 'bounced' }, recipient: 'blocked@ok.example' }))).toBe('suppressed:bounced');
    expect(reasonOf(decide({ lead: { status: 'bounced' }, recipient: 'bad' }))).toBe('suppressed:bounced');
    expect(reasonOf(decide({ channel: 'heyreach', lead: { status: 'bounced' }, recipient: 'bad' }))).toBe('suppressed:bounced');
  });

  it("the profile URL before the lead's refused e-mail (LinkedIn)", () => {
    expect(reasonOf(decide({ channel: 'heyreach', recipient: 'bad', lead: { email: 'ann@excluded.example' } }))).toBe('invalid_linkedin_url');
  });

  it('a rejection before any deferral: the recipient guards before the quotas', () => {
    expect(decide({ recipient: 'ann@excluded.example', history: dailyFull }, { emailDailyLimit: 2 })).toEqual({ kind: 'reject', reason: 'excluded_recipient_domain' });
  });

  it('quotas before business hours (GHL)', () => {
    const fullOnSaturday = dailyFull.map((h) => ({ ...h, at: new Date(h.at.getTime() + saturday.getTime() - NOW.getTime()) }));
    expect(reasonOf(decide({ channel: 'ghl', history: fullOnSaturday }, { emailDailyLimit: 2 }, saturday))).toBe('quota_daily');
  });

  it('business hours before the cross-channel cap, the cap before the agent rate limit', () => {
    const touched = [{ channel: 'heyreach', at: new Date(saturday.getTime() - 60_000) }];
    expect(reasonOf(decide({ channel: 'ghl', leadTouches: touched }, {}, saturday))).toBe('outside_business_hours');
    const rateFull = [sent(ago(10), 'ghl', 'a@send.example'), sent(ago(20), 'ghl', 'b@send.example')];
    expect(reasonOf(decide({ channel: 'ghl', history: rateFull, leadTouches: [{ channel: 'heyreach', at: ago(60) }] }))).toBe('cross_channel_cap');
  });
});

describe('senderFor', () => {
  const senders = [
    { email: 'b@send.example', dailyLimit: 2 },
    { email: 'a@send.example', dailyLimit: 1 },
  ];
  const item = { channel: 'instantly' as const, recipient: 'ann@ok.example', recipientDomain: 'ok.example', sender: null };

  it('keeps the item sender and no limit for LinkedIn or when no senders are configured', () => {
    expect(senderFor({ ...item, channel: 'heyreach', sender: 's' }, senders, [], NOW)).toEqual({ sender: 's', dailyLimit: null });
    expect(senderFor({ ...item, sender: 's' }, [], [], NOW)).toEqual({ sender: 's', dailyLimit: null });
  });

  it('picks the least used sender today with room left, by name on a tie', () => {
    expect(senderFor(item, senders, [], NOW)).toEqual({ sender: 'a@send.example', dailyLimit: 1 });
    expect(senderFor(item, senders, [sent(ago(60), 'instantly', 'a@send.example')], NOW)).toEqual({ sender: 'b@send.example', dailyLimit: 2 });
    // Yesterday's sends do not count.
    expect(senderFor(item, senders, [sent(new Date('2026-03-03T12:00:00.000Z'), 'instantly', 'a@send.example')], NOW).sender).toBe('a@send.example');
  });

  it('falls back to the least used when none has room, and keeps a named sender', () => {
    const history = [sent(ago(60), 'instantly', 'a@send.example'), sent(ago(50), 'instantly', 'b@send.example'), sent(ago(40), 'instantly', 'b@send.example')];
    expect(senderFor(item, senders, history, NOW)).toEqual({ sender: 'a@send.example', dailyLimit: 1 });
    expect(senderFor({ ...item, sender: 'b@send.example' }, senders, history, NOW)).toEqual({ sender: 'b@send.example', dailyLimit: 2 });
  });

  it("a rotated sender's own daily limit defers the send", () => {
    const history = [sent(ago(60), 'instantly', 'a@send.example'), sent(ago(50), 'instantly', 'b@send.example'), sent(ago(40), 'instantly', 'b@send.example')];
    expect(reasonOf(decideItem(factsFor({ sender: null, history }), { ...settings, senders }, NOW, () => 0))).toBe('quota_sender_daily');
  });
});

describe('suppressionOf', () => {
  it('a suppressed identity is do-not-contact whatever the status; a live lead is not suppressed', () => {
    expect(suppressionOf({ status: 'unsubscribed', disqualificationReason: null }, true)).toBe('do_not_contact');
    expect(suppressionOf({ status: 'queued', disqualificationReason: null }, false)).toBeNull();
  });
});

describe('emergencyStopReason', () => {
  it('names the environment first, then who set the database flag and why', () => {
    const stop = { active: true, setBy: 'ana', reason: 'bounces' };
    expect(emergencyStopReason(true, stop)).toBe('EMERGENCY_STOP is set in the environment');
    expect(emergencyStopReason(false, stop)).toBe('emergency stop set by ana: bounces');
    expect(emergencyStopReason(false, { ...stop, reason: null })).toBe('emergency stop set by ana');
    expect(emergencyStopReason(false, { ...stop, active: false })).toBeNull();
    expect(emergencyStopReason(false, null)).toBeNull();
  });
});

describe('rampTierRefusal', () => {
  it('refuses other tiers only while the ramp is active with a filter', () => {
    expect(rampTierRefusal({ active: true, tierFilter: 'tier_1' }, 'tier_2')).toBe('ramp_tier_filter:tier_1');
    expect(rampTierRefusal({ active: true, tierFilter: 'tier_1' }, null)).toBe('ramp_tier_filter:tier_1');
    expect(rampTierRefusal({ active: true, tierFilter: 'tier_1' }, 'tier_1')).toBeNull();
    expect(rampTierRefusal({ active: true, tierFilter: null }, 'tier_2')).toBeNull();
    expect(rampTierRefusal({ active: false, tierFilter: 'tier_1' }, 'tier_2')).toBeNull();
  });
});
