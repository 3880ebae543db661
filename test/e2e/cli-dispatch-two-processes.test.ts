import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApolloSandbox } from '../../src/providers/sandbox/apollo/index.js';
import { startInstantlySandbox } from '../../src/providers/sandbox/instantly/server.js';
import { runCliInProcess, spawnCli, tempWorkdir } from '../support/cli.js';
import { freshPostgresDatabase } from '../support/postgres.js';

const DATABASE_URL = process.env.DATABASE_URL;

/**
 * Two `caio dispatch --live --batch ID` processes started at the same instant, on one PostgreSQL,
 * against one Instantly (a loopback sandbox this test owns, so it counts every call of both).
 * DATABASE_URL is the run's PostgreSQL (the embedded one the global setup starts, or CI's).
 */
describe.skipIf(!DATABASE_URL)('two processes dispatching one batch (PostgreSQL)', () => {
  const work = tempWorkdir();
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>> | null = null;
  let url = '';
  let closeSandboxes: () => Promise<void> = async () => {};
  let instantly: Awaited<ReturnType<typeof startInstantlySandbox>>;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    database = await freshPostgresDatabase(DATABASE_URL!, 'caio_e2e');
    url = database.url;
    const apollo = await startApolloSandbox({ apiKey: 'apollo-e2e-key', count: 60, rateLimitPerMinute: 100_000 });
    instantly = await startInstantlySandbox({ apiKey: 'instantly-e2e-key' });
    closeSandboxes = async () => {
      await apollo.close();
      await instantly.close();
    };
    writeFileSync(
      path.join(work.dir, 'caio.json'),
      JSON.stringify({
        providers: 'live',
        send: 'live',
        // The sandbox allows any rate; at the client's default (50 calls a minute) the run alone took 27 s.
        apollo: { baseUrl: apollo.url, rateLimitPerMinute: 100_000 },
        betterContact: { enabled: false },
        instantly: { baseUrl: instantly.url },
        ramp: { enabled: false },
        tierRouting: { tier_1: ['instantly'], tier_2: ['instantly'], tier_3: ['instantly'], tier_4: [] },
        limits: { maxLeadsPerDomainPerBatch: 1000, emailDailyLimit: 1000, emailHourlyLimit: 1000, perDomainHourlyLimit: 1000 },
      }),
    );
    env = { DATABASE_URL: url, APOLLO_API_KEY: 'apollo-e2e-key', INSTANTLY_API_KEY: 'instantly-e2e-key', CAIO_CONFIG: 'caio.json' };
  }, 60_000);

  afterAll(async () => {
    await closeSandboxes();
    await database?.drop();
    work.cleanup();
  });

  it('each lead reaches Instantly exactly once; the second process is refused or finds nothing to do', async () => {
    // The batch is prepared in-process (the production CLI, on the same DATABASE_URL); the two
    // dispatches are separate processes.
    const run = await runCliInProcess(['pipeline', 'run', '--limit', '20', '--json'], { cwd: work.dir, env });
    expect(run.code, run.stderr).toBe(0);
    const drafts = JSON.parse((await runCliInProcess(['review', 'list', '--json'], { cwd: work.dir, env })).stdout) as { id?: string; draftId?: string }[] | { drafts: { id: string }[] };
    const ids = (Array.isArray(drafts) ? drafts : drafts.drafts).map((d) => (d as { id?: string; draftId?: string }).id ?? (d as { draftId: string }).draftId);
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) expect((await runCliInProcess(['review', 'approve', id, '--by', 'Dani'], { cwd: work.dir, env })).code).toBe(0);
    const batch = JSON.parse((await runCliInProcess(['batch', 'create', '--motion', 'outbound', '--by', 'Dani', '--json'], { cwd: work.dir, env })).stdout) as { id: string; scope: unknown[] };
    expect((await runCliInProcess(['batch', 'approve', batch.id, '--by', 'Sam'], { cwd: work.dir, env })).code).toBe(0);

    const both = await Promise.all([0, 1].map((i) => spawnCli(['dispatch', '--motion', 'outbound', '--live', '--batch', batch.id, '--by', `proc-${i}`, '--json'], { cwd: work.dir, env })));
    const ok = both.filter((r) => r.code === 0);
    expect(ok).toHaveLength(1);
    expect(both.find((r) => r.code !== 0)?.stderr).toMatch(/already running|already executed|another decision came first/);
    const leads = instantly
      .campaigns()
      .flatMap((c) => instantly.leadsOf(c.id))
      .map((l) => String(l.email));
    expect(leads.length).toBe(batch.scope.length);
    expect(new Set(leads).size).toBe(leads.length);
    expect(instantly.stats.bulkAddCalls).toBe(batch.scope.length);
  }, 120_000);
});
