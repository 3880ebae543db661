import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * The mark of a send goes through `asyncCommitDb` (commits that do not wait for the WAL flush);
 * everything else, the claim included, through `db`, whose commits are durable.
 */
describe('the two pools of a database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => database.close());

  const setting = async (db: Database['db']) => ((await db.execute(sql`show synchronous_commit`)) as { rows: { synchronous_commit: string }[] }).rows[0]!.synchronous_commit;
  const schema = async (db: Database['db']) => ((await db.execute(sql`select current_schema() as s`)) as { rows: { s: string }[] }).rows[0]!.s;

  it('only asyncCommitDb commits without waiting for the flush, and both see the same schema', async () => {
    expect(await setting(database.db)).not.toBe('off');
    expect(await setting(database.asyncCommitDb)).toBe('off');
    expect(await schema(database.asyncCommitDb)).toBe(await schema(database.db));
  });
});
