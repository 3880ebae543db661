import { InvalidArgumentError, type Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const askCommands = () => import('../commands/ask.js');
type AskCommands = Awaited<ReturnType<typeof askCommands>>;

const parseSince = (value: string): Date => {
  const relative = /^(\d+)([hd])$/.exec(value.trim());
  const date = relative ? new Date(Date.now() - Number(relative[1]) * (relative[2] === 'h' ? 3_600_000 : 86_400_000)) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('since must be a date (2026-11-24, an ISO time) or a span like 24h or 7d.');
  return date;
};

const parseRate = (value: string): number => {
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new InvalidArgumentError('the pass rate is a number from 0 to 1, e.g. 0.95.');
  return rate;
};

/** `caio ask`, `caio traces` and `caio replay`: QUEEN in plain words, its traces, and its replay gate. */
export const registerAskCommands = (program: Command): void => {
  withCommonOptions(
    program
      .command('ask')
      .description('ask QUEEN in plain words; it reads our own data, refuses what is unsafe, and runs a plan that writes only with --yes')
      .argument('<request>', 'the request, in quotes')
      .option('--yes', 'confirm a plan that writes (run the pipeline, create a batch, pause a campaign, set the emergency stop)')
      .option('--by <name>', 'who is asking (recorded on anything written)')
      .option('--json', 'print JSON: {intent, refused, reason, plan, results, answer, traceId}'),
  ).action(async (request: string, options: Parameters<AskCommands['askCommand']>[1]) => (await askCommands()).askCommand(request, options));
  withCommonOptions(
    program
      .command('traces')
      .description("QUEEN's asks from the audit log: request (redacted), intent, plan, each call's outcome and duration, refusals")
      .option('--since <when>', 'a date, an ISO time, or a span like 24h / 7d', parseSince)
      .option('--limit <n>', 'at most this many, newest', parsePositiveInt('limit', 100_000), 100)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<AskCommands['tracesCommand']>[0]) => (await askCommands()).tracesCommand(options));
  withCommonOptions(
    program
      .command('replay')
      .description('the replay gate: every golden case through the real ask over a seeded sandbox, scored 0-5; exit 1 under the pass rate')
      .option('--set <file>', 'the golden set (default: golden/caio_alpha_golden_set_v1.json)')
      .option('--min-pass-rate <rate>', 'the share of cases that must pass', parseRate, 0.95)
      .option('--report <file>', 'where the report goes (default: .caio/replay/replay-<time>.json)')
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<AskCommands['replayCommand']>[0]) => (await askCommands()).replayCommand(options));
};
