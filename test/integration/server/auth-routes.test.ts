import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const TOKEN = 'dashboard-token-0123456789';

/** `/api/leads` -> each character percent-encoded in turn (the attack was `/%61pi/leads`). */
const encodedVariants = (path: string): string[] => {
  const out = new Set<string>();
  for (let i = 1; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '/' || ch === ':') continue;
    const hex = `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    out.add(path.slice(0, i) + hex + path.slice(i + 1));
    out.add(path.slice(0, i) + hex.toLowerCase() + path.slice(i + 1));
    out.add(path.slice(0, i) + `%25${hex.slice(1)}` + path.slice(i + 1)); // double-encoded
  }
  out.add(path.toUpperCase());
  out.add(path.replace('/api/', '/API/'));
  out.add(`${path}/`);
  out.add(path.replace('/api/', '/api//'));
  out.add(path.replace('/api/', '/./api/'));
  return [...out];
};

describe.each(STORE_KINDS)('dashboard authorisation is decided on the matched route (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let paths: { method: string; path: string }[];

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
    app = buildApp({
      routes: { post: {}, get: {} },
      maxBodyBytes: 64 * 1024,
      api: {
        token: TOKEN,
        deps: apiDepsOf(h, {
          runPipeline: async () => {
            throw new Error('a pipeline run must not start without a token');
          },
        }),
        sessions: createSessionStore(database.db),
      },
    });
    const doc = (await app.inject({ method: 'GET', url: '/api/docs', headers: { 'x-dashboard-token': TOKEN } })).json<{ paths: Record<string, Record<string, unknown>> }>();
    paths = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path: p.replace(/\{([^}]+)\}/g, (_x, name: string) => (name === 'id' || name.endsWith('Id') ? '00000000-0000-4000-8000-000000000000' : 'x')) })),
    );
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  it('the OpenAPI document lists the protected routes', () => {
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.some((p) => p.path === '/api/leads' && p.method === 'GET')).toBe(true);
    expect(paths.some((p) => p.path === '/api/runs' && p.method === 'POST')).toBe(true);
  });

  it('no encoded, double-encoded, case-changed or trailing-slash variant of any /api path answers without a token', async () => {
    let checked = 0;
    for (const { method, path } of paths) {
      if (path.startsWith('/api/health')) continue;
      for (const url of [path, ...encodedVariants(path)]) {
        const res = await app.inject({ method: method as 'GET' | 'POST', url, ...(method === 'POST' ? { payload: {} } : {}) });
        checked++;
        // 401 when the variant routes to the protected route; 404 when it routes nowhere. Never data.
        expect([401, 404], `${method} ${url}`).toContain(res.statusCode);
        expect(Object.keys(res.json<object>()).sort(), `${method} ${url}`).toEqual(['code', 'error']);
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('the original attack: /%61pi/leads and a POST /%61pi/runs are refused', async () => {
    expect((await app.inject({ method: 'GET', url: '/%61pi/leads' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/%61pi/leads/funnel' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/%61pi/runs', payload: {} })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/%61pi/leads', headers: { 'x-dashboard-token': TOKEN } })).statusCode).toBe(200);
  });
});
