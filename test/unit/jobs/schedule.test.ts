import { describe, expect, it } from 'vitest';
import { nextRunAt } from '../../../src/jobs/schedule.js';

describe('job schedules (UTC)', () => {
  it('daily at HH:MM: today when still ahead, else tomorrow; exactly on the slot means the next day', () => {
    expect(nextRunAt({ kind: 'daily', atUtc: '10:00' }, new Date('2026-11-30T09:59:59Z')).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(nextRunAt({ kind: 'daily', atUtc: '10:00' }, new Date('2026-11-30T10:00:00Z')).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(nextRunAt({ kind: 'daily', atUtc: '00:30' }, new Date('2026-12-31T23:00:00Z')).toISOString()).toBe('2027-01-01T00:30:00.000Z');
  });
  it('every N minutes: the next multiple of N after the instant', () => {
    expect(nextRunAt({ kind: 'every', minutes: 15 }, new Date('2026-11-30T10:07:00Z')).toISOString()).toBe('2026-11-30T10:15:00.000Z');
    expect(nextRunAt({ kind: 'every', minutes: 15 }, new Date('2026-11-30T10:15:00Z')).toISOString()).toBe('2026-11-30T10:30:00.000Z');
  });
});
