/**
 * What people drive of the jobs (the CLI, the dashboard and its API): the review-queue watcher
 * (jobs/review-queue-watcher.ts implements it). Types only.
 */
export type QueueWatcherStatus = { pending: number; lowWater: number; target: number; everyMinutes: number; needsTopUp: boolean };

export type ReviewQueueControls = {
  status(): Promise<QueueWatcherStatus>;
  /** Top up when below the low-water mark; `force` tops up to the target (at least one lead) whatever the count. */
  run(options: { force: boolean; by: string }): Promise<Record<string, unknown>>;
};

/** The job runner of one process (the root opens it: inline, or BullMQ with REDIS_URL). */
export type JobRunner = {
  backend: 'inline' | 'bullmq';
  enqueue: (name: string, data: unknown, opts?: { jobId?: string }) => Promise<{ id: string; queue: string }>;
  status: () => Promise<Record<string, unknown>>;
  failed: (limit?: number) => Promise<{ id: string; queue: string; name: string; attemptsMade: number; failedReason: string; finishedOn: string | null }[]>;
  retry: (id: string) => Promise<{ id: string; queue: string }>;
  close: () => Promise<void>;
};
