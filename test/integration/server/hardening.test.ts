import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { buildApp, type AppOptions } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

/**
 * "Safe to run live", finding "Hardening" (item 10): security headers on the pages (a CSP that
 * allows no inline script, no framing, nosniff), a `Secure` session cookie when the dashboard is
 * served over https, failed logins counted per client address resolved through the trusted proxy,
 * and a `/ready` that names the variables the README names.
 */
const TOKEN = 'hardening-dashboard-token-0123456789';
const README = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');

const directives = (csp: string): Map<string, string[]> =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );

describe.each(STORE_KINDS)('hardening of the server (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  const apps: ReturnType<typeof buildApp>[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
  });
  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    await h.close();
    await database.close();
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from login_failures`);
  });

  const appWith = (options: Partial<AppOptions> = {}) => {
    const app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db) }, ...options });
    apps.push(app);
    return app;
  };
  const login = (app: ReturnType<typeof buildApp>, token: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: `token=${encodeURIComponent(token)}` });
  const sessionCookie = async (app: ReturnType<typeof buildApp>) => String((await login(app, TOKEN)).headers['set-cookie']).split(';')[0]!;

  it('every page carries a CSP without inline script, refuses framing and sniffing', async () => {
    const app = appWith();
    const cookie = await sessionCookie(app);
    const pages = ['/login', '/sales', '/leads', '/operator', '/kpis', '/runs'];
    for (const url of pages) {
      const res = await app.inject({ method: 'GET', url, headers: url === '/login' ? {} : { cookie } });
      expect([url, res.statusCode]).toEqual([url, 200]);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp, url).not.toBe('');
      const d = directives(csp);
      // Scripts only from this server: no inline script, no eval, nothing from elsewhere.
      const scripts = d.get('script-src') ?? d.get('default-src');
      expect(scripts, url).toEqual(["'self'"]);
      expect(d.get('script-src-attr') ?? ["'none'"], url).toEqual(["'none'"]);
      expect(d.get('default-src'), url).toEqual(["'self'"]);
      expect(d.get('object-src'), url).toEqual(["'none'"]);
      expect(d.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(d.get('form-action'), url).toEqual(["'self'"]);
      expect(csp, url).not.toContain('unsafe-inline');
      expect(csp, url).not.toContain('unsafe-eval');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      // Plain http (no server.publicUrl): no HSTS, no upgrade of the page's requests.
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(d.has('upgrade-insecure-requests'), url).toBe(false);
      // The pages hold nothing the CSP would block: no inline script, handler or style attribute.
      expect(res.body, url).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(res.body, url).not.toMatch(/\son[a-z]+\s*=/i);
      expect(res.body, url).not.toMatch(/\sstyle\s*=/i);
      expect(res.body, url).not.toMatch(/javascript:/i);
    }
    // The script and the stylesheet the pages load come from this server, with their types (nosniff).
    const js = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect([js.statusCode, js.headers['content-type'], js.headers['x-content-type-options']]).toEqual([200, 'text/javascript; charset=utf-8', 'nosniff']);
    const css = await app.inject({ method: 'GET', url: '/assets/app.css' });
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    // The JSON API is not sniffed either.
    expect((await app.inject({ method: 'GET', url: '/api/leads', headers: { 'x-dashboard-token': TOKEN } })).headers['x-content-type-options']).toBe('nosniff');
  });

  it('the session cookie is Secure when server.publicUrl is https (with HSTS), not on plain http', async () => {
    const plain = await login(appWith(), TOKEN);
    expect(plain.statusCode).toBe(303);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);

    const https = appWith({ publicUrl: 'https://caio.example.com' });
    const res = await login(https, TOKEN);
    expect(res.statusCode).toBe(303);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^caio_session=[^;]+;/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    // Logging out clears it with the same attributes.
    const out = await https.inject({ method: 'POST', url: '/logout', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie.split(';')[0]! }, payload: 'csrf=x' });
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0.*Secure|Secure.*Max-Age=0/i);
    const page = await https.inject({ method: 'GET', url: '/login' });
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(directives(String(page.headers['content-security-policy'])).has('upgrade-insecure-requests')).toBe(true);
  });

  it('behind a trusted proxy that terminates TLS (X-Forwarded-Proto: https) the cookie is Secure too', async () => {
    const app = appWith({ trustProxy: true });
    const res = await login(app, TOKEN, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' });
    expect(String(res.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    // Not trusted: the header is anybody's, and ignored.
    const untrusted = await login(appWith(), TOKEN, { 'x-forwarded-proto': 'https' });
    expect(String(untrusted.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
  });

  it('with server.trustProxy on, five bad logins lock the forwarded client address only', async () => {
    const app = appWith({ trustProxy: true });
    const mallory = { 'x-forwarded-for': '203.0.113.5' };
    for (let i = 0; i < 5; i++) expect((await login(app, 'wrong-token-000000', mallory)).statusCode).toBe(401);
    // Locked, even with the right token.
    expect((await login(app, TOKEN, mallory)).statusCode).toBe(429);
    // Everybody else behind the same load balancer still logs in.
    const alice = await login(app, TOKEN, { 'x-forwarded-for': '203.0.113.77' });
    expect(alice.statusCode).toBe(303);
    expect(alice.headers.location).toBe('/sales');
    // The proxy's own chain: the client is the left-most address it forwarded.
    expect((await login(app, TOKEN, { 'x-forwarded-for': '203.0.113.5, 10.0.0.2' })).statusCode).toBe(429);
    const rows = ((await database.db.execute(sql`select distinct address from login_failures`)) as { rows: { address: string }[] }).rows.map((r) => r.address);
    expect(rows).toEqual(['203.0.113.5']);
  });

  it('without server.trustProxy a forged X-Forwarded-For does not escape the limit', async () => {
    const app = appWith();
    for (let i = 0; i < 5; i++) expect((await login(app, 'wrong-token-000000', { 'x-forwarded-for': `203.0.113.${i + 10}` })).statusCode).toBe(401);
    expect((await login(app, TOKEN, { 'x-forwarded-for': '203.0.113.99' })).statusCode).toBe(429);
  });

  it('/ready names the variable of each webhook secret, as the README does', async () => {
    const serve = (env: Record<string, string>) => {
      const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { WEBHOOK_SIGNATURE_REQUIRED: 'true', ...env } });
      const routes = webhookRoutes({ config, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: () => undefined, pingDatabase: async () => void (await database.db.execute(sql`select 1`)) });
      const app = buildApp({ routes, maxBodyBytes: 64 * 1024 });
      apps.push(app);
      return app;
    };
    type Check = { name: string; ok: boolean; required: boolean; detail: string; variable?: string };
    const ready = async (app: ReturnType<typeof buildApp>) => {
      const res = await app.inject({ method: 'GET', url: '/ready' });
      return { status: res.statusCode, checks: res.json<{ checks: Check[] }>().checks.filter((c) => c.name.startsWith('webhook secret')) };
    };

    const none = await ready(serve({}));
    expect(none.status).toBe(503);
    const named = Object.fromEntries(none.checks.map((c) => [c.name, c.variable]));
    expect(named).toEqual({
      'webhook secret instantly': 'INSTANTLY_WEBHOOK_SECRET',
      'webhook secret heyreach': 'HEYREACH_WEBHOOK_SECRET',
      'webhook secret rb2b': 'RB2B_WEBHOOK_SECRET',
      'webhook secret clay': 'CLAY_CALLBACK_TOKEN',
    });
    for (const c of none.checks) {
      expect(c.ok, c.name).toBe(false);
      // What to set is said in the answer, and the README's environment table documents it.
      expect(c.detail, c.name).toContain(c.variable!);
      expect(README, c.variable).toMatch(new RegExp(`^\\|[^\\n]*\`${c.variable}\`[^\\n]*\\|`, 'm'));
    }

    // CLAY_WEBHOOK_SECRET alone (the optional HMAC key of X-Clay-Signature) does not turn Clay's callback
    // route on: that needs CLAY_CALLBACK_TOKEN, which /ready names.
    const hmacOnly = await ready(serve({ CLAY_WEBHOOK_SECRET: 'clay-hmac-secret-0123456789' }));
    const clay = hmacOnly.checks.find((c) => c.name === 'webhook secret clay')!;
    expect(clay.ok).toBe(false);
    expect(clay.detail).toContain('CLAY_CALLBACK_TOKEN');

    const all = await ready(serve({ INSTANTLY_WEBHOOK_SECRET: 'inst-secret-0123456789', HEYREACH_WEBHOOK_SECRET: 'hr-secret-0123456789', RB2B_WEBHOOK_SECRET: 'rb2b-secret-0123456789', CLAY_CALLBACK_TOKEN: 'clay-token-0123456789' }));
    expect(all.status).toBe(200);
    expect(all.checks.every((c) => c.ok && c.detail === `${c.variable} is set`)).toBe(true);
    // Never the secret itself.
    expect(JSON.stringify(all.checks)).not.toMatch(/secret-0123456789|token-0123456789/);
  });
});
