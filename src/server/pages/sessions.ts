import { randomBytes } from 'node:crypto';

export type Session = { id: string; csrf: string; createdAt: number };

export const SESSION_TTL_MS = 12 * 3_600_000;
const FAILURE_WINDOW_MS = 300_000;
const MAX_FAILURES = 5;

/**
 * Page sessions: an httpOnly, SameSite=Strict cookie naming a session, with a CSRF token that every
 * state-changing request from a page must echo. Failed logins are limited per address (5 in 5
 * minutes). `caio serve` keeps both in PostgreSQL (store/session-repo.ts), so any server behind a
 * load balancer knows every session; this in-memory one serves tests and single-process tools.
 */
export type Sessions = {
  create(): Promise<Session>;
  get(id: string | undefined): Promise<Session | null>;
  end(id: string | undefined): Promise<void>;
  /** True when this address must wait before trying again. */
  limited(address: string): Promise<boolean>;
  failed(address: string): Promise<void>;
};

export const newSession = (now: number): Session => ({ id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), createdAt: now });

export const createSessions = (options: { ttlMs?: number; now?: () => number } = {}): Sessions => {
  const ttl = options.ttlMs ?? SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const failures = new Map<string, number[]>();
  const recent = (address: string) => (failures.get(address) ?? []).filter((t) => now() - t < FAILURE_WINDOW_MS);
  return {
    create: async () => {
      const session = newSession(now());
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
      return s;
    },
    end: async (id) => {
      if (id) sessions.delete(id);
    },
    limited: async (address) => recent(address).length >= MAX_FAILURES,
    failed: async (address) => void failures.set(address, [...recent(address), now()]),
  };
};

export const SESSION_COOKIE = 'caio_session';

export const cookieOf = (header: string | undefined, name: string): string | undefined =>
  header
    ?.split(';')
    .map((p) => p.trim().split('='))
    .find(([k]) => k === name)?.[1];

export const LOGIN_LIMIT = { windowMs: FAILURE_WINDOW_MS, max: MAX_FAILURES } as const;
