import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { inboxProcessorOn } from '../../../src/compose/signals.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createDecayQuery, createInboxStore, createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { runDecay } from '../../../src/signals/run-decay.js';
import { createSignalLeadStore } from '../../../src/store/signals-repo.js';
import { createTimelineQuery } from '../../../src/store/timeline-repo.js';
import { buildApp } from '../../../src/server/app.js';
import { contractFixture } from '../../support/contracts.js';
import { CADENCE, dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const SECRET = 'inst-secret-0123456789';
const HR_SECRET = 'hr-secret-0123456789';
const RB2B_SECRET = 'rb2b-secret-0123456789';

describe.each(STORE_KINDS)('the signal loop: webhooks move leads, suppress, and show on the timeline (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  let processor: InboxProcessor;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    h = await dispatchHarness(database);
    const db = database.db;
    // The production factory (one transaction per delivery), on the test's database and clock.
    processor = inboxProcessorOn(db, { clock: h.clock, log: silentLog, cadence: CADENCE });
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, HEYREACH_WEBHOOK_SECRET: HR_SECRET, RB2B_WEBHOOK_SECRET: RB2B_SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    const routes = webhookRoutes({ config, inbox: createInboxStore(db), clay: createClayStore(db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const app = buildApp({ routes, maxBodyBytes: 1024 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closeReceiver = () => app.close();
  });
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    await closeReceiver();
    await h.close();
    await database.close();
  });

  const instantly = async (name: string, overrides: Record<string, unknown>) => {
    const body = JSON.stringify({ ...(contractFixture('instantly', name).request.body as object), ...overrides });
    const res = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body });
    await Promise.all(processing);
    return res.status;
  };
  const statusCount = async (status: string) => Number(((await database.db.execute(sql`select count(*)::int as n from leads where status = ${status}`)) as { rows: { n: number }[] }).rows[0]!.n);
  const statusOf = async (leadId: string) => ((await database.db.execute(sql`select status from leads where id = ${leadId}::uuid`)) as { rows: { status: string }[] }).rows[0]!.status;

  it('an unsubscribe webhook suppresses the lead: what was queued is cancelled and the gateway refuses to send', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const b = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    const queueOnly = h.makeOperator('queue-only', { drainLimit: 0 }).operator;
    await queueOnly.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    expect(await instantly('webhook.lead_unsubscribed.json', { lead_email: a.email, email_id: 'e-unsub-1' })).toBe(202);
    expect(await statusOf(a.leadId)).toBe('unsubscribed');
    expect(await h.stores.suppressions.isSuppressed(a.email)).toBe(true);
    const run = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(run.items.map((i) => [i.leadId, i.outcome])).toEqual([[b.leadId, 'sent']]);
    const sentTo = h.sandboxes.instantly
      .campaigns()
      .flatMap((c) => h.sandboxes.instantly.leadsOf(c.id))
      .map((l) => String(l.email));
    expect(sentTo).toEqual([b.email]);
  });

  it('out-of-order and duplicate events never move a lead backwards; the timeline shows them newest first', async () => {
    const a = await h.approvedLead({ linkedin: false });
    expect(await instantly('webhook.reply_received.json', { lead_email: a.email, email_id: 'r1', timestamp: '2026-11-23T12:00:00.000Z', reply_text: 'Yes, I am interested, let us talk next week.' })).toBe(202);
    expect(await statusOf(a.leadId)).toBe('replied');
    // An open that happened before the reply arrives late: the lead stays replied.
    expect(await instantly('webhook.email_opened.json', { lead_email: a.email, email_id: 'o1', timestamp: '2026-11-23T11:00:00.000Z' })).toBe(202);
    expect(await statusOf(a.leadId)).toBe('replied');
    // The same reply delivered again: acknowledged, not processed twice.
    expect(await instantly('webhook.reply_received.json', { lead_email: a.email, email_id: 'r1', timestamp: '2026-11-23T12:00:00.000Z', reply_text: 'Yes, I am interested, let us talk next week.' })).toBe(200);
    const timeline = await createTimelineQuery(database.db).forLead(a.leadId);
    const signals = timeline.filter((e) => e.channel === 'email');
    expect(signals.map((e) => e.type)).toEqual(['email_replied', 'email_opened']);
    expect(signals[0]!.detail).toContain('reply: positive');
    expect(timeline.some((e) => e.type === 'drafted')).toBe(true);
  });

  it('a HeyReach reply is matched by LinkedIn URL; an event for an unknown lead is kept and flagged, and can be replayed later', async () => {
    const a = await h.approvedLead();
    const linkedin = `https://www.linkedin.com/in/example-lead-1`;
    const body = contractFixture('heyreach', 'webhook.message_reply_received.json').request.body as { lead: Record<string, unknown> };
    const post = (lead: Record<string, unknown>, id: string) =>
      fetch(`${url}/webhooks/heyreach?secret=${HR_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, correlation_id: id, lead: { ...body.lead, ...lead } }) }).then(async (r) => {
        await Promise.all(processing);
        return r.status;
      });
    expect(await post({ profile_url: linkedin, email_address: null }, 'c1')).toBe(202);
    expect(await statusOf(a.leadId)).toBe('linkedin_replied');
    expect(await post({ profile_url: 'https://www.linkedin.com/in/example-stranger', email_address: null }, 'c2')).toBe(202);
    const flagged = await createInboxStore(database.db).list(10, 'unknown_lead');
    expect(flagged).toHaveLength(1);
    expect(await processor.replay(flagged[0]!.id)).toBe('unknown_lead');
  });

  it('a sent lead with no engagement for more than 72 h is ghosted by the daily decay run; a dry run changes nothing; an engaged lead is not', async () => {
    const quiet = await h.approvedLead({ linkedin: false });
    const engaged = await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    expect(await statusOf(quiet.leadId)).toBe('sent');
    h.clock.advance(24 * 3600_000);
    expect(await instantly('webhook.email_opened.json', { lead_email: engaged.email, email_id: 'open-1', timestamp: h.clock.now().toISOString() })).toBe(202);
    const db = database.db;
    const deps = { query: createDecayQuery(db), events: createLeadEventStore(db), leads: createSignalLeadStore(db), thresholds: { ghostedAfterHours: 72, stalledAfterDays: 7, engagedOpens: 2, engagedClicks: 1 } };
    expect(await runDecay(deps, new Date(h.clock.now().getTime() + 40 * 3600_000), false)).toEqual([]);
    const later = new Date(h.clock.now().getTime() + 49 * 3600_000);
    const dry = await runDecay(deps, later, true);
    expect(dry.map((f) => [f.leadId, f.kind, f.applied])).toEqual([[quiet.leadId, 'ghosted', false]]);
    expect(await statusOf(quiet.leadId)).toBe('sent');
    await runDecay(deps, later, false);
    expect(await statusOf(quiet.leadId)).toBe('ghosted');
    expect(await statusOf(engaged.leadId)).toBe('opened');
    expect(await runDecay(deps, later, false)).toEqual([]);
  });

  it('the first send enrols the lead in the cadence (the e-mail is the intro); steps come due by day; a reply exits', async () => {
    const a = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const status = await h.cadence.status(a.leadId, h.clock.now());
    expect(status).toMatchObject({ status: 'active', completed: 1, total: 8 });
    expect(status?.nextStep?.step).toBe(2);
    // Day 2: the LinkedIn invitation (held back on day 1 by the cross-channel cap) goes out and completes step 2.
    h.clock.advance(24 * 3600_000);
    await h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' });
    expect((await h.cadence.status(a.leadId, h.clock.now()))?.completed).toBe(2);
    // Day 5: the value follow-up is due; step 4 (LinkedIn message) waits for a connection.
    const day5 = new Date(Date.UTC(2026, 10, 27, 9));
    const due = await h.cadence.due(day5);
    expect(due.flatMap((d) => d.due.map((s) => s.step))).toEqual([3]);
    expect(await instantly('webhook.reply_received.json', { lead_email: a.email, email_id: 'r-c', timestamp: h.clock.now().toISOString(), reply_text: 'Not now, maybe next quarter.' })).toBe(202);
    expect(await h.cadence.status(a.leadId, day5)).toMatchObject({ status: 'exited', exitReason: 'replied' });
    expect(await h.cadence.due(day5)).toEqual([]);
  });

  it('the cadence motion: due steps become a pending batch; once approved, the follow-up goes out with its own copy, once, and the step is done', async () => {
    const a = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    h.clock.advance(24 * 3600_000);
    await h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' });
    // Day 5 (2026-11-27): step 3, the value follow-up, is due.
    h.clock.advance(3 * 24 * 3600_000);
    const dry = await h.operator.dispatch({ motion: 'cadence', live: false, by: 'A' });
    expect(dry.queued?.items).toBe(1);
    expect(dry.drain.counts.would_send).toBe(1);
    const first = await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' });
    expect(first.pendingBatch?.items).toBe(1);
    const batch = await h.gatekeeper.show(first.pendingBatch!.id);
    expect(batch.scope[0]).toMatchObject({ leadId: a.leadId, channel: 'instantly', action: 'cadence:s3:value_followup' });
    // Nothing is offered twice while the batch is open.
    expect((await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' })).pendingBatch).toBeNull();
    await h.gatekeeper.approve(batch.id, 'Sam');
    const run = await h.operator.dispatch({ motion: 'cadence', live: true, batchId: batch.id, by: 'A' });
    expect(run.drain.counts.sent).toBe(1);
    const followUp = h.sandboxes.instantly.campaigns().find((c) => String(c.name).includes('followup_s3'));
    expect(followUp?.status).toBe(0);
    const [lead] = h.sandboxes.instantly.leadsOf(followUp!.id);
    const initial = h.sandboxes.instantly.campaigns().find((c) => String(c.name).includes('pipeline'));
    const [first1] = h.sandboxes.instantly.leadsOf(initial!.id);
    expect(lead!.email).toBe(a.email);
    expect((lead!.payload as { subject: string }).subject).not.toBe((first1!.payload as { subject: string }).subject);
    expect((await h.cadence.status(a.leadId, h.clock.now()))?.completed).toBe(3);
    expect(await h.cadence.due(h.clock.now())).toEqual([]);
    expect((await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' })).pendingBatch).toBeNull();
  });

  it('the revival motion: stale CRM contacts are scanned and scored; an approved batch queues them (status and timeline), within the daily limit, sending nothing', async () => {
    const scan = await h.revival.scan(h.clock.now(), 50);
    expect(scan.length).toBeGreaterThan(0);
    for (const c of scan) {
      expect(c.daysInactive).toBeGreaterThanOrEqual(30);
      expect(c.daysInactive).toBeLessThanOrEqual(120);
      expect(c.tags.map((t) => t.toLowerCase())).not.toContain('do-not-contact');
      expect(c.tags.map((t) => t.toLowerCase())).not.toContain('competitor');
    }
    expect([...scan].sort((a, b) => b.score - a.score)).toEqual(scan);
    const dry = await h.operator.dispatch({ motion: 'revival', live: false, by: 'A' });
    expect(dry.queued?.revivals).toBe(Math.min(5, scan.length));
    expect(await statusCount('revival_queued')).toBe(0);
    const first = await h.operator.dispatch({ motion: 'revival', live: true, by: 'A' });
    expect(first.pendingBatch?.items).toBe(Math.min(5, scan.length));
    await h.gatekeeper.approve(first.pendingBatch!.id, 'Sam');
    const run = await h.operator.dispatch({ motion: 'revival', live: true, batchId: first.pendingBatch!.id, by: 'A' });
    expect(run.queued?.revivals).toBe(Math.min(5, scan.length));
    expect(await statusCount('revival_queued')).toBe(Math.min(5, scan.length));
    expect(h.sandboxes.ghl.stats.emailsSent).toBe(0);
    // The day's allowance is used: nothing more today.
    expect((await h.operator.dispatch({ motion: 'revival', live: true, by: 'A' })).pendingBatch).toBeNull();
  });

  it('an RB2B visitor (secret in the URL) becomes a discovered lead with the visit on its timeline; a repeat visit adds to it; a replay is stored once', async () => {
    const post = async (name: string, path = `/webhooks/rb2b/${RB2B_SECRET}`) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(contractFixture('rb2b', name).request.body) });
      await Promise.all(processing);
      return res.status;
    };
    expect(await post('visitor.json', '/webhooks/rb2b/wrong-secret')).toBe(404);
    expect(await post('visitor.json', '/webhooks/rb2b?token=wrong')).toBe(401);
    expect(await post('visitor.json')).toBe(200);
    expect(await post('visitor.json')).toBe(200);
    expect(await post('visitor.repeat-visit.json', `/webhooks/rb2b?token=${RB2B_SECRET}`)).toBe(200);
    const detail = await h.stores.leadDetail.detailByEmail('maya.rivera@northwind-agency.example.com');
    expect(detail?.lead).toMatchObject({ source: 'rb2b', status: 'discovered' });
    const visits = (await createTimelineQuery(database.db).forLead(detail!.lead.id)).filter((e) => e.type === 'website_visit');
    expect(visits).toHaveLength(2);
    expect(await createInboxStore(database.db).list(10)).toHaveLength(2);
  });

  it('cadence sync applies an exit the live hooks missed (a status set by hand)', async () => {
    const a = await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    expect((await h.cadence.status(a.leadId, h.clock.now()))?.status).toBe('active');
    await database.db.execute(sql`update leads set status = 'unsubscribed' where id = ${a.leadId}::uuid`);
    expect(await h.cadence.sync(h.clock.now())).toEqual([{ leadId: a.leadId, from: 'active', to: 'exited', reason: 'unsubscribed' }]);
    expect(await h.cadence.sync(h.clock.now())).toEqual([]);
  });
});
