/** A documented limit: at most `limit` calls starting within any `intervalMs` (e.g. 300 per 60,000 ms). */
export type RateWindow = { limit: number; intervalMs: number };

/**
 * A sliding-window limiter over one or more windows (Instantly documents 100/s and 6,000/min;
 * GoHighLevel 100 per 10 s): a call starts only when, in every window, fewer than `limit` calls
 * started in the last `intervalMs`. Unlike a token bucket it can never exceed a documented limit
 * in any window, bursts included. Callers are served in order. In-process; with REDIS_URL the
 * same windows are held in Redis for every process (redis-rate-limiter.ts), with this as fallback.
 */
export const createRateLimiter = (options: { windows: readonly RateWindow[]; now: () => number; sleep: (ms: number) => Promise<void>; marginMs?: number }) => {
  const windows = options.windows.filter((w) => w.limit >= 1 && w.intervalMs > 0);
  // Starts are timed on our side but the provider counts arrivals, which jitter (a new connection,
  // a busy event loop): each window keeps a margin of 50 ms or 1 % of its length, whichever is more.
  // Measured: with 5 ms, a 10-per-second sandbox saw 17 arrivals in one second; with 50 ms, 10.
  const marginOf = (w: RateWindow) => options.marginMs ?? Math.max(50, w.intervalMs / 100);
  /** Start times of the most recent calls, oldest first; as many as the largest limit. */
  const starts: number[] = [];
  const keep = Math.max(1, ...windows.map((w) => w.limit));
  let queue: Promise<void> = Promise.resolve();

  /** How long until a call may start, 0 when it may start now. */
  const waitFor = (now: number): number => {
    let wait = 0;
    for (const w of windows) {
      if (starts.length < w.limit) continue;
      const oldestInWindow = starts[starts.length - w.limit]!;
      wait = Math.max(wait, oldestInWindow + w.intervalMs + marginOf(w) - now);
    }
    return Math.max(0, Math.ceil(wait));
  };

  const take = async () => {
    for (let wait = waitFor(options.now()); wait > 0; wait = waitFor(options.now())) await options.sleep(wait);
    starts.push(options.now());
    if (starts.length > keep) starts.splice(0, starts.length - keep);
  };

  return {
    /** Wait until a call may start; callers are served in order. */
    acquire: (): Promise<void> => {
      const next = queue.then(take);
      queue = next.catch(() => undefined);
      return next;
    },
  };
};
