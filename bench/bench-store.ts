import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
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
