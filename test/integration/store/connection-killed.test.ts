import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { testDatabaseUrl } from '../../support/store.js';

/**
 * The attack's crash: PostgreSQL connections terminated while the server held one for a
 * transaction killed the process (an unheard 'error' on a checked-out client). The transaction must
 * fail, the process live on, and the next query succeed on a fresh connection.
 */
describe('a database connection killed mid-transaction', () => {
  let database: Database;
  afterAll(async () => database?.close());

  it('fails that transaction only; the process survives and the pool recovers', async () => {
    database = await openDatabase({ kind: 'postgres', url: testDatabaseUrl() });
    const unhandled: unknown[] = [];
    const onUncaught = (error: unknown) => unhandled.push(error);
    process.on('uncaughtException', onUncaught);
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      const transaction = database.db.transaction(async (tx) => {
        const { rows } = (await tx.execute(sql`select pg_backend_pid() as pid`)) as { rows: { pid: number }[] };
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((r) => setTimeout(r, 200)); // the client sees its connection end while checked out
        await tx.execute(sql`select 1`);
      });
      await expect(transaction).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
      const { rows } = (await database.db.execute(sql`select 1 as one`)) as { rows: { one: number }[] };
      expect(rows[0]!.one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
    }
  });
});
