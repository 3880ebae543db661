import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { createClayEnricher } from '../../../src/providers/clay/enricher.js';
import { createFileLeadSource } from '../../../src/providers/files/file-lead-source.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { inboxProcessorOn } from '../../../src/compose/signals.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { createPrivacyStore } from '../../../src/store/privacy-repo.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { contractFixture } from '../../support/contracts.js';
import { CADENCE, dispatchHarness, type Harness } from '../../support/dispatch.js';
import { fakeEnricher, fakeSource, pipelineDeps, silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * "Safe to run live", left behind: an RB2B visit re-created the erased person as a new lead. Every
 * intake checks the suppression hash that `privacy delete` leaves: RB2B visits and webhook
 * deliveries, Clay answers, discovery and import refuse a person whose e-mail or LinkedIn URL
 * hashes to a suppression.
 */
const SECRET = 'inst-secret-0123456789';
const RB2B_SECRET = 'rb2b-secret-0123456789';
const CLAY_TOKEN = 'clay-token-0123456789';
const REASON = 'suppressed (privacy request)';

const DANA = {
  email: 'dana.whitfield@lumen-analytics.example.com',
  emailAsTyped: 'Dana.Whitfield@Lumen-Analytics.example.com',
  linkedin: 'https://www.linkedin.com/in/example-dana-whitfield',
  linkedinAsTyped: 'http://linkedin.com/in/Example-Dana-Whitfield/',
};
const NEEDLES = ['dana.whitfield', 'example-dana-whitfield'];

const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-intake-suppressed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;
const rowsOf = <T = Row>(result: unknown) => (result as { rows: T[] }).rows;

describe('every intake refuses a person who asked to be forgotten', () => {
  let database: Database;
  let h: Harness;
  let processor: InboxProcessor;
  let url = '';
  const closers: (() => Promise<void>)[] = [];
  let processing: Promise<unknown>[] = [];

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const db = database.db;
    // The production factory (one transaction per delivery), on the test's database and clock.
    processor = inboxProcessorOn(db, { clock: h.clock, log: silentLog, cadence: CADENCE });
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, RB2B_WEBHOOK_SECRET: RB2B_SECRET, CLAY_CALLBACK_TOKEN: CLAY_TOKEN, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    const routes = webhookRoutes({ config, inbox: createInboxStore(db), clay: createClayStore(db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const app = buildApp({ routes, maxBodyBytes: 64 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());

    // Dana was a lead (e-mail and LinkedIn URL), then asked to be forgotten.
    const dana = await h.approvedLead({ email: DANA.email, domain: 'lumen-analytics.example.com', firstName: 'Dana', lastName: 'Whitfield' });
    await db.execute(sql`update leads set linkedin_url = ${DANA.linkedin}, profile = jsonb_set(profile, '{linkedinUrl}', ${JSON.stringify(DANA.linkedin)}::jsonb) where id = ${dana.leadId}::uuid`);
    const erased = await createPrivacyStore(db).erasePerson(DANA.emailAsTyped, 'Rev Ops', h.clock.now());
    expect(erased).toMatchObject({ leadsErased: 1 });
    expect(await h.stores.suppressions.isSuppressed('linkedin:linkedin.com/in/example-dana-whitfield')).toBe(true);
  });
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    for (const close of closers.splice(0)) await close();
    await h.close();
    await database.close();
  });

  const post = async (p: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await res.text();
    await Promise.all(processing);
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const count = async (query: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await database.db.execute(query))[0]!.n;
  /** Leads naming her, by address or LinkedIn profile, however spelled. */
  const herLeads = () =>
    count(
      sql`select count(*)::int as n from leads where email ilike '%dana.whitfield%' or coalesce(linkedin_url, '') ilike '%example-dana-whitfield%' or profile::text ilike '%example-dana-whitfield%' or profile::text ilike '%dana.whitfield%'`,
    );
  /** Inbox rows whose payload, normalised signal, raw body or error still name her. */
  const inboxNamingHer = () => count(sql`select count(*)::int as n from webhook_inbox where concat_ws(' ', payload::text, signal::text, raw_body, raw_base64, error) ilike any (array[${`%${NEEDLES[0]}%`}, ${`%${NEEDLES[1]}%`}])`);
  const inboxRows = async () =>
    rowsOf<{ id: string; provider: string; status: string; error: string | null; raw_body: string | null; raw_base64: string | null; lead_id: string | null; payload: unknown }>(
      await database.db.execute(sql`select id, provider, status, error, raw_body, raw_base64, lead_id, payload from webhook_inbox order by received_at, id`),
    );
  const visit = (overrides: Record<string, unknown>) => ({ ...(contractFixture('rb2b', 'visitor.json').request.body as Record<string, unknown>), 'Seen At': h.clock.now().toISOString(), ...overrides });

  it('RB2B: her visit is answered 200, creates no lead, and is kept as ignored with the reason and without her address', async () => {
    const before = await count(sql`select count(*)::int as n from leads`);
    // By e-mail (as typed, with the LinkedIn URL spelled another way), then by LinkedIn URL alone.
    const byEmail = await post(`/webhooks/rb2b/${RB2B_SECRET}`, visit({ 'Business Email': DANA.emailAsTyped, 'LinkedIn URL': DANA.linkedinAsTyped, 'First Name': 'Dana', 'Last Name': 'Whitfield', 'Company Name': 'Lumen Analytics' }));
    expect(byEmail.status).toBe(200);
    const byLinkedin = await post(`/webhooks/rb2b/${RB2B_SECRET}`, visit({ 'Business Email': null, 'LinkedIn URL': DANA.linkedinAsTyped, 'First Name': 'Dana', 'Last Name': 'Whitfield', 'Captured URL': 'https://example.com/pricing' }));
    expect(byLinkedin.status).toBe(200);

    expect(await herLeads()).toBe(0);
    expect(await count(sql`select count(*)::int as n from leads`)).toBe(before);
    const rows = (await inboxRows()).filter((r) => r.provider === 'rb2b');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'ignored', error: REASON, lead_id: null, raw_body: null, raw_base64: null });
      expect(JSON.stringify(row.payload)).not.toMatch(/whitfield|dana/i);
    }
    expect(await inboxNamingHer()).toBe(0);
    // No timeline event for her either.
    expect(await count(sql`select count(*)::int as n from lead_events where details::text ilike '%whitfield%'`)).toBe(0);

    // The same visit again is a duplicate, still answered 200, still no lead.
    const again = await post(`/webhooks/rb2b/${RB2B_SECRET}`, visit({ 'Business Email': DANA.emailAsTyped, 'LinkedIn URL': DANA.linkedinAsTyped, 'First Name': 'Dana', 'Last Name': 'Whitfield', 'Company Name': 'Lumen Analytics' }));
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await herLeads()).toBe(0);

    // Someone else's visit still becomes a lead.
    const other = await post(`/webhooks/rb2b/${RB2B_SECRET}`, visit({ 'Business Email': 'nia.okafor@brightline.example.com', 'LinkedIn URL': 'https://www.linkedin.com/in/example-nia-okafor' }));
    expect(other.status).toBe(200);
    expect(await count(sql`select count(*)::int as n from leads where email = 'nia.okafor@brightline.example.com' and source = 'rb2b'`)).toBe(1);
  }, 60_000);

  it('webhooks: a delivery naming her (whose lead no longer exists) creates no lead and keeps no address', async () => {
    const before = await count(sql`select count(*)::int as n from leads`);
    const res = await post(
      '/webhooks/instantly',
      { ...(contractFixture('instantly', 'webhook.reply_received.json').request.body as object), lead_email: DANA.emailAsTyped, email_id: 'reply-dana-after', timestamp: h.clock.now().toISOString() },
      { 'x-caio-webhook-token': SECRET },
    );
    expect(res.status).toBe(202);
    expect(await count(sql`select count(*)::int as n from leads`)).toBe(before);
    expect(await herLeads()).toBe(0);
    const row = (await inboxRows()).find((r) => r.id === res.body.id)!;
    expect(row).toMatchObject({ status: 'ignored', error: REASON, lead_id: null, raw_body: null });
    expect(await inboxNamingHer()).toBe(0);
  }, 60_000);

  it('Clay: an answer naming her e-mail is not kept, and the LinkedIn profile it ties to her is suppressed too, so that lead is dropped before any provider sees it', async () => {
    const db = database.db;
    // A new lead found by LinkedIn URL only; Clay answers for that profile with her address.
    const stranger = 'https://www.linkedin.com/in/example-new-profile';
    const answer = await post('/webhooks/clay', { linkedin_url: stranger, work_email: DANA.emailAsTyped, first_name: 'Dana', last_name: 'Whitfield', title: 'CEO' }, { 'x-caio-webhook-token': CLAY_TOKEN });
    expect(answer.status).toBe(200);
    expect(await count(sql`select count(*)::int as n from clay_callbacks`)).toBe(0);
    const sent: unknown[] = [];
    const enricher = createClayEnricher({
      client: { sendRow: async (row) => void sent.push(row) },
      store: createClayStore(db),
      webhookRef: 'ref',
      submissionCap: 50_000,
      waitMs: 10,
      pollIntervalMs: 5,
      creditsPerRow: 1,
      reuseWithinMs: 30 * 24 * 3600_000,
      now: () => h.clock.now(),
    });
    const lead = aDiscoveredLead({ sourceId: 'apollo-new-profile', profile: aProfile({ email: null, linkedinUrl: stranger, firstName: 'D', lastName: 'W', title: 'CEO' }) });
    const run = await runPipeline(pipelineDeps(h.stores, { source: fakeSource([lead]), enricher, clock: h.clock }).deps, { limit: 5, source: 'fake', seed: null });
    expect(sent).toEqual([]); // nothing went to Clay for her
    expect(await herLeads()).toBe(0);
    expect(await count(sql`select count(*)::int as n from leads where linkedin_url = ${stranger} or profile->>'linkedinUrl' = ${stranger}`)).toBe(0);
    const [stage] = rowsOf<{ metrics: Record<string, unknown> }>(await db.execute(sql`select metrics from stage_results where run_id = ${run.runId} and stage = 'discover'`));
    expect(stage?.metrics).toMatchObject({ suppressed: 1 });
  }, 60_000);

  it('discovery: a source returning her is skipped and counted as suppressed', async () => {
    const found = aDiscoveredLead({ sourceId: 'apollo-dana-again', profile: aProfile({ email: null, linkedinUrl: DANA.linkedinAsTyped, firstName: 'Dana', lastName: 'Whitfield', title: 'CEO' }) });
    const run = await runPipeline(pipelineDeps(h.stores, { source: fakeSource([found]), enricher: fakeEnricher({}), clock: h.clock }).deps, { limit: 5, source: 'fake', seed: null });
    expect(await herLeads()).toBe(0);
    const [stage] = rowsOf<{ metrics: Record<string, unknown> }>(await database.db.execute(sql`select metrics from stage_results where run_id = ${run.runId} and stage = 'discover'`));
    expect(stage?.metrics).toMatchObject({ suppressed: 1 });
  }, 60_000);

  it('import: a file naming her is read with her row refused as suppressed', async () => {
    const file = path.join(dir, 'list.csv');
    writeFileSync(
      file,
      [
        'Email,First Name,Last Name,Company,Title,Industry,Employees,LinkedIn',
        `${DANA.emailAsTyped},Dana,Whitfield,Lumen Analytics,CEO,marketing & advertising,180,`,
        'omar.haddad@northwind.example.com,Omar,Haddad,Northwind Agency,CEO,marketing & advertising,180,',
      ].join('\n'),
    );
    const source = createFileLeadSource({ file, isSuppressed: () => h.stores.suppressions.matcher() });
    await runPipeline(pipelineDeps(h.stores, { source, enricher: fakeEnricher({}), clock: h.clock }).deps, { limit: 100, source: source.name, seed: null });
    expect(await herLeads()).toBe(0);
    expect(await count(sql`select count(*)::int as n from leads where email = 'omar.haddad@northwind.example.com'`)).toBe(1);
    expect(source.report()?.rejected.some((r) => /suppressed/.test(r.message))).toBe(true);
  }, 60_000);
});
