import { InvalidArgumentError, type Command } from 'commander';
import { parsePositiveInt, parseTier, withCommonOptions } from '../options.js';

const parseFormat = (value: string): 'csv' | 'json' => {
  if (value !== 'csv' && value !== 'json') throw new InvalidArgumentError('format must be csv or json.');
  return value;
};

const leadCommands = () => import('../commands/leads.js');
type LeadCommands = Awaited<ReturnType<typeof leadCommands>>;

export const registerLeadCommands = (program: Command): void => {
  const leads = program.command('leads').description('leads, their scores and drafts');

  withCommonOptions(
    leads
      .command('list')
      .description('leads with score, tier and status, best first')
      .option('--tier <tier>', 'only this tier (tier_1 … tier_4, or 1-4)', parseTier)
      .option('--status <status>', 'only this status (e.g. pending_review, disqualified, skipped)')
      .option('--limit <n>', 'at most this many', parsePositiveInt('limit', 100_000), 500)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<LeadCommands['leadsListCommand']>[0]) => (await leadCommands()).leadsListCommand(options));

  withCommonOptions(
    leads
      .command('export')
      .description('leads with score, tier, reasons, status and last activity, as CSV (spreadsheet-safe) or JSON')
      .option('--format <format>', 'csv or json', parseFormat, 'csv')
      .option('--tier <tier>', 'only this tier', parseTier)
      .option('--status <status>', 'only this status')
      .option('--out <file>', 'write to this file instead of stdout'),
  ).action(async (options: Parameters<(typeof import('../commands/leads-export.js'))['leadsExportCommand']>[0]) => (await import('../commands/leads-export.js')).leadsExportCommand(options));

  withCommonOptions(leads.command('show <email>').description('one lead: score, tier, every reason, drafts and their grounding').option('--json', 'print JSON')).action(
    async (email: string, options: Parameters<LeadCommands['leadsShowCommand']>[1]) => (await leadCommands()).leadsShowCommand(email, options),
  );

  withCommonOptions(
    leads.command('timeline <email>').description("one lead's activity across pipeline, e-mail, LinkedIn and outbound, newest first").option('--limit <n>', 'how many', parsePositiveInt('limit', 10_000), 100).option('--json', 'print JSON'),
  ).action(async (email: string, options: Parameters<LeadCommands['leadsTimelineCommand']>[1]) => (await leadCommands()).leadsTimelineCommand(email, options));

  withCommonOptions(
    leads
      .command('bootstrap')
      .description("record on each lead's timeline every accepted send that is missing from it (status, cadence and KPIs follow); safe to repeat")
      .option('--dry-run', 'list the missing sends, record nothing')
      .option('--limit <n>', 'at most this many sends', parsePositiveInt('limit', 100_000), 10_000)
      .option('--json', 'print JSON'),
  ).action(async (options: Parameters<LeadCommands['leadsBootstrapCommand']>[0]) => (await leadCommands()).leadsBootstrapCommand(options));
};
