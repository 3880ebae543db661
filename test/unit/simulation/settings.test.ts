import { describe, expect, it } from 'vitest';
import { parseSimulationSettings } from '../../../src/simulation/settings.js';
import { checkSimulationOptions } from '../../../src/simulation/simulation-config.js';

describe('the simulation settings and options', () => {
  it('defaults every rate; a rate outside [0, 1] is refused naming its key', () => {
    expect(parseSimulationSettings(undefined).engagement.bounce).toBeGreaterThan(0);
    expect(() => parseSimulationSettings({ engagement: { bounce: 1.5 } })).toThrow(/simulation\.engagement\.bounce/);
    expect(() => parseSimulationSettings({ engagement: { open: -0.1 } })).toThrow(/simulation\.engagement\.open/);
    expect(() => parseSimulationSettings({ reviewer: { approve: 2 } })).toThrow(/simulation\.reviewer\.approve/);
    expect(() => parseSimulationSettings({ engagement: { delays: { reply: [10, 2] } } })).toThrow(/simulation\.engagement\.delays\.reply/);
    expect(() => parseSimulationSettings({ reviewer: { approve: 0, edit: 0, reject: 0 } })).toThrow(/cannot all be 0/);
    expect(() => parseSimulationSettings({ surprise: true })).toThrow(/simulation/);
  });

  it('--days and --leads are bounded, each error naming its option', () => {
    expect(() => checkSimulationOptions({ days: 0, leads: 10 })).toThrow(/--days/);
    expect(() => checkSimulationOptions({ days: 30, leads: 10_001 })).toThrow(/--leads/);
    expect(() => checkSimulationOptions({ days: 30, leads: 1000 })).not.toThrow();
  });
});
