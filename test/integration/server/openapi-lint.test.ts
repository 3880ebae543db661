import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app.js';
import { routeOf } from '../../../src/server/api/openapi.js';
import type { ApiDeps } from '../../../src/server/api/routes.js';
import { apiClient } from '../../support/api-client.js';

const TOKEN = 'dashboard-token-0123456789';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The /api routes outside the document: Prometheus text for scrapers (README "The dashboard and its API"). */
const UNDOCUMENTED = ['GET /api/metrics'];

type Operation = { operationId?: string; tags?: string[]; summary?: string; responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

/** `METHOD /path` of every route in Fastify's route tree (`printRoutes`), HEAD left out (Fastify adds it to each GET). */
const registeredRoutes = (tree: string): string[] => {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const start = line.search(/[^│├└─ ]/);
    if (start < 0) continue;
    const depth = Math.floor(start / 4);
    const [, segment, methods] = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(start))!;
    stack.length = depth;
    stack[depth] = segment!;
    const url = stack.join('');
    for (const method of methods?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${url}`);
  }
  return routes;
};

describe('the OpenAPI document', () => {
  let app: FastifyInstance;
  let doc: Document;

  beforeAll(async () => {
    // The production app; the document needs no use case (deps are never called here).
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: {} as ApiDeps } });
    const { data, response } = await apiClient(app, TOKEN).GET('/api/docs');
    expect(response.status).toBe(200);
    doc = data as unknown as Document;
  });
  afterAll(async () => {
    await app.close();
  });

  const operations = () => Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, path: p, method, op })));

  it('passes `redocly lint` (the recommended rules) with no error and no warning', async () => {
    // Offline: no telemetry, no update check, the built-in ruleset (no config file, no remote ruleset).
    process.env.REDOCLY_TELEMETRY = 'off';
    process.env.REDOCLY_SUPPRESS_UPDATE_NOTICE = 'true';
    const { createConfig, lint } = await import('@redocly/openapi-core');
    const dir = mkdtempSync(path.join(tmpdir(), 'caio-openapi-'));
    try {
      const file = path.join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc, null, 2));
      const problems = await lint({ ref: file, config: await createConfig({ extends: ['recommended'] }) });
      const shown = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
      expect(
        shown.filter((p) => p.startsWith('error')),
        shown.join('\n'),
      ).toEqual([]);
      expect(shown, shown.join('\n')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('gives every operation a unique operationId, a tag, a summary, a JSON 200 schema, and error answers of the Error schema', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(30);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { key, op } of ops) {
      expect([key, op.tags?.length, typeof op.summary]).toEqual([key, 1, 'string']);
      expect([key, op.responses?.['200']?.content?.['application/json']?.schema]).toEqual([key, expect.any(Object)]);
      expect([key, op.responses?.['401']?.$ref]).toEqual([key, '#/components/responses/Unauthorized']);
      for (const [status, response] of Object.entries(op.responses ?? {})) if (status !== '200') expect([key, status, response.$ref]).toEqual([key, status, expect.stringMatching(/^#\/components\/responses\//)]);
    }
    const components = (doc as unknown as { components: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }).components;
    for (const response of Object.values(components.responses)) expect(response.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Error' });
  });

  it('documents exactly the /api routes the app registers', () => {
    const documented = operations().map((o) => `${o.method.toUpperCase()} ${routeOf(o.path)}`);
    for (const route of documented) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      expect([route, app.hasRoute({ method, url })]).toEqual([route, true]);
    }
    const registered = registeredRoutes(app.printRoutes({ commonPrefix: false })).filter((r) => r.split(' ')[1]!.startsWith('/api/'));
    expect(registered.length).toBeGreaterThan(documented.length);
    expect(registered.filter((r) => !documented.includes(r)).sort()).toEqual(UNDOCUMENTED);
  });

  it("the typed client calls the app in process and refuses an answer outside the document's schema", async () => {
    // Leads per status must be integers: a use case answering otherwise breaks the document's promise.
    const liar = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: { statusCounts: async () => ({ new: 'many' }) } as unknown as ApiDeps } });
    try {
      await expect(apiClient(liar, TOKEN).GET('/api/leads/status-summary')).rejects.toThrow(/GET \/api\/leads\/status-summary answered 200 with a body outside its documented schema/);
      // A refusal is checked against the Error schema, and typed as it.
      const { error, response } = await apiClient(liar, 'wrong-token-0000000').GET('/api/leads/status-summary');
      expect([response.status, error]).toEqual([401, { error: 'unauthorized', code: 'UNAUTHORIZED' }]);
    } finally {
      await liar.close();
    }
  });

  it('is the document the committed client types were generated from (npm run api:types)', async () => {
    // A plain .mjs (npm run api:types runs it with node): imported by path, so typed by hand.
    const generator = path.join(root, 'test/support/generate-api-types.mjs');
    const { apiTypesOf, API_TYPES_FILE } = (await import(/* @vite-ignore */ generator)) as { apiTypesOf: (document: unknown) => Promise<string>; API_TYPES_FILE: string };
    expect(await apiTypesOf(doc), 'test/support/api-types.ts is stale: run npm run api:types').toBe(readFileSync(API_TYPES_FILE, 'utf8'));
  }, 60_000);
});
