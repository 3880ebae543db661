import { createHash } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { isRole, LOGIN_LIMIT, newSession, SESSION_TTL_MS, type Sessions } from '../lib/session.js';
import type { Db } from './database.js';
import { dashboardSessions, loginFailures, users } from './schema.js';

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * Dashboard sessions and failed logins in the database: every server sees the same ones. A session
 * of a person (user_id) is found only while that person is enabled: disabling them ends it at once.
 */
export const createSessionStore = (db: Db, options: { ttlMs?: number; now?: () => Date } = {}): Sessions => {
  const ttl = options.ttlMs ?? SESSION_TTL_MS;
  const now = options.now ?? (() => new Date());
  return {
    create: async (user = null) => {
      const at = now();
      const session = newSession(at.getTime(), user);
      // Expired sessions go as new ones come: the table stays the size of the people logged in.
      await db.delete(dashboardSessions).where(lt(dashboardSessions.expiresAt, at));
      await db.insert(dashboardSessions).values({ idHash: hashOf(session.id), csrf: session.csrf, createdAt: at, expiresAt: new Date(at.getTime() + ttl), userId: user?.id ?? null });
      return session;
    },
    get: async (id) => {
      if (!id || id.length > 200) return null;
      const [row] = await db
        .select({ csrf: dashboardSessions.csrf, createdAt: dashboardSessions.createdAt, userId: dashboardSessions.userId, name: users.name, role: users.role, disabledAt: users.disabledAt })
        .from(dashboardSessions)
        .leftJoin(users, eq(users.id, dashboardSessions.userId))
        .where(and(eq(dashboardSessions.idHash, hashOf(id)), gt(dashboardSessions.expiresAt, now())))
        .limit(1);
      if (!row) return null;
      if (row.userId === null) return { id, csrf: row.csrf, createdAt: row.createdAt.getTime(), user: null };
      // A person disabled (or with a role this code does not know) has no session any more.
      if (row.name === null || row.role === null || row.disabledAt !== null || !isRole(row.role)) return null;
      return { id, csrf: row.csrf, createdAt: row.createdAt.getTime(), user: { id: row.userId, name: row.name, role: row.role } };
    },
    end: async (id) => {
      if (id) await db.delete(dashboardSessions).where(eq(dashboardSessions.idHash, hashOf(id)));
    },
    limited: async (address) => {
      const since = new Date(now().getTime() - LOGIN_LIMIT.windowMs);
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(loginFailures)
        .where(and(eq(loginFailures.address, address), gt(loginFailures.at, since)));
      return Number(row?.n ?? 0) >= LOGIN_LIMIT.max;
    },
    failed: async (address) => {
      const at = now();
      await db.delete(loginFailures).where(lt(loginFailures.at, new Date(at.getTime() - LOGIN_LIMIT.windowMs)));
      await db.insert(loginFailures).values({ address, at });
    },
  };
};
