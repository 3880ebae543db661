import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/lib/clock.js';
import { startScheduler, type Job } from '../../../src/jobs/scheduler.js';
import { createControlStore } from '../../../src/store/control-repo.js';
import type { Database } from '../../../src/store/database.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

describe.each(STORE_KINDS)('the inline job runner (%s)', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database.close();
  });

  it('runs each job at its slot once, even with two servers; a failing job is logged and runs again at its next slot', async () => {
    const clock = fixedClock('2026-11-30T09:55:00Z');
    const runs: string[] = [];
    let fail = true;
    const jobs: Job[] = [
      {
        name: 'decay',
        schedule: { kind: 'daily', atUtc: '10:00' },
        run: async (now) => {
          runs.push(`decay@${now.toISOString()}`);
          return {};
        },
      },
      {
        name: 'flaky',
        schedule: { kind: 'every', minutes: 15 },
        run: async () => {
          runs.push('flaky');
          if (fail) {
            fail = false;
            throw new Error('boom');
          }
          return {};
        },
      },
    ];
    const control = createControlStore(database.db);
    const a = startScheduler({ jobs, control, clock, log: silentLog, holder: 'server-a' });
    const b = startScheduler({ jobs, control, clock, log: silentLog, holder: 'server-b' });
    await a.runDueNow();
    expect(runs).toEqual([]);
    clock.advance(5 * 60_000);
    await Promise.all([a.runDueNow(), b.runDueNow()]);
    expect(runs.sort()).toEqual(['decay@2026-11-30T10:00:00.000Z', 'flaky']);
    clock.advance(15 * 60_000);
    await Promise.all([a.runDueNow(), b.runDueNow()]);
    expect(runs.filter((r) => r === 'flaky')).toHaveLength(2);
    expect(a.schedule().find((j) => j.name === 'decay')?.nextRunAt).toBe('2026-12-01T10:00:00.000Z');
    await a.stop();
    await b.stop();
  });
});
