import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { createRateLimiter, spacingOf, type RateLimiter, type RateTicket, type RateWindow } from './rate-limiter.js';

export type { RateLimiter, RateTicket } from './rate-limiter.js';

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
 * (member: one start, score: its time in ms on the Redis clock), then one string holding the last
 * start's time. ARGV: the member, the expiry in ms, the spacing in whole ms (0: none), then for each
 * window its limit and its span (interval + margin, whole ms). Returns 0 after recording a start,
 * or the ms to wait when the last start is nearer than the spacing or some window is full (nothing
 * is recorded then).
 */
const TAKE_SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
-- Whole milliseconds: Lua turns numbers into strings with 14 significant digits.
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local windows = #KEYS - 1
local lastKey = KEYS[windows + 1]
local spacing = tonumber(ARGV[3])
local wait = 0
local last = redis.call('GET', lastKey)
if last and spacing > 0 then wait = tonumber(last) + spacing - now end
for i = 1, windows do
  local key = KEYS[i]
  local limit = tonumber(ARGV[2 * i + 2])
  local span = tonumber(ARGV[2 * i + 3])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(oldest[2]) + span - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.max(1, math.ceil(wait)) end
for i = 1, windows do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
end
redis.call('SET', lastKey, now, 'PX', ARGV[2])
return 0
`;

/**
 * A start granted by TAKE_SCRIPT left later than granted (see RateTicket): count it from now, in
 * every window and as the last start. KEYS and ARGV[1..2] as TAKE_SCRIPT's.
 */
const SENT_SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local windows = #KEYS - 1
for i = 1, windows do
  if redis.call('ZADD', KEYS[i], 'XX', 'CH', now, ARGV[1]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
end
local last = redis.call('GET', KEYS[windows + 1])
if not last or tonumber(last) < now then redis.call('SET', KEYS[windows + 1], now, 'PX', ARGV[2]) end
return 0
`;

// Renamed with the script's arguments, so that a client never runs one layout with the other's arguments.
const COMMAND = 'caioRateLimitTakeSpaced';
const SENT_COMMAND = 'caioRateLimitSent';
type WithTake = { [COMMAND]: (...args: (string | number)[]) => Promise<number>; [SENT_COMMAND]: (...args: (string | number)[]) => Promise<number> };

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
 * The spaced sliding-window limiter of rate-limiter.ts with its state in Redis, so that every
 * worker process calling one provider shares the provider's limit: a call starts only when, in
 * every window, fewer than `limit` starts (by any process) fall in the last `intervalMs` + margin,
 * and the last start (by any process) is at least the spacing ago (W/N of the shortest window,
 * + 5 %; rate-limiter.ts says why). A start whose request leaves more than half the margin after
 * this process asked Redis for it is moved, in Redis, to when it left (SENT_SCRIPT).
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
export const createRedisRateLimiter = (options: RedisRateLimiterOptions): Required<RateLimiter> => {
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
  // The same spacing as in-process (see createRateLimiter for why), rounded up to whole ms.
  const spacingMs = Math.ceil(spacingOf(windows));
  const expireMs = Math.max(1, spacingMs, ...spans);
  const lastKey = `{${options.key}}:last`;
  const timeoutMs = options.redisTimeoutMs ?? 2_000;
  const fallback = createRateLimiter({ windows, now: Date.now, sleep, ...(options.marginMs === undefined ? {} : { marginMs: options.marginMs }) });
  const processId = randomUUID();
  let seq = 0;

  const redis = options.redis as (Redis | Cluster) & Partial<WithTake>;
  if (typeof redis[COMMAND] !== 'function') redis.defineCommand(COMMAND, { lua: TAKE_SCRIPT });
  if (typeof redis[SENT_COMMAND] !== 'function') redis.defineCommand(SENT_COMMAND, { lua: SENT_SCRIPT });
  const take = (member: string) => (redis as unknown as WithTake)[COMMAND](keys.length + 1, ...keys, lastKey, member, expireMs, spacingMs, ...windowArgs);
  const sentLate = (member: string) => (redis as unknown as WithTake)[SENT_COMMAND](keys.length + 1, ...keys, lastKey, member, expireMs);
  // A request that leaves within this of asking Redis is counted from its grant; the margins cover
  // that much. Later, the start is moved in Redis (one more round trip, only for late requests).
  const lateMs = Math.min(...windows.map((w) => marginOf(w) / 2));

  // A connection still being opened (the app opens it on first use) is worth waiting for, up to the
  // same timeout; one that is down or reconnecting is not, and the call falls back at once.
  const firstConnect = (): Promise<unknown> | null => ('status' in redis && (redis.status === 'wait' || redis.status === 'connecting' || redis.status === 'connect') ? new Promise((resolve) => redis.once('ready', resolve)) : null);

  const acquireOne = async (): Promise<RateTicket> => {
    const member = `${processId}:${++seq}`;
    try {
      const connecting = firstConnect();
      if (connecting) await withTimeout(connecting, timeoutMs);
      let asked = Date.now();
      for (let wait = Number(await withTimeout(take(member), timeoutMs)); wait > 0; wait = Number(await withTimeout(take(member), timeoutMs))) {
        await sleep(wait);
        asked = Date.now();
      }
      // Granted no earlier than `asked`: a request leaving more than lateMs after it is recorded as
      // starting when it left (a failure to record it only costs that precision).
      return { sent: () => void (Date.now() - asked > lateMs && sentLate(member).catch(() => undefined)) };
    } catch (error) {
      try {
        options.onFallback?.({ key: options.key, reason: reasonOf(error) });
      } catch {
        // A failing observer must not cost the call its limit.
      }
      return fallback.acquireTicket();
    }
  };

  let queue: Promise<unknown> = Promise.resolve();
  /** Callers in this process are served in order. */
  const acquireTicket = (): Promise<RateTicket> => {
    if (windows.length === 0) return Promise.resolve({ sent: () => undefined });
    const next = queue.then(acquireOne);
    queue = next.catch(() => undefined);
    return next;
  };
  return { acquireTicket, acquire: () => acquireTicket().then(() => undefined) };
};
