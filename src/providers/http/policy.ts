import { AppError } from '../../lib/app-error.js';
import { createCircuitBreaker, type BreakerState } from './circuit-breaker.js';
import { createRateLimiter, type RateWindow } from './rate-limiter.js';

export type HttpPolicyOptions = {
  provider: string;
  /** @defaultValue 15000 */
  timeoutMs?: number;
  /** Retries after the first attempt, on 429, 5xx, timeouts and network errors only. @defaultValue 3 */
  retries?: number;
  /** First backoff; doubles each retry, with full jitter. @defaultValue 500 */
  backoffMs?: number;
  /** The longest single wait (backoff or Retry-After) before giving up instead. @defaultValue 10000 */
  maxWaitMs?: number;
  /** The provider's documented per-minute limit (shorthand for one 60 s window). */
  rateLimitPerMinute?: number;
  /** Further documented windows, e.g. Instantly's 100 per second. */
  rateWindows?: readonly RateWindow[];
  /**
   * Builds the limiter for the windows above instead of the in-process one, e.g. a Redis limiter
   * shared by every worker (see shared-limits.ts). Not called when there are no windows.
   */
  limiterFactory?: (windows: RateWindow[]) => { acquire(): Promise<void> };
  breaker?: { failureThreshold?: number; resetAfterMs?: number };
  /** Values that must never appear in an error or log line (keys, tokens). */
  secrets?: readonly string[];
  onBreakerTransition?: (event: { provider: string; from: BreakerState; to: BreakerState }) => void;
  /** Every attempt (retries included), for metrics. */
  onCall?: (event: { provider: string; outcome: string; durationMs: number }) => void;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

const RETRYABLE_STATUS = (status: number) => status === 429 || status >= 500;

/** One attempt's outcome for metrics: ok, http_4xx, rate_limited, http_5xx, timeout or network. */
const outcomeOf = (response: Response | null, failure: string | null): string =>
  response ? (response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'http_5xx' : response.status >= 400 ? 'http_4xx' : 'ok') : failure?.startsWith('no answer') ? 'timeout' : 'network';

/** Retry-After in seconds or as an HTTP date → milliseconds from now; null when absent or unreadable. */
export const retryAfterMs = (header: string | null, now: number): number | null => {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
};

export const redact = (text: string, secrets: readonly string[]): string =>
  secrets.filter((s) => s && s.length >= 4).reduce((out, s) => out.split(s).join('[redacted]'), text);

/**
 * The one HTTP policy every provider client goes through: rate limit → breaker → call with a
 * timeout → retry with backoff and jitter (honouring Retry-After) on 429/5xx/network errors only.
 * It returns the last Response (the client maps statuses to its errors) or throws
 * PROVIDER_UNAVAILABLE when no answer came. Nothing it throws carries a secret.
 */
export const createHttpPolicy = (options: HttpPolicyOptions) => {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const doFetch = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 3;
  const backoff = options.backoffMs ?? 500;
  const maxWait = options.maxWaitMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const secrets = options.secrets ?? [];
  const windows = [...(options.rateLimitPerMinute ? [{ limit: options.rateLimitPerMinute, intervalMs: 60_000 }] : []), ...(options.rateWindows ?? [])];
  const limiter = windows.length ? (options.limiterFactory ? options.limiterFactory(windows) : createRateLimiter({ windows, now, sleep })) : null;
  const breaker = createCircuitBreaker({ ...options.breaker, now, onTransition: (from, to) => options.onBreakerTransition?.({ provider: options.provider, from, to }) });

  const unavailable = (endpoint: string, reason: string, extra: Record<string, unknown> = {}) =>
    new AppError('PROVIDER_UNAVAILABLE', redact(`${options.provider} ${endpoint}: ${reason}`, secrets), { retryable: true, details: { provider: options.provider, endpoint, reason, ...extra } });

  return {
    breakerState: () => breaker.state(),
    fetch: async (endpoint: string, url: string, init: RequestInit): Promise<Response> => {
      for (let attempt = 0; ; attempt++) {
        if (!breaker.allow()) throw unavailable(endpoint, 'circuit open after repeated failures; calls resume after a pause', { reason: 'circuit_open' });
        if (limiter) await limiter.acquire();
        let response: Response | null = null;
        let failure: string | null = null;
        const started = performance.now();
        try {
          response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        } catch (error) {
          const name = (error as Error)?.name;
          failure = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${timeoutMs} ms` : 'network error';
        }
        options.onCall?.({ provider: options.provider, outcome: outcomeOf(response, failure), durationMs: performance.now() - started });
        if (response && !RETRYABLE_STATUS(response.status)) {
          breaker.success();
          return response;
        }
        // 429 says the provider is up; only outages move the breaker.
        if (response?.status === 429) breaker.success();
        else breaker.failure();
        const hinted = response ? retryAfterMs(response.headers.get('retry-after'), now()) : null;
        const wait = hinted ?? Math.round(random() * Math.min(maxWait, backoff * 2 ** attempt));
        if (attempt >= retries || wait > maxWait || breaker.state() === 'open') {
          if (response) return response;
          throw unavailable(endpoint, failure!, { attempts: attempt + 1, reason: failure!.startsWith('no answer') ? 'timeout' : 'network' });
        }
        await response?.body?.cancel().catch(() => undefined);
        await sleep(wait);
      }
    },
  };
};

export type HttpPolicy = ReturnType<typeof createHttpPolicy>;
