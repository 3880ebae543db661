import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';

export type StoreKind = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). */
export const STORE_KINDS: StoreKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

let template: Blob | undefined;

/** A fresh, migrated, isolated database: a PGlite from the run's template, or a new Postgres schema. */
export const openTestDatabase = async (kind: StoreKind): Promise<Database> => {
  if (kind === 'pglite') {
    template ??= new Blob([readFileSync(inject('pgliteTemplatePath'))]);
    return openDatabase({ kind: 'memory', template });
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const schema = `t_${randomUUID().replaceAll('-', '')}`;
  const database = await openDatabase({ kind: 'postgres', url, schema });
  return {
    ...database,
    close: async () => {
      await database.db.execute(sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      await database.close();
    },
  };
};
