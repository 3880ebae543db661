import type { Command } from 'commander';
import { openDatabase } from '../../store/database.js';
import { configFrom, withCommonOptions, type CommonOptions } from '../options.js';

/**
 * `caio db migrate`: apply the migrations and exit. Every process also migrates when it opens the
 * store (under an advisory lock, so simultaneous starts do not race); this is the explicit step a
 * deployment runs before starting new servers and workers.
 */
export const registerDbCommands = (program: Command): void => {
  const db = program.command('db').description('the database');
  withCommonOptions(db.command('migrate').description('apply the schema migrations (PostgreSQL in DATABASE_URL, or the embedded database) and exit')).action(async (options: CommonOptions) => {
    const config = configFrom(options);
    const database = await openDatabase(config.store.kind === 'postgres' ? { kind: 'postgres', url: config.store.url } : { kind: 'embedded', dir: config.store.dir });
    await database.close();
    process.stdout.write(`migrations applied (${config.store.kind === 'postgres' ? 'PostgreSQL from DATABASE_URL' : `embedded database in ${config.store.dir}`})\n`);
  });
};
