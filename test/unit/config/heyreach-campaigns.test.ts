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

describe('heyreach.campaigns: the HeyReach campaign of each LinkedIn message step', () => {
  it('defaults to none, and takes a campaign id per LinkedIn message step of the cadence', () => {
    expect(loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir' }).heyreach.campaigns).toEqual({});
    expect(loadConfig({ env: {}, cwd: '/nonexistent-caio-test-dir', values: { heyreach: { campaigns: { '4': 334314, '6': 334400 } } } }).heyreach.campaigns).toEqual({ '4': 334314, '6': 334400 });
  });

  it('refuses a key that is not a LinkedIn message step, or an id that is not one, naming the key', () => {
    expect(problemsOf({ heyreach: { campaigns: { '3': 334314 } } })).toEqual([{ key: 'heyreach.campaigns.3', message: expect.stringContaining('e-mail step') }]);
    expect(problemsOf({ heyreach: { campaigns: { '2': 334314 } } })).toEqual([{ key: 'heyreach.campaigns.2', message: expect.stringContaining('connection request') }]);
    expect(problemsOf({ heyreach: { campaigns: { '9': 334314 } } })).toEqual([{ key: 'heyreach.campaigns.9', message: expect.stringContaining('cadence.steps has no step 9') }]);
    expect(problemsOf({ heyreach: { campaigns: { '4': -1 } } })).toEqual([{ key: 'heyreach.campaigns.4', message: expect.stringContaining('campaign id') }]);
    expect(problemsOf({ heyreach: { campaigns: { four: 1 } } }).map((p) => p.key)).toEqual([expect.stringMatching(/^heyreach\.campaigns/)]);
  });

  it('checks the keys against the configured cadence, not the default one', () => {
    const steps = [
      { step: 1, day: 1, channel: 'email', action: 'intro' },
      { step: 2, day: 3, channel: 'linkedin', action: 'connect' },
      { step: 3, day: 6, channel: 'linkedin', action: 'note', condition: 'linkedin_connected' },
    ];
    expect(problemsOf({ cadence: { steps }, heyreach: { campaigns: { '3': 1 } } })).toEqual([]);
    expect(problemsOf({ cadence: { steps }, heyreach: { campaigns: { '4': 1 } } })).toEqual([{ key: 'heyreach.campaigns.4', message: expect.stringContaining('no step 4') }]);
  });

  it('a cadence whose steps are out of order or repeat a number is a config error naming the key', () => {
    const step = (n: number, day: number, action: string, channel = 'email') => ({ step: n, day, channel, action });
    expect(problemsOf({ cadence: { steps: [step(1, 1, 'intro'), step(2, 2, 'connect', 'linkedin'), step(2, 7, 'message', 'linkedin')] } })).toEqual([{ key: 'cadence.steps.2.step', message: 'step 2 appears twice' }]);
    expect(problemsOf({ cadence: { steps: [step(1, 1, 'intro'), step(4, 7, 'message', 'linkedin'), step(2, 2, 'connect', 'linkedin')] } })).toEqual([{ key: 'cadence.steps.2.step', message: expect.stringContaining('in order') }]);
  });
});
