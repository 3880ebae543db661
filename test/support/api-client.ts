import type { FastifyInstance } from 'fastify';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { z } from 'zod';
import { API_OPERATIONS } from '../../src/server/api/openapi.js';
import { ErrorBody } from '../../src/server/api/schemas.js';
import type { paths } from './api-types.js';

export type ApiClient = Client<paths>;

/**
 * A `fetch` that hands each request to Fastify's `inject` (no port, no socket) and turns its answer
 * back into a `Response`: the typed client then calls the app exactly as a browser would.
 */
export const injectFetch =
  (app: FastifyInstance) =>
  async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const res = await app.inject({ method: request.method as 'GET', url: `${url.pathname}${url.search}`, headers: Object.fromEntries(request.headers), ...(body ? { payload: body } : {}) });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, String(v));
    }
    const empty = res.statusCode === 204 || res.statusCode === 304 || request.method === 'HEAD';
    return new Response(empty ? null : res.rawPayload, { status: res.statusCode, headers });
  };

const RESPONSES = new Map<string, z.ZodType>(API_OPERATIONS.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op.response]));

/**
 * Every answer is checked against the document's promise: a 200 against the operation's response
 * schema (strict where the schema is: a field the code returns without documenting it fails),
 * any other JSON answer against the Error schema. A mismatch throws, failing the test that called.
 */
export const contractCheck: Middleware = {
  async onResponse({ request, schemaPath, response }) {
    if (!response.headers.get('content-type')?.startsWith('application/json')) return undefined;
    const body: unknown = await response.clone().json();
    const key = `${request.method} ${schemaPath}`;
    const schema = response.status === 200 ? RESPONSES.get(key) : ErrorBody;
    if (!schema) throw new Error(`${key} is not in the OpenAPI document`);
    const checked = schema.safeParse(body);
    if (!checked.success)
      throw new Error(`${key} answered ${response.status} with a body outside its documented schema:\n${checked.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}\n${JSON.stringify(body).slice(0, 2000)}`);
    return undefined;
  },
};

/**
 * The typed client of the dashboard API (types generated from the OpenAPI document: api-types.ts),
 * calling `app` in process, with the dashboard token unless `token` is null, every answer checked
 * against the document.
 */
export const apiClient = (app: FastifyInstance, token: string | null): ApiClient => {
  const client = createClient<paths>({ baseUrl: 'http://caio.test', fetch: injectFetch(app), ...(token ? { headers: { 'x-dashboard-token': token } } : {}) });
  client.use(contractCheck);
  return client;
};
