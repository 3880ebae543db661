import type { Config } from '../../config/load.js';
import type { AppDeps } from '../../deps.js';
import type { Database } from '../../store/database.js';
import type { PipelineStores } from '../../pipeline/ports.js';

/** Open the store for one command and always close it (and release the embedded lock). */
export const withApp = async <T>(config: Config, work: (app: AppDeps) => Promise<T>): Promise<T> => {
  // Loaded here, not at the top: commands that only need the store (withStore) never load the app.
  const { openApp } = await import('../../deps.js');
  const app = await openApp(config);
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
  const database = await openDatabase(storeLocationOf(config));
  try {
    return await work({ database, stores: createStores(database.db) });
  } finally {
    await database.close();
  }
};
