import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import type { Database } from '../../../src/store/database.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { createUserStore } from '../../../src/store/users-repo.js';
import type { Users } from '../../../src/lib/session.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'users-login-token-0123456789';
const auth = { 'x-dashboard-token': TOKEN };
const PASSWORDS = { rita: 'rita reviews drafts', otto: 'otto operates the send', ada: 'ada administers all' } as const;

type Login = { cookie: string; csrf: string };
type AuditRow = { actor: string; action: string; entity_id: string | null; details: Record<string, unknown> };

/**
 * Issue 21 item 5, people by name: a login with a name and password (scrypt), sessions that carry
 * the person (a disabled person's session stops at once), roles (only an operator or an admin
 * approves batches, activates campaigns and stops sending; a reviewer gets 403, audited), and the
 * audit log naming the person logged in whatever the body's `by` says. The token stays for machines.
 * Production wiring: apiDepsFor over the dispatch harness, the PostgreSQL sessions and users.
 */
describe('people log in by name; roles; the audit log names the person', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let users: Users;
  let address = 0;

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    users = createUserStore(database.db);
    app = buildApp({
      routes: { post: {}, get: {} },
      maxBodyBytes: 64 * 1024,
      api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db), users, audit: h.stores.audit },
    });
    await users.add({ name: 'Rita', role: 'reviewer', password: PASSWORDS.rita });
    await users.add({ name: 'otto', role: 'operator', password: PASSWORDS.otto });
    await users.add({ name: 'ada', role: 'admin', password: PASSWORDS.ada });
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  /** Each login from its own address unless told, so the failed-login limit of one test does not lock out another. */
  const postLogin = (fields: Record<string, string>, remoteAddress = `10.0.0.${++address}`) =>
    app.inject({ method: 'POST', url: '/login', remoteAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  const login = async (fields: Record<string, string>): Promise<Login> => {
    const res = await postLogin(fields);
    expect(res.statusCode, res.body).toBe(303);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const page = await app.inject({ method: 'GET', url: '/sales', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(page.body)![1]! };
  };
  const as = (who: keyof typeof PASSWORDS) => login({ name: who, password: PASSWORDS[who] });
  const post = (session: Login | null, url: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : auth, payload: body });
  const audit = async (action: string, entityId?: string): Promise<AuditRow[]> =>
    ((await h.db.execute(sql`select actor, action, entity_id, details from audit_log where action = ${action} ${entityId ? sql`and entity_id = ${entityId}` : sql``} order by id`)) as { rows: AuditRow[] }).rows;

  it('the login page asks for a name and password, with the token as the other way in', async () => {
    const page = (await app.inject({ method: 'GET', url: '/login' })).body;
    expect(page).toContain('name="name"');
    expect(page).toContain('name="password"');
    expect(page).toContain('Log in with the dashboard token instead');
    expect(page).toContain('name="token"');
  });

  it('logs a person in by name (any case); a wrong password and an unknown name get the same answer', async () => {
    const rita = await login({ name: 'RITA', password: PASSWORDS.rita });
    expect((await app.inject({ method: 'GET', url: '/api/leads', headers: { cookie: rita.cookie } })).statusCode).toBe(200);

    const wrongPassword = await postLogin({ name: 'rita', password: 'not the password at all' });
    const unknownName = await postLogin({ name: 'nobody', password: PASSWORDS.rita });
    const emptyName = await postLogin({ name: '', password: '' });
    for (const res of [wrongPassword, unknownName, emptyName]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.body).toContain('That name and password do not match.');
    }
  });

  it('limits failed logins by name per address like the token ones: the sixth within five minutes is 429, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await postLogin({ name: 'otto', password: `wrong password ${i}` }, '10.9.9.9')).statusCode).toBe(401);
    const locked = await postLogin({ name: 'otto', password: PASSWORDS.otto }, '10.9.9.9');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['set-cookie']).toBeUndefined();
    expect((await postLogin({ name: 'otto', password: PASSWORDS.otto }, '10.9.9.10')).statusCode).toBe(303);
  });

  it("a disabled person's session stops at once (API and pages), and they cannot log in again", async () => {
    await users.add({ name: 'dora', role: 'operator', password: 'dora will be leaving' });
    const dora = await login({ name: 'dora', password: 'dora will be leaving' });
    expect((await app.inject({ method: 'GET', url: '/api/leads', headers: { cookie: dora.cookie } })).statusCode).toBe(200);

    expect((await users.disable('Dora'))?.disabledAt).toBeInstanceOf(Date);

    expect((await app.inject({ method: 'GET', url: '/api/leads', headers: { cookie: dora.cookie } })).statusCode).toBe(401);
    expect((await post(dora, '/api/emergency-stop', { reason: 'one last thing' })).statusCode).toBe(401);
    const page = await app.inject({ method: 'GET', url: '/operator', headers: { cookie: dora.cookie } });
    expect([page.statusCode, page.headers.location]).toEqual([302, '/login']);
    const again = await postLogin({ name: 'dora', password: 'dora will be leaving' });
    expect([again.statusCode, again.body.includes('That name and password do not match.')]).toEqual([401, true]);
    expect(await h.control.emergencyStop()).toBeNull();
  });

  it('a reviewer trying an operator action gets 403 FORBIDDEN, audited with their name and the operation; nothing changes', async () => {
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const rita = await as('rita');
    const attempts: [string, string, Record<string, unknown>][] = [
      ['approveBatch', `/api/operator/approve-batch/${batch.id}`, { by: 'Otto' }],
      ['approveAndSendBatch', `/api/operator/batches/${batch.id}/send`, { by: 'Otto' }],
      ['rejectBatch', `/api/operator/reject-batch/${batch.id}`, { by: 'Otto', reason: 'no' }],
      ['excludeBatchItems', `/api/operator/batches/${batch.id}/exclude`, { by: 'Otto', items: [0] }],
      ['activateCampaign', '/api/campaigns/camp-1/activate', { by: 'Otto' }],
      ['emergencyStop', '/api/emergency-stop', { by: 'Otto', reason: 'just looking' }],
      ['resumeSending', '/api/resume', { by: 'Otto' }],
      ['triggerOperator', '/api/operator/trigger', { dry_run: false }],
    ];
    for (const [, url, body] of attempts) {
      const res = await post(rita, url, body);
      expect(res.statusCode, url).toBe(403);
      expect(res.json(), url).toMatchObject({ code: 'FORBIDDEN' });
    }
    // QUEEN's confirmed plan could set the stop: a reviewer may ask (reads, writes held) but not confirm.
    const ask = await post(rita, '/api/ask', { request: 'hit the emergency stop' });
    expect(ask.statusCode, ask.body).toBe(200);
    const confirmed = await post(rita, '/api/ask', { request: 'hit the emergency stop', confirm: true });
    expect([confirmed.statusCode, confirmed.json<{ code: string }>().code]).toEqual([403, 'FORBIDDEN']);
    const refused = await audit('access.refused');
    expect(refused.map((r) => [r.actor, r.details.operation])).toEqual([...attempts.map(([op]) => ['rita', op]), ['rita', 'askQueen']]);
    expect(refused[0]!.details).toMatchObject({ role: 'reviewer', needed: 'operator' });
    expect((await h.gatekeeper.show(batch.id)).status).toBe('pending_approval');
    expect(await h.control.emergencyStop()).toBeNull();

    // Reading the operator page is fine, without the buttons it would refuse.
    const page = (await app.inject({ method: 'GET', url: '/operator', headers: { cookie: rita.cookie } })).body;
    expect(page).toContain('Logged in as <strong>rita</strong> (reviewer)');
    expect(page).toContain(batch.id);
    for (const button of ['Approve and send', 'Reject batch', 'Leave the checked items out', 'Emergency stop</button>']) expect(page).not.toContain(button);
    expect(page).toContain('Only an operator or an admin approves or rejects a batch.');
  });

  it('an operator and an admin may; what they do is recorded under their own name whatever `by` the body gives', async () => {
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const otto = await as('otto');
    const page = (await app.inject({ method: 'GET', url: '/operator', headers: { cookie: otto.cookie } })).body;
    expect(page).toContain('Approve and send');
    expect(page).toContain('Emergency stop</button>');

    const approved = await post(otto, `/api/operator/approve-batch/${batch.id}`, { by: 'Somebody Else' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: 'otto' });
    expect((await audit('batch.approved', batch.id)).map((r) => r.actor)).toEqual(['otto']);

    const ada = await as('ada');
    // No `by` at all: the session names the person.
    const stopped = await post(ada, '/api/emergency-stop', { reason: 'checking the admin may' });
    expect(stopped.statusCode, stopped.body).toBe(200);
    expect((await h.control.emergencyStop())?.setBy).toBe('ada');
    expect((await post(ada, '/api/resume', { by: 'otto' })).statusCode).toBe(200);
    expect((await audit('emergency_stop.cleared')).at(-1)?.actor).toBe('ada');
  });

  it('two people deciding the same draft: the first is recorded under her name, the second is refused (409)', async () => {
    const lead = await h.approvedLead({ linkedin: false });
    expect((await post(null, `/api/emails/${lead.draftId}/reopen`, { by: 'Dani' })).statusCode).toBe(200);
    await users.add({ name: 'rosa', role: 'reviewer', password: 'rosa reviews drafts too' });
    const rita = await as('rita');
    const rosa = await login({ name: 'rosa', password: 'rosa reviews drafts too' });

    const first = await post(rita, `/api/emails/${lead.draftId}/approve`, { by: 'rosa', expectedStatus: 'pending_review' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'approved', decidedBy: 'rita' });
    const second = await post(rosa, `/api/emails/${lead.draftId}/reject`, { by: 'rosa', reason: 'too generic', tag: 'other', expectedStatus: 'pending_review' });
    expect(second.statusCode, second.body).toBe(409);
    // Each is recorded under their own name: the decision under rita, the refused one under rosa.
    const decisions = (await h.db.execute(sql`select actor, action from audit_log where entity_id = ${lead.draftId} and action like 'review.%' order by id`)) as { rows: { actor: string; action: string }[] };
    expect(decisions.rows.map((r) => [r.actor, r.action]).slice(-2)).toEqual([
      ['rita', 'review.approved'],
      ['rosa', 'review.reject_refused'],
    ]);
  });

  it("the in-memory sessions (an app given no session store) end a disabled person's session at once too", async () => {
    const memory = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), users, audit: h.stores.audit } });
    try {
      await users.add({ name: 'mia', role: 'reviewer', password: 'mia is only visiting' });
      const res = await memory.inject({ method: 'POST', url: '/login', remoteAddress: '10.8.0.1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=mia&password=mia+is+only+visiting' });
      expect(res.statusCode).toBe(303);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      expect((await memory.inject({ method: 'GET', url: '/api/leads', headers: { cookie } })).statusCode).toBe(200);
      await users.disable('mia');
      expect((await memory.inject({ method: 'GET', url: '/api/leads', headers: { cookie } })).statusCode).toBe(401);
    } finally {
      await memory.close();
    }
  });

  it('the token stays: in a header it acts as admin (a machine) under the `by` it must give; a token login records the name typed, or "dashboard-token"', async () => {
    await h.approvedLead({ linkedin: false });
    const first = await h.gatekeeper.create('outbound', 'Dani');
    const named = await post(null, `/api/operator/approve-batch/${first.id}`, { by: 'nightly-job' });
    expect(named.statusCode, named.body).toBe(200);
    expect(named.json()).toMatchObject({ decidedBy: 'nightly-job' });

    await h.approvedLead({ linkedin: false });
    const second = await h.gatekeeper.create('outbound', 'Dani');
    // A machine names itself: without `by` the call is refused as the document says (400), nothing decided.
    const anonymous = await post(null, `/api/operator/reject-batch/${second.id}`, { reason: 'not today' });
    expect([anonymous.statusCode, anonymous.json<{ code: string }>().code]).toEqual([400, 'INVALID_INPUT']);
    expect((await h.gatekeeper.show(second.id)).status).toBe('pending_approval');

    // A token login is nobody in particular: the name typed on the page, or "dashboard-token" without one.
    const tokenSession = await login({ token: TOKEN });
    const stop = await post(tokenSession, '/api/emergency-stop', { reason: 'token login' });
    expect(stop.statusCode, stop.body).toBe(200);
    expect((await h.control.emergencyStop())?.setBy).toBe('dashboard-token');
    expect((await post(tokenSession, '/api/resume', { by: 'Sam Typed' })).statusCode).toBe(200);
    expect((await audit('emergency_stop.cleared')).at(-1)?.actor).toBe('Sam Typed');
    const page = (await app.inject({ method: 'GET', url: '/operator', headers: { cookie: tokenSession.cookie } })).body;
    expect(page).toContain('Emergency stop</button>');
    expect(page).toContain('id="operator-name" autocomplete="name"');
  });
});
