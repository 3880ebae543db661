import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { openApp, openDispatch, openProviders, pipelineDepsFor } from '../../deps.js';
import { runPipeline } from '../../pipeline/run-pipeline.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { queueWatcherFor, standardJobs } from '../../jobs/standard-jobs.js';
import { createControlStore } from '../../store/control-repo.js';
import { cadenceSyncFor, processorFor } from '../../signals/compose.js';
import { webhookRoutes, signatureRequired } from '../../server/webhook-routes.js';
import { createClayStore } from '../../store/clay-repo.js';
import { createDecayQuery, createInboxStore, createLeadEventStore } from '../../store/inbox-repo.js';
import { runDecay } from '../../signals/run-decay.js';
import { createSignalLeadStore } from '../../store/signals-repo.js';
import { buildApp } from '../../server/app.js';
import { createDashboardQueries } from '../../store/dashboard-repo.js';
import { apiDepsFor } from '../../server/api/compose.js';
import { resolveDashboardToken } from '../../server/dashboard-token.js';
import { createCadenceStore } from '../../store/cadence-repo.js';
import { configFrom, parsePositiveInt, withCommonOptions, type CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson, withApp } from './with-app.js';
import { AppError } from '../../lib/app-error.js';

/** `caio serve` (and the second half of `caio start`): the app, the webhooks, the API, the pages and the jobs, until SIGINT/SIGTERM. */
export const serveCommand = async (options: CommonOptions & { port?: number; host?: string }): Promise<void> => {
  const config = configFrom(options);
  const app = await openApp(config);
  const processor = processorFor(app);
  // Inline job runner: each stored delivery is processed right after it was acknowledged, one at a time.
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = (id: string) => {
    chain = chain.then(() => processor.process(id)).catch(() => undefined);
  };
  const recovered = await processor.processPending();
  const routes = webhookRoutes({ config, inbox: createInboxStore(app.database.db), clay: createClayStore(app.database.db), onStored: enqueue, pingDatabase: () => createDashboardQueries(app.database.db).ping() });
  // The OPERATOR with its provider channels: for the API and the scheduled jobs.
  const dispatch = await openDispatch(app);
  const dashboard = resolveDashboardToken(config.env.DASHBOARD_AUTH_TOKEN, config.dataDir);
  const topUp = async (limit: number) => {
    const providers = await openProviders(app, { source: 'apollo', seed: null });
    try {
      const report = await runPipeline(pipelineDepsFor(app, providers), { limit, source: 'apollo', seed: null });
      return { runId: report.runId, drafts: report.drafts.length };
    } finally {
      await providers.close();
    }
  };
  const watcher = queueWatcherFor(app, topUp, dispatch.operator.holder);
  const apiDeps = apiDepsFor(app, dispatch, topUp, watcher);
  const gauges = async () => {
    const db = app.database.db;
    const rows = async (query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as { rows: { k: string; n: number }[] }).rows;
    const gauge = (name: string, label: string, data: { k: string; n: number }[]) => `# TYPE ${name} gauge\n${data.map((r) => `${name}{${label}="${r.k}"} ${Number(r.n)}`).join('\n')}\n`;
    return [
      gauge('caio_leads', 'status', await rows(sql`select status as k, count(*)::int as n from leads group by status`)),
      gauge('caio_outbox_items', 'status', await rows(sql`select status as k, count(*)::int as n from outbox group by status`)),
      gauge('caio_webhook_deliveries', 'status', await rows(sql`select status as k, count(*)::int as n from webhook_inbox group by status`)),
      gauge('caio_drafts', 'status', await rows(sql`select status as k, count(*)::int as n from drafts group by status`)),
    ].join('');
  };
  const server = buildApp({ routes, maxBodyBytes: config.server.maxBodyBytes, corsOrigins: config.server.corsOrigins, metrics: gauges, onRequestDone: (entry) => app.log.info(entry, 'request'), api: { token: dashboard.token, deps: apiDeps }, onError: (error, path) => app.log.error({ path, err: error instanceof Error ? error.message : String(error) }, 'request failed') });
  const address = await server.listen({ host: options.host ?? config.server.host, port: options.port ?? config.server.port });
  const receiver = { url: address, close: () => server.close() };
  const scheduler = config.jobs.enabled ? startScheduler({ jobs: standardJobs(app, { operator: dispatch.operator, watcher }), control: createControlStore(app.database.db), clock: app.clock, log: app.log, holder: dispatch.operator.holder }) : null;
  process.stdout.write(`caio serve listening on ${receiver.url} (${config.providers} mode, signatures ${signatureRequired(config) ? 'required' : 'optional'}); ${recovered} pending deliveries processed at start\nroutes: ${[...Object.keys(routes.post).map((p) => `POST ${p}`), ...Object.keys(routes.get).map((p) => `GET ${p}`)].join(', ')}\n`);
  process.stdout.write(`API: ${receiver.url}/api/... with the dashboard token in X-Dashboard-Token (the token is in ${dashboard.source})\n`);
  process.stdout.write(scheduler ? `jobs: ${scheduler.schedule().map((j) => `${j.name} (${j.schedule}, next ${j.nextRunAt})`).join('; ')}\n` : 'jobs: off (jobs.enabled is false)\n');
  const stop = async () => {
    await receiver.close();
    await scheduler?.stop();
    await dispatch.close();
    await chain;
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
};

export const registerServeCommands = (program: Command): void => {
  withCommonOptions(program.command('serve').description('the HTTP server: provider webhooks (verified, stored, then processed) and health routes').option('--port <n>', 'port (default: server.port, 8080)', (v) => Number.parseInt(v, 10)).option('--host <host>', 'address to listen on (default: server.host)')).action(
    (options: CommonOptions & { port?: number; host?: string }) => serveCommand(options),
  );

  const webhooks = program.command('webhooks').description('stored webhook deliveries');
  withCommonOptions(webhooks.command('list').description('newest first').option('--status <s>', 'pending, processed, unknown_lead or failed').option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 50).option('--json', 'print JSON')).action(
    async (options: CommonOptions & { status?: string; limit: number; json?: boolean }) => {
      await withApp(configFrom(options), async (app) => {
        const items = (await createInboxStore(app.database.db).list(options.limit, options.status)).map(({ payload: _p, ...i }) => i);
        if (options.json) return printJson(items);
        process.stdout.write(items.length ? `${renderTable(['id', 'provider', 'event', 'status', 'received', 'lead'], items.map((i) => [i.id, i.provider, i.eventType, i.status, i.receivedAt.toISOString(), i.leadId ?? '-']))}\n` : 'no deliveries yet\n');
      });
    },
  );
  withCommonOptions(webhooks.command('replay <inboxId>').description('process a stored delivery again (e.g. an unknown_lead one after the lead was imported)').option('--json', 'print JSON')).action(async (id: string, options: CommonOptions & { json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const outcome = await processorFor(app).replay(id.trim());
      if (!outcome) throw new AppError('NOT_FOUND', `no stored delivery ${id.trim()} (see: caio webhooks list)`);
      if (options.json) return printJson({ id: id.trim(), outcome });
      process.stdout.write(`delivery ${id.trim()}: ${outcome}\n`);
    });
  });

  const decay = program.command('decay').description('decay detection: ghosted, stalled, engaged-not-replied');
  withCommonOptions(decay.command('run').description('judge every eligible lead now (the scheduler runs this daily at 10:00 UTC)').option('--dry-run', 'report the findings, change nothing').option('--at <iso>', 'judge as of this instant instead of now').option('--json', 'print JSON')).action(
    async (options: CommonOptions & { dryRun?: boolean; at?: string; json?: boolean }) => {
      const at = options.at ? new Date(options.at) : null;
      if (at && Number.isNaN(at.getTime())) throw new AppError('INVALID_INPUT', `--at must be an ISO date-time, got "${options.at}"`);
      await withApp(configFrom(options), async (app) => {
        const db = app.database.db;
        const findings = await runDecay({ query: createDecayQuery(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), thresholds: app.config.decay, cadence: cadenceSyncFor(app) }, at ?? app.clock.now(), Boolean(options.dryRun));
        if (options.json) return printJson({ dryRun: Boolean(options.dryRun), findings });
        process.stdout.write(findings.length ? `${renderTable(['lead', 'was', 'decay', 'since', 'applied', 'why'], findings.map((f) => [f.leadId, f.from, f.kind, f.since, f.applied ? 'yes' : 'no (dry run)', f.detail]))}\n` : 'no lead has decayed\n');
      });
    },
  );

  const cadence = program.command('cadence').description('the 21-day e-mail + LinkedIn cadence');
  withCommonOptions(cadence.command('status').description('enrolments by status, or one lead\'s place in the cadence').option('--lead <email>', 'one lead').option('--json', 'print JSON')).action(
    async (options: CommonOptions & { lead?: string; json?: boolean }) => {
      await withApp(configFrom(options), async (app) => {
        if (options.lead) {
          const detail = await app.stores.leadDetail.detailByEmail(options.lead);
          if (!detail) throw new AppError('NOT_FOUND', `no lead with email ${options.lead.trim().toLowerCase()}`);
          const status = await cadenceSyncFor(app).status(detail.lead.id, app.clock.now());
          if (options.json) return printJson(status);
          process.stdout.write(status ? `${detail.lead.email}: ${status.status}, ${status.completed}/${status.total} steps done, next ${status.nextStep ? `step ${status.nextStep.step} (${status.nextStep.channel} ${status.nextStep.action}) due ${status.nextDueAt?.toISOString() ?? '-'}` : 'none'}${status.exitReason ? `, exited: ${status.exitReason}` : ''}\n` : `${detail.lead.email} is not enrolled (the first touch enrols)\n`);
          return;
        }
        const counts = await createCadenceStore(app.database.db).counts();
        if (options.json) return printJson(counts);
        process.stdout.write(`enrolments: ${Object.keys(counts).length ? JSON.stringify(counts) : 'none'}\n`);
      });
    },
  );
  withCommonOptions(cadence.command('sync').description('apply exits the live hooks missed (a reply, bounce, unsubscribe, meeting or rejection on record) to open enrolments').option('--json', 'print JSON')).action(
    async (options: CommonOptions & { json?: boolean }) => {
      await withApp(configFrom(options), async (app) => {
        const changed = await cadenceSyncFor(app).sync(app.clock.now());
        if (options.json) return printJson(changed);
        process.stdout.write(changed.length ? `${renderTable(['lead', 'was', 'now', 'why'], changed.map((c) => [c.leadId, c.from, c.to, c.reason ?? '-']))}\n` : 'every enrolment is in step\n');
      });
    },
  );
  withCommonOptions(cadence.command('due').description('steps due now (or at --at), with the ones a condition skips and why; changes nothing').option('--at <iso>', 'as of this instant').option('--json', 'print JSON')).action(
    async (options: CommonOptions & { at?: string; json?: boolean }) => {
      const at = options.at ? new Date(options.at) : null;
      if (at && Number.isNaN(at.getTime())) throw new AppError('INVALID_INPUT', `--at must be an ISO date-time, got "${options.at}"`);
      await withApp(configFrom(options), async (app) => {
        const due = await cadenceSyncFor(app).due(at ?? app.clock.now());
        if (options.json) return printJson(due);
        const rows = due.flatMap((d) => [...d.due.map((s) => [d.leadId, s.step, s.channel, s.action, s.dueAt.toISOString(), 'due']), ...d.skipped.map((s) => [d.leadId, s.step, s.channel, s.action, s.dueAt.toISOString(), `skipped: ${s.reason}`])]);
        process.stdout.write(rows.length ? `${renderTable(['lead', 'step', 'channel', 'action', 'due at', 'state'], rows)}\n` : 'nothing is due\n');
      });
    },
  );
};
