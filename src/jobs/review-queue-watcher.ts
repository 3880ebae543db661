import type { ControlStore } from '../dispatch/ports.js';
import type { Clock } from '../lib/clock.js';
import type { QueueWatcherStatus } from './ports.js';

export type QueueWatcherSettings = { lowWater: number; target: number; everyMinutes: number };

/** How many real drafts wait for review, against the watcher's marks (`caio review queue`, the dashboard). */
export const reviewQueueStatus = async (pending: () => Promise<number>, settings: QueueWatcherSettings): Promise<QueueWatcherStatus> => {
  const count = await pending();
  return { pending: count, lowWater: settings.lowWater, target: settings.target, everyMinutes: settings.everyMinutes, needsTopUp: count < settings.lowWater };
};

/**
 * The review-queue watcher (the original's queue watcher, without its synthetic training e-mails):
 * when fewer real drafts than the low-water mark wait for review, one pipeline run crafts enough to
 * reach the target. A lease makes sure that the scheduled run and a dashboard trigger, in any
 * process, never top up at the same time.
 */
export const createReviewQueueWatcher = (deps: {
  pending: () => Promise<number>;
  topUp: (limit: number) => Promise<Record<string, unknown>>;
  control: Pick<ControlStore, 'acquireLease' | 'releaseLease'>;
  clock: Clock;
  holder: string;
  settings: QueueWatcherSettings;
}) => {
  const { lowWater, target } = deps.settings;
  const LEASE = 'queue-watcher';
  return {
    status: (): Promise<QueueWatcherStatus> => reviewQueueStatus(deps.pending, deps.settings),
    /** Top up when below the low-water mark; `force` tops up to the target (at least one lead) whatever the count. */
    run: async (options: { force: boolean; by: string }): Promise<Record<string, unknown>> => {
      const pending = await deps.pending();
      if (!options.force && pending >= lowWater) return { pending, toppedUp: false, reason: `${pending} drafts wait for review (low-water mark ${lowWater})` };
      const now = deps.clock.now();
      if (!(await deps.control.acquireLease(LEASE, deps.holder, new Date(now.getTime() + 30 * 60_000), now))) return { pending, toppedUp: false, reason: 'a top-up is already running' };
      try {
        const limit = Math.max(1, target - pending);
        return { pending, toppedUp: true, requested: limit, by: options.by, ...(await deps.topUp(limit)) };
      } finally {
        await deps.control.releaseLease(LEASE, deps.holder);
      }
    },
  };
};

export type ReviewQueueWatcher = ReturnType<typeof createReviewQueueWatcher>;
