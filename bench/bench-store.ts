import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { loadConfig } from '../src/config/load.js';
import { openApp, type AppDeps } from '../src/deps.js';
import { openDatabase, type Database } from '../src/store/index.js';

/**
 * A fresh, migrated database for one benchmark: a schema of its own on DATABASE_URL when set, else
 * the embedded PostgreSQL (as `npm start` runs) in a temporary data folder, removed afterwards.
 * `label` says which, for the benchmark's output.
 */
export const openBenchDatabase = async (): Promise<Database & { label: string }> => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `bench_${randomUUID().replaceAll('-', '')}`;
    const database = await openDatabase({ kind: 'postgres', url, schema });
    return {
      ...database,
      label: 'PostgreSQL (DATABASE_URL)',
      close: async () => {
        await database.db.execute(sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
        await database.close();
      },
    };
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-'));
  chmodSync(dataDir, 0o755); // as root, the embedded server runs as the user postgres, who must enter it
  const database = await openDatabase({ kind: 'embedded', dir: path.join(dataDir, 'pg') });
  return {
    ...database,
    label: 'embedded PostgreSQL',
    close: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/**
 * The app as the CLI and the server open it (`loadConfig`, then `openApp` of the composition root)
 * for one benchmark, on a fresh, migrated database: a schema of its own on DATABASE_URL when set
 * (openApp's `store` override, as the tests use), else the embedded PostgreSQL in a temporary data
 * folder. `values` are the benchmark's scenario as a config file would hold them (checked like
 * one), `env` the environment it runs with (never the caller's own: a benchmark reads no secrets).
 * The logger is silent; everything else is built as in production.
 */
export const openBenchApp = async (values: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<{ app: AppDeps; label: string; close: () => Promise<void> }> => {
  const url = process.env.DATABASE_URL;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-'));
  chmodSync(dataDir, 0o755); // as root, the embedded server runs as the user postgres, who must enter it
  const config = loadConfig({ cwd: dataDir, dataDir, values, env: { ...(url ? { DATABASE_URL: url } : {}), ...env } });
  const schema = `bench_${randomUUID().replaceAll('-', '')}`;
  const app = await openApp(config, { log: pino({ level: 'silent' }), ...(url ? { store: { kind: 'postgres', url, schema } } : {}) });
  return {
    app,
    label: url ? 'PostgreSQL (DATABASE_URL)' : 'embedded PostgreSQL',
    close: async () => {
      if (url) await app.database.db.execute(sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
