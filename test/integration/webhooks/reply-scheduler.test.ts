import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { bookReplyByHand, followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../../../src/compose/follow-through.js';
import { reviewServiceFor } from '../../../src/compose/review.js';
import { processorFor } from '../../../src/compose/signals.js';
import { loadConfig } from '../../../src/config/load.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import type { FollowThroughExecutor } from '../../../src/signals/follow-through-actions.js';
import type { InboxProcessor } from '../../../src/signals/process-inbox.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { createKpiStore } from '../../../src/store/kpi-repo.js';
import { createReplyQueries, createReplyStore } from '../../../src/store/replies-repo.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';
import type { Alert } from '../../../src/pipeline/ports.js';

const SECRET = 'inst-secret-0123456789';
type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/**
 * Issue 17 item 4: the SCHEDULER books, through the production wiring (openApp, openDispatch,
 * processorFor, the follow-through executor, the webhook door, the GoHighLevel calendar sandbox) and
 * a fixed clock: Monday 2026-11-23 10:00 UTC, prospects in UTC, business hours 08-18 Monday-Friday.
 * The sandbox calendar works 09-17 America/Denver, so Tuesday 16:00 UTC is a free slot.
 */
describe('the SCHEDULER: a reply that picks a time books it', () => {
  let database: Database;
  let h: Harness;
  let processor: InboxProcessor;
  let executor: FollowThroughExecutor;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];
  let n = 0;

  const open = async (config: Record<string, unknown> = {}) => {
    database = await openTestDatabase();
    h = await dispatchHarness(database, { config });
    const recorded = { count: 0 };
    executor = followThroughExecutorFor(h.app, await followThroughProvidersFor(h.app, h.dispatch));
    processor = withFollowThroughActions(processorFor(h.app, recorded), executor, h.app.log, recorded);
    const receiverConfig = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { INSTANTLY_WEBHOOK_SECRET: SECRET } });
    const routes = webhookRoutes({ config: receiverConfig, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const app = buildApp({ routes, maxBodyBytes: 1024 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closeReceiver = () => app.close();
  };
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    await closeReceiver();
    await h.close();
    await database.close();
  });

  const sentLead = async () => {
    const lead = await h.approvedLead({ linkedin: false, firstName: 'Maya', lastName: 'Rivera' });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const campaign = h.sandboxes.instantly.campaigns().find((c) => h.sandboxes.instantly.leadsOf(c.id).some((l) => l.email === lead.email));
    return { ...lead, campaignId: String(campaign!.id) };
  };
  const payloadFor = (email: string, campaignId: string, text: string) => ({
    timestamp: h.clock.now().toISOString(),
    event_type: 'reply_received',
    lead_email: email,
    email_id: `reply-${++n}`,
    step: 1,
    reply_subject: 'Re: AI at your company',
    campaign_id: campaignId,
    reply_text: text,
  });
  const post = async (payload: Record<string, unknown>) => {
    const res = await fetch(`${url}/webhooks/instantly`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caio-webhook-token': SECRET }, body: JSON.stringify(payload) });
    await Promise.all(processing);
    return res.status;
  };
  const leadRow = async (id: string) => rowsOf(await database.db.execute(sql`select status from leads where id = ${id}`))[0];
  const bookAction = async () => rowsOf(await database.db.execute(sql`select * from reply_actions where kind = 'book_meeting' order by created_at`));
  const replyDrafts = async (leadId: string) => rowsOf(await database.db.execute(sql`select * from drafts where lead_id = ${leadId} and angle_id like 'reply:%' order by created_at`));
  const appointmentsAt = (iso: string) => h.sandboxes.ghl.appointments().filter((a) => Date.parse(a.startTime) === Date.parse(iso) && a.appointmentStatus !== 'cancelled');
  const alerts = () => (h.app.alerts as unknown as { sent: Alert[] }).sent;
  const TUESDAY_4PM = '2026-11-24T16:00:00.000Z';
  const bookElsewhere = async (startTime: string) => {
    const ghl = h.sandboxes.ghl;
    const headers = { authorization: `Bearer ${ghl.apiKey}`, version: '2021-07-28', 'content-type': 'application/json' };
    const contact = (await (await fetch(`${ghl.url}/contacts/upsert`, { method: 'POST', headers, body: JSON.stringify({ locationId: ghl.locationId, email: 'booked@elsewhere.example.com' }) })).json()) as { contact: { id: string } };
    const res = await fetch(`${ghl.url}/calendars/events/appointments`, {
      method: 'POST',
      headers: { ...headers, version: '2021-04-15' },
      body: JSON.stringify({ calendarId: ghl.calendarIds[0], locationId: ghl.locationId, contactId: contact.contact.id, startTime }),
    });
    expect(res.status).toBe(200);
  };

  it('"Tuesday at 4pm works": one appointment for the contact, meeting_booked, the milestone, the cadence left, a confirmation for review; a redelivered webhook books nothing more', async () => {
    await open();
    const lead = await sentLead();
    const payload = payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works, send an invite.');
    expect(await post(payload)).toBe(202);
    const [action] = await bookAction();
    expect(action).toMatchObject({ status: 'done', idempotency_key: `${lead.leadId}:book:${TUESDAY_4PM}` });
    const booked = appointmentsAt(TUESDAY_4PM);
    expect(booked).toHaveLength(1);
    const contact = h.sandboxes.ghl.contacts().find((c) => c.email === lead.email);
    expect(booked[0]!.contactId).toBe(contact!.id);
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'meeting_booked' });
    expect(rowsOf(await database.db.execute(sql`select type from lead_milestones where lead_id = ${lead.leadId} and type = 'meeting_booked'`))).toHaveLength(1);
    const enrolment = rowsOf(await database.db.execute(sql`select status from cadence_enrollments where lead_id = ${lead.leadId}`))[0];
    if (enrolment) expect(enrolment.status).not.toBe('active');
    const [draft] = await replyDrafts(lead.leadId);
    expect(draft).toMatchObject({ status: 'pending_review', angle_id: 'reply:meeting_request' });
    expect(String(draft!.body)).toContain('Tuesday, November 24 at 4:00 PM UTC works on my side');

    // The same delivery again (the provider retried), and a replay: still one appointment, one action.
    expect(await post(payload)).toBeLessThan(300);
    await processor.processPending();
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
    expect(await bookAction()).toHaveLength(1);
  });

  it('"the second option works" after an answer offering three slots books the second one; `replies list` names the appointment', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Interested, tell me more.'));
    const [offer] = await replyDrafts(lead.leadId);
    const offered = (offer!.grounding as { claim: string; value: string }[]).filter((g) => g.claim === 'free slot').map((g) => g.value);
    expect(offered).toHaveLength(3);
    // A pending answer never reached the prospect: its slots are not what "option 2" means yet.
    expect(await createReplyStore(database.db).offeredSlots(lead.leadId)).toEqual([]);
    expect(await reviewServiceFor(h.app).approve({ draftId: String(offer!.id), by: 'Dani' })).toMatchObject({ status: 'approved' });
    expect((await createReplyStore(database.db).offeredSlots(lead.leadId)).map((d) => d.toISOString())).toEqual(offered);
    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'The second option works for me.'));
    const booked = h.sandboxes.ghl.appointments();
    expect(booked).toHaveLength(1);
    expect(Date.parse(booked[0]!.startTime)).toBe(Date.parse(offered[1]!));
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'meeting_booked' });
    const [newest, ...older] = await createReplyQueries(database.db).list();
    expect(newest).toMatchObject({ proposedTimes: [expect.objectContaining({ picksOffered: 1 })], appointmentId: booked[0]!.id });
    expect(older.map((r) => r.appointmentId)).toEqual([null]);
    expect((await createReplyQueries(database.db).show(newest!.id))?.appointmentId).toBe(booked[0]!.id);
  });

  it('a retry after a call that may have reached GoHighLevel reads the calendar back and never books twice', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
    // As if the booking answer was lost: the row is failed and retried.
    await database.db.execute(sql`update reply_actions set status = 'failed', not_before = ${h.clock.now()} where kind = 'book_meeting'`);
    await processor.processPending();
    const [action] = await bookAction();
    expect(action).toMatchObject({ status: 'done', attempts: 2 });
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
    // Found by the read-back: no "taken" offer, no second confirmation; the lead stays booked.
    const drafts = await replyDrafts(lead.leadId);
    expect(drafts.map((d) => d.angle_reason)).toEqual([`reply: meeting booked (${TUESDAY_4PM})`]);
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'meeting_booked' });
  });

  it('a slot taken between offer and pick: nothing booked, a draft offers the nearest free slots, the lead stays replied', async () => {
    await open();
    const lead = await sentLead();
    await bookElsewhere('2026-11-24T09:00:00-07:00'); // Tuesday 16:00 UTC
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1); // only the other contact's
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'replied' });
    const [draft] = await replyDrafts(lead.leadId);
    expect(String(draft!.angle_reason)).toContain('taken time');
    expect(String(draft!.body)).not.toContain('November 24 at 4:00 PM');
    expect(String(draft!.body)).toMatch(/1\. .*November 2[34]/);
  });

  it('a weekend time: nothing booked, the nearest weekday slots offered', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Saturday at 4pm works for me.'));
    expect(h.sandboxes.ghl.appointments()).toHaveLength(0);
    const [draft] = await replyDrafts(lead.leadId);
    expect(String(draft!.angle_reason)).toContain('outside_hours');
    expect(String(draft!.body)).not.toMatch(/Saturday|Sunday/);
  });

  it('a calendar outage while booking: the reply is kept, a person alerted, retried later and booked once', async () => {
    await open();
    const lead = await sentLead();
    h.sandboxes.ghl.setFailures({ status5xx: { count: 1000 }, path: `/calendars/${h.sandboxes.ghl.calendarIds[0]}/free-slots` });
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    expect(rowsOf(await database.db.execute(sql`select class from replies`))).toHaveLength(1);
    expect((await bookAction())[0]).toMatchObject({ status: 'failed' });
    expect(alerts().some((a) => a.title.startsWith('Calendar unavailable: a meeting') && a.metadata.kind === 'book_meeting')).toBe(true);
    expect(h.sandboxes.ghl.appointments()).toHaveLength(0);
    h.sandboxes.ghl.setFailures({});
    h.clock.advance(5 * 60_000);
    await processor.processPending();
    expect((await bookAction())[0]).toMatchObject({ status: 'done' });
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
    await processor.processPending();
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
  });

  it('`caio replies book` books by hand through the same action, audited with the person; the same slot again books nothing', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Interested, tell me more.'));
    const [reply] = rowsOf(await database.db.execute(sql`select id from replies`));
    const slot = new Date('2026-11-25T16:00:00Z');
    const result = await bookReplyByHand(h.app, executor, { replyId: String(reply!.id), slot, by: 'Dani' });
    expect(result).toMatchObject({ booked: true, status: 'done' });
    expect(appointmentsAt(slot.toISOString())).toHaveLength(1);
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'meeting_booked' });
    const audit = rowsOf(await database.db.execute(sql`select actor, action from audit_log where action = 'meeting_booked_by_hand'`));
    expect(audit).toEqual([{ actor: 'Dani', action: 'meeting_booked_by_hand' }]);
    expect(await bookReplyByHand(h.app, executor, { replyId: String(reply!.id), slot, by: 'Dani' })).toMatchObject({ booked: true, status: 'done' });
    expect(appointmentsAt(slot.toISOString())).toHaveLength(1);
    // A time in the past is not booked: the nearest free slots are offered instead.
    const past = await bookReplyByHand(h.app, executor, { replyId: String(reply!.id), slot: new Date('2026-11-20T16:00:00Z'), by: 'Dani' });
    expect(past).toMatchObject({ booked: false, status: 'done' });
  });

  it('a booked lead asking to move the meeting: the appointment moves to the free time named (not a second booking); asking to cancel cancels it', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Something came up, can we move it to Wednesday at 4pm?'));
    const all = h.sandboxes.ghl.appointments();
    expect(all).toHaveLength(1);
    expect(Date.parse(all[0]!.startTime)).toBe(Date.parse('2026-11-25T16:00:00Z'));
    const change = rowsOf(await database.db.execute(sql`select status from reply_actions where kind = 'change_meeting'`));
    expect(change).toEqual([{ status: 'done' }]);
    expect(rowsOf(await database.db.execute(sql`select type from lead_events where lead_id = ${lead.leadId} and type = 'meeting_moved'`))).toHaveLength(1);
    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Sorry, I need to cancel our call.'));
    expect(h.sandboxes.ghl.appointments()[0]).toMatchObject({ appointmentStatus: 'cancelled' });
    expect(rowsOf(await database.db.execute(sql`select type from lead_events where lead_id = ${lead.leadId} and type = 'meeting_cancelled'`))).toHaveLength(1);
    // The cancel is acknowledged: a short answer in the thread, for review, offering another time through the booking page.
    const [cancelReply] = rowsOf(await database.db.execute(sql`select id from replies where lead_id = ${lead.leadId} order by received_at desc limit 1`));
    const ack = (await replyDrafts(lead.leadId)).filter((d) => d.run_id === `reply:${String(cancelReply!.id)}`);
    expect(ack).toHaveLength(1);
    expect(ack[0]).toMatchObject({ status: 'pending_review', angle_reason: 'reply: meeting cancelled (2026-11-25T16:00:00.000Z)', subject_a: 'Re: AI at your company' });
    const body = String(ack[0]!.body);
    expect(body).toMatch(/^Hi Maya,\n\nNo problem, I have cancelled our call on Wednesday, November 25 at 4:00 PM UTC\.\n\nIf you would like to find another time, you can pick one that suits you here: https:\/\/caio\.cx\/book/);
    expect(body).toContain(h.app.config.sender.unsubscribeUrl);
    // It is the reply's suggested answer on /replies/<id>, decided with the review API like the others.
    expect((await apiDepsOf(h).replies.show(String(cancelReply!.id)))?.suggestedAnswer).toMatchObject({ id: ack[0]!.id, status: 'pending_review' });
  });

  it('a booked lead who cancels and says no more: the meeting is cancelled, the lead unsubscribed, and no acknowledgement is written', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Please cancel the meeting, we are not interested.'));
    const [cancelReply] = rowsOf(await database.db.execute(sql`select id, class from replies where lead_id = ${lead.leadId} order by received_at desc limit 1`));
    expect(cancelReply).toMatchObject({ class: 'not_interested' });
    expect(await h.stores.suppressions.isSuppressed(lead.email)).toBe(true);
    expect(rowsOf(await database.db.execute(sql`select status from reply_actions where reply_id = ${cancelReply!.id} and kind = 'change_meeting'`))).toEqual([{ status: 'done' }]);
    expect(h.sandboxes.ghl.appointments()[0]).toMatchObject({ appointmentStatus: 'cancelled' });
    expect((await replyDrafts(lead.leadId)).filter((d) => d.run_id === `reply:${String(cancelReply!.id)}`)).toHaveLength(0);
  });

  const meetingMilestones = async (leadId: string) => rowsOf(await database.db.execute(sql`select at from lead_milestones where lead_id = ${leadId} and type = 'meeting_booked'`));
  const meetingsCounted = async () => Number(rowsOf(await database.db.execute(sql`select coalesce(sum(leads), 0)::int as n from kpi_daily where type = 'meeting_booked'`))[0]!.n);
  const kpiRollup = async () => rowsOf(await database.db.execute(sql`select to_char(day, 'YYYY-MM-DD') as day, campaign, angle, type, leads from kpi_daily order by 1, 2, 3, 4`));
  /** The rollup written as events came in equals the one rebuilt from the timeline (the cancel rule is the same in both). */
  const expectRollupAgreesWithTimeline = async () => {
    const incremental = await kpiRollup();
    await createKpiStore(database.db).rebuild();
    expect(await kpiRollup()).toEqual(incremental);
  };
  const WEDNESDAY_4PM = '2026-11-25T16:00:00.000Z';

  it('a cancel ends meeting_booked (back to replied, through the transition table), withdraws the meeting from the KPIs, and a later time is booked like a first booking', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(1);
    expect([await meetingMilestones(lead.leadId), await meetingsCounted()]).toEqual([[expect.anything()], 1]);
    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Sorry, I need to cancel our call.'));
    expect(appointmentsAt(TUESDAY_4PM)).toHaveLength(0);
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'replied' });
    const cancelled = rowsOf(await database.db.execute(sql`select from_status, to_status, source, details from lead_events where lead_id = ${lead.leadId} and type = 'meeting_cancelled'`));
    expect(cancelled).toEqual([{ from_status: 'meeting_booked', to_status: 'replied', source: 'scheduler', details: expect.objectContaining({ slot: TUESDAY_4PM }) }]);
    // A cancelled meeting is not a meeting booked: the milestone and the day's counter are withdrawn.
    expect([await meetingMilestones(lead.leadId), await meetingsCounted()]).toEqual([[], 0]);
    await expectRollupAgreesWithTimeline();

    // The lead names a new time: not read as a move (there is no meeting), booked like any first booking.
    h.clock.advance(60 * 60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Wednesday at 4pm works instead.'));
    expect(rowsOf(await database.db.execute(sql`select kind from reply_actions where kind in ('change_meeting', 'book_meeting') order by created_at`)).map((r) => r.kind)).toEqual(['book_meeting', 'change_meeting', 'book_meeting']);
    expect(appointmentsAt(WEDNESDAY_4PM)).toHaveLength(1);
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'meeting_booked' });
    const drafts = await replyDrafts(lead.leadId);
    expect(drafts.map((d) => d.angle_reason)).toContain(`reply: meeting booked (${WEDNESDAY_4PM})`);
    // Counted once again, on the day of the booking that stands.
    const [milestone] = await meetingMilestones(lead.leadId);
    expect(new Date(String(milestone!.at)).getTime()).toBe(h.clock.now().getTime());
    expect(await meetingsCounted()).toBe(1);
    await expectRollupAgreesWithTimeline();

    // Cancelled again, then the very slot it cancelled picked again: booked again (a new key after the cancel), once.
    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'I have to cancel the meeting, sorry.'));
    expect([appointmentsAt(WEDNESDAY_4PM), await leadRow(lead.leadId), await meetingsCounted()]).toEqual([[], { status: 'replied' }, 0]);
    h.clock.advance(60_000);
    const again = payloadFor(lead.email, lead.campaignId, 'Actually Wednesday at 4pm works after all.');
    await post(again);
    expect(appointmentsAt(WEDNESDAY_4PM)).toHaveLength(1);
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'meeting_booked' });
    const keys = (await bookAction()).map((a) => String(a.idempotency_key));
    expect(keys.filter((k) => k.startsWith(`${lead.leadId}:book:${WEDNESDAY_4PM}`))).toHaveLength(2);
    // The same delivery again and a replay: still one live appointment at that slot.
    await post(again);
    await processor.processPending();
    expect(appointmentsAt(WEDNESDAY_4PM)).toHaveLength(1);
    expect(await meetingsCounted()).toBe(1);
    await expectRollupAgreesWithTimeline();
  });

  it('a lead still marked meeting_booked with no live appointment (cancelled before this rule): a move naming a time books it, never twice; one naming none gets slots offered', async () => {
    await open();
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Sorry, I need to cancel our call.'));
    // As a cancel recorded before the status rule left it: meeting_booked with the appointment cancelled.
    await database.db.execute(sql`update leads set status = 'meeting_booked' where id = ${lead.leadId}`);

    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Can we reschedule? Some other time would suit me better.'));
    const [noTime] = rowsOf(await database.db.execute(sql`select id from replies where lead_id = ${lead.leadId} order by received_at desc limit 1`));
    expect(rowsOf(await database.db.execute(sql`select kind, status from reply_actions where reply_id = ${noTime!.id} and kind = 'change_meeting'`))).toEqual([{ kind: 'change_meeting', status: 'done' }]);
    const [offer] = (await replyDrafts(lead.leadId)).filter((d) => d.run_id === `reply:${String(noTime!.id)}`);
    expect(offer).toMatchObject({ status: 'pending_review', angle_reason: 'reply: another time asked for, no meeting booked; nearest free slots offered' });
    expect((offer!.grounding as { claim: string }[]).filter((g) => g.claim === 'free slot')).toHaveLength(3);
    expect(String(offer!.body)).toMatch(/1\. .*November 2[3-7]/);
    expect(h.sandboxes.ghl.appointments().filter((a) => a.appointmentStatus !== 'cancelled')).toHaveLength(0);

    h.clock.advance(60_000);
    await post(payloadFor(lead.email, lead.campaignId, 'Could we move it to Wednesday at 4pm?'));
    expect(appointmentsAt(WEDNESDAY_4PM)).toHaveLength(1);
    expect(await leadRow(lead.leadId)).toMatchObject({ status: 'meeting_booked' });
    const [moveReply] = rowsOf(await database.db.execute(sql`select id from replies where lead_id = ${lead.leadId} order by received_at desc limit 1`));
    const confirmation = (await replyDrafts(lead.leadId)).filter((d) => d.run_id === `reply:${String(moveReply!.id)}`);
    expect(confirmation.map((d) => [d.status, d.angle_reason])).toEqual([['pending_review', `reply: meeting booked (${WEDNESDAY_4PM})`]]);
    // Retried as if the answer was lost: the lead is already at that time, so nothing is posted or moved,
    // and the confirmation stands (not superseded by an offer of other slots).
    await database.db.execute(sql`update reply_actions set status = 'failed', not_before = ${h.clock.now()} where reply_id = ${moveReply!.id} and kind = 'change_meeting'`);
    await processor.processPending();
    expect(rowsOf(await database.db.execute(sql`select status, attempts from reply_actions where reply_id = ${moveReply!.id} and kind = 'change_meeting'`))).toEqual([{ status: 'done', attempts: 2 }]);
    expect(h.sandboxes.ghl.appointments().filter((a) => a.appointmentStatus !== 'cancelled')).toHaveLength(1);
    expect(rowsOf(await database.db.execute(sql`select type from lead_events where lead_id = ${lead.leadId} and type = 'meeting_moved'`))).toHaveLength(0);
    expect((await replyDrafts(lead.leadId)).filter((d) => d.run_id === `reply:${String(moveReply!.id)}`).map((d) => [d.status, d.angle_reason])).toEqual([['pending_review', `reply: meeting booked (${WEDNESDAY_4PM})`]]);
  });

  it('scheduler.autoConfirm: the confirmation is approved by the scheduler and queued for the gateway without review', async () => {
    await open({ scheduler: { autoConfirm: true } });
    const lead = await sentLead();
    await post(payloadFor(lead.email, lead.campaignId, 'Tuesday at 4pm works.'));
    const [draft] = await replyDrafts(lead.leadId);
    expect(draft).toMatchObject({ status: 'approved', decided_by: 'scheduler (autoConfirm)' });
    await processor.processPending();
    const items = rowsOf(await database.db.execute(sql`select step, channel from outbox where dedup_key = ${`reply:${String(draft!.id)}`}`));
    expect(items).toEqual([{ step: 'reply', channel: 'instantly' }]);
  });
});
