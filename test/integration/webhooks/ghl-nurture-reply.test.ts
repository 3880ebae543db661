import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../../src/compose/follow-through.js';
import { processorFor } from '../../../src/compose/signals.js';
import { loadConfig } from '../../../src/config/load.js';
import type { OutboxItem } from '../../../src/dispatch/ports.js';
import type { Alert } from '../../../src/pipeline/ports.js';
import { startSlackSandbox } from '../../../src/providers/sandbox/slack/server.js';
import { buildApp } from '../../../src/server/app.js';
import { replyPage } from '../../../src/server/pages/replies-page.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const SECRET = 'ghl-secret-0123456789';
type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/**
 * A prospect's answer to a GoHighLevel nurture e-mail (docs/replies.md "GoHighLevel nurture
 * replies"): the GHL sandbox's workflow "Custom Webhook" action posts the InboundMessage with our
 * token header to POST /webhooks/ghl, served by the production door (webhookRoutes) and processed
 * by the production processor with its follow-through (processorFor, the executor), on the
 * harness's clock (Monday 2026-11-23 10:00 UTC).
 */
describe('GoHighLevel nurture replies: the workflow webhook is a reply, understood and followed through', () => {
  let database: Database;
  let h: Harness;
  let slack: Awaited<ReturnType<typeof startSlackSandbox>>;
  let processor: InboxProcessor;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];
  let n = 0;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    slack = await startSlackSandbox();
    const executor = followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch, { slackWebhookUrl: slack.url }));
    const recorded = { count: 0 };
    processor = withFollowThroughActions(processorFor(h.app, recorded), executor, silentLog, recorded);
    const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { GHL_WEBHOOK_SECRET: SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    const routes = webhookRoutes({ config, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const app = buildApp({ routes, maxBodyBytes: 1024 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closeReceiver = () => app.close();
    // The location's workflow: trigger "Customer Replied" (e-mail), action "Custom Webhook" with our header.
    h.sandboxes.ghl.setWorkflowWebhook({ url: `${url}/webhooks/ghl`, headers: { 'X-Caio-Webhook-Token': SECRET } });
  });
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    await closeReceiver();
    await slack.close();
    await h.close();
    await database.close();
  });

  /** A lead we wrote to (Instantly, its cadence enrolled), then sent a nurture e-mail through GoHighLevel's production channel. */
  const nurturedLead = async (overrides: { firstName?: string; lastName?: string } = {}) => {
    const lead = await h.approvedLead({ linkedin: false, ...overrides });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'Dani' });
    const item = {
      id: `nurture-${++n}`,
      leadId: lead.leadId,
      channel: 'ghl',
      step: 'nurture',
      recipient: lead.email,
      subject: 'Picking our conversation back up',
      body: '<p>Hi, when we spoke in October…</p>',
      payload: { firstName: overrides.firstName ?? null, lastName: overrides.lastName ?? null },
      sender: 'Jordan Example <jordan@nurture.example.com>',
    } as unknown as OutboxItem;
    await h.real.ghl.deliver(item, h.app.clock.now());
    expect(h.sandboxes.ghl.sentEmails().filter((e) => e.to === lead.email)).toHaveLength(1);
    return lead;
  };

  /** The prospect answers in the nurture thread: the sandbox's workflow posts it; processing awaited. */
  const reply = async (email: string, html: string) => {
    const sent = await h.sandboxes.ghl.receiveReply({ email, html });
    await Promise.all(processing);
    return sent;
  };
  const post = async (body: unknown, headers: Record<string, string> = { 'x-caio-webhook-token': SECRET }) => {
    const res = await fetch(`${url}/webhooks/ghl`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    await Promise.all(processing);
    return { status: res.status, body: (await res.json()) as Row };
  };

  const replies = async () => rowsOf(await database.db.execute(sql`select * from replies order by created_at`));
  const inbox = async () => rowsOf(await database.db.execute(sql`select provider, event_type, status, error from webhook_inbox order by received_at, id`));
  const actionsOf = async (replyId: unknown) => Object.fromEntries(rowsOf(await database.db.execute(sql`select kind, status from reply_actions where reply_id = ${replyId}`)).map((r) => [String(r.kind), r.status]));
  const leadStatus = async (id: string) => String(rowsOf(await database.db.execute(sql`select status from leads where id = ${id}::uuid`))[0]!.status);
  const cadenceStatus = async (id: string) => String(rowsOf(await database.db.execute(sql`select status from cadence_enrollments where lead_id = ${id}::uuid`))[0]?.status);

  const drafts = async (replyId: unknown) => rowsOf(await database.db.execute(sql`select * from drafts where run_id = ${`reply:${String(replyId)}`} order by created_at, version`));
  /** A person approves the answer some minutes after it came (the gateway's minimum delay between e-mails counts from the nurture batch's sends). */
  const approve = async (draftId: unknown, edit?: { body: string }) => {
    h.clock.advance(10 * 60_000);
    return apiDepsOf(h).review.approve({ draftId: String(draftId), by: 'Dani', ...(edit ? { edit } : {}) });
  };
  const outboxOf = async (draftId: unknown) => rowsOf(await database.db.execute(sql`select * from outbox where dedup_key = ${`reply:${String(draftId)}`}`));
  const drain = () => h.gateway.drain({ dryRun: false, limit: 50 });
  /** The e-mails GoHighLevel sent in a thread as answers (the nurture e-mail itself starts the thread). */
  const answersIn = (threadId: string) => h.sandboxes.ghl.sentEmails().filter((e) => e.threadId === threadId);

  it("a meeting request in the nurture thread: stored with its class, replied, cadence exited, HOT LEAD, GHL contact tagged, CRAFTER's answer in the review queue (no Instantly call); a redelivery is stored once", async () => {
    const lead = await nurturedLead({ firstName: 'Maya', lastName: 'Rivera' });
    const { message, status } = await reply(lead.email, '<div>Thanks Jordan, happy to talk, send me a few times.</div><div class="gmail_quote">On Mon Jordan wrote: <blockquote>Hi, when we spoke</blockquote></div>');
    expect(status).toBe(202);
    expect(message.threadId, 'the reply joins the nurture thread').toBe(h.sandboxes.ghl.sentEmails()[0]!.emailMessageId);

    const [stored] = await replies();
    expect(stored).toMatchObject({ lead_id: lead.leadId, channel: 'email', class: 'meeting_request', needs_response: true });
    expect(String(stored!.excerpt)).not.toContain('when we spoke');
    expect(await leadStatus(lead.leadId)).toBe('replied');
    expect(await cadenceStatus(lead.leadId)).toBe('exited');

    expect(await actionsOf(stored!.id)).toEqual({ slack_hot_lead: 'done', crm_tag: 'done', reply_draft: 'done' });
    const [draft] = await drafts(stored!.id);
    expect(draft).toMatchObject({ status: 'pending_review', angle_id: 'reply:meeting_request', subject_a: 'Re: Picking our conversation back up' });
    expect(String(draft!.body)).toContain('1. Monday, November 23 at 4:00 PM UTC');
    expect(h.sandboxes.instantly.interestUpdates()).toHaveLength(0);
    expect(h.sandboxes.ghl.contacts().find((c) => c.email === lead.email)?.tags).toContain('reply-meeting-request');
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.text).toContain('HOT LEAD: Maya Rivera');
    expect((h.app.alerts as unknown as { sent: Alert[] }).sent.filter((a) => a.metadata.kind === 'reply_draft')).toEqual([]);

    // /replies and its API show the suggested answer; nothing tells a person to answer elsewhere.
    const api = apiDepsOf(h);
    const shown = await api.replies.show(String(stored!.id));
    expect(shown?.suggestedAnswer).toMatchObject({ id: String(draft!.id), status: 'pending_review' });
    expect(shown).not.toHaveProperty('answerByHand');
    const page = await replyPage(api, String(stored!.id));
    expect(page.body).not.toContain('Answer it in GoHighLevel');
    expect(page.body).toContain('Suggested answer');

    // GHL runs the action again with the same message: acknowledged as a duplicate, stored once, nothing called again.
    const again = await post(message);
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(await replies()).toHaveLength(1);
    expect(await drafts(stored!.id)).toHaveLength(1);
    expect((await inbox()).filter((r) => r.provider === 'ghl')).toHaveLength(1);
    expect(slack.messages).toHaveLength(1);
  });

  it('the approved answer goes through the send gateway into the GoHighLevel thread (threadId, the e-mail answered, reply mode), once; a second drain sends nothing', async () => {
    const lead = await nurturedLead({ firstName: 'Maya', lastName: 'Rivera' });
    const { message } = await reply(lead.email, '<p>Interesting. Happy to talk, send me a few times.</p>');
    const [stored] = await replies();
    const [draft] = await drafts(stored!.id);
    await approve(draft!.id);
    await processor.processPending(); // the sweep queues approved answers
    const [item] = await outboxOf(draft!.id);
    expect(item).toMatchObject({ channel: 'ghl', step: 'reply', status: 'queued', subject: 'Re: Picking our conversation back up', recipient: lead.email });
    expect(item!.payload).toMatchObject({ thread: { contactId: message.contactId, threadId: message.threadId, replyMessageId: message.emailMessageId, conversationId: message.conversationId } });

    const report = await drain();
    expect(report.items.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'sent' });
    const sent = answersIn(message.threadId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      contactId: message.contactId,
      conversationId: message.conversationId,
      threadId: message.threadId,
      replyMessageId: message.emailMessageId,
      emailReplyMode: 'reply',
      subject: 'Re: Picking our conversation back up',
      to: lead.email,
    });
    expect(sent[0]!.text).toContain('1. Monday, November 23 at 4:00 PM UTC');
    expect(sent[0]!.html).toContain('<p>');
    expect((await outboxOf(draft!.id))[0]).toMatchObject({ status: 'sent', provider_ref: `ghl:message:${sent[0]!.messageId}` });

    await processor.processPending();
    await drain();
    expect(answersIn(message.threadId)).toHaveLength(1);
    expect(await outboxOf(draft!.id)).toHaveLength(1);
    // Our answer moves nothing: the lead stays replied, the cold cadence stays left; the answer is on the timeline once.
    expect(await leadStatus(lead.leadId)).toBe('replied');
    expect(await cadenceStatus(lead.leadId)).toBe('exited');
    const answers = rowsOf(await database.db.execute(sql`select channel, details->>'outboxId' as outbox from lead_events where lead_id = ${lead.leadId}::uuid and type = 'reply_answer_sent'`));
    expect(answers).toEqual([{ channel: 'email', outbox: item!.id }]);

    // The prospect answers again: the thread is the same one.
    const { message: second } = await reply(lead.email, '<p>Thanks, I will pick one tomorrow.</p>');
    expect(second.threadId).toBe(message.threadId);
  });

  it('"Tuesday at 4pm works": the SCHEDULER books it on the GoHighLevel calendar, meeting_booked; the approved confirmation goes out in the thread', async () => {
    const lead = await nurturedLead({ firstName: 'Maya', lastName: 'Rivera' });
    const { message } = await reply(lead.email, '<p>Tuesday at 4pm works, send an invite.</p>');
    const [stored] = await replies();
    expect(await actionsOf(stored!.id)).toMatchObject({ book_meeting: 'done' });
    const booked = h.sandboxes.ghl.appointments();
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ contactId: message.contactId });
    expect(Date.parse(booked[0]!.startTime)).toBe(Date.parse('2026-11-24T16:00:00Z'));
    expect(await leadStatus(lead.leadId)).toBe('meeting_booked');
    const [confirmation] = await drafts(stored!.id);
    expect(confirmation).toMatchObject({ status: 'pending_review', angle_id: 'reply:meeting_request' });
    expect(String(confirmation!.body)).toContain('Tuesday, November 24 at 4:00 PM UTC works on my side');

    await approve(confirmation!.id);
    await processor.processPending();
    await drain();
    const sent = answersIn(message.threadId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ replyMessageId: message.emailMessageId, emailReplyMode: 'reply' });
    expect(sent[0]!.text).toContain('Tuesday, November 24 at 4:00 PM UTC works on my side');
    expect(await leadStatus(lead.leadId), 'the confirmation does not move the lead back').toBe('meeting_booked');
    await drain();
    expect(answersIn(message.threadId)).toHaveLength(1);
    expect(h.sandboxes.ghl.appointments()).toHaveLength(1);
  });

  it('an answer whose call reached GoHighLevel but whose answer was lost is found in the conversation, never sent twice', async () => {
    const lead = await nurturedLead();
    const { message } = await reply(lead.email, '<p>Interesting, tell me more and send me a few times.</p>');
    const [stored] = await replies();
    const [draft] = await drafts(stored!.id);
    await approve(draft!.id);
    await processor.processPending();
    h.sandboxes.ghl.loseAnswers({ count: 1, path: '/conversations/messages' });
    const first = await drain();
    const [item] = await outboxOf(draft!.id);
    expect(first.items.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'uncertain' });
    expect(answersIn(message.threadId), 'GoHighLevel did send it').toHaveLength(1);

    // The next drain reads the conversation back before anything else: found, marked sent, not resent.
    const second = await drain();
    expect(second.reconciled.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'sent', providerRef: `ghl:message:${answersIn(message.threadId)[0]!.messageId}` });
    expect((await outboxOf(draft!.id))[0]).toMatchObject({ status: 'sent' });
    await drain();
    expect(answersIn(message.threadId)).toHaveLength(1);
  });

  it('an answer whose call never reached GoHighLevel is read back as absent, queued again and sent once', async () => {
    const lead = await nurturedLead();
    const { message } = await reply(lead.email, '<p>Interesting, tell me more and send me a few times.</p>');
    const [stored] = await replies();
    const [draft] = await drafts(stored!.id);
    await approve(draft!.id);
    await processor.processPending();
    h.sandboxes.ghl.setFailures({ status5xx: { count: 1 }, path: '/conversations/messages' });
    const first = await drain();
    const [item] = await outboxOf(draft!.id);
    expect(first.items.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'uncertain' });
    expect(answersIn(message.threadId)).toHaveLength(0);

    const second = await drain();
    expect(second.reconciled.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'deferred', reason: 'reconciled: not at the provider, queued again' });
    h.clock.advance(60_000);
    await drain();
    await drain();
    expect(answersIn(message.threadId)).toHaveLength(1);
    expect((await outboxOf(draft!.id))[0]).toMatchObject({ status: 'sent' });
  });

  it('an answer whose thread cannot be named (the workflow sent no threadId or message id) is refused as thread_unknown; a person is alerted, nothing sent', async () => {
    const lead = await nurturedLead();
    h.sandboxes.ghl.setWorkflowWebhook(null);
    const { message } = await h.sandboxes.ghl.receiveReply({ email: lead.email, html: '<p>Interesting, tell me more and send me a few times.</p>' });
    const { threadId: _t, emailMessageId: _e, messageId: _m, ...bare } = message;
    expect((await post(bare)).status).toBe(202);
    const [stored] = await replies();
    const [draft] = await drafts(stored!.id);
    await approve(draft!.id);
    await processor.processPending();
    expect((await outboxOf(draft!.id))[0]).toMatchObject({ channel: 'ghl', status: 'rejected', reason: 'thread_unknown' });
    expect((h.app.alerts as unknown as { sent: Alert[] }).sent.some((a) => a.title === 'An approved reply cannot be sent' && a.metadata.draftId === String(draft!.id))).toBe(true);
    await drain();
    expect(h.sandboxes.ghl.sentEmails().filter((e) => e.threadId)).toHaveLength(0);
  });

  it('"not interested" through GoHighLevel: unsubscribed and suppressed, tagged DNC; no answer is asked for', async () => {
    const lead = await nurturedLead();
    await reply(lead.email, '<p>Thanks, but we are not interested.</p>');
    const [stored] = await replies();
    expect(stored).toMatchObject({ class: 'not_interested', needs_response: false });
    expect(await leadStatus(lead.leadId)).toBe('unsubscribed');
    expect(await h.stores.suppressions.isSuppressed(lead.email)).toBe(true);
    expect(await actionsOf(stored!.id)).toEqual({ crm_tag: 'done' });
    expect(h.sandboxes.ghl.contacts().find((c) => c.email === lead.email)?.tags).toEqual(expect.arrayContaining(['reply-not-interested', 'DNC']));
  });

  it('a wrong or missing token: 401, nothing stored', async () => {
    const lead = await nurturedLead();
    h.sandboxes.ghl.setWorkflowWebhook({ url: `${url}/webhooks/ghl`, headers: { 'X-Caio-Webhook-Token': 'not-the-secret-000000' } });
    const wrong = await reply(lead.email, '<p>Sounds interesting, tell me more.</p>');
    expect(wrong.status).toBe(401);
    const missing = await post(wrong.message, {});
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: 'SIGNATURE_MISSING' });
    // An RSA signature header is not our proof (we cannot verify GHL's key offline).
    expect((await post(wrong.message, { 'x-wh-signature': 'c2lnbmF0dXJl' })).status).toBe(401);
    expect(await inbox()).toEqual([]);
    expect(await replies()).toEqual([]);
    expect(await leadStatus(lead.leadId)).not.toBe('replied');
  });

  it('an outbound message, an SMS, an unknown type: 200, kept as ignored with the reason, nothing acted on', async () => {
    const lead = await nurturedLead();
    // The message's shape, not delivered (no workflow action): the variants below are posted instead.
    h.sandboxes.ghl.setWorkflowWebhook(null);
    const { message, status } = await h.sandboxes.ghl.receiveReply({ email: lead.email, html: '<p>Tell me more.</p>' });
    expect(status).toBe(0);
    const before = await leadStatus(lead.leadId);
    const outbound = await post({ ...message, type: 'OutboundMessage', direction: 'outbound', emailMessageId: 'eml-out-1' });
    const sms = await post({ ...message, messageType: 'SMS', emailMessageId: undefined, messageId: 'msg-sms-1' });
    const unknown = await post({ type: 'ContactCreate', contactId: message.contactId, locationId: message.locationId });
    for (const answer of [outbound, sms, unknown]) expect(answer).toMatchObject({ status: 200, body: { status: 'ignored' } });
    expect(outbound.body.reason).toContain('outbound');
    expect(sms.body.reason).toContain('SMS');
    expect(unknown.body.reason).toContain('ContactCreate');
    expect((await inbox()).map((r) => r.status)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(await replies()).toEqual([]);
    expect(await leadStatus(lead.leadId)).toBe(before);
  });

  it('the health route says a secret is configured (never the secret)', async () => {
    const res = await fetch(`${url}/webhooks/ghl/health`);
    const body = await res.json();
    expect(body).toEqual({ status: 'ok', provider: 'ghl', secretConfigured: true, signatureRequired: true, accepting: true });
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });
});
