/**
 * The catch-up rule (issue 18, item 3): after downtime, a lead gets at most one cadence step per
 * UTC day, and the steps after a late one keep their spacing (they shift by the delay) instead of
 * all coming due at once. Without it, a lead whose enrolment went on while nothing ran (an outage,
 * a batch nobody approved for a week) received every overdue step in one batch: six touches from
 * one sender on one day, which reads as spam and burns the domain.
 *
 * Pure, like the engine: the delay is derived from what the enrolment already records (the
 * latest resolved step and when it was resolved), so nothing new is stored and a dry run changes
 * nothing.
 */
import { cadenceStatus, dueSteps, stepDueAt, type CadenceStatus, type CadenceStep, type DueStepsResult, type Enrollment, type LeadFacts } from './engine.js';

/** `enabled` false gives the engine's plain schedule: every overdue step is due at once. */
export type CatchUpRule = { enabled: boolean };

export const DEFAULT_CATCH_UP: CatchUpRule = { enabled: true };

const DAY_MS = 24 * 60 * 60 * 1000;

const utcDay = (at: Date): number => Math.floor(at.getTime() / DAY_MS);

/**
 * How many days late the enrolment's latest resolved step went out: the UTC day of `lastStepAt`
 * minus the nominal due day of the highest resolved step (0 when on time, or when nothing is
 * resolved yet). Later steps are due that many days after their configured day.
 */
export const scheduleShiftDays = (enrollment: Enrollment, steps: readonly CadenceStep[]): number => {
  if (!enrollment.lastStepAt) return 0;
  const resolved = steps.filter((s) => enrollment.completedSteps.includes(s.step)).sort((a, b) => a.step - b.step);
  const latest = resolved[resolved.length - 1];
  if (!latest) return 0;
  return Math.max(0, utcDay(enrollment.lastStepAt) - utcDay(stepDueAt(enrollment.enrolledAt, latest.day)));
};

/** The enrolment with its schedule moved by the delay: every unresolved step is due `shift` days later. */
const shifted = (enrollment: Enrollment, steps: readonly CadenceStep[]): Enrollment => {
  const shift = scheduleShiftDays(enrollment, steps);
  return shift === 0 ? enrollment : { ...enrollment, enrolledAt: new Date(enrollment.enrolledAt.getTime() + shift * DAY_MS) };
};

/** A step was already resolved today (UTC): the lead gets nothing more from the cadence until tomorrow. */
const touchedToday = (enrollment: Enrollment, now: Date): boolean => Boolean(enrollment.lastStepAt && utcDay(enrollment.lastStepAt) >= utcDay(now));

/**
 * The engine's `dueSteps` under the catch-up rule: on the shifted schedule, only the first step
 * whose condition holds (in step order), and none on a day a step was already resolved. Steps
 * skipped by a condition are reported as the engine reports them; they do not hold back the step
 * after them (a LinkedIn message to a lead who never connects must not stop the e-mails).
 */
export const pacedDueSteps = (enrollment: Enrollment, steps: readonly CadenceStep[], facts: LeadFacts, now: Date, rule: CatchUpRule = DEFAULT_CATCH_UP): DueStepsResult => {
  if (!rule.enabled) return dueSteps(enrollment, steps, facts, now);
  const result = dueSteps(shifted(enrollment, steps), steps, facts, now);
  return { due: touchedToday(enrollment, now) ? [] : result.due.slice(0, 1), skipped: result.skipped };
};

/**
 * The engine's `cadenceStatus` under the catch-up rule: the next step's due time on the shifted
 * schedule (not before tomorrow when a step was resolved today), and at most one step due now.
 * `nextDueAt` is what the store indexes, so a paced lead is not read again before it can move.
 */
export const pacedCadenceStatus = (enrollment: Enrollment, steps: readonly CadenceStep[], now: Date, rule: CatchUpRule = DEFAULT_CATCH_UP): CadenceStatus => {
  if (!rule.enabled) return cadenceStatus(enrollment, steps, now);
  const status = cadenceStatus(shifted(enrollment, steps), steps, now);
  if (!status.nextDueAt || !enrollment.lastStepAt) return { ...status, dueNow: Math.min(1, status.dueNow) };
  const tomorrow = (utcDay(enrollment.lastStepAt) + 1) * DAY_MS;
  const nextDueAt = new Date(Math.max(status.nextDueAt.getTime(), tomorrow));
  return { ...status, nextDueAt, dueNow: nextDueAt.getTime() <= now.getTime() ? Math.min(1, status.dueNow) : 0 };
};
