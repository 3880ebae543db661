/**
 * A token bucket per provider, refilled continuously: `perMinute` calls a minute with bursts up to
 * `burst`. In-process only; the shared limit across workers comes with the Redis/BullMQ issue.
 */
export const createRateLimiter = (options: { perMinute: number; burst?: number; now: () => number; sleep: (ms: number) => Promise<void> }) => {
  const capacity = Math.max(1, options.burst ?? Math.max(1, Math.floor(options.perMinute / 6)));
  const perMs = options.perMinute / 60_000;
  let tokens = capacity;
  let last = options.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = options.now();
    tokens = Math.min(capacity, tokens + (now - last) * perMs);
    last = now;
  };
  const take = async () => {
    refill();
    while (tokens < 1) {
      await options.sleep(Math.ceil((1 - tokens) / perMs));
      refill();
    }
    tokens -= 1;
  };
  return {
    /** Wait for a token; callers are served in order. */
    acquire: (): Promise<void> => {
      const next = queue.then(take);
      queue = next.catch(() => undefined);
      return next;
    },
  };
};
