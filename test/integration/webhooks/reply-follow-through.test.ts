import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../../src/compose/follow-through.js';
import { processorFor } from '../../../src/compose/signals.js';
import { loadConfig } from '../../../src/config/load.js';
import { startSlackSandbox } from '../../../src/providers/sandbox/slack/server.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { FollowThroughExecutor } from '../../../src/signals/follow-through-actions.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const SECRET = 'inst-secret-0123456789';
const HR_SECRET = 'hr-secret-0123456789';
type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/**
 * Issue 17 item 2: every reply webhook is understood and followed through in the delivery's
 * transaction (status, cadence, action rows), and the actions run after commit against the
 * sandboxes (Slack, GoHighLevel, Instantly), through the production wiring: openApp, openDispatch,
 * processorFor, the door (webhookRoutes) and a fixed clock (Monday 2026-11-23 10:00 UTC).
 */
describe('reply follow-through: every reply understood, stored and followed through once', () => {
  let database: Database;
  let h: Harness;
  let slack: Awaited<ReturnType<typeof startSlackSandbox>>;
  let executor: FollowThroughExecutor;
  let processor: InboxProcessor;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];
  let n = 0;
  let drains = 0;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    slack = await startSlackSandbox();
    executor = followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch, { slackWebhookUrl: slack.url }));
    // As openJobSet wires it: a delivery's job runs the actions only when its processing recorded some.
    const recorded = { count: 0 };
    drains = 0;
    const counted: FollowThroughExecutor = { ...executor, runDue: async (...args) => (drains++, executor.runDue(...args)) };
    processor = withFollowThroughActions(processorFor(h.app, recorded), counted, silentLog, recorded);
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET, HEYREACH_WEBHOOK_SECRET: HR_SECRET } });
    const routes = webhookRoutes({ config, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const app = buildApp({ routes, maxBodyBytes: 1024 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closeReceiver = () => app.close();
  });
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    await closeReceiver();
    await slack.close();
    await h.close();
    await database.close();
  });

  /** A lead we wrote to: through the pipeline, approved, batched and sent to the Instantly sandbox (its cadence enrolled). */
  const sentLead = async (overrides: { firstName?: string; lastName?: string } = {}) => {
    const lead = await h.approvedLead({ linkedin: false, ...overrides });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const campaign = h.sandboxes.instantly.campaigns().find((c) => h.sandboxes.instantly.leadsOf(c.id).some((l) => l.email === lead.email));
    expect(campaign, 'the lead is in an Instantly sandbox campaign').toBeDefined();
    return { ...lead, campaignId: String(campaign!.id) };
  };

  /** Instantly's reply_received as the contract documents it (flat payload); `body` replaces fields. */
  const postReply = async (email: string, body: Record<string, unknown>, emailId = `reply-${++n}`) => {
    const payload = { timestamp: h.clock.now().toISOString(), event_type: 'reply_received', lead_email: email, email_id: emailId, step: 1, reply_subject: 'Re: our note', ...body };
    const res = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body: JSON.stringify(payload) });
    await Promise.all(processing);
    return { status: res.status, payload };
  };

  const replies = async () => rowsOf(await database.db.execute(sql`select * from replies order by created_at`));
  const actionsOf = async (replyId: unknown): Promise<Record<string, unknown>> =>
    Object.fromEntries(rowsOf(await database.db.execute(sql`select kind, status from reply_actions where reply_id = ${replyId}`)).map((r) => [String(r.kind), r.status]));
  const leadStatus = async (id: string) => String(rowsOf(await database.db.execute(sql`select status from leads where id = ${id}::uuid`))[0]!.status);
  const cadenceStatus = async (id: string) => String(rowsOf(await database.db.execute(sql`select status from cadence_enrollments where lead_id = ${id}::uuid`))[0]?.status);
  const contactOf = (email: string) => h.sandboxes.ghl.contacts().find((c) => c.email === email);

  it('a meeting request: replied, the understanding stored, a HOT LEAD alert, the CRM tagged, Instantly interested; a redelivery does nothing twice', async () => {
    const lead = await sentLead({ firstName: 'Maya', lastName: 'Rivera' });
    const first = await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: `Tuesday at 2pm works, send an invite.\n\nMaya\n${lead.email}` });
    expect(first.status).toBe(202);
    expect(await leadStatus(lead.leadId)).toBe('replied');
    expect(await cadenceStatus(lead.leadId)).toBe('exited');
    const [reply] = await replies();
    expect(reply).toMatchObject({ lead_id: lead.leadId, channel: 'email', class: 'meeting_request', needs_response: true, time_zone: 'UTC' });
    expect(reply!.proposed_times).toEqual([expect.objectContaining({ at: '2026-11-24T14:00:00.000Z', text: 'Tuesday at 2pm' })]);
    expect(await actionsOf(reply!.id)).toEqual({ slack_hot_lead: 'done', crm_tag: 'done', instantly_interest: 'done', book_meeting: 'done' });

    expect(slack.messages).toHaveLength(1);
    const alert = JSON.stringify(slack.messages[0]);
    expect(slack.messages[0]!.text).toContain('HOT LEAD: Maya Rivera');
    expect(alert).toContain('meeting_request');
    expect(alert).toContain('Tuesday at 2pm works');
    expect(alert).toContain(`/leads?lead=${lead.leadId}`);
    expect(alert, 'no address in the alert').not.toContain(lead.email);
    expect(contactOf(lead.email)?.tags).toContain('reply-meeting-request');
    expect(h.sandboxes.instantly.interestUpdates()).toEqual([{ leadEmail: lead.email, interestValue: 1, campaignId: lead.campaignId }]);

    // Instantly retries the same delivery: acknowledged once, nothing stored or called again.
    const again = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body: JSON.stringify(first.payload) });
    expect(again.status).toBe(200);
    // An operator's replay of the processed delivery: its reply and its actions stand.
    const inboxId = String(reply!.inbox_id);
    expect(await processor.replay(inboxId)).toBe('processed');
    expect(await replies()).toHaveLength(1);
    expect(Number(rowsOf(await database.db.execute(sql`select count(*)::int as n from reply_actions`))[0]!.n)).toBe(4);
    expect(slack.messages).toHaveLength(1);
    expect(h.sandboxes.instantly.interestUpdates()).toHaveLength(1);
  });

  it("a delivery's job runs the actions only when its processing recorded some: an open costs no extra statement, a reply's actions run at once", async () => {
    const lead = await sentLead();
    const open = { timestamp: h.clock.now().toISOString(), event_type: 'email_opened', lead_email: lead.email, email_id: 'open-1', step: 1, campaign_id: lead.campaignId };
    const res = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body: JSON.stringify(open) });
    await Promise.all(processing);
    expect(res.status).toBe(202);
    expect(drains).toBe(0);
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'Interested, tell me more.' });
    expect(drains).toBe(1);
    const [reply] = await replies();
    expect(Object.values(await actionsOf(reply!.id)).every((status) => status === 'done')).toBe(true);
  });

  it('an out-of-office note: no status move, the cadence paused until one business day after the return date, then resumed', async () => {
    const lead = await sentLead();
    expect(await cadenceStatus(lead.leadId)).toBe('active');
    const before = await leadStatus(lead.leadId);
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: "I'm out of the office until Monday, November 30, with limited access to email." });
    const [reply] = await replies();
    expect(reply).toMatchObject({ class: 'out_of_office', needs_response: false });
    expect(new Date(String(reply!.return_date)).toISOString()).toBe('2026-11-30T09:00:00.000Z');
    // Back Monday 30th; one business day later (business hours 8-18 UTC, Mon-Fri): Tuesday 1 December, 08:00.
    expect(new Date(String(reply!.paused_until)).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(await leadStatus(lead.leadId)).toBe(before);
    expect(await cadenceStatus(lead.leadId)).toBe('paused');
    expect(await actionsOf(reply!.id)).toEqual({ cadence_resume: 'pending', crm_tag: 'done', instantly_interest: 'done' });
    expect(h.sandboxes.instantly.interestUpdates().map((u) => u.interestValue)).toEqual([0]);
    expect(slack.messages).toHaveLength(0);

    h.clock.advance(7 * 24 * 3600_000); // Monday 30th 10:00: not yet
    await executor.runDue();
    expect(await cadenceStatus(lead.leadId)).toBe('paused');
    h.clock.advance(24 * 3600_000); // Tuesday 1 December 10:00
    expect(await executor.runDue()).toEqual({ done: 1 });
    expect(await cadenceStatus(lead.leadId)).toBe('active');
  });

  it('"not interested": the lead unsubscribed and suppressed (the spec\'s negative reply), tagged DNC, Instantly not interested, no alert', async () => {
    const lead = await sentLead();
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'Thanks for reaching out, but we are not interested.' });
    expect(await leadStatus(lead.leadId)).toBe('unsubscribed');
    expect(await h.stores.suppressions.isSuppressed(lead.email)).toBe(true);
    expect(contactOf(lead.email)?.tags).toEqual(expect.arrayContaining(['reply-not-interested', 'DNC']));
    expect(h.sandboxes.instantly.interestUpdates().map((u) => u.interestValue)).toEqual([-1]);
    expect(slack.messages).toHaveLength(0);
  });

  it('a referral naming an address: the referred person becomes a lead with the referrer on its timeline; a suppressed one does not', async () => {
    const lead = await sentLead();
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: "I'm not the right person for this. Please contact priya.shah@northwind-ops.example.com, she runs our ops team." });
    const [reply] = await replies();
    expect(reply).toMatchObject({ class: 'referral' });
    const [referred] = rowsOf(await database.db.execute(sql`select id, status, source from leads where email = 'priya.shah@northwind-ops.example.com'`));
    expect(referred).toMatchObject({ status: 'discovered', source: 'referral' });
    expect(reply!.referred_lead_id).toBe(referred!.id);
    const [event] = rowsOf(await database.db.execute(sql`select type, details from lead_events where lead_id = ${referred!.id}`));
    expect(event).toMatchObject({ type: 'referred_by_reply', details: expect.objectContaining({ referrerLeadId: lead.leadId }) });

    const other = await sentLead();
    await h.stores.suppressions.add('jo.nope@northwind-ops.example.com', 'unsubscribed');
    await postReply(other.email, { campaign_id: other.campaignId, reply_text: "I'm not the right person. Please contact jo.nope@northwind-ops.example.com instead." });
    expect(rowsOf(await database.db.execute(sql`select id from leads where email = 'jo.nope@northwind-ops.example.com'`))).toHaveLength(0);
    // An excluded domain (a customer) is not created either.
    const third = await sentLead();
    await postReply(third.email, { campaign_id: third.campaignId, reply_text: "I'm not the right person. Please contact sam@customer.example.com instead." });
    expect(rowsOf(await database.db.execute(sql`select id from leads where email = 'sam@customer.example.com'`))).toHaveLength(0);
  });

  it('a GoHighLevel outage: the reply and its status commit, the CRM action waits and is retried later, done once', async () => {
    const lead = await sentLead();
    h.sandboxes.ghl.setFailures({ status5xx: { count: 1000 }, path: '/contacts/upsert' });
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'Sounds interesting, tell me more.' });
    expect(await leadStatus(lead.leadId)).toBe('replied');
    const [reply] = await replies();
    expect(await actionsOf(reply!.id)).toEqual({ slack_hot_lead: 'done', crm_tag: 'failed', instantly_interest: 'done', reply_draft: 'done' });
    // The sweep before the retry is due does not call again.
    const calls = h.sandboxes.ghl.stats;
    const before = JSON.stringify(calls);
    await processor.processPending();
    expect(JSON.stringify(h.sandboxes.ghl.stats)).toBe(before);
    // GoHighLevel is back; the retry is due a minute later: the contact is tagged, once.
    h.sandboxes.ghl.setFailures({});
    h.clock.advance(61_000);
    await processor.processPending();
    expect(await actionsOf(reply!.id)).toEqual({ slack_hot_lead: 'done', crm_tag: 'done', instantly_interest: 'done', reply_draft: 'done' });
    expect(contactOf(lead.email)?.tags).toContain('reply-interested');
    expect(slack.messages).toHaveLength(1);
  });

  it('GoHighLevel down for good: after the retries a person is alerted and the action is marked for them; the reply is kept', async () => {
    const lead = await sentLead();
    h.sandboxes.ghl.setFailures({ status5xx: { count: 100_000 }, path: '/contacts/upsert' });
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'Sounds interesting, tell me more.' });
    const [reply] = await replies();
    for (let i = 0; i < 8; i++) {
      h.clock.advance(3600_000);
      await executor.runDue();
    }
    expect(await actionsOf(reply!.id)).toMatchObject({ crm_tag: 'needs_person' });
    expect(await replies()).toHaveLength(1);
  });

  it('Slack fails after the alert may have reached it: the alert is not posted again, a person decides', async () => {
    const lead = await sentLead();
    slack.setFailures({ status5xx: { count: 1 } });
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'Tuesday at 2pm works.' });
    const [reply] = await replies();
    expect(await actionsOf(reply!.id)).toMatchObject({ slack_hot_lead: 'uncertain' });
    h.clock.advance(3600_000);
    await executor.runDue();
    expect(slack.messages).toHaveLength(0);
    expect(await actionsOf(reply!.id)).toMatchObject({ slack_hot_lead: 'uncertain' });
  });

  it('a reply from an address we never wrote to: kept (unknown lead) with its understanding, nothing sent', async () => {
    const { status } = await postReply('stranger@nowhere.example.com', { reply_text: 'Tuesday at 2pm works, send an invite.' });
    expect(status).toBe(202);
    const [reply] = await replies();
    expect(reply).toMatchObject({ lead_id: null, class: 'meeting_request' });
    expect(rowsOf(await database.db.execute(sql`select status from webhook_inbox where id = ${reply!.inbox_id}`))[0]!.status).toBe('unknown_lead');
    expect(rowsOf(await database.db.execute(sql`select id from reply_actions`))).toHaveLength(0);
    expect(slack.messages).toHaveLength(0);
    expect(h.sandboxes.ghl.contacts().some((c) => c.email === 'stranger@nowhere.example.com')).toBe(false);
    expect(h.sandboxes.instantly.interestUpdates()).toHaveLength(0);
  });

  describe('bad input', () => {
    const cases: [string, Record<string, unknown>, { class: string; maxConfidence?: number }][] = [
      ['an empty reply', { reply_text: '' }, { class: 'question', maxConfidence: 0 }],
      ['a reply that is only a quoted thread', { reply_text: 'On Mon, Nov 23, 2026 at 9:00 AM Ann <ann@ours.example.com> wrote:\n> Hi, a quick question about your pipeline\n> thanks' }, { class: 'question', maxConfidence: 0 }],
      [
        'an HTML-only reply',
        { reply_text: null, reply_text_snippet: null, reply_html: '<html><body><div>Sounds good, tell me more.</div><div class="gmail_quote">On Mon wrote: <blockquote>hi</blockquote></div></body></html>' },
        { class: 'interested' },
      ],
      ['a 200 KB reply', { reply_text: `Sounds interesting, tell me more. ${'Our team has many thoughts on this topic. '.repeat(4800)}` }, { class: 'interested' }],
      ['a reply in French', { reply_text: "Bonjour, merci pour votre message. Pouvez-vous m'envoyer plus d'informations sur vos tarifs ?" }, { class: 'question', maxConfidence: 0.3 }],
    ];
    it.each(cases)('%s is stored with its understanding and followed through', async (_name, body, expected) => {
      const lead = await sentLead();
      const { status } = await postReply(lead.email, { campaign_id: lead.campaignId, ...body });
      expect(status).toBe(202);
      const [reply] = await replies();
      expect(reply).toMatchObject({ lead_id: lead.leadId, class: expected.class });
      if (expected.maxConfidence !== undefined) expect(Number(reply!.confidence)).toBeLessThanOrEqual(expected.maxConfidence);
      expect(String(reply!.excerpt).length).toBeLessThanOrEqual(280);
      // Still a reply: the lead replied, a person answers it.
      expect(await leadStatus(lead.leadId)).toBe('replied');
      expect(reply!.needs_response).toBe(true);
    });
  });

  it('a LinkedIn reply through HeyReach is understood and followed through (no Instantly call on LinkedIn)', async () => {
    const lead = await sentLead();
    const body = {
      eventType: 'MESSAGE_REPLY_RECEIVED',
      timestamp: h.clock.now().toISOString(),
      lead: { email_address: lead.email, profile_url: 'https://www.linkedin.com/in/example-someone' },
      message: { id: 'm-1', text: 'Sounds good, tell me more.' },
    };
    const res = await fetch(`${url}/webhooks/heyreach?secret=${HR_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await Promise.all(processing);
    expect(res.status).toBe(202);
    const [reply] = await replies();
    expect(reply).toMatchObject({ channel: 'linkedin', class: 'interested', lead_id: lead.leadId });
    expect(await actionsOf(reply!.id)).toEqual({ slack_hot_lead: 'done', crm_tag: 'done', reply_draft: 'done' });
    expect(await leadStatus(lead.leadId)).toBe('linkedin_replied');
  });
});
