import { describe, expect, it } from 'vitest';
import { completeStep, connectStepFor, dueSteps, enroll, pacedDueSteps, type CadenceStep, type LeadFacts } from '../../../../src/domain/cadence/index.js';
import { CADENCE } from '../../../support/dispatch.js';

const STEPS = CADENCE.steps as CadenceStep[];
const DAY1 = new Date('2026-11-23T10:00:00Z');
const day = (n: number) => new Date(DAY1.getTime() + (n - 1) * 86_400_000);
const FACTS: LeadFacts = { hasLinkedinUrl: true, replied: false, connected: false, bounced: false, unsubscribed: false, meetingBooked: false };

describe('the LinkedIn side of the cadence', () => {
  it('a connection request counts as the connect step whatever its day; none once it is resolved', () => {
    const e = enroll('lead-1', 'default_21day', DAY1);
    expect(connectStepFor(e, STEPS)?.step).toBe(2);
    expect(connectStepFor(completeStep(e, 2, DAY1, STEPS), STEPS)).toBeNull();
  });

  it('the connect step is skipped for a lead who has a request on record, and for a connected one', () => {
    const e = completeStep(enroll('lead-1', 'default_21day', DAY1), 1, DAY1, STEPS);
    expect(dueSteps(e, STEPS, FACTS, day(2)).due.map((s) => s.action)).toEqual(['connect']);
    expect(dueSteps(e, STEPS, { ...FACTS, connectionRequested: true }, day(2)).skipped.map((s) => [s.action, s.reason])).toEqual([['connect', 'already_requested']]);
    expect(dueSteps(e, STEPS, { ...FACTS, connected: true, connectionRequested: true }, day(2)).skipped.map((s) => s.reason)).toEqual(['already_connected']);
  });

  it('acceptance makes the message step due (on its day, or at once when accepted later)', () => {
    const e = [1, 2, 3].reduce((acc, n) => completeStep(acc, n, day(n === 3 ? 5 : n), STEPS), enroll('lead-1', 'default_21day', DAY1));
    expect(pacedDueSteps(e, STEPS, FACTS, day(7)).skipped.map((s) => [s.action, s.reason])).toEqual([['message', 'not_connected']]);
    expect(pacedDueSteps(e, STEPS, { ...FACTS, connected: true }, day(7)).due.map((s) => s.action)).toEqual(['message']);
    // Accepted on day 9, two days after the message step's day: it is due at once.
    expect(pacedDueSteps(e, STEPS, { ...FACTS, connected: true }, day(9)).due.map((s) => s.action)).toEqual(['message']);
  });

  it('an exhausted lead (CAMPAIGN_COMPLETED) gets no LinkedIn step, its e-mail steps go on', () => {
    const e = [1, 2].reduce((acc, n) => completeStep(acc, n, day(n), STEPS), enroll('lead-1', 'default_21day', DAY1));
    const result = dueSteps(e, STEPS, { ...FACTS, connected: true, linkedinExhausted: true }, day(7));
    expect(result.skipped.map((s) => [s.action, s.reason])).toEqual([['message', 'linkedin_exhausted']]);
    expect(result.due.map((s) => s.action)).toEqual(['value_followup']);
  });
});
