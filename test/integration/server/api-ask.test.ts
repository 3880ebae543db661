import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import * as S from '../../../src/server/api/schemas.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'dashboard-token-ask-0123456789';
const auth = { 'x-dashboard-token': TOKEN };

/**
 * POST /api/ask and GET /api/agents/status through the production wiring (apiDepsFor over the
 * harness's app: its test database, fixed clock and sandboxes), every answer checked against the
 * documented response schema (strict: the same fields as `caio ask --json`, no more).
 */
describe('QUEEN through the dashboard API', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db) } });
  });
  afterEach(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  const post = (payload: unknown, headers: Record<string, string> = auth) => app.inject({ method: 'POST', url: '/api/ask', headers, payload: payload as Record<string, unknown> });
  const askOk = async (payload: Record<string, unknown>) => {
    const res = await post(payload);
    expect(res.statusCode, res.body).toBe(200);
    return S.AskAnswer.parse(res.json());
  };
  const traces = async () => ((await database.db.execute(sql`select count(*)::int as n from audit_log where action = 'queen.ask'`)) as { rows: { n: number }[] }).rows[0]!.n;

  it('needs the token like every /api route', async () => {
    expect((await post({ request: 'How full is the review queue?' }, {})).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/agents/status' })).statusCode).toBe(401);
    expect(await traces()).toBe(0);
  });

  it('answers a read with the JSON of caio ask --json, citing the store, and stores a trace', async () => {
    const a = await askOk({ request: 'How full is the review queue?' });
    expect(Object.keys(a).sort()).toEqual(['answer', 'calls', 'intent', 'needsConfirmation', 'plan', 'reason', 'refused', 'results', 'traceId'].sort());
    expect(a).toMatchObject({ intent: 'queue_status', refused: false, reason: null, plan: [{ tool: 'drafts.queue', args: {} }], needsConfirmation: false, results: { 'drafts.queue': { pending_review: 0, approved: 0, rejected: 0 } } });
    expect(a.answer).toContain('pending 0, approved 0, rejected 0');
    const stored = ((await database.db.execute(sql`select actor, details from audit_log where action = 'queen.ask' and entity_id = ${a.traceId}`)) as { rows: { actor: string; details: { by: string; intent: string } }[] }).rows;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ actor: 'UNIFIED_QUEEN', details: { by: 'dashboard', intent: 'queue_status' } });
  });

  it('holds a plan that writes until confirm is true; refuses what QUEEN never does with its rule and runs the safe part', async () => {
    const held = await askOk({ request: 'hit the emergency stop', by: 'Sam' });
    expect(held).toMatchObject({ needsConfirmation: true, results: {}, calls: [{ tool: 'dispatch.emergency_stop', status: 'needs_confirmation' }] });
    expect(held.answer).toContain('Confirm and run');
    expect(Boolean((await h.control.emergencyStop())?.active)).toBe(false);
    const set = await askOk({ request: 'hit the emergency stop', by: 'Sam', confirm: true });
    expect(set).toMatchObject({ needsConfirmation: false, calls: [{ tool: 'dispatch.emergency_stop', status: 'ok' }] });
    expect(await h.control.emergencyStop()).toMatchObject({ active: true, setBy: 'Sam' });

    const batch = await h.approvedBatch().catch(() => null);
    const mixed = await askOk({ request: 'Show the review queue, then approve the batch and send all approved emails now', confirm: true });
    expect(mixed.refused).toBe(true);
    expect(mixed.reason).toContain('QUEEN_NEVER_APPROVES');
    expect(mixed.reason).toContain('QUEEN_NEVER_SENDS');
    expect(mixed.calls.map((c) => c.status)).not.toContain('needs_confirmation');
    expect(Object.keys(mixed.results)).toContain('drafts.queue');
    const sent = ((await database.db.execute(sql`select count(*)::int as n from outbox where status = 'sent'`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(sent).toBe(0);
    if (batch) expect(((await database.db.execute(sql`select decided_by from batches where id = ${batch.id}::uuid`)) as { rows: { decided_by: string }[] }).rows[0]!.decided_by).not.toBe('UNIFIED_QUEEN');
  });

  it('bad input: empty is a 400 naming the request, 50 KB is refused by QUEEN with nothing run, over the body limit a 413', async () => {
    for (const payload of [{ request: '' }, { request: '   ' }, {}, { request: 42 }, { request: 'a\u0000b' }, { request: 'ok', confirm: 'yes' }]) {
      const res = await post(payload);
      expect([JSON.stringify(payload), res.statusCode, res.json<{ code: string }>().code]).toEqual([JSON.stringify(payload), 400, 'INVALID_INPUT']);
    }
    expect((await post({ request: ' ' })).json<{ error: string }>().error).toContain('request');
    expect(await traces()).toBe(0);

    const long = await askOk({ request: `send every email now ${'x'.repeat(50 * 1024)}`, confirm: true });
    expect(long).toMatchObject({ intent: 'too_long', refused: true, plan: [], results: {}, calls: [], needsConfirmation: false });
    expect(long.reason).toContain('REQUEST_TOO_LONG');
    expect(await traces()).toBe(1);
    expect((await post({ request: 'x'.repeat(70 * 1024) })).statusCode).toBe(413);
  });

  it('is in the OpenAPI document with its operationId, body and response schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs', headers: auth })).json<{
      paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>();
    const askOp = doc.paths['/api/ask']!.post!;
    expect(askOp.operationId).toBe('askQueen');
    expect(askOp.requestBody).toBeDefined();
    expect(askOp.responses['200']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/AskAnswer');
    expect(Object.keys(doc.components.schemas.AskAnswer!.properties!).sort()).toEqual(['answer', 'calls', 'intent', 'needsConfirmation', 'plan', 'reason', 'refused', 'results', 'traceId'].sort());
    const status = doc.paths['/api/agents/status']!.get!;
    expect(status.operationId).toBe('getAgentsStatus');
    expect(status.responses['200']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/AgentsStatus');
  });

  it('GET /api/agents/status: the 12 roles, what they did in the last 24 hours from the audit log and traces, no data said plainly', async () => {
    await askOk({ request: 'How full is the review queue?' });
    await askOk({ request: 'send all approved emails now' });
    await askOk({ request: 'hit the emergency stop', by: 'Sam', confirm: true });
    const res = await app.inject({ method: 'GET', url: '/api/agents/status', headers: auth });
    expect(res.statusCode).toBe(200);
    const report = S.AgentsStatus.parse(res.json());
    expect(report.agents).toHaveLength(12);
    expect(report.until).toBe(h.clock.now().toISOString());
    const role = (name: string) => report.agents.find((a) => a.role === name)!;
    expect(role('UNIFIED_QUEEN')).toMatchObject({ actions: 2, refusals: 1, failures: 0, health: 'ok', lastRun: h.clock.now().toISOString() });
    expect(role('OPERATOR').byAction['emergency_stop.set']).toBe(1);
    for (const merged of ['SCOUT', 'COACH', 'PIPER', 'SCHEDULER', 'RESEARCHER']) expect(role(merged)).toMatchObject({ health: 'merged', actions: 0 });
    for (const idle of report.agents.filter((a) => a.health === 'idle')) expect(idle.summary).toMatch(/^No data: nothing recorded for this role in the last 24 hours\.$/);
  });
});
