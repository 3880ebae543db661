import { SECRET_ENV_KEYS } from '../config/schema.js';
import type { JobRunner } from '../jobs/ports.js';
import { buildApp, routeList, serverLogging } from '../server/app.js';
import { resolveDashboardToken } from '../server/dashboard-token.js';
import { signatureRequired, webhookRoutes } from '../server/webhook-routes.js';
import { createClayStore } from '../store/clay-repo.js';
import { createDashboardQueries } from '../store/dashboard-repo.js';
import { createInboxStore } from '../store/inbox-repo.js';
import { createGroupCommitInbox } from '../store/inbox-group-commit.js';
import { createSessionStore } from '../store/session-repo.js';
import { createUserStore } from '../store/users-repo.js';
import { apiDepsFor } from './api-deps.js';
import type { AppDeps } from './app-deps.js';
import { openJobSet } from './job-set.js';

/**
 * Stored deliveries to their jobs. The delivery is stored before the 2xx: if its job cannot be
 * enqueued (Redis restarting), it is retried every 2 s from here, and the inbox-sweep job (or the
 * next start) covers a crash meanwhile.
 */
const deliveryQueue = (app: AppDeps, jobs: JobRunner) => {
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
  return {
    enqueue: (id: string) => {
      app.metrics.webhookStored();
      void enqueueOne(id);
    },
    stop: () => clearInterval(requeue),
  };
};

/**
 * `caio serve` (stateless HTTP: with REDIS_URL it enqueues and `caio worker`s run the jobs) and
 * `caio start` (the server and a worker in one process). Without REDIS_URL both run the jobs
 * inline. Listens before it returns; `close` stops the server, lets running jobs finish and closes
 * what it opened (not the app).
 */
export const openServer = async (app: AppDeps, options: { mode: 'serve' | 'start'; host?: string | undefined; port?: number | undefined }) => {
  const { config } = app;
  const enqueueOnly = config.jobsBackend.kind === 'bullmq' && options.mode === 'serve';
  const set = await openJobSet(app, { work: !enqueueOnly });
  const { dispatch, jobs } = set;
  const inbox = createInboxStore(app.database.db);
  const deliveries = deliveryQueue(app, jobs);
  // Deliveries stored but not processed (a crash after the 2xx): enqueued again (the job id dedupes).
  const recovered = await inbox.pending(10_000);
  for (const item of recovered) deliveries.enqueue(item.id);
  // Logs by route pattern, errors without a failed query's parameters; secrets never in a path.
  const logging = serverLogging(app.log);
  const secrets = SECRET_ENV_KEYS.map((k) => config.env[k]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  // Deliveries are stored in groups (server.webhookGroupCommit), each answered once its row commits.
  const intake = createGroupCommitInbox(app.database.pool, config.server.webhookGroupCommit);
  const routes = webhookRoutes({ config, inbox: intake, clay: createClayStore(app.database.db), onStored: deliveries.enqueue, pingDatabase: () => createDashboardQueries(app.database.db).ping(), onError: logging.onWebhookError });
  const dashboard = resolveDashboardToken(config.env.DASHBOARD_AUTH_TOKEN, config.dataDir);
  // POST /api/runs: with workers elsewhere, a job for them; otherwise the run, answered when done.
  const runPipelineFromApi = enqueueOnly ? async (limit: number) => ({ queued: await jobs.enqueue('pipeline-run', { limit }) }) : set.runPipelineNow;
  const apiDeps = apiDepsFor(app, dispatch, runPipelineFromApi, set.watcher);
  if (enqueueOnly) {
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
    api: { token: dashboard.token, deps: apiDeps, sessions: createSessionStore(app.database.db), users: createUserStore(app.database.db), audit: app.stores.audit },
    onError: logging.onError,
  });
  const address = await server.listen({ host: options.host ?? config.server.host, port: options.port ?? config.server.port });
  return {
    address,
    /** Stored deliveries enqueued again at start. */
    recovered: recovered.length,
    routes: routeList(routes, secrets),
    signaturesRequired: signatureRequired(config),
    /** Where the dashboard token is (the variable or the file), never the token. */
    dashboardTokenSource: dashboard.source,
    jobs,
    enqueueOnly,
    close: async () => {
      deliveries.stop();
      await server.close();
      await intake.close();
      await set.close();
    },
  };
};
