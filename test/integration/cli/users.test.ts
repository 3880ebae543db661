import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/database.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { createUserStore } from '../../../src/store/users-repo.js';
import { freshCliStore, runCliInProcess, tempWorkdir } from '../../support/cli.js';

/** `caio users add|list|disable|password` through the production CLI on a schema of its own. */
describe('caio users', () => {
  const work = tempWorkdir();
  const store = freshCliStore();
  const run = (args: string[], env: Record<string, string> = {}) => runCliInProcess(args, { cwd: work.dir, store, env });
  afterAll(() => work.cleanup());

  it('adds people with a role and a password from CAIO_USER_PASSWORD, lists them without any hash, disables one; each change audited', async () => {
    expect((await run(['users', 'list'])).stdout).toBe('no users yet (caio users add NAME --role R adds one; the dashboard token still logs in)\n');

    const added = await run(['users', 'add', 'Rita', '--role', 'reviewer', '--by', 'ada'], { CAIO_USER_PASSWORD: 'rita reviews drafts' });
    expect([added.code, added.stderr]).toEqual([0, '']);
    expect(added.stdout).toBe('added rita (reviewer): they log in at /login with their name and password\n');
    expect((await run(['users', 'add', 'otto', '--role', 'OPERATOR'], { CAIO_USER_PASSWORD: 'otto operates the send' })).code).toBe(0);

    const listed = await run(['users', 'list', '--json']);
    expect(listed.code).toBe(0);
    const people = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(people.map((p) => [p.name, p.role, p.disabledAt])).toEqual([
      ['otto', 'operator', null],
      ['rita', 'reviewer', null],
    ]);
    expect(Object.keys(people[0]!).sort()).toEqual(['createdAt', 'disabledAt', 'name', 'role']);
    expect(listed.stdout).not.toMatch(/scrypt|otto operates/);
    const table = (await run(['users', 'list'])).stdout;
    expect(table).toMatch(/^name\s+role\s+added\s+status$/m);
    expect(table).toMatch(/^rita\s+reviewer\s+\S+Z\s+active$/m);

    const disabled = await run(['users', 'disable', 'RITA']);
    expect([disabled.code, disabled.stdout]).toEqual([0, 'disabled rita: their sessions stopped, they cannot log in\n']);
    expect((await run(['users', 'disable', 'rita'])).stdout).toMatch(/^rita was already disabled \(since \S+Z\)$/m);
    expect((await run(['users', 'list'])).stdout).toMatch(/^rita\s+reviewer\s+\S+Z\s+disabled \S+Z$/m);

    // The store: the hash is scrypt, the password works for otto and no longer for rita (disabled).
    const database = await openDatabase(store);
    try {
      const rows = ((await database.db.execute(sql`select name, password_hash from users order by name`)) as { rows: { name: string; password_hash: string }[] }).rows;
      expect(rows.map((r) => r.password_hash.split('$')[0])).toEqual(['scrypt', 'scrypt']);
      const users = createUserStore(database.db);
      expect(await users.login('otto', 'otto operates the send')).toMatchObject({ name: 'otto', role: 'operator' });
      expect(await users.login('rita', 'rita reviews drafts')).toBeNull();
      const audit = ((await database.db.execute(sql`select actor, action, details from audit_log where entity_type = 'user' order by id`)) as { rows: { actor: string; action: string; details: Record<string, unknown> }[] }).rows;
      expect(audit.map((a) => [a.actor, a.action, a.details.name])).toEqual([
        ['ada', 'user.added', 'rita'],
        ['cli', 'user.added', 'otto'],
        ['cli', 'user.disabled', 'rita'],
      ]);
      expect(JSON.stringify(audit)).not.toMatch(/reviews drafts|operates the send|scrypt/);
    } finally {
      await database.close();
    }
  });

  it('a new password: the old one stops working, the sessions of that person end, the change is audited without the password', async () => {
    expect((await run(['users', 'add', 'pia', '--role', 'operator'], { CAIO_USER_PASSWORD: 'pia first password' })).code).toBe(0);
    const database = await openDatabase(store);
    try {
      const users = createUserStore(database.db);
      const sessions = createSessionStore(database.db);
      const pia = (await users.login('pia', 'pia first password'))!;
      const session = await sessions.create(pia);
      expect((await sessions.get(session.id))?.user).toMatchObject({ name: 'pia' });

      const weak = await run(['users', 'password', 'pia'], { CAIO_USER_PASSWORD: 'short' });
      expect([weak.code === 0, weak.stderr]).toEqual([false, expect.stringContaining('a password needs at least 12 characters')]);
      expect(await users.login('pia', 'pia first password')).not.toBeNull();

      const changed = await run(['users', 'password', 'PIA', '--by', 'ada'], { CAIO_USER_PASSWORD: 'pia second password' });
      expect([changed.code, changed.stdout]).toEqual([0, 'new password for pia: their sessions ended, they log in again with it\n']);
      expect(await users.login('pia', 'pia first password')).toBeNull();
      expect(await users.login('pia', 'pia second password')).toMatchObject({ name: 'pia' });
      expect(await sessions.get(session.id)).toBeNull();
      const audit = ((await database.db.execute(sql`select actor, action, details from audit_log where action = 'user.password_changed'`)) as { rows: { actor: string; details: Record<string, unknown> }[] }).rows;
      expect(audit.map((a) => [a.actor, a.details.name])).toEqual([['ada', 'pia']]);
      expect(JSON.stringify(audit)).not.toMatch(/second password|scrypt/);

      const unknown = await run(['users', 'password', 'nobody'], { CAIO_USER_PASSWORD: 'a long enough password' });
      expect([unknown.code === 0, unknown.stderr]).toEqual([false, expect.stringContaining('no user named "nobody"')]);
    } finally {
      await database.close();
    }
  });

  it('refuses a short password, no password, a taken name, an e-mail address as a name, an unknown role and an unknown person', async () => {
    const short = await run(['users', 'add', 'sam', '--role', 'admin'], { CAIO_USER_PASSWORD: 'too short' });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('a password needs at least 12 characters');

    const none = await run(['users', 'add', 'sam', '--role', 'admin']);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('no password: pipe it with --password-stdin, or set CAIO_USER_PASSWORD');

    expect((await run(['users', 'add', 'sam', '--role', 'admin'], { CAIO_USER_PASSWORD: 'sam is the admin here' })).code).toBe(0);
    const taken = await run(['users', 'add', 'SAM', '--role', 'reviewer'], { CAIO_USER_PASSWORD: 'another sam entirely' });
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toContain('a user named "sam" already exists');

    const email = await run(['users', 'add', 'sam@example.com', '--role', 'reviewer'], { CAIO_USER_PASSWORD: 'a long enough password' });
    expect(email.code).not.toBe(0);
    expect(email.stderr).toContain('not an e-mail address');

    const role = await run(['users', 'add', 'kim', '--role', 'boss'], { CAIO_USER_PASSWORD: 'a long enough password' });
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('role must be one of reviewer, operator, admin');

    const unknown = await run(['users', 'disable', 'nobody']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no user named "nobody"');
  });
});
