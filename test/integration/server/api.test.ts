import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { createIncidentStore } from '../../../src/store/incident-repo.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const TOKEN = 'dashboard-token-0123456789';

describe.each(STORE_KINDS)('the dashboard API (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
    const deps = apiDepsOf(h);
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps, sessions: createSessionStore(database.db) }, corsOrigins: ['https://dash.example.com'], metrics: async () => '# TYPE caio_leads gauge\ncaio_leads{status="x"} 1\n' });
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
    const approved = await app.inject({ method: 'POST', url: `/api/emails/${a.draftId}/approve`, headers: auth, payload: { by: 'Dani', subject: 'Edited by a person' } });
    expect(approved.statusCode).toBe(200);
    const editedRows = ((await h.db.execute(sql`select edited_subject from drafts where id = ${a.draftId}::uuid`)) as unknown as { rows: { edited_subject: string }[] }).rows;
    expect(editedRows[0]?.edited_subject).toBe('Edited by a person');
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

  it('leads with filters and a cursor; a bad cursor or limit is 400 naming the parameter', async () => {
    for (let i = 0; i < 5; i++) {
      await h.approvedLead();
      h.clock.advance(1000);
    }
    const first = (await app.inject({ method: 'GET', url: '/api/leads?limit=2', headers: auth })).json() as { leads: { id: string }[]; nextCursor: string | null };
    expect(first.leads).toHaveLength(2);
    const second = (await app.inject({ method: 'GET', url: `/api/leads?limit=2&cursor=${first.nextCursor}`, headers: auth })).json() as { leads: { id: string }[]; nextCursor: string | null };
    const third = (await app.inject({ method: 'GET', url: `/api/leads?limit=2&cursor=${second.nextCursor}`, headers: auth })).json() as { leads: { id: string }[]; nextCursor: string | null };
    const ids = [...first.leads, ...second.leads, ...third.leads].map((l) => l.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.nextCursor).toBeNull();
    const bad = await app.inject({ method: 'GET', url: '/api/leads?cursor=garbage', headers: auth });
    expect([bad.statusCode, (bad.json() as { error: string }).error]).toEqual([400, 'cursor: not a cursor this API gave out']);
    expect(((await app.inject({ method: 'GET', url: '/api/leads?limit=1000', headers: auth })).json() as { error: string }).error).toContain('limit');
    expect(((await app.inject({ method: 'GET', url: '/api/leads?tier=tier_9', headers: auth })).json() as { error: string }).error).toContain('tier');
  });

  it('operator: trigger (dry run by default), the pending batch, approve and reject it, history; cadence and KPI routes answer', async () => {
    await h.approvedLead();
    const dry = (await app.inject({ method: 'POST', url: '/api/operator/trigger', headers: auth, payload: { motion: 'outbound' } })).json() as { mode: string };
    expect(dry.mode).toBe('dry_run');
    expect((await app.inject({ method: 'GET', url: '/api/operator/pending-batch', headers: auth })).json()).toEqual({ status: 'no_pending_batch' });
    const live = (await app.inject({ method: 'POST', url: '/api/operator/trigger', headers: auth, payload: { motion: 'outbound', dry_run: false, by: 'Maya' } })).json() as { pendingBatch: { id: string } };
    const pending = (await app.inject({ method: 'GET', url: '/api/operator/pending-batch', headers: auth })).json() as { id: string; status: string };
    expect(pending).toMatchObject({ id: live.pendingBatch.id, status: 'pending_approval' });
    expect((await app.inject({ method: 'POST', url: `/api/operator/reject-batch/${pending.id}`, headers: auth, payload: { by: 'Sam' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/api/operator/approve-batch/${pending.id}`, headers: auth, payload: { by: 'Sam' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/operator/approve-batch/${pending.id}`, headers: auth, payload: { by: 'Sam' } })).statusCode).toBe(409);
    const run = (await app.inject({ method: 'POST', url: '/api/operator/trigger', headers: auth, payload: { motion: 'outbound', dry_run: false, by: 'Maya', batchId: pending.id } })).json() as { mode: string };
    expect(run.mode).toBe('live');
    expect((await app.inject({ method: 'GET', url: '/api/emails/history?limit=101', headers: auth })).statusCode).toBe(400);
    expect(((await app.inject({ method: 'GET', url: '/api/emails/history', headers: auth })).json() as unknown[]).length).toBeGreaterThan(0);
    // The live run just sent: the KPIs see it at once, per day, per campaign and per angle.
    const kpis = (await app.inject({ method: 'GET', url: '/api/kpis?days=7', headers: auth })).json() as { counts: Record<string, number>; targets: Record<string, number>; perDay: { day: string; counts: Record<string, number> }[]; perCampaign: { counts: Record<string, number> }[]; perAngle: { counts: Record<string, number> }[] };
    expect(kpis.targets).toMatchObject({ bounce: 0.02 });
    expect(kpis.counts.emailSent).toBeGreaterThan(0);
    expect(kpis.perDay).toHaveLength(7);
    expect(kpis.perDay.at(-1)!.counts.emailSent).toBe(kpis.counts.emailSent);
    expect(kpis.perCampaign.reduce((n, c) => n + c.counts.emailSent!, 0)).toBe(kpis.counts.emailSent);
    expect(kpis.perAngle.reduce((n, c) => n + c.counts.emailSent!, 0)).toBe(kpis.counts.emailSent);
    expect((await app.inject({ method: 'GET', url: '/api/kpis?days=0', headers: auth })).json()).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringContaining('days') });
    expect((await app.inject({ method: 'GET', url: '/api/cadence/summary', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/cadence/due', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/cadence/sync', headers: auth })).json()).toEqual({ changed: [] });
    expect((await app.inject({ method: 'POST', url: '/api/leads/detect-decay', headers: auth, payload: { dry_run: true } })).json()).toEqual({ findings: [] });
    expect((await app.inject({ method: 'GET', url: '/api/operator/history', headers: auth })).statusCode).toBe(200);
  });

  it('bootstrap records each accepted send missing from a timeline once; the queue watcher tops up below its low-water mark, once at a time', async () => {
    await h.approvedLead();
    await h.approvedLead();
    const live = (await app.inject({ method: 'POST', url: '/api/operator/trigger', headers: auth, payload: { motion: 'outbound', dry_run: false, by: 'Maya' } })).json() as { pendingBatch: { id: string } };
    await app.inject({ method: 'POST', url: `/api/operator/approve-batch/${live.pendingBatch.id}`, headers: auth, payload: { by: 'Sam' } });
    await app.inject({ method: 'POST', url: '/api/operator/trigger', headers: auth, payload: { motion: 'outbound', dry_run: false, by: 'Maya', batchId: live.pendingBatch.id } });
    const sent = (await h.db.execute(sql`select id, lead_id from outbox where status = 'sent'`)) as unknown as { rows: { id: string; lead_id: string }[] };
    expect(sent.rows.length).toBeGreaterThan(0);
    expect(((await app.inject({ method: 'POST', url: '/api/leads/bootstrap', headers: auth, payload: { dry_run: true } })).json() as { missing: number }).missing).toBe(0);

    // The touch recorder failed after one send: its event (and the KPI count) is missing.
    const gap = sent.rows[0]!;
    await h.db.execute(sql`delete from lead_events where details->>'outboxId' = ${gap.id}`);
    await h.db.execute(sql`delete from lead_milestones where lead_id = ${gap.lead_id}::uuid`);
    const dry = (await app.inject({ method: 'POST', url: '/api/leads/bootstrap', headers: auth, payload: { dry_run: true } })).json() as { missing: number; recorded: number; items: { outboxId: string }[] };
    expect([dry.missing, dry.recorded, dry.items.map((i) => i.outboxId)]).toEqual([1, 0, [gap.id]]);
    expect((await app.inject({ method: 'POST', url: '/api/leads/bootstrap', headers: auth, payload: {} })).json()).toMatchObject({ missing: 1, recorded: 1 });
    expect((await app.inject({ method: 'POST', url: '/api/leads/bootstrap', headers: auth, payload: {} })).json()).toMatchObject({ missing: 0, recorded: 0 });
    const events = (await h.db.execute(sql`select count(*)::int as n from lead_events where details->>'outboxId' = ${gap.id}`)) as unknown as { rows: { n: number }[] };
    expect(Number(events.rows[0]!.n)).toBe(1);
    expect((await app.inject({ method: 'POST', url: '/api/leads/bootstrap', headers: auth, payload: { limit: 0 } })).json()).toMatchObject({ code: 'INVALID_INPUT', error: expect.stringContaining('limit') });

    // Nothing waits for review (both drafts were sent): below the low-water mark of 3, a top-up to 5.
    expect((await app.inject({ method: 'GET', url: '/api/queue-watcher/status', headers: auth })).json()).toEqual({ pending: 0, lowWater: 3, target: 5, everyMinutes: 30, needsTopUp: true });
    const bad = await app.inject({ method: 'POST', url: '/api/queue-watcher/trigger', headers: auth, payload: { force: 'yes' } });
    expect([bad.statusCode, bad.json()]).toEqual([400, { code: 'INVALID_INPUT', error: expect.stringContaining('force') }]);
    expect((await app.inject({ method: 'POST', url: '/api/queue-watcher/trigger', headers: auth, payload: { force: false } })).json()).toMatchObject({ toppedUp: true, requested: 5, ran: 'pipeline', limit: 5 });
    // Another process holds the top-up: this trigger does nothing.
    await h.control.acquireLease('queue-watcher', 'other-server', new Date(h.clock.now().getTime() + 60_000), h.clock.now());
    expect((await app.inject({ method: 'POST', url: '/api/queue-watcher/trigger', headers: auth, payload: {} })).json()).toMatchObject({ toppedUp: false, reason: 'a top-up is already running' });
    await h.control.releaseLease('queue-watcher', 'other-server');
    for (let i = 0; i < 3; i++) {
      const lead = await h.approvedLead();
      await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${lead.draftId}::uuid`);
    }
    expect((await app.inject({ method: 'POST', url: '/api/queue-watcher/trigger', headers: auth, payload: { force: false } })).json()).toMatchObject({ pending: 3, toppedUp: false });
    expect((await app.inject({ method: 'POST', url: '/api/queue-watcher/trigger', headers: auth, payload: { force: true } })).json()).toMatchObject({ pending: 3, toppedUp: true, requested: 2 });
  });

  it('lists open incidents, and shows them on the operator page', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/incidents', headers: auth })).json()).toEqual([]);
    await createIncidentStore(h.db).observe({ key: 'provider:apollo:unavailable', kind: 'breaker_open', title: 'apollo is failing', detail: 'breaker open', since: h.clock.now(), leadsAffected: 0, sendingAffected: false }, 1, h.clock.now());
    expect((await app.inject({ method: 'GET', url: '/api/incidents', headers: auth })).json()).toMatchObject([{ key: 'provider:apollo:unavailable', level: 1, notifiedLevel: 0 }]);
    expect((await app.inject({ method: 'GET', url: '/api/incidents' })).statusCode).toBe(401);
  });

  it('CORS only for listed origins, a correlation id on every answer, and metrics behind the token', async () => {
    const preflight = await app.inject({ method: 'OPTIONS', url: '/api/leads', headers: { origin: 'https://dash.example.com', 'access-control-request-method': 'GET' } });
    expect([preflight.statusCode, preflight.headers['access-control-allow-origin']]).toEqual([204, 'https://dash.example.com']);
    const other = await app.inject({ method: 'GET', url: '/api/leads', headers: { ...auth, origin: 'https://evil.example.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await app.inject({ method: 'GET', url: '/api/runs', headers: { ...auth, 'x-request-id': 'trace-123' } })).headers['x-request-id']).toBe('trace-123');
    expect((await app.inject({ method: 'GET', url: '/api/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body).toContain('caio_http_requests_total');
    const metrics = await app.inject({ method: 'GET', url: '/api/metrics', headers: auth });
    expect(metrics.body).toContain('caio_leads{status="x"} 1');
    expect(metrics.body).toMatch(/caio_http_requests_total\{method="GET",route="\/api\/runs",status="200"\} 1/);
  });

  it('OpenAPI at /api/docs, built from the schemas the routes parse with', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs', headers: auth })).json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; parameters?: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/emails/{id}/reject']?.post?.requestBody?.content['application/json']?.schema.required).toEqual(expect.arrayContaining(['by', 'reason', 'tag']));
    expect(doc.paths['/api/leads']?.get?.parameters?.map((p) => p.name)).toEqual(['limit', 'status', 'tier', 'cursor']);
  });

  it('login: a wrong token is refused, the sixth failure within five minutes is 429 even with the right token; a session reads the API and needs the CSRF token to act', async () => {
    const login = (token: string) => app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(token)}` });
    const ok = await login(TOKEN);
    expect(ok.statusCode).toBe(303);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect(String(ok.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await app.inject({ method: 'GET', url: '/api/runs', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/resume', headers: { cookie }, payload: { by: 'x' } })).statusCode).toBe(403);
    const page = (await app.inject({ method: 'GET', url: '/operator', headers: { cookie } })).body;
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
    expect((await app.inject({ method: 'POST', url: '/api/resume', headers: { cookie, 'x-csrf-token': csrf }, payload: { by: 'x' } })).statusCode).toBe(200);
    // Another server on the same database knows the session (no sticky sessions needed) and the failed logins.
    const other = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db) } });
    try {
      expect((await other.inject({ method: 'GET', url: '/api/runs', headers: { cookie } })).statusCode).toBe(200);
      for (let i = 0; i < 5; i++) expect((await login('wrong-token-000')).statusCode).toBe(401);
      expect((await login(TOKEN)).statusCode).toBe(429);
      expect((await other.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${TOKEN}` })).statusCode).toBe(429);
      // Logging out on one server ends the session on all.
      expect((await other.inject({ method: 'POST', url: '/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${encodeURIComponent(csrf)}` })).statusCode).toBe(303);
      expect((await app.inject({ method: 'GET', url: '/api/runs', headers: { cookie } })).statusCode).toBe(401);
      const stored = (await database.db.execute(sql`select id_hash from dashboard_sessions`)) as unknown as { rows: { id_hash: string }[] };
      expect(stored.rows.every((r) => !cookie.includes(r.id_hash))).toBe(true);
    } finally {
      await other.close();
    }
    expect((await app.inject({ method: 'GET', url: '/sales' })).statusCode).toBe(302);
  });
});
