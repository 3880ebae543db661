import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApp, openDispatch } from '../../deps.js';
import { JOB_QUEUES, jobCatalogue, queueWatcherFor } from '../../jobs/catalogue.js';
import { pipelineJobs } from '../../compose/pipeline-jobs.js';
import { openJobs, type JobRunner } from '../../jobs/open-jobs.js';
import type { JobDoneEvent } from '../../jobs/bullmq/runner.js';
import { cadenceSyncFor, processorFor } from '../../compose/signals.js';
import { webhookRoutes, signatureRequired } from '../../server/webhook-routes.js';
import { createClayStore } from '../../store/clay-repo.js';
import { createDecayQuery, createInboxStore, createLeadEventStore } from '../../store/inbox-repo.js';
import { runDecay } from '../../signals/run-decay.js';
import { createSignalLeadStore } from '../../store/signals-repo.js';
import { buildApp, routeList, serverLogging } from '../../server/app.js';
import { SECRET_ENV_KEYS } from '../../config/schema.js';
import { createDashboardQueries } from '../../store/dashboard-repo.js';
import { apiDepsFor } from '../../compose/api-deps.js';
import { resolveDashboardToken } from '../../server/dashboard-token.js';
import { createSessionStore } from '../../store/session-repo.js';
import { createCadenceStore } from '../../store/cadence-repo.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { openCliApp, withApp } from './with-app.js';
import { AppError } from '../../lib/app-error.js';
import { cliOut } from '../io.js';

/**
 * Each job attempt feeds the metrics; a job that failed for good is an incident (escalated by how
 * long its failures last), resolved by the next success of that job, looked at once a minute at most.
 */
const jobOutcomes = (app: Awaited<ReturnType<typeof openApp>>) => {
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

/** What a server or a worker runs jobs with: the catalogue over this process's app and OPERATOR. */
const openJobSet = async (app: Awaited<ReturnType<typeof openApp>>, role: { work: boolean; queues?: string[] | undefined; concurrency?: number | undefined }) => {
  const processor = processorFor(app);
  const dispatch = await openDispatch(app);
  // With Redis a run is split into chunk jobs that any worker takes; inline it runs here, whole.
  const late: { jobs: JobRunner | null } = { jobs: null };
  const pipeline = pipelineJobs(app, async (job) => {
    await late.jobs!.enqueue('pipeline-chunk', job, { jobId: `${job.runId}-c${job.chunk}` });
  });
  const distributed = app.config.jobsBackend.kind === 'bullmq';
  const runPipelineNow = distributed ? pipeline.start : pipeline.runNow;
  const watcher = queueWatcherFor(app, runPipelineNow, dispatch.operator.holder);
  const definitions = jobCatalogue(app, { operator: dispatch.operator, watcher, processor, cadence: dispatch.parts.cadence, runPipeline: runPipelineNow, ...(distributed ? { pipelineChunk: pipeline.chunk } : {}) });
  const jobs = await openJobs(app, definitions, { ...role, holder: dispatch.operator.holder, onJobDone: jobOutcomes(app) });
  late.jobs = jobs;
  return { processor, dispatch, watcher, runPipelineNow, jobs, pipeline };
};

/**
 * `caio serve` (stateless HTTP: with REDIS_URL it enqueues and `caio worker`s run the jobs) and
 * `caio start` (`runsJobs`: the server and a worker in one process, the embedded default). Without
 * REDIS_URL both run the jobs inline. Runs until SIGINT/SIGTERM, then lets running jobs finish.
 */
export const serveCommand = async (options: CommonOptions & { port?: number; host?: string }, mode: 'serve' | 'start' = 'serve'): Promise<void> => {
  const config = configFrom(options);
  // The server role: on the embedded default a second `caio start`/`serve` is refused (exit 5).
  const app = await openCliApp(config, 'server');
  const distributed = config.jobsBackend.kind === 'bullmq';
  const { dispatch, watcher, runPipelineNow, jobs, pipeline } = await openJobSet(app, { work: !distributed || mode === 'start' });
  const inbox = createInboxStore(app.database.db);
  // The delivery is stored before the 2xx: if its job cannot be enqueued (Redis restarting), it is
  // retried every 2 s from here, and the inbox-sweep job (or the next start) covers a crash meanwhile.
  const unqueued = new Set<string>();
  const enqueueOne = (id: string) =>
    jobs.enqueue('webhook-inbox', { inboxId: id }, { jobId: id }).then(
      () => void unqueued.delete(id),
      (error: unknown) => {
        if (unqueued.size < 10_000) unqueued.add(id);
        app.log.warn({ inboxId: id, err: error instanceof Error ? error.message : String(error) }, 'could not enqueue a webhook delivery; it stays pending and is retried');
      },
    );
  const requeue = setInterval(() => {
    for (const id of [...unqueued].slice(0, 500)) void enqueueOne(id);
  }, 2000);
  requeue.unref();
  const enqueue = (id: string) => {
    app.metrics.webhookStored();
    void enqueueOne(id);
  };
  // Deliveries stored but not processed (a crash after the 2xx): enqueued again (the job id dedupes).
  const recovered = await inbox.pending(10_000);
  for (const item of recovered) enqueue(item.id);
  // Logs by route pattern, errors without a failed query's parameters; secrets never in a path.
  const logging = serverLogging(app.log);
  const secrets = SECRET_ENV_KEYS.map((k) => config.env[k]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  const routes = webhookRoutes({ config, inbox, clay: createClayStore(app.database.db), onStored: enqueue, pingDatabase: () => createDashboardQueries(app.database.db).ping(), onError: logging.onWebhookError });
  const dashboard = resolveDashboardToken(config.env.DASHBOARD_AUTH_TOKEN, config.dataDir);
  // POST /api/runs: with workers elsewhere, a job for them; otherwise the run, answered when done.
  const runPipelineFromApi = distributed && mode === 'serve' ? async (limit: number) => ({ queued: await jobs.enqueue('pipeline-run', { limit }) }) : runPipelineNow;
  const apiDeps = apiDepsFor(app, dispatch, runPipelineFromApi, watcher);
  if (distributed && mode === 'serve') {
    // A live OPERATOR run is a worker's job (dry runs read only and answer here).
    const operator = apiDeps.operator;
    apiDeps.operator = { ...operator, dispatch: async (request) => (request.live ? ({ queued: await jobs.enqueue('dispatch', request) } as never) : operator.dispatch(request)) };
  }
  const server = buildApp({
    routes,
    maxBodyBytes: config.server.maxBodyBytes,
    corsOrigins: config.server.corsOrigins,
    secrets,
    trustProxy: config.server.trustProxy,
    ...(config.server.publicUrl ? { publicUrl: config.server.publicUrl } : {}),
    metrics: () => app.metrics.text(app.database.db, jobs),
    onRequestDone: logging.onRequestDone,
    api: { token: dashboard.token, deps: apiDeps, sessions: createSessionStore(app.database.db) },
    onError: logging.onError,
  });
  const address = await server.listen({ host: options.host ?? config.server.host, port: options.port ?? config.server.port });
  // Before the lines that say it is up: a supervisor that reads them may signal at once.
  const stop = async () => {
    clearInterval(requeue);
    await server.close();
    await jobs.close();
    await pipeline.close();
    await dispatch.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  cliOut(
    `caio ${mode} listening on ${address} (${config.providers} mode, signatures ${signatureRequired(config) ? 'required' : 'optional'}); ${recovered.length} pending deliveries enqueued at start\nroutes: ${routeList(routes, secrets).join(', ')}\n`,
  );
  cliOut(`API: ${address}/api/... with the dashboard token in X-Dashboard-Token (the token is in ${dashboard.source})\n`);
  cliOut(`${await describeJobs(jobs, distributed && mode === 'serve', config.jobs.enabled)}\n`);
};

const describeJobs = async (jobs: JobRunner, enqueueOnly: boolean, enabled: boolean): Promise<string> => {
  if (jobs.backend === 'bullmq')
    return enqueueOnly ? 'jobs: BullMQ on REDIS_URL; this server only enqueues: run `caio worker` to process them' : `jobs: BullMQ on REDIS_URL, worker in this process${enabled ? '' : ' (schedules off: jobs.enabled is false)'}`;
  const status = (await jobs.status()) as { schedule: { name: string; schedule: string; nextRunAt: string }[] };
  return enabled ? `jobs: inline: ${status.schedule.map((j) => `${j.name} (${j.schedule}, next ${j.nextRunAt})`).join('; ')}` : 'jobs: inline, schedules off (jobs.enabled is false)';
};

/**
 * `caio worker`: runs the jobs of the given queues (all by default) from Redis until SIGTERM, when
 * it stops taking jobs and lets the running ones finish. Needs REDIS_URL; the database is
 * DATABASE_URL or the embedded server of this data folder (shared with `caio start` beside it).
 */
export const workerCommand = async (options: CommonOptions & { queues?: string[]; concurrency: number; metricsPort?: number }): Promise<void> => {
  const config = configFrom(options);
  if (config.jobsBackend.kind !== 'bullmq') throw new AppError('CONFIG_INVALID', 'REDIS_URL: caio worker takes its jobs from Redis; set REDIS_URL (without it, caio start runs the jobs inline)');
  const unknown = (options.queues ?? []).filter((q) => !(JOB_QUEUES as readonly string[]).includes(q));
  if (unknown.length) throw new AppError('INVALID_INPUT', `--queues: unknown queue ${unknown.join(', ')} (known: ${JOB_QUEUES.join(', ')})`);
  const app = await openCliApp(config);
  const { dispatch, jobs, pipeline } = await openJobSet(app, { work: true, queues: options.queues, concurrency: options.concurrency });
  const metricsServer = options.metricsPort !== undefined ? await serveWorkerMetrics(options.metricsPort, config.server.host, () => app.metrics.text(app.database.db, jobs)) : null;
  // Before the line that says it is up: a supervisor that reads it may signal at once.
  const stop = async () => {
    await jobs.close();
    await pipeline.close();
    await metricsServer?.close();
    await dispatch.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  cliOut(`caio worker: queues ${(options.queues ?? JOB_QUEUES).join(', ')}, concurrency ${options.concurrency}${metricsServer ? `, metrics on ${metricsServer.url}/metrics` : ''}\n`);
};

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

export const webhooksListCommand = async (options: CommonOptions & { status?: string; limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const items = (await createInboxStore(app.database.db).list(options.limit, options.status)).map(({ payload: _p, ...i }) => i);
    if (options.json) return printJson(items);
    cliOut(
      items.length
        ? `${renderTable(
            ['id', 'provider', 'event', 'status', 'received', 'lead'],
            items.map((i) => [i.id, i.provider, i.eventType, i.status, i.receivedAt.toISOString(), i.leadId ?? '-']),
          )}\n`
        : 'no deliveries yet\n',
    );
  });
};

export const webhooksReplayCommand = async (id: string, options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const outcome = await processorFor(app).replay(id.trim());
    if (!outcome) throw new AppError('NOT_FOUND', `no stored delivery ${id.trim()} (see: caio webhooks list)`);
    if (options.json) return printJson({ id: id.trim(), outcome });
    cliOut(`delivery ${id.trim()}: ${outcome}\n`);
  });
};

export const decayRunCommand = async (options: CommonOptions & { dryRun?: boolean; at?: string; json?: boolean }): Promise<void> => {
  const at = options.at ? new Date(options.at) : null;
  if (at && Number.isNaN(at.getTime())) throw new AppError('INVALID_INPUT', `--at must be an ISO date-time, got "${options.at}"`);
  await withApp(configFrom(options), async (app) => {
    const db = app.database.db;
    const findings = await runDecay(
      { query: createDecayQuery(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), thresholds: app.config.decay, cadence: cadenceSyncFor(app) },
      at ?? app.clock.now(),
      Boolean(options.dryRun),
    );
    if (options.json) return printJson({ dryRun: Boolean(options.dryRun), findings });
    cliOut(
      findings.length
        ? `${renderTable(
            ['lead', 'was', 'decay', 'since', 'applied', 'why'],
            findings.map((f) => [f.leadId, f.from, f.kind, f.since, f.applied ? 'yes' : 'no (dry run)', f.detail]),
          )}\n`
        : 'no lead has decayed\n',
    );
  });
};

export const cadenceStatusCommand = async (options: CommonOptions & { lead?: string; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    if (options.lead) {
      const detail = await app.stores.leadDetail.detailByEmail(options.lead);
      if (!detail) throw new AppError('NOT_FOUND', `no lead with email ${options.lead.trim().toLowerCase()}`);
      const status = await cadenceSyncFor(app).status(detail.lead.id, app.clock.now());
      if (options.json) return printJson(status);
      cliOut(
        status
          ? `${detail.lead.email}: ${status.status}, ${status.completed}/${status.total} steps done, next ${status.nextStep ? `step ${status.nextStep.step} (${status.nextStep.channel} ${status.nextStep.action}) due ${status.nextDueAt?.toISOString() ?? '-'}` : 'none'}${status.exitReason ? `, exited: ${status.exitReason}` : ''}\n`
          : `${detail.lead.email} is not enrolled (the first touch enrols)\n`,
      );
      return;
    }
    const counts = await createCadenceStore(app.database.db).counts();
    if (options.json) return printJson(counts);
    cliOut(`enrolments: ${Object.keys(counts).length ? JSON.stringify(counts) : 'none'}\n`);
  });
};

export const cadenceSyncCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const changed = await cadenceSyncFor(app).sync(app.clock.now());
    if (options.json) return printJson(changed);
    cliOut(
      changed.length
        ? `${renderTable(
            ['lead', 'was', 'now', 'why'],
            changed.map((c) => [c.leadId, c.from, c.to, c.reason ?? '-']),
          )}\n`
        : 'every enrolment is in step\n',
    );
  });
};

export const cadenceDueCommand = async (options: CommonOptions & { at?: string; json?: boolean }): Promise<void> => {
  const at = options.at ? new Date(options.at) : null;
  if (at && Number.isNaN(at.getTime())) throw new AppError('INVALID_INPUT', `--at must be an ISO date-time, got "${options.at}"`);
  await withApp(configFrom(options), async (app) => {
    const due = await cadenceSyncFor(app).due(at ?? app.clock.now());
    if (options.json) return printJson(due);
    const rows = due.flatMap((d) => [
      ...d.due.map((s) => [d.leadId, s.step, s.channel, s.action, s.dueAt.toISOString(), 'due']),
      ...d.skipped.map((s) => [d.leadId, s.step, s.channel, s.action, s.dueAt.toISOString(), `skipped: ${s.reason}`]),
    ]);
    cliOut(rows.length ? `${renderTable(['lead', 'step', 'channel', 'action', 'due at', 'state'], rows)}\n` : 'nothing is due\n');
  });
};
