import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COPY_CHECKS } from '../../../src/domain/quality/copy-checks.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { buildApp } from '../../../src/server/app.js';
import { esc } from '../../../src/server/pages/render.js';
import type { Database } from '../../../src/store/database.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { apiDepsOf } from '../../support/api.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { fakeEnricher, fakeSource, pipelineDeps } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'sales-quality-dashboard-token-0123456789';

/** The review page names every rule the guard recorded, flags included, so a reviewer sees them. */
describe('/sales shows the quality verdict with its rules', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db) } });
    const checks = { ...DEFAULT_COPY_CHECKS, subjectLength: { action: 'flag' as const, maxChars: 10 } };
    const lead = aDiscoveredLead({ profile: aProfile({ email: 'maya@northwind-agency.example.com', title: 'CEO' }) });
    const { deps } = pipelineDeps(h.stores, { source: fakeSource([lead]), enricher: fakeEnricher({}), clock: h.clock, settings: { quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, checks } } });
    await runPipeline(deps, { limit: 5, source: 'fake', seed: null });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  it('lists a flagged copy check on a draft that passed', async () => {
    const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(TOKEN)}` });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const page = await app.inject({ method: 'GET', url: '/sales', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Quality guard: passed (subject_length (flag))');
  });

  it("shows each card's score reasons and the drafts rejected for its lead before, read for all cards at once", async () => {
    const [row] = ((await database.db.execute(sql`select d.id as draft_id, d.lead_id, s.reasons from drafts d join scores s on s.lead_id = d.lead_id limit 1`)) as { rows: { draft_id: string; lead_id: string; reasons: string[] }[] }).rows;
    expect(row!.reasons.length).toBeGreaterThan(0);
    await database.db.execute(
      sql`insert into rejections (lead_id, draft_id, tag, reason, fingerprint, angle_id, subject, rejected_by, rejected_at) values (${row!.lead_id}::uuid, ${row!.draft_id}::uuid, 'too_generic', 'reads like a template', 'fp', 'a', 's', 'Dani', now())`,
    );
    const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(TOKEN)}` });
    const page = await app.inject({ method: 'GET', url: '/sales', headers: { cookie: String(login.headers['set-cookie']).split(';')[0]! } });
    expect(page.body).toContain(`<li>${esc(row!.reasons[0])}</li>`);
    expect(page.body).toContain('rejected before: too_generic (reads like a template)');
  });
});
