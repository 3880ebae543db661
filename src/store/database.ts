import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';
import type { EmbeddedRole } from './embedded-postgres.js';
import type { Queryable } from './inbox-group-commit.js';
import type { Config } from '../config/load.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query surface; repositories accept either. */
export type DbOrTx = Db;

export type Database = {
  db: Db;
  /** `embedded`: the PostgreSQL server in `<data-dir>/pg` (see embedded-postgres.ts); `postgres`: DATABASE_URL. */
  kind: 'embedded' | 'postgres';
  /** The driver's pool, for the few statements written below drizzle (the inbox's group commit, prepared once per connection). */
  pool: Queryable;
  /**
   * The same database through a small pool whose commits do not wait for the WAL flush
   * (`synchronous_commit = off`): only for a write that a crash of PostgreSQL may lose because
   * something durable restores it. The mark of a send is the one user: its claim is durable, so a
   * lost mark leaves the item claimed, and the reconcile asks the provider before anything is sent
   * again (docs/benchmarks.md, "Dispatch: commits that do not wait"). Everything else uses `db`.
   */
  asyncCommitDb: Db;
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
      pool: database.pool,
      asyncCommitDb: database.asyncCommitDb,
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

/** The newest migration's timestamp in the journal (drizzle records it as `created_at` once applied). */
let latestMigration: number | undefined;
const latestMigrationAt = (): number => {
  if (latestMigration === undefined) {
    const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
    latestMigration = Math.max(...journal.entries.map((e) => e.when));
  }
  return latestMigration;
};

const openPostgres = async (url: string, schemaName?: string, applicationName = `caio:${process.pid}`): Promise<Database> => {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  // jit=off: an OLTP app's statements are short, and PostgreSQL compiles a plan whose estimate is
  // high (an unanalysed table, a subquery per row) for 100-250 ms before running it in 1 ms: an
  // empty /replies took 300 ms at 100,000 leads, all of it JIT.
  const options = ['-c jit=off', ...(schemaName ? [`-c search_path=${schemaName}`] : [])].join(' ');
  const pool = new pg.Pool({ connectionString: url, options, max: 10, connectionTimeoutMillis: 10_000, application_name: applicationName });
  // An idle connection dropped by a PostgreSQL restart or a network cut emits 'error' on the pool;
  // unheard, it would crash the process. The pool replaces the connection; queries meanwhile fail
  // (jobs retry, /ready reports the database) and succeed again once PostgreSQL is back.
  pool.on('error', () => undefined);
  // A client checked out for a transaction has no pool listener while it is out: its connection
  // killed mid-transaction (a restart, pg_terminate_backend) would emit an unheard 'error' and crash
  // the process. The query in flight rejects on its own; this only keeps the process alive.
  pool.on('connect', (client) => client.on('error', () => undefined));

  // One connection checks the schema and, only when a migration is missing, migrates under an
  // advisory lock (so concurrent starts do not race); it then serves the pool. A command run beside
  // the server (`caio leads list`) pays one read, not a second connection and the migrator.
  const client = await pool.connect();
  try {
    const migrations = `"${schemaName ?? 'drizzle'}"."__drizzle_migrations"`;
    const applied = await client.query<{ last: string | null }>(`select max(created_at)::text as last from ${migrations}`).then(
      (r) => Number(r.rows[0]?.last ?? 0),
      () => 0,
    );
    if (applied < latestMigrationAt()) {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      if (schemaName) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schemaName}"`);
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder: migrationsFolder(), ...(schemaName ? { migrationsSchema: schemaName } : {}) });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    }
  } catch (error) {
    client.release(true);
    await pool.end();
    throw error;
  }
  client.release();

  const db = drizzle(pool, { schema });
  // Opens its connections on first use (a process that sends nothing opens none).
  const asyncCommitPool = new pg.Pool({ connectionString: url, options: `${options} -c synchronous_commit=off`, max: 4, connectionTimeoutMillis: 10_000, application_name: `${applicationName}:marks` });
  asyncCommitPool.on('error', () => undefined);
  asyncCommitPool.on('connect', (c) => c.on('error', () => undefined));
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    pool: pool as unknown as Queryable,
    asyncCommitDb: drizzle(asyncCommitPool, { schema }) as unknown as Db,
    close: async () => {
      await Promise.all([pool.end(), asyncCommitPool.end()]);
    },
  };
};
