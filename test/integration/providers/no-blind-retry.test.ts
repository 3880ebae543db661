/**
 * "Sent twice" (Safe to run live, item 4): the shared HTTP policy must never repeat a request that
 * may have reached the provider unless the request is repeatable. Every client here is built the way
 * production builds it (openDispatch, openProviders and escalatorFor from a loaded live config with
 * `retries: 3`), never with a client's defaults, against one loopback server that counts requests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { openDispatch, openProviders, type AppDeps, type DispatchSet } from '../../../src/deps.js';
import type { OutboxItem } from '../../../src/dispatch/ports.js';
import { escalatorFor } from '../../../src/compose/escalation.js';
import { AppError } from '../../../src/lib/app-error.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { createLogAlerts } from '../../../src/providers/log-alerts.js';
import type { Database } from '../../../src/store/database.js';
import { createStores } from '../../../src/store/index.js';
import { aProfile } from '../../support/builders.js';
import { dispatchHarness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const NOW = '2026-11-23T10:00:00Z';
const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
const TWILIO_MESSAGES = `POST /twilio/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`;
const GHL_SEND = 'POST /ghl/conversations/messages';
const GHL_LOOKUP = 'GET /ghl/contacts/search/duplicate';

// ---- the loopback provider -----------------------------------------------------------------

/**
 * ok: the success answer; bad_gateway: 502; rate_limited: 429 with Retry-After 0; destroy: reads
 * the whole request, then drops the connection without an answer; hang: never answers.
 */
type Behaviour = 'ok' | 'bad_gateway' | 'rate_limited' | 'destroy' | 'hang';

/** What each endpoint answers when it answers well (just enough for the client schemas). */
const SUCCESS: Record<string, { status: number; body: unknown }> = {
  [GHL_LOOKUP]: { status: 200, body: { contact: { id: 'contact-1', email: 'lead@northwind.example.com' } } },
  'POST /ghl/contacts/': { status: 201, body: { contact: { id: 'contact-2' } } },
  [GHL_SEND]: { status: 200, body: { conversationId: 'conv-1', messageId: 'msg-1', msg: 'Message queued successfully.' } },
  'POST /instantly/campaigns': { status: 200, body: { id: 'campaign-1', name: 't1_pipeline', status: 0 } },
  'POST /instantly/leads/add': { status: 200, body: { status: 'success', total_sent: 1, leads_uploaded: 1, created_leads: [{ id: 'lead-1', email: 'lead@northwind.example.com', index: 0 }] } },
  [TWILIO_MESSAGES]: { status: 201, body: { sid: 'SM00000000000000000000000000000001', status: 'queued' } },
  'POST /apollo/people/match': { status: 200, body: { person: null } },
  'POST /bettercontact/async': { status: 200, body: { success: true, id: 'request-1' } },
};

const startLoopback = async (port = 0) => {
  const seen: string[] = [];
  const scripts = new Map<string, Behaviour[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = `${req.method} ${new URL(req.url ?? '/', 'http://loopback').pathname}`;
      seen.push(key);
      // A script's last behaviour repeats.
      const script = scripts.get(key) ?? ['ok'];
      const step = script.length > 1 ? script.shift()! : script[0]!;
      if (step === 'hang') return;
      if (step === 'destroy') return void req.socket.destroy();
      if (step === 'bad_gateway') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
      if (step === 'rate_limited') return void res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' }).end('{"message":"slow down"}');
      const answer = SUCCESS[key] ?? { status: 404, body: { message: `no route ${key}` } };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    script: (key: string, ...behaviours: Behaviour[]) => void scripts.set(key, behaviours),
    count: (key: string) => seen.filter((k) => k === key).length,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
type Loopback = Awaited<ReturnType<typeof startLoopback>>;

/** A port nobody listens on (ECONNREFUSED). */
const closedPort = async (): Promise<number> => {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

// ---- the app, as openApp builds it ---------------------------------------------------------

type Attempt = { provider: string; outcome: string };

/**
 * A live config loaded from a file (retries: 3, as production), and the AppDeps openApp would build
 * from it, on this file's test database; `onAttempt` sees every HTTP attempt (the metrics hook).
 */
const openTestApp = async (database: Database, urls: { base: string; instantly?: string }, over: { ghlTimeoutMs?: number; onAttempt?: (a: Attempt) => void } = {}) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-no-blind-retry-'));
  const file = path.join(dir, 'caio.config.json');
  const endpoint = (prefix: string, timeoutMs = 5_000) => ({ baseUrl: `${urls.base}/${prefix}`, timeoutMs, retries: 3 });
  writeFileSync(
    file,
    JSON.stringify({
      providers: 'live',
      apollo: { ...endpoint('apollo'), rateLimitPerMinute: 1000 },
      betterContact: { enabled: true, baseUrl: `${urls.base}/bettercontact`, pollIntervalMs: 10, maxPolls: 1 },
      ghl: endpoint('ghl', over.ghlTimeoutMs ?? 5_000),
      instantly: { ...endpoint('instantly'), ...(urls.instantly ? { baseUrl: urls.instantly } : {}) },
      twilio: endpoint('twilio'),
      escalation: { smsTo: ['+13035550147'] },
    }),
  );
  const config = loadConfig({
    cwd: dir,
    configPath: file,
    env: {
      APOLLO_API_KEY: 'apollo-key-no-blind-retry',
      BETTERCONTACT_API_KEY: 'bc-key-no-blind-retry',
      GHL_API_KEY: 'pit-ghl-key-no-blind-retry',
      GHL_LOCATION_ID: 'location-1',
      INSTANTLY_API_KEY: 'instantly-key-no-blind-retry',
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: 'twilio-token-no-blind-retry',
      TWILIO_FROM: '+17205550123',
    },
  });
  expect(config.ghl.retries).toBe(3);
  const clock = fixedClock(NOW);
  const alerts = createLogAlerts(silentLog);
  const metrics = createMetrics();
  const app: AppDeps = {
    config,
    log: silentLog,
    clock,
    database,
    stores: createStores(database.db),
    alerts,
    metrics: {
      ...metrics,
      providerCall: (provider, outcome, durationMs) => {
        over.onAttempt?.({ provider, outcome });
        metrics.providerCall(provider, outcome, durationMs);
      },
    },
    escalation: await escalatorFor({ config, db: database.db, alerts, clock, log: silentLog }),
    rateLimitRedis: () => null,
    close: async () => {},
  };
  return app;
};

const anItem = (over: Partial<OutboxItem> = {}): OutboxItem => ({
  id: '00000000-0000-4000-8000-000000000001',
  dedupKey: 'k',
  batchId: null,
  draftId: null,
  leadId: null,
  channel: 'ghl',
  step: 'initial',
  recipient: 'lead@northwind.example.com',
  recipientDomain: 'northwind.example.com',
  tier: 'tier_1',
  subject: 'Hello',
  body: '<p>Hi Maya</p>',
  payload: { firstName: 'Maya', lastName: 'Rivera', companyName: 'Northwind Agency' },
  sender: null,
  status: 'sending',
  reason: null,
  notBefore: new Date(NOW),
  claimToken: 't',
  claimedAt: new Date(NOW),
  providerRef: null,
  sentAt: null,
  attempts: 0,
  createdAt: new Date(NOW),
  ...over,
});

const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to fail');
};

const UNCERTAIN = { code: 'PROVIDER_UNAVAILABLE', retryable: false, details: { uncertain: true } };

// ---- tests ---------------------------------------------------------------------------------

describe('no blind retry, through the production wiring (retries: 3)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  const setUp = async (over: { ghlTimeoutMs?: number; instantly?: string; onAttempt?: (a: Attempt) => void; loopback?: Loopback } = {}) => {
    const loopback = over.loopback ?? (await startLoopback());
    if (!over.loopback) cleanup.push(loopback.close);
    const database = await openTestDatabase();
    const app = await openTestApp(database, { base: loopback.url, ...(over.instantly ? { instantly: over.instantly } : {}) }, over);
    const dispatch: DispatchSet = await openDispatch(app);
    cleanup.push(dispatch.close);
    return { loopback, database, app, dispatch };
  };

  it('GoHighLevel e-mail answered 502: exactly one POST, and an uncertain PROVIDER_UNAVAILABLE', async () => {
    const { loopback, dispatch } = await setUp();
    loopback.script(GHL_SEND, 'bad_gateway');
    const error = await failure(dispatch.channels.ghl!.deliver(anItem(), new Date(NOW)));
    expect(error).toMatchObject({ ...UNCERTAIN, details: { ...UNCERTAIN.details, provider: 'ghl', status: 502 } });
    expect(error.message).toContain('may have reached');
    expect(loopback.count(GHL_SEND)).toBe(1);
  });

  it('GoHighLevel e-mail whose connection drops after the request was sent: exactly one POST, uncertain', async () => {
    const { loopback, dispatch } = await setUp();
    loopback.script(GHL_SEND, 'destroy');
    expect(await failure(dispatch.channels.ghl!.deliver(anItem(), new Date(NOW)))).toMatchObject({ ...UNCERTAIN, details: { ...UNCERTAIN.details, reason: 'network' } });
    expect(loopback.count(GHL_SEND)).toBe(1);
  });

  it('GoHighLevel e-mail that is never answered (short timeout): exactly one POST, uncertain', async () => {
    const { loopback, dispatch } = await setUp({ ghlTimeoutMs: 300 });
    loopback.script(GHL_SEND, 'hang');
    expect(await failure(dispatch.channels.ghl!.deliver(anItem(), new Date(NOW)))).toMatchObject({ ...UNCERTAIN, details: { ...UNCERTAIN.details, reason: 'timeout' } });
    expect(loopback.count(GHL_SEND)).toBe(1);
  });

  it('the outbox marks the 502 send uncertain and never resends it, however often it drains', async () => {
    const loopback = await startLoopback();
    cleanup.push(loopback.close);
    loopback.script(GHL_SEND, 'bad_gateway');
    const { dispatch, database } = await setUp({ loopback });
    const h = await dispatchHarness(database, { wrap: (real) => ({ ...real, ghl: dispatch.channels.ghl! }) });
    cleanup.push(h.close);
    const a = await h.approvedLead({ linkedin: false });
    await h.db.execute(sql`insert into outbox (dedup_key, lead_id, channel, step, recipient, recipient_domain, subject, body, status, not_before)
      values ('ghl:' || ${a.leadId} || ':nurture', ${a.leadId}::uuid, 'ghl', 'nurture', ${a.email}, 'x.example.com', 'Hi', 'Body', 'queued', ${new Date(h.clock.now().getTime() - 60_000)}::timestamptz)`);
    const first = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(first.items.map((i) => i.outcome)).toEqual(['uncertain']);
    for (let k = 0; k < 2; k++) {
      const again = await h.gateway.drain({ dryRun: false, limit: 10 });
      expect(again.counts.sent).toBe(0);
      expect(again.reconciled.map((r) => r.outcome)).toEqual(['uncertain']);
    }
    expect(loopback.count(GHL_SEND)).toBe(1);
  });

  it('Twilio SMS (escalation, built by escalatorFor) answered 502: exactly one POST', async () => {
    const { loopback, app } = await setUp();
    loopback.script(TWILIO_MESSAGES, 'bad_gateway');
    const clock = app.clock as ReturnType<typeof fixedClock>;
    const outcome = await app.escalation.report({
      key: 'provider:ghl:unavailable',
      kind: 'provider_unavailable',
      title: 'GHL unavailable',
      detail: 'test',
      since: new Date(clock.now().getTime() - 20 * 60_000),
      leadsAffected: 1,
      sendingAffected: false,
    });
    expect(outcome.level).toBe(2);
    expect(outcome.deliveries.find((d) => d.channel === 'sms')).toMatchObject({ ok: false, code: 'PROVIDER_UNAVAILABLE' });
    expect(loopback.count(TWILIO_MESSAGES)).toBe(1);
  });

  it('Twilio SMS whose connection drops after sending: exactly one POST', async () => {
    const { loopback, app } = await setUp();
    loopback.script(TWILIO_MESSAGES, 'destroy');
    const clock = app.clock as ReturnType<typeof fixedClock>;
    await app.escalation.report({ key: 'provider:ghl:unavailable', kind: 'provider_unavailable', title: 'GHL unavailable', detail: 'test', since: new Date(clock.now().getTime() - 20 * 60_000), leadsAffected: 1, sendingAffected: false });
    expect(loopback.count(TWILIO_MESSAGES)).toBe(1);
  });

  it('Instantly campaign creation answered 502: exactly one POST, no orphan campaigns; the lead was not sent, so the item waits (not a person)', async () => {
    const { loopback, dispatch } = await setUp();
    loopback.script('POST /instantly/campaigns', 'bad_gateway');
    expect(await failure(dispatch.channels.instantly!.deliver(anItem({ channel: 'instantly' }), new Date(NOW)))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { uncertain: false, reason: 'prepare_failed' } });
    expect(loopback.count('POST /instantly/campaigns')).toBe(1);
    expect(loopback.count('POST /instantly/leads/add')).toBe(0);
  });

  it('Instantly add-leads (the send) answered 502: exactly one POST', async () => {
    const { loopback, dispatch } = await setUp();
    loopback.script('POST /instantly/leads/add', 'bad_gateway');
    expect(await failure(dispatch.channels.instantly!.deliver(anItem({ channel: 'instantly' }), new Date(NOW)))).toMatchObject(UNCERTAIN);
    expect(loopback.count('POST /instantly/leads/add')).toBe(1);
  });

  it('Apollo People Match and the BetterContact submission (openProviders) answered 502: one POST each, no credits spent twice', async () => {
    const { loopback, app } = await setUp();
    loopback.script('POST /apollo/people/match', 'bad_gateway');
    loopback.script('POST /bettercontact/async', 'bad_gateway');
    const providers = await openProviders(app, { source: 'apollo', seed: null });
    cleanup.push(providers.close);
    const error = await failure(providers.enricher.enrich({ source: 'apollo_search', sourceId: 'person_1', profile: aProfile({ email: null }) }));
    expect(error).toMatchObject(UNCERTAIN);
    expect(loopback.count('POST /apollo/people/match')).toBe(1);
    expect(loopback.count('POST /bettercontact/async')).toBe(1);
  });

  it('a GET answered 502 is retried (it reads, it cannot send twice)', async () => {
    const { loopback, dispatch } = await setUp();
    loopback.script(GHL_LOOKUP, 'bad_gateway', 'ok');
    expect(await dispatch.channels.ghl!.deliver(anItem(), new Date(NOW))).toEqual({ providerRef: 'ghl:message:msg-1' });
    expect(loopback.count(GHL_LOOKUP)).toBe(2);
    expect(loopback.count(GHL_SEND)).toBe(1);
  });

  it('a POST answered 429 (Retry-After: 0) is retried and succeeds: the provider refused it', async () => {
    const { loopback, dispatch } = await setUp();
    loopback.script(GHL_SEND, 'rate_limited', 'ok');
    expect(await dispatch.channels.ghl!.deliver(anItem(), new Date(NOW))).toEqual({ providerRef: 'ghl:message:msg-1' });
    expect(loopback.count(GHL_SEND)).toBe(2);
  });

  it('a POST whose connection is refused (nothing sent) is retried and succeeds once the provider listens', async () => {
    const port = await closedPort();
    const attempts: Attempt[] = [];
    let late: Promise<Loopback> | null = null;
    const { dispatch } = await setUp({
      instantly: `http://127.0.0.1:${port}/instantly`,
      onAttempt: (a) => {
        if (a.provider !== 'instantly') return;
        attempts.push(a);
        // The provider comes up during the backoff: listen() binds the port before this returns.
        if (a.outcome === 'network' && !late) late = startLoopback(port);
      },
    });
    const result = await dispatch.channels.instantly!.deliver(anItem({ channel: 'instantly' }), new Date(NOW));
    const server = await late!;
    cleanup.push(server.close);
    expect(result).toEqual({ providerRef: 'instantly:campaign:campaign-1' });
    expect(attempts.map((a) => a.outcome)).toEqual(['network', 'ok', 'ok']);
    expect(server.count('POST /instantly/campaigns')).toBe(1);
    expect(server.count('POST /instantly/leads/add')).toBe(1);
  });

  it('a POST to a port nobody ever listens on is retried to the limit, then fails as certainly not sent', async () => {
    const port = await closedPort();
    const attempts: Attempt[] = [];
    const { dispatch } = await setUp({ instantly: `http://127.0.0.1:${port}/instantly`, onAttempt: (a) => void (a.provider === 'instantly' && attempts.push(a)) });
    const error = await failure(dispatch.channels.instantly!.deliver(anItem({ channel: 'instantly' }), new Date(NOW)));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, details: { uncertain: false, attempts: 4 } });
    expect(attempts).toHaveLength(4);
  });
});
