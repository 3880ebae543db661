import { describe, expect, it } from 'vitest';
import { briefWindow, buildMeetingBrief, timeInZone, type MeetingBriefInput } from '../../../../src/domain/replies/meeting-brief.js';

const input = (overrides: Partial<MeetingBriefInput> = {}): MeetingBriefInput => ({
  person: { name: 'Maya Rivera', title: 'VP Operations', location: 'Denver, CO', linkedinUrl: 'https://www.linkedin.com/in/maya-rivera' },
  company: { name: 'Acme Logistics', domain: 'acme.example.com', industry: 'logistics', size: '240' },
  score: { points: 78, tier: 'tier_2', reasons: ['VP title at a 240-person company', 'Logistics is a target industry'] },
  conversation: [
    { at: '2026-11-23T15:00:00.000Z', direction: 'received', channel: 'email', subject: null, text: 'Tuesday at 4pm works, send an invite.', note: 'meeting_request' },
    { at: '2026-11-20T14:00:00.000Z', direction: 'sent', channel: 'email', subject: 'AI at Acme', text: 'Hi Maya,\nA question about your dispatch desk.', note: 'step 1' },
    { at: '2026-11-21T09:00:00.000Z', direction: 'sent', channel: 'linkedin', subject: null, text: '(a LinkedIn connection request)', note: 'step 2' },
  ],
  angleId: 't2_efficiency',
  reply: { class: 'meeting_request', kind: null, evidence: ['Tuesday at 4pm works'] },
  meeting: { slot: '2026-11-24T16:00:00.000Z', appointmentId: 'apt-1' },
  prospectTimeZone: 'America/Denver',
  ownerTimeZone: 'Europe/Berlin',
  ...overrides,
});

describe('the meeting brief (issue 17 item 5)', () => {
  it('names the person, the company, the score reasons, the angle and the meeting in both zones', () => {
    const { title, text } = buildMeetingBrief(input());
    expect(title).toBe('Meeting brief: Maya Rivera (Acme Logistics), Tuesday, November 24, 2026 at 5:00 PM GMT+1');
    expect(text).toContain('- Their time: Tuesday, November 24, 2026 at 9:00 AM MST (America/Denver)');
    expect(text).toContain('- Your time: Tuesday, November 24, 2026 at 5:00 PM GMT+1 (Europe/Berlin)');
    expect(text).toContain('- Maya Rivera, VP Operations');
    expect(text).toContain('- Acme Logistics: acme.example.com, logistics, 240 employees');
    expect(text).toContain('- 78 points, ');
    expect(text).toContain('- VP title at a 240-person company');
    expect(text).toContain('- Logistics is a target industry');
    expect(text).toMatch(/## The angle that worked\n- .+: .+\n- Their reply read as meeting request, from the words "Tuesday at 4pm works"/);
  });

  it('gives the whole conversation across channels oldest first, quoted, whatever order it came in', () => {
    const { text } = buildMeetingBrief(input());
    const conversation = text.slice(text.indexOf('## The conversation'));
    expect(conversation).toContain('(3 messages, oldest first, your time)');
    const order = ['AI at Acme', 'LinkedIn: We wrote (step 2)', 'E-mail: Maya replied (meeting request)'].map((s) => conversation.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(conversation).toContain('> Hi Maya,\n> A question about your dispatch desk.');
    expect(conversation).toContain('> Tuesday at 4pm works, send an invite.');
  });

  it('says what is missing rather than inventing it, and clips a very long message', () => {
    const { title, text } = buildMeetingBrief(
      input({
        meeting: null,
        angleId: null,
        company: { name: null, domain: null, industry: null, size: null },
        score: { points: null, tier: null, reasons: [] },
        conversation: [{ at: '2026-11-23T15:00:00.000Z', direction: 'received', channel: 'email', subject: null, text: 'x'.repeat(5000), note: null }],
      }),
    );
    expect(title).toBe('Meeting brief: Maya Rivera (no meeting booked yet)');
    expect(text).toContain('- Not booked yet.');
    expect(text).toContain('- Unknown company');
    expect(text).toContain('- Not scored.');
    expect(text).toContain('- Not known (no first-touch draft was sent before their reply).');
    const quoted = text.split('\n').find((l) => l.startsWith('> x'))!;
    expect(quoted.length).toBeLessThan(1300);
    expect(quoted.endsWith('…')).toBe(true);
  });

  it('reads a meeting across a DST change in the zone where it happens', () => {
    // 2026-03-09 17:00 UTC: New York is already on EDT (13:00), Berlin still on CET (18:00).
    expect(timeInZone('2026-03-09T17:00:00.000Z', 'America/New_York')).toBe('Monday, March 9, 2026 at 1:00 PM EDT');
    expect(timeInZone('2026-03-09T17:00:00.000Z', 'Europe/Berlin')).toBe('Monday, March 9, 2026 at 6:00 PM GMT+1');
  });

  it('opens the morning window at the owner’s morning hour and closes it at the end of the owner’s day', () => {
    // 05:30 UTC is 06:30 in Berlin: before 07:00, no window.
    expect(briefWindow(new Date('2026-11-24T05:30:00Z'), 'Europe/Berlin', 7)).toBeNull();
    const open = briefWindow(new Date('2026-11-24T06:30:00Z'), 'Europe/Berlin', 7)!;
    expect(open.from.toISOString()).toBe('2026-11-24T06:30:00.000Z');
    expect(open.to.toISOString()).toBe('2026-11-24T23:00:00.000Z');
    // The owner's day in New York ends at 05:00 UTC the next day.
    expect(briefWindow(new Date('2026-11-24T13:00:00Z'), 'America/New_York', 7)!.to.toISOString()).toBe('2026-11-25T05:00:00.000Z');
  });
});
