import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicReplyClassifier, REPLY_TOOL } from '../../../src/providers/anthropic/reply-classifier.js';
import { defaultResponder, startAnthropicSandbox, type AnthropicSandbox } from '../../../src/providers/sandbox/anthropic/server.js';

/** The LLM reply classifier's adapter against the loopback Messages API (contracts/anthropic.md) and its failure switches. */
const KEY = 'sk-ant-api03-reply-unit-0123456789';
const SENT = new Date('2026-11-23T10:00:00Z');
let sandbox: AnthropicSandbox;
let classifier: ReturnType<typeof createAnthropicReplyClassifier>;

beforeAll(async () => {
  sandbox = await startAnthropicSandbox({ apiKey: KEY });
  classifier = createAnthropicReplyClassifier({ apiKey: KEY, baseUrl: sandbox.baseUrl, model: 'claude-test', timeoutMs: 300 });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFailures({});
  sandbox.respond(defaultResponder);
  sandbox.requests.length = 0;
});

describe('the reply classifier over the Messages API', () => {
  it('sends the cleaned text as data with the sending time and zone, offers one tool the model must call, and reads its call', async () => {
    const answer = await classifier.classify({ text: 'El martes 2026-11-24 14:00 me va bien.', sentAt: SENT, timeZone: 'Europe/Madrid' });
    expect(answer).toEqual({
      ok: true,
      model: 'claude-test',
      messageId: expect.stringMatching(/^msg_sandbox_/),
      reading: { class: 'meeting_request', kind: null, confidence: 0.85, evidence: ['me va bien'], proposedTimes: [{ text: '2026-11-24 14:00', local: '2026-11-24T14:00', precision: 'exact' }] },
    });
    const [request] = sandbox.requests;
    expect(request!.headers['x-api-key']).toBe(KEY);
    expect(request!.body).toMatchObject({ model: 'claude-test', temperature: 0, tool_choice: { type: 'any' }, tools: [{ name: REPLY_TOOL }] });
    const content = String(request!.body.messages![0]!.content);
    expect(content).toContain('<reply>\nEl martes 2026-11-24 14:00 me va bien.\n</reply>');
    expect(content).toContain('Monday, 11/23/2026, 11:00');
    expect(content).toContain('Europe/Madrid');
    expect(typeof request!.body.system).toBe('string');
  });

  it('keeps a kind only for an objection', async () => {
    sandbox.respond(() => ({ content: [{ type: 'tool_use', name: REPLY_TOOL, input: { class: 'interested', kind: 'budget', confidence: 0.7, evidence: ['yes'] } }] }));
    const answer = await classifier.classify({ text: 'yes', sentAt: SENT, timeZone: 'UTC' });
    expect(answer.ok && answer.reading).toMatchObject({ class: 'interested', kind: null, proposedTimes: [] });
  });

  it.each([
    ['a timeout', { timeout: { count: 1 } }, 'timeout'],
    ['a 500', { status5xx: { count: 1, status: 500 } }, 'http_500'],
    ['a 529 overloaded', { overloaded: { count: 1 } }, 'http_529'],
    ['a body that is not JSON', { malformed: { count: 1, kind: 'not_json' as const } }, 'malformed'],
    ['a message of the wrong shape', { malformed: { count: 1, kind: 'wrong_shape' as const } }, 'malformed'],
    ['a tool call off the schema', { offSchema: { count: 1 } }, 'off_schema'],
    ['a truncated answer', { truncated: { count: 1 } }, 'truncated'],
  ])('%s is a failure with a reason, never an exception, and is not sent again', async (_name, failures, reason) => {
    sandbox.setFailures(failures);
    const answer = await classifier.classify({ text: 'Gracias, no tenemos presupuesto.', sentAt: SENT, timeZone: 'UTC' });
    expect(answer).toEqual({ ok: false, reason, model: 'claude-test' });
    // A classification is read-only, but the client retries nothing (retries: 0): one request reached the sandbox.
    expect(sandbox.requests).toHaveLength(1);
  });

  it('never hands back the key, even from a hostile model that echoes it', async () => {
    const hostile = await startAnthropicSandbox({ apiKey: KEY, echoKey: true });
    try {
      const echoing = createAnthropicReplyClassifier({ apiKey: KEY, baseUrl: hostile.baseUrl, model: 'claude-test', timeoutMs: 300 });
      hostile.respond(() => ({ content: [{ type: 'tool_use', name: REPLY_TOOL, input: { class: 'interested', confidence: 0.7, evidence: [`yes ${KEY}`] } }] }));
      const answer = await echoing.classify({ text: 'yes', sentAt: SENT, timeZone: 'UTC' });
      expect(answer.ok).toBe(true);
      expect(JSON.stringify(answer)).not.toContain(KEY);
    } finally {
      await hostile.close();
    }
  });

  it('an answer without the tool call, and a refused key, are failures too', async () => {
    sandbox.respond(() => ({ content: [{ type: 'text', text: 'I think it is interested.' }] }));
    expect(await classifier.classify({ text: 'ok', sentAt: SENT, timeZone: 'UTC' })).toEqual({ ok: false, reason: 'no_tool_call', model: 'claude-test' });
    const wrongKey = createAnthropicReplyClassifier({ apiKey: 'sk-ant-wrong-0000000000', baseUrl: sandbox.baseUrl, model: 'claude-test', timeoutMs: 300 });
    const refused = await wrongKey.classify({ text: 'ok', sentAt: SENT, timeZone: 'UTC' });
    expect(refused.ok).toBe(false);
    expect(JSON.stringify(refused)).not.toContain('sk-ant');
  });
});
