import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { fingerprint } from '../../../src/domain/stable-hash.js';
import { sha256Hex } from '../../../src/lib/hash.js';
import { parseInstantlyWebhook } from '../../../src/providers/instantly/webhook.js';
import { webhookRoutes, type WebhookRoutes } from '../../../src/server/webhook-routes.js';
import { inboxProcessorOn } from '../../../src/compose/signals.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database, Db } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { contractFixture } from '../../support/contracts.js';
import { CADENCE, dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const SECRET = 'inst-secret-0123456789';
const HR_SECRET = 'hr-secret-0123456789';
const RB2B_SECRET = 'rb2b-secret-0123456789';

type Row = { id: string; provider: string; event_type: string; status: string; payload: unknown; signal: Record<string, unknown> | null; flags: string[] | null };

/**
 * The door reads each delivery once, with its provider's parse, and stores the normalised signal
 * beside the raw payload; the processor acts on that signal and never reads the payload again,
 * except for deliveries stored before the door kept signals (read once with the provider's parse).
 */
describe('the door stores the normalised signal; the processor acts on it', () => {
  let database: Database;
  let db: Db;
  let h: Harness;
  let routes: WebhookRoutes;
  let processor: InboxProcessor;
  let stored: string[] = [];

  beforeEach(async () => {
    database = await openTestDatabase();
    db = database.db;
    h = await dispatchHarness(database);
    processor = inboxProcessorOn(db, { clock: h.clock, log: silentLog, cadence: CADENCE });
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, HEYREACH_WEBHOOK_SECRET: HR_SECRET, RB2B_WEBHOOK_SECRET: RB2B_SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    routes = webhookRoutes({ config, inbox: createInboxStore(db), clay: createClayStore(db), onStored: (id) => stored.push(id), now: () => h.clock.now() });
  });
  afterEach(async () => {
    stored = [];
    await h.close();
    await database.close();
  });

  const post = (path: string, body: unknown, query = '', headers: Record<string, string> = {}) => routes.post[path]!({ path, headers, body: JSON.stringify(body), query: new URLSearchParams(query) });
  const fixture = (provider: string, name: string, overrides: Record<string, unknown> = {}) => ({ ...(contractFixture(provider, name).request.body as Record<string, unknown>), ...overrides });
  const rowOf = async (id: string) => ((await db.execute(sql`select id, provider, event_type, status, payload, signal, flags from webhook_inbox where id = ${id}::uuid`)) as { rows: Row[] }).rows[0]!;
  const statusOf = async (leadId: string) => ((await db.execute(sql`select status from leads where id = ${leadId}::uuid`)) as { rows: { status: string }[] }).rows[0]!.status;
  const eventsOf = async (inboxId: string) => ((await db.execute(sql`select type, at from lead_events where inbox_id = ${inboxId}::uuid`)) as { rows: { type: string; at: string }[] }).rows;
  /** A row as a version without the signal column stored it: signal null, the key computed as the door always has. */
  const legacyRow = (provider: string, eventType: string, idempotencyKey: string, payload: unknown) => createInboxStore(db).insert({ provider, eventType, idempotencyKey, payload, receivedAt: h.clock.now() });

  it('keeps the signal beside the payload, and processes from it without reading the payload', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const body = fixture('instantly', 'webhook.email_opened.json', { lead_email: a.email.toUpperCase(), email_id: 'open-a', timestamp: h.clock.now().toISOString() });
    const res = await post('/webhooks/instantly/open', body, '', { 'x-caio-webhook-token': SECRET });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    const row = await rowOf(id);
    const parsed = parseInstantlyWebhook(body, { receivedAt: h.clock.now() });
    expect(parsed.ok).toBe(true);
    expect(row).toMatchObject({ status: 'pending', payload: body, signal: parsed.ok ? parsed.signal : null });
    expect(row.signal).toMatchObject({ email: a.email, type: 'email_opened', channel: 'email', details: { event: 'email_opened' } });

    // The payload is gone (as if it said nothing usable): the stored signal is what the processor acts on.
    await db.execute(sql`update webhook_inbox set payload = '{"unreadable": true}'::jsonb where id = ${id}::uuid`);
    expect(await processor.process(id)).toBe('processed');
    expect(await statusOf(a.leadId)).toBe('opened');
    expect((await eventsOf(id)).map((e) => e.type)).toEqual(['email_opened']);
  });

  it('keeps no signal for an ignored delivery; a replay reads its payload again with the provider parse', async () => {
    const res = await post('/webhooks/instantly', fixture('instantly', 'webhook.custom_label.json'), '', { 'x-caio-webhook-token': SECRET });
    expect(res).toMatchObject({ status: 200, body: { status: 'ignored' } });
    const id = res.body.id as string;
    expect(await rowOf(id)).toMatchObject({ status: 'ignored', signal: null });
    expect(await processor.replay(id)).toBe('ignored');
    expect(await rowOf(id)).toMatchObject({ status: 'ignored', signal: null });
  });

  it('stores the signal of a HeyReach reply (the event from the URL) and of an RB2B visit (the visitor as a new lead)', async () => {
    const a = await h.approvedLead();
    const reply = await post('/webhooks/heyreach/MESSAGE_REPLY_RECEIVED', fixture('heyreach', 'webhook.message_reply_received.flat.json', { profileUrl: 'https://www.linkedin.com/in/example-lead-1' }), `secret=${HR_SECRET}`);
    expect(reply.status).toBe(202);
    expect(await rowOf(reply.body.id as string)).toMatchObject({ event_type: 'MESSAGE_REPLY_RECEIVED', signal: { linkedinUrl: 'linkedin.com/in/example-lead-1', type: 'linkedin_replied', channel: 'linkedin' } });
    expect(await processor.process(reply.body.id as string)).toBe('processed');
    expect(await statusOf(a.leadId)).toBe('linkedin_replied');

    const visit = await post(`/webhooks/rb2b/${RB2B_SECRET}`, fixture('rb2b', 'visitor.json', { 'Seen At': h.clock.now().toISOString() }));
    expect(visit.status).toBe(200);
    const [visitId] = stored.slice(-1);
    expect(await rowOf(visitId!)).toMatchObject({
      provider: 'rb2b',
      event_type: 'visit',
      signal: { type: 'website_visit', channel: 'website', newLead: { source: 'rb2b', sourceId: 'linkedin.com/in/example-maya-rivera', profile: { email: 'maya.rivera@northwind-agency.example.com' } } },
    });
    expect(await processor.process(visitId!)).toBe('processed');
    expect(await db.execute(sql`select count(*)::int as n from leads where email = 'maya.rivera@northwind-agency.example.com' and source = 'rb2b'`)).toMatchObject({ rows: [{ n: 1 }] });
  });

  it('processes deliveries stored before the signal column (signal null) with their provider parse, and replays them', async () => {
    const a = await h.approvedLead();
    const opened = fixture('instantly', 'webhook.email_opened.json', { lead_email: a.email, email_id: 'legacy-open', timestamp: '2099-01-01T00:00:00Z' });
    const openId = (await legacyRow('instantly', 'email_opened', 'legacy-1', opened))!;
    // A HeyReach body that names no event: the event type stored with it (from its URL) names it.
    const replyId = (await legacyRow('heyreach', 'MESSAGE_REPLY_RECEIVED', 'legacy-2', fixture('heyreach', 'webhook.message_reply_received.flat.json', { profileUrl: 'https://www.linkedin.com/in/example-lead-1' })))!;
    const visitId = (await legacyRow('rb2b', 'visit', 'legacy-3', fixture('rb2b', 'visitor.json')))!;
    const unknownId = (await legacyRow('instantly', 'Asked for pricing', 'legacy-4', fixture('instantly', 'webhook.custom_label.json')))!;
    for (const id of [openId, replyId, visitId, unknownId]) expect((await rowOf(id)).signal).toBeNull();

    expect(await processor.processPending()).toBe(3);
    expect(await statusOf(a.leadId)).toBe('linkedin_replied');
    // Read as the door reads it: the time in 2099 is the receive time, flagged.
    expect(await rowOf(openId)).toMatchObject({ status: 'processed', flags: [expect.stringContaining('ahead')] });
    expect(new Date((await eventsOf(openId))[0]!.at)).toEqual(h.clock.now());
    expect(await rowOf(replyId)).toMatchObject({ status: 'processed' });
    expect(await rowOf(visitId)).toMatchObject({ status: 'processed' });
    expect(await rowOf(unknownId)).toMatchObject({ status: 'ignored' });
    expect(await db.execute(sql`select error from webhook_inbox where id = ${unknownId}::uuid`)).toMatchObject({ rows: [{ error: expect.stringContaining('unknown Instantly event type') }] });

    // `caio webhooks replay` of an old row: processed again, no second event.
    expect(await processor.replay(openId)).toBe('processed');
    expect(await eventsOf(openId)).toHaveLength(1);
  });

  it('computes the idempotency keys as before: a delivery stored by an older version is a duplicate at the door', async () => {
    const open = fixture('instantly', 'webhook.email_opened.json');
    await legacyRow('instantly', 'email_opened', sha256Hex(JSON.stringify(['email_opened', open.email_id, open.campaign_id, open.step, open.timestamp])), open);
    expect(await post('/webhooks/instantly', open, '', { 'x-caio-webhook-token': SECRET })).toEqual({ status: 200, body: { status: 'duplicate' } });

    const reply = fixture('heyreach', 'webhook.message_reply_received.camelcase.json');
    await legacyRow(
      'heyreach',
      'MESSAGE_REPLY_RECEIVED',
      sha256Hex(JSON.stringify(['MESSAGE_REPLY_RECEIVED', 'linkedin.com/in/example-maya-rivera', 'm_0001', sha256Hex('Thanks Alex, happy to compare notes. Send me a time next week.')])),
      reply,
    );
    expect(await post('/webhooks/heyreach', reply, `secret=${HR_SECRET}`)).toEqual({ status: 200, body: { status: 'duplicate' } });

    const visit = fixture('rb2b', 'visitor.json');
    await legacyRow('rb2b', 'visit', sha256Hex(`rb2b|${fingerprint(`linkedin.com/in/example-maya-rivera|${String(visit['Seen At'])}|${String(visit['Captured URL'])}`)}`), visit);
    expect(await post(`/webhooks/rb2b/${RB2B_SECRET}`, visit)).toEqual({ status: 200, body: { status: 'received', accepted: true, duplicate: true } });
    expect(stored).toEqual([]);
  });
});
