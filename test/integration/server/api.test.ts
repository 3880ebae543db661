import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../../src/domain/drafting/index.js';
import { createReviewService } from '../../../src/pipeline/review-draft.js';
import { buildApp } from '../../../src/server/app.js';
import type { ApiDeps } from '../../../src/server/api/routes.js';
import type { Database } from '../../../src/store/database.js';
import { createReviewStore } from '../../../src/store/review-repo.js';
import { createTimelineQuery } from '../../../src/store/timeline-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const TOKEN = 'dashboard-token-0123456789';

describe.each(STORE_KINDS)('the dashboard API (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
    const db = database.db;
    const deps: ApiDeps = {
      review: createReviewService({ review: createReviewStore(db), audit: h.stores.audit, clock: h.clock, sender: SENDER, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } }),
      runs: h.stores.runs,
      leadDetail: h.stores.leadDetail,
      timeline: (leadId, limit) => createTimelineQuery(db).forLead(leadId, limit),
      statusCounts: async () => Object.fromEntries(((await db.execute(sql`select status, count(*)::int as n from leads group by status`)) as unknown as { rows: { status: string; n: number }[] }).rows.map((r) => [r.status, Number(r.n)])),
      operatorStatus: async () => ({ ok: true }),
      operator: h.operator,
    };
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps } });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  const auth = { 'x-dashboard-token': TOKEN };

  it('every /api route needs the token (header or bearer); a refusal is 401 with no data; a preflight passes', async () => {
    for (const url of ['/api/pending-emails', '/api/leads/funnel', '/api/runs', '/api/rejection-tags', '/api/operator/status']) {
      const none = await app.inject({ method: 'GET', url });
      expect([url, none.statusCode, none.json()]).toEqual([url, 401, { error: 'unauthorized', code: 'UNAUTHORIZED' }]);
      expect((await app.inject({ method: 'GET', url, headers: { 'x-dashboard-token': 'wrong' } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url, headers: auth })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
    }
    expect((await app.inject({ method: 'OPTIONS', url: '/api/pending-emails' })).statusCode).not.toBe(401);
  });

  it('the review queue: list, approve with an edit, reject with a tag; a stale decision is 409, an unknown id 404, a bad body 400', async () => {
    const a = await h.approvedLead();
    await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${a.draftId}::uuid`);
    const b = await h.approvedLead();
    await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${b.draftId}::uuid`);
    const queue = (await app.inject({ method: 'GET', url: '/api/pending-emails?limit=10', headers: auth })).json() as { draftId?: string; id?: string }[];
    expect(queue.map((d) => d.draftId ?? d.id).sort()).toEqual([a.draftId, b.draftId].sort());
    expect((await app.inject({ method: 'GET', url: '/api/pending-emails?limit=0', headers: auth })).json()).toMatchObject({ code: 'INVALID_INPUT' });
    const approved = await app.inject({ method: 'POST', url: `/api/emails/${a.draftId}/approve`, headers: auth, payload: { by: 'Dani' } });
    expect(approved.statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/emails/${a.draftId}/approve`, headers: auth, payload: { by: 'Dani' } })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: `/api/emails/${b.draftId}/reject`, headers: auth, payload: { by: 'Dani', reason: 'too generic' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/api/emails/${b.draftId}/reject`, headers: auth, payload: { by: 'Dani', reason: 'too generic', tag: 'not-a-tag' } })).statusCode).toBe(400);
    const tag = ((await app.inject({ method: 'GET', url: '/api/rejection-tags', headers: auth })).json() as { id: string }[])[0]!.id;
    expect((await app.inject({ method: 'POST', url: `/api/emails/${b.draftId}/reject`, headers: auth, payload: { by: 'Dani', reason: 'too generic', tag } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/emails/00000000-0000-4000-8000-000000000000/approve', headers: auth, payload: { by: 'Dani' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/api/emails/${a.draftId}/approve`, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"by": ' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/api/emails/${a.draftId}/approve`, headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ by: 'x', pad: 'x'.repeat(70 * 1024) }) })).statusCode).toBe(413);
  });

  it('the funnel, a lead timeline, runs, and the emergency stop refusing dispatch', async () => {
    const a = await h.approvedLead();
    const funnel = (await app.inject({ method: 'GET', url: '/api/leads/funnel', headers: auth })).json() as { stages: { stage: string; count: number }[] };
    expect(funnel.stages.map((s) => s.stage)).toEqual(['Pipeline', 'Outreach', 'Engaged', 'At risk', 'Terminal']);
    expect(funnel.stages.reduce((n, s) => n + s.count, 0)).toBeGreaterThanOrEqual(1);
    const timeline = (await app.inject({ method: 'GET', url: `/api/leads/${encodeURIComponent(a.email)}/timeline`, headers: auth })).json() as { timeline: { type: string }[] };
    expect(timeline.timeline.some((e) => e.type === 'drafted')).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/api/leads/nobody%40x.example.com/timeline', headers: auth })).statusCode).toBe(404);
    const runs = (await app.inject({ method: 'GET', url: '/api/runs', headers: auth })).json() as { runId: string }[];
    expect(runs.length).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: `/api/runs/${runs[0]!.runId}`, headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/runs/run_nope', headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/emergency-stop', headers: auth, payload: { by: 'Maya' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/emergency-stop', headers: auth, payload: { by: 'Maya', reason: 'complaint' } })).statusCode).toBe(200);
    const batch = await h.approvedBatch();
    await expect(h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })).rejects.toMatchObject({ code: 'EMERGENCY_STOP' });
    expect((await app.inject({ method: 'POST', url: '/api/resume', headers: auth, payload: { by: 'Maya' } })).statusCode).toBe(200);
    expect((await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })).drain.counts.sent).toBeGreaterThan(0);
  });
});
