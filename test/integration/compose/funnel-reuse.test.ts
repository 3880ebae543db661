import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNNEL_FRESH_MS, funnelFor } from '../../../src/compose/learning.js';
import type { Database } from '../../../src/store/database.js';
import { openTestDatabase } from '../../support/store.js';

/*
 * The /kpis funnel is counted at most once a minute per window (a join of the window's leads with
 * four tables costs about 210 ms at 100,000 leads): a load within FUNNEL_FRESH_MS of the app's
 * clock reuses the count, a later one or another window counts again.
 */
describe('the /kpis funnel, reused for a minute', () => {
  let database: Database;
  let now = new Date('2026-12-01T10:00:00Z');
  const clock = { now: () => now };
  const addLead = (n: number) =>
    database.db.execute(sql`insert into leads (email, source, source_id, profile, status, first_run_id, last_run_id, created_at)
      values (${`p${n}@c.example.com`}, 'import', ${`f${n}`}, '{}'::jsonb, 'discovered', 'test', 'test', ${new Date(now.getTime() - 3_600_000)})`);

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('reuses a count for the same window within the minute, counts again after it or for another window', async () => {
    const funnel = funnelFor(database.db, clock);
    const since = () => new Date(now.getTime() - 29 * 86_400_000);
    await addLead(1);
    expect((await funnel(since())).discovered).toBe(1);
    await addLead(2);
    now = new Date(now.getTime() + 20_000);
    // 20 s later, the window's start is still in the same minute: the count is reused.
    expect((await funnel(since())).discovered).toBe(1);
    // Another window counts at once.
    expect((await funnel(new Date(since().getTime() - 86_400_000))).discovered).toBe(2);
    now = new Date(now.getTime() + FUNNEL_FRESH_MS);
    expect((await funnel(since())).discovered).toBe(2);
  });
});
