import type { Config } from '../../config/load.js';
import type { AppDeps } from '../../deps.js';
import type { Database } from '../../store/database.js';
import type { EmbeddedRole } from '../../store/embedded-postgres.js';
import type { PipelineStores } from '../../pipeline/ports.js';
import { cliIo } from '../io.js';

/**
 * The composition root as every command opens it, with what the CLI's I/O context overrides (a
 * test's store and clock) and the logs on the context's stderr when that is not the process's own.
 */
export const openCliApp = async (config: Config, role?: EmbeddedRole): Promise<AppDeps> => {
  // Loaded here, not at the top: commands that only need the store (withStore) never load the app.
  const { openApp } = await import('../../deps.js');
  const io = cliIo();
  const { store, clock } = io.overrides ?? {};
  const log = io.stderr === process.stderr ? undefined : (await import('../../lib/logger.js')).createLogger(config.logLevel, { write: (line: string) => io.stderr.write(line) } as unknown as NodeJS.WritableStream);
  return openApp(config, { ...(role ? { role } : {}), ...(store ? { store } : {}), ...(clock ? { clock } : {}), ...(log ? { log } : {}) });
};

/** Open the store for one command and always close it (and release the embedded lock). */
export const withApp = async <T>(config: Config, work: (app: AppDeps) => Promise<T>): Promise<T> => {
  const app = await openCliApp(config);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
};

/**
 * Only the store, for commands that read or write rows and call nothing else: no providers,
 * escalation or metrics are loaded, so `caio leads list` beside a running server stays quick.
 */
export const withStore = async <T>(config: Config, work: (store: { database: Database; stores: PipelineStores }) => Promise<T>): Promise<T> => {
  const { openDatabase, storeLocationOf } = await import('../../store/database.js');
  const { createStores } = await import('../../store/index.js');
  const database = await openDatabase(cliIo().overrides?.store ?? storeLocationOf(config));
  try {
    return await work({ database, stores: createStores(database.db) });
  } finally {
    await database.close();
  }
};
