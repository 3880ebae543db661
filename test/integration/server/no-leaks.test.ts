import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { SECRET_ENV_KEYS } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/lib/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { buildApp, routeList, serverLogging } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import { PAYLOAD_READERS } from '../../../src/compose/signals.js';
import { createInboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore, createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import type { InboxWriter } from '../../../src/webhooks/inbox-handler.js';
import { signBody } from '../../../src/webhooks/verify.js';
import { apiDepsOf } from '../../support/api.js';
import { contractFixture } from '../../support/contracts.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * "Safe to run live", finding "Leaked" (item 7): the whole webhook loop of `caio serve`, at trace
 * level, with every secret set. Deliveries on every webhook path (RB2B with the secret in the path
 * and in `?token=`, HeyReach with `?secret=`, Instantly with `?token=`), each naming a lead by e-mail
 * and phone; database errors on requests and in processing (drizzle puts the query's parameters, the
 * payload, in its message; PostgreSQL quotes the bad value in its own). Then every log line, the
 * `/metrics` text, the start-up routes line and the `webhook_inbox.error` column are scanned for every
 * secret and every e-mail and phone.
 */
const SECRETS = {
  INSTANTLY_WEBHOOK_SECRET: 'inst-whsec-7f3a9c1e55d0',
  HEYREACH_WEBHOOK_SECRET: 'hr-whsec-2b8e4d6f0a91',
  RB2B_WEBHOOK_SECRET: 'rb2b-whsec-c4e1a7f93b20',
  CLAY_CALLBACK_TOKEN: 'clay-cbtok-9d2f6b1e8a47',
  CLAY_WEBHOOK_SECRET: 'clay-whsec-5a0c3e7b9f12',
  DASHBOARD_AUTH_TOKEN: 'dash-token-1e9b7c5a3d0f6e2b',
  APOLLO_API_KEY: 'apollo-key-8c1d5e9f2a6b',
  INSTANTLY_API_KEY: 'inst-apikey-3f7b1c9d5e0a',
  HEYREACH_API_KEY: 'hr-apikey-6a2e8c4f0b1d',
  SMTP_PASSWORD: 'smtp-pass-0d4f8b2c6e1a',
} as const;

/** A personal e-mail and phone per delivery; the phone also in the forms a reader might write it. */
const PHONES = ['+15550142211', '+15550142212', '+15550142213', '+15550142214', '+15550142215', '+15550142216', '+15550142217', '+15550142218', '+15550142219'];

type Row = { provider: string; status: string; error: string | null };

describe('nothing secret or personal leaks into logs, metrics or stored errors at trace level', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  const lines: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [...PHONES];
  const statuses: Record<string, number> = {};
  let metricsText = '';
  let startup = '';
  let rows: Row[] = [];
  let processing: Promise<unknown>[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const db = database.db;
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    });
    const log = createLogger('trace', stream);
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { ...SECRETS, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    const secrets = SECRET_ENV_KEYS.map((k) => config.env[k]).filter((v): v is string => typeof v === 'string');

    // Leads the deliveries name: known ones (processed), one whose processing hits a database error.
    const leads = await Promise.all([0, 1, 2, 3, 4].map(() => h.approvedLead()));
    emails.push(...leads.map((l) => l.email));
    const [a, b, c, d, victim] = leads as [(typeof leads)[0], (typeof leads)[0], (typeof leads)[0], (typeof leads)[0], (typeof leads)[0]];
    const failing = { instantly: 'failing.instantly@requests.example.com', heyreach: 'failing.heyreach@requests.example.com', rb2b: 'failing.rb2b@visitors.example.com' };
    const rb2bVisitor = 'maya.visitor@northwind-visitors.example.com';
    const rb2bVisitor2 = 'omar.visitor@northwind-visitors.example.com';
    const clayPerson = 'priya.clay@lumen-logistics.example.com';
    emails.push(failing.instantly, failing.heyreach, failing.rb2b, rb2bVisitor, rb2bVisitor2, clayPerson);

    // A real PostgreSQL error through drizzle, whose message carries the parameters (the payload)
    // and whose driver message quotes the bad value (the e-mail).
    const databaseError = async (email: string, payload: unknown) => {
      await db.execute(sql`insert into webhook_inbox (id, provider, event_type, idempotency_key, payload, received_at, status) values (${email}::uuid, 'x', 'x', ${email}, ${JSON.stringify(payload)}::jsonb, now(), 'pending')`);
    };
    const realInbox = createInboxStore(db);
    const inbox: InboxWriter = {
      insert: async (item) => {
        const text = JSON.stringify(item.payload);
        const failWith = Object.values(failing).find((e) => text.includes(e));
        if (failWith) await databaseError(failWith, item.payload);
        return realInbox.insert(item);
      },
    };
    const realEvents = createLeadEventStore(db);
    const events: typeof realEvents = {
      ...realEvents,
      append: async (event) => {
        if (event.leadId === victim.leadId) await databaseError(victim.email, event.details);
        return realEvents.append(event);
      },
    };
    const processor = createInboxProcessor({
      inbox: realInbox,
      events,
      leads: createSignalLeadStore(db),
      suppressions: h.stores.suppressions,
      cancelOutbound: (leadId, reason) => h.outbox.cancelForLead(leadId, reason),
      clock: h.clock,
      log,
      payloadReaders: PAYLOAD_READERS,
      cadence: h.cadence,
    });

    // As `caio serve` builds it (src/cli/commands/serve.ts): the same logging, metrics and secrets.
    const logging = serverLogging(log);
    const routes = webhookRoutes({
      config,
      inbox,
      clay: createClayStore(db),
      onStored: (id) => processing.push(processor.process(id)),
      now: () => h.clock.now(),
      pingDatabase: async () => void (await db.execute(sql`select 1`)),
      onError: logging.onWebhookError,
    });
    const metrics = createMetrics();
    app = buildApp({
      routes,
      maxBodyBytes: 64 * 1024,
      secrets,
      metrics: () => metrics.text(db),
      onRequestDone: logging.onRequestDone,
      onError: logging.onError,
      api: { token: SECRETS.DASHBOARD_AUTH_TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(db) },
    });
    startup = `routes: ${routeList(routes, secrets).join(', ')}`;

    const post = async (name: string, url: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
      await Promise.all(processing);
      processing = [];
      statuses[name] = res.statusCode;
      return res;
    };
    const instantly = (name: string, email: string, phone: string, event = 'webhook.reply_received.json') => ({
      ...(contractFixture('instantly', event).request.body as Record<string, unknown>),
      lead_email: email,
      email_id: `email-${name}`,
      phone,
      reply_text: `Call me on ${phone} or write to ${email}.`,
    });
    const heyreach = (email: string, phone: string) => {
      const body = structuredClone(contractFixture('heyreach', 'webhook.message_reply_received.json').request.body) as { lead: Record<string, unknown>; message_text: string; correlation_id: string };
      body.lead.email_address = email;
      body.lead.phone = phone;
      body.message_text = `Reach me at ${phone}, ${email}`;
      body.correlation_id = `corr-${email}`;
      return body;
    };
    const rb2b = (email: string, phone: string, linkedin: string) => ({
      ...(contractFixture('rb2b', 'visitor.json').request.body as Record<string, unknown>),
      'Business Email': email,
      'LinkedIn URL': linkedin,
      Phone: phone,
      'Seen At': h.clock.now().toISOString(),
    });
    const clay = (email: string, phone: string) => ({ ...(contractFixture('clay', 'callback.json').request.body as Record<string, unknown>), work_email: email, phone });

    // Instantly: the token header, the HMAC header, and the token in the query.
    await post('instantly header', '/webhooks/instantly', instantly('a', a.email, PHONES[0]!), { 'x-caio-webhook-token': SECRETS.INSTANTLY_WEBHOOK_SECRET });
    const signed = JSON.stringify(instantly('b', b.email, PHONES[1]!, 'webhook.email_opened.json'));
    await post('instantly hmac', '/webhooks/instantly/open', signed, { 'x-instantly-signature': signBody(SECRETS.INSTANTLY_WEBHOOK_SECRET, signed) });
    await post('instantly query', `/webhooks/instantly/reply?token=${SECRETS.INSTANTLY_WEBHOOK_SECRET}`, instantly('c', c.email, PHONES[2]!));
    // HeyReach: the secret in the query, on the generic and a per-event path.
    await post('heyreach', `/webhooks/heyreach?secret=${SECRETS.HEYREACH_WEBHOOK_SECRET}`, heyreach(d.email, PHONES[3]!));
    await post('heyreach event', `/webhooks/heyreach/MESSAGE_REPLY_RECEIVED?secret=${SECRETS.HEYREACH_WEBHOOK_SECRET}&x=1`, heyreach(a.email, PHONES[4]!));
    // RB2B: the secret as the last path segment, and in ?token=.
    await post('rb2b path', `/webhooks/rb2b/${SECRETS.RB2B_WEBHOOK_SECRET}`, rb2b(rb2bVisitor, PHONES[5]!, 'https://www.linkedin.com/in/example-maya-visitor/'));
    await post('rb2b query', `/webhooks/rb2b?token=${SECRETS.RB2B_WEBHOOK_SECRET}`, rb2b(rb2bVisitor2, PHONES[6]!, 'https://www.linkedin.com/in/example-omar-visitor/'));
    // Clay: the callback token header and the HMAC header.
    await post('clay token', '/webhooks/clay/callback', clay(clayPerson, PHONES[7]!), { 'x-caio-webhook-token': SECRETS.CLAY_CALLBACK_TOKEN });
    const claySigned = JSON.stringify(clay(clayPerson, PHONES[7]!));
    await post('clay hmac', '/webhooks/clay', claySigned, { 'x-clay-signature': signBody(SECRETS.CLAY_WEBHOOK_SECRET, claySigned) });
    // Unusable but authenticated: kept as ignored, with the reason in the error column.
    await post('instantly ignored', '/webhooks/instantly', { event_type: 'Asked for pricing', lead_email: a.email, phone: PHONES[0] }, { 'x-caio-webhook-token': SECRETS.INSTANTLY_WEBHOOK_SECRET });
    // Database errors on a request: Instantly and HeyReach answer 5xx (their retry comes), RB2B 200 (it never retries).
    await post('instantly db error', `/webhooks/instantly/bounce?token=${SECRETS.INSTANTLY_WEBHOOK_SECRET}`, instantly('f', failing.instantly, PHONES[8]!, 'webhook.email_bounced.json'));
    await post('heyreach db error', `/webhooks/heyreach/MESSAGE_REPLY_RECEIVED?secret=${SECRETS.HEYREACH_WEBHOOK_SECRET}`, heyreach(failing.heyreach, PHONES[8]!));
    await post('rb2b db error', `/webhooks/rb2b/${SECRETS.RB2B_WEBHOOK_SECRET}`, rb2b(failing.rb2b, PHONES[8]!, 'https://www.linkedin.com/in/example-failing-visitor/'));
    // A database error while processing a stored delivery.
    await post('processing db error', '/webhooks/instantly', instantly('v', victim.email, PHONES[8]!), { 'x-caio-webhook-token': SECRETS.INSTANTLY_WEBHOOK_SECRET });
    // Wrong secrets, near misses of the real ones.
    await post('rb2b wrong', `/webhooks/rb2b/${SECRETS.RB2B_WEBHOOK_SECRET}x`, rb2b(rb2bVisitor, PHONES[5]!, 'https://www.linkedin.com/in/example-maya-visitor/'));
    await post('heyreach wrong', `/webhooks/heyreach?secret=${SECRETS.HEYREACH_WEBHOOK_SECRET}x`, heyreach(d.email, PHONES[3]!));
    // The dashboard: a wrong login, the API, the metrics scrape (which is scanned).
    await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${SECRETS.DASHBOARD_AUTH_TOKEN}x` });
    await app.inject({ method: 'GET', url: `/api/leads?email=${encodeURIComponent(a.email)}`, headers: { 'x-dashboard-token': SECRETS.DASHBOARD_AUTH_TOKEN } });
    const scrape = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${SECRETS.DASHBOARD_AUTH_TOKEN}` } });
    expect(scrape.statusCode).toBe(200);
    metricsText = scrape.body;
    rows = ((await db.execute(sql`select provider, status, error from webhook_inbox`)) as { rows: Row[] }).rows;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await h?.close();
    await database?.close();
  });

  /** Every secret (as set, and as it would look in a URL) and every e-mail and phone (and its digits). */
  const needles = () => [
    ...Object.entries(SECRETS).flatMap(([k, v]) => [
      [k, v],
      [k, encodeURIComponent(v)],
    ]),
    ...emails.flatMap((e) => [
      ['e-mail', e],
      ['e-mail', encodeURIComponent(e)],
    ]),
    ...phones.flatMap((p) => [
      ['phone', p],
      ['phone', p.slice(1)],
    ]),
  ];
  const leaksIn = (text: string) =>
    needles()
      .filter(([, v]) => text.toLowerCase().includes(v!.toLowerCase()))
      .map(([k, v]) => `${k}: ${v}`);

  it('the loop ran: each delivery got the answer its provider expects, and the failures were logged', () => {
    expect(statuses).toEqual({
      'instantly header': 202,
      'instantly hmac': 202,
      'instantly query': 202,
      heyreach: 202,
      'heyreach event': 202,
      'rb2b path': 200,
      'rb2b query': 200,
      'clay token': 200,
      'clay hmac': 200,
      'instantly ignored': 200,
      'instantly db error': 500,
      'heyreach db error': 500,
      'rb2b db error': 200,
      'processing db error': 202,
      'rb2b wrong': 404,
      'heyreach wrong': 401,
    });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const msgs = parsed.map((p) => p.msg);
    expect(msgs).toContain('request failed');
    expect(msgs).toContain('webhook delivery could not be stored');
    expect(msgs.some((m) => String(m).startsWith('webhook processing failed'))).toBe(true);
    expect(parsed.filter((p) => p.msg === 'request').length).toBeGreaterThanOrEqual(15);
    // What an operator needs stays: the SQL state of each database error on a request, the statement, the route.
    const failures = parsed.filter((x) => x.msg === 'request failed' || x.msg === 'webhook delivery could not be stored');
    expect(failures).toHaveLength(3);
    for (const p of failures) expect(String(p.err), String(p.msg)).toMatch(/^database error SQLSTATE 22P02 in: insert into webhook_inbox/);
    expect(failures.map((p) => p.path).sort()).toEqual(['/webhooks/heyreach/MESSAGE_REPLY_RECEIVED', '/webhooks/instantly/bounce', '/webhooks/rb2b/...']);
    expect(parsed.filter((p) => p.msg === 'request').map((p) => p.route)).toContain('/webhooks/rb2b/:secret');
    expect(rows.map((r) => r.status).sort()).toEqual(expect.arrayContaining(['failed', 'ignored', 'processed']));
  });

  it('no log line carries a secret, an e-mail or a phone', () => {
    expect(lines.length).toBeGreaterThan(20);
    const found = lines.flatMap((line) => leaksIn(line).map((leak) => `${leak}\n    in ${line.slice(0, 400)}`));
    expect(found).toEqual([]);
  });

  it('/metrics labels are route patterns: no secret, no e-mail, no phone', () => {
    expect(metricsText).toContain('route="/webhooks/rb2b/:secret"');
    expect(metricsText).toContain('route="/webhooks/heyreach"');
    expect(leaksIn(metricsText)).toEqual([]);
  });

  it('the start-up routes line names the RB2B route by its pattern', () => {
    expect(startup).toContain('POST /webhooks/rb2b/:secret');
    expect(leaksIn(startup)).toEqual([]);
  });

  it('the error column of deliveries kept unused (ignored) holds the reason, nothing personal', () => {
    const ignored = rows.filter((r) => r.status === 'ignored');
    expect(ignored.length).toBeGreaterThan(0);
    expect(ignored.flatMap((r) => leaksIn(r.error ?? ''))).toEqual([]);
  });

  // drizzle's message holds the query's parameters (the event details: e-mail, reply text); the
  // processor stores safeErrorMessage(error) instead.
  it('the error column of a delivery whose processing failed holds no parameters', () => {
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed.length).toBe(1);
    expect(failed.flatMap((r) => leaksIn(r.error ?? ''))).toEqual([]);
  });
});
