import { describe, expect, it } from 'vitest';
import { decideSlot, meetingChangeOf, nearestFreeSlots } from '../../../../src/domain/replies/slot-pick.js';

/** The SCHEDULER's pure decision (issue 17 item 4): book one clear free time, else offer the nearest free slots. */
describe('decideSlot', () => {
  const now = new Date('2026-11-23T10:00:00Z'); // Monday
  const o = { now, timeZone: 'UTC', businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5] }, count: 2 };
  const free = ['2026-11-23T16:00:00.000Z', '2026-11-24T16:00:00.000Z', '2026-11-24T17:30:00.000Z', '2026-11-25T16:00:00.000Z', '2026-11-28T16:00:00.000Z'];
  const exact = (at: string) => ({ at, precision: 'exact' as const });

  it('books a clear time the calendar has free, or the offered slot a reply picks', () => {
    expect(decideSlot([exact('2026-11-24T16:00:00.000Z')], free, o)).toEqual({ kind: 'book', slot: '2026-11-24T16:00:00.000Z' });
    expect(decideSlot([{ at: '2026-11-25T16:00:00.000Z', precision: 'day', picksOffered: 1 }], free, o)).toEqual({ kind: 'book', slot: '2026-11-25T16:00:00.000Z' });
  });

  it('a taken time: the nearest free slots', () => {
    expect(decideSlot([exact('2026-11-24T17:00:00.000Z')], free, o)).toEqual({ kind: 'offer', reason: 'taken', wanted: '2026-11-24T17:00:00.000Z', slots: ['2026-11-24T16:00:00.000Z', '2026-11-24T17:30:00.000Z'] });
  });

  it('a past time, or one within the hour: the earliest free slots', () => {
    expect(decideSlot([exact('2026-11-20T16:00:00.000Z')], free, o)).toMatchObject({ kind: 'offer', reason: 'past', slots: ['2026-11-23T16:00:00.000Z', '2026-11-24T16:00:00.000Z'] });
    expect(decideSlot([exact('2026-11-23T10:30:00.000Z')], free, o)).toMatchObject({ kind: 'offer', reason: 'past' });
  });

  it('a weekend or off-hours time is never booked, even when the calendar shows it free', () => {
    expect(decideSlot([exact('2026-11-28T16:00:00.000Z')], free, o)).toEqual({ kind: 'offer', reason: 'outside_hours', wanted: '2026-11-28T16:00:00.000Z', slots: ['2026-11-24T17:30:00.000Z', '2026-11-25T16:00:00.000Z'] });
    expect(decideSlot([exact('2026-11-24T20:00:00.000Z')], [...free, '2026-11-24T20:00:00.000Z'], o)).toMatchObject({ kind: 'offer', reason: 'outside_hours' });
  });

  it('a day alone, or two different times, is ambiguous; no time is nothing to do', () => {
    expect(decideSlot([{ at: '2026-11-24T09:00:00.000Z', precision: 'day' }], free, o)).toMatchObject({ kind: 'offer', reason: 'ambiguous' });
    expect(decideSlot([exact('2026-11-24T16:00:00.000Z'), exact('2026-11-25T16:00:00.000Z')], free, o)).toMatchObject({ kind: 'offer', reason: 'ambiguous' });
    expect(decideSlot([], free, o)).toEqual({ kind: 'none' });
  });

  it('nearestFreeSlots keeps time order and business hours', () => {
    expect(nearestFreeSlots(free, '2026-11-25T12:00:00.000Z', { ...o, count: 3 })).toEqual(['2026-11-24T16:00:00.000Z', '2026-11-24T17:30:00.000Z', '2026-11-25T16:00:00.000Z']);
  });

  it('meetingChangeOf: a booked lead moving or cancelling', () => {
    expect(meetingChangeOf('Can we reschedule?', 0)).toBe('move');
    expect(meetingChangeOf('Thursday at 3 would be better', 1)).toBe('move');
    expect(meetingChangeOf("I can't make it, can we do Thursday at 3?", 1)).toBe('move');
    expect(meetingChangeOf('Sorry, I need to cancel our call.', 0)).toBe('cancel');
    expect(meetingChangeOf('Looking forward to it.', 0)).toBeNull();
  });
});
