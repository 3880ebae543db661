import type { Config } from '../../config/load.js';
import { openApp, type AppDeps } from '../../deps.js';

/** Open the store for one command and always close it (and release the embedded lock). */
export const withApp = async <T>(config: Config, work: (app: AppDeps) => Promise<T>): Promise<T> => {
  const app = await openApp(config);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
};
