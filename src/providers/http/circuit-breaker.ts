export type BreakerState = 'closed' | 'open' | 'half_open';

export type BreakerOptions = {
  /** Consecutive failures that open the breaker. @defaultValue 5 */
  failureThreshold?: number;
  /** How long it stays open before one probe is let through. @defaultValue 30000 */
  resetAfterMs?: number;
  now: () => number;
  onTransition?: (from: BreakerState, to: BreakerState) => void;
};

/**
 * closed → open after N consecutive failures → half-open after the reset time, where one probe
 * decides: success closes it, failure opens it again. Only outages count (5xx, timeouts, network),
 * never a 4xx answer, which proves the provider is up.
 */
export const createCircuitBreaker = (options: BreakerOptions) => {
  const threshold = options.failureThreshold ?? 5;
  const resetAfter = options.resetAfterMs ?? 30_000;
  let state: BreakerState = 'closed';
  let failures = 0;
  let openedAt = 0;
  let probing = false;
  const move = (to: BreakerState) => {
    if (to === state) return;
    const from = state;
    state = to;
    options.onTransition?.(from, to);
  };
  return {
    state: () => state,
    /** May a call go out now? In half-open, only one probe at a time. */
    allow: (): boolean => {
      if (state === 'open' && options.now() - openedAt >= resetAfter) move('half_open');
      if (state === 'open') return false;
      if (state === 'half_open') {
        if (probing) return false;
        probing = true;
      }
      return true;
    },
    success: () => {
      probing = false;
      failures = 0;
      move('closed');
    },
    failure: () => {
      probing = false;
      failures++;
      if (state === 'half_open' || failures >= threshold) {
        openedAt = options.now();
        move('open');
      }
    },
  };
};
