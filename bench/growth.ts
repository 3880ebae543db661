import autocannon from 'autocannon';
import pg from 'pg';
import { pino } from 'pino';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config/load.js';
import { openApp, openDispatch } from '../src/deps.js';
import { inboxProcessorOn } from '../src/compose/signals.js';
import { emptyLead } from '../src/domain/lead.js';
import { sha256Hex } from '../src/lib/hash.js';
import { parseInstantlyWebhook } from '../src/providers/instantly/webhook.js';
import { buildApp } from '../src/server/app.js';
import { webhookRoutes } from '../src/server/webhook-routes.js';
import { createClayStore } from '../src/store/clay-repo.js';
import { createGroupCommitInbox } from '../src/store/inbox-group-commit.js';
import { createSignalLeadStore } from '../src/store/signals-repo.js';
import { signBody } from '../src/webhooks/verify.js';
import { openBenchDatabase } from './bench-store.js';

const SECRET = 'bench-webhook-secret-0123456789';
const SECONDS = Number(process.env.BENCH_GROWTH_SECONDS ?? 5);
const INBOX_HISTORY = Number(process.env.BENCH_GROWTH_INBOX_ROWS ?? 1_000_000);
const OUTBOX_HISTORY = Number(process.env.BENCH_GROWTH_OUTBOX_ROWS ?? 100_000);
const DELIVERIES = 2000;
const ITEMS = 500;
const LEADS = 500;
const HUGE = 1_000_000;

/** Every statement the process sends to PostgreSQL (pool queries, transactions, drizzle's): counted at the driver. */
const statementCounter = () => {
  let count = 0;
  const prototype = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  return { read: () => count, restore: () => void (prototype.query = original) };
};

/**
 * Cost per unit of work with an empty history and with a large one (INBOX_HISTORY rows in the
 * webhook inbox, OUTBOX_HISTORY sends in the outbox this month), through the production wiring: the
 * webhook door with the group-commit writer, the inbox processor's set-based path, and the send
 * gateway's drain (its channel answering at once, so what is timed is our own per-item cost: reads,
 * guards, claim, mark, audit, touch). The ratio large/empty shows whether a unit's cost grows with
 * history; statements per unit are counted at the driver.
 */
export const benchGrowth = async () => {
  const counter = statementCounter();
  const database = await openBenchDatabase();
  const config = loadConfig({
    cwd: '/nonexistent-caio-bench',
    env: { INSTANTLY_WEBHOOK_SECRET: SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' },
    values: {
      providers: 'sandbox',
      send: 'live',
      ramp: { enabled: false },
      tierRouting: { tier_1: ['instantly'], tier_2: ['instantly'], tier_3: ['instantly'], tier_4: ['instantly'] },
      dispatch: { drainLimit: ITEMS * 2, businessHours: { startHour: 0, endHour: 24, weekdays: [1, 2, 3, 4, 5, 6, 7] }, jitterSeconds: 0 },
    },
  });
  const log = pino({ level: 'silent' });
  const app = await openApp(config, { database, log });
  const dispatch = await openDispatch(app, {
    // Quotas out of the way (beyond what a config file may say): every item is judged by every guard and sent.
    gateway: { limits: { emailDailyLimit: HUGE, emailHourlyLimit: HUGE, emailMonthlyLimit: HUGE, perDomainHourlyLimit: HUGE, minDelaySeconds: 0 }, emailDailyLimit: HUGE },
    // The provider answers at once: the drain's time is ours alone.
    wrapChannels: (channels) => ({ instantly: { ...channels.instantly, deliver: async (item) => ({ providerRef: `bench:${item.id}` }) } }),
  });
  const db = database.db;
  const leads = createSignalLeadStore(db);
  const leadIds: string[] = [];
  for (let i = 0; i < LEADS; i++) {
    const profile = emptyLead({ email: `lead${i}@bench${i}.example.com`, firstName: `Ann${i}`, lastName: 'Lee' });
    leadIds.push(await leads.fromDiscovered({ source: 'bench', sourceId: `bench-${i}`, profile }, 'bench-run'));
  }
  const count = async (table: string) => Number(((await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as { rows: { n: number }[] }).rows[0]!.n);

  /** SECONDS of signed Instantly events from 50 connections against the door. */
  const ingest = async (round: number) => {
    const inbox = createGroupCommitInbox(database.pool, config.server.webhookGroupCommit);
    const server = buildApp({ routes: webhookRoutes({ config, inbox, clay: createClayStore(db), onStored: () => undefined }), maxBodyBytes: 1024 * 1024 });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const before = { rows: await count('webhook_inbox'), statements: counter.read() };
    let n = 0;
    const result = await autocannon({
      url: `${url}/webhooks/instantly/open`,
      connections: 50,
      duration: SECONDS,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const body = JSON.stringify({ timestamp: new Date().toISOString(), event_type: 'email_opened', campaign_id: 'c1', lead_email: `lead${n % LEADS}@bench${n % LEADS}.example.com`, email_id: `g${round}-${n++}`, step: 1 });
            return { ...req, body, headers: { 'content-type': 'application/json', 'x-instantly-signature': signBody(SECRET, body) } };
          },
        },
      ],
    });
    await server.close();
    await inbox.close();
    const stored = (await count('webhook_inbox')) - before.rows - 1; // the count itself is a statement
    const statements = counter.read() - before.statements - 1;
    // Leave nothing pending for the processing round.
    await db.execute(sql`update webhook_inbox set status = 'processed', processed_at = now() where status = 'pending'`);
    return { requestsPerSecond: Math.round(result.requests.average), p99Ms: result.latency.p99, non2xx: result.non2xx, statementsPerDelivery: Number((statements / Math.max(1, stored)).toFixed(3)) };
  };

  /** DELIVERIES pending deliveries processed set-based (25 per transaction, 4 at once). */
  const processing = async (round: number) => {
    const inbox = createGroupCommitInbox(database.pool, { windowMs: 5, maxRows: 500 });
    const ids = await Promise.all(
      Array.from({ length: DELIVERIES }, async (_, n) => {
        const payload = {
          timestamp: new Date(Date.now() - 1000 + n).toISOString(),
          event_type: n % 10 === 9 ? 'email_link_clicked' : 'email_opened',
          campaign_id: 'c1',
          lead_email: `lead${n % LEADS}@bench${n % LEADS}.example.com`,
          email_id: `p${round}-${n}`,
          step: 1,
        };
        const read = parseInstantlyWebhook(payload, { receivedAt: new Date() });
        return (await inbox.insert({ provider: 'instantly', eventType: read.eventType, idempotencyKey: sha256Hex(`growth|${round}|${n}`), payload, receivedAt: new Date(), signal: read.ok ? read.signal : null }))!;
      }),
    );
    const processor = inboxProcessorOn(db, { clock: app.clock, log, cadence: config.cadence });
    const statements = counter.read();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < ids.length) await processor.processMany(ids.slice(next, (next += 25)));
      }),
    );
    const ms = performance.now() - started;
    return { deliveriesPerSecond: Math.round((DELIVERIES / ms) * 1000), statementsPerDelivery: Number(((counter.read() - statements) / DELIVERIES).toFixed(2)) };
  };

  /** ITEMS queued e-mails drained through the gateway (live, every guard), one at a time as the OPERATOR does. */
  const drain = async (round: number) => {
    const now = app.clock.now();
    await dispatch.parts.outbox.enqueue(
      Array.from({ length: ITEMS }, (_, i) => ({
        dedupKey: `growth:${round}:${i}`,
        batchId: null,
        draftId: null,
        leadId: leadIds[i % LEADS]!,
        channel: 'instantly' as const,
        step: 'initial',
        recipient: `lead${i % LEADS}@bench${i % LEADS}.example.com`,
        recipientDomain: `bench${i % LEADS}.example.com`,
        tier: 'tier_2',
        subject: 'Hello',
        body: 'Hello there',
        payload: { firstName: 'Ann', lastName: 'Lee', companyName: 'Bench', title: 'CEO', email: null },
        sender: null,
        notBefore: now,
        status: 'queued' as const,
        reason: null,
      })),
    );
    const statements = counter.read();
    const started = performance.now();
    const report = await dispatch.parts.gateway.drain({ dryRun: false, limit: ITEMS });
    const ms = performance.now() - started;
    return { sent: report.counts.sent, deferred: report.counts.deferred, msPerItem: Number((ms / ITEMS).toFixed(2)), statementsPerItem: Number(((counter.read() - statements) / ITEMS).toFixed(2)) };
  };

  try {
    const empty = { ingest: await ingest(0), processing: await processing(0), dispatch: await drain(0) };
    // The history: INBOX_HISTORY processed deliveries, OUTBOX_HISTORY sends spread over this month's days so far.
    const seedStarted = performance.now();
    await db.execute(sql`insert into webhook_inbox (provider, event_type, idempotency_key, payload, received_at, status, processed_at)
      select 'instantly', 'email_opened', 'history-' || i, '{}'::jsonb, now() - (i % 30) * interval '1 day', 'processed', now() from generate_series(1, ${INBOX_HISTORY}) i`);
    await db.execute(sql`insert into outbox (dedup_key, lead_id, channel, step, recipient, recipient_domain, status, sent_at, claimed_at, payload, not_before, created_at, updated_at)
      select 'history-' || i, null, 'instantly', 'initial', 'old' || i || '@history.example.com', 'history' || (i % 5000) || '.example.com', 'sent',
        least(now() - interval '1 minute', date_trunc('month', now()) + (i % greatest(1, extract(day from now())::int - 1)) * interval '1 day' + (i % 1440) * interval '1 minute'),
        date_trunc('month', now()), '{}'::jsonb, now(), now(), now()
      from generate_series(1, ${OUTBOX_HISTORY}) i`);
    await db.execute(sql`analyze webhook_inbox`);
    await db.execute(sql`analyze outbox`);
    const seededMs = Math.round(performance.now() - seedStarted);
    const large = { ingest: await ingest(1), processing: await processing(1), dispatch: await drain(1) };
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    return {
      name: `cost per unit with an empty history and with ${INBOX_HISTORY.toLocaleString('en')} inbox rows and ${OUTBOX_HISTORY.toLocaleString('en')} outbox sends (${database.label}; seeded in ${seededMs} ms)`,
      empty,
      large,
      largeOverEmpty: {
        ingestThroughput: ratio(large.ingest.requestsPerSecond, empty.ingest.requestsPerSecond),
        processingThroughput: ratio(large.processing.deliveriesPerSecond, empty.processing.deliveriesPerSecond),
        dispatchMsPerItem: ratio(large.dispatch.msPerItem, empty.dispatch.msPerItem),
      },
    };
  } finally {
    counter.restore();
    await dispatch.close();
    await app.close();
    await database.close();
  }
};
