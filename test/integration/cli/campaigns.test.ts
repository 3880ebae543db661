import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

/** `caio campaigns activate` only parses and prints: the use case refuses (its cases: test/integration/dispatch/activate-campaign.test.ts). */
describe('caio campaigns', () => {
  const work = tempWorkdir();
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('lists none at first, and refuses to activate one we did not create (not found) or without a name (usage)', async () => {
    expect((await run(['campaigns', 'list'])).stdout).toBe('no campaigns yet\n');
    const unknown = await run(['campaigns', 'activate', 'no-such-campaign', '--by', 'Sam']);
    expect([unknown.code, unknown.stderr]).toEqual([3, expect.stringContaining('no Instantly campaign no-such-campaign created by us')]);
    const nobody = await run(['campaigns', 'activate', 'no-such-campaign', '--by', ' ']);
    expect([nobody.code, nobody.stderr]).toEqual([2, expect.stringContaining('say who activates')]);
  }, 60_000);
});
