import { AppError } from '../lib/app-error.js';

/** PostgreSQL and socket codes that mean the server went away or cannot be reached (not a bad query). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/**
 * A lost or refused database connection, found anywhere in an error's cause chain (drizzle wraps the
 * driver's error), as a STORE_UNAVAILABLE with a message naming the cause; null for anything else.
 */
export const storeUnavailableOf = (error: unknown): AppError | null => {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if ((typeof code === 'string' && CONNECTION_CODES.has(code)) || (typeof message === 'string' && /^Connection terminated/.test(message))) {
      return new AppError('STORE_UNAVAILABLE', `the database connection was lost or refused (${typeof code === 'string' ? code : String(message)}): is PostgreSQL running? What this command finished before stays done; run it again`, {
        cause: error,
      });
    }
  }
  return null;
};
