import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, cadenceActionId, cadenceStatus, completeStep, dueSteps, enroll, enrollOnTouch, stepDueAt, type CadenceEventType, type CadenceStep, type Enrollment, type LeadFacts } from '../../../src/domain/cadence/index.js';

/** The spec's default_21day table (spec/operator.md). */
const DEFAULT_21DAY: CadenceStep[] = [
  { step: 1, day: 1, channel: 'email', action: 'intro', condition: 'always' },
  { step: 2, day: 2, channel: 'linkedin', action: 'connect', condition: 'has_linkedin_url' },
  { step: 3, day: 5, channel: 'email', action: 'value_followup', condition: 'not_replied' },
  { step: 4, day: 7, channel: 'linkedin', action: 'message', condition: 'linkedin_connected' },
  { step: 5, day: 10, channel: 'email', action: 'social_proof', condition: 'not_replied' },
  { step: 6, day: 14, channel: 'linkedin', action: 'followup_message', condition: 'linkedin_connected' },
  { step: 7, day: 17, channel: 'email', action: 'breakup', condition: 'not_replied' },
  { step: 8, day: 21, channel: 'email', action: 'close', condition: 'not_replied' },
];

const at = (iso: string) => new Date(iso);
const DAY_MS = 86_400_000;
/** Enrolled late in the UTC evening so a local-time or 24-hours-later reading of "day" would fail. */
const ENROLLED_AT = at('2025-03-03T22:45:00.000Z');
/** A fake clock: noon UTC of cadence day N. */
const onDay = (n: number, time = '12:00:00.000') => new Date(Date.parse(`2025-03-03T${time}Z`) + (n - 1) * DAY_MS);

const facts = (over: Partial<LeadFacts> = {}): LeadFacts => ({
  hasLinkedinUrl: true,
  replied: false,
  connected: false,
  bounced: false,
  unsubscribed: false,
  meetingBooked: false,
  ...over,
});

const fresh = () => enroll('jane@acme.com', 'default_21day', ENROLLED_AT);
const stepsOf = (items: readonly { step: number }[]) => items.map((i) => i.step);

describe('enroll', () => {
  it('starts active with nothing completed, on the UTC day of the first touch', () => {
    const e = fresh();
    expect(e).toMatchObject({ leadId: 'jane@acme.com', cadenceId: 'default_21day', status: 'active', completedSteps: [], exitReason: null });
    expect(e.enrolledAt).toEqual(ENROLLED_AT);
  });

  it('rejects an invalid first-touch time', () => {
    expect(() => enroll('x', 'c', new Date(Number.NaN))).toThrow(RangeError);
  });

  it('auto-enrols on the first touch and keeps the existing enrollment on later touches, even an exited one', () => {
    const first = enrollOnTouch(null, 'jane@acme.com', 'default_21day', ENROLLED_AT);
    expect(first.enrolledAt).toEqual(ENROLLED_AT);
    expect(enrollOnTouch(first, 'jane@acme.com', 'default_21day', onDay(4))).toBe(first);
    const exited = applyEvent(first, { type: 'replied', at: onDay(3) });
    expect(enrollOnTouch(exited, 'jane@acme.com', 'default_21day', onDay(9))).toBe(exited);
  });
});

describe('schedule (UTC days)', () => {
  it('puts day N at 00:00 UTC of the enrolment day + N - 1', () => {
    expect(stepDueAt(ENROLLED_AT, 1).toISOString()).toBe('2025-03-03T00:00:00.000Z');
    expect(stepDueAt(ENROLLED_AT, 2).toISOString()).toBe('2025-03-04T00:00:00.000Z');
    expect(stepDueAt(ENROLLED_AT, 21).toISOString()).toBe('2025-03-23T00:00:00.000Z');
    expect(stepDueAt(ENROLLED_AT, 0).toISOString()).toBe('2025-03-03T00:00:00.000Z');
  });

  it('makes step 2 due at the UTC midnight, 75 minutes after a late-evening enrolment', () => {
    const e = completeStep(fresh(), 1, ENROLLED_AT);
    expect(dueSteps(e, DEFAULT_21DAY, facts(), at('2025-03-03T23:59:59.999Z')).due).toEqual([]);
    expect(stepsOf(dueSteps(e, DEFAULT_21DAY, facts(), at('2025-03-04T00:00:00.000Z')).due)).toEqual([2]);
  });

  it('builds the batch action id as <leadId>|<channel>|s<step>|d<day>', () => {
    const [due] = dueSteps(fresh(), DEFAULT_21DAY, facts(), onDay(1)).due;
    expect(due).toEqual({ step: 1, day: 1, channel: 'email', action: 'intro', dueAt: at('2025-03-03T00:00:00.000Z'), actionId: 'jane@acme.com|email|s1|d1' });
    expect(cadenceActionId('lead-7', { channel: 'linkedin', step: 4, day: 7 })).toBe('lead-7|linkedin|s4|d7');
  });
});

describe('the default 21-day sequence with a fake clock', () => {
  it('walks all 8 steps on their days, for a lead who connects on day 3, and completes', () => {
    let e = fresh();
    const dueByDay: Record<number, number[]> = {};
    for (let day = 1; day <= 23; day++) {
      const now = onDay(day);
      const result = dueSteps(e, DEFAULT_21DAY, facts({ connected: day >= 3 }), now);
      expect(result.skipped).toEqual([]);
      if (result.due.length > 0) dueByDay[day] = stepsOf(result.due);
      for (const step of result.due) e = completeStep(e, step.step, now, DEFAULT_21DAY);
    }
    expect(dueByDay).toEqual({ 1: [1], 2: [2], 5: [3], 7: [4], 10: [5], 14: [6], 17: [7], 21: [8] });
    expect(e.status).toBe('completed');
    expect(e.completedSteps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(e.lastStepAt).toEqual(onDay(21));
    expect(e.statusChangedAt).toEqual(onDay(21));
  });

  it('returns every overdue step when the engine has not run for a while', () => {
    const result = dueSteps(fresh(), DEFAULT_21DAY, facts({ connected: true }), onDay(10));
    // The connect step is skipped because the lead is already connected; the rest are overdue.
    expect(stepsOf(result.due)).toEqual([1, 3, 4, 5]);
    expect(result.skipped.map((s) => [s.step, s.reason])).toEqual([[2, 'already_connected']]);
  });

  it('reports nothing before the first step and nothing after everything is completed', () => {
    expect(dueSteps(fresh(), DEFAULT_21DAY, facts(), at('2025-03-02T23:59:59.999Z'))).toEqual({ due: [], skipped: [] });
    let e = fresh();
    for (const s of DEFAULT_21DAY) e = completeStep(e, s.step, onDay(21), DEFAULT_21DAY);
    expect(dueSteps(e, DEFAULT_21DAY, facts(), onDay(40))).toEqual({ due: [], skipped: [] });
  });
});

describe('step conditions', () => {
  it('skips every LinkedIn step for a lead without a LinkedIn URL, with the reason, and marks nothing', () => {
    let e = fresh();
    for (const day of [1, 2, 5, 7]) {
      const result = dueSteps(e, DEFAULT_21DAY, facts({ hasLinkedinUrl: false }), onDay(day));
      for (const step of result.due) e = completeStep(e, step.step, onDay(day), DEFAULT_21DAY);
    }
    expect(e.completedSteps).toEqual([1, 3]);
    const day14 = dueSteps(e, DEFAULT_21DAY, facts({ hasLinkedinUrl: false }), onDay(14));
    expect(stepsOf(day14.due)).toEqual([5]);
    expect(day14.skipped.map((s) => [s.step, s.reason])).toEqual([
      [2, 'no_linkedin_url'],
      [4, 'no_linkedin_url'],
      [6, 'no_linkedin_url'],
    ]);
    expect(day14.skipped[0]).toMatchObject({ channel: 'linkedin', action: 'connect', actionId: 'jane@acme.com|linkedin|s2|d2' });
  });

  it('holds the message after a connect step until the connection is accepted, then makes it due', () => {
    const e = completeStep(completeStep(completeStep(fresh(), 1, onDay(1)), 2, onDay(2)), 3, onDay(5));
    const day7 = dueSteps(e, DEFAULT_21DAY, facts({ connected: false }), onDay(7));
    expect(day7.due).toEqual([]);
    expect(day7.skipped).toMatchObject([{ step: 4, reason: 'not_connected' }]);
    // Accepted on day 9: the same step is evaluated again (nothing was recorded) and is now due.
    const day9 = dueSteps(e, DEFAULT_21DAY, facts({ connected: true }), onDay(9));
    expect(day9.due).toMatchObject([{ step: 4, channel: 'linkedin', action: 'message', dueAt: stepDueAt(ENROLLED_AT, 7) }]);
  });

  it('lets the caller make a skip permanent by completing the step, so the cadence can still complete', () => {
    let e = fresh();
    for (const day of [1, 2, 5, 7, 10, 14, 17, 21]) {
      const result = dueSteps(e, DEFAULT_21DAY, facts({ hasLinkedinUrl: false }), onDay(day));
      for (const step of [...result.due, ...result.skipped]) e = completeStep(e, step.step, onDay(day), DEFAULT_21DAY);
    }
    expect(e.status).toBe('completed');
  });

  it('skips not_replied steps for a lead who replied, and fails closed on an unknown condition', () => {
    const custom: CadenceStep[] = [
      { step: 1, day: 1, channel: 'email', action: 'intro', condition: 'not_replied' },
      { step: 2, day: 1, channel: 'email', action: 'extra', condition: 'if_the_moon_is_full' },
    ];
    const result = dueSteps(fresh(), custom, facts(), onDay(1));
    expect(stepsOf(result.due)).toEqual([1]);
    expect(result.skipped).toMatchObject([{ step: 2, reason: 'unknown_condition' }]);
  });

  it.each([
    ['replied', { replied: true }],
    ['linkedin_replied', { linkedinReplied: true }],
    ['meeting_booked', { meetingBooked: true }],
    ['bounced', { bounced: true }],
    ['unsubscribed', { unsubscribed: true }],
    ['rejected', { rejected: true }],
  ] as const)('sends nothing once the facts show %s, even before the exit event is applied', (signal, over) => {
    const result = dueSteps(fresh(), DEFAULT_21DAY, facts(over), onDay(5));
    expect(result.due).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual(['exit_pending', 'exit_pending', 'exit_pending']);
    expect(result.skipped[0]!.detail).toContain(signal);
  });
});

describe('exit and pause events', () => {
  it.each(['replied', 'bounced', 'unsubscribed', 'meeting_booked', 'linkedin_replied', 'rejected'] as const)('exits on %s and never becomes active again', (type) => {
    const exited = applyEvent(completeStep(fresh(), 1, onDay(1)), { type, at: onDay(3) });
    expect(exited).toMatchObject({ status: 'exited', exitReason: type, statusChangedAt: onDay(3) });
    expect(dueSteps(exited, DEFAULT_21DAY, facts(), onDay(10)).due).toEqual([]);
    for (const later of ['manual_resume', 'engaged_not_replied', 'manual_pause', 'connection_accepted', 'replied'] as const) {
      expect(applyEvent(exited, { type: later, at: onDay(4) })).toBe(exited);
    }
    expect(completeStep(exited, 2, onDay(4), DEFAULT_21DAY).status).toBe('exited');
  });

  it('pauses on engaged_not_replied, resumes only manually, and exits from pause', () => {
    const paused = applyEvent(fresh(), { type: 'engaged_not_replied', at: onDay(4) });
    expect(paused).toMatchObject({ status: 'paused', exitReason: null, statusChangedAt: onDay(4) });
    expect(dueSteps(paused, DEFAULT_21DAY, facts(), onDay(6))).toEqual({ due: [], skipped: [] });
    expect(applyEvent(paused, { type: 'opened', at: onDay(5) })).toBe(paused);
    expect(applyEvent(paused, { type: 'engaged_not_replied', at: onDay(5) })).toBe(paused);

    const resumed = applyEvent(paused, { type: 'manual_resume', at: onDay(6) });
    expect(resumed.status).toBe('active');
    // Resume does not shift the schedule: what fell due while paused is due at once.
    expect(stepsOf(dueSteps(resumed, DEFAULT_21DAY, facts(), onDay(6)).due)).toEqual([1, 2, 3]);

    expect(applyEvent(paused, { type: 'bounced', at: onDay(6) })).toMatchObject({ status: 'exited', exitReason: 'bounced' });
  });

  it('records a manual exit with its reason, and ignores events that do not move a cadence', () => {
    const e = fresh();
    expect(applyEvent(e, { type: 'manual_exit', at: onDay(2), reason: 'asked by sales' })).toMatchObject({ status: 'exited', exitReason: 'asked by sales' });
    expect(applyEvent(e, { type: 'manual_exit', at: onDay(2) }).exitReason).toBe('manual_exit');
    expect(applyEvent(e, { type: 'connection_accepted', at: onDay(2) })).toBe(e);
    expect(applyEvent(e, { type: 'manual_resume', at: onDay(2) })).toBe(e);
  });

  it('keeps a completed cadence completed', () => {
    let e = fresh();
    for (const s of DEFAULT_21DAY) e = completeStep(e, s.step, onDay(21), DEFAULT_21DAY);
    expect(applyEvent(e, { type: 'replied', at: onDay(22) })).toBe(e);
  });
});

describe('completeStep', () => {
  it('is idempotent: completing twice changes nothing', () => {
    const once = completeStep(fresh(), 3, onDay(5), DEFAULT_21DAY);
    expect(completeStep(once, 3, onDay(6), DEFAULT_21DAY)).toBe(once);
    expect(once.completedSteps).toEqual([3]);
    expect(once.lastStepAt).toEqual(onDay(5));
  });

  it('does not mutate its input', () => {
    const e = fresh();
    completeStep(e, 1, onDay(1));
    expect(e.completedSteps).toEqual([]);
  });

  it('only completes the cadence when given the steps', () => {
    let e = fresh();
    for (const s of DEFAULT_21DAY) e = completeStep(e, s.step, onDay(21));
    expect(e.status).toBe('active');
    expect(completeStep(completeStep(fresh(), 1, onDay(1)), 1, onDay(1), [DEFAULT_21DAY[0]!]).status).toBe('active');
    expect(completeStep(fresh(), 1, onDay(1), [DEFAULT_21DAY[0]!]).status).toBe('completed');
  });
});

describe('cadenceStatus', () => {
  it('reports the next step, its due date, and progress', () => {
    const e = completeStep(completeStep(fresh(), 1, onDay(1)), 2, onDay(2));
    expect(cadenceStatus(e, DEFAULT_21DAY, onDay(6))).toEqual({
      status: 'active',
      nextStep: DEFAULT_21DAY[2],
      nextDueAt: at('2025-03-07T00:00:00.000Z'),
      dueNow: 1,
      completed: 2,
      total: 8,
      exitReason: null,
    });
  });

  it('has no due date while paused and no next step once exited or completed', () => {
    const paused = applyEvent(fresh(), { type: 'manual_pause', at: onDay(2) });
    expect(cadenceStatus(paused, DEFAULT_21DAY, onDay(5))).toMatchObject({ status: 'paused', nextStep: DEFAULT_21DAY[0], nextDueAt: null, dueNow: 0 });
    const exited = applyEvent(fresh(), { type: 'unsubscribed', at: onDay(2) });
    expect(cadenceStatus(exited, DEFAULT_21DAY, onDay(5))).toMatchObject({ status: 'exited', nextStep: null, nextDueAt: null, completed: 0, total: 8, exitReason: 'unsubscribed' });
  });

  it('ignores completions of step numbers the cadence does not have', () => {
    const e = completeStep(completeStep(fresh(), 1, onDay(1)), 99, onDay(1));
    expect(cadenceStatus(e, DEFAULT_21DAY, onDay(1))).toMatchObject({ completed: 1, total: 8 });
  });
});

describe('properties', () => {
  const stepNumbers = fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 30 });
  const completeAll = (e: Enrollment, numbers: readonly number[], steps?: readonly CadenceStep[]) => numbers.reduce((acc, n, i) => completeStep(acc, n, new Date(ENROLLED_AT.getTime() + i * 3_600_000), steps), e);

  it('completing steps in any order, with duplicates, yields the same completed set', () => {
    fc.assert(
      fc.property(stepNumbers, fc.infiniteStream(fc.nat()), (numbers, noise) => {
        const reordered = [...numbers, ...numbers.slice(0, 3)];
        const it = noise[Symbol.iterator]();
        // A Fisher-Yates shuffle driven by fast-check, so failures shrink and replay.
        for (let i = reordered.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1);
          [reordered[i], reordered[j]] = [reordered[j]!, reordered[i]!];
        }
        const a = completeAll(fresh(), numbers, DEFAULT_21DAY);
        const b = completeAll(fresh(), reordered, DEFAULT_21DAY);
        expect(b.completedSteps).toEqual(a.completedSteps);
        expect(a.completedSteps).toEqual([...new Set(numbers)].sort((x, y) => x - y));
        expect(b.status).toBe(a.status);
      }),
    );
  });

  const arbFacts: fc.Arbitrary<LeadFacts> = fc.record({
    hasLinkedinUrl: fc.boolean(),
    replied: fc.boolean(),
    connected: fc.boolean(),
    bounced: fc.boolean(),
    unsubscribed: fc.boolean(),
    meetingBooked: fc.boolean(),
    linkedinReplied: fc.boolean(),
    rejected: fc.boolean(),
  });
  const arbEvents = fc.array(fc.constantFrom<CadenceEventType>('replied', 'bounced', 'engaged_not_replied', 'manual_resume', 'connection_accepted', 'manual_pause'), { maxLength: 3 });

  it('dueSteps never returns a completed step, never one in the future, and changes nothing', () => {
    fc.assert(
      fc.property(stepNumbers, arbFacts, fc.integer({ min: -2 * DAY_MS, max: 30 * DAY_MS }), arbEvents, (numbers, leadFacts, offset, events) => {
        let e = completeAll(fresh(), numbers, DEFAULT_21DAY);
        for (const type of events) e = applyEvent(e, { type, at: onDay(2) });
        const before = structuredClone(e);
        const now = new Date(ENROLLED_AT.getTime() + offset);
        const { due, skipped } = dueSteps(e, DEFAULT_21DAY, leadFacts, now);
        for (const item of [...due, ...skipped]) {
          expect(e.completedSteps).not.toContain(item.step);
          expect(item.dueAt.getTime()).toBeLessThanOrEqual(now.getTime());
        }
        if (e.status !== 'active') expect(due).toEqual([]);
        expect(e).toEqual(before);
      }),
    );
  });
});
