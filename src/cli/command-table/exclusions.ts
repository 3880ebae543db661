import type { Command } from 'commander';
import { withCommonOptions } from '../options.js';

const exclusionCommands = () => import('../commands/exclusions.js');
type ExclusionCommands = Awaited<ReturnType<typeof exclusionCommands>>;

export const registerExclusionCommands = (program: Command): void => {
  const exclusions = program.command('exclusions').description("customers' domains and e-mails that are never sent to");

  withCommonOptions(
    exclusions
      .command('import <file>')
      .description('add the domains and e-mails of a CSV (a header with a domain and/or email column); bad rows are reported by line, good rows kept')
      .requiredOption('--by <name>', 'who imports them (recorded in the audit log)')
      .option('--json', 'print JSON'),
  ).action(async (file: string, options: Parameters<ExclusionCommands['exclusionsImportCommand']>[1]) => {
    await (await exclusionCommands()).exclusionsImportCommand(file, options);
  });

  withCommonOptions(exclusions.command('list').description('the imported exclusions').option('--json', 'print JSON')).action(async (options: Parameters<ExclusionCommands['exclusionsListCommand']>[0]) =>
    (await exclusionCommands()).exclusionsListCommand(options),
  );
};
