import { InvalidArgumentError, type Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const repliesCommands = () => import('../commands/replies.js');
const repliesListCommands = () => import('../commands/replies-list.js');
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
      .option('--rules-only', 'do not ask the LLM classifier (it is asked only with ANTHROPIC_API_KEY and queen.llm.model)')
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<RepliesCommands['repliesClassifyCommand']>[0]) => (await repliesCommands()).repliesClassifyCommand(options));
  withCommonOptions(
    replies
      .command('list')
      .description('the replies received, newest first: class, objection kind, confidence, evidence, proposed times, whether one needs an answer')
      .option('--class <class>', `only this class (${REPLY_CLASSES.join(', ')})`, parseReplyClass)
      .option('--limit <n>', 'at most this many', parsePositiveInt('limit', 10_000), 100)
      .option('--json', 'print JSON'),
  ).action(async (options: { class?: string; limit?: number; json?: boolean }) => (await repliesListCommands()).repliesListCommand(options));
  withCommonOptions(replies.command('show <id>').description("one reply: its understanding, its text's first words and what its follow-through did").option('--json', 'print JSON')).action(async (id: string, options: { json?: boolean }) =>
    (await repliesListCommands()).repliesShowCommand(id, options),
  );
  withCommonOptions(
    replies
      .command('book <id>')
      .description('book a meeting for a reply by hand: the slot re-checked against the GoHighLevel calendar, never booked twice, the confirmation queued; audited with the person')
      .requiredOption('--slot <iso>', 'the start of the slot (ISO 8601 with its offset)', parseInstant)
      .requiredOption('--by <name>', 'who books (audited)')
      .option('--json', 'print JSON'),
  ).action(async (id: string, options: { slot: Date; by: string; json?: boolean }) => (await import('../commands/replies-book.js')).repliesBookCommand(id, options));
  withCommonOptions(
    replies
      .command('brief <id>')
      .description("the meeting brief for a reply's lead: the person, the company, the score's reasons, the whole conversation, the angle that worked, the meeting in both zones")
      .option('--send', "also deliver it (Slack, e-mail to escalation.emailTo, the appointment's notes at GoHighLevel); recorded, so the morning job does not send it again")
      .option('--by <name>', 'who sends it (recorded with the delivery)')
      .option('--json', 'print JSON'),
  ).action(async (id: string, options: { send?: boolean; by?: string; json?: boolean }) => (await import('../commands/replies-brief.js')).repliesBriefCommand(id, options));
};

/** The reply classes (src/domain/replies REPLY_CLASSES; written out so the table loads no domain module for --help). */
const REPLY_CLASSES = ['meeting_request', 'interested', 'question', 'objection', 'referral', 'out_of_office', 'not_interested', 'unsubscribe', 'auto_reply'] as const;

/** One of the reply classes. */
const parseReplyClass = (value: string): string => {
  if (!(REPLY_CLASSES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${REPLY_CLASSES.join(', ')}`);
  return value;
};
