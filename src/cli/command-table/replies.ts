import { InvalidArgumentError, type Command } from 'commander';
import { withCommonOptions } from '../options.js';

const repliesCommands = () => import('../commands/replies.js');
type RepliesCommands = Awaited<ReturnType<typeof repliesCommands>>;

/** An ISO 8601 instant with its offset (`2026-12-07T09:30:00Z`, `...-05:00`). */
const parseInstant = (value: string): Date => {
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('must be an ISO 8601 instant with its offset, such as 2026-12-07T09:30:00Z');
  return at;
};

/** An IANA time zone the runtime knows (`America/New_York`). */
const parseZone = (value: string): string => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidArgumentError('must be an IANA time zone such as America/New_York');
  }
};

export const registerRepliesCommands = (program: Command): void => {
  const replies = program.command('replies').description("prospects' replies: what they mean and the times they propose");
  withCommonOptions(
    replies
      .command('classify')
      .description('how the rules read one reply (class, objection kind, confidence, evidence, proposed times, return date); stores and sends nothing')
      .requiredOption('--text <text>', "the reply's text (quoted history, signature and HTML are stripped)")
      .option('--sent-at <iso>', 'when the reply was sent (times resolve against it); default now', parseInstant)
      .option('--tz <zone>', "the prospect's time zone; default dispatch.timeZone", parseZone)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<RepliesCommands['repliesClassifyCommand']>[0]) => (await repliesCommands()).repliesClassifyCommand(options));
};
