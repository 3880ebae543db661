import { describe, expect, it } from 'vitest';
import { hashPassword, MIN_PASSWORD_LENGTH, PASSWORD_PARAMS, passwordProblem, verifyPassword } from '../../../src/lib/password.js';

/** Dashboard passwords: scrypt (N=2^15, r=8, p=1) from node:crypto, a 16-byte salt, a 64-byte key, verified in constant time. */
describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with the chosen parameters, a fresh salt each time, never the password', async () => {
    const password = 'correct horse battery';
    const a = await hashPassword(password);
    const b = await hashPassword(password);
    const [scheme, N, r, p, salt, key] = a.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 15, 8, 1]);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(PASSWORD_PARAMS.saltBytes);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(a).not.toContain(password);
  });

  it('verifies the right password and refuses a wrong one, one character off, or an empty one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterx', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('verifies with the parameters stored in the hash (a cost raised later keeps old hashes working)', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const cheap = `scrypt$1024$8$1$${salt.toString('base64url')}$${scryptSync('an older password', salt, 64, { N: 1024, r: 8, p: 1 }).toString('base64url')}`;
    expect(await verifyPassword('an older password', cheap)).toBe(true);
    expect(await verifyPassword('another password', cheap)).toBe(false);
  });

  it('never matches a stored value that is not a sane scrypt hash', async () => {
    const good = await hashPassword('correct horse battery');
    const parts = good.split('$');
    const variants = [
      '',
      'plain text',
      'bcrypt$10$abc',
      ['argon2', ...parts.slice(1)].join('$'),
      [...parts.slice(0, 1), String(2 ** 30), ...parts.slice(2)].join('$'), // absurd cost
      [...parts.slice(0, 1), '1000', ...parts.slice(2)].join('$'), // N not a power of two
      [...parts.slice(0, 4), '', parts[5]].join('$'), // no salt
      [...parts.slice(0, 5), 'AAAA'].join('$'), // key too short
      parts.slice(0, 5).join('$'),
    ];
    for (const stored of variants) expect(await verifyPassword('correct horse battery', stored), stored).toBe(false);
  });

  it('asks for at least 12 characters and refuses a megabyte', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(passwordProblem('eleven char')).toBe('a password needs at least 12 characters');
    expect(passwordProblem('twelve chars')).toBeNull();
    expect(passwordProblem('x'.repeat(1_000_000))).toMatch(/at most/);
  });
});
