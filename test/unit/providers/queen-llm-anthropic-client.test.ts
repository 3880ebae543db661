import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicMessages, MessagesResponseSchema, textOf, toolUsesOf } from '../../../src/providers/anthropic/messages.js';
import { startAnthropicSandbox, type AnthropicSandbox } from '../../../src/providers/sandbox/anthropic/server.js';
import { checkArgs, offeredTools, toolOfApiName } from '../../../src/queen/llm-tools.js';
import { planFromCalls } from '../../../src/queen/llm-planner.js';
import { contractFixture } from '../../support/contracts.js';

/** The Anthropic client and its loopback sandbox against contracts/anthropic.md, and the planner's tool table. */
const KEY = 'sk-ant-api03-unit-0123456789';
let sandbox: AnthropicSandbox;
const body = { model: 'm', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hello' }] };

beforeAll(async () => {
  sandbox = await startAnthropicSandbox({ apiKey: KEY });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.setFailures({});
});

describe('the Messages client', () => {
  it("reads the contract's fixtures: every text block joined, tool calls as written", () => {
    const ok = MessagesResponseSchema.parse(contractFixture('anthropic', 'messages.json').response.body);
    expect(textOf(ok)).toMatch(/^Hi Maya,/);
    const truncated = MessagesResponseSchema.parse(contractFixture('anthropic', 'messages.max-tokens.json').response.body);
    expect(truncated.stop_reason).toBe('max_tokens');
    const multi = MessagesResponseSchema.parse({
      ...ok,
      content: [
        { type: 'text', text: 'a' },
        { type: 'tool_use', id: 't1', name: 'x', input: {} },
        { type: 'text', text: 'b' },
        { type: 'tool_use', input: 3 },
      ],
    });
    expect(textOf(multi)).toBe('ab');
    expect(toolUsesOf(multi)).toEqual([
      { id: 't1', name: 'x', input: {} },
      { id: null, name: null, input: 3 },
    ]);
  });

  it('sends the key and version the sandbox checks; maps 401, 429, 529 and an unknown model to stable codes without the key', async () => {
    const client = createAnthropicMessages({ apiKey: KEY, baseUrl: sandbox.baseUrl, timeoutMs: 2000 });
    expect((await client.create(body)).type).toBe('message');
    await expect(createAnthropicMessages({ apiKey: 'sk-ant-wrong-key-123', baseUrl: sandbox.baseUrl, timeoutMs: 2000 }).create(body)).rejects.toMatchObject({ code: 'PROVIDER_AUTH' });
    sandbox.setFailures({ rateLimited: { count: 1, retryAfterSeconds: 20 } });
    await expect(client.create(body)).rejects.toMatchObject({ code: 'PROVIDER_RATE_LIMITED' });
    sandbox.setFailures({ overloaded: { count: 1 } });
    await expect(client.create(body)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    const missing = createAnthropicMessages({ apiKey: KEY, baseUrl: `${sandbox.baseUrl}/nowhere`, timeoutMs: 2000 });
    const error = await missing.create(body).catch((e: unknown) => e);
    expect(JSON.stringify(error) + String(error)).not.toContain(KEY);
  });

  it('the sandbox refuses what the API refuses: a system role in messages, a dotted tool name', async () => {
    const client = createAnthropicMessages({ apiKey: KEY, baseUrl: sandbox.baseUrl, timeoutMs: 2000 });
    await expect(
      client.create({
        ...body,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'system' as 'user', content: 'b' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'PROVIDER_BAD_REQUEST' });
    await expect(client.create({ ...body, tools: [{ name: 'leads.search', description: 'x', input_schema: { type: 'object' } }] })).rejects.toMatchObject({ code: 'PROVIDER_BAD_REQUEST' });
  });
});

describe("the planner's tool table", () => {
  it('offers names the API accepts, each mapping back to one QUEEN tool', () => {
    for (const t of offeredTools()) {
      expect(t.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(toolOfApiName(t.name)).not.toBeNull();
    }
  });

  it('checks arguments strictly and fills absent ones with null', () => {
    expect(checkArgs('leads.search', { tier: 'tier_1' })).toEqual({ ok: true, args: { id: null, email: null, domain: null, tier: 'tier_1', limit: null } });
    expect(checkArgs('leads.search', { limit: 5000 }).ok).toBe(false);
    expect(checkArgs('leads.search', { tier: 'tier_9' }).ok).toBe(false);
    expect(checkArgs('drafts.queue', { all: true }).ok).toBe(false);
  });

  it('names the grammar rule a dangerous unoffered call asks for', () => {
    const { plan, refusals } = planFromCalls([
      { name: 'sendEmail', input: {} },
      { name: 'approve_draft', input: {} },
      { name: 'resume_sending', input: {} },
      { name: 'dump_personal_data', input: {} },
      { name: 'weather', input: {} },
      { name: 'runs_recent', input: { limit: 3 } },
    ]);
    expect(refusals.map((r) => r.rule)).toEqual(['QUEEN_NEVER_SENDS', 'QUEEN_NEVER_APPROVES', 'QUEEN_NEVER_LIFTS_STOP', 'NO_BULK_PERSONAL_DATA_EXPORT', 'LLM_TOOL_NOT_OFFERED']);
    expect(plan).toEqual([{ tool: 'runs.recent', args: { limit: 3 } }]);
  });

  it('takes at most the cap of calls', () => {
    const { plan, refusals } = planFromCalls(Array.from({ length: 10 }, () => ({ name: 'leads_status', input: {} })));
    expect(plan).toHaveLength(1);
    expect(refusals.map((r) => r.rule)).toEqual(['LLM_PLAN_TOO_LONG', 'LLM_PLAN_TOO_LONG']);
  });
});
