import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { safeEqual } from '../../lib/hash.js';
import { actorOfSession, hasRole, type Role, type Session, type SessionUser } from '../../lib/session.js';
import type { AuditStore } from '../../pipeline/ports.js';
import { SESSION_COOKIE, type Sessions } from '../pages/sessions.js';
import { API_OPERATIONS, routeOf, type ApiOperation } from './openapi.js';

/**
 * Every `/api/*` route needs the dashboard token, in `X-Dashboard-Token` or `Authorization: Bearer`,
 * compared in constant time, or a page session (its httpOnly cookie) whose CSRF token a
 * state-changing request echoes in `X-CSRF-Token`. A preflight (OPTIONS) and the health routes pass.
 * A refusal is 401 (403 for a missing CSRF token) with no data.
 *
 * People (issue 21 item 5): an operation marked with a `role` in API_OPERATIONS (approving and
 * sending batches, leaving items out, activating campaigns, the emergency stop, running the
 * OPERATOR) needs a session of someone with that role or more: a reviewer gets 403 FORBIDDEN and the
 * refusal is audited (`access.refused`, the person's name, the operation). The token (header, a
 * machine) and a page session logged in with the token act as admin. What a session does is recorded
 * under its person: the body's `by` is replaced by their name, so a page cannot claim to be someone
 * else. A token login names whoever typed a name (or is "dashboard-token"); a header call names itself in `by`.
 */
/** Every matched `/api/*` route pattern but the health routes; unmatched requests reach the 404 handler, which shows nothing. */
export const needsDashboardAccess = (routePattern: string | undefined): boolean => routePattern !== undefined && routePattern.startsWith('/api/') && routePattern !== '/api/health' && !routePattern.startsWith('/api/health/');

/** How a request got in: the token in a header (a machine), or a page session. */
export type Access = { kind: 'token' } | { kind: 'session'; session: Session };

const accessOfRequest = new WeakMap<FastifyRequest, Access>();
/** How this request got in (undefined for a route that needs no access). */
export const accessOf = (request: FastifyRequest): Access | undefined => accessOfRequest.get(request);

type OperationRule = { operationId: string; role: Role | undefined; hasBy: boolean };

/** Whether the operation's body names who acts (`by`). */
const hasByOf = (op: ApiOperation): boolean => Boolean(op.body && 'shape' in op.body && (op.body.shape as Record<string, z.ZodType>).by);

const RULES = new Map<string, OperationRule>((API_OPERATIONS as readonly ApiOperation[]).map((op) => [`${op.method.toUpperCase()} ${routeOf(op.path)}`, { operationId: op.operationId, role: op.role, hasBy: hasByOf(op) }]));

/**
 * Operations that write only when the body confirms (`confirm: true`), and the role that confirming
 * needs: QUEEN's confirmed plan can set the emergency stop (domain/queen/tools.ts), which a reviewer may not.
 */
const CONFIRM_NEEDS: Partial<Record<string, Role>> = { askQueen: 'operator' };

export type AccessOptions = {
  /** Where a refused attempt is recorded (`access.refused`). */
  audit?: AuditStore;
  now: () => Date;
};

export const requireDashboardAccess = (app: FastifyInstance, token: string, sessions: Sessions, options: AccessOptions = { now: () => new Date() }): void => {
  const refuse = async (reply: FastifyReply, user: SessionUser, operation: string, needed: Role) => {
    await options.audit?.append({ at: options.now(), actor: user.name, action: 'access.refused', entityType: 'user', entityId: user.id, runId: null, details: { operation, role: user.role, needed } });
    return reply.code(403).send({ error: `this needs the ${needed} role (or admin); ${user.name} is a ${user.role}`, code: 'FORBIDDEN' });
  };
  app.addHook('onRequest', async (request, reply) => {
    // Decided on the route Fastify matched (its pattern), never on the raw URL: `/%61pi/leads` is
    // routed to `/api/leads`, so a prefix check on the raw URL would let it through unauthenticated.
    if (!needsDashboardAccess(request.routeOptions.url) || request.method === 'OPTIONS') return;
    const header = request.headers['x-dashboard-token'];
    const auth = request.headers.authorization;
    const given = typeof header === 'string' ? header : auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : null;
    if (given) {
      if (safeEqual(given, token)) return void accessOfRequest.set(request, { kind: 'token' });
      return reply.code(401).send({ error: 'unauthorized', code: 'UNAUTHORIZED' });
    }
    const session = await sessions.get(request.cookies[SESSION_COOKIE]);
    if (!session) return reply.code(401).send({ error: 'unauthorized', code: 'UNAUTHORIZED' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const csrf = request.headers['x-csrf-token'];
      if (typeof csrf !== 'string' || !safeEqual(csrf, session.csrf)) return reply.code(403).send({ error: 'missing or wrong CSRF token', code: 'CSRF' });
    }
    const rule = RULES.get(`${request.method} ${request.routeOptions.url}`);
    const user = session.user;
    if (rule?.role && user && !hasRole(user.role, rule.role)) return refuse(reply, user, rule.operationId, rule.role);
    accessOfRequest.set(request, { kind: 'session', session });
  });
  // After the body is parsed: the person recorded is the one logged in, never the one the body names.
  app.addHook('preHandler', async (request, reply) => {
    const access = accessOf(request);
    const rule = RULES.get(`${request.method} ${request.routeOptions.url}`);
    const user = access?.kind === 'session' ? access.session.user : null;
    const confirmNeeds = rule ? CONFIRM_NEEDS[rule.operationId] : undefined;
    if (user && rule && confirmNeeds && !hasRole(user.role, confirmNeeds) && (request.body as { confirm?: unknown } | undefined)?.confirm === true) return refuse(reply, user, rule.operationId, confirmNeeds);
    // A machine (the token in a header) names itself in `by`, as the document says: a call without it stays a 400.
    if (access?.kind !== 'session' || !rule?.hasBy) return;
    if (request.body === undefined || request.body === null) request.body = {};
    const body = request.body;
    if (typeof body !== 'object' || Array.isArray(body)) return;
    const fields = body as Record<string, unknown>;
    // A person is who they logged in as. A token login is nobody in particular: the name typed on the
    // page (as before people had logins), or "dashboard-token" when it gives none.
    if (access.session.user || typeof fields.by !== 'string' || !fields.by.trim()) fields.by = actorOfSession(access.session);
  });
};
