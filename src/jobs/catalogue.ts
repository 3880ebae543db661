import { z } from 'zod';
import type { OperatorControls } from '../dispatch/ports.js';
import { AppError } from '../lib/app-error.js';
import type { CadenceSync } from '../signals/cadence-sync.js';
import type { InboxProcessor } from '../signals/process-inbox.js';
import type { DecayFinding } from '../signals/run-decay.js';
import type { ChunkJob } from '../pipeline/chunked-run.js';
import type { AnyJobDefinition, JobDefinition } from './definitions.js';
import type { ApprovalWatcher } from './approval-watcher.js';
import type { ReviewQueueControls } from './ports.js';
import type { Job } from './scheduler.js';

/** The queues: a worker can be started for some of them only (`caio worker --queues`). */
export const JOB_QUEUES = ['signals', 'dispatch', 'pipeline', 'schedule'] as const;

/** When the scheduled jobs run, and whether sending is live (config `jobs` and `send`). */
export type JobCatalogueSettings = {
  send: 'shadow' | 'live';
  decayAtUtc: string;
  dispatchEveryMinutes: number;
  queueWatchEveryMinutes: number;
  approvalWatchEveryMinutes: number;
  /** @defaultValue 15 */
  visitorsEveryMinutes?: number;
  /** How often the meeting briefs look for the owner's meetings of the day. @defaultValue 30 */
  meetingBriefsEveryMinutes?: number;
};

/** What the jobs call: the use cases of one app, built by the root (src/compose/jobs.ts). */
export type JobCatalogueDeps = {
  settings: JobCatalogueSettings;
  operator: Pick<OperatorControls, 'dispatch'> | null;
  watcher: Pick<ReviewQueueControls, 'run'>;
  /** Batches waiting for approval: escalated, closed when decided, announced when expired (approval-watcher.ts). */
  approvals: Pick<ApprovalWatcher, 'run'>;
  processor: Pick<InboxProcessor, 'processWithWaiting' | 'processPending'>;
  /** The cadence the sync job moves (the app's). */
  cadence: Pick<CadenceSync, 'sync'>;
  /** Decay detection as of `now`, applied (signals/run-decay.ts over the app's stores and cadence). */
  detectDecay: (now: Date) => Promise<DecayFinding[]>;
  runPipeline: (limit: number) => Promise<Record<string, unknown>>;
  /** A `--source rb2b` run over the website visitors waiting, if any (compose/pipeline-jobs.ts). */
  runVisitors?: () => Promise<Record<string, unknown>>;
  /** The morning meeting briefs (signals/meeting-brief.ts `morning`): every live meeting of the owner's day, briefed once. */
  briefMeetings?: (now: Date) => Promise<Record<string, unknown>>;
  pipelineChunk?: (job: ChunkJob) => Promise<Record<string, unknown>>;
};

/** Job data comes back from Redis as JSON: each on-demand job checks it (a bad payload is not retried). */
const parse = <T>(schema: z.ZodType<T>, data: unknown, job: string): T => {
  const result = schema.safeParse(data);
  if (!result.success) throw new AppError('INVALID_INPUT', `job ${job}: ${result.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ')}`);
  return result.data;
};

const InboxJob = z.object({ inboxId: z.string().uuid() });
const DispatchJob = z.object({ motion: z.enum(['outbound', 'cadence', 'revival', 'all']), live: z.boolean(), by: z.string().min(1), batchId: z.string().uuid().optional() });
const PipelineJob = z.object({ limit: z.number().int().min(1).max(100_000) });
const ChunkJobData = z.object({
  runId: z.string().regex(/^run_[0-9_a-f]+$/),
  chunk: z.number().int().min(1),
  leads: z.array(z.looseObject({ id: z.string().uuid(), source: z.string(), sourceId: z.string(), profile: z.looseObject({}) })).min(1),
});

/**
 * Every job, once, for both backends (inline and BullMQ). Each handler is safe to run again: the
 * inbox finishes a delivery only from `pending`, the outbox's unique key and claim make a send
 * happen once, decay and cadence moves are guarded by the status they read, and the watcher and
 * dispatch motions hold leases.
 */
export const jobCatalogue = (deps: JobCatalogueDeps): AnyJobDefinition[] => {
  const jobs = deps.settings;
  const webhookInbox: JobDefinition<unknown> = {
    name: 'webhook-inbox',
    queue: 'signals',
    run: async (data) => {
      const { inboxId } = parse(InboxJob, data, 'webhook-inbox');
      return { inboxId, outcome: await deps.processor.processWithWaiting(inboxId) };
    },
  };
  // Deliveries stored while the queue could not take their job (Redis down, a crash between the
  // insert and the enqueue, the database away while their job ran) wait as `pending`: once they are
  // 30 s old, the next sweep (every minute) processes them, so none waits more than a minute after
  // the database returns. Racing the delivery's own job is safe: processing takes the row's lock
  // and commits as one transaction.
  const inboxSweep: JobDefinition<unknown> = {
    name: 'inbox-sweep',
    queue: 'signals',
    schedule: { kind: 'every', minutes: 1 },
    attempts: 1,
    run: async (_data, ctx) => ({ processed: await deps.processor.processPending(1000, new Date(ctx.now.getTime() - 30_000)) }),
  };
  const dispatch: JobDefinition<unknown> = {
    name: 'dispatch',
    queue: 'dispatch',
    // A dispatch that failed half-way is resumed by the next tick; retrying at once would only race it.
    attempts: 2,
    run: async (data) => {
      if (!deps.operator) throw new AppError('CONFIG_INVALID', 'no outbound channel is configured');
      const report = await deps.operator.dispatch(parse(DispatchJob, data, 'dispatch'));
      return { motion: report.motion, mode: report.mode, pendingBatch: report.pendingBatch?.id ?? null, ...report.drain.counts };
    },
  };
  const pipelineRun: JobDefinition<unknown> = {
    name: 'pipeline-run',
    queue: 'pipeline',
    // `runPipeline` refuses (CONFLICT, retryable) while another process's run holds the pipeline
    // lease: the job waits with backoff (5, 10, 20, 40, 80 s) and runs after it.
    attempts: 6,
    backoffMs: 5000,
    run: async (data) => deps.runPipeline(parse(PipelineJob, data, 'pipeline-run').limit),
  };
  // A slice of a distributed run: enrichment to the shadow send for its leads (chunked-run.ts). A
  // retried chunk that had finished does nothing; the outbox and the draft fingerprints keep a
  // chunk re-run after a crash from queueing anything twice.
  const pipelineChunk: JobDefinition<unknown> = {
    name: 'pipeline-chunk',
    queue: 'pipeline',
    attempts: 3,
    backoffMs: 5000,
    run: async (data) => {
      if (!deps.pipelineChunk) throw new AppError('CONFIG_INVALID', 'pipeline chunks run on the BullMQ backend only');
      return deps.pipelineChunk(parse(ChunkJobData, data, 'pipeline-chunk') as unknown as ChunkJob);
    },
  };
  const decay: JobDefinition<unknown> = {
    name: 'decay',
    queue: 'schedule',
    schedule: { kind: 'daily', atUtc: jobs.decayAtUtc },
    run: async (_data, ctx) => {
      const findings = await deps.detectDecay(ctx.now);
      return { decayed: findings.filter((f) => f.applied).length };
    },
  };
  const cadenceSync: JobDefinition<unknown> = {
    name: 'cadence-sync',
    queue: 'schedule',
    schedule: { kind: 'every', minutes: 60 },
    run: async (_data, ctx) => ({ changed: (await deps.cadence.sync(ctx.now)).length }),
  };
  // The OPERATOR tick (motion all: outbound, due cadence steps, revivals), only when sending is live:
  // it freezes new work into pending batches for a person and sends what approved batches queued.
  const operatorTick: JobDefinition<unknown> = {
    name: 'operator-tick',
    queue: 'dispatch',
    schedule: { kind: 'every', minutes: jobs.dispatchEveryMinutes },
    attempts: 1,
    run: async () => {
      if (jobs.send !== 'live' || !deps.operator) return { skipped: 'send mode is shadow' };
      const report = await deps.operator.dispatch({ motion: 'all', live: true, by: 'scheduler' });
      return { pendingBatch: report.pendingBatch?.id ?? null, sent: report.drain.counts.sent, deferred: report.drain.counts.deferred };
    },
  };
  const reviewQueue: JobDefinition<unknown> = {
    name: 'review-queue',
    queue: 'schedule',
    schedule: { kind: 'every', minutes: jobs.queueWatchEveryMinutes },
    attempts: 1,
    run: () => deps.watcher.run({ force: false, by: 'scheduler' }),
  };
  // Runs in shadow mode too: `caio batch create` makes batches whatever the send mode.
  const approvalWatch: JobDefinition<unknown> = {
    name: 'approval-watch',
    queue: 'schedule',
    schedule: { kind: 'every', minutes: jobs.approvalWatchEveryMinutes },
    attempts: 1,
    run: (_data, ctx) => deps.approvals.run(ctx.now),
  };
  // Website visitors the RB2B webhook recorded become drafts on the next tick (docs/website-visitors.md).
  const visitors: JobDefinition<unknown> = {
    name: 'visitors',
    queue: 'schedule',
    schedule: { kind: 'every', minutes: jobs.visitorsEveryMinutes ?? 15 },
    attempts: 1,
    run: async () => (deps.runVisitors ? deps.runVisitors() : { skipped: 'no visitor runner in this process' }),
  };
  // The owner's meetings of the day get their brief once the owner's morning has come (docs/replies.md "The meeting brief");
  // each delivery is claimed in reply_actions first, so ticks and workers never send one twice.
  const meetingBriefs: JobDefinition<unknown> = {
    name: 'meeting-briefs',
    queue: 'schedule',
    schedule: { kind: 'every', minutes: jobs.meetingBriefsEveryMinutes ?? 30 },
    attempts: 1,
    run: async (_data, ctx) => (deps.briefMeetings ? deps.briefMeetings(ctx.now) : { skipped: 'no meeting briefs in this process' }),
  };
  return [webhookInbox, inboxSweep, dispatch, pipelineRun, pipelineChunk, decay, cadenceSync, operatorTick, reviewQueue, approvalWatch, visitors, meetingBriefs] as AnyJobDefinition[];
};

/** The scheduled definitions as the inline scheduler's jobs (a database lease per slot picks one server). */
export const scheduledJobs = (definitions: readonly AnyJobDefinition[]): Job[] =>
  definitions.filter((d) => d.schedule).map((d) => ({ name: d.name, schedule: d.schedule!, run: (now: Date) => (d as JobDefinition<unknown>).run({}, { jobId: `inline-${d.name}-${now.getTime()}`, attempt: 1, now }) }));
