import type { Command } from 'commander';
import { withCommonOptions } from '../options.js';

const privacyCommands = () => import('../commands/privacy.js');
type PrivacyCommands = Awaited<ReturnType<typeof privacyCommands>>;

export const registerPrivacyCommands = (program: Command): void => {
  const privacy = program.command('privacy').description('answer a person who asks what we hold about them, or to be forgotten');

  withCommonOptions(privacy.command('export <email>').description('everything we hold about one person, as one JSON document').option('--out <file>', 'write to this file instead of stdout')).action(
    async (email: string, options: Parameters<PrivacyCommands['privacyExportCommand']>[1]) => (await privacyCommands()).privacyExportCommand(email, options),
  );

  withCommonOptions(
    privacy
      .command('delete <email>')
      .description('erase a person everywhere, keep only a one-way hash so they are never contacted or imported again')
      .requiredOption('--by <name>', 'who is carrying out the request (recorded in the audit log)'),
  ).action(async (email: string, options: Parameters<PrivacyCommands['privacyDeleteCommand']>[1]) => (await privacyCommands()).privacyDeleteCommand(email, options));
};
