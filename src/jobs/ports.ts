/**
 * What people drive of the jobs (the dashboard and its API): the review-queue watcher
 * (jobs/review-queue-watcher.ts implements it). Types only.
 */
export type QueueWatcherStatus = { pending: number; lowWater: number; target: number; everyMinutes: number; needsTopUp: boolean };

export type ReviewQueueControls = {
  status(): Promise<QueueWatcherStatus>;
  /** Top up when below the low-water mark; `force` tops up to the target (at least one lead) whatever the count. */
  run(options: { force: boolean; by: string }): Promise<Record<string, unknown>>;
};
