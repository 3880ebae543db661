/** Stable error codes; the CLI maps them to exit codes (EXIT_CODE) and the server to HTTP statuses (HTTP_STATUS). */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'CONFIG_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'STORE_LOCKED'
  /** The database cannot be reached or started (its folder, its port, its server gone). */
  | 'STORE_UNAVAILABLE'
  | 'EMERGENCY_STOP'
  | 'PROVIDER_UNAVAILABLE'
  | 'PROVIDER_RATE_LIMITED'
  | 'PROVIDER_AUTH'
  | 'PROVIDER_BAD_REQUEST'
  | 'PROVIDER_BAD_RESPONSE'
  | 'OUT_OF_CREDITS'
  | 'INTERNAL';

export type AppErrorOptions = {
  /** Whether retrying the same call later can succeed. @defaultValue false */
  retryable?: boolean;
  cause?: unknown;
  /** Extra facts for logs; never secrets, never raw provider bodies. */
  details?: Record<string, unknown>;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, opts: AppErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details ?? {};
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Exit codes of the CLI: 2 for anything the user must fix in their input or config. */
export const EXIT_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: 2,
  CONFIG_INVALID: 2,
  NOT_FOUND: 3,
  CONFLICT: 4,
  STORE_LOCKED: 5,
  STORE_UNAVAILABLE: 8,
  EMERGENCY_STOP: 6,
  PROVIDER_UNAVAILABLE: 7,
  PROVIDER_RATE_LIMITED: 7,
  PROVIDER_AUTH: 7,
  PROVIDER_BAD_REQUEST: 7,
  PROVIDER_BAD_RESPONSE: 7,
  OUT_OF_CREDITS: 7,
  INTERNAL: 1,
};

/**
 * HTTP statuses of the server's answers, the one table for every route (API, pages, webhooks'
 * handlers throw nothing of these): what the caller must fix is 4xx; the emergency stop is 423
 * (Locked); a database away or held is 503 (try again); a provider's failure is 502 (Bad Gateway).
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  CONFIG_INVALID: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STORE_LOCKED: 503,
  STORE_UNAVAILABLE: 503,
  EMERGENCY_STOP: 423,
  PROVIDER_UNAVAILABLE: 502,
  PROVIDER_RATE_LIMITED: 502,
  PROVIDER_AUTH: 502,
  PROVIDER_BAD_REQUEST: 502,
  PROVIDER_BAD_RESPONSE: 502,
  OUT_OF_CREDITS: 502,
  INTERNAL: 500,
};
