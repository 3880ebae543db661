import { randomUUID } from 'node:crypto';
import { openProviders, pipelineDepsFor, type AppDeps, type ProviderSet } from '../deps.js';
import { AppError } from '../lib/app-error.js';
import { newRunId } from '../lib/ids.js';
import { runChunk, startChunkedRun, type ChunkJob } from '../pipeline/chunked-run.js';
import { runPipeline, type RunReport } from '../pipeline/run-pipeline.js';
import { createControlStore } from '../store/control-repo.js';
import { createRunChunkStore } from '../store/run-chunks-repo.js';
import { VISITOR_SOURCE } from '../pipeline/visitors.js';
import { createVisitorStore } from '../store/visitors-repo.js';
import { visitorSourceFor } from './visitors.js';

const LEASE = 'pipeline-run';
/** A crashed holder's lease lapses after this long. */
const LEASE_MS = 2 * 3_600_000;

/**
 * Pipeline runs for the server and the workers. One run at a time across every process (a lease):
 * two runs at once would discover the same people and pay to enrich them twice. `runNow` runs the
 * whole pipeline in this process (inline backend, `caio start`); `start` and `chunk` split a run
 * into jobs (BullMQ backend): the lease is held by the run, from its discovery until the worker
 * that completes its last chunk finishes it.
 */
export const pipelineJobs = (app: AppDeps, enqueueChunk: (job: ChunkJob) => Promise<void>) => {
  const control = createControlStore(app.database.db);
  const chunks = createRunChunkStore(app.database.db);
  const visitors = createVisitorStore(app.database.db);
  const record = (report: RunReport) => {
    for (const stage of report.stages) app.metrics.stage(stage.name, stage.status, stage.durationMs);
  };
  const acquire = async (holder: string) => {
    const now = app.clock.now();
    if (!(await control.acquireLease(LEASE, holder, new Date(now.getTime() + LEASE_MS), now))) throw new AppError('CONFLICT', 'another pipeline run is in progress; try again when it is done', { retryable: true });
  };
  /**
   * The providers, opened once and kept for the life of the process (closed by `close`): their
   * clients, breakers and rate limiters span every run and chunk this process works on, so a limit
   * holds across chunks and a breaker opened by one chunk is still open for the next. A failed
   * opening is tried again by the next piece of work.
   */
  let providers: Promise<ProviderSet> | null = null;
  const withProviders = async <T>(work: (deps: ReturnType<typeof pipelineDepsFor>) => Promise<T>): Promise<T> => {
    providers ??= openProviders(app, { source: 'apollo', seed: null }).catch((error: unknown) => {
      providers = null;
      throw error;
    });
    return work(pipelineDepsFor(app, await providers));
  };

  return {
    runNow: async (limit: number): Promise<Record<string, unknown>> => {
      const holder = `pipeline-${randomUUID()}`;
      await acquire(holder);
      try {
        const report = await withProviders((deps) => runPipeline(deps, { limit, source: 'apollo', seed: null }));
        record(report);
        return { runId: report.runId, status: report.status, drafts: report.drafts.length };
      } finally {
        await control.releaseLease(LEASE, holder);
      }
    },
    start: async (limit: number): Promise<Record<string, unknown>> => {
      const runId = newRunId(app.clock.now());
      const holder = `pipeline-${runId}`;
      await acquire(holder);
      try {
        const started = await withProviders((deps) => startChunkedRun({ ...deps, newRunId: () => runId }, chunks, { limit, source: 'apollo', seed: null, chunkSize: app.config.jobs.pipelineChunkSize }, enqueueChunk));
        if (started.report) {
          record(started.report);
          await control.releaseLease(LEASE, holder);
        }
        return { runId, chunks: started.chunks, leads: started.leads, ...(started.report ? { status: started.report.status } : {}) };
      } catch (error) {
        await control.releaseLease(LEASE, holder);
        throw error;
      }
    },
    chunk: async (job: ChunkJob): Promise<Record<string, unknown>> => {
      const outcome = await withProviders((deps) => runChunk(deps, chunks, job));
      if (outcome.report) {
        record(outcome.report);
        await control.releaseLease(LEASE, `pipeline-${job.runId}`);
      }
      return { runId: job.runId, chunk: job.chunk, leads: job.leads.length, alreadyDone: outcome.done, ...(outcome.report ? { runFinished: outcome.report.status } : {}) };
    },
    /**
     * Website visitors (`--source rb2b`, docs/website-visitors.md), in this process under the same
     * lease: nothing when no visitor waits (no empty run recorded every tick), and a skip, not a
     * failure, while another run holds the lease (the next tick takes the visitors).
     */
    runVisitors: async (limit: number): Promise<Record<string, unknown>> => {
      if ((await visitors.pending(1)).length === 0) return { skipped: 'no website visitor waiting' };
      const holder = `pipeline-visitors-${randomUUID()}`;
      const now = app.clock.now();
      if (!(await control.acquireLease(LEASE, holder, new Date(now.getTime() + LEASE_MS), now))) return { skipped: 'another pipeline run is in progress' };
      try {
        const report = await withProviders((deps) => runPipeline({ ...deps, source: visitorSourceFor(app) }, { limit, source: VISITOR_SOURCE, seed: null }));
        record(report);
        return { runId: report.runId, status: report.status, drafts: report.drafts.length };
      } finally {
        await control.releaseLease(LEASE, holder);
      }
    },
    /** Close the providers (sandbox mode: their loopback servers), when the process stops. */
    close: async () => {
      const opened = providers;
      providers = null;
      if (opened) await (await opened.catch(() => null))?.close();
    },
  };
};

export type PipelineJobs = ReturnType<typeof pipelineJobs>;
