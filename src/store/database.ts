import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import { acquireEmbeddedLock } from './embedded-lock.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query surface; repositories accept either. */
export type DbOrTx = Db;

export type Database = {
  db: Db;
  kind: 'embedded' | 'postgres' | 'memory';
  close: () => Promise<void>;
};

export type StoreLocation =
  | { kind: 'embedded'; dir: string }
  | { kind: 'postgres'; url: string; /** isolate in this schema (tests) @defaultValue public */ schema?: string }
  | { kind: 'memory'; /** a `dumpDataDir()` of a migrated PGlite, to skip initdb and migrations */ template?: Blob | File };

const MIGRATION_LOCK_KEY = 7_413_009_201;

/** Migrations live in src/store/migrations; compiled code runs from dist/src/store. */
export const migrationsFolder = (): string => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'migrations'), path.resolve(here, '../../../src/store/migrations')];
  const found = candidates.find((c) => existsSync(path.join(c, 'meta', '_journal.json')));
  if (!found) throw new Error(`database migrations not found (looked in ${candidates.join(', ')})`);
  return found;
};

/** Heavy drivers are imported lazily so `caio --help` and `caio config check` stay fast. */
export const openDatabase = async (location: StoreLocation): Promise<Database> => {
  if (location.kind === 'postgres') return openPostgres(location.url, location.schema);
  if (location.kind === 'memory') return openPglite(undefined, location.template);
  const lock = acquireEmbeddedLock(location.dir);
  try {
    mkdirSync(location.dir, { recursive: true });
    const database = await openPglite(location.dir);
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
};

const openPglite = async (dir: string | undefined, template?: Blob | File): Promise<Database> => {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = template ? new PGlite({ loadDataDir: template }) : dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema });
  if (!template) {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(db, { migrationsFolder: migrationsFolder() });
  }
  return { db: db as unknown as Db, kind: dir ? 'embedded' : 'memory', close: () => client.close() };
};

const openPostgres = async (url: string, schemaName?: string): Promise<Database> => {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const options = schemaName ? `-c search_path=${schemaName}` : undefined;

  // Migrate on one connection under an advisory lock, so concurrent starts do not race.
  const migrator = new pg.Client({ connectionString: url, options });
  await migrator.connect();
  try {
    if (schemaName) await migrator.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
    await migrator.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(migrator, { schema }), { migrationsFolder: migrationsFolder(), ...(schemaName ? { migrationsSchema: schemaName } : {}) });
    } finally {
      await migrator.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await migrator.end();
  }

  const pool = new pg.Pool({ connectionString: url, options, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by a PostgreSQL restart or a network cut emits 'error' on the pool;
  // unheard, it would crash the process. The pool replaces the connection; queries meanwhile fail
  // (jobs retry, /ready reports the database) and succeed again once PostgreSQL is back.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { schema });
  return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
};
