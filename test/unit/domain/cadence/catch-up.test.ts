import { describe, expect, it } from 'vitest';
import { completeStep, enroll, pacedCadenceStatus, pacedDueSteps, scheduleShiftDays, type CadenceStep, type Enrollment, type LeadFacts } from '../../../../src/domain/cadence/index.js';

/** The spec's default_21day table (spec/operator.md). */
const STEPS: CadenceStep[] = [
  { step: 1, day: 1, channel: 'email', action: 'intro', condition: 'always' },
  { step: 2, day: 2, channel: 'linkedin', action: 'connect', condition: 'has_linkedin_url' },
  { step: 3, day: 5, channel: 'email', action: 'value_followup', condition: 'not_replied' },
  { step: 4, day: 7, channel: 'linkedin', action: 'message', condition: 'linkedin_connected' },
  { step: 5, day: 10, channel: 'email', action: 'social_proof', condition: 'not_replied' },
  { step: 6, day: 14, channel: 'linkedin', action: 'followup_message', condition: 'linkedin_connected' },
  { step: 7, day: 17, channel: 'email', action: 'breakup', condition: 'not_replied' },
  { step: 8, day: 21, channel: 'email', action: 'close', condition: 'not_replied' },
];

const DAY_MS = 86_400_000;
/** A fake clock: noon UTC of cadence day N (day 1 is 2025-03-03). */
const onDay = (n: number) => new Date(Date.parse('2025-03-03T12:00:00.000Z') + (n - 1) * DAY_MS);
const dayOf = (at: Date) => Math.round((at.getTime() - Date.parse('2025-03-03T00:00:00.000Z')) / DAY_MS) + 1;
const facts = (over: Partial<LeadFacts> = {}): LeadFacts => ({ hasLinkedinUrl: true, replied: false, connected: false, bounced: false, unsubscribed: false, meetingBooked: false, ...over });
const enrolled = () => completeStep(enroll('jane@acme.com', 'default_21day', onDay(1)), 1, onDay(1), STEPS);

/** The lead accepts the LinkedIn invitation as soon as it is sent (step 2), unless `accepts` is false. */
const factsFor = (e: Enrollment, accepts: boolean) => facts({ connected: accepts && e.completedSteps.includes(2) });

/**
 * Runs the cadence day by day (one tick at noon, the dispatcher sending every step offered), with
 * nothing running on the outage days; returns the day each step went out.
 */
const simulate = (start: Enrollment, days: number, down: ReadonlySet<number>, rule = { enabled: true }, accepts = true) => {
  let e = start;
  const sent: { day: number; step: number }[] = [];
  for (let day = 2; day <= days; day++) {
    if (down.has(day)) continue;
    for (const s of pacedDueSteps(e, STEPS, factsFor(e, accepts), onDay(day), rule).due) {
      e = completeStep(e, s.step, onDay(day), STEPS);
      sent.push({ day, step: s.step });
    }
  }
  return { sent, enrollment: e };
};

const OUTAGE = new Set([3, 4, 5, 6, 7]);

describe('catch-up rule', () => {
  it('without downtime keeps the configured schedule', () => {
    const { sent, enrollment } = simulate(enrolled(), 30, new Set());
    expect(sent.map((s) => [s.step, s.day])).toEqual([
      [2, 2],
      [3, 5],
      [4, 7],
      [5, 10],
      [6, 14],
      [7, 17],
      [8, 21],
    ]);
    expect(enrollment.status).toBe('completed');
  });

  it('after a 5-day outage: at most one step per lead per day, later steps shifted by the delay', () => {
    const { sent, enrollment } = simulate(enrolled(), 40, OUTAGE);
    const perDay = new Map<number, number>();
    for (const s of sent) perDay.set(s.day, (perDay.get(s.day) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBe(1);
    // Step 3 (day 5) goes out on day 8, three days late; every later step keeps its spacing, three days later.
    expect(sent.map((s) => [s.step, s.day])).toEqual([
      [2, 2],
      [3, 8],
      [4, 10],
      [5, 13],
      [6, 17],
      [7, 20],
      [8, 24],
    ]);
    expect(enrollment.status).toBe('completed');
  });

  it('switched off, every overdue step comes due at once (the old behaviour)', () => {
    const { sent } = simulate(enrolled(), 30, OUTAGE, { enabled: false });
    expect(sent.filter((s) => s.day === 8).map((s) => s.step)).toEqual([3, 4]);
  });

  it('a step whose condition fails does not hold back the next one', () => {
    // Never connected on LinkedIn: the messages are skipped, the e-mails still go out, one a day at most.
    const { sent } = simulate(enrolled(), 40, OUTAGE, { enabled: true }, false);
    expect(sent.map((s) => [s.step, s.day])).toEqual([
      [2, 2],
      [3, 8],
      [5, 13],
      [7, 20],
      [8, 24],
    ]);
  });

  it('a lead back after a long outage with several steps overdue gets one step a day', () => {
    // Enrolled on day 1, nothing ran until day 30: every step is overdue.
    const { sent } = simulate(enrolled(), 60, new Set(Array.from({ length: 28 }, (_, i) => i + 2)));
    expect(sent[0]).toEqual({ day: 30, step: 2 });
    const days = sent.map((s) => s.day);
    expect(new Set(days).size).toBe(days.length);
    expect(sent.map((s) => s.step)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('the shift is the delay of the latest resolved step, never negative', () => {
    const e = enrolled();
    expect(scheduleShiftDays(e, STEPS)).toBe(0);
    expect(scheduleShiftDays(completeStep(e, 3, onDay(8), STEPS), STEPS)).toBe(3);
    expect(scheduleShiftDays(enroll('x', 'c', onDay(1)), STEPS)).toBe(0);
  });

  it('the status shows the shifted next due day, and nothing due on a day a step went out', () => {
    const late = completeStep(completeStep(enrolled(), 2, onDay(2), STEPS), 3, onDay(8), STEPS);
    const status = pacedCadenceStatus(late, STEPS, onDay(8));
    expect(status.nextStep?.step).toBe(4);
    expect(dayOf(status.nextDueAt!)).toBe(10);
    expect(status.dueNow).toBe(0);
    expect(pacedDueSteps(late, STEPS, facts({ connected: true }), onDay(9)).due).toEqual([]);
    expect(pacedDueSteps(late, STEPS, facts({ connected: true }), onDay(10)).due.map((s) => s.step)).toEqual([4]);
    // Same day as a sent step: tomorrow at the earliest, even when the next step is overdue.
    const sameDay = completeStep(enrolled(), 2, onDay(8), STEPS);
    expect(dayOf(pacedCadenceStatus(sameDay, STEPS, onDay(8)).nextDueAt!)).toBe(11);
  });
});
