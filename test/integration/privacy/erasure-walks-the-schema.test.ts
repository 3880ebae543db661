import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { DEFAULT_SENDER_SETTINGS } from '../../../src/domain/drafting/index.js';
import { AppError } from '../../../src/lib/app-error.js';
import type { LeadEnricher } from '../../../src/pipeline/ports.js';
import { createReviewService } from '../../../src/pipeline/review-draft.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { linkedinHash } from '../../../src/providers/clay/correlation.js';
import { webhookRoutes, type WebhookRoutes } from '../../../src/server/webhook-routes.js';
import { PAYLOAD_READERS } from '../../../src/compose/signals.js';
import { createInboxProcessor, type InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore, createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createIncidentStore } from '../../../src/store/incident-repo.js';
import { createPrivacyStore } from '../../../src/store/privacy-repo.js';
import { createReviewStore } from '../../../src/store/review-repo.js';
import { createRunChunkStore } from '../../../src/store/run-chunks-repo.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { contractFixture } from '../../support/contracts.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { fakeSource, pipelineDeps, silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const SECRET = 'inst-secret-0123456789';
const RB2B_SECRET = 'rb2b-secret-0123456789';
const CLAY_TOKEN = 'clay-token-0123456789';

/** The person who asks to be forgotten, as the outside world spells them. */
const DANA = {
  email: 'dana.whitfield@lumen-analytics.example.com',
  emailAsTyped: 'Dana.Whitfield@Lumen-Analytics.example.com',
  linkedin: 'https://www.linkedin.com/in/example-dana-whitfield',
  linkedinAsTyped: 'https://linkedin.com/in/Example-Dana-Whitfield/',
  phone: '+1 (555) 010-2030',
  phoneCompact: '+15550102030',
  firstName: 'Dana',
  lastName: 'Whitfield',
};
/** Someone else, who must come out of it untouched. */
const THEO = { email: 'theo.kaplan@bluefern.example.com', linkedin: 'https://www.linkedin.com/in/example-theo-kaplan', phone: '+1 555 010 9999' };
/** A company switchboard in both their provider records: not a personal number. */
const SWITCHBOARD = '+1 555 777 0000';

type Row = Record<string, unknown>;
const rowsOf = <T = Row>(result: unknown) => (result as { rows: T[] }).rows;

describe('privacy delete walks the whole schema', () => {
  let database: Database;
  let h: Harness;
  let routes: WebhookRoutes;
  let processor: InboxProcessor;
  let stored: string[] = [];

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const db = database.db;
    processor = createInboxProcessor({
      inbox: createInboxStore(db),
      events: createLeadEventStore(db),
      leads: createSignalLeadStore(db),
      suppressions: h.stores.suppressions,
      cancelOutbound: (leadId, reason) => h.outbox.cancelForLead(leadId, reason),
      clock: h.clock,
      log: silentLog,
      payloadReaders: PAYLOAD_READERS,
      cadence: h.cadence,
    });
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, RB2B_WEBHOOK_SECRET: RB2B_SECRET, CLAY_CALLBACK_TOKEN: CLAY_TOKEN, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    routes = webhookRoutes({ config, inbox: createInboxStore(db), clay: createClayStore(db), onStored: (id) => stored.push(id), now: () => h.clock.now() });
  });
  afterEach(async () => {
    stored = [];
    await h.close();
    await database.close();
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => routes.post[path]!({ path, headers, body: JSON.stringify(body), query: new URLSearchParams() });
  const instantly = async (overrides: Record<string, unknown>, fixture = 'webhook.reply_received.json') => {
    const res = await post('/webhooks/instantly', { ...(contractFixture('instantly', fixture).request.body as object), ...overrides }, { 'x-caio-webhook-token': SECRET });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };

  /**
   * Both people through the paths the product takes: imported and enriched (Dana's enrichment fails
   * with a provider message naming her address), drafted, approved, batched and sent; then her
   * reply (with her phone number), a website visit, a webhook whose processing failed with her
   * address in the error, Clay answers (one correlated, one not), an incident naming her, and a
   * chunked run's report listing both of them.
   */
  const seed = async () => {
    const db = database.db;
    const review = createReviewService({ review: createReviewStore(db), audit: h.stores.audit, clock: h.clock, sender: DEFAULT_SENDER_SETTINGS, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } });
    const company = (name: string, domain: string) => ({ name, domain, industry: 'marketing & advertising', employeeCount: 180, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null });
    const dana = aDiscoveredLead({
      sourceId: 'apollo-dana',
      profile: aProfile({
        email: DANA.email,
        firstName: DANA.firstName,
        lastName: DANA.lastName,
        fullName: `${DANA.firstName} ${DANA.lastName}`,
        title: 'CEO',
        linkedinUrl: DANA.linkedin,
        company: company('Lumen Analytics', 'lumen-analytics.example.com'),
      }),
      raw: { id: 'apollo-dana', email: DANA.emailAsTyped, phone_numbers: [{ raw_number: DANA.phone, sanitized_number: DANA.phoneCompact, type: 'mobile' }], organization: { name: 'Lumen Analytics', phone: SWITCHBOARD } },
    });
    const theo = aDiscoveredLead({
      sourceId: 'apollo-theo',
      profile: aProfile({ email: THEO.email, firstName: 'Theo', lastName: 'Kaplan', fullName: 'Theo Kaplan', title: 'CEO', linkedinUrl: THEO.linkedin, company: company('Blue Fern Staffing', 'bluefern.example.com') }),
      raw: { id: 'apollo-theo', phone_numbers: [{ raw_number: THEO.phone }], organization: { name: 'Blue Fern Staffing', phone: SWITCHBOARD } },
    });
    const enricher: LeadEnricher = {
      provider: 'bettercontact',
      enrich: async ({ sourceId }) => {
        if (sourceId === 'apollo-dana') throw new AppError('PROVIDER_BAD_REQUEST', `bettercontact async: request refused (400): ${DANA.emailAsTyped} is not deliverable`);
        return { outcome: 'miss' };
      },
    };
    const run = await runPipeline(pipelineDeps(h.stores, { source: fakeSource([dana, theo]), enricher, clock: h.clock }).deps, { limit: 5, source: 'fake', seed: null });
    const danaDetail = (await h.stores.leadDetail.detailByEmail(DANA.email))!;
    const theoDetail = (await h.stores.leadDetail.detailByEmail(THEO.email))!;
    expect(danaDetail.drafts[0], `Dana has a draft (${danaDetail.lead.status})`).toBeDefined();
    for (const d of [danaDetail.drafts[0]!, theoDetail.drafts[0]!]) await review.approve({ draftId: d.id, by: 'Dani' });
    const batch = await h.approvedBatch();
    const sent = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    expect(sent.drain.counts.sent).toBe(2);
    h.clock.advance(3600_000);

    // Her reply (address as typed, phone in the text and as a lead field), his open.
    const reply = await instantly({
      lead_email: DANA.emailAsTyped,
      email_id: 'reply-dana-1',
      timestamp: h.clock.now().toISOString(),
      phone: DANA.phoneCompact,
      reply_text: `Happy to talk. Call me on ${DANA.phone}.\n\n${DANA.firstName} ${DANA.lastName}\n${DANA.emailAsTyped}`,
    });
    const open = await instantly({ lead_email: THEO.email, email_id: 'open-theo-1', timestamp: h.clock.now().toISOString() }, 'webhook.email_opened.json');
    // His reply names her: it stays his, with her taken out.
    const theoReply = await instantly({ lead_email: THEO.email, email_id: 'reply-theo-1', timestamp: h.clock.now().toISOString(), reply_text: `Not my area. Talk to ${DANA.firstName} ${DANA.lastName} <${DANA.emailAsTyped}>.` });
    // A delivery whose processing failed with her address in the error text.
    const failing = await instantly({ lead_email: DANA.email, email_id: 'open-dana-1', timestamp: h.clock.now().toISOString() }, 'webhook.email_opened.json');
    // Her website visit (RB2B), LinkedIn URL spelled another way.
    const visit = contractFixture('rb2b', 'visitor.json').request.body as Record<string, unknown>;
    expect(
      (
        await post(`/webhooks/rb2b/${RB2B_SECRET}`, {
          ...visit,
          'LinkedIn URL': DANA.linkedinAsTyped,
          'Business Email': DANA.emailAsTyped,
          'First Name': DANA.firstName,
          'Last Name': DANA.lastName,
          'Company Name': 'Lumen Analytics',
          'Seen At': h.clock.now().toISOString(),
        })
      ).status,
    ).toBe(200);
    const broken = createInboxProcessor({
      inbox: createInboxStore(db),
      events: createLeadEventStore(db),
      suppressions: h.stores.suppressions,
      cancelOutbound: async () => 0,
      clock: h.clock,
      log: silentLog,
      payloadReaders: PAYLOAD_READERS,
      leads: {
        ...createSignalLeadStore(db),
        byEmail: async (email: string) => {
          throw new Error(`lead lookup timed out for ${email}`);
        },
      },
    });
    for (const id of stored) expect(await (id === failing ? broken : processor).process(id)).toBe(id === failing ? 'failed' : 'processed');

    // Clay: her row was sent to Clay; the answer comes back correlated, and once more uncorrelated (LinkedIn only). His too.
    const clay = createClayStore(db);
    await clay.registerRequest({ requestId: 'clay-req-dana', leadId: danaDetail.lead.id, linkedinHash: linkedinHash(DANA.linkedin)!, runId: run.runId, webhookRef: 'ref', submittedAt: h.clock.now() });
    const clayPost = (body: Record<string, unknown>) => post('/webhooks/clay', body, { 'x-caio-webhook-token': CLAY_TOKEN });
    expect((await clayPost({ request_id: 'clay-req-dana', work_email: DANA.emailAsTyped, linkedin_url: DANA.linkedin, first_name: DANA.firstName, last_name: DANA.lastName, title: 'CEO' })).status).toBe(200);
    expect((await clayPost({ 'Person LinkedIn URL': DANA.linkedinAsTyped, 'Work Email': DANA.email, 'First Name': DANA.firstName })).status).toBe(200);
    expect((await clayPost({ linkedin_url: THEO.linkedin, work_email: THEO.email, first_name: 'Theo' })).status).toBe(200);

    // An incident whose detail names her, and one that does not.
    const incidents = createIncidentStore(db);
    await incidents.observe(
      {
        key: 'send_failures:instantly',
        kind: 'send_failures',
        title: 'Instantly refuses a lead',
        detail: `Instantly refused ${DANA.emailAsTyped} (${DANA.firstName} ${DANA.lastName}) three times`,
        since: h.clock.now(),
        leadsAffected: 1,
        sendingAffected: true,
      },
      1,
      h.clock.now(),
    );
    await incidents.observe(
      { key: 'provider:apollo:unavailable', kind: 'provider_unavailable', title: 'Apollo is down', detail: 'server error 503 for 20 minutes', since: h.clock.now(), leadsAffected: 0, sendingAffected: false },
      1,
      h.clock.now(),
    );

    // A chunked run's report lists both drafts (a row naming several people).
    const summary = (d: typeof danaDetail) => ({ draftId: d.drafts[0]!.id, leadId: d.lead.id, email: d.lead.email, tier: 'tier_1', points: 80, angleId: d.drafts[0]!.angleId, subjectA: d.drafts[0]!.subjectA });
    await createRunChunkStore(db).plan(run.runId, { stages: [], drafts: [summary(danaDetail), summary(theoDetail)], threw: [] }, [2], h.clock.now());

    // A table the erasure code has never heard of (as a later migration would add): covered too.
    await db.execute(sql`create table if not exists operator_notes (id serial primary key, note text not null, data jsonb not null default '{}'::jsonb)`);
    await db.execute(
      sql`insert into operator_notes (note, data) values (${`Called ${DANA.emailAsTyped} on ${DANA.phone}; Theo Kaplan next`}, ${JSON.stringify({ who: { name: `${DANA.firstName} ${DANA.lastName}`, linkedin: DANA.linkedinAsTyped }, next: THEO.email })}::jsonb)`,
    );
    return { dana: danaDetail.lead.id, theo: theoDetail.lead.id, theoDraft: theoDetail.drafts[0]!.id, batchId: batch.id, runId: run.runId, inbox: { reply, open, failing, theoReply } };
  };

  /** Every text and JSON column of every table in this schema (a new table is walked without editing this test). */
  const textColumns = async () =>
    rowsOf<{ table_name: string; column_name: string }>(
      await database.db.execute(sql`
        select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
          and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
        order by 1, 2`),
    );

  /** `table.column: needle ×n` for every value holding a needle (case-insensitive), and for the phone's digits however written. */
  const walk = async (needles: string[], digits: string[] = []) => {
    const hits: string[] = [];
    for (const { table_name: t, column_name: c } of await textColumns()) {
      const column = sql.identifier(c);
      const table = sql.identifier(t);
      for (const needle of needles) {
        const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ${table} where ${column}::text ilike '%' || ${needle.replace(/[%_\\]/g, '\\$&')} || '%'`));
        if (row!.n > 0) hits.push(`${t}.${c}: ${needle} ×${row!.n}`);
      }
      for (const d of digits) {
        const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from ${table} where regexp_replace(${column}::text, '[^0-9]', '', 'g') like '%' || ${d} || '%'`));
        if (row!.n > 0) hits.push(`${t}.${c}: digits ${d} ×${row!.n}`);
      }
    }
    return hits;
  };
  // The address as stored and as typed (ilike: any case), the LinkedIn profile however prefixed, the phone as written.
  const DANA_NEEDLES = [DANA.email, DANA.emailAsTyped, 'linkedin.com/in/example-dana-whitfield', DANA.phone, DANA.phoneCompact, '555) 010-2030'];
  const count = async (query: ReturnType<typeof sql>) => rowsOf<{ n: number }>(await database.db.execute(query))[0]!.n;

  it('leaves no e-mail, LinkedIn URL or phone of the person in any column of any table, and the other person untouched', async () => {
    const seeded = await seed();
    const db = database.db;
    const before = await walk(DANA_NEEDLES, ['5550102030']);
    // The walk sees her where the product put her: the proof that it looks in the right places.
    const tablesBefore = new Set(before.map((hit) => hit.split('.')[0]));
    for (const t of ['leads', 'enrichments', 'stage_results', 'shadow_sends', 'batches', 'outbox', 'webhook_inbox', 'clay_callbacks', 'incidents', 'run_chunks', 'operator_notes'])
      expect(tablesBefore, `before erasure, ${t} names her`).toContain(t);
    // The door keeps each delivery's normalised signal (her address, her LinkedIn profile) beside its payload.
    expect(before.filter((hit) => hit.startsWith('webhook_inbox.signal:')).length, 'before erasure, the stored signals name her').toBeGreaterThan(0);
    const theoBefore = await walk([THEO.email, 'linkedin.com/in/example-theo-kaplan']);
    const sentBefore = await h.outbox.sentSince(new Date(0));
    const inboxBefore = await count(sql`select count(*)::int as n from webhook_inbox`);

    const result = await createPrivacyStore(db).erasePerson(DANA.emailAsTyped, 'Rev Ops', h.clock.now());
    expect(result).toMatchObject({ leadsErased: 1, foundAnything: true, batchesChanged: 1 });

    // Nothing of hers in any column of any table; her last name is gone too.
    expect(await walk([...DANA_NEEDLES, DANA.lastName], ['5550102030'])).toEqual([]);
    // What is left is a one-way hash on the suppression list.
    expect(await h.stores.suppressions.isSuppressed(DANA.email)).toBe(true);
    expect(await h.stores.suppressions.isSuppressed(`linkedin:linkedin.com/in/example-dana-whitfield`)).toBe(true);

    // Theo is exactly where he was, wherever he was.
    expect(await walk([THEO.email, 'linkedin.com/in/example-theo-kaplan'])).toEqual(theoBefore);
    const theo = (await h.stores.leadDetail.detailByEmail(THEO.email))!;
    expect(theo.lead.id).toBe(seeded.theo);
    expect(await count(sql`select count(*)::int as n from leads where id = ${seeded.theo}::uuid and raw::text like ${`%${SWITCHBOARD}%`}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from lead_events where lead_id = ${seeded.theo}::uuid`)).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from outbox where lead_id = ${seeded.theo}::uuid and recipient = ${THEO.email}`)).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from webhook_inbox where id = ${seeded.inbox.open}::uuid and status = 'processed' and lead_id = ${seeded.theo}::uuid`)).toBe(1);
    const [theoReply] = rowsOf<{ status: string; lead_id: string; payload: { reply_text: string; lead_email: string } }>(await db.execute(sql`select status, lead_id, payload from webhook_inbox where id = ${seeded.inbox.theoReply}::uuid`));
    expect(theoReply).toMatchObject({ status: 'processed', lead_id: seeded.theo, payload: { lead_email: THEO.email, reply_text: 'Not my area. Talk to [erased] <[erased]>.' } });
    expect(await count(sql`select count(*)::int as n from clay_callbacks where result->>'email' = ${THEO.email}`)).toBe(1);
    const batch = await h.gatekeeper.show(seeded.batchId);
    expect(batch.scope.map((i) => i.leadId)).toEqual(batch.scope.map(() => seeded.theo));
    expect(batch.scope.length).toBeGreaterThan(0);

    // Rows about several people stay, with her taken out of them.
    const [chunk] = rowsOf<{ result: { drafts: { leadId: string; email: string | null; subjectA: string }[] } }>(await db.execute(sql`select result from run_chunks where run_id = ${seeded.runId} and chunk = 0`));
    expect(chunk!.result.drafts.map((d) => d.email)).toEqual(['[erased]', THEO.email]);
    expect(chunk!.result.drafts[0]!.subjectA).not.toContain(DANA.firstName);
    const [incident] = rowsOf<{ details: { detail: string } }>(await db.execute(sql`select details from incidents where key = 'send_failures:instantly'`));
    expect(incident!.details.detail).toBe('Instantly refused [erased] ([erased]) three times');
    expect(await count(sql`select count(*)::int as n from stage_results where run_id = ${seeded.runId} and errors::text like '%[erased]%'`)).toBe(1);
    const [note] = rowsOf<{ note: string; data: unknown }>(await db.execute(sql`select note, data from operator_notes`));
    expect(note).toEqual({ note: 'Called [erased] on [erased]; Theo Kaplan next', data: { who: { name: '[erased]', linkedin: '[erased]' }, next: THEO.email } });

    // Her deliveries are tombstones: a retried delivery is still recognised as a duplicate, never processed again.
    expect(await count(sql`select count(*)::int as n from webhook_inbox`)).toBe(inboxBefore);
    expect(await count(sql`select count(*)::int as n from webhook_inbox where status = 'erased' and lead_id is null and error is null`)).toBe(3);
    const again = await post(
      '/webhooks/instantly',
      { ...(contractFixture('instantly', 'webhook.reply_received.json').request.body as object), lead_email: DANA.emailAsTyped, email_id: 'reply-dana-1', timestamp: h.clock.now().toISOString() },
      { 'x-caio-webhook-token': SECRET },
    );
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } });

    // Her sent e-mail still counts against the day's quotas, anonymised; what was still queued for her is gone.
    const byDomain = (rows: { recipientDomain: string | null }[]) => [...rows].sort((a, b) => String(a.recipientDomain).localeCompare(String(b.recipientDomain)));
    expect(byDomain(await h.outbox.sentSince(new Date(0)))).toEqual(byDomain(sentBefore));
    expect(await count(sql`select count(*)::int as n from outbox where recipient = '[erased]' and lead_id is null and status = 'sent' and payload = '{}'::jsonb and body is null`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from outbox where status <> 'sent' and lead_id is null`)).toBe(0);

    // The audit log is untouched (append-only) and names nobody; the request's entry has the counts.
    const [entry] = rowsOf<{ actor: string; details: Record<string, unknown> }>(await db.execute(sql`select actor, details from audit_log where action = 'privacy.erased'`));
    expect(entry).toMatchObject({ actor: 'Rev Ops', details: { leadsErased: 1, deliveriesErased: 3, outboxAnonymised: 1, clayCallbacksDeleted: 2, clayRequestsDeleted: 1, auditEntriesStillNamingThem: 0 } });
  }, 60_000);

  // The audit log is append-only (a trigger refuses UPDATE and DELETE), so erasure cannot rewrite it; it
  // holds ids, not addresses, except where a writer copies a provider's error text into `details`.
  // The send gateway's own share (a provider error echoing the recipient never reaches the
  // append-only audit log) is tested in test/integration/dispatch/dispatch.test.ts.

  it('exports her webhook deliveries, outbound actions and timeline with the rest, and nothing of anyone else', async () => {
    const seeded = await seed();
    const document = await createPrivacyStore(database.db).exportPerson(DANA.emailAsTyped, h.clock.now());
    expect(document.leads.map((l) => l.id)).toEqual([seeded.dana]);
    // Inbox: the reply, the failed delivery and the website visit.
    expect(document.inbox).toHaveLength(3);
    expect(document.inbox.map((i) => i.id)).toEqual(expect.arrayContaining([seeded.inbox.reply, seeded.inbox.failing]));
    expect(document.inbox.map((i) => i.id)).not.toContain(seeded.inbox.open);
    expect(document.inbox.map((i) => i.id)).not.toContain(seeded.inbox.theoReply);
    expect(document.inbox.find((i) => i.id === seeded.inbox.failing)).toMatchObject({ status: 'failed', error: expect.stringContaining('lead lookup timed out for [e-mail]') }); // stored without the address (safeErrorMessage)
    // Outbox: her e-mail (sent) and LinkedIn touch (waiting for the next day).
    expect(document.outbox.map((o) => [o.channel, o.status]).sort()).toEqual([
      ['heyreach', 'queued'],
      ['instantly', 'sent'],
    ]);
    expect(document.outbox.every((o) => o.leadId === seeded.dana)).toBe(true);
    // Timeline: sent, replied, opened, visited.
    expect(document.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['email_sent', 'email_replied', 'website_visit']));
    expect(document.timeline.every((e) => e.leadId === seeded.dana)).toBe(true);
    expect(document.clayCallbacks).toHaveLength(2);
    expect(document.clayRequests).toHaveLength(1);
    expect(document.audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(document)).not.toContain(THEO.email);
    expect(JSON.stringify(document)).not.toContain(seeded.theo);
  }, 60_000);

  it('erases one address without touching a longer one that contains it, or a LinkedIn profile that starts like it', async () => {
    const db = database.db;
    const ann = await h.approvedLead({ email: 'ann@acme.example.com', domain: 'acme.example.com', firstName: 'Ann', lastName: 'Moss' });
    const joann = await h.approvedLead({ email: 'joann@acme.example.com', domain: 'acme.example.com', firstName: 'Joann', lastName: 'Reyes' });
    await db.execute(sql`update leads set linkedin_url = 'https://www.linkedin.com/in/ann', profile = jsonb_set(profile, '{linkedinUrl}', '"https://www.linkedin.com/in/ann"') where id = ${ann.leadId}::uuid`);
    await db.execute(sql`update leads set linkedin_url = 'https://www.linkedin.com/in/ann-reyes', profile = jsonb_set(profile, '{linkedinUrl}', '"https://www.linkedin.com/in/ann-reyes"') where id = ${joann.leadId}::uuid`);
    await createIncidentStore(db).observe(
      {
        key: 'send_failures:ghl',
        kind: 'send_failures',
        title: 'GHL refuses two leads',
        detail: 'ann@acme.example.com, joann@acme.example.com and ann@acme.example.com.mirror.example were refused',
        since: h.clock.now(),
        leadsAffected: 2,
        sendingAffected: true,
      },
      1,
      h.clock.now(),
    );

    const result = await createPrivacyStore(db).erasePerson('ann@acme.example.com', 'Rev Ops', h.clock.now());
    expect(result.leadsErased).toBe(1);
    const joannNow = (await h.stores.leadDetail.detailByEmail('joann@acme.example.com'))!;
    expect(joannNow.lead.id).toBe(joann.leadId);
    expect(await count(sql`select count(*)::int as n from leads where id = ${joann.leadId}::uuid and linkedin_url = 'https://www.linkedin.com/in/ann-reyes' and profile->>'linkedinUrl' = linkedin_url`)).toBe(1);
    expect(joannNow.drafts).toHaveLength(1);
    const [incident] = rowsOf<{ details: { detail: string } }>(await db.execute(sql`select details from incidents where key = 'send_failures:ghl'`));
    expect(incident!.details.detail).toBe('[erased], joann@acme.example.com and ann@acme.example.com.mirror.example were refused');
  }, 60_000);
});
