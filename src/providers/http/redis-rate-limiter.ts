import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { createRateLimiter, type RateWindow } from './rate-limiter.js';

/** What every limiter hands the HTTP policy: wait until a call may start. */
export type RateLimiter = { acquire(): Promise<void> };

export type RedisRateLimiterOptions = {
  /** An ioredis client (or cluster); the limiter never closes it. */
  redis: Redis | Cluster;
  /** One key per provider, e.g. `caio:rate:apollo`; every process using it shares the limit. */
  key: string;
  windows: readonly RateWindow[];
  /** Kept between starts in each window; @defaultValue max(50 ms, 1 % of the window), as in-process. */
  marginMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * How long one check-and-take may take before this call falls back to the in-process limiter.
   * Without it, a client with an offline queue would hold every call until Redis came back.
   * @defaultValue 2000
   */
  redisTimeoutMs?: number;
  /**
   * Called each time a call is limited in-process because Redis failed. It gets the key and a short
   * reason (an error code or name, never the message, which could carry a connection string).
   */
  onFallback?: (event: { key: string; reason: string }) => void;
};

/**
 * The check-and-take, atomic because Redis runs a script alone. KEYS: one sorted set per window
 * (member: one start, score: its time in ms on the Redis clock). ARGV: the member, the expiry in
 * ms, then for each window its limit and its span (interval + margin, whole ms). Returns 0 after
 * recording a start in every window, or the ms to wait when some window is full (nothing is
 * recorded then).
 */
const TAKE_SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
-- Whole milliseconds: Lua turns numbers into strings with 14 significant digits.
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i + 1])
  local span = tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(oldest[2]) + span - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.max(1, math.ceil(wait)) end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, ARGV[2])
end
return 0
`;

const COMMAND = 'caioRateLimitTake';
type WithTake = { [COMMAND]: (...args: (string | number)[]) => Promise<number> };

const reasonOf = (error: unknown): string => {
  const e = error as { code?: unknown; name?: unknown } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e && typeof e.name === 'string') return e.name;
  return 'unknown';
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('redis did not answer in time'), { code: 'REDIS_TIMEOUT' })), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });

/**
 * The sliding-window limiter of rate-limiter.ts with its state in Redis, so that every worker
 * process calling one provider shares the provider's limit: a call starts only when, in every
 * window, fewer than `limit` starts (by any process) fall in the last `intervalMs` + margin.
 * The clock is Redis `TIME`, so skew between machines does not matter; the margin covers the
 * jitter between the grant and the provider seeing the request, as in-process.
 *
 * Within one process callers are served in order. Across processes there is no queue: a waiting
 * process retries after the wait the script computed, so order between processes is not fair,
 * but no window ever holds more than its limit.
 *
 * When Redis fails (down, timeout, script error) the call is not let through unlimited: it goes
 * through an in-process limiter with the same windows, and `onFallback` is told. Letting it through
 * would turn a Redis outage into a burst of 429s (or a ban) at the provider; waiting for Redis
 * would stall every call. The price: during an outage each process holds the limit on its own, so
 * N workers may together reach N times it (the policy's 429 handling, which honours Retry-After,
 * absorbs that), and the in-process limiter does not know about starts Redis granted just before.
 */
export const createRedisRateLimiter = (options: RedisRateLimiterOptions): RateLimiter => {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const marginOf = (w: RateWindow) => options.marginMs ?? Math.max(50, w.intervalMs / 100);
  // One sorted set per window length; two windows of one length keep the smaller limit.
  const byInterval = new Map<number, number>();
  for (const w of options.windows) {
    if (w.limit >= 1 && w.intervalMs > 0) byInterval.set(w.intervalMs, Math.min(w.limit, byInterval.get(w.intervalMs) ?? Number.POSITIVE_INFINITY));
  }
  const windows = [...byInterval].map(([intervalMs, limit]) => ({ limit: Math.floor(limit), intervalMs }));
  // The braces are a hash tag: on a cluster every window's key lands in one slot, as a script needs.
  const keys = windows.map((w) => `{${options.key}}:${w.intervalMs}`);
  // Spans are rounded up to whole ms, which only ever makes the limiter stricter.
  const spans = windows.map((w) => Math.ceil(w.intervalMs + marginOf(w)));
  const windowArgs = windows.flatMap((w, i) => [w.limit, spans[i]!]);
  const expireMs = Math.max(1, ...spans);
  const timeoutMs = options.redisTimeoutMs ?? 2_000;
  const fallback = createRateLimiter({ windows, now: Date.now, sleep, ...(options.marginMs === undefined ? {} : { marginMs: options.marginMs }) });
  const processId = randomUUID();
  let seq = 0;

  const redis = options.redis as (Redis | Cluster) & Partial<WithTake>;
  if (typeof redis[COMMAND] !== 'function') redis.defineCommand(COMMAND, { lua: TAKE_SCRIPT });
  const take = (member: string) => (redis as unknown as WithTake)[COMMAND](keys.length, ...keys, member, expireMs, ...windowArgs);

  // A connection still being opened (the app opens it on first use) is worth waiting for, up to the
  // same timeout; one that is down or reconnecting is not, and the call falls back at once.
  const firstConnect = (): Promise<unknown> | null =>
    'status' in redis && (redis.status === 'wait' || redis.status === 'connecting' || redis.status === 'connect') ? new Promise((resolve) => redis.once('ready', resolve)) : null;

  const acquireOne = async (): Promise<void> => {
    const member = `${processId}:${++seq}`;
    try {
      const connecting = firstConnect();
      if (connecting) await withTimeout(connecting, timeoutMs);
      for (let wait = Number(await withTimeout(take(member), timeoutMs)); wait > 0; wait = Number(await withTimeout(take(member), timeoutMs))) await sleep(wait);
    } catch (error) {
      try {
        options.onFallback?.({ key: options.key, reason: reasonOf(error) });
      } catch {
        // A failing observer must not cost the call its limit.
      }
      await fallback.acquire();
    }
  };

  let queue: Promise<void> = Promise.resolve();
  return {
    /** Wait until a call may start; callers in this process are served in order. */
    acquire: (): Promise<void> => {
      if (windows.length === 0) return Promise.resolve();
      const next = queue.then(acquireOne);
      queue = next.catch(() => undefined);
      return next;
    },
  };
};
