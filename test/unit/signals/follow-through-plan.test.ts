import { describe, expect, it } from 'vitest';
import { crmTagsOf, excerptOf, referredAddresses, resumeAfterAbsence, signalForReply } from '../../../src/signals/follow-through-plan.js';

const HOURS = { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5] };
const MONDAY = new Date('2026-11-23T10:00:00Z');

describe('the follow-through plan', () => {
  it('pauses an out-of-office cadence until the opening of the business day after the day back', () => {
    // Back Friday 27th: one business day later is Monday 30th.
    expect(resumeAfterAbsence({ returnDate: '2026-11-27T09:00:00.000Z' }, MONDAY, 'UTC', HOURS)?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    // Back on a Saturday: the day back is Monday 30th, so Tuesday.
    expect(resumeAfterAbsence({ returnDate: '2026-11-28T09:00:00.000Z' }, MONDAY, 'UTC', HOURS)?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    // In New York: 08:00 EST is 13:00 UTC.
    expect(resumeAfterAbsence({ returnDate: '2026-11-30T14:00:00.000Z' }, MONDAY, 'America/New_York', HOURS)?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
    // No return date (or one already past): a week from the reply, then one business day.
    expect(resumeAfterAbsence({ returnDate: null }, MONDAY, 'UTC', HOURS)?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(resumeAfterAbsence({ returnDate: '2026-11-01T09:00:00.000Z' }, MONDAY, 'UTC', HOURS)?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    // Business days are the configured ones: a Sunday-to-Thursday week skips Friday.
    expect(resumeAfterAbsence({ returnDate: '2026-11-26T09:00:00.000Z' }, MONDAY, 'UTC', { ...HOURS, weekdays: [7, 1, 2, 3, 4] })?.toISOString()).toBe('2026-11-29T08:00:00.000Z');
    expect(resumeAfterAbsence({ returnDate: null }, MONDAY, 'UTC', { ...HOURS, weekdays: [] })).toBeNull();
  });

  it('maps each class to the signal the status machine hears; an opt-out read by the provider stays one', () => {
    expect(signalForReply('meeting_request', 'email_replied', 'email')).toBe('email_replied');
    expect(signalForReply('objection', 'linkedin_replied', 'linkedin')).toBe('linkedin_replied');
    expect(signalForReply('not_interested', 'email_replied', 'email')).toBe('unsubscribed');
    expect(signalForReply('unsubscribe', 'email_replied', 'email')).toBe('unsubscribed');
    expect(signalForReply('out_of_office', 'email_replied', 'email')).toBeNull();
    expect(signalForReply('auto_reply', null, 'email')).toBeNull();
    expect(signalForReply('interested', 'unsubscribed', 'email')).toBe('unsubscribed');
  });

  it('quotes without addresses or phone numbers, finds the referred address, tags by class', () => {
    expect(excerptOf('Call me at +1 (555) 010-2030 or write to ann@acme.example.com.\nThanks')).toBe('Call me at [phone] or write to [address]. Thanks');
    expect(excerptOf('x'.repeat(500))).toHaveLength(280);
    expect(referredAddresses('Talk to Priya (Priya.Shah@acme.example.com) or me, ann@acme.example.com.', 'ann@acme.example.com')).toEqual(['priya.shah@acme.example.com']);
    expect(crmTagsOf('meeting_request')).toEqual(['reply-meeting-request']);
    expect(crmTagsOf('unsubscribe')).toEqual(['reply-unsubscribe', 'status-unsubscribed', 'DNC']);
  });
});
