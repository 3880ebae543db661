import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Dashboard passwords, hashed with scrypt (memory-hard) from Node's own crypto: no native package,
 * no install script (docs/users.md says why not argon2). Stored as `scrypt$N$r$p$salt$hash`
 * (salt and hash base64url), so the cost can be raised later and old hashes still verify.
 */
export const PASSWORD_PARAMS = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 64 } as const;

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest: scrypt reads all of it, a megabyte of "password" is a denial of service. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Memory scrypt needs is about 128 * N * r * p bytes (32 MiB here); Node refuses above maxmem (32 MiB by default), so twice that. */
const maxmemOf = (N: number, r: number, p: number) => 2 * 128 * N * r * p;

const derive = (password: string, salt: Buffer, keyBytes: number, N: number, r: number, p: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = { N, r, p, maxmem: maxmemOf(N, r, p) };
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** Why a password is refused, or null when it is acceptable. */
export const passwordProblem = (password: string): string | null => {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
};

/** A new salted hash of `password` (a fresh 16-byte salt each time). */
export const hashPassword = async (password: string): Promise<string> => {
  const { N, r, p, saltBytes, keyBytes } = PASSWORD_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, keyBytes, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
};

const SANE = { maxN: 2 ** 20, maxR: 32, maxP: 16 } as const;

/**
 * Whether `password` is the one `stored` was made from, compared in constant time. A stored value
 * that is not an scrypt hash of sane cost (corrupted, or absurd parameters) never matches.
 */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > SANE.maxN || (N & (N - 1)) !== 0 || r > SANE.maxR || p > SANE.maxP) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || expected.length < 16) return false;
  const key = await derive(password, salt, expected.length, N, r, p);
  return timingSafeEqual(key, expected);
};

/**
 * A hash of a password nobody has, verified against when a login names nobody: a wrong name then
 * costs the same time as a wrong password, so timing does not tell which names exist.
 */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(18).toString('base64url')));
