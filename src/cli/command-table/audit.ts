import { InvalidArgumentError, type Command } from 'commander';
import { parsePositiveInt, withCommonOptions } from '../options.js';

const parseSince = (value: string): Date => {
  const relative = /^(\d+)([hd])$/.exec(value.trim());
  const date = relative ? new Date(Date.now() - Number(relative[1]) * (relative[2] === 'h' ? 3_600_000 : 86_400_000)) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('since must be a date (2026-11-24, an ISO time) or a span like 24h or 7d.');
  return date;
};

export const registerAuditCommand = (program: Command): void => {
  withCommonOptions(
    program
      .command('audit')
      .description('the append-only audit log, oldest first')
      .option('--since <when>', 'a date, an ISO time, or a span like 24h / 7d', parseSince)
      .option('--limit <n>', 'at most this many', parsePositiveInt('limit', 1_000_000), 1000)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<(typeof import('../commands/audit.js'))['auditCommand']>[0]) => (await import('../commands/audit.js')).auditCommand(options));
};
