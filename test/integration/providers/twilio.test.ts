import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createHttpPolicy } from '../../../src/providers/http/policy.js';
import { startTwilioSandbox, type TwilioSandbox, type TwilioSandboxOptions } from '../../../src/providers/sandbox/twilio/server.js';
import { createTwilioClient } from '../../../src/providers/twilio/client.js';
import { MessageResponseSchema, TwilioErrorSchema } from '../../../src/providers/twilio/schemas.js';
import { contractFixture } from '../../support/contracts.js';

const SID = 'AC00000000000000000000000000000000';
const TOKEN = 'twilio-test-auth-token-0123456789';
const BASIC = Buffer.from(`${SID}:${TOKEN}`).toString('base64');
const FROM = '+17205550123';
const TO = '+13035550147';
const TEXT = 'CAIO L2: hot lead replied (Northwind Agency). Dashboard: caio.example.com/q/42';
const fixture = (name: string) => contractFixture('twilio', name) as ReturnType<typeof contractFixture> & { request: { path: string; form: Record<string, string> } };

describe('Twilio client against the loopback sandbox', () => {
  let sandbox: TwilioSandbox | undefined;
  const start = async (options: TwilioSandboxOptions = {}, from = FROM) => {
    sandbox = await startTwilioSandbox({ accountSid: SID, authToken: TOKEN, ...options });
    return { sandbox, client: createTwilioClient({ baseUrl: sandbox.url, accountSid: SID, authToken: TOKEN, from }) };
  };
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  const failure = async (promise: Promise<unknown>, secrets: string[] = [TOKEN, BASIC]): Promise<AppError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
    for (const secret of secrets) expect(`${error.message} ${JSON.stringify(error.details)} ${String(error.stack)}`).not.toContain(secret);
    return error;
  };

  it('sends a form-encoded SMS with Basic auth and answers the queued sid', async () => {
    const { client, sandbox } = await start();
    expect(await client.sendSms({ to: TO, body: TEXT })).toEqual({ sid: 'SM00000000000000000000000000000001', status: 'queued' });
    expect(sandbox.messages()).toMatchObject([{ to: TO, from: FROM, body: TEXT, status: 'queued', numSegments: 1 }]);
  });

  it('sends through a Messaging Service when `from` is an MG sid, answered "accepted"', async () => {
    const { client, sandbox } = await start({}, 'MG00000000000000000000000000000001');
    expect((await client.sendSms({ to: TO, body: TEXT })).status).toBe('accepted');
    expect(sandbox.messages()[0]).toMatchObject({ from: null, messagingServiceSid: 'MG00000000000000000000000000000001' });
  });

  it('maps 21211 (invalid number) and 21610 (unsubscribed) to PROVIDER_BAD_REQUEST with the code, never retried', async () => {
    const { sandbox } = await start({ optedOut: [TO] });
    const policy = createHttpPolicy({ provider: 'twilio', retries: 2, sleep: async () => {}, secrets: [TOKEN, BASIC] });
    const client = createTwilioClient({ baseUrl: sandbox.url, accountSid: SID, authToken: TOKEN, from: FROM, policy });
    const invalid = await failure(client.sendSms({ to: '+1303555', body: TEXT }));
    expect(invalid).toMatchObject({ code: 'PROVIDER_BAD_REQUEST', retryable: false, details: { twilioCode: 21211, reason: 'invalid_number' } });
    expect(invalid.message).not.toContain('+1303555');
    const stopped = await failure(client.sendSms({ to: TO, body: TEXT }));
    expect(stopped).toMatchObject({ code: 'PROVIDER_BAD_REQUEST', retryable: false, details: { twilioCode: 21610, reason: 'unsubscribed' } });
    expect(sandbox.stats).toMatchObject({ requests: 2, refused: 2, created: 0 });
    expect(sandbox.messages()).toEqual([]);
  });

  it('keeps the Twilio code of concurrent sends apart', async () => {
    const { client, sandbox } = await start({ optedOut: ['+13035550148'] });
    const [ok, stopped, invalid] = await Promise.allSettled([client.sendSms({ to: TO, body: 'a' }), client.sendSms({ to: '+13035550148', body: 'b' }), client.sendSms({ to: 'not-a-number', body: 'c' })]);
    expect(ok.status).toBe('fulfilled');
    expect(stopped.status === 'rejected' && (stopped.reason as AppError).details.twilioCode).toBe(21610);
    expect(invalid.status === 'rejected' && (invalid.reason as AppError).details.twilioCode).toBe(21211);
    sandbox.setOptedOut('+13035550148', false);
    expect((await client.sendSms({ to: '+13035550148', body: 'd' })).status).toBe('queued');
  });

  it('maps bad credentials to PROVIDER_AUTH without the token', async () => {
    const { sandbox } = await start();
    const wrongToken = 'wrong-twilio-token-abcdef';
    const client = createTwilioClient({ baseUrl: sandbox.url, accountSid: SID, authToken: wrongToken, from: FROM });
    const error = await failure(client.sendSms({ to: TO, body: TEXT }), [wrongToken, Buffer.from(`${SID}:${wrongToken}`).toString('base64')]);
    expect(error.code).toBe('PROVIDER_AUTH');
  });

  it('refuses a JSON body as Twilio does: no To (21604)', async () => {
    const { sandbox } = await start();
    const res = await fetch(`${sandbox.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${BASIC}`, 'content-type': 'application/json' },
      body: JSON.stringify({ To: TO, From: FROM, Body: TEXT }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: number }).code).toBe(21604);
  });

  it('retries a 429 after its Retry-After with a retrying policy; 5xx is an uncertain PROVIDER_UNAVAILABLE; junk is PROVIDER_BAD_RESPONSE', async () => {
    const { sandbox, client } = await start({ failures: { status429: { count: 1, retryAfterSeconds: 2 } } });
    const waits: number[] = [];
    const policy = createHttpPolicy({ provider: 'twilio', retries: 2, sleep: async (ms) => void waits.push(ms), secrets: [TOKEN, BASIC] });
    const patient = createTwilioClient({ baseUrl: sandbox.url, accountSid: SID, authToken: TOKEN, from: FROM, policy });
    expect((await patient.sendSms({ to: TO, body: TEXT })).status).toBe('queued');
    expect(waits).toEqual([2000]);
    sandbox.setFailures({ status429: { count: 1, retryAfterSeconds: 7 } });
    expect(await failure(client.sendSms({ to: TO, body: TEXT }))).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', details: { retryAfterSeconds: 7 } });
    sandbox.setFailures({ status5xx: { count: 1, status: 503 } });
    // The SMS may have been queued before the 503: never sent again blindly (no-blind-retry.test.ts).
    expect(await failure(client.sendSms({ to: TO, body: TEXT }))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: false, details: { uncertain: true, status: 503 } });
    sandbox.setFailures({ malformed: { count: 1, kind: 'wrong_shape' } });
    expect((await failure(client.sendSms({ to: TO, body: TEXT }))).code).toBe('PROVIDER_BAD_RESPONSE');
    expect((await failure(client.sendSms({ to: TO, body: '  ' }))).code).toBe('INVALID_INPUT');
  });

  it('parses the fixture bodies with the client schemas', () => {
    expect(MessageResponseSchema.parse(fixture('create-message.json').response.body)).toMatchObject({ sid: 'SM00000000000000000000000000000001', status: 'queued' });
    for (const [name, code] of [
      ['create-message.error-21211.json', 21211],
      ['create-message.error-21610.json', 21610],
      ['create-message.error-401.json', 20003],
    ] as const) {
      expect(TwilioErrorSchema.parse(fixture(name).response.body).code).toBe(code);
    }
  });

  it('answers each fixture request with the fixture status and body shape', async () => {
    const { sandbox } = await start();
    const replay = async (name: string, authorization = `Basic ${BASIC}`) => {
      const { request, response } = fixture(name);
      const res = await fetch(`${sandbox.url}${request.path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(request.form).toString() });
      const answer = (await res.json()) as Record<string, unknown>;
      expect([name, res.status]).toEqual([name, response.status]);
      expect(Object.keys(answer).sort()).toEqual(Object.keys(response.body as object).sort());
      return answer;
    };
    expect((await replay('create-message.json')).sid).toBe('SM00000000000000000000000000000001');
    expect((await replay('create-message.error-21211.json')).code).toBe(21211);
    sandbox.setOptedOut(TO);
    expect((await replay('create-message.error-21610.json')).code).toBe(21610);
    expect((await replay('create-message.error-401.json', 'Basic d3Jvbmc6Y3JlZHM=')).code).toBe(20003);
  });
});
