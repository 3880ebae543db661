import { understandReply } from '../../domain/replies/index.js';
import { configFrom } from '../config-from.js';
import { cliOut } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';

/** `caio replies classify`: the rules' reading of one text, so they can be tried on real replies; opens no store. */
export const repliesClassifyCommand = async (options: CommonOptions & { text: string; sentAt?: Date; tz?: string; json?: boolean }): Promise<void> => {
  const config = configFrom(options);
  const sentAt = options.sentAt ?? new Date();
  const timeZone = options.tz ?? config.dispatch.timeZone;
  const reading = understandReply(options.text, { sentAt, timeZone });
  if (options.json) return printJson(reading);
  cliOut(`class: ${reading.class}${reading.kind ? ` (${reading.kind})` : ''}, confidence ${reading.confidence}\n`);
  cliOut(`evidence: ${reading.evidence.length ? reading.evidence.map((e) => `"${e}"`).join(', ') : 'none'}\n`);
  for (const t of reading.proposedTimes) cliOut(`proposes: ${t.at} ("${t.text}")\n`);
  if (reading.returnDate) cliOut(`back: ${reading.returnDate}\n`);
  cliOut(`(read in ${timeZone}, relative to ${sentAt.toISOString()})\n`);
};
