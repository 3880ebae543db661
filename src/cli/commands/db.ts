import { openDatabase } from '../../store/database.js';
import { storeLocationOf } from '../../deps.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { cliOut, storeOverride } from '../io.js';

/**
 * `caio db migrate`: apply the migrations and exit. Every process also migrates when it opens the
 * store (under an advisory lock, so simultaneous starts do not race); this is the explicit step a
 * deployment runs before starting new servers and workers.
 */
export const dbMigrateCommand = async (options: CommonOptions): Promise<void> => {
  const config = configFrom(options);
  const database = await openDatabase(storeOverride() ?? storeLocationOf(config));
  await database.close();
  cliOut(`migrations applied (${config.store.kind === 'postgres' ? 'PostgreSQL from DATABASE_URL' : `embedded database in ${config.store.dir}`})\n`);
};
