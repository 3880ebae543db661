import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';

export type StoreKind = 'postgres';

/** One store: the run's PostgreSQL (the embedded server, or DATABASE_URL in CI). */
export const STORE_KINDS: StoreKind[] = ['postgres'];

/** This test file's schema, migrated once (a test file runs in its own process). */
let fileSchema: { database: Database; name: string } | undefined;

const truncateAll = async (database: Database, schema: string) => {
  const { rows } = (await database.db.execute(sql`select tablename from pg_tables where schemaname = ${schema} and tablename not like '__drizzle%'`)) as { rows: { tablename: string }[] };
  if (rows.length) await database.db.execute(sql.raw(`TRUNCATE ${rows.map((r) => `"${schema}"."${r.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`));
};

/**
 * An empty, migrated database for one test: the file's own schema, emptied (every table truncated)
 * on each call, so migrations run once per file instead of once per test. `close()` leaves the
 * schema for the next test; the run's teardown drops every schema it made.
 */
export const openTestDatabase = async (_kind: StoreKind = 'postgres'): Promise<Database> => {
  if (!fileSchema) {
    const name = `${inject('testSchemaPrefix')}${randomBytes(6).toString('hex')}`;
    fileSchema = { database: await openDatabase({ kind: 'postgres', url: inject('testDatabaseUrl'), schema: name }), name };
  } else {
    await truncateAll(fileSchema.database, fileSchema.name);
  }
  return { db: fileSchema.database.db, kind: 'postgres', pool: fileSchema.database.pool, asyncCommitDb: fileSchema.database.asyncCommitDb, close: async () => {} };
};

/** The run's PostgreSQL URL (for tests that make a database of their own). */
export const testDatabaseUrl = (): string => inject('testDatabaseUrl');
