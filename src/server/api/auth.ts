import type { FastifyInstance } from 'fastify';
import { safeEqual } from '../../lib/hash.js';
import { SESSION_COOKIE, type Sessions } from '../pages/sessions.js';

/**
 * Every `/api/*` route needs the dashboard token, in `X-Dashboard-Token` or `Authorization: Bearer`,
 * compared in constant time, or a page session (its httpOnly cookie) whose CSRF token a
 * state-changing request echoes in `X-CSRF-Token`. A preflight (OPTIONS) and the health routes pass.
 * A refusal is 401 (403 for a missing CSRF token) with no data.
 */
/** Every matched `/api/*` route pattern but the health routes; unmatched requests reach the 404 handler, which shows nothing. */
export const needsDashboardAccess = (routePattern: string | undefined): boolean => routePattern !== undefined && routePattern.startsWith('/api/') && routePattern !== '/api/health' && !routePattern.startsWith('/api/health/');

export const requireDashboardAccess = (app: FastifyInstance, token: string, sessions: Sessions): void => {
  app.addHook('onRequest', async (request, reply) => {
    // Decided on the route Fastify matched (its pattern), never on the raw URL: `/%61pi/leads` is
    // routed to `/api/leads`, so a prefix check on the raw URL would let it through unauthenticated.
    if (!needsDashboardAccess(request.routeOptions.url) || request.method === 'OPTIONS') return;
    const header = request.headers['x-dashboard-token'];
    const auth = request.headers.authorization;
    const given = typeof header === 'string' ? header : auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : null;
    if (given) {
      if (safeEqual(given, token)) return;
      return reply.code(401).send({ error: 'unauthorized', code: 'UNAUTHORIZED' });
    }
    const session = await sessions.get(request.cookies[SESSION_COOKIE]);
    if (!session) return reply.code(401).send({ error: 'unauthorized', code: 'UNAUTHORIZED' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const csrf = request.headers['x-csrf-token'];
      if (typeof csrf !== 'string' || !safeEqual(csrf, session.csrf)) return reply.code(403).send({ error: 'missing or wrong CSRF token', code: 'CSRF' });
    }
  });
};
