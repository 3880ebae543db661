import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { ControlStore } from '../dispatch/ports.js';
import { describeSchedule, nextRunAt, type Schedule } from './schedule.js';

export type Job = { name: string; schedule: Schedule; run: (now: Date) => Promise<Record<string, unknown>> };

/**
 * The inline backend's scheduler (no REDIS_URL; with it, BullMQ job schedulers do this, jobs/bullmq/):
 * each job runs at its next scheduled instant, one job at a time; a lease in the database makes
 * sure that of several servers only one runs a given job's slot. A failing job is logged and runs
 * again at its next slot; it never stops the server.
 */
export const startScheduler = (deps: { jobs: readonly Job[]; control: ControlStore; clock: Clock; log: Logger; holder: string; timers?: { set: typeof setTimeout; clear: typeof clearTimeout } }) => {
  const timers = deps.timers ?? { set: setTimeout, clear: clearTimeout };
  const next = new Map(deps.jobs.map((j) => [j.name, nextRunAt(j.schedule, deps.clock.now())]));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const runDue = async () => {
    const now = deps.clock.now();
    await deps.control.pruneLeases('job:', now);
    for (const job of deps.jobs) {
      const at = next.get(job.name)!;
      if (at.getTime() > now.getTime()) continue;
      next.set(job.name, nextRunAt(job.schedule, now));
      // The slot's lease: the first server to take it runs the job; it expires with the slot.
      const slot = `job:${job.name}:${at.toISOString()}`;
      if (!(await deps.control.acquireLease(slot, deps.holder, new Date(at.getTime() + 6 * 3_600_000), now))) continue;
      try {
        const result = await job.run(now);
        deps.log.info({ job: job.name, slot: at.toISOString(), ...result }, 'scheduled job done');
      } catch (error) {
        deps.log.error({ job: job.name, err: error instanceof Error ? error.message : String(error) }, 'scheduled job failed');
      }
    }
  };

  const arm = () => {
    if (stopped) return;
    const soonest = Math.min(...[...next.values()].map((d) => d.getTime()));
    const wait = Math.max(1000, Math.min(soonest - deps.clock.now().getTime(), 60_000));
    timer = timers.set(() => {
      running = runDue().finally(arm);
    }, wait);
    timer.unref?.();
  };
  arm();

  return {
    schedule: () => deps.jobs.map((j) => ({ name: j.name, schedule: describeSchedule(j.schedule), nextRunAt: next.get(j.name)!.toISOString() })),
    /** Run every job's current slot now (tests, `caio jobs run`). */
    runDueNow: () => runDue(),
    stop: async () => {
      stopped = true;
      if (timer) timers.clear(timer);
      await running;
    },
  };
};
