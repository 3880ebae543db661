import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config/load.js';
import { openApp, openProviders, pipelineDepsFor } from '../src/deps.js';
import { openJobProducer } from '../src/compose/jobs.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { processorFor } from '../src/compose/signals.js';
import { ratio } from './measure.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.js');
const DELIVERIES = Number(process.env.BENCH_WORKER_DELIVERIES ?? 3000);
const PIPELINE_LEADS = Number(process.env.BENCH_WORKER_LEADS ?? 500);
const WORKER_COUNTS = [1, 2, 4];
const CONCURRENCY = 4;

const silent = pino({ level: 'silent' });

const createDatabase = async (admin: string, name: string) => {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
};
const dropDatabase = async (admin: string, name: string) => {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
};

/** Start `n` `caio worker` processes and wait until each says it is taking jobs. */
const startWorkers = async (n: number, dir: string, env: Record<string, string>, queues: string): Promise<ChildProcess[]> =>
  Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(process.execPath, [CLI, 'worker', '--queues', queues, '--concurrency', String(CONCURRENCY)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          child.stdout.on('data', (d) => {
            out += d;
            if (out.includes('caio worker: queues')) resolve(child);
          });
          child.stderr.on('data', (d) => (out += d));
          child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${out.slice(-500)}`)));
        }),
    ),
  );
const stopAll = async (children: ChildProcess[]) => {
  await Promise.all(children.map((c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM'))))));
};

const until = async (probe: () => Promise<boolean>, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

/**
 * The distributed backend's throughput (PostgreSQL in DATABASE_URL, Redis in REDIS_URL): webhook
 * inbox processing (DELIVERIES stored Instantly opens) and a PIPELINE_LEADS-lead sandbox pipeline,
 * each with 1, 2 and 4 `caio worker` processes (concurrency 4 each) against the inline backend
 * (the same work in this process, one job at a time) measured in the same run. Everything is wired
 * by the composition root: the workers are the CLI's, the jobs are enqueued by the producer `caio
 * jobs` uses (`openJobProducer`), and the inline runs use `processorFor` and `openProviders` over an
 * app `openApp` opened. Each measurement has a database of its own, since a worker process reads
 * its store from DATABASE_URL.
 */
export const benchWorkers = async () => {
  const admin = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!admin || !redisUrl) return { name: 'workers', skipped: 'needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-workers-'));
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  writeFileSync(path.join(dir, 'caio.json'), JSON.stringify({ jobs: { enabled: false, queuePrefix: prefix }, logLevel: 'warn' }));
  const names: string[] = [];
  const fresh = async () => {
    const name = `caio_bench_${randomBytes(4).toString('hex')}`;
    names.push(name);
    return createDatabase(admin, name);
  };
  try {
    // ---- webhook inbox processing ----
    const inboxUrl = await fresh();
    // With REDIS_URL, as `caio jobs` runs: its producer enqueues on the workers' queues.
    const config = loadConfig({ env: { DATABASE_URL: inboxUrl, REDIS_URL: redisUrl, CAIO_CONFIG: path.join(dir, 'caio.json') }, cwd: dir });
    const app = await openApp(config, { log: silent });
    const db = app.database.db;
    await db.execute(sql`insert into leads (email, source, source_id, profile, status, first_run_id, last_run_id)
      select 'lead' || g || '@bench' || (g % 97) || '.example.com', 'bench', 'b' || g, '{}'::jsonb, 'sent', 'bench', 'bench' from generate_series(1, ${DELIVERIES}) g`);
    await db.execute(sql`insert into webhook_inbox (provider, event_type, idempotency_key, payload, received_at, status)
      select 'instantly', 'email_opened', 'bench-' || g, jsonb_build_object('timestamp', now(), 'workspace', 'w', 'campaign_id', 'c', 'campaign_name', 'bench', 'lead_email', 'lead' || g || '@bench' || (g % 97) || '.example.com', 'email_account', 'a@x.example.com', 'event_type', 'email_opened', 'step', 1, 'variant', 1, 'is_first', true, 'email_id', 'e' || g), now(), 'pending'
      from generate_series(1, ${DELIVERIES}) g`);
    const ids = ((await db.execute(sql`select id from webhook_inbox order by received_at, id`)) as { rows: { id: string }[] }).rows.map((r) => r.id);
    const reset = async () => {
      await db.execute(sql`update webhook_inbox set status = 'pending', processed_at = null, lead_id = null, error = null`);
      await db.execute(sql`delete from lead_events`);
      await db.execute(sql`delete from lead_milestones`);
      await db.execute(sql`delete from kpi_daily`);
      await db.execute(sql`delete from cadence_enrollments`);
      await db.execute(sql`update leads set status = 'sent'`);
    };
    const processed = async () => Number(((await db.execute(sql`select count(*)::int as n from webhook_inbox where status = 'processed'`)) as { rows: { n: number }[] }).rows[0]!.n);

    await reset();
    const processor = processorFor(app);
    let start = performance.now();
    for (const id of ids) await processor.process(id);
    const inlineInboxMs = performance.now() - start;
    if ((await processed()) !== ids.length) throw new Error('inline processing missed deliveries');

    const producer = await openJobProducer(app, 'bench-producer');
    const workerEnv = (url: string) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', DATABASE_URL: url, REDIS_URL: redisUrl, CAIO_CONFIG: path.join(dir, 'caio.json') });
    const inbox: Record<string, { deliveriesPerSecond: number; vsInline: string }> = {};
    for (const [round, n] of WORKER_COUNTS.entries()) {
      await reset();
      const workers = await startWorkers(n, dir, workerEnv(inboxUrl), 'signals');
      start = performance.now();
      for (const id of ids) await producer.enqueue('webhook-inbox', { inboxId: id }, { jobId: `${id}-r${round}` });
      await until(async () => (await processed()) === ids.length, 600_000);
      const ms = performance.now() - start;
      await stopAll(workers);
      inbox[`${n} worker${n > 1 ? 's' : ''}`] = { deliveriesPerSecond: Math.round((ids.length / ms) * 1000), vsInline: ratio(inlineInboxMs, ms) };
    }

    // ---- a pipeline run ----
    const inlineUrl = await fresh();
    const inlineApp = await openApp(loadConfig({ env: { DATABASE_URL: inlineUrl, CAIO_CONFIG: path.join(dir, 'caio.json') }, cwd: dir }), { log: silent });
    const providers = await openProviders(inlineApp, { source: 'apollo', seed: null });
    start = performance.now();
    await runPipeline(pipelineDepsFor(inlineApp, providers), { limit: PIPELINE_LEADS, source: 'apollo', seed: null });
    const inlinePipelineMs = performance.now() - start;
    await providers.close();
    await inlineApp.close();
    const pipeline: Record<string, { seconds: number; vsInline: string }> = {};
    for (const n of WORKER_COUNTS) {
      const url = await fresh();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const workers = await startWorkers(n, dir, workerEnv(url), 'pipeline');
      start = performance.now();
      await producer.enqueue('pipeline-run', { limit: PIPELINE_LEADS });
      await until(async () => Number((await client.query<{ n: number }>(`select count(*)::int as n from runs where completed_at is not null`).catch(() => ({ rows: [{ n: 0 }] }))).rows[0]!.n) > 0, 600_000);
      const ms = performance.now() - start;
      await stopAll(workers);
      await client.end();
      pipeline[`${n} worker${n > 1 ? 's' : ''}`] = { seconds: +(ms / 1000).toFixed(2), vsInline: ratio(inlinePipelineMs, ms) };
    }
    await producer.close();
    await app.close();
    return {
      name: `worker scaling on ${os.cpus().length} cores (PostgreSQL + Redis, concurrency ${CONCURRENCY} per worker)`,
      webhookInbox: { deliveries: ids.length, inlineDeliveriesPerSecond: Math.round((ids.length / inlineInboxMs) * 1000), ...inbox },
      pipeline: { leads: PIPELINE_LEADS, inlineSeconds: +(inlinePipelineMs / 1000).toFixed(2), ...pipeline },
    };
  } finally {
    for (const name of names) await dropDatabase(admin, name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
};
