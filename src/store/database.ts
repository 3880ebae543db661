import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import type { EmbeddedRole } from './embedded-postgres.js';
import type { Config } from '../config/load.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query surface; repositories accept either. */
export type DbOrTx = Db;

export type Database = {
  db: Db;
  /** `embedded`: the PostgreSQL server in `<data-dir>/pg` (see embedded-postgres.ts); `postgres`: DATABASE_URL. */
  kind: 'embedded' | 'postgres';
  close: () => Promise<void>;
};

export type StoreLocation =
  | { kind: 'embedded'; dir: string; /** `server` for caio start/serve (one at a time) @defaultValue command */ role?: EmbeddedRole; /** CAIO_PG_PORT */ port?: number | undefined }
  | { kind: 'postgres'; url: string; /** isolate in this schema (tests) @defaultValue public */ schema?: string };

const MIGRATION_LOCK_KEY = 7_413_009_201;

/** Migrations live in src/store/migrations; compiled code runs from dist/src/store. */
export const migrationsFolder = (): string => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'migrations'), path.resolve(here, '../../../src/store/migrations')];
  const found = candidates.find((c) => existsSync(path.join(c, 'meta', '_journal.json')));
  if (!found) throw new Error(`database migrations not found (looked in ${candidates.join(', ')})`);
  return found;
};

/** Where the store is: DATABASE_URL, or the embedded server (`server`: caio start/serve, one at a time). */
export const storeLocationOf = (config: Pick<Config, 'store'>, role: EmbeddedRole = 'command'): StoreLocation =>
  config.store.kind === 'postgres' ? { kind: 'postgres', url: config.store.url } : { kind: 'embedded', dir: config.store.dir, port: config.store.port, role };

/** Heavy drivers are imported lazily so `caio --help` and `caio config check` stay fast. */
export const openDatabase = async (location: StoreLocation): Promise<Database> => {
  if (location.kind === 'postgres') return openPostgres(location.url, location.schema);
  const { openEmbeddedServer } = await import('./embedded-postgres.js');
  const role = location.role ?? 'command';
  const server = await openEmbeddedServer({ dir: location.dir, role, port: location.port });
  try {
    const database = await openPostgres(server.url, undefined, `caio:${process.pid}:${role}`);
    return {
      db: database.db,
      kind: 'embedded',
      close: async () => {
        try {
          await database.close();
        } finally {
          await server.release();
        }
      },
    };
  } catch (error) {
    await server.release();
    throw error;
  }
};

const openPostgres = async (url: string, schemaName?: string, applicationName = `caio:${process.pid}`): Promise<Database> => {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const options = schemaName ? `-c search_path=${schemaName}` : undefined;

  // Migrate on one connection under an advisory lock, so concurrent starts do not race.
  const migrator = new pg.Client({ connectionString: url, options, application_name: applicationName });
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

  const pool = new pg.Pool({ connectionString: url, options, max: 10, connectionTimeoutMillis: 10_000, application_name: applicationName });
  // An idle connection dropped by a PostgreSQL restart or a network cut emits 'error' on the pool;
  // unheard, it would crash the process. The pool replaces the connection; queries meanwhile fail
  // (jobs retry, /ready reports the database) and succeed again once PostgreSQL is back.
  pool.on('error', () => undefined);
  // A client checked out for a transaction has no pool listener while it is out: its connection
  // killed mid-transaction (a restart, pg_terminate_backend) would emit an unheard 'error' and crash
  // the process. The query in flight rejects on its own; this only keeps the process alive.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle(pool, { schema });
  return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
};

