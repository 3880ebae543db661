import { isAppError, type ErrorCode } from '../lib/app-error.js';
import type { Schedule } from './schedule.js';

/** What a job's handler learns about the run it is part of. */
export type JobContext = {
  /** The backend's id of this job (stable across its retries). */
  jobId: string;
  /** 1 for the first try, 2 for the first retry, and so on. */
  attempt: number;
  now: Date;
};

/**
 * One job, as both backends (inline and BullMQ) see it. The handler should be idempotent: BullMQ
 * delivers at least once (a worker that dies mid-job has its job run again by another), so the
 * guarantees that matter live in the store (the outbox's unique key), not in the job id.
 */
export type JobDefinition<D> = {
  /** Unique across all definitions: jobs are enqueued and dispatched by name. */
  name: string;
  /** The BullMQ queue it runs on; workers are started per queue. */
  queue: string;
  /** When set, the backend fires the job on this schedule (with `{}` as its data). */
  schedule?: Schedule;
  /** Tries in total, the first one included. @defaultValue 5 */
  attempts?: number;
  /** The first retry's delay; each further retry doubles it. @defaultValue 1000 */
  backoffMs?: number;
  /**
   * Data arrives from Redis as parsed JSON, so `D` is what the producer promised, not what was
   * checked: a handler that cannot trust its producers parses it (a zod schema) and throws
   * `AppError('INVALID_INPUT')`, which is not retried.
   */
  run: (data: D, ctx: JobContext) => Promise<Record<string, unknown>>;
};

/**
 * Any definition, whatever its data: `never` is the one data type every `run` accepts
 * (parameters are contravariant), so a list of differently-typed definitions fits without `any`.
 */
export type AnyJobDefinition = JobDefinition<never>;

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS = 1000;

/**
 * Errors that the same call cannot fix by being repeated: bad input or config, a missing or
 * conflicting record, the emergency stop, no credits left, and provider 4xx answers other than
 * rate limits (auth, bad request). Outages, rate limits, odd responses, a locked store and
 * internal errors are worth retrying.
 */
const UNRECOVERABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['INVALID_INPUT', 'CONFIG_INVALID', 'NOT_FOUND', 'CONFLICT', 'EMERGENCY_STOP', 'OUT_OF_CREDITS', 'PROVIDER_AUTH', 'PROVIDER_BAD_REQUEST']);

/**
 * Whether a job that threw this must go straight to failed instead of being retried.
 * An `AppError` its thrower marked `retryable` is always retried: it knows better than its code.
 * BullMQ's `UnrecoverableError` is recognised by name (as BullMQ itself does), so this module
 * stays free of the bullmq import and the inline backend does not pay for loading it.
 */
export const isUnrecoverable = (error: unknown): boolean => {
  // An uncertain provider call (it may have reached the provider) is never repeated by a retry:
  // the outbox or a person reconciles it.
  if (isAppError(error)) return !error.retryable && (UNRECOVERABLE_CODES.has(error.code) || error.details.uncertain === true);
  return error instanceof Error && error.name === 'UnrecoverableError';
};
