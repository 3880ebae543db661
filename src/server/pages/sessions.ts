import { LOGIN_LIMIT, newSession, SESSION_TTL_MS, type Session, type Sessions, type Users } from '../../lib/session.js';

// The session contract lives in lib/ (the store keeps sessions too); re-exported for the server's modules.
export { LOGIN_LIMIT, newSession, SESSION_TTL_MS, type Session, type Sessions } from '../../lib/session.js';

const FAILURE_WINDOW_MS = LOGIN_LIMIT.windowMs;
const MAX_FAILURES = LOGIN_LIMIT.max;

/**
 * Page sessions in memory (lib/session.ts says what a session is): this one serves tests and
 * single-process tools; `caio serve` keeps them in PostgreSQL (store/session-repo.ts). With `users`,
 * a person's session is asked about at every use: disabled, it is gone; their role is the current one.
 */
export const createSessions = (options: { ttlMs?: number; now?: () => number; users?: Pick<Users, 'active'> } = {}): Sessions => {
  const ttl = options.ttlMs ?? SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const failures = new Map<string, number[]>();
  const recent = (address: string) => (failures.get(address) ?? []).filter((t) => now() - t < FAILURE_WINDOW_MS);
  return {
    create: async (user = null) => {
      const session = newSession(now(), user);
      sessions.set(session.id, session);
      return session;
    },
    get: async (id) => {
      const s = id ? sessions.get(id) : undefined;
      if (!s) return null;
      if (now() - s.createdAt > ttl) {
        sessions.delete(s.id);
        return null;
      }
      if (!s.user) return s;
      const person = options.users ? await options.users.active(s.user.id) : s.user;
      if (!person) {
        sessions.delete(s.id);
        return null;
      }
      return { ...s, user: person };
    },
    end: async (id) => {
      if (id) sessions.delete(id);
    },
    limited: async (address) => recent(address).length >= MAX_FAILURES,
    failed: async (address) => void failures.set(address, [...recent(address), now()]),
  };
};

export const SESSION_COOKIE = 'caio_session';
