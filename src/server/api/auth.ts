import type { FastifyInstance } from 'fastify';
import { safeEqual } from '../../lib/hash.js';

/**
 * Every `/api/*` route needs the dashboard token, in `X-Dashboard-Token` or `Authorization: Bearer`,
 * compared in constant time; a CORS preflight (OPTIONS) passes. A refusal is 401 with no data.
 */
export const requireDashboardToken = (app: FastifyInstance, token: string): void => {
  app.addHook('onRequest', async (request, reply) => {
    // Liveness and readiness are open (they reveal no secret); a CORS preflight passes.
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/health') || request.method === 'OPTIONS') return;
    const header = request.headers['x-dashboard-token'];
    const auth = request.headers.authorization;
    const given = typeof header === 'string' ? header : auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : null;
    if (!given || !safeEqual(given, token)) return reply.code(401).send({ error: 'unauthorized', code: 'UNAUTHORIZED' });
  });
};
