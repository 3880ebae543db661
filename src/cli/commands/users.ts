import { AppError } from '../../lib/app-error.js';
import type { Role, UserRecord } from '../../lib/session.js';
import { createUserStore } from '../../store/users-repo.js';
import { configFrom } from '../config-from.js';
import { cliIo, cliOut } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withStore } from './with-app.js';

const nowOf = (): Date => cliIo().overrides?.clock?.now() ?? new Date();

const jsonOf = (u: UserRecord) => ({ name: u.name, role: u.role, createdAt: u.createdAt.toISOString(), disabledAt: u.disabledAt?.toISOString() ?? null });

/** The first line of standard input (a password piped in: `printf %s "$PW" | caio users add ...`). */
const readStdinLine = async (): Promise<string> => {
  if (process.stdin.isTTY) throw new AppError('INVALID_INPUT', '--password-stdin reads a piped password (printf %s "$PASSWORD" | caio users add ...), not a terminal');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
};

/** The password: from stdin with --password-stdin, else CAIO_USER_PASSWORD; never from an argument (it would sit in the shell history and `ps`). */
const passwordOf = async (options: { passwordStdin?: boolean }): Promise<string> => {
  if (options.passwordStdin) return readStdinLine();
  const fromEnv = cliIo().env.CAIO_USER_PASSWORD;
  if (fromEnv) return fromEnv;
  throw new AppError('INVALID_INPUT', 'no password: pipe it with --password-stdin, or set CAIO_USER_PASSWORD');
};

/** `caio users add NAME --role R`: a person who logs in to the dashboard by name (audited, without the password). */
export const usersAddCommand = async (name: string, options: CommonOptions & { role: Role; passwordStdin?: boolean; by: string; json?: boolean }): Promise<void> => {
  const password = await passwordOf(options);
  await withStore(configFrom(options), async ({ database, stores }) => {
    const user = await createUserStore(database.db, { now: nowOf }).add({ name, role: options.role, password });
    await stores.audit.append({ at: nowOf(), actor: options.by, action: 'user.added', entityType: 'user', entityId: user.id, runId: null, details: { name: user.name, role: user.role } });
    if (options.json) return printJson(jsonOf(user));
    cliOut(`added ${user.name} (${user.role}): they log in at /login with their name and password\n`);
  });
};

/** `caio users list`: name, role, added, disabled. */
export const usersListCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withStore(configFrom(options), async ({ database }) => {
    const all = await createUserStore(database.db).list();
    if (options.json) return printJson(all.map(jsonOf));
    if (!all.length) return cliOut('no users yet (caio users add NAME --role R adds one; the dashboard token still logs in)\n');
    const width = Math.max(4, ...all.map((u) => u.name.length));
    const rows = all.map((u) => `${u.name.padEnd(width)}  ${u.role.padEnd(8)}  ${u.createdAt.toISOString()}  ${u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : 'active'}`);
    cliOut(`${'name'.padEnd(width)}  role      added                     status\n${rows.join('\n')}\n`);
  });
};

/** `caio users disable NAME`: their sessions stop at once; the row stays (the audit log names them). */
export const usersDisableCommand = async (name: string, options: CommonOptions & { by: string; json?: boolean }): Promise<void> => {
  await withStore(configFrom(options), async ({ database, stores }) => {
    const users = createUserStore(database.db, { now: nowOf });
    const before = await users.byName(name);
    if (!before) throw new AppError('NOT_FOUND', `no user named "${name.trim().toLowerCase()}" (caio users list shows them)`);
    const user = (await users.disable(name))!;
    if (!before.disabledAt) await stores.audit.append({ at: nowOf(), actor: options.by, action: 'user.disabled', entityType: 'user', entityId: user.id, runId: null, details: { name: user.name, role: user.role } });
    if (options.json) return printJson(jsonOf(user));
    cliOut(before.disabledAt ? `${user.name} was already disabled (since ${before.disabledAt.toISOString()})\n` : `disabled ${user.name}: their sessions stopped, they cannot log in\n`);
  });
};

/** `caio users password NAME`: a new password (from stdin or CAIO_USER_PASSWORD); the person's sessions end. */
export const usersPasswordCommand = async (name: string, options: CommonOptions & { passwordStdin?: boolean; by: string; json?: boolean }): Promise<void> => {
  const password = await passwordOf(options);
  await withStore(configFrom(options), async ({ database, stores }) => {
    const user = await createUserStore(database.db, { now: nowOf }).setPassword(name, password);
    if (!user) throw new AppError('NOT_FOUND', `no user named "${name.trim().toLowerCase()}" (caio users list shows them)`);
    await stores.audit.append({ at: nowOf(), actor: options.by, action: 'user.password_changed', entityType: 'user', entityId: user.id, runId: null, details: { name: user.name } });
    if (options.json) return printJson(jsonOf(user));
    cliOut(`new password for ${user.name}: their sessions ended, they log in again with it${user.disabledAt ? ' (they are disabled: they still cannot log in)' : ''}
`);
  });
};
