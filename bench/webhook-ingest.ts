import { openBenchDatabase } from './bench-store.js';
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig } from '../src/config/load.js';
import { buildApp } from '../src/server/app.js';
import { webhookRoutes } from '../src/server/webhook-routes.js';
import { createClayStore } from '../src/store/clay-repo.js';
import { createInboxStore } from '../src/store/inbox-repo.js';
import { createGroupCommitInbox } from '../src/store/inbox-group-commit.js';
import type { InboxWriter } from '../src/webhooks/inbox-handler.js';
import { sql } from 'drizzle-orm';
import { signBody } from '../src/webhooks/verify.js';

const SECRET = 'bench-webhook-secret-0123456789';
const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 6);
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 5);

/** The run whose `by` is the median (the middle one of an odd count). */
const medianBy = <T>(runs: readonly T[], by: (run: T) => number): T => [...runs].sort((a, b) => by(a) - by(b))[Math.floor((runs.length - 1) / 2)]!;

const event = (n: number) =>
  JSON.stringify({
    timestamp: new Date(1_790_000_000_000 + n).toISOString(),
    event_type: 'email_opened',
    workspace: 'w1',
    campaign_id: 'c1',
    campaign_name: 'bench',
    lead_email: `lead${n % 5000}@bench.example.com`,
    email_id: `e-${n}`,
    step: 1,
  });

/** 50 connections for SECONDS against `url`, each request a new signed Instantly event. */
const hammer = async (url: string) => {
  let n = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const body = event(n++);
          return { ...req, body, headers: { 'content-type': 'application/json', 'x-instantly-signature': signBody(SECRET, body) } };
        },
      },
    ],
  });
  return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts };
};

/**
 * Webhook ingestion on loopback: `caio serve`'s app (verify, parse, validate, inbox insert with the
 * idempotency key) on PostgreSQL when DATABASE_URL is set (else the embedded PostgreSQL, said in the output), against
 * a bare Fastify route doing only the HMAC check, measured in the same run.
 */
export const benchWebhookIngest = async () => {
  const bare = Fastify({ logger: false });
  bare.removeAllContentTypeParsers();
  bare.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  bare.post('/webhooks/instantly/open', async (req, reply) => {
    const given = String(req.headers['x-instantly-signature'] ?? '').replace(/^sha256=/, '');
    const ok =
      given ===
      createHmac('sha256', SECRET)
        .update(req.body as string)
        .digest('hex');
    return reply.code(ok ? 202 : 401).send({ status: ok ? 'accepted' : 'unauthorized' });
  });
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

  const database = await openBenchDatabase();
  const config = loadConfig({ cwd: '/nonexistent-caio-bench', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
  /** The server's door on this database with `inbox` as the writer: throughput, p99 and statements per delivery. */
  const door = async (inbox: InboxWriter & { close?: () => Promise<void> }, counted: { statements: number }) => {
    const app = buildApp({ routes: webhookRoutes({ config, inbox, clay: createClayStore(database.db), onStored: () => undefined }), maxBodyBytes: 1024 * 1024 });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const result = await hammer(`${url}/webhooks/instantly/open`);
    await app.close();
    await inbox.close?.();
    const stored = Number(((await database.db.execute(sql`select count(*)::int as n from webhook_inbox`)) as { rows: { n: number }[] }).rows[0]!.n);
    await database.db.execute(sql`truncate webhook_inbox cascade`);
    return { ...result, statementsPerDelivery: stored ? Number((counted.statements / stored).toFixed(3)) : null };
  };
  const settings = config.server.webhookGroupCommit;
  const served = async () => {
    const grouped = { statements: 0 };
    const pool = { query: ((q) => ((grouped.statements += 1), database.pool.query(q))) as typeof database.pool.query };
    return door(createGroupCommitInbox(pool, settings), grouped);
  };
  // The bare route and the server take turns, ROUNDS times: on a shared machine a burst of load
  // then falls on both sides, and the medians are compared.
  const bareRuns: Awaited<ReturnType<typeof hammer>>[] = [];
  const serveRuns: Awaited<ReturnType<typeof served>>[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    bareRuns.push(await hammer(`${bareUrl}/webhooks/instantly/open`));
    serveRuns.push(await served());
  }
  await bare.close();
  const oneRow = { statements: 0 };
  const store = createInboxStore(database.db);
  const perRow = await door({ insert: (item) => ((oneRow.statements += 1), store.insert(item)) }, oneRow);
  await database.close();
  const baseline = medianBy(bareRuns, (r) => r.requestsPerSecond);
  const serve = medianBy(serveRuns, (r) => r.requestsPerSecond);
  // Each round's pair ran back to back, so its ratio shares that moment's load: the headline is their median.
  const pairedRatios = serveRuns.map((run, i) => run.requestsPerSecond / bareRuns[i]!.requestsPerSecond);
  const pairedRatio = medianBy(pairedRatios, (r) => r);
  return {
    name: `webhook ingestion, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each side, signed Instantly events (${database.label})`,
    serve: { groupCommit: settings, ...serve },
    oneRowPerDelivery: perRow,
    bareFastifyHmacOnly: baseline,
    rounds: {
      bareRequestsPerSecond: bareRuns.map((r) => r.requestsPerSecond),
      serveRequestsPerSecond: serveRuns.map((r) => r.requestsPerSecond),
      serveP99Ms: serveRuns.map((r) => r.p99Ms),
      ratios: pairedRatios.map((r) => `${r.toFixed(2)}x`),
    },
    throughputRatio: `${pairedRatio.toFixed(2)}x`,
    medianThroughputRatio: `${(serve.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x`,
    oneRowThroughputRatio: `${(perRow.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x`,
  };
};
