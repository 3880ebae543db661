import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createHttpPolicy, errorCodesOf, failedBeforeSending, isRepeatableByDefault, type HttpPolicyOptions, type RequestSafety } from '../../../src/providers/http/policy.js';

/** undici's shape: TypeError('fetch failed') whose cause carries the system error code. */
const systemError = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code }) });
/** Happy eyeballs: every address refused, wrapped in an AggregateError with the code on each. */
const aggregateRefusal = () =>
  new TypeError('fetch failed', { cause: Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNREFUSED' })]), { code: 'ECONNREFUSED' }) });
const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');

type Step = number | { status: number; retryAfter?: string } | (() => Error);

/** A scripted fetch (the last step repeats) and a fake clock whose sleeps only move time. */
const harness = (script: Step[], options: Partial<HttpPolicyOptions> = {}) => {
  let t = 0;
  let i = 0;
  const calls: string[] = [];
  const fetch = (async (_url: string, init: RequestInit) => {
    calls.push(init.method ?? 'GET');
    const step = script[Math.min(i++, script.length - 1)]!;
    if (typeof step === 'function') throw step();
    const { status, retryAfter } = typeof step === 'number' ? { status: step, retryAfter: undefined } : step;
    return new Response(status === 200 ? '{}' : 'err', { status, headers: retryAfter ? { 'retry-after': retryAfter } : {} });
  }) as unknown as typeof globalThis.fetch;
  const policy = createHttpPolicy({ provider: 'acme', retries: 3, fetch, now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5, ...options });
  const run = async (method: string | undefined, safety?: RequestSafety): Promise<Response | AppError> => {
    try {
      return await policy.fetch('ep', 'https://acme.example.com/ep', method ? { method } : {}, safety);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  };
  return { policy, calls, run };
};

const statusOf = (r: Response | AppError) => (r instanceof Response ? r.status : r.code);

describe('which requests the HTTP policy may repeat', () => {
  it('defaults by method: GET, HEAD, PUT, DELETE, OPTIONS (and no method) yes; POST and PATCH no', () => {
    for (const m of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'get', undefined]) expect(isRepeatableByDefault(m)).toBe(true);
    for (const m of ['POST', 'PATCH', 'post']) expect(isRepeatableByDefault(m)).toBe(false);
  });

  // [method, safety, failure, calls, outcome]: outcome is a status (the Response given back) or the thrown code + uncertain flag.
  const table: [string | undefined, RequestSafety | undefined, string, Step, number, string | number, boolean | null][] = [
    // A request that may not be repeated and may have reached the provider: one call, uncertain.
    ['POST', undefined, '502', 502, 1, 'PROVIDER_UNAVAILABLE', true],
    ['POST', undefined, '500', 500, 1, 'PROVIDER_UNAVAILABLE', true],
    ['POST', undefined, '503', 503, 1, 'PROVIDER_UNAVAILABLE', true],
    ['POST', undefined, '504', 504, 1, 'PROVIDER_UNAVAILABLE', true],
    ['PATCH', undefined, '502', 502, 1, 'PROVIDER_UNAVAILABLE', true],
    ['POST', undefined, 'timeout', timeout, 1, 'PROVIDER_UNAVAILABLE', true],
    ['POST', undefined, 'ECONNRESET', () => systemError('ECONNRESET'), 1, 'PROVIDER_UNAVAILABLE', true],
    ['POST', undefined, 'UND_ERR_SOCKET (other side closed)', () => systemError('UND_ERR_SOCKET'), 1, 'PROVIDER_UNAVAILABLE', true],
    ['POST', undefined, 'a network error without a code', () => new TypeError('fetch failed'), 1, 'PROVIDER_UNAVAILABLE', true],
    ['GET', { idempotent: false }, '502', 502, 1, 'PROVIDER_UNAVAILABLE', true],
    // Certainly not sent: retried to the limit (3 retries → 4 calls), then certainly-not-sent.
    ['POST', undefined, 'ECONNREFUSED', () => systemError('ECONNREFUSED'), 4, 'PROVIDER_UNAVAILABLE', false],
    ['POST', undefined, 'ECONNREFUSED (AggregateError)', aggregateRefusal, 4, 'PROVIDER_UNAVAILABLE', false],
    ['POST', undefined, 'ENOTFOUND', () => systemError('ENOTFOUND'), 4, 'PROVIDER_UNAVAILABLE', false],
    ['POST', undefined, 'EAI_AGAIN', () => systemError('EAI_AGAIN'), 4, 'PROVIDER_UNAVAILABLE', false],
    ['POST', undefined, 'UND_ERR_CONNECT_TIMEOUT', () => systemError('UND_ERR_CONNECT_TIMEOUT'), 4, 'PROVIDER_UNAVAILABLE', false],
    // 429 is a refusal: retried, and the last 429 is given back for the client to map.
    ['POST', undefined, '429', { status: 429, retryAfter: '0' }, 4, 429, null],
    // 4xx is an answer: never repeated, whatever the method.
    ['POST', undefined, '400', 400, 1, 400, null],
    ['GET', undefined, '404', 404, 1, 404, null],
    // Repeatable requests keep the old rule: 5xx, timeouts and network errors are retried.
    ['GET', undefined, '502', 502, 4, 502, null],
    [undefined, undefined, '502', 502, 4, 502, null],
    ['PUT', undefined, '503', 503, 4, 503, null],
    ['DELETE', undefined, '500', 500, 4, 500, null],
    ['HEAD', undefined, '502', 502, 4, 502, null],
    ['POST', { idempotent: true }, '502', 502, 4, 502, null],
    ['GET', undefined, 'timeout', timeout, 4, 'PROVIDER_UNAVAILABLE', true],
    ['GET', undefined, 'ECONNRESET', () => systemError('ECONNRESET'), 4, 'PROVIDER_UNAVAILABLE', true],
    ['GET', undefined, 'ECONNREFUSED', () => systemError('ECONNREFUSED'), 4, 'PROVIDER_UNAVAILABLE', false],
  ];

  it.each(table)('%s %j failing with %s: %i call(s), then %s', async (method, safety, _what, step, calls, outcome, uncertain) => {
    const h = harness([step], { breaker: { failureThreshold: 100 } });
    const result = await h.run(method, safety);
    expect(h.calls).toHaveLength(calls);
    expect(statusOf(result)).toBe(outcome);
    if (uncertain !== null) {
      expect(result).toBeInstanceOf(AppError);
      const error = result as AppError;
      expect(error.details.uncertain).toBe(uncertain);
      // A repeatable request may always be tried again later; an uncertain one that is not, never blindly.
      const repeatable = safety?.idempotent ?? isRepeatableByDefault(method);
      expect(error.retryable).toBe(repeatable || !uncertain);
      expect(error.details.attempts).toBe(calls);
    }
  });

  it('a POST answered 429 then 200, or refused then answered, is retried and succeeds', async () => {
    const limited = harness([{ status: 429, retryAfter: '0' }, 200]);
    expect(statusOf(await limited.run('POST'))).toBe(200);
    expect(limited.calls).toEqual(['POST', 'POST']);
    const refused = harness([() => systemError('ECONNREFUSED'), () => systemError('ENOTFOUND'), 200]);
    expect(statusOf(await refused.run('POST'))).toBe(200);
    expect(refused.calls).toHaveLength(3);
  });

  it('an uncertain failure says so without the secret, and still counts towards the breaker', async () => {
    const transitions: string[] = [];
    const h = harness([502], { secrets: ['sk-acme-secret-42'], breaker: { failureThreshold: 2 }, onBreakerTransition: ({ from, to }) => transitions.push(`${from}->${to}`) });
    const first = (await h.policy.fetch('send', 'https://acme.example.com/send?key=sk-acme-secret-42', { method: 'POST' }).catch((e: unknown) => e)) as AppError;
    expect(first).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: false, details: { provider: 'acme', endpoint: 'send', status: 502, reason: 'server_error', uncertain: true, attempts: 1 } });
    expect(first.message).toContain('may have reached acme');
    expect(JSON.stringify({ m: first.message, d: first.details })).not.toContain('sk-acme-secret-42');
    await h.run('POST');
    expect(transitions).toEqual(['closed->open']);
    // The open breaker refuses before sending: certainly not sent, so it may be tried later.
    expect(await h.run('POST')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, details: { reason: 'circuit_open', uncertain: false } });
    expect(h.calls).toHaveLength(2);
  });

  it('reads the cause chain of fetch errors to tell a refusal from a lost connection', () => {
    expect(errorCodesOf(systemError('ECONNREFUSED'))).toEqual(['ECONNREFUSED']);
    expect(errorCodesOf(aggregateRefusal())).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
    expect(failedBeforeSending(systemError('ECONNREFUSED'))).toBe(true);
    expect(failedBeforeSending(aggregateRefusal())).toBe(true);
    expect(failedBeforeSending(systemError('ENOTFOUND'))).toBe(true);
    expect(failedBeforeSending(systemError('ECONNRESET'))).toBe(false);
    expect(failedBeforeSending(new TypeError('fetch failed'))).toBe(false);
    expect(failedBeforeSending(timeout())).toBe(false);
    // One code that may come after sending is enough to make the whole failure uncertain.
    const mixed = new TypeError('fetch failed', { cause: Object.assign(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNRESET' })]), {}) });
    expect(failedBeforeSending(mixed)).toBe(false);
  });
});
