import { AppError } from '../lib/app-error.js';
import type { Logger } from '../lib/logger.js';
import { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF_MS, isUnrecoverable, type AnyJobDefinition } from './definitions.js';

export type InlineFailedJob = { id: string; queue: string; name: string; attemptsMade: number; failedReason: string; finishedOn: string };

/**
 * The inline backend of the job runner (no REDIS_URL: one process owns the embedded database):
 * enqueued jobs run one at a time in this process, in order, with the same retries and backoff as
 * the BullMQ backend and the same unrecoverable errors. A job id already waiting is not added
 * twice. Failed jobs are kept (in memory: the only process that could retry them is this one).
 */
export const createInlineRunner = (options: {
  definitions: readonly AnyJobDefinition[];
  log: Logger;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  onJobDone?: (event: { queue: string; name: string; outcome: 'completed' | 'failed' | 'retrying'; durationMs: number }) => void;
}) => {
  const byName = new Map(options.definitions.map((d) => [d.name, d]));
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  const waiting = new Set<string>();
  const failedJobs = new Map<string, InlineFailedJob & { data: unknown }>();
  let chain: Promise<void> = Promise.resolve();
  let sequence = 0;
  let closed = false;

  const runWithRetries = async (definition: AnyJobDefinition, id: string, data: unknown): Promise<void> => {
    const attempts = definition.attempts ?? DEFAULT_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const done = (outcome: 'completed' | 'failed' | 'retrying') => options.onJobDone?.({ queue: definition.queue, name: definition.name, outcome, durationMs: Math.round(performance.now() - started) });
      try {
        await definition.run(data as never, { jobId: id, attempt, now: now() });
        done('completed');
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const final = isUnrecoverable(error) || attempt >= attempts || closed;
        done(final ? 'failed' : 'retrying');
        if (final) {
          options.log.error({ job: definition.name, jobId: id, attempt, err: message }, 'job failed for good');
          failedJobs.set(id, { id, queue: definition.queue, name: definition.name, attemptsMade: attempt, failedReason: message, finishedOn: now().toISOString(), data });
          return;
        }
        options.log.warn({ job: definition.name, jobId: id, attempt, err: message }, 'job failed, will retry');
        await sleep((definition.backoffMs ?? DEFAULT_BACKOFF_MS) * 2 ** (attempt - 1));
      }
    }
  };

  const add = (definition: AnyJobDefinition, id: string, data: unknown) => {
    waiting.add(id);
    chain = chain.then(async () => {
      waiting.delete(id);
      await runWithRetries(definition, id, data);
    });
  };

  return {
    backend: 'inline' as const,
    enqueue: async (name: string, data: unknown, opts: { jobId?: string } = {}): Promise<{ id: string; queue: string }> => {
      if (closed) throw new AppError('CONFLICT', 'the job runner is closed');
      const definition = byName.get(name);
      if (!definition) throw new AppError('INVALID_INPUT', `no job named "${name}"`);
      const id = opts.jobId ?? `inline-${++sequence}`;
      if (!waiting.has(id)) add(definition, id, data);
      return { id, queue: definition.queue };
    },
    status: async () => ({ backend: 'inline' as const, waiting: waiting.size, failed: failedJobs.size }),
    failed: async (limit = 50): Promise<InlineFailedJob[]> =>
      [...failedJobs.values()]
        .reverse()
        .slice(0, limit)
        .map(({ data: _data, ...job }) => job),
    retry: async (id: string) => {
      const job = failedJobs.get(id);
      if (!job) throw new AppError('NOT_FOUND', `no failed job "${id}" in this process`);
      failedJobs.delete(id);
      add(byName.get(job.name)!, id, job.data);
      return { id, queue: job.queue };
    },
    /** Waits for what is queued (the server's shutdown, tests). */
    drain: () => chain,
    close: async () => {
      closed = true;
      await chain;
    },
  };
};

export type InlineRunner = ReturnType<typeof createInlineRunner>;
