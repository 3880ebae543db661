import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import { HTTP_STATUS, isAppError } from '../lib/app-error.js';
import { safeEqual } from '../lib/hash.js';
import type { Logger } from '../lib/logger.js';
import { redactPath, safeErrorMessage } from '../lib/redact.js';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { RB2B_WEBHOOK_BASE_PATH } from '../webhooks/index.js';
import type { WebhookRoutes } from './webhook-routes.js';
import { requireDashboardAccess } from './api/auth.js';
import { registerPages } from './pages/routes.js';
import { createSessions, type Sessions } from './pages/sessions.js';
import type { Users } from '../lib/session.js';
import type { AuditStore } from '../pipeline/ports.js';
import { registerApiRoutes, type ApiDeps } from './api/routes.js';
import { swaggerOptions } from './api/openapi.js';

export type RequestLog = { id: string; method: string; route: string | null; status: number; ms: number };

export type AppOptions = {
  onRequestDone?: (entry: RequestLog) => void;
  routes: WebhookRoutes;
  maxBodyBytes: number;
  corsOrigins?: readonly string[];
  metrics?: () => Promise<string>;
  onError?: (error: unknown, path: string) => void;
  /**
   * The dashboard API, behind its token. `users`: the people who log in by name (without it only the
   * token logs in); `audit`: where refused attempts of a person are recorded.
   */
  api?: { token: string; deps: ApiDeps; sessions?: Sessions; secureCookies?: boolean; users?: Users; audit?: AuditStore };
  /** Configured secret values: a path segment equal to one is `:secret` in every log line, label and start-up line. */
  secrets?: readonly string[];
  /** `server.publicUrl`: https makes the session cookie Secure and turns HSTS on. */
  publicUrl?: string;
  /** `server.trustProxy`: client address and protocol from X-Forwarded-For / -Proto (Fastify's trustProxy). @defaultValue false */
  trustProxy?: boolean | string[];
};

/**
 * The name of a route in logs, metrics and the start-up line: a route pattern as registered
 * (`/api/leads/:id`), never a secret. Paths registered literally with a secret in them are named by
 * their pattern: a segment equal to a configured secret is `:secret`, and RB2B's secret path
 * (`/webhooks/rb2b/<secret>`) is `/webhooks/rb2b/:secret` even when the secret was not given.
 */
export const routeLabel = (path: string, secrets: readonly string[] = []): string => {
  const label = redactPath(path, secrets);
  if (label.startsWith(`${RB2B_WEBHOOK_BASE_PATH}/`) && label !== `${RB2B_WEBHOOK_BASE_PATH}/health`) return `${RB2B_WEBHOOK_BASE_PATH}/:secret`;
  return label;
};

/** The webhook routes as `caio serve` prints them at start: `POST /webhooks/rb2b/:secret`, ... */
export const routeList = (routes: WebhookRoutes, secrets: readonly string[] = []): string[] => [
  ...new Set([...Object.keys(routes.post).map((p) => `POST ${routeLabel(p, secrets)}`), ...Object.keys(routes.get).map((p) => `GET ${routeLabel(p, secrets)}`)]),
];

/**
 * How `caio serve` logs its requests: one line per request (id, method, route pattern, status, ms),
 * and failures by route with the error's safe message (a database error's SQL state, never its
 * parameters: the payload).
 */
export const serverLogging = (log: Pick<Logger, 'info' | 'error'>) => ({
  onRequestDone: (entry: RequestLog) => log.info(entry, 'request'),
  onError: (error: unknown, path: string) => log.error({ path, err: safeErrorMessage(error) }, 'request failed'),
  /** A delivery answered 2xx that could not be stored (webhookRoutes' onError). */
  onWebhookError: (error: unknown, path: string) => log.error({ path, err: safeErrorMessage(error) }, 'webhook delivery could not be stored'),
});

const labelValue = (value: string) => value.replace(/["\\\n]/g, '_');

/** Node's headers (names already lower-cased) with one value each: the first of a repeated one. */
const singleHeaders = (given: IncomingHttpHeaders): Record<string, string | undefined> => {
  const headers: Record<string, string | undefined> = {};
  for (const name in given) {
    const value = given[name];
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  return headers;
};

const JSON_TYPE = /^application\/(.+\+)?json\b/i;
/** A body sent with a type other than JSON is refused at the door (415), before it is read. */
const refusedType = (type: string | undefined) => Boolean(type && !JSON_TYPE.test(type));
const unsupportedType = () => Object.assign(new Error('content type must be application/json'), { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });

/**
 * The HTTP app of `caio serve` (fastify; `listen()` is the caller's, tests use `inject()`). The
 * webhook handlers are framework-free (`WebhookRequest -> WebhookResponse`): this file only adapts
 * them, keeping the raw body as text because verification is over the exact bytes the sender signed.
 */
export const buildApp = (options: AppOptions): FastifyInstance => {
  // Every request gets a correlation id (the caller's X-Request-Id when it sent a sane one), returned in the answer.
  const app = Fastify({
    bodyLimit: options.maxBodyBytes,
    logger: false,
    trustProxy: options.trustProxy ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  const requests = new Map<string, number>();
  const secrets = options.secrets ?? [];
  const https = options.publicUrl?.startsWith('https:') ?? false;
  /** The matched route's pattern (secrets replaced), or null for a request that matched none. */
  const labels = new Map<string, string>();
  const routeOf = (request: FastifyRequest): string | null => {
    const url = request.routeOptions.url;
    if (url === undefined) return null;
    let label = labels.get(url);
    if (label === undefined) labels.set(url, (label = routeLabel(url, secrets)));
    return label;
  };
  // The correlation id on every answer (a callback hook: this runs on the busiest path, the webhooks).
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const key = `${request.method} ${route ?? 'unmatched'} ${reply.statusCode}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    options.onRequestDone?.({ id: request.id, method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
    done();
  });
  // Every body is read as bytes and handed on as text; the handler verifies it before parsing. A body sent with a
  // non-JSON type is refused at the door (415), before it is read.
  // The root reads no body: each plugin below reads its own (a request matching no route gets 404,
  // or 415 for a body that is not JSON, and its body is never parsed).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, bytes, done) => (refusedType(req.headers['content-type']) ? done(unsupportedType(), undefined) : done(null, bytes)));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    // An AppError from any route: the one code -> status table (lib/app-error.ts, beside the CLI's exit codes).
    const status = isAppError(error) ? HTTP_STATUS[error.code] : (error.statusCode ?? 500);
    // By route pattern: the raw URL may carry a secret in its path or query (?secret=, ?token=).
    if (status >= 500) options.onError?.(error, routeOf(request) ?? redactPath(request.url, secrets));
    if (isAppError(error) && error.code !== 'INTERNAL') return void reply.code(status).send({ error: error.message, code: error.code });
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status >= 500 ? 'INTERNAL' : (error.code ?? 'BAD_REQUEST');
    void reply.code(status).send({ error: status >= 500 ? 'internal error' : status === 413 ? 'body too large' : error.message, code });
  });
  app.setNotFoundHandler((_request, reply) => void reply.code(404).send({ error: 'not found', code: 'NOT_FOUND' }));

  // Three encapsulated plugins, each with its own body parser and hooks, so what one decides (the
  // API's auth, the pages' form parsing) applies to its own routes only, never by URL prefix.
  void app.register(async (webhooks) => {
    // The exact bytes: a webhook's signature covers them, which UTF-8 text cannot always hold.
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (req, bytes, done) => (refusedType(req.headers['content-type']) ? done(unsupportedType(), undefined) : done(null, bytes)));
    for (const [path, handler] of Object.entries(options.routes.post)) {
      webhooks.post(path, async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const url = request.raw.url ?? '';
        const at = url.indexOf('?');
        const result = await handler({ path, headers: singleHeaders(request.headers), body: raw.toString('utf8'), rawBody: raw, ...(at >= 0 ? { query: new URLSearchParams(url.slice(at + 1)) } : {}) });
        return reply.code(result.status).send(result.body);
      });
      webhooks.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: path, handler: async (_request, reply) => reply.code(405).send({ error: 'POST only', code: 'METHOD_NOT_ALLOWED' }) });
    }
    for (const [path, handler] of Object.entries(options.routes.get)) {
      webhooks.get(path, async (_request, reply) => {
        const result = await handler();
        return reply.code(result.status).send(result.body);
      });
    }
  });
  const dashboard = options.api;
  if (dashboard) {
    // The dashboard (its API and its pages) in a context of its own, with what browsers need: the
    // security headers, the session cookie and CORS. The webhooks are not in it: no browser reads
    // their answers, and these plugins' hooks would run on the busiest path for nothing.
    void app.register(async (browser) => {
      const { token, deps, users, audit } = dashboard;
      // The pages load their one script and stylesheet from here, so the CSP allows no inline script
      // or style, no eval, no framing; nosniff; HSTS only over https.
      await browser.register(helmet, {
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            scriptSrcAttr: ["'none'"],
            styleSrc: ["'self'"],
            imgSrc: ["'self'", 'data:'],
            fontSrc: ["'self'"],
            connectSrc: ["'self'"],
            objectSrc: ["'none'"],
            baseUri: ["'none'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
            ...(https ? { upgradeInsecureRequests: [] } : {}),
          },
        },
        xFrameOptions: { action: 'deny' },
        referrerPolicy: { policy: 'no-referrer' },
        strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
      });
      // The dashboard's session cookie is read and written by @fastify/cookie (request.cookies, reply.setCookie).
      await browser.register(cookie);
      // Cross-origin browsers only from the configured origins (server.corsOrigins), exact matches; a
      // preflight is answered 204 by the plugin, before any route's auth.
      const corsOrigins = options.corsOrigins ?? [];
      await browser.register(cors, {
        origin: (origin, done) => done(null, origin !== undefined && corsOrigins.includes(origin) ? origin : false),
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ['content-type', 'x-dashboard-token', 'authorization', 'x-csrf-token'],
        exposedHeaders: ['x-request-id'],
      });
      const sessions = dashboard.sessions ?? createSessions(users ? { users } : {});
      // Prometheus text: the caller's gauges plus the request counts by route and status.
      const metricsText = async () => {
        const lines = [...requests.entries()].map(([key, n]) => {
          const [method = '', route = '', status = ''] = key.split(' ');
          return `caio_http_requests_total{method="${labelValue(method)}",route="${labelValue(route)}",status="${labelValue(status)}"} ${n}`;
        });
        return `${options.metrics ? await options.metrics() : ''}# TYPE caio_http_requests_total counter\n${lines.join('\n')}\n`;
      };
      void browser.register(async (api) => {
        // JSON in; the dashboard token (or a page session with its CSRF token) on every route of this plugin.
        api.removeAllContentTypeParsers();
        api.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
          if (refusedType(req.headers['content-type'])) return done(unsupportedType(), undefined);
          try {
            done(null, (body as string).trim() ? JSON.parse(body as string) : {});
          } catch {
            done(Object.assign(new Error('the body is not JSON'), { statusCode: 400, code: 'INVALID_JSON' }), undefined);
          }
        });
        requireDashboardAccess(api, token, sessions, { now: deps.now, ...(audit ? { audit } : {}) });
        // The routes' schemas only document (GET /api/docs is what @fastify/swagger builds from them):
        // each handler validates with its zod schemas, whose errors are the 400 `{error, code}` naming
        // the parameter. So no validator (Ajv would refuse first, with its own messages, and coerce
        // the query) and no fast-json-stringify (it would drop what a response schema leaves out):
        // every answer is JSON.stringify, as without schemas.
        api.setValidatorCompiler(() => () => true);
        api.setSerializerCompiler(() => (data) => JSON.stringify(data));
        // Before the routes: it collects them as they are added.
        await api.register(swagger, swaggerOptions());
        registerApiRoutes(api, deps);
        api.get('/api/metrics', { schema: { hide: true } }, async (_request, reply) => reply.header('content-type', 'text/plain; version=0.0.4').send(await metricsText()));
      });
      void browser.register(async (pages) => {
        // The login and logout forms post urlencoded fields; the pages read nothing else.
        pages.removeAllContentTypeParsers();
        pages.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
        pages.addContentTypeParser('*', { parseAs: 'buffer' }, (req, bytes, done) => (refusedType(req.headers['content-type']) ? done(unsupportedType(), undefined) : done(null, bytes)));
        registerPages(pages, { api: deps, token, sessions, secureCookies: dashboard.secureCookies ?? https, ...(users ? { users } : {}) });
        // For scrapers: the token itself, no session.
        pages.get('/metrics', async (request, reply) => {
          const auth = request.headers.authorization;
          const given = request.headers['x-dashboard-token'] ?? (auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined);
          if (typeof given !== 'string' || !safeEqual(given, token)) return reply.code(401).send({ error: 'unauthorized', code: 'UNAUTHORIZED' });
          return reply.header('content-type', 'text/plain; version=0.0.4').send(await metricsText());
        });
      });
    });
  }
  return app;
};
