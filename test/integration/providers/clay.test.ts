import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { emptyLead } from '../../../src/domain/lead.js';
import { AppError } from '../../../src/lib/app-error.js';
import type { Alert, ClayCorrelationStore } from '../../../src/pipeline/ports.js';
import { readClayCallback } from '../../../src/providers/clay/callback.js';
import { createClayClient } from '../../../src/providers/clay/client.js';
import { linkedinHash, webhookRef } from '../../../src/providers/clay/correlation.js';
import { createClayEnricher } from '../../../src/providers/clay/enricher.js';
import { startClaySandbox, type ClayCallbackVariant, type ClaySandboxOptions } from '../../../src/providers/sandbox/clay/server.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import type { Database } from '../../../src/store/database.js';
import { clayCallbackRoutes } from '../../../src/server/webhook-routes.js';
import { CLAY_TOKEN_HEADER } from '../../../src/webhooks/clay-callback.js';
import { contractFixture } from '../../support/contracts.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';
import { serveWebhooks } from '../../support/webhook-app.js';

const TOKEN = 'clay-callback-token-123';
const PATH = '/webhooks/clay/callback';

const lead = (slug: string, first = 'Priya', last = 'Natarajan') => {
  const profile = emptyLead({ firstName: first, lastName: last, linkedinUrl: `https://www.linkedin.com/in/example-${slug}/` });
  profile.company.name = 'Lumen Logistics';
  profile.company.domain = 'lumen-logistics.example.com';
  return { source: 'apollo_search', sourceId: `src-${slug}`, profile, runId: 'run_test' };
};

describe('Clay callback field map', () => {
  it('reads our template, the Title Case variant and the no-email variant from the contract fixtures', () => {
    const full = readClayCallback(contractFixture('clay', 'callback.json').request.body)!;
    expect(full).toMatchObject({ requestId: 'clay_req_0001', leadId: 'lead_0003', email: 'priya.natarajan@lumen-logistics.example.com', emailVerified: true, title: 'Head of RevOps', employeeCount: 640 });
    const titleCase = readClayCallback(contractFixture('clay', 'callback.title-case.json').request.body)!;
    expect(titleCase).toMatchObject({ requestId: null, leadId: null, email: 'priya.natarajan@lumen-logistics.example.com', title: 'Head of RevOps', companyDomain: 'lumen-logistics.example.com' });
    expect(linkedinHash(titleCase.linkedinUrl)).toBe(linkedinHash(full.linkedinUrl));
    expect(readClayCallback(contractFixture('clay', 'callback.no-email.json').request.body)!.email).toBeNull();
    expect(readClayCallback([1, 2])).toBeNull();
    expect(readClayCallback({ 'Work Email': '{{Work Email}}' })!.email).toBeNull();
  });
});

describe.each(STORE_KINDS)('Clay round trip through the callback route (%s)', (kind) => {
  let database: Database;
  let store: ClayCorrelationStore;
  let closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    store = createClayStore(database.db);
  });
  afterEach(async () => {
    for (const c of closers.reverse()) await c();
    closers = [];
    await database.close();
  });

  const start = async (options: Partial<ClaySandboxOptions> & { cap?: number; waitMs?: number; alerts?: Alert[] } = {}) => {
    // What `caio pipeline run` serves while its Clay step waits: the server's app with only the callback route.
    const receiver = await serveWebhooks(clayCallbackRoutes({ token: TOKEN, store, inbox: createInboxStore(database.db), paths: [PATH] }).post);
    closers.push(receiver.close);
    const sandbox = await startClaySandbox({ callbackUrl: `${receiver.url}${PATH}`, callbackToken: TOKEN, callbackDelayMs: 20, ...options });
    closers.push(sandbox.close);
    const alerts = options.alerts ?? [];
    const enricher = createClayEnricher({
      client: createClayClient({ webhookUrl: sandbox.webhookUrl }),
      store,
      webhookRef: webhookRef(sandbox.webhookUrl),
      submissionCap: options.cap ?? 1000,
      waitMs: options.waitMs ?? 2000,
      pollIntervalMs: 10,
      creditsPerRow: 3,
      reuseWithinMs: 24 * 3600_000,
      alerts: { send: async (a) => void alerts.push(a) },
    });
    return { receiver, sandbox, enricher };
  };

  const post = (url: string, body: string, token: string | null = TOKEN) =>
    fetch(`${url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { [CLAY_TOKEN_HEADER]: token } : {}) }, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  it.each<[ClayCallbackVariant, string]>([
    ['full', 'by request id'],
    ['no_ids', 'by LinkedIn hash'],
    ['title_case', 'by LinkedIn hash, Title Case keys'],
  ])('a %s callback is correlated %s and gives the email with Clay provenance and credits', async (variant) => {
    const { sandbox, enricher } = await start({ variant });
    const result = await enricher.enrich(lead(`p-${variant}`));
    expect(result.outcome).toBe('matched');
    if (result.outcome !== 'matched') return;
    expect(result.profile.email).toBe('priya.natarajan@lumen-logistics.example.com');
    expect(result.profile.provenance.email).toBe('clay');
    expect(result.credits).toEqual({ clay: 3 });
    expect(sandbox.rows()[0]).toMatchObject({ linkedin_url: 'https://www.linkedin.com/in/example-p-' + variant + '/', source: 'pipeline', priority: 'normal' });
    expect(String(sandbox.rows()[0]!.request_id)).toMatch(/^clay_/);
  });

  it('no email found is a miss that still costs credits; no LinkedIn URL is a miss that sends nothing', async () => {
    const { sandbox, enricher } = await start({ variant: 'no_email' });
    expect(await enricher.enrich(lead('no-email'))).toEqual({ outcome: 'miss', credits: { clay: 3 }, reason: 'clay_no_email' });
    const bare = lead('x');
    bare.profile.linkedinUrl = null;
    expect(await enricher.enrich(bare)).toEqual({ outcome: 'miss', reason: 'clay_no_linkedin_url' });
    expect(sandbox.stats.rows).toBe(1);
  });

  it('a callback that never comes is a bounded miss; when it comes later, the next run uses it without sending again', async () => {
    const { receiver, sandbox, enricher } = await start({ variant: 'never', waitMs: 150 });
    const started = Date.now();
    expect(await enricher.enrich(lead('late'))).toMatchObject({ outcome: 'miss', reason: 'clay_timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    const late = { 'LinkedIn URL': 'http://linkedin.com/in/example-late', 'Work Email': 'priya.natarajan@lumen-logistics.example.com', 'Email Verified': true };
    expect(await post(receiver.url, JSON.stringify(late))).toEqual({ status: 200, body: { status: 'received', correlated: true, request_id: String(sandbox.rows()[0]!.request_id) } });
    const again = await enricher.enrich(lead('late'));
    expect(again).toMatchObject({ outcome: 'matched', credits: {} });
    expect(sandbox.stats.rows).toBe(1);
  });

  it('refuses only a failed token (401); unusable callbacks are answered 200 and kept as ignored; an authenticated unknown person is stored uncorrelated', async () => {
    const { receiver } = await start();
    const rows = async (table: 'clay_callbacks' | 'webhook_inbox') => Number(((await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as { rows: { n: number }[] }).rows[0]!.n);
    const good = JSON.stringify(contractFixture('clay', 'callback.json').request.body);
    expect((await post(receiver.url, good, null)).status).toBe(401);
    expect((await post(receiver.url, good, 'wrong-token')).status).toBe(401);
    expect(await rows('webhook_inbox')).toBe(0);
    for (const [body, reason] of [
      ['{"request_id": ', 'the body is not JSON'],
      ['[1,2]', 'the body is not a JSON object'],
      ['{"work_email": "a@b.example.com"}', 'no request_id, lead_id or LinkedIn URL to correlate with'],
    ] as const) {
      const answer = await post(receiver.url, body, TOKEN);
      expect(answer).toMatchObject({ status: 200, body: { status: 'ignored', reason } });
      expect(JSON.stringify(answer.body)).not.toContain('a@b.example.com');
      // Clay retries: the same bytes again are kept once.
      expect(await post(receiver.url, body, TOKEN)).toEqual({ status: 200, body: { status: 'duplicate' } });
    }
    const ignored = ((await database.db.execute(sql`select provider, status, error as reason from webhook_inbox`)) as { rows: { provider: string; status: string; reason: string }[] }).rows.sort((a, b) => (a.reason < b.reason ? -1 : 1));
    expect(ignored).toEqual([
      { provider: 'clay', status: 'ignored', reason: 'no request_id, lead_id or LinkedIn URL to correlate with' },
      { provider: 'clay', status: 'ignored', reason: 'the body is not JSON' },
      { provider: 'clay', status: 'ignored', reason: 'the body is not a JSON object' },
    ]);
    // Text PostgreSQL cannot store (NUL) is made storable, not a 500.
    expect((await post(receiver.url, JSON.stringify({ linkedin_url: 'https://www.linkedin.com/in/example-nul', title: 'Head\u0000 of RevOps' }), TOKEN)).status).toBe(200);
    expect((await fetch(`${receiver.url}${PATH}`)).status).toBe(405);
    expect(await rows('clay_callbacks')).toBe(1);
    expect(await post(receiver.url, good)).toEqual({ status: 200, body: { status: 'received', correlated: false } });
    expect(await rows('clay_callbacks')).toBe(2);
    // A privacy request erases Clay's answer about the person too ...
    const { createPrivacyStore } = await import('../../../src/store/privacy-repo.js');
    await createPrivacyStore(database.db).erasePerson('priya.natarajan@lumen-logistics.example.com', 'dpo', new Date());
    expect(await rows('clay_callbacks')).toBe(1);
    // ... and a later answer about them (Clay still had the row queued) is not kept: 200, ignored, nothing stored.
    expect(await post(receiver.url, good)).toEqual({ status: 200, body: { status: 'ignored', reason: 'suppressed (privacy request or unsubscribe)' } });
    expect(await rows('clay_callbacks')).toBe(1);
  });

  it('stops at the webhook submission cap with OUT_OF_CREDITS and warns once near it', async () => {
    const alerts: Alert[] = [];
    const { enricher } = await start({ variant: 'full', cap: 2, alerts });
    await enricher.enrich(lead('cap-1'));
    await enricher.enrich(lead('cap-2'));
    const error = await enricher.enrich(lead('cap-3')).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(error?.code).toBe('OUT_OF_CREDITS');
    expect(alerts.filter((a) => a.title.includes('near its submission cap'))).toHaveLength(1);
  });
});

describe('Clay table webhook auth and failures', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('sends x-clay-webhook-auth when configured; a refused token is PROVIDER_AUTH and the URL never shows', async () => {
    const sandbox = await startClaySandbox({ callbackUrl: 'http://127.0.0.1:9/none', callbackToken: TOKEN, webhookAuthToken: 'table-token-abc', variant: 'never' });
    close = sandbox.close;
    const row = {
      request_id: 'clay_1',
      lead_id: null,
      linkedin_url: 'https://linkedin.com/in/example-a',
      first_name: 'A',
      last_name: 'B',
      full_name: 'A B',
      company_name: null,
      source: 'pipeline' as const,
      priority: 'normal' as const,
      timestamp: new Date().toISOString(),
    };
    await createClayClient({ webhookUrl: sandbox.webhookUrl, authToken: 'table-token-abc' }).sendRow(row);
    const refused = await createClayClient({ webhookUrl: sandbox.webhookUrl, authToken: 'wrong-token-xyz' })
      .sendRow(row)
      .then(
        () => null,
        (e: unknown) => e as AppError,
      );
    expect(refused?.code).toBe('PROVIDER_AUTH');
    expect(refused?.message).not.toContain(sandbox.webhookUrl);
    expect(refused?.message).not.toContain('wrong-token-xyz');
    sandbox.setFailures({ status5xx: { count: 1, status: 502 } });
    expect(
      await createClayClient({ webhookUrl: sandbox.webhookUrl, authToken: 'table-token-abc' })
        .sendRow(row)
        .then(
          () => null,
          (e: unknown) => (e as AppError).code,
        ),
    ).toBe('PROVIDER_UNAVAILABLE');
  });
});
