import { describe, expect, it } from 'vitest';
import { jobCatalogue } from '../../../src/jobs/catalogue.js';
import type { JobDefinition } from '../../../src/jobs/definitions.js';

const refuse = async (): Promise<never> => {
  throw new Error('not this job');
};

const catalogue = (runVisitors?: () => Promise<Record<string, unknown>>) =>
  jobCatalogue({
    settings: { send: 'shadow', decayAtUtc: '10:00', dispatchEveryMinutes: 15, queueWatchEveryMinutes: 30, approvalWatchEveryMinutes: 5, visitorsEveryMinutes: 7 },
    operator: null,
    watcher: { run: refuse },
    approvals: { run: refuse },
    processor: { processWithWaiting: refuse, processPending: refuse },
    cadence: { sync: refuse },
    detectDecay: refuse,
    runPipeline: refuse,
    ...(runVisitors ? { runVisitors } : {}),
  }) as unknown as JobDefinition<unknown>[];

describe('the website-visitors job', () => {
  it('runs every jobs.visitorsEveryMinutes on the schedule queue and calls the visitor run', async () => {
    let runs = 0;
    const job = catalogue(async () => (runs++, { drafts: 1 })).find((d) => d.name === 'visitors')!;
    expect(job).toMatchObject({ queue: 'schedule', schedule: { kind: 'every', minutes: 7 }, attempts: 1 });
    expect(await job.run({}, { jobId: 'j', attempt: 1, now: new Date() })).toEqual({ drafts: 1 });
    expect(runs).toBe(1);
  });

  it('says so when the process has no visitor run (a producer only lists the jobs)', async () => {
    const job = catalogue().find((d) => d.name === 'visitors')!;
    expect(await job.run({}, { jobId: 'j', attempt: 1, now: new Date() })).toEqual({ skipped: 'no visitor runner in this process' });
  });
});
