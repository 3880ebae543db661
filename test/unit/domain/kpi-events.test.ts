import { describe, expect, it } from 'vitest';
import { countsOf, groupKpis, ratesOf, trailingRates } from '../../../src/domain/kpis/kpi-events.js';

describe('KPI arithmetic', () => {
  it('sums rollup rows into counts and rates, ignoring types that are not KPIs', () => {
    const counts = countsOf([
      { type: 'email_sent', leads: 8 },
      { type: 'email_opened', leads: 4 },
      { type: 'email_sent', leads: 2 },
      { type: 'lead_status_changed', leads: 99 },
    ]);
    expect(counts.emailSent).toBe(10);
    expect(ratesOf(counts)).toEqual({ open: 0.4, reply: 0, bounce: 0, linkedinAccept: null, replyToMeeting: null });
  });

  it('the reply-to-meeting rate: meetings booked over the replies on both channels', () => {
    const counts = countsOf([
      { type: 'email_replied', leads: 3 },
      { type: 'linkedin_replied', leads: 1 },
      { type: 'meeting_booked', leads: 1 },
    ]);
    expect(counts.meetingsBooked).toBe(1);
    expect(ratesOf(counts).replyToMeeting).toBe(0.25);
  });

  it('groups by campaign in first-seen order', () => {
    const groups = groupKpis(
      [
        { campaign: 'b', type: 'email_sent', leads: 1 },
        { campaign: 'a', type: 'email_sent', leads: 2 },
        { campaign: 'b', type: 'email_replied', leads: 1 },
      ],
      'campaign',
    );
    expect(groups.map((g) => [g.campaign, g.counts.emailSent, g.rates.reply])).toEqual([
      ['b', 1, 1],
      ['a', 2, 0],
    ]);
  });

  it('takes rates over time over a trailing window, reaching before the first day shown', () => {
    const rows = [
      { day: '2026-11-01', type: 'email_sent', leads: 10 },
      { day: '2026-11-03', type: 'email_opened', leads: 5 },
      { day: '2026-11-05', type: 'email_sent', leads: 10 },
    ];
    const points = trailingRates(rows, '2026-11-03', '2026-11-06', 3);
    expect(points.map((p) => [p.day, p.rates.open])).toEqual([
      ['2026-11-03', 0.5],
      ['2026-11-04', null],
      ['2026-11-05', 0.5],
      ['2026-11-06', 0],
    ]);
  });
});
