import { describe, expect, it } from 'vitest';
import { cancellationReason, craftCancelAcknowledgement, craftReplyDraft, DEFAULT_SENDER_SETTINGS, editRulesFor, pickSlotsToOffer, slotWords, type ReplyToAnswer, type SlotOffer } from '../../../../src/domain/drafting/index.js';
import { OBJECTION_KINDS } from '../../../../src/domain/replies/index.js';
import { aProfile } from '../../../support/builders.js';

const HOURS = { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5] };
// Wednesday 2026-03-04 15:00 UTC = 10:00 in New York (EST).
const NOW = new Date('2026-03-04T15:00:00Z');
const NY = 'America/New_York';

const reply = (overrides: Partial<ReplyToAnswer> = {}): ReplyToAnswer => ({
  class: 'meeting_request',
  kind: null,
  excerpt: 'Happy to chat, send me some times.',
  evidence: ['send me some times'],
  channel: 'email',
  proposedTimes: [],
  subject: 'Re: AI at Acme',
  ...overrides,
});
const offer = (overrides: Partial<SlotOffer> = {}): SlotOffer => ({ slots: [], timeZone: NY, bookingUrl: 'https://book.example.com/dani', proposedFree: null, unavailable: null, ...overrides });

describe('pickSlotsToOffer: only future weekday slots within business hours in the prospect zone', () => {
  it('drops past slots, slots within the notice period, weekends and hours outside 08-18 local; one per day first', () => {
    const slots = [
      '2026-03-03T15:00:00Z', // yesterday
      '2026-03-04T15:30:00Z', // in 30 minutes: inside the two-hour notice
      '2026-03-04T18:00:00Z', // Wed 13:00 NY: ok
      '2026-03-04T19:00:00Z', // Wed 14:00 NY: same day, kept for later
      '2026-03-05T12:00:00Z', // Thu 07:00 NY: before business hours
      '2026-03-05T23:00:00Z', // Thu 18:00 NY: after business hours (end exclusive)
      '2026-03-07T15:00:00Z', // Saturday
      '2026-03-08T15:00:00Z', // Sunday
      '2026-03-09T14:00:00Z', // Mon 10:00 NY (EDT from March 8: 14:00 UTC is 10:00)
      'not a time',
    ];
    expect(pickSlotsToOffer(slots, { now: NOW, timeZone: NY, businessHours: HOURS })).toEqual(['2026-03-04T18:00:00.000Z', '2026-03-04T19:00:00.000Z', '2026-03-09T14:00:00.000Z']);
    expect(pickSlotsToOffer(slots, { now: NOW, timeZone: NY, businessHours: HOURS, count: 2 })).toEqual(['2026-03-04T18:00:00.000Z', '2026-03-09T14:00:00.000Z']);
  });

  it('reads the hours in the prospect zone, not in UTC: 16:00 UTC is 08:00 in Los Angeles but 17:00 in Berlin', () => {
    const slot = ['2026-03-05T16:00:00Z'];
    expect(pickSlotsToOffer(slot, { now: NOW, timeZone: 'America/Los_Angeles', businessHours: HOURS })).toEqual(slot.map((s) => new Date(s).toISOString()));
    expect(pickSlotsToOffer(['2026-03-05T17:00:00Z'], { now: NOW, timeZone: 'Europe/Berlin', businessHours: HOURS })).toEqual([]);
  });

  it('writes a slot in the prospect zone with its abbreviation', () => {
    expect(slotWords('2026-03-09T14:00:00Z', NY)).toBe('Monday, March 9 at 10:00 AM EDT');
  });
});

describe('craftReplyDraft: the suggested answer in the thread', () => {
  const lead = aProfile({ email: 'maya@acme.example.com', firstName: 'Maya', company: { ...aProfile().company, name: 'Acme' } });

  it('a meeting request lists the offered slots in the prospect zone, in the same thread, signed with the opt-out footer', () => {
    const r = craftReplyDraft({ lead, reply: reply(), offer: offer({ slots: ['2026-03-04T18:00:00Z', '2026-03-09T14:00:00Z'] }) }, DEFAULT_SENDER_SETTINGS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.angleId).toBe('reply:meeting_request');
    expect(r.value.subjectA).toBe('Re: AI at Acme');
    expect(r.value.body).toContain('1. Wednesday, March 4 at 1:00 PM EST\n2. Monday, March 9 at 10:00 AM EDT');
    expect(r.value.body).toContain('https://book.example.com/dani');
    expect(r.value.body).toContain(DEFAULT_SENDER_SETTINGS.unsubscribeUrl);
    expect(r.value.grounding.filter((g) => g.claim === 'free slot').map((g) => g.value)).toEqual(['2026-03-04T18:00:00Z', '2026-03-09T14:00:00Z']);
  });

  it("a prospect's own time that is free is confirmed first", () => {
    const r = craftReplyDraft({ lead, reply: reply(), offer: offer({ slots: ['2026-03-09T14:00:00Z', '2026-03-10T14:00:00Z'], proposedFree: '2026-03-09T14:00:00Z' }) }, DEFAULT_SENDER_SETTINGS);
    expect(r.ok && r.value.body).toContain('Monday, March 9 at 10:00 AM EDT works on my side; I will send the invite for it. If that changes, Tuesday, March 10 at 10:00 AM EDT would work too.');
  });

  it('without slots (calendar down) it offers the booking link', () => {
    const r = craftReplyDraft({ lead, reply: reply({ class: 'interested' }), offer: offer({ unavailable: 'calendar_unavailable' }) }, DEFAULT_SENDER_SETTINGS);
    expect(r.ok && r.value.body).toContain('my booking page, where you can pick any time that suits you here: https://book.example.com/dani');
    expect(r.ok && r.value.angleReason).toBe('reply: interested; booking link (calendar_unavailable)');
  });

  it('an objection gets its kind’s answer, grounded only in the company name', () => {
    for (const kind of OBJECTION_KINDS) {
      const r = craftReplyDraft({ lead, reply: reply({ class: 'objection', kind }), offer: null }, DEFAULT_SENDER_SETTINGS);
      expect(r.ok, kind).toBe(true);
      expect(r.ok && r.value.angleReason).toBe(`reply: objection (${kind})`);
    }
    const budget = craftReplyDraft({ lead, reply: reply({ class: 'objection', kind: 'budget' }), offer: null }, DEFAULT_SENDER_SETTINGS);
    expect(budget.ok && budget.value.body).toContain('Fair point on budget');
  });

  it('a LinkedIn answer carries no e-mail footer; classes that need no answer and leads without a first name are skipped', () => {
    const li = craftReplyDraft({ lead, reply: reply({ class: 'referral', channel: 'linkedin' }), offer: null }, DEFAULT_SENDER_SETTINGS);
    expect(li.ok && li.value.body).not.toContain(DEFAULT_SENDER_SETTINGS.unsubscribeUrl);
    expect(craftReplyDraft({ lead, reply: reply({ class: 'unsubscribe' }), offer: null }, DEFAULT_SENDER_SETTINGS)).toMatchObject({ ok: false, error: { code: 'not_answered' } });
    expect(craftReplyDraft({ lead: aProfile({ email: 'x@acme.example.com', firstName: null, fullName: null }), reply: reply(), offer: null }, DEFAULT_SENDER_SETTINGS)).toMatchObject({ ok: false, error: { code: 'missing_first_name' } });
  });
});

describe('craftCancelAcknowledgement: a short answer to a cancel, in the same thread', () => {
  const lead = aProfile({ firstName: 'Maya', email: 'maya@acme.example.com' });
  const input = (overrides: Partial<ReplyToAnswer> = {}) => ({
    lead,
    reply: reply({ class: 'question', excerpt: 'Sorry, I need to cancel our call.', ...overrides }),
    slot: '2026-03-05T19:00:00.000Z',
    timeZone: NY,
    bookingUrl: 'https://book.example.com/dani',
  });

  it('says which meeting is cancelled in the prospect zone and offers the booking page; e-mail keeps the footer, LinkedIn signs with the name', () => {
    const email = craftCancelAcknowledgement(input(), DEFAULT_SENDER_SETTINGS);
    if (!email.ok) throw new Error(email.error.reason);
    expect(email.value.body).toMatch(
      /^Hi Maya,\n\nNo problem, I have cancelled our call on Thursday, March 5 at 2:00 PM EST\.\n\nIf you would like to find another time, you can pick one that suits you here: https:\/\/book\.example\.com\/dani/,
    );
    expect(email.value.body).toContain(DEFAULT_SENDER_SETTINGS.unsubscribeUrl);
    expect(email.value).toMatchObject({ angleId: 'reply:question', angleReason: cancellationReason('2026-03-05T19:00:00.000Z'), subjectA: 'Re: AI at Acme' });
    expect(editRulesFor(email.value)).toMatchObject({ channel: 'email', footer: true });
    const linkedin = craftCancelAcknowledgement(input({ channel: 'linkedin' }), DEFAULT_SENDER_SETTINGS);
    if (!linkedin.ok) throw new Error(linkedin.error.reason);
    expect(linkedin.value.body).not.toContain(DEFAULT_SENDER_SETTINGS.unsubscribeUrl);
    expect(linkedin.value.body.endsWith(`\n\n${DEFAULT_SENDER_SETTINGS.name}`)).toBe(true);
    expect(editRulesFor(linkedin.value)).toMatchObject({ channel: 'linkedin', footer: false });
  });

  it('writes nothing for an opt-out or a no', () => {
    for (const cls of ['unsubscribe', 'not_interested'] as const) expect(craftCancelAcknowledgement(input({ class: cls }), DEFAULT_SENDER_SETTINGS)).toMatchObject({ ok: false, error: { code: 'not_answered' } });
  });
});
