import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { Database } from '../../../src/store/database.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { createGroupCommitInbox } from '../../../src/store/inbox-group-commit.js';
import { buildApp } from '../../../src/server/app.js';
import { signBody } from '../../../src/webhooks/verify.js';
import { contractFixture } from '../../support/contracts.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const SECRETS = { INSTANTLY_WEBHOOK_SECRET: 'inst-secret-0123456789', HEYREACH_WEBHOOK_SECRET: 'hr-secret-0123456789' };

describe.each(STORE_KINDS)('webhook ingestion: verify, validate, inbox (%s)', (kind) => {
  let database: Database;
  let url = '';
  let close = async () => {};
  let stored: string[] = [];
  const rows = async () => Number(((await database.db.execute(sql`select count(*)::int as n from webhook_inbox`)) as { rows: { n: number }[] }).rows[0]!.n);

  const serve = async (env: Record<string, string>) => {
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env });
    // The server's writer (compose/server.ts): deliveries stored in groups, each answered after its row commits.
    const routes = webhookRoutes({
      config,
      inbox: createGroupCommitInbox(database.pool, config.server.webhookGroupCommit),
      clay: createClayStore(database.db),
      onStored: (id) => stored.push(id),
      pingDatabase: async () => void (await database.db.execute(sql`select 1`)),
    });
    const app = buildApp({ routes, maxBodyBytes: 64 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    close = () => app.close();
  };
  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    stored = [];
  });
  afterEach(async () => {
    await close();
    await database.close();
  });

  it('accepts every contract fixture with the secret token header, and a signed body with the original HMAC header', async () => {
    await serve({ ...SECRETS, WEBHOOK_SIGNATURE_REQUIRED: 'true' });
    for (const name of ['webhook.reply_received.json', 'webhook.email_bounced.json', 'webhook.email_opened.json', 'webhook.lead_unsubscribed.json']) {
      const body = JSON.stringify(contractFixture('instantly', name).request.body);
      expect((await post('/webhooks/instantly', body, { 'x-caio-webhook-token': SECRETS.INSTANTLY_WEBHOOK_SECRET })).status, name).toBe(202);
    }
    for (const name of ['webhook.connection_request_accepted.json', 'webhook.message_reply_received.json', 'webhook.message_reply_received.camelcase.json']) {
      const body = JSON.stringify(contractFixture('heyreach', name).request.body);
      expect((await post(`/webhooks/heyreach?secret=${SECRETS.HEYREACH_WEBHOOK_SECRET}`, body)).status, name).toBe(202);
    }
    const reply = { ...(contractFixture('instantly', 'webhook.reply_received.json').request.body as object), email_id: 'another-email-id' };
    const body = JSON.stringify(reply);
    const signed = await post('/webhooks/instantly/reply', body, { 'x-instantly-signature': signBody(SECRETS.INSTANTLY_WEBHOOK_SECRET, body) });
    expect(signed.status).toBe(202);
    expect(await rows()).toBe(8);
    expect(stored).toHaveLength(8);
  });

  it('a retried delivery is acknowledged and stored once', async () => {
    await serve(SECRETS);
    const body = JSON.stringify(contractFixture('instantly', 'webhook.email_bounced.json').request.body);
    const h = { 'x-caio-webhook-token': SECRETS.INSTANTLY_WEBHOOK_SECRET };
    expect((await post('/webhooks/instantly/bounce', body, h)).status).toBe(202);
    expect(await post('/webhooks/instantly/bounce', body, h)).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(await rows()).toBe(1);
  });

  it('refuses what is not authenticated (401), too large (413) or not JSON by its type (415), stores nothing, and never echoes the payload', async () => {
    await serve({ ...SECRETS, WEBHOOK_SIGNATURE_REQUIRED: 'true' });
    const good = contractFixture('instantly', 'webhook.reply_received.json').request.body as Record<string, unknown>;
    const body = JSON.stringify(good);
    const token = { 'x-caio-webhook-token': SECRETS.INSTANTLY_WEBHOOK_SECRET };
    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, string][] = [
      ['unsigned', () => post('/webhooks/instantly', body), 401, 'SIGNATURE_MISSING'],
      ['wrong token', () => post('/webhooks/instantly', body, { 'x-caio-webhook-token': 'nope' }), 401, 'SIGNATURE_INVALID'],
      ['bad HMAC', () => post('/webhooks/instantly', body, { 'x-instantly-signature': 'sha256=00' }), 401, 'SIGNATURE_INVALID'],
      ['heyreach without secret param', () => post('/webhooks/heyreach', JSON.stringify(contractFixture('heyreach', 'webhook.message_reply_received.json').request.body)), 401, 'SIGNATURE_MISSING'],
    ];
    for (const [name, send, status, code] of cases) {
      const res = await send();
      expect([name, res.status, res.body.code]).toEqual([name, status, code]);
      expect(JSON.stringify(res.body)).not.toContain('maya.rivera');
    }
    const wrongType = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'text/plain', ...token }, body });
    expect(wrongType.status).toBe(415);
    const huge = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', ...token }, body: JSON.stringify({ ...good, pad: 'x'.repeat(100 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(await rows()).toBe(0);
  });

  it('keeps an authenticated delivery it cannot use as ignored, with the reason, and answers 200 (providers switch off webhooks that fail); an event on another path is read', async () => {
    await serve({ ...SECRETS, WEBHOOK_SIGNATURE_REQUIRED: 'true' });
    const good = contractFixture('instantly', 'webhook.reply_received.json').request.body as Record<string, unknown>;
    const token = { 'x-caio-webhook-token': SECRETS.INSTANTLY_WEBHOOK_SECRET };
    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> }>, RegExp][] = [
      ['invalid JSON', () => post('/webhooks/instantly', '{"event_type": ', token), /not JSON/],
      ['wrong shape', () => post('/webhooks/instantly', JSON.stringify({ hello: 'world' }), token), /no event_type/],
      ['unknown event', () => post('/webhooks/instantly', JSON.stringify({ ...good, event_type: 'made_up' }), token), /unknown Instantly event type "made_up"/],
      ['deeply nested', () => post('/webhooks/instantly', JSON.stringify({ ...good, x: JSON.parse('['.repeat(60) + ']'.repeat(60)) }), token), /nested deeper than 32/],
    ];
    for (const [name, send, reason] of cases) {
      const res = await send();
      expect([name, res.status, res.body.status]).toEqual([name, 200, 'ignored']);
      expect(res.body.reason, name).toMatch(reason);
      expect(JSON.stringify(res.body)).not.toContain('maya.rivera');
    }
    expect((await post('/webhooks/instantly/bounce', JSON.stringify(good), token)).status).toBe(202);
    const inbox = createInboxStore(database.db);
    expect((await inbox.list(10, 'ignored')).map((i) => i.error)).toHaveLength(4);
    expect(await rows()).toBe(5);
    // Only the one we can act on goes to the processor.
    expect(stored).toHaveLength(1);
  });

  it('strict mode with no secret configured answers 503; the health route says so without revealing anything', async () => {
    await serve({ WEBHOOK_SIGNATURE_REQUIRED: 'true', HEYREACH_WEBHOOK_SECRET: SECRETS.HEYREACH_WEBHOOK_SECRET });
    const body = JSON.stringify(contractFixture('instantly', 'webhook.email_opened.json').request.body);
    expect((await post('/webhooks/instantly/open', body, { 'x-caio-webhook-token': 'anything' })).status).toBe(503);
    const health = (await (await fetch(`${url}/webhooks/instantly/health`)).json()) as Record<string, unknown>;
    expect(health).toEqual({ status: 'ok', provider: 'instantly', secretConfigured: false, signatureRequired: true, accepting: false });
    const hr = await (await fetch(`${url}/webhooks/heyreach/health`)).text();
    expect(hr).not.toContain(SECRETS.HEYREACH_WEBHOOK_SECRET);
    expect(await rows()).toBe(0);
  });

  it('property: random bodies and headers never give a 5xx, and nothing is stored without a valid secret', async () => {
    await serve({ ...SECRETS, WEBHOOK_SIGNATURE_REQUIRED: 'true' });
    const paths = ['/webhooks/instantly', '/webhooks/instantly/reply', '/webhooks/heyreach'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        fc.dictionary(
          fc.constantFrom('x-caio-webhook-token', 'x-instantly-signature', 'authorization', 'x-heyreach-signature'),
          fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        ),
        async (path, body, headers) => {
          const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
          await res.text();
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
    expect(await rows()).toBe(0);
  });

  it("Clay's callback on the original path: the token header or the original's X-Clay-Signature HMAC", async () => {
    await serve({ CLAY_CALLBACK_TOKEN: 'clay-token-123456', CLAY_WEBHOOK_SECRET: 'clay-hmac-secret-123456', WEBHOOK_SIGNATURE_REQUIRED: 'true' });
    const body = JSON.stringify(contractFixture('clay', 'callback.json').request.body);
    expect((await post('/webhooks/clay', body)).status).toBe(401);
    expect((await post('/webhooks/clay', body, { 'x-clay-signature': signBody('wrong-secret-000000', body) })).status).toBe(401);
    expect(await post('/webhooks/clay', body, { 'x-clay-signature': signBody('clay-hmac-secret-123456', body) })).toEqual({ status: 200, body: { status: 'received', correlated: false } });
    expect((await post('/webhooks/clay/callback', body, { 'x-caio-webhook-token': 'clay-token-123456' })).status).toBe(200);
    const n = Number(((await database.db.execute(sql`select count(*)::int as n from clay_callbacks`)) as { rows: { n: number }[] }).rows[0]!.n);
    expect(n).toBe(2);
  });

  it('liveness is open; readiness checks the database, Redis when configured and, in strict mode, every webhook secret', async () => {
    const redis: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {};
    await serve({ ...SECRETS, ...redis, RB2B_WEBHOOK_SECRET: 'rb2b-secret-0123456789', CLAY_CALLBACK_TOKEN: 'clay-token-0123456789', WEBHOOK_SIGNATURE_REQUIRED: 'true' });
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    const body = (await ready.json()) as { status: string; checks: { name: string; ok: boolean }[] };
    expect([ready.status, body.status]).toEqual([200, 'ready']);
    expect(body.checks.find((c) => c.name === 'redis')?.ok).toBe(true);
    await close();
    await serve({ WEBHOOK_SIGNATURE_REQUIRED: 'true', REDIS_URL: 'redis://127.0.0.1:1' });
    const notReady = await fetch(`${url}/api/health/ready`);
    const text = await notReady.text();
    expect(notReady.status).toBe(503);
    expect(text).toContain('webhook secret instantly');
    expect(text).toContain('did not answer PING');
  });
});
