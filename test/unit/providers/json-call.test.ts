import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppError } from '../../../src/lib/app-error.js';
import { createJsonCaller } from '../../../src/providers/http/json-call.js';
import { createHttpPolicy } from '../../../src/providers/http/policy.js';

const SECRET = 'sk-very-secret-123';

/** A caller whose fetch answers with one fixed response. */
const callerAnswering = (status: number, body: string, headers: Record<string, string> = {}) =>
  createJsonCaller({
    provider: 'acme',
    baseUrl: 'https://acme.example.com/v1/',
    headers: () => ({ authorization: `Bearer ${SECRET}` }),
    secrets: [SECRET],
    policy: createHttpPolicy({ provider: 'acme', retries: 0, secrets: [SECRET], fetch: async () => new Response(body, { status, headers }) }),
  });

const Schema = z.looseObject({ id: z.string() });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

describe('shared JSON caller: bad provider answers become typed errors', () => {
  it.each([
    ['HTML instead of JSON', 200, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' }],
    ['an empty body', 200, '', {}],
    ['truncated JSON', 200, '{"id": "ab', { 'content-type': 'application/json' }],
    ['a 200 with an error body', 200, '{"error": "something went wrong"}', { 'content-type': 'application/json' }],
    ['the wrong shape', 200, '{"id": 42}', { 'content-type': 'application/json' }],
  ])('%s is PROVIDER_BAD_RESPONSE, without the secret', async (_name, status, body, headers) => {
    const error = await codeOf(callerAnswering(status, body, headers).call('thing', { method: 'GET', path: 'thing' }, Schema));
    expect(error?.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(error?.message).not.toContain(SECRET);
  });

  it('reads a JSON body whatever the Content-Type says (HeyReach sends none)', async () => {
    expect(await callerAnswering(200, '{"id": "x1"}', {}).call('thing', { method: 'GET', path: 'thing' }, Schema)).toEqual({ id: 'x1' });
  });

  it.each([
    [401, 'PROVIDER_AUTH'],
    [403, 'PROVIDER_AUTH'],
    [402, 'OUT_OF_CREDITS'],
    [404, 'NOT_FOUND'],
    [422, 'PROVIDER_BAD_REQUEST'],
    [429, 'PROVIDER_RATE_LIMITED'],
    [503, 'PROVIDER_UNAVAILABLE'],
  ])('status %i maps to %s; a provider message echoing the key is redacted', async (status, code) => {
    const error = await codeOf(callerAnswering(status, JSON.stringify({ message: `bad key ${SECRET}` }), { 'content-type': 'application/json' }).call('thing', { method: 'GET', path: 'thing' }, Schema));
    expect(error?.code).toBe(code);
    expect(error?.message).not.toContain(SECRET);
  });

  it('answers null for the statuses a client declares as a miss', async () => {
    expect(await callerAnswering(406, '{"message":"unknown id"}').call('thing', { method: 'GET', path: 'thing' }, Schema, { nullOn: [406] })).toBeNull();
  });
});
