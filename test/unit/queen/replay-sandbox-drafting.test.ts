import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { REPLAY_DRAFTING } from '../../../src/queen/replay-sandbox.js';

/**
 * The replay sandbox drafts (copy check, draft preview) with what a config left at its defaults
 * gives CRAFTER: the sender and footer, the guard with its copy checks, the cadence and the tier
 * routing. Written out in the sandbox so the replay needs no config; kept equal here.
 */
describe('the replay sandbox drafts with the default config', () => {
  it('has the default sender, quality guard, cadence and tier routing', () => {
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: {}, values: {} });
    expect(REPLAY_DRAFTING).toEqual({
      sender: config.sender,
      quality: { ...config.quality, maxRejections: config.review.maxRejections },
      cadenceSteps: config.cadence.steps,
      tierRouting: config.tierRouting,
    });
  });
});
