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

  it("a meeting request in the nurture thread: stored with its class, replied, cadence exited, HOT LEAD, GHL contact tagged; the answer is a person's in GoHighLevel (no draft, no booking, no Instantly call); a redelivery is stored once", async () => {
    const lead = await nurturedLead({ firstName: 'Maya', lastName: 'Rivera' });
    const { message, status } = await reply(lead.email, '<div>Thanks Jordan, Tuesday at 2pm works, send an invite.</div><div class="gmail_quote">On Mon Jordan wrote: <blockquote>Hi, when we spoke</blockquote></div>');
    expect(status).toBe(202);
    expect(message.threadId, 'the reply joins the nurture thread').toBe(h.sandboxes.ghl.sentEmails()[0]!.emailMessageId);

    const [stored] = await replies();
    expect(stored).toMatchObject({ lead_id: lead.leadId, channel: 'email', class: 'meeting_request', needs_response: true });
    expect(stored!.proposed_times).toEqual([expect.objectContaining({ at: '2026-11-24T14:00:00.000Z' })]);
    expect(String(stored!.excerpt)).not.toContain('when we spoke');
    expect(await leadStatus(lead.leadId)).toBe('replied');
    expect(await cadenceStatus(lead.leadId)).toBe('exited');

    expect(await actionsOf(stored!.id)).toEqual({ slack_hot_lead: 'done', crm_tag: 'done', reply_draft: 'needs_person' });
    const [answer] = rowsOf(await database.db.execute(sql`select payload, last_error from reply_actions where reply_id = ${stored!.id} and kind = 'reply_draft'`));
    expect(answer!.payload).toMatchObject({ answerIn: 'GoHighLevel', class: 'meeting_request', proposedTimes: 1 });
    expect(String(answer!.last_error)).toContain('answer in GoHighLevel');
    expect(rowsOf(await database.db.execute(sql`select id from drafts where run_id = ${`reply:${String(stored!.id)}`}`)), 'no draft that could never be sent').toHaveLength(0);
    expect(h.sandboxes.ghl.appointments()).toHaveLength(0);
    expect(h.sandboxes.instantly.interestUpdates()).toHaveLength(0);
    expect(h.sandboxes.ghl.contacts().find((c) => c.email === lead.email)?.tags).toContain('reply-meeting-request');
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.text).toContain('HOT LEAD: Maya Rivera');

    // A person is told where to answer (the reply's link, never the person), and /replies and its API show it.
    const alerts = (h.app.alerts as unknown as { sent: Alert[] }).sent.filter((a) => a.metadata.answerIn === 'GoHighLevel');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.body).toContain(`/replies/${String(stored!.id)}`);
    expect(JSON.stringify(alerts[0])).not.toContain(lead.email);
    const api = apiDepsOf(h);
    const shown = await api.replies.show(String(stored!.id));
    expect(shown?.answerByHand).toEqual({ in: 'GoHighLevel', status: 'needs_person' });
    expect(shown?.suggestedAnswer).toBeNull();
    const page = await replyPage(api, String(stored!.id));
    expect(page.body).toContain('data-answer-by-hand="GoHighLevel"');
    expect(page.body).toContain('Answer it in GoHighLevel.');
    expect(page.body).not.toContain('CRAFTER writes one');

    // GHL runs the action again with the same message: acknowledged as a duplicate, stored once, nothing called again.
    const again = await post(message);
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect(await replies()).toHaveLength(1);
    expect((await inbox()).filter((r) => r.provider === 'ghl')).toHaveLength(1);
    expect(slack.messages).toHaveLength(1);
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
