import type { Config } from '../config/load.js';
import { cleanReply, type LlmNote } from '../domain/replies/index.js';
import type { Logger } from '../lib/logger.js';
import { safeErrorMessage } from '../lib/redact.js';
import { createAnthropicReplyClassifier } from '../providers/anthropic/reply-classifier.js';
import type { ReplyClassifierPort } from '../signals/follow-through.js';
import type { InboxProcessor } from '../signals/process-inbox.js';
import type { StoredDelivery } from '../signals/ports.js';

/**
 * A classification runs inside the delivery's transaction (its class decides the status move), so
 * it waits at most this long whatever `queen.llm.timeoutMs` says; past it the rules' answer stands.
 */
export const REPLY_CLASSIFY_TIMEOUT_MS = 5_000;
/** A reading is a short tool call. */
const MAX_TOKENS = 512;

/** Answers asked before a delivery's transaction, kept until its processing reads them; a bound on what an unread one costs. */
const PRIMED_MAX = 256;
/** Deliveries asked about at once before their transaction. */
const PRIME_CONCURRENCY = 4;

type Input = Parameters<ReplyClassifierPort['classify']>[0];
type Answer = Awaited<ReturnType<ReplyClassifierPort['classify']>>;

/**
 * The classifier and the hook that logs its notes, as the follow-through takes them; `prime` asks
 * the model before the delivery's transaction opens, so the transaction finds the answer waiting.
 */
export type ReplyLlm = { classifier: ReplyClassifierPort; onLlmNote: (note: LlmNote, inboxId: string) => void; prime: (input: Input) => Promise<void> };

/**
 * The optional LLM reply classifier (docs/replies.md "The LLM classifier"): only when
 * ANTHROPIC_API_KEY is set, `queen.llm.classifyReplies` is true and `queen.llm.model` names a model
 * (the Anthropic section QUEEN's planner reads: model, baseUrl, timeoutMs). `queen.llm.enabled` is
 * QUEEN's own switch and does not gate it. Undefined otherwise: the rules alone read replies. One client per processor, so its
 * circuit breaker spans deliveries.
 */
export const replyLlmFor = (config: Pick<Config, 'env' | 'queen'>, log: Logger): ReplyLlm | undefined => {
  const apiKey = config.env.ANTHROPIC_API_KEY;
  const llm = config.queen.llm;
  if (!apiKey || !llm.classifyReplies || !llm.model) return undefined;
  const model = createAnthropicReplyClassifier({ apiKey, baseUrl: llm.baseUrl, model: llm.model, timeoutMs: Math.min(llm.timeoutMs, REPLY_CLASSIFY_TIMEOUT_MS), maxTokens: MAX_TOKENS });
  // Keyed by what the model is asked (text, time, zone): the transaction asks the same question, or asks again.
  const primed = new Map<string, Promise<Answer>>();
  const keyOf = (i: Input) => `${i.timeZone}\u0000${i.sentAt.toISOString()}\u0000${i.text}`;
  return {
    classifier: {
      classify: (input) => {
        const key = keyOf(input);
        const answer = primed.get(key);
        if (!answer) return model.classify(input);
        primed.delete(key);
        return answer;
      },
    },
    prime: async (input) => {
      const key = keyOf(input);
      if (primed.has(key)) return;
      if (primed.size >= PRIMED_MAX) primed.delete(primed.keys().next().value!);
      const answer = model.classify(input);
      primed.set(key, answer);
      await answer;
    },
    // Never the reply's text, its evidence words or an address: the delivery's id, the verdict and the classes.
    onLlmNote: (note, inboxId) => {
      const fields = { inboxId, verdict: note.verdict, model: note.model, llmClass: note.class, llmKind: note.kind, reason: note.reason, added: note.added };
      if (note.verdict === 'unavailable') log.warn(fields, 'reply classifier gave no usable answer; the rules’ reading stands');
      else if (note.verdict === 'disagrees') log.warn(fields, 'reply classifier disagrees with the rules; the rules’ reading stands, a person should read the reply');
      else log.info(fields, 'reply classifier read the reply');
    },
  };
};

/** What priming reads of a delivery, outside any transaction (compose/signals.ts builds it on the stores). */
export type PrimeReads = {
  delivery(id: string): Promise<StoredDelivery | null>;
  /** The model's question for a reply delivery not yet read: its text, time and zone as its processing will ask; null: nothing to ask. */
  questionOf(item: StoredDelivery): Promise<{ text: string; sentAt: Date; timeZone: string } | null>;
};

/**
 * The processor with the model asked before each delivery's transaction (a delivery's own job, a
 * batch, a replay), so the transaction, which holds the lead's row, does not wait on the network.
 * A delivery taken along in a burst, or by the sweep, is asked inside its transaction instead
 * (the same answer and the same fallback, only later). Priming never fails a delivery.
 */
export const withReplyPriming = (processor: InboxProcessor, llm: ReplyLlm, reads: PrimeReads, log: Logger): InboxProcessor => {
  const primeAll = async (ids: readonly string[]) => {
    try {
      for (let i = 0; i < ids.length; i += PRIME_CONCURRENCY)
        await Promise.all(
          ids.slice(i, i + PRIME_CONCURRENCY).map(async (id) => {
            const item = await reads.delivery(id);
            if (!item) return;
            const question = await reads.questionOf(item);
            if (question && cleanReply(question.text).trim() !== '') await llm.prime({ ...question, text: cleanReply(question.text) });
          }),
        );
    } catch (error) {
      log.debug({ err: safeErrorMessage(error) }, 'reply classifier not asked ahead; the delivery asks it itself');
    }
  };
  return {
    ...processor,
    process: async (id) => (await primeAll([id]), processor.process(id)),
    processWithWaiting: async (id) => (await primeAll([id]), processor.processWithWaiting(id)),
    processMany: async (ids) => (await primeAll(ids), processor.processMany(ids)),
    replay: async (id) => (await primeAll([id]), processor.replay(id)),
  };
};
