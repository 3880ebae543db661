import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDispatch } from '../deps.js';
import type { JobDoneEvent } from '../jobs/bullmq/runner.js';
import type { JobRunner } from '../jobs/ports.js';
import type { AppDeps } from './app-deps.js';
import { jobCatalogueFor, openJobs, queueWatcherFor } from './jobs.js';
import { pipelineJobs } from './pipeline-jobs.js';
import { processorFor } from './signals.js';
import { withScheduledBatches } from './operator.js';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from './follow-through.js';
import { meetingBriefsFor } from './meeting-briefs.js';

/**
 * Each job attempt feeds the metrics; a job that failed for good is an incident (escalated by how
 * long its failures last), resolved by the next success of that job, looked at once a minute at most.
 */
const jobOutcomes = (app: AppDeps) => {
  const lastResolve = new Map<string, number>();
  return (event: JobDoneEvent) => {
    app.metrics.jobDone(event);
    const key = `jobs:${event.name}:failing`;
    const warn = (error: unknown) => app.log.warn({ job: event.name, err: error instanceof Error ? error.message : String(error) }, 'could not escalate a job outcome');
    if (event.outcome === 'failed') {
      lastResolve.delete(key);
      void app.escalation
        .report({
          key,
          kind: 'jobs_failing',
          title: `Job ${event.name} is failing`,
          detail: `A ${event.name} job on queue ${event.queue} failed after its retries: see caio jobs failed.`,
          since: app.clock.now(),
          leadsAffected: 0,
          sendingAffected: event.queue === 'dispatch',
        })
        .catch(warn);
    } else if (event.outcome === 'completed' && Date.now() - (lastResolve.get(key) ?? 0) > 60_000) {
      lastResolve.set(key, Date.now());
      void app.escalation.resolve(key).catch(warn);
    }
  };
};

export type JobRole = { work: boolean; queues?: string[] | undefined; concurrency?: number | undefined };

/**
 * What a server, a worker or a command that tops up the review queue runs jobs with: the catalogue
 * over this process's app and OPERATOR, the queue watcher built once for the jobs, the API and the
 * CLI. `close` closes what this opened (not the app).
 */
export const openJobSet = async (app: AppDeps, role: JobRole) => {
  const dispatch = await openDispatch(app);
  // Each reply's follow-through calls (Slack, GoHighLevel, Instantly) run right after its delivery commits, and with the sweep.
  const recorded = { count: 0 };
  const processor = withFollowThroughActions(processorFor(app, recorded), followThroughExecutorFor(app, await followThroughProvidersFor(app, dispatch)), app.log, recorded);
  // With Redis a run is split into chunk jobs that any worker takes; inline it runs here, whole.
  const late: { jobs: JobRunner | null } = { jobs: null };
  const pipeline = pipelineJobs(app, async (job) => {
    await late.jobs!.enqueue('pipeline-chunk', job, { jobId: `${job.runId}-c${job.chunk}` });
  });
  const distributed = app.config.jobsBackend.kind === 'bullmq';
  const runPipelineNow = distributed ? pipeline.start : pipeline.runNow;
  const watcher = queueWatcherFor(app, runPipelineNow, dispatch.operator.holder);
  const definitions = jobCatalogueFor(app, {
    // The tick also runs the batches approved outside the send window once their time has come.
    operator: withScheduledBatches(app, dispatch),
    watcher,
    processor,
    cadence: dispatch.parts.cadence,
    runPipeline: runPipelineNow,
    runVisitors: () => pipeline.runVisitors(app.config.pipeline.defaultLimit),
    briefMeetings: (now) => meetingBriefsFor(app, dispatch).morning(now),
    ...(distributed ? { pipelineChunk: pipeline.chunk } : {}),
  });
  const jobs = await openJobs(app, definitions, { ...role, holder: dispatch.operator.holder, onJobDone: jobOutcomes(app) });
  late.jobs = jobs;
  return {
    processor,
    dispatch,
    watcher,
    runPipelineNow,
    jobs,
    pipeline,
    close: async () => {
      await jobs.close();
      await pipeline.close();
      await dispatch.close();
    },
  };
};

export type JobSet = Awaited<ReturnType<typeof openJobSet>>;

/** A worker's own /metrics (each process counts its own work; Prometheus sums them). */
const serveWorkerMetrics = async (port: number, host: string, text: () => Promise<string>) => {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    text().then(
      (body) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://${host}:${bound}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};

/**
 * `caio worker`: the job set working the given queues, with its own /metrics when `metricsPort` is
 * given. `close` stops taking jobs, lets the running ones finish, then closes the rest (not the app).
 */
export const openWorker = async (app: AppDeps, options: { queues?: string[] | undefined; concurrency: number; metricsPort?: number | undefined }) => {
  const set = await openJobSet(app, { work: true, queues: options.queues, concurrency: options.concurrency });
  const metrics = options.metricsPort !== undefined ? await serveWorkerMetrics(options.metricsPort, app.config.server.host, () => app.metrics.text(app.database.db, set.jobs)) : null;
  return {
    metricsUrl: metrics?.url ?? null,
    close: async () => {
      await set.jobs.close();
      await set.pipeline.close();
      await metrics?.close();
      await set.dispatch.close();
    },
  };
};
