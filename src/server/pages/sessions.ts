import { randomBytes } from 'node:crypto';

export type Session = { id: string; csrf: string; createdAt: number };

/**
 * Page sessions: an httpOnly, SameSite=Strict cookie naming a session held in this process (a
 * restart logs everyone out, which is acceptable for a dashboard of a few people), with a CSRF token
 * that every state-changing request from a page must echo. Failed logins are limited per address.
 */
export const createSessions = (options: { ttlMs?: number; now?: () => number } = {}) => {
  const ttl = options.ttlMs ?? 12 * 3_600_000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const failures = new Map<string, number[]>();
  return {
    create: (): Session => {
      const session = { id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), createdAt: now() };
      sessions.set(session.id, session);
      return session;
    },
    get: (id: string | undefined): Session | null => {
      const s = id ? sessions.get(id) : undefined;
      if (!s) return null;
      if (now() - s.createdAt > ttl) {
        sessions.delete(s.id);
        return null;
      }
      return s;
    },
    end: (id: string | undefined) => {
      if (id) sessions.delete(id);
    },
    /** 5 failed logins per 5 minutes per address; true when this address must wait. */
    limited: (address: string): boolean => (failures.get(address) ?? []).filter((t) => now() - t < 300_000).length >= 5,
    failed: (address: string) => failures.set(address, [...(failures.get(address) ?? []).filter((t) => now() - t < 300_000), now()]),
  };
};

export type Sessions = ReturnType<typeof createSessions>;

export const SESSION_COOKIE = 'caio_session';

export const cookieOf = (header: string | undefined, name: string): string | undefined =>
  header
    ?.split(';')
    .map((p) => p.trim().split('='))
    .find(([k]) => k === name)?.[1];
