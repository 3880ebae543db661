import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { openApp, openProviders } from '../../../src/deps.js';
import { emptyLead } from '../../../src/domain/lead.js';
import type { Database } from '../../../src/store/database.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const lead = (slug: string) => {
  const profile = emptyLead({ firstName: 'Priya', lastName: `Natarajan${slug}`, linkedinUrl: `https://www.linkedin.com/in/example-clay-${slug}/` });
  profile.company.name = 'Lumen Logistics';
  profile.company.domain = 'lumen-logistics.example.com';
  return { source: 'apollo_search', sourceId: `src-${slug}`, profile, runId: 'run_clay_route' };
};

/**
 * `caio pipeline run` with Clay on serves Clay's callback for the length of the run through the
 * server's own app (buildApp with only the callback route), as the production wiring builds it.
 */
describe("the pipeline's Clay step", () => {
  let database: Database;
  let closers: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    for (const close of closers.reverse()) await close();
    closers = [];
    await database.close();
  });

  it("receives Clay's callbacks on the server's app and hands them to the waiting enricher", async () => {
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: {}, values: { providers: 'sandbox', betterContact: { enabled: false }, clay: { enabled: true } } });
    const app = await openApp(config, { database, log: silentLog });
    closers.push(() => app.close());
    const providers = await openProviders(app, { source: 'apollo', seed: 1 });
    closers.push(() => providers.close());
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((slug) => providers.enricher.enrich(lead(slug))));
    const matched = outcomes.filter((o) => o.outcome === 'matched');
    expect(matched.length).toBeGreaterThan(0);
    for (const o of matched) if (o.outcome === 'matched') expect(o.profile.provenance.email).toBe('clay');
    const [row] = ((await database.db.execute(sql`select count(*)::int as n from clay_callbacks`)) as { rows: { n: number }[] }).rows;
    expect(row!.n).toBeGreaterThanOrEqual(matched.length);
  });
});
