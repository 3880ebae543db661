import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { replyLlmFor, withReplyPriming, type PrimeReads } from '../../../src/compose/reply-classifier.js';
import { startAnthropicSandbox, type AnthropicSandbox } from '../../../src/providers/sandbox/anthropic/server.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import type { StoredDelivery } from '../../../src/signals/ports.js';
import { silentLog } from '../../support/pipeline.js';

/**
 * The reply classifier is asked before a delivery's transaction (compose/reply-classifier.ts), and
 * the transaction's own question finds that answer instead of asking again; it is off without
 * ANTHROPIC_API_KEY or without a model.
 */
const KEY = 'sk-ant-api03-priming-0123456789';
const SENT = new Date('2026-11-23T10:00:00Z');
let sandbox: AnthropicSandbox;

beforeAll(async () => {
  sandbox = await startAnthropicSandbox({ apiKey: KEY });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.requests.length = 0;
});

const configWith = (env: Record<string, string>, model?: string, on = true) =>
  loadConfig({ cwd: '/nonexistent-caio-test-dir', env, values: { queen: { llm: { classifyReplies: on, ...(model ? { model } : {}), baseUrl: sandbox.baseUrl, timeoutMs: 1000 } } } });

const delivery = { id: 'd-1', provider: 'instantly', eventType: 'reply_received', status: 'pending' } as StoredDelivery;
const question = { text: 'Gracias, pero no tenemos presupuesto.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Dani <dani@x.example.com> wrote:\n> hello', sentAt: SENT, timeZone: 'UTC' };

describe('the reply classifier, asked ahead of the transaction', () => {
  it('is off without the key, the model or queen.llm.classifyReplies (queen.llm.enabled does not gate it)', () => {
    expect(replyLlmFor(configWith({}, 'claude-test'), silentLog)).toBeUndefined();
    expect(replyLlmFor(configWith({ ANTHROPIC_API_KEY: KEY }, undefined, false), silentLog)).toBeUndefined();
    expect(() => configWith({ ANTHROPIC_API_KEY: KEY })).toThrow(/queen\.llm\.model/);
    expect(replyLlmFor(configWith({ ANTHROPIC_API_KEY: KEY }, 'claude-test'), silentLog)).toBeDefined();
    // The key and the model are QUEEN's too: replies go to the model only when a person says so.
    expect(replyLlmFor(configWith({ ANTHROPIC_API_KEY: KEY }, 'claude-test', false), silentLog)).toBeUndefined();
  });

  it("asks before the processor runs; the processing's question (the cleaned text) is answered from that, with no second call", async () => {
    const llm = replyLlmFor(configWith({ ANTHROPIC_API_KEY: KEY }, 'claude-test'), silentLog)!;
    const seen: number[] = [];
    const reads: PrimeReads = { delivery: async (id) => (id === delivery.id ? delivery : null), questionOf: async () => question };
    const inner = {
      process: async () => {
        seen.push(sandbox.requests.length);
        // What the follow-through asks inside the transaction: the cleaned text, the same time and zone.
        const answer = await llm.classifier.classify({ text: 'Gracias, pero no tenemos presupuesto.', sentAt: SENT, timeZone: 'UTC' });
        expect(answer.ok && answer.reading.class).toBe('objection');
        return 'processed' as const;
      },
    } as unknown as InboxProcessor;
    const primed = withReplyPriming(inner, llm, reads, silentLog);
    expect(await primed.process(delivery.id)).toBe('processed');
    expect(seen).toEqual([1]);
    expect(sandbox.requests).toHaveLength(1);
    // The quoted history never went to the model.
    expect(JSON.stringify(sandbox.requests[0]!.body.messages)).not.toContain('dani@x.example.com');
    // A question not asked ahead is asked then.
    await llm.classifier.classify({ text: 'Gracias, pero no tenemos presupuesto.', sentAt: SENT, timeZone: 'UTC' });
    expect(sandbox.requests).toHaveLength(2);
  });

  it('never fails a delivery: a read that throws leaves the question to the transaction', async () => {
    const llm = replyLlmFor(configWith({ ANTHROPIC_API_KEY: KEY }, 'claude-test'), silentLog)!;
    const reads: PrimeReads = {
      delivery: async () => {
        throw new Error('database gone');
      },
      questionOf: async () => question,
    };
    const inner = { process: async () => 'processed' as const } as unknown as InboxProcessor;
    expect(await withReplyPriming(inner, llm, reads, silentLog).process('d-1')).toBe('processed');
    expect(sandbox.requests).toHaveLength(0);
  });
});
