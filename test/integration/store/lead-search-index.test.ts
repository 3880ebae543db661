import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { createDashboardQueries, LEAD_COMPANY_SEARCH, LEAD_NAME_SEARCH } from '../../../src/store/dashboard-repo.js';
import { openTestDatabase } from '../../support/store.js';

/*
 * The /leads search on names and companies is served by the trigram indexes of migration 0023
 * (a search matching few people read all 100,000 leads before: docs/benchmarks.md). The search's
 * expressions must stay the indexed ones, or the indexes are silently never used.
 */
describe('the /leads search and its trigram indexes', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
    await database.db.execute(sql`insert into leads (email, source, source_id, first_name, last_name, company_name, profile, status, first_run_id, last_run_id)
      select 'p' || g || '@c.example.com', 'import', 's' || g, 'Ann', 'Person' || g, 'Company ' || g, '{}'::jsonb, 'scored', 'test', 'test' from generate_series(1, 300) g`);
    await database.db.execute(sql`insert into leads (email, source, source_id, first_name, last_name, company_name, profile, status, first_run_id, last_run_id)
      values ('k@kowalski.example.com', 'import', 'k1', 'Marta', 'Kowalski', 'Vistula Freight', '{}'::jsonb, 'scored', 'test', 'test')`);
    await database.db.execute(sql`analyze leads`);
  });
  afterAll(async () => {
    await database.close();
  });

  it('finds a rare name or company, and the plan for it can use the trigram indexes', async () => {
    const queries = createDashboardQueries(database.db);
    expect((await queries.leadsSearch({ q: 'kowal', limit: 50 })).leads.map((l) => l.name)).toEqual(['Marta Kowalski']);
    expect((await queries.leadsSearch({ q: 'vistula fr', limit: 50 })).leads.map((l) => l.company)).toEqual(['Vistula Freight']);
    const indexes = ((await database.db.execute(sql`select indexname from pg_indexes where tablename = 'leads' and indexname like '%trgm%' and schemaname = current_schema() order by 1`)) as { rows: { indexname: string }[] }).rows.map(
      (r) => r.indexname,
    );
    expect(indexes).toEqual(['leads_company_trgm_idx', 'leads_name_trgm_idx']);
    // With sequential scans priced out, the search's own expressions must match the indexes.
    const plan = await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const rows = (await tx.execute(sql.raw(`explain select l.id from leads l where ${LEAD_NAME_SEARCH} like '%kowal%' or ${LEAD_COMPANY_SEARCH} like '%kowal%'`))) as { rows: Record<string, string>[] };
      return rows.rows.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toContain('leads_name_trgm_idx');
    expect(plan).toContain('leads_company_trgm_idx');
  });
});
