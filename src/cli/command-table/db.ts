import type { Command } from 'commander';
import { withCommonOptions } from '../options.js';

export const registerDbCommands = (program: Command): void => {
  const db = program.command('db').description('the database');
  withCommonOptions(db.command('migrate').description('apply the schema migrations (PostgreSQL in DATABASE_URL, or the embedded database) and exit')).action(
    async (options: Parameters<(typeof import('../commands/db.js'))['dbMigrateCommand']>[0]) => (await import('../commands/db.js')).dbMigrateCommand(options),
  );
};
