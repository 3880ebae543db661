import { InvalidArgumentError, type Command } from 'commander';
import { createAuditStore } from '../../store/audit-repo.js';
import { configFrom, parsePositiveInt, withCommonOptions, type CommonOptions } from '../options.js';
import { printJson, withApp } from './with-app.js';

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
  ).action(async (options: CommonOptions & { since?: Date; limit: number; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const entries = await createAuditStore(app.database.db).list({ since: options.since, limit: options.limit });
      if (options.json) return printJson(entries);
      for (const e of entries) process.stdout.write(`${e.at.toISOString()} ${e.actor} ${e.action} ${e.entityType}${e.entityId ? ` ${e.entityId}` : ''}${Object.keys(e.details).length ? ` ${JSON.stringify(e.details)}` : ''}\n`);
    });
  });
};
