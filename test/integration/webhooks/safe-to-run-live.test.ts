import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { inboxProcessorOn } from '../../../src/compose/signals.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { contractFixture } from '../../support/contracts.js';
import { CADENCE, dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

/**
 * "Safe to run live" (item 5) and the "Deaf" finding: providers switch off webhooks that answer
 * non-2xx (RB2B on anything but 200 or no answer within 15 s; Instantly after repeated failures).
 * Every authenticated, size-valid delivery gets a 2xx through the app `caio serve` builds; what we
 * cannot use is stored raw as `ignored` with the reason. 401 stays for failed auth, 413 for size.
 */
const SECRET = 'inst-secret-0123456789';
const HR_SECRET = 'hr-secret-0123456789';
const RB2B_SECRET = 'rb2b-secret-0123456789';
const MAX_BODY = 64 * 1024;

type Row = { id: string; provider: string; event_type: string; status: string; error: string | null; flags: string[] | null; raw_body: string | null; raw_base64: string | null; payload: unknown };

describe.each(STORE_KINDS)('safe to run live: authenticated deliveries are answered 2xx and kept (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  let processor: InboxProcessor;
  let url = '';
  const closers: (() => Promise<void>)[] = [];
  let processing: Promise<unknown>[] = [];

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
    const db = database.db;
    // The production factory (one transaction per delivery), on the test's database and clock.
    processor = inboxProcessorOn(db, { clock: h.clock, log: silentLog, cadence: CADENCE });
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, HEYREACH_WEBHOOK_SECRET: HR_SECRET, RB2B_WEBHOOK_SECRET: RB2B_SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    const routes = webhookRoutes({ config, inbox: createInboxStore(db), clay: createClayStore(db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const app = buildApp({ routes, maxBodyBytes: MAX_BODY });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => app.close());
  });
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    for (const close of closers.splice(0)) await close();
    await h.close();
    await database.close();
  });

  const post = async (path: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await res.text();
    await Promise.all(processing);
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const token = { 'x-caio-webhook-token': SECRET };
  const instantly = (body: Record<string, unknown>, path = '/webhooks/instantly') => post(path, JSON.stringify(body), token);
  const fixture = (provider: string, name: string, overrides: Record<string, unknown> = {}) => ({ ...(contractFixture(provider, name).request.body as Record<string, unknown>), ...overrides });
  const rows = async (): Promise<Row[]> => ((await database.db.execute(sql`select id, provider, event_type, status, error, flags, raw_body, raw_base64, payload from webhook_inbox order by received_at, id`)) as { rows: Row[] }).rows;
  const rowOf = async (id: unknown): Promise<Row> => (await rows()).find((r) => r.id === id)!;
  const statusOf = async (leadId: string) => ((await database.db.execute(sql`select status from leads where id = ${leadId}::uuid`)) as { rows: { status: string }[] }).rows[0]!.status;
  const linkedinOf = async (leadId: string) => ((await database.db.execute(sql`select linkedin_url from leads where id = ${leadId}::uuid`)) as { rows: { linkedin_url: string }[] }).rows[0]!.linkedin_url;
  const eventsOf = async (inboxId: unknown) =>
    ((await database.db.execute(sql`select at, type, details from lead_events where inbox_id = ${String(inboxId)}::uuid`)) as { rows: { at: string | Date; type: string; details: Record<string, unknown> }[] }).rows;

  it('Instantly events outside our list get a 2xx: lead_no_show and email_link_clicked are read, custom labels and enrichment events are kept as ignored with the reason', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const noShow = await instantly(fixture('instantly', 'webhook.lead_interested.json', { event_type: 'lead_no_show', lead_email: a.email }));
    expect(noShow.status).toBe(202);
    expect((await rowOf(noShow.body.id)).status).toBe('processed');
    const clicked = await instantly(fixture('instantly', 'webhook.link_clicked.json', { event_type: 'email_link_clicked', lead_email: a.email }));
    expect(clicked.status).toBe(202);
    expect((await eventsOf(clicked.body.id)).map((e) => e.type)).toEqual(['email_clicked']);

    const label = fixture('instantly', 'webhook.custom_label.json', { lead_email: a.email });
    const enrichment = { timestamp: '2026-03-04T10:20:45.630Z', event_type: 'supersearch_enrichment_completed', workspace: '019a0000-0000-7000-8000-00000000b001' };
    const ignoredCases: [string, Promise<{ status: number; body: Record<string, unknown> }>, RegExp][] = [
      ['custom label', instantly(label), /unknown Instantly event type "Asked for pricing"/],
      ['enrichment event', instantly(enrichment), /supersearch_enrichment_completed/],
      ['no event type', instantly({ timestamp: '2026-03-04T10:20:45.630Z', lead_email: a.email }), /event_type/],
      ['not an object', post('/webhooks/instantly', '[1,2,3]', token), /not a JSON object/],
      ['not JSON', post('/webhooks/instantly', '{"event_type": ', token), /not JSON/],
      ['deeply nested', post('/webhooks/instantly', JSON.stringify({ ...label, x: JSON.parse('['.repeat(60) + ']'.repeat(60)) }), token), /nested deeper/],
    ];
    for (const [name, pending, reason] of ignoredCases) {
      const res = await pending;
      expect([name, res.status, res.body.status]).toEqual([name, 200, 'ignored']);
      const row = await rowOf(res.body.id);
      expect([name, row.status]).toEqual([name, 'ignored']);
      expect(row.error, name).toMatch(reason);
      expect(row.raw_body, name).not.toBeNull();
      expect(JSON.stringify(res.body), name).not.toContain(a.email);
    }
    // Kept for a person to look at (caio webhooks list --status ignored), with the exact text.
    const ignored = await createInboxStore(database.db).list(50, 'ignored');
    expect(ignored).toHaveLength(ignoredCases.length);
    expect(ignored.every((i) => typeof i.error === 'string' && i.error.length > 0)).toBe(true);
    expect((await rows()).find((r) => r.error?.includes('not JSON'))?.raw_body).toBe('{"event_type": ');
    // A retried ignored delivery is stored once.
    expect((await instantly(label)).body).toEqual({ status: 'duplicate' });
  });

  it('an event on another Instantly path than its own is read, not refused', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const res = await instantly(fixture('instantly', 'webhook.lead_unsubscribed.json', { lead_email: a.email }), '/webhooks/instantly/reply');
    expect(res.status).toBe(202);
    expect(await statusOf(a.leadId)).toBe('unsubscribed');
  });

  it('fields the Instantly SDK marks nullable may be null (and step may be a string)', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const res = await instantly({
      timestamp: null,
      event_type: 'email_opened',
      workspace: null,
      campaign_id: null,
      campaign_name: null,
      lead_email: a.email,
      email_account: null,
      step: '2',
      variant: null,
      is_first: null,
      email_id: null,
      email_subject: null,
    });
    expect(res.status).toBe(202);
    expect((await rowOf(res.body.id)).status).toBe('processed');
    expect((await eventsOf(res.body.id)).map((e) => e.type)).toEqual(['email_opened']);
    expect(await statusOf(a.leadId)).toBe('opened');
  });

  it('NUL and lone surrogates in a reply are made storable while the raw text is kept; an unsubscribe written with a NUL suppresses the person', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const body = JSON.stringify(
      fixture('instantly', 'webhook.reply_received.json', { lead_email: a.email, email_id: 'nul-1', reply_text: 'Please remove me from your list\u0000 thanks \ud83d', reply_html: null, 'odd\u0000key': 'x\udc00' }),
    );
    expect(body).toContain('\\u0000');
    const res = await post('/webhooks/instantly', body, token);
    expect(res.status).toBe(202);
    const row = await rowOf(res.body.id);
    expect(row.status).toBe('processed');
    expect((row.payload as Record<string, unknown>).reply_text).toBe('Please remove me from your list thanks \ufffd');
    expect((row.payload as Record<string, unknown>).oddkey).toBe('x\ufffd');
    expect(row.raw_body).toBe(body);
    expect(await statusOf(a.leadId)).toBe('unsubscribed');
    expect(await h.stores.suppressions.isSuppressed(a.email)).toBe(true);

    const b = await h.approvedLead({ linkedin: false });
    const unsub = await post('/webhooks/instantly/unsubscribe', JSON.stringify(fixture('instantly', 'webhook.lead_unsubscribed.json', { lead_email: b.email, email_subject: 'Re: \u0000' })), token);
    expect(unsub.status).toBe(202);
    expect(await h.stores.suppressions.isSuppressed(b.email)).toBe(true);

    // A literal NUL byte is not JSON: kept, bytes and all, as ignored.
    const bytes = Buffer.concat([Buffer.from('{"event_type":"reply_received","lead_email":"'), Buffer.from([0]), Buffer.from('"}')]);
    const nul = await post('/webhooks/instantly', bytes, token);
    expect([nul.status, nul.body.status]).toEqual([200, 'ignored']);
    const kept = await rowOf(nul.body.id);
    expect(kept.raw_base64).toBe(bytes.toString('base64'));
    expect(kept.raw_body).not.toContain('\u0000');
  });

  it('HeyReach: the lead is found under lead.profileUrl, lead.linkedInUrl or a top-level profileUrl; a shape without an event name takes it from the URL', async () => {
    const leads = await Promise.all([0, 1, 2, 3, 4, 5].map(() => h.approvedLead()));
    const urls = await Promise.all(leads.map((l) => linkedinOf(l.leadId)));
    const heyreach = (body: Record<string, unknown>, path = `/webhooks/heyreach?secret=${HR_SECRET}`) => post(path, JSON.stringify(body));
    const replies: [string, Promise<{ status: number; body: Record<string, unknown> }>][] = [
      ['lead.profileUrl (shape C)', heyreach(fixture('heyreach', 'webhook.message_reply_received.lead-camel.json', { lead: { firstName: 'A', lastName: 'B', profileUrl: urls[0] }, conversationId: 'conv-0' }))],
      ['lead.linkedInUrl', heyreach({ eventType: 'MESSAGE_REPLY_RECEIVED', lead: { firstName: 'A', linkedInUrl: urls[1] }, message: { id: 'm-1', text: 'Sounds good, tell me more' } })],
      ['top-level profileUrl', heyreach({ eventType: 'every_message_reply_received', firstName: 'A', profileUrl: urls[2], messageText: 'Yes, let us talk' })],
      ['no event name, per-event URL (shape D)', heyreach(fixture('heyreach', 'webhook.message_reply_received.flat.json', { profileUrl: urls[3] }), `/webhooks/heyreach/MESSAGE_REPLY_RECEIVED?secret=${HR_SECRET}`)],
      [
        'camelCase leadProfile (shape B), per-event URL',
        heyreach(fixture('heyreach', 'webhook.message_reply_received.camelcase.json', { leadProfile: { linkedInUrl: urls[4], emailAddress: null } }), `/webhooks/heyreach/MESSAGE_REPLY_RECEIVED?secret=${HR_SECRET}`),
      ],
      ['snapshot without any event name (shape A)', heyreach(fixture('heyreach', 'webhook.every_message_reply_received.snapshot.json', { lead: { profile_url: urls[5], first_name: 'A' } }))],
    ];
    for (const [name, pending] of replies) {
      const res = await pending;
      expect([name, res.status]).toEqual([name, 202]);
      expect([name, (await rowOf(res.body.id)).status]).toEqual([name, 'processed']);
    }
    for (const l of leads) expect(await statusOf(l.leadId)).toBe('linkedin_replied');

    const ignoredCases: [string, Promise<{ status: number; body: Record<string, unknown> }>, RegExp][] = [
      ['names no lead', heyreach({ eventType: 'MESSAGE_REPLY_RECEIVED', message: 'hello' }), /names no lead/],
      ['campaign completed, no lead and no campaign', heyreach({ eventType: 'CAMPAIGN_COMPLETED', timestamp: '2026-04-02T08:00:00Z' }), /names no lead .* and no campaign/],
      ['unknown event', heyreach({ eventType: 'SOMETHING_NEW', lead: { profileUrl: urls[0] } }), /unknown HeyReach event type "SOMETHING_NEW"/],
      ['no event anywhere', heyreach({ lead: { profileUrl: urls[0] } }), /no event type/],
      ['not JSON', post(`/webhooks/heyreach?secret=${HR_SECRET}`, 'hello'), /not JSON/],
    ];
    for (const [name, pending, reason] of ignoredCases) {
      const res = await pending;
      expect([name, res.status, res.body.status]).toEqual([name, 200, 'ignored']);
      expect((await rowOf(res.body.id)).error, name).toMatch(reason);
    }
  });

  it('RB2B: a visit naming nobody, or not JSON at all, is answered 200 and kept as ignored; a visit with a NUL still becomes a lead', async () => {
    const rb2b = (body: string) => post(`/webhooks/rb2b/${RB2B_SECRET}`, body);
    for (const [body, reason] of [
      [JSON.stringify({ visitor_id: 'v-1', 'Captured URL': 'https://www.caio.example.com/pricing' }), /no LinkedIn URL/],
      ['not json', /not JSON/],
      ['[1,2]', /not a JSON object/],
    ] as const) {
      const res = await rb2b(body);
      expect(res.status).toBe(200);
      const ignored = (await rows()).filter((r) => r.status === 'ignored' && r.raw_body === body);
      expect(ignored).toHaveLength(1);
      expect(ignored[0]!.error).toMatch(reason);
    }
    const visitor = fixture('rb2b', 'visitor.json', { Title: 'VP\u0000 of Sales \udc00', 'Business Email': 'nul.visitor@northwind-agency.example.com', 'LinkedIn URL': 'https://www.linkedin.com/in/example-nul-visitor' });
    expect((await rb2b(JSON.stringify(visitor))).status).toBe(200);
    const detail = await h.stores.leadDetail.detailByEmail('nul.visitor@northwind-agency.example.com');
    expect(detail?.lead).toMatchObject({ source: 'rb2b' });
    expect(await rb2b('')).toMatchObject({ status: 200 });
  });

  it('a valid HMAC over bytes that are not UTF-8 is accepted and the bytes are kept; an HMAC over the decoded text is not', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const bytes = Buffer.concat([
      Buffer.from(JSON.stringify({ timestamp: '2026-11-23T12:00:00.000Z', event_type: 'reply_received', lead_email: a.email, email_id: 'latin1-1' }).slice(0, -1) + ',"reply_text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from(' ok, interested"}'),
    ]);
    const sign = (data: Buffer | string) => `sha256=${createHmac('sha256', SECRET).update(data).digest('hex')}`;
    expect((await post('/webhooks/instantly', bytes, { 'x-instantly-signature': sign(bytes.toString('utf8')) })).status).toBe(401);
    const res = await post('/webhooks/instantly', bytes, { 'x-instantly-signature': sign(bytes) });
    expect(res.status).toBe(202);
    const row = await rowOf(res.body.id);
    expect(row.raw_base64).toBe(bytes.toString('base64'));
    expect((row.payload as Record<string, unknown>).reply_text).toBe('caf\ufffd ok, interested');
    expect(row.status).toBe('processed');
    expect(await statusOf(a.leadId)).toBe('replied');
    // A signature over other bytes, whatever a client adds in headers, is refused: the app hands the handler the bytes it read.
    const forged = Buffer.from(JSON.stringify({ event_type: 'lead_unsubscribed', lead_email: a.email }));
    const other = JSON.stringify(fixture('instantly', 'webhook.email_opened.json', { lead_email: a.email }));
    expect((await post('/webhooks/instantly', other, { 'x-caio-raw-body-base64': forged.toString('base64'), 'x-instantly-signature': sign(forged) })).status).toBe(401);
  });

  it('timestamps more than a day ahead or before 2000 are stored with the receive time and flagged', async () => {
    const a = await h.approvedLead();
    const receivedAt = h.clock.now().getTime();
    const profileUrl = await linkedinOf(a.leadId);
    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> }>, RegExp][] = [
      ['2099', () => instantly(fixture('instantly', 'webhook.email_opened.json', { lead_email: a.email, email_id: 'future-1', timestamp: '2099-01-01T00:00:00.000Z' })), /ahead/],
      ['1990', () => instantly(fixture('instantly', 'webhook.reply_received.json', { lead_email: a.email, email_id: 'past-1', timestamp: '1990-05-01T00:00:00.000Z' })), /before 2000/],
      ['unreadable', () => instantly(fixture('instantly', 'webhook.email_opened.json', { lead_email: a.email, email_id: 'bad-1', timestamp: 'yesterday' })), /unreadable/],
      ['heyreach 2099', () => post(`/webhooks/heyreach?secret=${HR_SECRET}`, JSON.stringify({ eventType: 'CONNECTION_REQUEST_ACCEPTED', timestamp: '2099-06-01T00:00:00Z', lead: { profileUrl } })), /ahead/],
    ];
    for (const [name, send, flag] of cases) {
      const res = await send();
      expect([name, res.status]).toEqual([name, 202]);
      const row = await rowOf(res.body.id);
      expect([name, row.status]).toEqual([name, 'processed']);
      expect(row.flags?.join(' '), name).toMatch(flag);
      const [event] = await eventsOf(res.body.id);
      expect([name, new Date(event!.at).getTime()]).toEqual([name, receivedAt]);
      expect(JSON.stringify(event!.details), name).toMatch(flag);
    }
    const visit = fixture('rb2b', 'visitor.json', { 'Seen At': '2099-01-01T00:00:00Z', 'Business Email': 'future.visitor@northwind-agency.example.com', 'LinkedIn URL': 'https://www.linkedin.com/in/example-future-visitor' });
    expect((await post(`/webhooks/rb2b/${RB2B_SECRET}`, JSON.stringify(visit))).status).toBe(200);
    const row = (await rows()).find((r) => r.provider === 'rb2b')!;
    expect(row.flags?.join(' ')).toMatch(/ahead/);
    expect(new Date((await eventsOf(row.id))[0]!.at).getTime()).toBe(receivedAt);
  });

  it('401 stays for failed auth and 413 for size; nothing is stored', async () => {
    const body = JSON.stringify(fixture('instantly', 'webhook.reply_received.json'));
    expect((await post('/webhooks/instantly', body)).status).toBe(401);
    expect((await post('/webhooks/instantly', body, { 'x-caio-webhook-token': 'nope' })).status).toBe(401);
    expect((await post('/webhooks/instantly', body, { 'x-instantly-signature': 'sha256=00' })).status).toBe(401);
    expect((await post('/webhooks/heyreach?secret=wrong', JSON.stringify(fixture('heyreach', 'webhook.message_reply_received.json')))).status).toBe(401);
    expect((await post('/webhooks/heyreach/MESSAGE_REPLY_RECEIVED', JSON.stringify(fixture('heyreach', 'webhook.message_reply_received.flat.json')))).status).toBe(401);
    expect((await post('/webhooks/rb2b?token=wrong', JSON.stringify(fixture('rb2b', 'visitor.json')))).status).toBe(401);
    const huge = JSON.stringify({ ...JSON.parse(body), pad: 'x'.repeat(MAX_BODY) });
    expect((await post('/webhooks/instantly', huge, token)).status).toBe(413);
    expect((await post(`/webhooks/rb2b/${RB2B_SECRET}`, huge)).status).toBe(413);
    expect(await rows()).toEqual([]);
  });

  it('RB2B is answered 200 within the deadline even when the inbox hangs or fails', async () => {
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { RB2B_WEBHOOK_SECRET: RB2B_SECRET } });
    const body = JSON.stringify(fixture('rb2b', 'visitor.json'));
    for (const insert of [
      () => new Promise<string | null>(() => {}),
      async (): Promise<string | null> => {
        throw new Error('the database is down');
      },
    ]) {
      const errors: unknown[] = [];
      const routes = webhookRoutes({ config, inbox: { insert }, clay: createClayStore(database.db), onStored: () => {}, rb2bAnswerWithinMs: 200, onError: (error) => void errors.push(error) });
      const app = buildApp({ routes, maxBodyBytes: MAX_BODY });
      closers.push(() => app.close());
      const started = Date.now();
      const res = await Promise.race([app.inject({ method: 'POST', url: `/webhooks/rb2b/${RB2B_SECRET}`, headers: { 'content-type': 'application/json' }, payload: body }), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
      expect(res?.statusCode).toBe(200);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(errors).toHaveLength(1);
    }
  });
});
