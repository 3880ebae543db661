import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import { FUNNEL_STAGES } from '../../../src/server/api/routes.js';
import { LEAD_STATUSES } from '../../../src/domain/signals/lead-status.js';
import { FileConfigSchema } from '../../../src/config/schema.js';
import { operatorStatus } from '../../../src/dispatch/operator-status.js';
import { operatorStatusStoresOn } from '../../../src/compose/operator.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { createIncidentStore } from '../../../src/store/incident-repo.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { apiClient, type ApiClient } from '../../support/api-client.js';
import type { components } from '../../support/api-types.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const TOKEN = 'dashboard-token-0123456789';
const CONFIG = FileConfigSchema.parse({});
type Schemas = components['schemas'];

/** The status of an answer of the typed client. */
const status = async (call: Promise<{ response: Response }>) => (await call).response.status;
/** A typed answer's body on 200, failing the test on anything else. */
const ok = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  const { data, error, response } = await call;
  expect([response.status, error]).toEqual([200, undefined]);
  return data as T;
};
/** A refusal's body (the Error schema: `{error, code}`) and status. */
const refused = async (call: Promise<{ error?: unknown; response: Response }>) => {
  const { error, response } = await call;
  return { status: response.status, ...(error as Schemas['Error']) };
};
/** The OPERATOR's report (a worker's queued job is the other documented answer; none here). */
const report = (answer: Schemas['DispatchReport'] | Schemas['DispatchQueued']): Schemas['DispatchReport'] => {
  if (!('mode' in answer)) throw new Error(`a queued dispatch: ${JSON.stringify(answer)}`);
  return answer;
};

/*
 * Every call goes through the typed client generated from the OpenAPI document (support/api-client.ts,
 * support/api-types.ts), which checks each answer against the document. Raw `app.inject` remains only
 * where a test sends what the document rules out on purpose (no token, a wrong one, a body outside the
 * schema, bad JSON, an oversized body) or calls what is not part of the API (pages, metrics, preflights).
 */

describe.each(STORE_KINDS)('the dashboard API (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let api: ApiClient;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
    // The real operator status (the harness's is a stand-in), so that its answer is checked against the document too.
    const deps = apiDepsOf(h, {
      operatorStatus: () =>
        operatorStatus(
          operatorStatusStoresOn(h.db),
          {
            send: CONFIG.send,
            envEmergencyStop: false,
            limits: CONFIG.limits,
            linkedinWarmup: { warmupStart: CONFIG.limits.linkedinWarmupStart, warmupWeeks: CONFIG.limits.linkedinWarmupWeeks, warmupDailyLimit: CONFIG.limits.linkedinWarmupDailyLimit, fullDailyLimit: CONFIG.limits.linkedinFullDailyLimit },
            ramp: CONFIG.ramp,
          },
          h.clock.now(),
        ),
    });
    app = buildApp({
      routes: { post: {}, get: {} },
      maxBodyBytes: 64 * 1024,
      api: { token: TOKEN, deps, sessions: createSessionStore(database.db) },
      corsOrigins: ['https://dash.example.com'],
      metrics: async () => '# TYPE caio_leads gauge\ncaio_leads{status="x"} 1\n',
    });
    api = apiClient(app, TOKEN);
  });
  afterEach(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  const auth = { 'x-dashboard-token': TOKEN };

  it('every /api route needs the token (header or bearer); a refusal is 401 with no data; a preflight passes', async () => {
    const bearer = apiClient(app, null);
    for (const url of ['/api/pending-emails', '/api/leads/funnel', '/api/runs', '/api/rejection-tags', '/api/operator/status'] as const) {
      // No token, then a wrong one: requests the document rules out, sent raw.
      const none = await app.inject({ method: 'GET', url });
      expect([url, none.statusCode, none.json()]).toEqual([url, 401, { error: 'unauthorized', code: 'UNAUTHORIZED' }]);
      expect((await app.inject({ method: 'GET', url, headers: { 'x-dashboard-token': 'wrong' } })).statusCode).toBe(401);
      expect([url, await status(api.GET(url))]).toEqual([url, 200]);
      expect([url, await status(bearer.GET(url, { headers: { authorization: `Bearer ${TOKEN}` } }))]).toEqual([url, 200]);
    }
    expect((await app.inject({ method: 'OPTIONS', url: '/api/pending-emails' })).statusCode).not.toBe(401);
  });

  it('the review queue: list, approve with an edit, reject with a tag; a stale decision is 409, an unknown id 404, a bad body 400', async () => {
    const a = await h.approvedLead();
    await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${a.draftId}::uuid`);
    const b = await h.approvedLead();
    await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${b.draftId}::uuid`);
    const queue = await ok(api.GET('/api/pending-emails', { params: { query: { limit: 10 } } }));
    expect(queue.map((d) => d.id).sort()).toEqual([a.draftId, b.draftId].sort());
    expect(await refused(api.GET('/api/pending-emails', { params: { query: { limit: 0 } } }))).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    const approved = await ok(api.POST('/api/emails/{id}/approve', { params: { path: { id: a.draftId } }, body: { by: 'Dani', subject: 'Edited by a person' } }));
    expect([approved.status, approved.editedSubject, approved.decidedBy]).toEqual(['approved', 'Edited by a person', 'Dani']);
    const editedRows = ((await h.db.execute(sql`select edited_subject from drafts where id = ${a.draftId}::uuid`)) as { rows: { edited_subject: string }[] }).rows;
    expect(editedRows[0]?.edited_subject).toBe('Edited by a person');
    expect(await refused(api.POST('/api/emails/{id}/approve', { params: { path: { id: a.draftId } }, body: { by: 'Dani' } }))).toMatchObject({ status: 409, code: 'CONFLICT' });
    // A rejection without its tag: a body outside the documented schema, sent raw.
    expect((await app.inject({ method: 'POST', url: `/api/emails/${b.draftId}/reject`, headers: auth, payload: { by: 'Dani', reason: 'too generic' } })).statusCode).toBe(400);
    expect(await refused(api.POST('/api/emails/{id}/reject', { params: { path: { id: b.draftId } }, body: { by: 'Dani', reason: 'too generic', tag: 'not-a-tag' } }))).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    const tag = (await ok(api.GET('/api/rejection-tags')))[0]!.id;
    expect((await ok(api.POST('/api/emails/{id}/reject', { params: { path: { id: b.draftId } }, body: { by: 'Dani', reason: 'too generic', tag } }))).status).toBe('rejected');
    expect(await refused(api.POST('/api/emails/{id}/approve', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } }, body: { by: 'Dani' } }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    // Bad JSON and an oversized body: malformed requests, sent raw.
    expect((await app.inject({ method: 'POST', url: `/api/emails/${a.draftId}/approve`, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"by": ' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/api/emails/${a.draftId}/approve`, headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ by: 'x', pad: 'x'.repeat(70 * 1024) }) })).statusCode).toBe(413);
  });

  it('the funnel, a lead timeline, runs, and the emergency stop refusing dispatch', async () => {
    const a = await h.approvedLead();
    const funnel = await ok(api.GET('/api/leads/funnel'));
    expect(funnel.stages.map((s) => s.stage)).toEqual(['Pipeline', 'Outreach', 'Engaged', 'At risk', 'Terminal']);
    expect(funnel.stages.reduce((n, s) => n + s.count, 0)).toBeGreaterThanOrEqual(1);
    // Only contacted leads count past Pipeline: a CRM re-contact candidate was never contacted (issue 21 item 7).
    const stageOf = async () => Object.fromEntries((await ok(api.GET('/api/leads/funnel'))).stages.map((s) => [s.stage, s.count]));
    const before = await stageOf();
    await h.db.execute(sql`update leads set status = 'revival_candidate' where id = ${a.leadId}::uuid`);
    expect(await stageOf()).toEqual(before);
    await h.db.execute(sql`update leads set status = 'sent' where id = ${a.leadId}::uuid`);
    expect((await stageOf()).Outreach).toBe(before.Outreach! + 1);
    expect(Object.values(FUNNEL_STAGES).flat().sort()).toEqual([...LEAD_STATUSES].sort());
    const timeline = await ok(api.GET('/api/leads/{email}/timeline', { params: { path: { email: a.email } } }));
    expect(timeline.timeline.some((e) => e.type === 'drafted')).toBe(true);
    expect(await refused(api.GET('/api/leads/{email}/timeline', { params: { path: { email: 'nobody@x.example.com' } } }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const runs = await ok(api.GET('/api/runs'));
    expect(runs.length).toBeGreaterThan(0);
    expect((await ok(api.GET('/api/runs/{id}', { params: { path: { id: runs[0]!.runId } } }))).runId).toBe(runs[0]!.runId);
    expect(await refused(api.GET('/api/runs/{id}', { params: { path: { id: 'run_nope' } } }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    // A stop without saying who: a body outside the documented schema, sent raw. (Without a reason is allowed: review-undo.test.ts.)
    expect((await app.inject({ method: 'POST', url: '/api/emergency-stop', headers: auth, payload: { reason: 'complaint' } })).statusCode).toBe(400);
    expect(await status(api.POST('/api/emergency-stop', { body: { by: 'Maya', reason: 'complaint' } }))).toBe(200);
    const batch = await h.approvedBatch();
    await expect(h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })).rejects.toMatchObject({ code: 'EMERGENCY_STOP' });
    expect(await status(api.POST('/api/resume', { body: { by: 'Maya' } }))).toBe(200);
    expect((await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })).drain.counts.sent).toBeGreaterThan(0);
  });

  it('leads with filters and a cursor; a bad cursor or limit is 400 naming the parameter', async () => {
    for (let i = 0; i < 5; i++) {
      await h.approvedLead();
      h.clock.advance(1000);
    }
    const first = await ok(api.GET('/api/leads', { params: { query: { limit: 2 } } }));
    expect(first.leads).toHaveLength(2);
    const second = await ok(api.GET('/api/leads', { params: { query: { limit: 2, cursor: first.nextCursor! } } }));
    const third = await ok(api.GET('/api/leads', { params: { query: { limit: 2, cursor: second.nextCursor! } } }));
    const ids = [...first.leads, ...second.leads, ...third.leads].map((l) => l.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.nextCursor).toBeNull();
    const bad = await refused(api.GET('/api/leads', { params: { query: { cursor: 'garbage' } } }));
    expect([bad.status, bad.error]).toEqual([400, 'cursor: not a cursor this API gave out']);
    expect((await refused(api.GET('/api/leads', { params: { query: { limit: 1000 } } }))).error).toContain('limit');
    // A tier outside the documented enum, sent raw.
    expect((await app.inject({ method: 'GET', url: '/api/leads?tier=tier_9', headers: auth })).json<{ error: string }>().error).toContain('tier');
  });

  it('operator: trigger (dry run by default), the pending batch, approve and reject it, history; cadence and KPI routes answer', async () => {
    await h.approvedLead();
    const dry = report(await ok(api.POST('/api/operator/trigger', { body: { motion: 'outbound' } })));
    expect(dry.mode).toBe('dry_run');
    expect(await ok(api.GET('/api/operator/pending-batch'))).toEqual({ status: 'no_pending_batch' });
    const live = report(await ok(api.POST('/api/operator/trigger', { body: { motion: 'outbound', dry_run: false, by: 'Maya' } })));
    const pending = await ok(api.GET('/api/operator/pending-batch'));
    if (!('id' in pending)) throw new Error('no pending batch');
    expect(pending).toMatchObject({ id: live.pendingBatch!.id, status: 'pending_approval' });
    // A batch rejection without its reason: a body outside the documented schema, sent raw.
    expect((await app.inject({ method: 'POST', url: `/api/operator/reject-batch/${pending.id}`, headers: auth, payload: { by: 'Sam' } })).statusCode).toBe(400);
    expect((await ok(api.POST('/api/operator/approve-batch/{id}', { params: { path: { id: pending.id } }, body: { by: 'Sam' } }))).status).toBe('approved');
    expect(await refused(api.POST('/api/operator/approve-batch/{id}', { params: { path: { id: pending.id } }, body: { by: 'Sam' } }))).toMatchObject({ status: 409, code: 'CONFLICT' });
    const run = report(await ok(api.POST('/api/operator/trigger', { body: { motion: 'outbound', dry_run: false, by: 'Maya', batchId: pending.id } })));
    expect(run.mode).toBe('live');
    expect(await status(api.GET('/api/emails/history', { params: { query: { limit: 101 } } }))).toBe(400);
    expect((await ok(api.GET('/api/emails/history'))).length).toBeGreaterThan(0);
    // The live run just sent: the KPIs see it at once, per day, per campaign and per angle.
    const kpis = await ok(api.GET('/api/kpis', { params: { query: { days: 7 } } }));
    expect(kpis.targets).toMatchObject({ bounce: 0.02 });
    expect(kpis.counts.emailSent).toBeGreaterThan(0);
    expect(kpis.perDay).toHaveLength(7);
    // Issue 17: the reply-to-meeting rate travels with its counts (nobody replied here: no rate).
    expect([kpis.counts.meetingsBooked, kpis.rates.replyToMeeting]).toEqual([0, kpis.counts.emailReplied + kpis.counts.linkedinReplied > 0 ? 0 : null]);
    expect(kpis.perDay.at(-1)!.counts.emailSent).toBe(kpis.counts.emailSent);
    expect(kpis.perCampaign.reduce((n, c) => n + c.counts.emailSent, 0)).toBe(kpis.counts.emailSent);
    expect(kpis.perAngle.reduce((n, c) => n + c.counts.emailSent, 0)).toBe(kpis.counts.emailSent);
    expect(await refused(api.GET('/api/kpis', { params: { query: { days: 0 } } }))).toMatchObject({ status: 400, code: 'INVALID_INPUT', error: expect.stringContaining('days') });
    expect(await status(api.GET('/api/cadence/summary'))).toBe(200);
    expect(await status(api.GET('/api/cadence/due'))).toBe(200);
    expect(await ok(api.POST('/api/cadence/sync'))).toEqual({ changed: [] });
    expect(await ok(api.POST('/api/leads/detect-decay', { body: { dry_run: true } }))).toEqual({ findings: [] });
    expect((await ok(api.GET('/api/operator/history'))).map((b) => b.status)).toEqual(['executed']);
    // The live run created today's Instantly campaign as a draft: only a person starts it.
    const [draft] = (await ok(api.GET('/api/campaigns'))).filter((c) => c.provider === 'instantly');
    expect(draft).toMatchObject({ status: 'draft', activatedBy: null });
    expect(await refused(api.POST('/api/campaigns/{externalId}/activate', { params: { path: { externalId: 'no-such-campaign' } }, body: { by: 'Sam' } }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const activated = await ok(api.POST('/api/campaigns/{externalId}/activate', { params: { path: { externalId: draft!.externalId } }, body: { by: 'Sam' } }));
    expect(activated).toMatchObject({ externalId: draft!.externalId, status: 'active', activatedBy: 'Sam' });
    expect(await refused(api.POST('/api/campaigns/{externalId}/activate', { params: { path: { externalId: draft!.externalId } }, body: { by: 'Sam' } }))).toMatchObject({ status: 409 });
  });

  it('bootstrap records each accepted send missing from a timeline once; the queue watcher tops up below its low-water mark, once at a time', async () => {
    await h.approvedLead();
    await h.approvedLead();
    const batch = report(await ok(api.POST('/api/operator/trigger', { body: { motion: 'outbound', dry_run: false, by: 'Maya' } }))).pendingBatch!;
    await ok(api.POST('/api/operator/approve-batch/{id}', { params: { path: { id: batch.id } }, body: { by: 'Sam' } }));
    await ok(api.POST('/api/operator/trigger', { body: { motion: 'outbound', dry_run: false, by: 'Maya', batchId: batch.id } }));
    const sent = (await h.db.execute(sql`select id, lead_id from outbox where status = 'sent'`)) as { rows: { id: string; lead_id: string }[] };
    expect(sent.rows.length).toBeGreaterThan(0);
    expect((await ok(api.POST('/api/leads/bootstrap', { body: { dry_run: true } }))).missing).toBe(0);

    // The touch recorder failed after one send: its event (and the KPI count) is missing.
    const gap = sent.rows[0]!;
    await h.db.execute(sql`delete from lead_events where details->>'outboxId' = ${gap.id}`);
    await h.db.execute(sql`delete from lead_milestones where lead_id = ${gap.lead_id}::uuid`);
    const dry = await ok(api.POST('/api/leads/bootstrap', { body: { dry_run: true } }));
    expect([dry.missing, dry.recorded, dry.items.map((i) => i.outboxId)]).toEqual([1, 0, [gap.id]]);
    expect(await ok(api.POST('/api/leads/bootstrap', { body: {} }))).toMatchObject({ missing: 1, recorded: 1 });
    expect(await ok(api.POST('/api/leads/bootstrap', { body: {} }))).toMatchObject({ missing: 0, recorded: 0 });
    const events = (await h.db.execute(sql`select count(*)::int as n from lead_events where details->>'outboxId' = ${gap.id}`)) as { rows: { n: number }[] };
    expect(Number(events.rows[0]!.n)).toBe(1);
    expect(await refused(api.POST('/api/leads/bootstrap', { body: { limit: 0 } }))).toMatchObject({ status: 400, code: 'INVALID_INPUT', error: expect.stringContaining('limit') });

    // Nothing waits for review (both drafts were sent): below the low-water mark of 3, a top-up to 5.
    expect(await ok(api.GET('/api/queue-watcher/status'))).toEqual({ pending: 0, lowWater: 3, target: 5, everyMinutes: 30, needsTopUp: true });
    // `force` that is not a boolean: a body outside the documented schema, sent raw.
    const bad = await app.inject({ method: 'POST', url: '/api/queue-watcher/trigger', headers: auth, payload: { force: 'yes' } });
    expect([bad.statusCode, bad.json()]).toEqual([400, { code: 'INVALID_INPUT', error: expect.stringContaining('force') }]);
    expect(await ok(api.POST('/api/queue-watcher/trigger', { body: { force: false } }))).toMatchObject({ toppedUp: true, requested: 5, ran: 'pipeline', limit: 5 });
    // Another process holds the top-up: this trigger does nothing.
    await h.control.acquireLease('queue-watcher', 'other-server', new Date(h.clock.now().getTime() + 60_000), h.clock.now());
    expect(await ok(api.POST('/api/queue-watcher/trigger', { body: {} }))).toMatchObject({ toppedUp: false, reason: 'a top-up is already running' });
    await h.control.releaseLease('queue-watcher', 'other-server');
    for (let i = 0; i < 3; i++) {
      const lead = await h.approvedLead();
      await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${lead.draftId}::uuid`);
    }
    expect(await ok(api.POST('/api/queue-watcher/trigger', { body: { force: false } }))).toMatchObject({ pending: 3, toppedUp: false });
    expect(await ok(api.POST('/api/queue-watcher/trigger', { body: { force: true } }))).toMatchObject({ pending: 3, toppedUp: true, requested: 2 });
  });

  it('lists open incidents, and shows them on the operator page', async () => {
    expect(await ok(api.GET('/api/incidents'))).toEqual([]);
    await createIncidentStore(h.db).observe({ key: 'provider:apollo:unavailable', kind: 'breaker_open', title: 'apollo is failing', detail: 'breaker open', since: h.clock.now(), leadsAffected: 0, sendingAffected: false }, 1, h.clock.now());
    expect(await ok(api.GET('/api/incidents'))).toMatchObject([{ key: 'provider:apollo:unavailable', level: 1, notifiedLevel: 0 }]);
    // No token: sent raw.
    expect((await app.inject({ method: 'GET', url: '/api/incidents' })).statusCode).toBe(401);
  });

  it('CORS only for listed origins, a correlation id on every answer, and metrics behind the token', async () => {
    // A preflight (OPTIONS) is the browser's, not an operation of the API: sent raw.
    const preflight = await app.inject({ method: 'OPTIONS', url: '/api/leads', headers: { origin: 'https://dash.example.com', 'access-control-request-method': 'GET' } });
    expect([preflight.statusCode, preflight.headers['access-control-allow-origin']]).toEqual([204, 'https://dash.example.com']);
    const other = (await api.GET('/api/leads', { headers: { origin: 'https://evil.example.com' } })).response;
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api.GET('/api/runs', { headers: { 'x-request-id': 'trace-123' } })).response.headers.get('x-request-id')).toBe('trace-123');
    // The metrics are Prometheus text, outside the OpenAPI document: raw.
    expect((await app.inject({ method: 'GET', url: '/api/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body).toContain('caio_http_requests_total');
    const metrics = await app.inject({ method: 'GET', url: '/api/metrics', headers: auth });
    expect(metrics.body).toContain('caio_leads{status="x"} 1');
    expect(metrics.body).toMatch(/caio_http_requests_total\{method="GET",route="\/api\/runs",status="200"\} 1/);
  });

  it('OpenAPI at /api/docs, built from the schemas the routes parse with', async () => {
    const doc = (await ok(api.GET('/api/docs'))) as unknown as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> }; parameters?: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/emails/{id}/reject']?.post?.requestBody?.content['application/json']?.schema.required).toEqual(expect.arrayContaining(['by', 'reason', 'tag']));
    expect(doc.paths['/api/leads']?.get?.parameters?.map((p) => p.name)).toEqual(['limit', 'status', 'tier', 'cursor']);
  });

  it('login: a wrong token is refused, the sixth failure within five minutes is 429 even with the right token; a session reads the API and needs the CSRF token to act', async () => {
    // The login and logout forms are pages, not API operations: raw. A page session calls the API through the client, without the token.
    const session = apiClient(app, null);
    const login = (token: string) => app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(token)}` });
    const ok = await login(TOKEN);
    expect(ok.statusCode).toBe(303);
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect(String(ok.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(await status(session.GET('/api/runs', { headers: { cookie } }))).toBe(200);
    expect(await refused(session.POST('/api/resume', { headers: { cookie }, body: { by: 'x' } }))).toMatchObject({ status: 403, code: 'CSRF' });
    const page = (await app.inject({ method: 'GET', url: '/operator', headers: { cookie } })).body;
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
    expect(await status(session.POST('/api/resume', { headers: { cookie, 'x-csrf-token': csrf }, body: { by: 'x' } }))).toBe(200);
    // Another server on the same database knows the session (no sticky sessions needed) and the failed logins.
    const other = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db) } });
    try {
      expect(await status(apiClient(other, null).GET('/api/runs', { headers: { cookie } }))).toBe(200);
      for (let i = 0; i < 5; i++) expect((await login('wrong-token-000')).statusCode).toBe(401);
      expect((await login(TOKEN)).statusCode).toBe(429);
      expect((await other.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${TOKEN}` })).statusCode).toBe(429);
      // Logging out on one server ends the session on all.
      expect((await other.inject({ method: 'POST', url: '/logout', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${encodeURIComponent(csrf)}` })).statusCode).toBe(303);
      expect(await refused(session.GET('/api/runs', { headers: { cookie } }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      const stored = (await database.db.execute(sql`select id_hash from dashboard_sessions`)) as { rows: { id_hash: string }[] };
      expect(stored.rows.every((r) => !cookie.includes(r.id_hash))).toBe(true);
    } finally {
      await other.close();
    }
    expect((await app.inject({ method: 'GET', url: '/sales' })).statusCode).toBe(302);
  });
});
