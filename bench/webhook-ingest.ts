import { openBenchDatabase } from './bench-store.js';
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { loadConfig } from '../src/config/load.js';
import { buildApp } from '../src/server/app.js';
import { webhookRoutes } from '../src/server/webhook-routes.js';
import { createClayStore } from '../src/store/clay-repo.js';
import { createInboxStore } from '../src/store/inbox-repo.js';
import { signBody } from '../src/webhooks/verify.js';

const SECRET = 'bench-webhook-secret-0123456789';
const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 10);
const CONNECTIONS = 50;

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
  const baseline = await hammer(`${bareUrl}/webhooks/instantly/open`);
  await bare.close();

  const database = await openBenchDatabase();
  const config = loadConfig({ cwd: '/nonexistent-caio-bench', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
  const app = buildApp({ routes: webhookRoutes({ config, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: () => undefined }), maxBodyBytes: 1024 * 1024 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const serve = await hammer(`${url}/webhooks/instantly/open`);
  await app.close();
  await database.close();
  return {
    name: `webhook ingestion, ${CONNECTIONS} connections for ${SECONDS} s, signed Instantly events (${database.label})`,
    serve,
    bareFastifyHmacOnly: baseline,
    throughputRatio: `${(serve.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x`,
  };
};
