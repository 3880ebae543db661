import { randomBytes } from 'node:crypto';

/**
 * A dashboard login session: an httpOnly, SameSite=Strict cookie names it, and every
 * state-changing request from a page echoes its CSRF token. Failed logins are limited per address
 * (5 in 5 minutes). This is the contract both keepers implement: the in-memory one
 * (server/pages/sessions.ts, for tests and single-process tools) and the PostgreSQL one
 * (store/session-repo.ts, for `caio serve`, so any server behind a load balancer knows every session).
 */
export type Session = { id: string; csrf: string; createdAt: number };

export type Sessions = {
  create(): Promise<Session>;
  get(id: string | undefined): Promise<Session | null>;
  end(id: string | undefined): Promise<void>;
  /** True when this address must wait before trying again. */
  limited(address: string): Promise<boolean>;
  failed(address: string): Promise<void>;
};

export const SESSION_TTL_MS = 12 * 3_600_000;

/** At most `max` failed logins per address within `windowMs`. */
export const LOGIN_LIMIT = { windowMs: 300_000, max: 5 } as const;

export const newSession = (now: number): Session => ({ id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), createdAt: now });
