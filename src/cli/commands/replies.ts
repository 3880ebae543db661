import { cleanReply, llmUnavailable, mergeLlmReading, understandReply, type LlmNote, type ReplyUnderstanding } from '../../domain/replies/index.js';
import { createLogger } from '../../lib/logger.js';
import { configFrom } from '../config-from.js';
import { cliOut } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';

/**
 * `caio replies classify`: the rules' reading of one text, so they can be tried on real replies;
 * with ANTHROPIC_API_KEY and `queen.llm.model`, also what the LLM classifier adds to or confirms in
 * it (`--rules-only` skips the model). Opens no store, stores and sends nothing.
 */
export const repliesClassifyCommand = async (options: CommonOptions & { text: string; sentAt?: Date; tz?: string; json?: boolean; rulesOnly?: boolean }): Promise<void> => {
  const config = configFrom(options);
  const sentAt = options.sentAt ?? new Date();
  const timeZone = options.tz ?? config.dispatch.timeZone;
  const businessHours = config.dispatch.businessHours;
  let reading: ReplyUnderstanding = understandReply(options.text, { sentAt, timeZone, businessHours });
  let llm: LlmNote | null = null;
  const { replyLlmFor } = await import('../../compose/reply-classifier.js');
  // The command prints its own line about the model; its log lines are not wanted on a terminal.
  const model = options.rulesOnly ? undefined : replyLlmFor(config, createLogger('silent'));
  const clean = cleanReply(options.text);
  if (model && clean.trim() !== '') {
    const answer = await model.classifier.classify({ text: clean, sentAt, timeZone });
    ({ understanding: reading, llm } = answer.ok ? mergeLlmReading(reading, answer.reading, { text: clean, sentAt, timeZone, businessHours }, answer.model) : { understanding: reading, llm: llmUnavailable(answer.reason, answer.model) });
  }
  // The issue's shape; the model's note only when it was asked.
  if (options.json) return printJson(llm ? { ...reading, llm } : reading);
  cliOut(`class: ${reading.class}${reading.kind ? ` (${reading.kind})` : ''}, confidence ${reading.confidence}\n`);
  cliOut(`evidence: ${reading.evidence.length ? reading.evidence.map((e) => `"${e}"`).join(', ') : 'none'}\n`);
  for (const t of reading.proposedTimes) cliOut(`proposes: ${t.at} ("${t.text}")\n`);
  if (reading.returnDate) cliOut(`back: ${reading.returnDate}\n`);
  if (llm) cliOut(`llm (${llm.model ?? 'model'}): ${llmLine(llm)}\n`);
  else cliOut(`llm: ${options.rulesOnly ? 'not asked (--rules-only)' : model ? 'not asked (nothing to read)' : 'off (needs ANTHROPIC_API_KEY and queen.llm.model)'}\n`);
  cliOut(`(read in ${timeZone}, relative to ${sentAt.toISOString()})\n`);
};

const llmLine = (n: LlmNote): string => {
  const said = n.class ? `${n.class}${n.kind ? ` (${n.kind})` : ''} at ${n.confidence}` : null;
  switch (n.verdict) {
    case 'unavailable':
      return `no usable answer (${n.reason}); the rules' reading stands`;
    case 'ignored':
      return `said ${said}, ignored: ${n.reason}`;
    case 'disagrees':
      return `said ${said}: disagrees (${n.reason}); the rules' reading stands, a person should read it`;
    case 'answered':
      return `answered what the rules left open: ${said}`;
    case 'added':
      return `agrees and added ${n.added.filter((a) => a !== 'confidence').join(', ')}`;
    case 'confirmed':
      return 'confirmed the rules’ reading';
  }
};
