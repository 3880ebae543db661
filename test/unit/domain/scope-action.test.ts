import { describe, expect, it } from 'vitest';
import { readScopeAction, scopeActionText, type ScopeAction } from '../../../src/domain/approval/scope-action.js';

describe('batch scope actions as typed values', () => {
  it('writes the text batches were always frozen with, and reads it back to the same value', () => {
    const cases: [ScopeAction, string][] = [
      [{ kind: 'first_touch', touch: 'send_email' }, 'send_email'],
      [{ kind: 'first_touch', touch: 'linkedin_connect' }, 'linkedin_connect'],
      [{ kind: 'cadence_step', step: 3, action: 'follow_up' }, 'cadence:s3:follow_up'],
      [{ kind: 'revival', score: 72, reason: 'stale deal', daysInactive: 45 }, 'revival:72:stale deal:45d'],
      [{ kind: 'revival_email' }, 'revival_email'],
    ];
    for (const [action, text] of cases) {
      expect(scopeActionText(action)).toBe(text);
      expect(readScopeAction(text)).toEqual(action);
    }
  });

  it('keeps a revival reason that holds colons whole (a split on ":" cut it short)', () => {
    const action: ScopeAction = { kind: 'revival', score: 64, reason: 'pipeline: proposal sent: no answer', daysInactive: 91 };
    expect(readScopeAction(scopeActionText(action))).toEqual(action);
  });

  it('reads text no version of the code wrote as null, not as a first touch', () => {
    for (const text of ['', 'send_sms', 'cadence:3:follow_up', 'cadence:sx:follow_up', 'revival:72:reason', 'revival:abc:reason:4d']) expect(readScopeAction(text)).toBeNull();
  });
});
