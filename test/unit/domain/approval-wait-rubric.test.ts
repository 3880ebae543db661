import { describe, expect, it } from 'vitest';
import { APPROVAL_WAIT_MINUTES, approvalWaitIsDue, assessEscalation, type Incident } from '../../../src/domain/escalation/rubric.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const MIN = 60_000;
const waiting = (minutes: number, leads = 500): Incident => ({
  key: 'approval:batch:x',
  kind: 'approval_waiting',
  title: 'Batch x waiting for approval',
  detail: '',
  since: new Date(NOW.getTime() - minutes * MIN),
  leadsAffected: leads,
  sendingAffected: false,
});

describe('the escalation rubric for a batch waiting for approval', () => {
  it("uses the plan's timeouts: 30 min, 2 h and 4 h", () => {
    expect(APPROVAL_WAIT_MINUTES).toEqual({ level1: 30, level2: 120, level3: 240 });
  });

  it.each([
    [29, false, 1],
    [30, true, 1],
    [119, true, 1],
    [120, true, 2],
    [239, true, 2],
    [240, true, 3],
  ])('after %i min: due %s, level %i (however many leads wait)', (minutes, due, level) => {
    expect(approvalWaitIsDue(waiting(minutes).since, NOW)).toBe(due);
    expect(assessEscalation(waiting(minutes), NOW).level).toBe(level);
  });

  it('says how long the batch has waited', () => {
    expect(assessEscalation(waiting(45), NOW).reasons).toEqual(['waiting for approval for 45 min']);
    expect(assessEscalation(waiting(130), NOW).reasons).toEqual(['waiting for approval for 2 h 10 min']);
  });
});
