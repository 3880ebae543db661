import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../../src/compose/follow-through.js';
import { processorFor } from '../../../src/compose/signals.js';
import { loadConfig } from '../../../src/config/load.js';
import { reviewPage } from '../../../src/server/pages/review-page.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { createReplyQueries } from '../../../src/store/replies-repo.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';
import type { Alert } from '../../../src/pipeline/ports.js';

const SECRET = 'inst-secret-0123456789';
const HR_SECRET = 'hr-secret-0123456789';
type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/**
 * Issue 17 item 3: every reply that needs an answer gets CRAFTER's suggested answer in the review
 * queue (a `reply:<class>` draft), with free slots from the GoHighLevel calendar sandbox, through the
 * production wiring (openApp, openDispatch, processorFor, the executor of compose/follow-through.ts,
 * the webhook door) and a fixed clock: Monday 2026-11-23 10:00 UTC, dispatch.timeZone UTC, business
 * hours 08-18 Monday-Friday. The sandbox calendar works 09-17 America/Denver (16:00-24:00 UTC in
 * winter), so the slots a UTC prospect can be offered are 16:00 and 17:30 UTC on weekdays.
 */
describe('reply drafts: a suggested answer for every reply that needs one', () => {
  let database: Database;
  let h: Harness;
  let processor: InboxProcessor;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];
  let n = 0;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const recorded = { count: 0 };
    processor = withFollowThroughActions(processorFor(h.app, recorded), followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch)), h.app.log, recorded);
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
    await h.close();
    await database.close();
  });

  const sentLead = async (overrides: { firstName?: string; lastName?: string } = {}) => {
    const lead = await h.approvedLead({ linkedin: false, ...overrides });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const campaign = h.sandboxes.instantly.campaigns().find((c) => h.sandboxes.instantly.leadsOf(c.id).some((l) => l.email === lead.email));
    return { ...lead, campaignId: String(campaign!.id) };
  };
  const postReply = async (email: string, body: Record<string, unknown>) => {
    const payload = { timestamp: h.clock.now().toISOString(), event_type: 'reply_received', lead_email: email, email_id: `reply-${++n}`, step: 1, reply_subject: 'Re: AI at your company', ...body };
    const res = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body: JSON.stringify(payload) });
    await Promise.all(processing);
    return res.status;
  };
  const replies = async () => rowsOf(await database.db.execute(sql`select * from replies order by created_at`));
  const replyDrafts = async () => rowsOf(await database.db.execute(sql`select * from drafts where angle_id like 'reply:%' order by created_at`));
  const actionOf = async (replyId: unknown) => rowsOf(await database.db.execute(sql`select status, last_error from reply_actions where reply_id = ${replyId} and kind = 'reply_draft'`))[0];
  const alerts = () => (h.app.alerts as unknown as { sent: Alert[] }).sent;
  /** The slot lines of a draft's body ("1. Monday, November 23 at 4:00 PM UTC"). */
  const slotLines = (body: string) => body.split('\n').filter((l) => /^\d\. /.test(l));

  it('a meeting request: a pending `reply:meeting_request` draft in the thread with three free weekday slots in business hours, shown under the reply in the review queue', async () => {
    const lead = await sentLead({ firstName: 'Maya', lastName: 'Rivera' });
    expect(await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: "Let's set up a call, send me a few times." })).toBe(202);
    const [reply] = await replies();
    expect(reply).toMatchObject({ class: 'meeting_request', needs_response: true });
    expect(await actionOf(reply!.id)).toMatchObject({ status: 'done' });
    const [draft] = await replyDrafts();
    expect(draft).toMatchObject({ lead_id: lead.leadId, angle_id: 'reply:meeting_request', run_id: `reply:${String(reply!.id)}`, status: 'pending_review', subject_a: 'Re: AI at your company' });
    const body = String(draft!.body);
    expect(body).toMatch(/^Hi Maya,/);
    // One slot per day, the earliest at least two hours ahead, never outside 08-18 UTC or on a weekend.
    expect(slotLines(body)).toEqual(['1. Monday, November 23 at 4:00 PM UTC', '2. Tuesday, November 24 at 4:00 PM UTC', '3. Wednesday, November 25 at 4:00 PM UTC']);
    const slots = (draft!.grounding as { claim: string; value: string }[]).filter((g) => g.claim === 'free slot').map((g) => g.value);
    expect(slots).toEqual(['2026-11-23T16:00:00.000Z', '2026-11-24T16:00:00.000Z', '2026-11-25T16:00:00.000Z']);
    expect(body, 'the booking link is offered beside the slots').toContain('https://caio.cx/book');
    // `caio replies list --json` names the draft.
    expect((await createReplyQueries(database.db).list())[0]).toMatchObject({ id: reply!.id, draftId: draft!.id });

    // The review queue shows the prospect's reply above the suggested answer.
    const page = await reviewPage(apiDepsOf(h));
    const quote = page.indexOf('Their reply (meeting_request)');
    expect(quote).toBeGreaterThan(-1);
    expect(page.indexOf('Let&#39;s set up a call', quote) > quote || page.indexOf("Let's set up a call", quote) > quote).toBe(true);
    expect(page.indexOf('Hi Maya,')).toBeGreaterThan(quote);

    // A replayed delivery, and the action run again: still one draft.
    expect(await processor.replay(String(reply!.inbox_id))).toBe('processed');
    await processor.processPending();
    expect(await replyDrafts()).toHaveLength(1);
  });

  it('booked slots and weekends are never offered: a Friday reply gets Friday after the booked 16:00, then Monday, not Saturday or Sunday', async () => {
    const lead = await sentLead();
    h.clock.advance(4 * 86_400_000); // Friday 2026-11-27 10:00 UTC
    // Someone booked Friday 16:00 UTC (09:00 in Denver) in the calendar sandbox.
    const ghl = h.sandboxes.ghl;
    const headers = { authorization: `Bearer ${ghl.apiKey}`, version: '2021-07-28', 'content-type': 'application/json' };
    const contact = (await (await fetch(`${ghl.url}/contacts/upsert`, { method: 'POST', headers, body: JSON.stringify({ locationId: ghl.locationId, email: 'booked@elsewhere.example.com' }) })).json()) as { contact: { id: string } };
    const booking = await fetch(`${ghl.url}/calendars/events/appointments`, {
      method: 'POST',
      headers: { ...headers, version: '2021-04-15' },
      body: JSON.stringify({ calendarId: ghl.calendarIds[0], locationId: ghl.locationId, contactId: contact.contact.id, startTime: '2026-11-27T09:00:00-07:00' }),
    });
    expect(booking.status).toBe(200);
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'Interested, tell me more.' });
    const [draft] = await replyDrafts();
    expect(slotLines(String(draft!.body))).toEqual(['1. Friday, November 27 at 4:30 PM UTC', '2. Monday, November 30 at 4:00 PM UTC', '3. Tuesday, December 1 at 4:00 PM UTC']);
  });

  it('a calendar outage: the reply is kept, the draft offers the booking link instead of slots, and a person is alerted', async () => {
    const lead = await sentLead();
    h.sandboxes.ghl.setFailures({ status5xx: { count: 100 }, path: `/calendars/${h.sandboxes.ghl.calendarIds[0]}/free-slots` });
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'Can we set up a call next week?' });
    const [reply] = await replies();
    expect(reply).toMatchObject({ class: 'meeting_request' });
    const [draft] = await replyDrafts();
    expect(draft).toMatchObject({ status: 'pending_review', angle_id: 'reply:meeting_request' });
    expect(slotLines(String(draft!.body))).toEqual([]);
    expect(String(draft!.body)).toContain('my booking page, where you can pick any time that suits you here: https://caio.cx/book');
    expect(alerts().some((a) => a.title.startsWith('Calendar unavailable') && a.metadata.replyId === reply!.id)).toBe(true);
  });

  it('an objection gets the answer for its kind; a question quotes it and leaves the answer to the reviewer', async () => {
    const lead = await sentLead();
    await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: 'We have no budget for this until next year.' });
    const other = await sentLead();
    await postReply(other.email, { campaign_id: other.campaignId, reply_text: 'How does this integrate with our CRM?' });
    const rows = await replyDrafts();
    const objection = rows.find((d) => d.lead_id === lead.leadId);
    expect(objection).toMatchObject({ angle_id: 'reply:objection', angle_reason: 'reply: objection (budget)' });
    expect(String(objection!.body)).toContain('Fair point on budget');
    const question = rows.find((d) => d.lead_id === other.leadId);
    expect(question).toMatchObject({ angle_id: 'reply:question' });
    expect(String(question!.body)).toContain('Thanks for asking: "How does this integrate with our CRM?"');
    expect(String(question!.body)).toContain('[Reviewer: answer the question here');
  });

  it('no draft for a reply with no lead, for a suppressed lead, or for a class that needs no answer', async () => {
    await postReply('stranger@nowhere.example.com', { reply_text: 'Tuesday at 2pm works, send an invite.' });
    expect(await replyDrafts()).toHaveLength(0);
    expect(rowsOf(await database.db.execute(sql`select id from reply_actions where kind = 'reply_draft'`))).toHaveLength(0);

    const suppressed = await sentLead();
    await h.stores.suppressions.add(suppressed.email, 'manual');
    await postReply(suppressed.email, { campaign_id: suppressed.campaignId, reply_text: 'Interested, tell me more.' });
    const [, reply] = await replies();
    expect(await actionOf(reply!.id)).toMatchObject({ status: 'skipped', last_error: 'the lead is suppressed' });

    const away = await sentLead();
    await postReply(away.email, { campaign_id: away.campaignId, reply_text: 'I am out of the office until December 1 with limited access to email.' });
    expect(await replyDrafts()).toHaveLength(0);
  });

  describe('once approved, sent in the same thread through the send gateway', () => {
    const ACCOUNT = 'alex@outreach-one.example.com';
    const approve = (draftId: unknown, edit?: { body: string }) => apiDepsOf(h).review.approve({ draftId: String(draftId), by: 'Dani', ...(edit ? { edit } : {}) });
    const outboxOf = async (draftId: unknown) => rowsOf(await database.db.execute(sql`select * from outbox where dedup_key = ${`reply:${String(draftId)}`}`));
    const drain = () => h.gateway.drain({ dryRun: false, limit: 50 });

    /** An e-mail reply whose id the Instantly sandbox knows (as a reply_received webhook names it). */
    const emailReply = async (text: string) => {
      const lead = await sentLead({ firstName: 'Maya', lastName: 'Rivera' });
      const received = h.sandboxes.instantly.receiveEmail({ lead: lead.email, eaccount: ACCOUNT, subject: 'Re: AI at your company', text });
      await postReply(lead.email, { campaign_id: lead.campaignId, reply_text: text, email_id: received.id, email_account: ACCOUNT });
      const [draft] = (await replyDrafts()).filter((d) => d.lead_id === lead.leadId);
      return { lead, received, draft: draft! };
    };

    it("e-mail: Instantly's reply endpoint answers the received e-mail, once; a second drain sends nothing", async () => {
      const { lead, received, draft } = await emailReply("Let's set up a call, send me a few times.");
      await approve(draft.id);
      await processor.processPending(); // the sweep queues approved answers
      const [item] = await outboxOf(draft.id);
      expect(item).toMatchObject({ channel: 'instantly', step: 'reply', status: 'queued', subject: 'Re: AI at your company' });
      const report = await drain();
      expect(report.items.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'sent' });
      const sent = h.sandboxes.instantly.sentReplies();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ reply_to_uuid: received.id, thread_id: received.thread_id, eaccount: ACCOUNT, subject: 'Re: AI at your company' });
      expect(sent[0]!.body.text).toContain('1. Monday, November 23 at 4:00 PM UTC');
      await processor.processPending();
      await drain();
      expect(h.sandboxes.instantly.sentReplies()).toHaveLength(1);
      expect(await outboxOf(draft.id)).toHaveLength(1);
      // Our answer does not restart the cold cadence nor move the lead back from `replied`.
      const [state] = rowsOf(await database.db.execute(sql`select l.status, c.status as cadence from leads l left join cadence_enrollments c on c.lead_id = l.id where l.id = ${lead.leadId}::uuid`));
      expect(state).toEqual({ status: 'replied', cadence: 'exited' });
      // The answer is on the lead's timeline once, moving nothing: the conversation shows both sides.
      const answers = rowsOf(await database.db.execute(sql`select channel, from_status, to_status, details->>'outboxId' as outbox from lead_events where lead_id = ${lead.leadId}::uuid and type = 'reply_answer_sent'`));
      expect(answers).toEqual([{ channel: 'email', from_status: null, to_status: null, outbox: item!.id }]);
    });

    it('e-mail: a reply call that may have reached Instantly is never repeated; a person decides', async () => {
      const { draft } = await emailReply('Interested, tell me more.');
      await approve(draft.id);
      await processor.processPending();
      h.sandboxes.instantly.setFailures({ status5xx: { count: 1 }, path: '/api/v2/emails/reply' });
      const first = await drain();
      const [item] = await outboxOf(draft.id);
      expect(first.items.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'uncertain' });
      h.clock.advance(3600_000);
      await drain();
      expect((await outboxOf(draft.id))[0]).toMatchObject({ status: 'uncertain' });
      expect(h.sandboxes.instantly.sentReplies()).toHaveLength(0);
    });

    it('a lead suppressed after approval: the answer is refused by the gateway, nothing sent', async () => {
      const { lead, draft } = await emailReply('Interested, tell me more.');
      await approve(draft.id);
      await h.stores.suppressions.add(lead.email, 'manual');
      await processor.processPending();
      await drain();
      expect((await outboxOf(draft.id))[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('suppressed') });
      expect(h.sandboxes.instantly.sentReplies()).toHaveLength(0);
    });

    it("a question's answer approved with the reviewer's placeholder still in is not sent; a person is alerted", async () => {
      const { draft } = await emailReply('How does this integrate with our CRM?');
      expect(String(draft.body)).toContain('[Reviewer:');
      await approve(draft.id);
      await processor.processPending();
      expect((await outboxOf(draft.id))[0]).toMatchObject({ status: 'rejected', reason: 'reviewer_placeholder' });
      expect(alerts().some((a) => a.title === 'An approved reply cannot be sent' && a.metadata.draftId === draft.id)).toBe(true);
      await drain();
      expect(h.sandboxes.instantly.sentReplies()).toHaveLength(0);
    });

    /**
     * An edit is checked by the rules of the answer's own kind (src/domain/drafting/edit-rules.ts),
     * through the review API the review queue and /replies/<id> post to: a LinkedIn answer has no
     * e-mail footer and never went through the first-touch guard, so an edit without one is kept;
     * an e-mail answer must keep its footer; a template placeholder or the reviewer's line is refused in either.
     */
    it('editing a suggested answer on approval: LinkedIn needs no footer, e-mail keeps it, placeholders are refused', async () => {
      const TOKEN = 'reply-edit-dashboard-token-0123456789';
      const api = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
      try {
        const approveOver = (draftId: unknown, body: Record<string, unknown>) =>
          api.inject({ method: 'POST', url: `/api/emails/${String(draftId)}/approve`, headers: { 'x-dashboard-token': TOKEN }, payload: { by: 'Dani', expectedStatus: 'pending_review', ...body } });
        const lead = await sentLead({ firstName: 'Jo', lastName: 'Park' });
        const profileUrl = 'https://www.linkedin.com/in/jo-park-example';
        h.sandboxes.heyreach.receiveMessage({ profileUrl, firstName: 'Jo', lastName: 'Park', text: 'How does this work with our ERP?' });
        const body = { eventType: 'MESSAGE_REPLY_RECEIVED', timestamp: h.clock.now().toISOString(), lead: { email_address: lead.email, profile_url: profileUrl }, message: { id: 'm-2', text: 'How does this work with our ERP?' } };
        await fetch(`${url}/webhooks/heyreach?secret=${HR_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        await Promise.all(processing);
        const [linkedin] = (await replyDrafts()).filter((d) => d.lead_id === lead.leadId);
        expect(linkedin).toMatchObject({ angle_id: 'reply:question', status: 'pending_review' });
        expect(String(linkedin!.body)).toContain('[Reviewer:');

        // The reviewer's line left in, or a template placeholder: refused, and the draft still waits.
        const kept = await approveOver(linkedin!.id, { body: String(linkedin!.body).replace('Thanks for asking', 'Thank you for asking') });
        expect(kept.statusCode, kept.body).toBe(400);
        expect(kept.json<{ error: string }>().error).toContain('REPLY-PLACEHOLDER');
        const templated = await approveOver(linkedin!.id, { body: 'Hi {{firstName}},\n\nIt syncs with most ERPs through their API.\n\nAlex' });
        expect(templated.statusCode, templated.body).toBe(400);
        expect(templated.json<{ error: string }>().error).toContain('PERS-001');
        expect(templated.json<{ error: string }>().error).not.toContain('FOOTER-');

        // Filled in, no footer (a LinkedIn message has none), no personalisation evidence: approved, and the edit is what goes out.
        const answer = 'Hi Jo,\n\nIt syncs with most ERPs through their API; we can walk through yours on a short call.\n\nAlex';
        const approved = await approveOver(linkedin!.id, { body: answer });
        expect(approved.statusCode, approved.body).toBe(200);
        expect(approved.json()).toMatchObject({ status: 'approved', editedBody: answer });
        await processor.processPending();
        expect((await outboxOf(linkedin!.id))[0]).toMatchObject({ channel: 'heyreach', step: 'reply', status: 'queued', body: answer });

        // An e-mail answer keeps the e-mail rules: an edit that drops the footer is refused; one that keeps it, with no
        // first-touch personalisation evidence, is approved (the guard's rules are for cold first touches).
        const { draft: email } = await emailReply('How does this integrate with our CRM?');
        const filled = String(email.body).replace(/\[Reviewer:[^\]]*\]/, 'It syncs through the CRM API.');
        const noFooter = await approveOver(email.id, { body: filled.slice(0, filled.indexOf('It syncs through the CRM API.') + 30) });
        expect(noFooter.statusCode, noFooter.body).toBe(400);
        expect(noFooter.json<{ error: string }>().error).toMatch(/FOOTER-ADDRESS.*FOOTER-UNSUBSCRIBE/);
        const withReviewerLine = await approveOver(email.id, { body: String(email.body).replace('Thanks for asking', 'Thank you for asking') });
        expect(withReviewerLine.json<{ error: string }>().error).toContain('REPLY-PLACEHOLDER');
        const ok = await approveOver(email.id, { body: filled });
        expect(ok.statusCode, ok.body).toBe(200);
        expect(ok.json()).toMatchObject({ status: 'approved', editedBody: filled });
        // Every refusal is audited with the rules that refused it.
        const refusals = rowsOf(await database.db.execute(sql`select details->'rules' as rules from audit_log where action = 'review.approve_refused' and entity_id in (${String(linkedin!.id)}, ${String(email.id)}) order by at, id`));
        expect(refusals.map((r) => r.rules)).toEqual([['REPLY-PLACEHOLDER'], ['PERS-001'], ['FOOTER-ADDRESS', 'FOOTER-UNSUBSCRIBE'], ['REPLY-PLACEHOLDER']]);
      } finally {
        await api.close();
      }
    });

    it("LinkedIn: HeyReach's conversation is fetched fresh (old ids are stale) and the message sent in it, after the cross-channel cap", async () => {
      const lead = await sentLead({ firstName: 'Jo', lastName: 'Park' });
      const profileUrl = 'https://www.linkedin.com/in/jo-park-example';
      const hr = h.sandboxes.heyreach;
      const first = hr.receiveMessage({ profileUrl, firstName: 'Jo', lastName: 'Park', text: 'Sounds good, tell me more.' });
      const body = { eventType: 'MESSAGE_REPLY_RECEIVED', timestamp: h.clock.now().toISOString(), lead: { email_address: lead.email, profile_url: profileUrl }, message: { id: 'm-1', text: 'Sounds good, tell me more.' } };
      await fetch(`${url}/webhooks/heyreach?secret=${HR_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await Promise.all(processing);
      const [draft] = await replyDrafts();
      expect(draft).toMatchObject({ angle_id: 'reply:interested' });
      expect(String(draft!.body)).not.toContain('Unsubscribe');
      await approve(draft!.id);
      await processor.processPending();
      const [item] = await outboxOf(draft!.id);
      expect(item).toMatchObject({ channel: 'heyreach', step: 'reply', recipient: 'linkedin.com/in/jo-park-example', status: 'queued' });
      // The lead had an e-mail today: the cross-channel cap holds the LinkedIn answer until tomorrow.
      expect((await drain()).items.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'deferred', reason: 'cross_channel_cap' });
      h.clock.advance(86_400_000);
      hr.rotateConversationIds();
      expect((await drain()).items.find((i) => i.outboxId === item!.id)).toMatchObject({ outcome: 'sent' });
      const sent = hr.sentMessages();
      expect(sent).toHaveLength(1);
      expect(sent[0]!.conversationId).not.toBe(first.id);
      expect(sent[0]).toMatchObject({ profileUrl, linkedInAccountId: first.linkedInAccountId });
      expect(sent[0]!.message).toMatch(/^Hi Jo,/);
      expect(rowsOf(await database.db.execute(sql`select channel from lead_events where type = 'reply_answer_sent' and details->>'outboxId' = ${item!.id}`))).toEqual([{ channel: 'linkedin' }]);
    });
  });
});
