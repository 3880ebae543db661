import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApolloSandbox, type ApolloSandbox } from '../../src/providers/sandbox/apollo/index.js';
import { startInstantlySandbox } from '../../src/providers/sandbox/instantly/server.js';
import { CLI, tempWorkdir } from '../support/cli.js';
import { freshPostgresDatabase } from '../support/postgres.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;
const enabled = Boolean(DATABASE_URL && process.env.REDIS_URL && REDIS_SERVER);
if (!enabled) console.warn('distributed worker tests skipped: they need DATABASE_URL, REDIS_URL and the redis-server binary (.ci/run provides all three)');

const TOKEN = 'distributed-dashboard-token-0123';
const WEBHOOK_SECRET = 'instantly-webhook-secret-0123';
const LEADS = 700;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const waitFor = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 500, onTimeout?: () => string | Promise<string>): Promise<T> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${onTimeout ? `: ${await onTimeout()}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
};

/**
 * The distributed mode for real: PostgreSQL, a Redis server this test owns (so it can stop and
 * start it), one `caio serve` that only enqueues and two `caio worker` processes, against
 * loopback Apollo and Instantly servers the test owns (their counters see every process's calls).
 */
describe.skipIf(!enabled)('one server and two workers on PostgreSQL and Redis', () => {
  const work = tempWorkdir();
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>> | null = null;
  const children: ChildProcess[] = [];
  let redis: ChildProcess | null = null;
  let redisPort = 0;
  let apollo: ApolloSandbox;
  let instantly: Awaited<ReturnType<typeof startInstantlySandbox>>;
  let db: pg.Client;
  let env: Record<string, string> = {};
  let api = '';
  const workers: ChildProcess[] = [];
  const output: string[] = [];

  const startRedis = async () => {
    // With its append-only file, as a production Redis runs: a restart keeps the queued jobs.
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', work.dir], { stdio: 'ignore' });
    await waitFor(
      'redis to answer',
      async () =>
        spawnSync('redis-cli', ['-p', String(redisPort), 'ping'])
          .stdout?.toString()
          .includes('PONG'),
      10_000,
      100,
    );
  };
  const stopRedis = async () => {
    const r = redis;
    redis = null;
    if (!r) return;
    await new Promise<void>((resolve) => {
      r.once('exit', () => resolve());
      r.kill('SIGTERM');
    });
  };

  const start = (args: string[]) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => output.push(`[${args[0]} ${child.pid}] ${d}`));
    child.stderr.on('data', (d) => output.push(`[${args[0]} ${child.pid} err] ${d}`));
    children.push(child);
    return child;
  };

  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${api}${route}`, { method, headers: { 'x-dashboard-token': TOKEN, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
  };
  const count = async (query: string, params: unknown[] = []) => Number((await db.query<{ n: number }>(query, params)).rows[0]!.n);

  beforeAll(async () => {
    database = await freshPostgresDatabase(DATABASE_URL!, 'caio_dist');
    redisPort = await freePort();
    await startRedis();
    apollo = await startApolloSandbox({ apiKey: 'apollo-dist-key', count: LEADS, rateLimitPerMinute: 3000 });
    // Each Instantly call takes 20 ms: the 500-item batch lasts long enough to kill its worker mid-way.
    instantly = await startInstantlySandbox({ apiKey: 'instantly-dist-key', failures: { latencyMs: 20 } });
    writeFileSync(
      path.join(work.dir, 'caio.json'),
      JSON.stringify({
        providers: 'live',
        send: 'live',
        apollo: { baseUrl: apollo.url, rateLimitPerMinute: 3000 },
        betterContact: { enabled: false },
        instantly: { baseUrl: instantly.url },
        ramp: { enabled: false },
        tierRouting: { tier_1: ['instantly'], tier_2: ['instantly'], tier_3: ['instantly'], tier_4: [] },
        limits: { maxLeadsPerDomainPerBatch: 1000, emailDailyLimit: 5000, emailHourlyLimit: 5000, emailMonthlyLimit: 100_000, perDomainHourlyLimit: 1000, minDelaySeconds: 0 },
        dispatch: { leaseSeconds: 10, claimLeaseSeconds: 5, drainLimit: 2000 },
        // Schedules off: this test triggers every job itself.
        jobs: { enabled: false, queuePrefix: `t${randomBytes(4).toString('hex')}` },
      }),
    );
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      APOLLO_API_KEY: 'apollo-dist-key',
      INSTANTLY_API_KEY: 'instantly-dist-key',
      INSTANTLY_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DASHBOARD_AUTH_TOKEN: TOKEN,
      CAIO_CONFIG: 'caio.json',
    };
    db = new pg.Client({ connectionString: database.url });
    const server = start(['serve', '--port', '0']);
    api = await waitFor(
      'the server to listen',
      async () => /listening on (http:\/\/[^\s]+)/.exec(output.filter((l) => l.includes(`${server.pid}]`)).join(''))?.[1],
      60_000,
      200,
      () => output.join('').slice(-3000),
    );
    await db.connect();
    for (let i = 0; i < 2; i++) workers.push(start(['worker', '--concurrency', '4']));
    await waitFor('both workers', async () => output.filter((l) => l.includes('caio worker: queues')).length === 2, 60_000, 200);
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await stopRedis();
    await apollo?.close();
    await instantly?.close();
    await db?.end().catch(() => undefined);
    await database?.drop();
    work.cleanup();
  });

  it(`runs a ${LEADS}-lead pipeline as chunk jobs on the workers: each lead enriched once, Apollo's rate limit never passed`, async () => {
    const queued = await call('POST', '/api/runs', { limit: LEADS });
    expect(queued.status, JSON.stringify(queued.body)).toBe(200);
    expect(queued.body).toMatchObject({ queued: { queue: 'pipeline' } });
    const runs = await waitFor(
      'the pipeline run',
      async () => {
        const r = (await call('GET', '/api/runs?limit=5')).body as { status: string; completedAt: string | null }[];
        return r.length > 0 && r[0]!.completedAt ? r : null;
      },
      240_000,
      1000,
    );
    expect(runs[0]!.status, output.join('')).toBe('passed');
    const enriched = await count(`select count(distinct lead_id)::int as n from enrichments where provider = 'apollo_match'`);
    expect(enriched).toBeGreaterThan(LEADS * 0.8);
    expect(await count(`select count(*)::int as n from (select lead_id from enrichments where provider = 'apollo_match' group by lead_id having count(*) > 1) d`)).toBe(0);
    expect(apollo.stats.matchCalls).toBe(enriched);
    expect(apollo.stats.rateLimited).toBe(0);
    // The run was split into chunks of 25 leads that both workers took.
    expect(await count(`select count(*)::int as n from run_chunks where chunk > 0 and done_at is not null`)).toBe(Math.ceil(enriched / 25));
  }, 300_000);

  it('sends a batch of every approved draft exactly once although the worker sending it is killed mid-batch', async () => {
    let approved = 0;
    for (;;) {
      const page = (await call('GET', '/api/pending-emails?limit=500')).body as { id?: string; draftId?: string }[];
      if (page.length === 0) break;
      for (const d of page) expect((await call('POST', `/api/emails/${d.draftId ?? d.id}/approve`, { by: 'Dani' })).status).toBe(200);
      approved += page.length;
    }
    expect(approved).toBeGreaterThan(500);
    expect((await call('POST', '/api/operator/trigger', { motion: 'outbound', dry_run: false, by: 'Maya' })).body).toMatchObject({ queued: { queue: 'dispatch' } });
    const batch = await waitFor(
      'the pending batch',
      async () => {
        const b = (await call('GET', '/api/operator/pending-batch')).body as { id?: string; scope?: unknown[] };
        return b.id ? b : null;
      },
      60_000,
    );
    // Tier 4 has no channel (tierRouting): the batch holds every other approved lead, 500 at least.
    expect(batch.scope!.length).toBeGreaterThanOrEqual(500);
    expect((await call('POST', `/api/operator/approve-batch/${batch.id}`, { by: 'Sam' })).status).toBe(200);
    await call('POST', '/api/operator/trigger', { motion: 'outbound', dry_run: false, by: 'Maya', batchId: batch.id });

    // Kill the worker that holds the dispatch lease once it has sent some of the batch.
    const holder = await waitFor(
      'a worker sending',
      async () => {
        if ((await count(`select count(*)::int as n from outbox where status = 'sent'`)) < 20) return null;
        return String((await db.query<{ holder: string | null }>(`select holder from leases where name = 'dispatch:outbound'`)).rows[0]?.holder ?? '') || null;
      },
      120_000,
      100,
    );
    const pid = Number(holder.split(':')[1]);
    const victim = workers.find((w) => w.pid === pid);
    expect(victim, `lease holder ${holder}`).toBeDefined();
    victim!.kill('SIGKILL');
    const sentAtKill = await count(`select count(*)::int as n from outbox where status = 'sent'`);
    expect(sentAtKill).toBeLessThan(batch.scope!.length);
    // As a supervisor would: a new worker replaces the dead one.
    workers.push(start(['worker', '--concurrency', '4']));

    // The survivor takes over once the lease lapses; a claim left mid-call is reconciled with Instantly, never resent blindly.
    await waitFor(
      'the rest of the batch sent',
      async () => {
        const open = await count(`select count(*)::int as n from outbox where status in ('queued', 'sending')`);
        if (open === 0) return true;
        await call('POST', '/api/operator/trigger', { motion: 'outbound', dry_run: false, by: 'Maya' });
        return null;
      },
      150_000,
      4000,
    );
    const sent = await count(`select count(*)::int as n from outbox where status = 'sent'`);
    expect(sent).toBe(batch.scope!.length);
    const atInstantly = instantly
      .campaigns()
      .flatMap((c) => instantly.leadsOf(c.id))
      .map((l) => String(l.email));
    expect(atInstantly.length).toBe(sent);
    expect(new Set(atInstantly).size).toBe(atInstantly.length);
  }, 360_000);

  it('processes webhook deliveries on the workers, through a Redis restart, each exactly once', async () => {
    const emails = (await db.query<{ email: string }>(`select email from leads where status = 'sent' order by email limit 150`)).rows.map((r) => String(r.email));
    expect(emails.length).toBe(150);
    const deliver = async (email: string, i: number) => {
      const body = JSON.stringify({
        timestamp: new Date().toISOString(),
        workspace: 'w',
        campaign_id: 'c',
        campaign_name: 'dist',
        lead_email: email,
        email_account: 'alex@outreach-one.example.com',
        event_type: 'email_opened',
        step: 1,
        variant: 1,
        is_first: true,
        email_id: `dist-${i}`,
      });
      const res = await fetch(`${api}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': WEBHOOK_SECRET }, body });
      expect(res.status).toBeLessThan(300);
    };
    for (const [i, email] of emails.slice(0, 50).entries()) await deliver(email, i);
    await stopRedis();
    // Redis is down: the server still stores and acknowledges; the jobs wait for it.
    for (const [i, email] of emails.slice(50, 100).entries()) await deliver(email, 50 + i);
    await startRedis();
    for (const [i, email] of emails.slice(100).entries()) await deliver(email, 100 + i);
    await waitFor(
      'every delivery processed',
      async () => (await count(`select count(*)::int as n from webhook_inbox where status in ('pending', 'processing')`)) === 0,
      90_000,
      1000,
      // What is left, by status, then the processes' last lines.
      async () => `${JSON.stringify((await db.query(`select status, count(*)::int as n from webhook_inbox group by 1`)).rows)} ${output.join('').slice(-3000)}`,
    );
    expect(await count(`select count(*)::int as n from webhook_inbox`)).toBe(150);
    expect(await count(`select count(*)::int as n from webhook_inbox where status <> 'processed'`)).toBe(0);
    // One timeline event per delivery, none twice.
    expect(await count(`select count(*)::int as n from lead_events where inbox_id is not null`)).toBe(150);
    expect(await count(`select count(distinct inbox_id)::int as n from lead_events where inbox_id is not null`)).toBe(150);
    // The server counted what it ingested; the queue gauges come from Redis.
    const metrics = await (await fetch(`${api}/metrics`, { headers: { 'x-dashboard-token': TOKEN } })).text();
    expect(metrics).toContain('caio_webhook_deliveries_ingested_total 150');
    expect(metrics).toContain('caio_queue_jobs{queue="signals",state="waiting"} 0');
  }, 180_000);
});
