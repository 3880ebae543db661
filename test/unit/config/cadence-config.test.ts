import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';

const problemsOf = (values: Record<string, unknown>) => {
  try {
    loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir', values });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

const step = (n: number, day: number, action: string, channel: 'email' | 'linkedin' = 'email') => ({ step: n, day, channel, action });

describe('cadence config', () => {
  it('the default cadence loads, with the catch-up rule on', () => {
    const config = loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir' });
    expect(config.cadence.catchUp).toEqual({ enabled: true });
    expect(config.cadence.steps.map((s) => s.action)).toEqual(['intro', 'connect', 'value_followup', 'message', 'social_proof', 'followup_message', 'breakup', 'close']);
    expect(loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir', values: { cadence: { catchUp: { enabled: false } } } }).cadence.catchUp.enabled).toBe(false);
  });

  it('refuses duplicate steps, steps out of order and an e-mail step without a step template, naming the key', () => {
    expect(problemsOf({ cadence: { steps: [step(1, 1, 'intro'), step(1, 5, 'value_followup')] } })).toEqual([{ key: 'cadence.steps.1.step', message: 'step 1 appears twice' }]);
    expect(problemsOf({ cadence: { steps: [step(1, 1, 'intro'), step(3, 10, 'social_proof'), step(2, 5, 'value_followup')] } })).toEqual([{ key: 'cadence.steps.2.step', message: expect.stringContaining('in order') }]);
    expect(problemsOf({ cadence: { steps: [step(1, 1, 'intro'), step(2, 5, 'value_followup'), step(3, 3, 'close')] } })).toEqual([{ key: 'cadence.steps.2.step', message: expect.stringContaining('in order') }]);
    expect(problemsOf({ cadence: { steps: [step(1, 1, 'intro'), step(2, 5, 'follow_up')] } })).toEqual([{ key: 'cadence.steps.1.action', message: expect.stringContaining('no step template for "follow_up"') }]);
    // A LinkedIn step's action is the HeyReach campaign's business: any name is accepted.
    expect(problemsOf({ cadence: { steps: [step(1, 1, 'intro'), step(2, 2, 'custom_note', 'linkedin')] } })).toEqual([]);
  });
});
