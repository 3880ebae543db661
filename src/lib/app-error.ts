/** Stable error codes; the CLI maps them to exit codes and (later) the server to HTTP statuses. */
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
