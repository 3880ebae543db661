import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../store/index.js';

const BREAKER_VALUE: Record<string, number> = { closed: 0, half_open: 1, 'half-open': 1, open: 2 };

type QueueSource = { backend: string; status: () => Promise<Record<string, unknown>> };
type QueueCounts = { queue: string; waiting: number; active: number; delayed: number; failed: number; oldestWaitingAgeMs: number };

/**
 * The process's Prometheus metrics (prom-client, one registry per app): counters and histograms
 * that the code feeds as work happens, plus gauges read at scrape time from the database (leads,
 * outbox, deliveries and drafts by status) and the job queues (depth and age). Each process
 * exposes its own; Prometheus sums the counters across servers and workers. Labels carry codes
 * and names only, never an address or a secret.
 */
export const createMetrics = () => {
  const registry = new Registry();
  const stageSeconds = new Histogram({ name: 'caio_pipeline_stage_seconds', help: 'Pipeline stage duration by stage and outcome', labelNames: ['stage', 'status'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300], registers: [registry] });
  const providerCalls = new Counter({ name: 'caio_provider_calls_total', help: 'Provider HTTP calls by provider and outcome (ok, http_4xx, http_5xx, rate_limited, unavailable)', labelNames: ['provider', 'outcome'], registers: [registry] });
  const providerSeconds = new Histogram({ name: 'caio_provider_call_seconds', help: 'Provider HTTP call duration (one attempt)', labelNames: ['provider'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers: [registry] });
  const breaker = new Gauge({ name: 'caio_breaker_state', help: 'Circuit breaker state per provider: 0 closed, 1 half-open, 2 open', labelNames: ['provider'], registers: [registry] });
  const sends = new Counter({ name: 'caio_sends_total', help: 'Outbound items by channel and outcome (sent, deferred, rejected, failed, uncertain, skipped, stopped)', labelNames: ['channel', 'outcome'], registers: [registry] });
  const guardRejections = new Counter({ name: 'caio_guard_rejections_total', help: 'Items the send gateway held back, by guard reason', labelNames: ['reason'], registers: [registry] });
  const webhooks = new Counter({ name: 'caio_webhook_deliveries_ingested_total', help: 'Webhook deliveries verified and stored', registers: [registry] });
  const jobs = new Counter({ name: 'caio_jobs_total', help: 'Job attempts by queue, job and outcome (completed, retrying, failed)', labelNames: ['queue', 'job', 'outcome'], registers: [registry] });
  const jobSeconds = new Histogram({ name: 'caio_job_seconds', help: 'Job attempt duration', labelNames: ['queue', 'job'], buckets: [0.01, 0.05, 0.25, 1, 5, 30, 120, 600], registers: [registry] });

  const gauge = (name: string, help: string, label: string, rows: { k: string; n: number }[]) =>
    `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${rows.map((r) => `${name}{${label}="${String(r.k).replace(/["\\\n]/g, '_')}"} ${Number(r.n)}`).join('\n')}\n`;

  const storeGauges = async (db: Db) => {
    const rows = async (query: ReturnType<typeof sql>) => ((await db.execute(query)) as { rows: { k: string; n: number }[] }).rows;
    return [
      gauge('caio_leads', 'Leads by status', 'status', await rows(sql`select status as k, count(*)::int as n from leads group by status`)),
      gauge('caio_outbox_items', 'Outbox items by status', 'status', await rows(sql`select status as k, count(*)::int as n from outbox group by status`)),
      gauge('caio_webhook_deliveries', 'Stored webhook deliveries by status', 'status', await rows(sql`select status as k, count(*)::int as n from webhook_inbox group by status`)),
      gauge('caio_drafts', 'Drafts by status', 'status', await rows(sql`select status as k, count(*)::int as n from drafts group by status`)),
    ].join('');
  };

  const queueGauges = async (source: QueueSource) => {
    const status = await source.status();
    if (source.backend !== 'bullmq')
      return gauge('caio_queue_jobs', 'Jobs waiting in the inline runner', 'state', [
        { k: 'waiting', n: Number(status.waiting ?? 0) },
        { k: 'failed', n: Number(status.failed ?? 0) },
      ]);
    const queues = (status.queues ?? []) as QueueCounts[];
    const depth = queues.flatMap((q) => (['waiting', 'active', 'delayed', 'failed'] as const).map((state) => `caio_queue_jobs{queue="${q.queue}",state="${state}"} ${q[state]}`));
    const age = queues.map((q) => `caio_queue_oldest_waiting_seconds{queue="${q.queue}"} ${q.oldestWaitingAgeMs / 1000}`);
    return `# HELP caio_queue_jobs Jobs per queue and state\n# TYPE caio_queue_jobs gauge\n${depth.join('\n')}\n# HELP caio_queue_oldest_waiting_seconds Age of the job that has waited longest\n# TYPE caio_queue_oldest_waiting_seconds gauge\n${age.join('\n')}\n`;
  };

  return {
    registry,
    stage: (stage: string, status: string, durationMs: number) => stageSeconds.observe({ stage, status }, durationMs / 1000),
    providerCall: (provider: string, outcome: string, durationMs: number) => {
      providerCalls.inc({ provider, outcome });
      providerSeconds.observe({ provider }, durationMs / 1000);
    },
    breaker: (provider: string, state: string) => breaker.set({ provider }, BREAKER_VALUE[state] ?? 0),
    sendItem: (channel: string, outcome: string, reason: string | null) => {
      sends.inc({ channel, outcome });
      if (reason && (outcome === 'rejected' || outcome === 'deferred')) guardRejections.inc({ reason: reason.split(/[:\s(]/)[0] || reason });
    },
    webhookStored: () => webhooks.inc(),
    jobDone: (event: { queue: string; name: string; outcome: string; durationMs: number }) => {
      jobs.inc({ queue: event.queue, job: event.name, outcome: event.outcome });
      jobSeconds.observe({ queue: event.queue, job: event.name }, event.durationMs / 1000);
    },
    /** The whole scrape: the registry, then the store's and the queues' gauges (either may be absent). */
    text: async (db?: Db, queues?: QueueSource) => `${await registry.metrics()}\n${db ? await storeGauges(db) : ''}${queues ? await queueGauges(queues) : ''}`,
  };
};

export type Metrics = ReturnType<typeof createMetrics>;
