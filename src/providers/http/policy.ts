import { AppError } from '../../lib/app-error.js';
import { createCircuitBreaker, type BreakerState } from './circuit-breaker.js';
import { createRateLimiter, sendTracked, type RateLimiter, type RateWindow } from './rate-limiter.js';

export type HttpPolicyOptions = {
  provider: string;
  /** @defaultValue 15000 */
  timeoutMs?: number;
  /**
   * Retries after the first attempt. A repeatable request (see {@link RequestSafety}) is retried on
   * 429, 5xx, timeouts and network errors; one that is not is retried only when it certainly did
   * not reach the provider (429, connection refused, DNS failure). @defaultValue 3
   */
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
  limiterFactory?: (windows: RateWindow[]) => RateLimiter;
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

/**
 * Whether a request may be sent again after it may have reached the provider. `idempotent`
 * defaults by method: true for GET, HEAD, PUT, DELETE and OPTIONS, false for POST and PATCH. A
 * POST is marked idempotent only where the contract documents it as a read, an upsert or keyed
 * (e.g. Apollo People API Search); the decision is written at each call site.
 */
export type RequestSafety = { idempotent?: boolean };

const REPEATABLE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** The method's default: a request without a method is a GET. */
export const isRepeatableByDefault = (method: string | undefined): boolean => REPEATABLE_METHODS.has((method ?? 'GET').toUpperCase());

/**
 * Connection failures that happen before a single byte of the request is written: the provider
 * cannot have it. Anything else (a reset, a closed socket, a timeout) may come after it was sent.
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/** Every `code` along undici's cause chain (`fetch failed` → cause → AggregateError.errors …). */
export const errorCodesOf = (error: unknown, depth = 0): string[] => {
  if (!error || typeof error !== 'object' || depth > 5) return [];
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  return [...(typeof e.code === 'string' ? [e.code] : []), ...errorCodesOf(e.cause, depth + 1), ...(Array.isArray(e.errors) ? e.errors.flatMap((inner) => errorCodesOf(inner, depth + 1)) : [])];
};

/** True only when the failure certainly came before the request was sent (a refusal or DNS failure). */
export const failedBeforeSending = (error: unknown): boolean => {
  const codes = errorCodesOf(error);
  return codes.length > 0 && codes.every((code) => NOT_SENT_CODES.has(code));
};

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

export const redact = (text: string, secrets: readonly string[]): string => secrets.filter((s) => s && s.length >= 4).reduce((out, s) => out.split(s).join('[redacted]'), text);

/**
 * The one HTTP policy every provider client goes through: rate limit → breaker → call with a
 * timeout → retry with backoff and jitter (honouring Retry-After) on 429/5xx/network errors only.
 * It returns the last Response (the client maps statuses to its errors) or throws
 * PROVIDER_UNAVAILABLE when no answer came. Nothing it throws carries a secret.
 *
 * Never sent twice: a request that is not repeatable (a POST or PATCH unless its call site says
 * otherwise) is retried only when it certainly did not reach the provider: a 429 (the provider
 * refused it), a refused connection or a DNS failure. A 5xx, a timeout or a connection lost after
 * sending throws PROVIDER_UNAVAILABLE at once with `retryable: false` and `details.uncertain: true`:
 * the provider may have it, so the caller reconciles (the outbox asks the provider, or a person
 * decides) instead of sending again. Every PROVIDER_UNAVAILABLE thrown here carries
 * `details.uncertain`: false when the request certainly did not reach the provider.
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

  const unavailable = (endpoint: string, reason: string, extra: Record<string, unknown> = {}, retryable = true) =>
    new AppError('PROVIDER_UNAVAILABLE', redact(`${options.provider} ${endpoint}: ${reason}`, secrets), { retryable, details: { provider: options.provider, endpoint, reason, ...extra } });
  /** A request that is not repeatable and may have reached the provider: never sent again from here. */
  const uncertain = (endpoint: string, what: string, extra: Record<string, unknown>) =>
    unavailable(endpoint, `${what}; the call may have reached ${options.provider}, so it is not repeated (reconcile with the provider before sending again)`, { ...extra, uncertain: true }, false);

  return {
    breakerState: () => breaker.state(),
    /**
     * `safety.idempotent` says whether this request may be sent again after it may have reached the
     * provider; without it, the method decides (see {@link RequestSafety}).
     */
    fetch: async (endpoint: string, url: string, init: RequestInit, safety: RequestSafety = {}): Promise<Response> => {
      const repeatable = safety.idempotent ?? isRepeatableByDefault(init.method);
      for (let attempt = 0; ; attempt++) {
        // Refused here, nothing was sent: safe to try again later whatever the request.
        if (!breaker.allow()) throw unavailable(endpoint, 'circuit open after repeated failures; calls resume after a pause', { reason: 'circuit_open', uncertain: false });
        const ticket = limiter ? await (limiter.acquireTicket ? limiter.acquireTicket() : limiter.acquire()) : undefined;
        let response: Response | null = null;
        let failure: string | null = null;
        let notSent = false;
        const started = performance.now();
        try {
          // The limiter hears when the request really leaves (see rate-limiter.ts).
          response = await sendTracked(ticket, () => doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }));
        } catch (error) {
          const name = (error as Error)?.name;
          const timedOut = name === 'TimeoutError' || name === 'AbortError';
          notSent = !timedOut && failedBeforeSending(error);
          failure = timedOut ? `no answer within ${timeoutMs} ms` : notSent ? 'connection refused or host not found (nothing was sent)' : 'network error';
        }
        options.onCall?.({ provider: options.provider, outcome: outcomeOf(response, failure), durationMs: performance.now() - started });
        if (response && !RETRYABLE_STATUS(response.status)) {
          breaker.success();
          return response;
        }
        // 429 says the provider is up; only outages move the breaker.
        if (response?.status === 429) breaker.success();
        else breaker.failure();
        const reason = response ? (response.status === 429 ? 'rate_limited' : 'server_error') : failure!.startsWith('no answer') ? 'timeout' : 'network';
        // A 429 and a connection that never opened are refusals: the provider does not have the request.
        const mayHaveReached = response ? response.status !== 429 : !notSent;
        if (!repeatable && mayHaveReached) {
          await response?.body?.cancel().catch(() => undefined);
          throw uncertain(endpoint, response ? `server error ${response.status}` : failure!, { attempts: attempt + 1, reason, ...(response ? { status: response.status } : {}) });
        }
        const hinted = response ? retryAfterMs(response.headers.get('retry-after'), now()) : null;
        const wait = hinted ?? Math.round(random() * Math.min(maxWait, backoff * 2 ** attempt));
        if (attempt >= retries || wait > maxWait || breaker.state() === 'open') {
          if (response) return response;
          throw unavailable(endpoint, failure!, { attempts: attempt + 1, reason, uncertain: mayHaveReached });
        }
        await response?.body?.cancel().catch(() => undefined);
        await sleep(wait);
      }
    },
  };
};

export type HttpPolicy = ReturnType<typeof createHttpPolicy>;
