import { asc, eq, isNull, and, sql } from 'drizzle-orm';
import { AppError } from '../lib/app-error.js';
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from '../lib/password.js';
import { isRole, type Role, type SessionUser, type UserRecord, type Users } from '../lib/session.js';
import type { Db } from './database.js';
import { dashboardSessions, users } from './schema.js';

/** A login name: lower case letters, digits, `.`, `_` and `-`, 2 to 64 of them; never an e-mail address (the name goes into the audit log). */
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

/** The login name as stored: trimmed, lower case. */
export const normalName = (name: string): string => name.trim().toLowerCase();

type Row = typeof users.$inferSelect;

const recordOf = (row: Row): UserRecord => ({ id: row.id, name: row.name, role: isRole(row.role) ? row.role : 'reviewer', createdAt: row.createdAt, disabledAt: row.disabledAt });
const personOf = (row: Row): SessionUser => ({ id: row.id, name: row.name, role: isRole(row.role) ? row.role : 'reviewer' });

const uniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The people who log in by name, in PostgreSQL; passwords only as scrypt hashes (lib/password.ts). */
export const createUserStore = (db: Db, options: { now?: () => Date } = {}): Users => {
  const now = options.now ?? (() => new Date());
  const rowByName = async (name: string): Promise<Row | null> => {
    const [row] = await db
      .select()
      .from(users)
      .where(eq(users.name, normalName(name)))
      .limit(1);
    return row ?? null;
  };
  return {
    add: async ({ name, role, password }: { name: string; role: Role; password: string }) => {
      const login = normalName(name);
      if (!USER_NAME.test(login)) throw new AppError('INVALID_INPUT', `a login name is 2 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit (not an e-mail address)`);
      if (!isRole(role)) throw new AppError('INVALID_INPUT', `role must be one of reviewer, operator, admin`);
      const problem = passwordProblem(password);
      if (problem) throw new AppError('INVALID_INPUT', problem);
      const passwordHash = await hashPassword(password);
      try {
        const [row] = await db.insert(users).values({ name: login, role, passwordHash, createdAt: now() }).returning();
        return recordOf(row!);
      } catch (error) {
        if (uniqueViolation(error)) throw new AppError('CONFLICT', `a user named "${login}" already exists`);
        throw error;
      }
    },
    list: async () => (await db.select().from(users).orderBy(asc(users.name))).map(recordOf),
    disable: async (name) => {
      const login = normalName(name);
      const [row] = await db
        .update(users)
        .set({ disabledAt: sql`coalesce(${users.disabledAt}, ${now()})` })
        .where(eq(users.name, login))
        .returning();
      return row ? recordOf(row) : null;
    },
    setPassword: async (name, password) => {
      const problem = passwordProblem(password);
      if (problem) throw new AppError('INVALID_INPUT', problem);
      const passwordHash = await hashPassword(password);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(users)
          .set({ passwordHash })
          .where(eq(users.name, normalName(name)))
          .returning();
        if (!row) return null;
        await tx.delete(dashboardSessions).where(eq(dashboardSessions.userId, row.id));
        return recordOf(row);
      });
    },
    byName: async (name) => {
      const row = await rowByName(name);
      return row ? recordOf(row) : null;
    },
    login: async (name, password) => {
      const login = normalName(name);
      const row = USER_NAME.test(login) ? await rowByName(login) : null;
      // A name nobody has (or a disabled one) costs one scrypt too: the answer's time says nothing.
      if (!row || row.disabledAt) {
        await verifyPassword(password, await decoyHash());
        return null;
      }
      return (await verifyPassword(password, row.passwordHash)) ? personOf(row) : null;
    },
    active: async (id) => {
      if (!UUID.test(id)) return null;
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.id, id), isNull(users.disabledAt)))
        .limit(1);
      return row ? personOf(row) : null;
    },
  };
};
