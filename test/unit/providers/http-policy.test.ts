import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createHttpPolicy, redact, retryAfterMs, type HttpPolicyOptions } from '../../../src/providers/http/policy.js';

/** A fake fetch answering from a script, and a fake clock whose sleeps just move time. */
const harness = (script: (number | 'network' | { status: number; retryAfter?: string })[], options: Partial<HttpPolicyOptions> = {}) => {
  let t = 0;
  const sleeps: number[] = [];
  const calls: string[] = [];
  const transitions: string[] = [];
  let i = 0;
  const fetch = (async (url: string) => {
    calls.push(url);
    const step = script[Math.min(i++, script.length - 1)]!;
    if (step === 'network') throw new TypeError('fetch failed');
    const { status, retryAfter } = typeof step === 'number' ? { status: step, retryAfter: undefined } : step;
    return new Response(status === 200 ? '{}' : 'err', { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} });
  }) as unknown as typeof globalThis.fetch;
  const policy = createHttpPolicy({
    provider: 'acme',
    fetch,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    random: () => 0.5,
    onBreakerTransition: ({ from, to }) => transitions.push(`${from}->${to}`),
    ...options,
  });
  return { policy, sleeps, calls, transitions, advance: (ms: number) => (t += ms) };
};

describe('HTTP policy', () => {
  it('retries 5xx with exponential backoff and jitter, then returns the success', async () => {
    const h = harness([503, 502, 200], { backoffMs: 100 });
    const res = await h.policy.fetch('ep', 'https://x/ep', {});
    expect(res.status).toBe(200);
    expect(h.calls).toHaveLength(3);
    expect(h.sleeps).toEqual([50, 100]);
  });

  it('honours Retry-After and gives the 429 back when the wait is too long', async () => {
    const short = harness([{ status: 429, retryAfter: '2' }, 200]);
    expect((await short.policy.fetch('ep', 'https://x/ep', {})).status).toBe(200);
    expect(short.sleeps).toEqual([2000]);
    const long = harness([{ status: 429, retryAfter: '3600' }, 200], { maxWaitMs: 10_000 });
    expect((await long.policy.fetch('ep', 'https://x/ep', {})).status).toBe(429);
    expect(long.calls).toHaveLength(1);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:05 GMT', 0)).toBe(5000);
  });

  it('never retries a 4xx answer', async () => {
    for (const status of [400, 401, 402, 404, 422]) {
      const h = harness([status, 200]);
      expect((await h.policy.fetch('ep', 'https://x/ep', {})).status).toBe(status);
      expect(h.calls).toHaveLength(1);
    }
  });

  it('throws PROVIDER_UNAVAILABLE after network errors, without the secret', async () => {
    const h = harness(['network'], { retries: 2, secrets: ['sk-secret-123'] });
    const error = (await h.policy.fetch('ep', 'https://x/ep?key=sk-secret-123', {}).catch((e: unknown) => e)) as AppError;
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, details: { attempts: 3, reason: 'network' } });
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('sk-secret-123');
    expect(redact('key sk-secret-123 here', ['sk-secret-123'])).toBe('key [redacted] here');
  });

  it('opens the breaker after repeated failures, fails fast while open, and closes after a good probe', async () => {
    const h = harness([500, 500, 500, 200], { retries: 0, breaker: { failureThreshold: 3, resetAfterMs: 1000 } });
    for (let k = 0; k < 3; k++) expect((await h.policy.fetch('ep', 'https://x/ep', {})).status).toBe(500);
    expect(h.policy.breakerState()).toBe('open');
    const fast = await h.policy.fetch('ep', 'https://x/ep', {}).catch((e: unknown) => e as AppError);
    expect(fast).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { reason: 'circuit_open' } });
    expect(h.calls).toHaveLength(3);
    h.advance(1000);
    expect((await h.policy.fetch('ep', 'https://x/ep', {})).status).toBe(200);
    expect(h.policy.breakerState()).toBe('closed');
    expect(h.transitions).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('reopens the breaker when the half-open probe fails', async () => {
    const h = harness([500], { retries: 0, breaker: { failureThreshold: 1, resetAfterMs: 10 } });
    await h.policy.fetch('ep', 'https://x/ep', {});
    h.advance(10);
    await h.policy.fetch('ep', 'https://x/ep', {});
    expect(h.transitions).toEqual(['closed->open', 'open->half_open', 'half_open->open']);
  });

  it('never starts more calls in any window than the provider allows', async () => {
    const h = harness([200], { rateLimitPerMinute: 60, rateWindows: [{ limit: 3, intervalMs: 1000 }] });
    const starts: number[] = [];
    let t = 0;
    h.sleeps.length = 0;
    for (let k = 0; k < 70; k++) {
      await h.policy.fetch('ep', 'https://x/ep', {});
      t = h.sleeps.reduce((a, b) => a + b, 0);
      starts.push(t);
    }
    const maxIn = (interval: number) => Math.max(...starts.map((s) => starts.filter((x) => x >= s && x < s + interval).length));
    expect(maxIn(1000)).toBe(3);
    expect(maxIn(60_000)).toBe(60);
    // Call 61 waits for the first call's minute to pass (plus the margin).
    expect(starts[60]).toBeGreaterThanOrEqual(60_000);
  });
});
