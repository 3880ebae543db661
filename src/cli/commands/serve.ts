import { JOB_QUEUES } from '../../jobs/catalogue.js';
import type { JobRunner } from '../../jobs/ports.js';
import { cadenceSyncFor, processorFor } from '../../compose/signals.js';
import { decayDetectorFor } from '../../compose/decay.js';
import { openWorker } from '../../compose/job-set.js';
import { openServer } from '../../compose/server.js';
import { readModelsFor } from '../../compose/read-models.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { openCliApp, withApp } from './with-app.js';
import { AppError } from '../../lib/app-error.js';
import { cliOut } from '../io.js';

/**
 * `caio serve` (stateless HTTP: with REDIS_URL it enqueues and `caio worker`s run the jobs) and
 * `caio start` (`runsJobs`: the server and a worker in one process, the embedded default). Without
 * REDIS_URL both run the jobs inline. Runs until SIGINT/SIGTERM, then lets running jobs finish.
 */
export const serveCommand = async (options: CommonOptions & { port?: number; host?: string }, mode: 'serve' | 'start' = 'serve'): Promise<void> => {
  const config = configFrom(options);
  // The server role: on the embedded default a second `caio start`/`serve` is refused (exit 5).
  const app = await openCliApp(config, 'server');
  const served = await openServer(app, { mode, host: options.host, port: options.port });
  // Before the lines that say it is up: a supervisor that reads them may signal at once.
  const stop = async () => {
    await served.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  cliOut(
    `caio ${mode} listening on ${served.address} (${config.providers} mode, signatures ${served.signaturesRequired ? 'required' : 'optional'}); ${served.recovered} pending deliveries enqueued at start\nroutes: ${served.routes.join(', ')}\n`,
  );
  cliOut(`API: ${served.address}/api/... with the dashboard token in X-Dashboard-Token (the token is in ${served.dashboardTokenSource})\n`);
  cliOut(`${await describeJobs(served.jobs, served.enqueueOnly, config.jobs.enabled)}\n`);
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
  const worker = await openWorker(app, { queues: options.queues, concurrency: options.concurrency, metricsPort: options.metricsPort });
  // Before the line that says it is up: a supervisor that reads it may signal at once.
  const stop = async () => {
    await worker.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  cliOut(`caio worker: queues ${(options.queues ?? JOB_QUEUES).join(', ')}, concurrency ${options.concurrency}${worker.metricsUrl ? `, metrics on ${worker.metricsUrl}/metrics` : ''}\n`);
};

export const webhooksListCommand = async (options: CommonOptions & { status?: string; limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const items = (await readModelsFor(app).inbox.list(options.limit, options.status)).map(({ payload: _p, ...i }) => i);
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
    const findings = await decayDetectorFor(app, cadenceSyncFor(app))(at ?? app.clock.now(), Boolean(options.dryRun));
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
    const counts = await readModelsFor(app).cadence.counts();
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
