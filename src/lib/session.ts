import { randomBytes } from 'node:crypto';

/** Who may do what on the dashboard (issue 21 item 5): each role can do what the ones before it can. */
export const ROLES = ['reviewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` is at least `needed` (an admin can do everything an operator can). */
export const hasRole = (role: Role, needed: Role): boolean => ROLES.indexOf(role) >= ROLES.indexOf(needed);

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** The person a session belongs to. */
export type SessionUser = { id: string; name: string; role: Role };

/** A person who logs in by name (never their password or its hash). */
export type UserRecord = SessionUser & { createdAt: Date; disabledAt: Date | null };

/** The actor recorded for what a page session logged in with the dashboard token does (it acts as admin). */
export const TOKEN_SESSION_ACTOR = 'dashboard-token';

/**
 * The people who log in by name (store/users-repo.ts keeps them in PostgreSQL): what the login form,
 * the sessions and `caio users` need.
 */
export type Users = {
  /** Adds a person; a CONFLICT AppError when the name is taken, INVALID_INPUT for a bad name or password. */
  add(input: { name: string; role: Role; password: string }): Promise<UserRecord>;
  list(): Promise<UserRecord[]>;
  /** Disables a person (their sessions stop at once); null when there is no such name. Disabling twice keeps the first time. */
  disable(name: string): Promise<UserRecord | null>;
  byName(name: string): Promise<UserRecord | null>;
  /**
   * A new password for a person (INVALID_INPUT for a weak one): their sessions end, so whoever
   * knew the old password is logged out everywhere. Null when there is no such name.
   */
  setPassword(name: string, password: string): Promise<UserRecord | null>;
  /** The person when the name and password match an enabled user; null otherwise (which of the two was wrong is not said). */
  login(name: string, password: string): Promise<SessionUser | null>;
  /** The person with this id while enabled (their role as it is now); null when disabled or gone. */
  active(id: string): Promise<SessionUser | null>;
};

/**
 * A dashboard login session: an httpOnly, SameSite=Strict cookie names it, and every
 * state-changing request from a page echoes its CSRF token. Failed logins are limited per address
 * (5 in 5 minutes). This is the contract both keepers implement: the in-memory one
 * (server/pages/sessions.ts, for tests and single-process tools) and the PostgreSQL one
 * (store/session-repo.ts, for `caio serve`, so any server behind a load balancer knows every session).
 * `user` is the person logged in by name, null for a login with the dashboard token (which acts as
 * admin, recorded as "dashboard-token"). A disabled person's session is not found any more.
 */
export type Session = { id: string; csrf: string; createdAt: number; user: SessionUser | null };

export type Sessions = {
  create(user?: SessionUser | null): Promise<Session>;
  get(id: string | undefined): Promise<Session | null>;
  end(id: string | undefined): Promise<void>;
  /** True when this address must wait before trying again. */
  limited(address: string): Promise<boolean>;
  failed(address: string): Promise<void>;
};

export const SESSION_TTL_MS = 12 * 3_600_000;

/** At most `max` failed logins per address within `windowMs`. */
export const LOGIN_LIMIT = { windowMs: 300_000, max: 5 } as const;

export const newSession = (now: number, user: SessionUser | null = null): Session => ({
  id: randomBytes(24).toString('base64url'),
  csrf: randomBytes(24).toString('base64url'),
  createdAt: now,
  user,
});

/** The actor a session's actions are recorded under: the person's name, or "dashboard-token". */
export const actorOfSession = (session: Session): string => session.user?.name ?? TOKEN_SESSION_ACTOR;
