import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingBriefsFor } from '../../../src/compose/meeting-briefs.js';
import { startSlackSandbox } from '../../../src/providers/sandbox/slack/server.js';
import { buildApp } from '../../../src/server/app.js';
import type { Database } from '../../../src/store/database.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { replyDelivery } from '../../support/replies.js';
import { briefChannelsFor } from '../../../src/compose/meeting-briefs.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'replies-api-dashboard-token-0123456789';
const auth = { 'x-dashboard-token': TOKEN };
type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
const TUESDAY_4PM = '2026-11-24T16:00:00.000Z';

/*
 * Issue 17 items 5 and 6 through the production wiring (apiDepsFor over openApp/openDispatch, the
 * reply processor and follow-through executor, the GoHighLevel and Slack sandboxes) and a fixed
 * clock: Monday 2026-11-23 10:00 UTC, prospects and owner in UTC, business hours 08-18; the sandbox
 * calendar is free 09-17 America/Denver (16:00-24:00 UTC).
 */
describe('the replies API', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  const ids = { meeting: '', objection: '', question: '' };
  const leads = { meeting: '', objection: '', question: '' };

  const get = (url: string) => app.inject({ method: 'GET', url, headers: auth });
  const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: body as object });

  beforeAll(async () => {
    database = await openTestDatabase();
    // The brief goes into the appointment's description only when asked (docs/replies.md).
    h = await dispatchHarness(database, { config: { scheduler: { briefOnAppointment: true } } });
    const maya = await h.approvedLead({ firstName: 'Maya', lastName: 'Rivera', linkedin: false });
    const omar = await h.approvedLead({ firstName: 'Omar', lastName: 'Quist', linkedin: false });
    const noor = await h.approvedLead({ firstName: 'Noor', lastName: 'Haddad', linkedin: false });
    Object.assign(leads, { meeting: maya.leadId, objection: omar.leadId, question: noor.leadId });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const reply = await replyDelivery(h);
    const deliver = (key: string, email: string, text: string) => reply({ key, email, text, subject: 'Re: AI' });
    ids.meeting = await deliver('r-1', maya.email, 'Tuesday at 4pm works, send an invite.');
    ids.objection = await deliver('r-2', omar.email, 'We use HubSpot and it works fine for us, no need for this.');
    ids.question = await deliver('r-3', noor.email, 'How does this work with our ERP? Is there an integration?');
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
    await database?.close();
  });

  it('lists the replies newest first in the shape of caio replies list --json, and filters by class', async () => {
    const res = await get('/api/replies');
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json<Row[]>();
    expect(rows.map((r) => r.id)).toEqual([ids.question, ids.objection, ids.meeting]);
    expect(Object.keys(rows[0]!).sort()).toEqual(['appointmentId', 'channel', 'class', 'confidence', 'draftId', 'evidence', 'id', 'kind', 'leadEmail', 'llm', 'needsResponse', 'proposedTimes', 'receivedAt'].sort());
    // The LLM classifier's note comes last (null: no model read these replies).
    expect([Object.keys(rows[0]!).at(-1), rows[0]!.llm]).toEqual(['llm', null]);
    expect(rows[2]).toMatchObject({ class: 'meeting_request', appointmentId: expect.stringMatching(/^apt-/), proposedTimes: [expect.objectContaining({ at: TUESDAY_4PM })] });
    expect(rows[1]).toMatchObject({ class: 'objection', kind: 'incumbent', needsResponse: true, draftId: expect.any(String) });
    const filtered = (await get('/api/replies?class=objection')).json<Row[]>();
    expect(filtered.map((r) => r.id)).toEqual([ids.objection]);
    expect((await get('/api/replies?class=positive')).statusCode).toBe(400);
    expect((await get('/api/replies?limit=1')).json<Row[]>().length).toBe(1);
  });

  it("carries the LLM classifier's note, as stored, in the list and the conversation (the webhook tests store it through the model)", async () => {
    const note = { verdict: 'disagrees', model: 'claude-test', class: 'unsubscribe', kind: null, confidence: 0.9, evidence: ['Is there an integration?'], added: [], reason: 'the rules read question', needsPerson: true };
    await database.db.execute(sql`update replies set llm = ${JSON.stringify(note)}::jsonb where id = ${ids.question}`);
    try {
      const [listed] = (await get('/api/replies?class=question')).json<Row[]>();
      expect(listed!.llm).toEqual(note);
      const one = await get(`/api/replies/${ids.question}`);
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json<Row>().llm).toEqual(note);
      expect((await get(`/api/replies/${ids.meeting}`)).json<Row>().llm).toBeNull();
    } finally {
      await database.db.execute(sql`update replies set llm = null where id = ${ids.question}`);
    }
  });

  it('gives one conversation: our sends and their reply in time order, the class and evidence, the suggested answer and the appointment', async () => {
    const res = await get(`/api/replies/${ids.meeting}`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json<{ messages: Row[]; appointment: Row; suggestedAnswer: Row; evidence: string[]; leadName: string; class: string }>();
    expect(c).toMatchObject({ class: 'meeting_request', leadName: 'Maya Rivera' });
    expect(c.evidence.length).toBeGreaterThan(0);
    expect(c.messages.map((m) => m.direction)).toEqual(['sent', 'received']);
    expect(c.messages[0]).toMatchObject({ channel: 'email', note: 'step 1' });
    expect(c.messages[1]).toMatchObject({ channel: 'email', text: 'Tuesday at 4pm works, send an invite.', note: 'meeting_request' });
    expect(Date.parse(String(c.messages[0]!.at))).toBeLessThan(Date.parse(String(c.messages[1]!.at)));
    expect(c.appointment).toMatchObject({ slot: TUESDAY_4PM, status: 'booked', id: expect.stringMatching(/^apt-/) });
    // The confirmation the SCHEDULER queued is this reply's suggested answer, waiting for review.
    expect(c.suggestedAnswer).toMatchObject({ status: 'pending_review', angleId: 'reply:meeting_request' });
    expect(String(c.suggestedAnswer.body)).toContain('works on my side');
    expect((await get('/api/replies/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/api/replies/not-a-uuid')).statusCode).toBe(400);
  });

  it('approves, edits and rejects suggested answers through the review routes', async () => {
    const objection = (await get(`/api/replies/${ids.objection}`)).json<{ suggestedAnswer: { id: string; status: string } }>();
    expect(objection.suggestedAnswer.status).toBe('pending_review');
    const approved = await post(`/api/emails/${objection.suggestedAnswer.id}/approve`, { by: 'Sam', expectedStatus: 'pending_review' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await get(`/api/replies/${ids.objection}`)).json<{ suggestedAnswer: Row }>().suggestedAnswer).toMatchObject({ status: 'approved', decidedBy: 'Sam' });
    const question = (await get(`/api/replies/${ids.question}`)).json<{ suggestedAnswer: { id: string } }>();
    const rejected = await post(`/api/emails/${question.suggestedAnswer.id}/reject`, { by: 'Sam', reason: 'I will answer this one myself', tag: 'tone_style_issue' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await get(`/api/replies/${ids.question}`)).json<{ suggestedAnswer: Row }>().suggestedAnswer).toMatchObject({ status: 'rejected' });
    // Edit and approve (an e-mail answer keeps its footer, so the edit passes the checks): the edit is what the conversation shows.
    const maya = (await get(`/api/replies/${ids.meeting}`)).json<{ suggestedAnswer: { id: string; body: string } }>().suggestedAnswer;
    const editedBody = maya.body.replace('works on my side', 'works well on my side');
    const edited = await post(`/api/emails/${maya.id}/approve`, { by: 'Sam', body: editedBody, expectedStatus: 'pending_review' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await get(`/api/replies/${ids.meeting}`)).json<{ suggestedAnswer: Row }>().suggestedAnswer).toMatchObject({ status: 'approved', editedBody });
    // Deciding a suggested answer leaves the leads where their replies put them.
    const statuses = rowsOf(await database.db.execute(sql`select status from leads where id in (${leads.objection}, ${leads.question})`)).map((r) => r.status);
    expect(statuses).toEqual(['replied', 'replied']);
    expect(rowsOf(await database.db.execute(sql`select status from leads where id = ${leads.meeting}`))[0]).toMatchObject({ status: 'meeting_booked' });
  });

  it('lists live free slots in the prospect’s zone, and books one by hand once; a taken slot is offered around instead', async () => {
    const res = await get(`/api/replies/${ids.objection}/slots`);
    expect(res.statusCode, res.body).toBe(200);
    const slots = res.json<{ calendar: boolean; timeZone: string; slots: { at: string; label: string }[] }>();
    expect(slots).toMatchObject({ calendar: true, timeZone: 'UTC' });
    expect(slots.slots.length).toBeGreaterThan(3);
    const now = h.clock.now().getTime();
    for (const s of slots.slots) {
      expect(Date.parse(s.at)).toBeGreaterThanOrEqual(now + 3600_000);
      const hour = new Date(s.at).getUTCHours();
      expect(hour >= 8 && hour < 18).toBe(true);
      expect([0, 6]).not.toContain(new Date(s.at).getUTCDay());
    }
    // Maya's meeting holds Tuesday 16:00: not free any more.
    expect(slots.slots.map((s) => s.at)).not.toContain(TUESDAY_4PM);
    expect(slots.slots[0]!.label).toMatch(/^\w+day, \w+ \d+ at \d+:\d\d [AP]M UTC$/);

    const slot = slots.slots[0]!.at;
    const booked = await post(`/api/replies/${ids.objection}/book`, { slot, by: 'Sam' });
    expect(booked.statusCode, booked.body).toBe(200);
    expect(booked.json()).toMatchObject({ booked: true, slot, status: 'done' });
    const again = await post(`/api/replies/${ids.objection}/book`, { slot, by: 'Sam' });
    expect(again.json()).toMatchObject({ booked: true, slot });
    expect(h.sandboxes.ghl.appointments().filter((a) => Date.parse(a.startTime) === Date.parse(slot) && a.appointmentStatus !== 'cancelled')).toHaveLength(1);
    const audit = rowsOf(await database.db.execute(sql`select actor from audit_log where action = 'meeting_booked_by_hand' and entity_id = ${ids.objection}`));
    expect(audit.map((a) => a.actor)).toEqual(['Sam']);
    expect((await get(`/api/replies/${ids.objection}`)).json<{ appointment: Row }>().appointment).toMatchObject({ slot, status: 'booked' });

    const taken = await post(`/api/replies/${ids.question}/book`, { slot: TUESDAY_4PM, by: 'Sam' });
    expect(taken.json()).toMatchObject({ booked: false, status: 'done' });
    expect(h.sandboxes.ghl.appointments().filter((a) => Date.parse(a.startTime) === Date.parse(TUESDAY_4PM))).toHaveLength(1);

    expect((await post(`/api/replies/${ids.question}/book`, { slot: 'tomorrow', by: 'Sam' })).statusCode).toBe(400);
    expect((await post(`/api/replies/${ids.question}/book`, { slot: TUESDAY_4PM })).statusCode).toBe(400);
    expect((await post('/api/replies/00000000-0000-4000-8000-000000000000/book', { slot: TUESDAY_4PM, by: 'Sam' })).statusCode).toBe(404);
  });

  it('gives the meeting brief: the person, the conversation, the meeting in both zones', async () => {
    const res = await get(`/api/replies/${ids.meeting}/brief`);
    expect(res.statusCode, res.body).toBe(200);
    const brief = res.json<{ title: string; text: string; meeting: Row }>();
    expect(brief.meeting).toMatchObject({ slot: TUESDAY_4PM });
    expect(brief.title).toContain('Maya Rivera');
    expect(brief.text).toContain('- Their time: Tuesday, November 24, 2026 at 4:00 PM UTC (UTC)');
    expect(brief.text).toContain('> Tuesday at 4pm works, send an invite.');
    expect(brief.text).toMatch(/## Why they scored\n- \d+ points/);
    expect((await get('/api/replies/00000000-0000-4000-8000-000000000000/brief')).statusCode).toBe(404);
  });

  it('a brief delivered nowhere is not recorded (tried again, a person alerted); one channel is enough', async () => {
    // Omar's meeting, booked by hand above, is today (Monday) in the owner's zone (UTC).
    const omar = (await get(`/api/replies/${ids.objection}`)).json<{ appointment: { id: string; slot: string } }>().appointment;
    expect(new Date(omar.slot).toISOString().slice(0, 10)).toBe('2026-11-23');
    const slack = await startSlackSandbox();
    slack.revoke();
    try {
      const briefs = meetingBriefsFor(h.app, h.dispatch, { slackWebhookUrl: slack.url });
      h.sandboxes.ghl.setFailures({ status5xx: { count: 10 }, path: `/calendars/events/appointments/${omar.id}` });
      const alertsBefore = (h.app.alerts as unknown as { sent: { title: string }[] }).sent.length;
      expect(await briefs.morning(h.clock.now())).toMatchObject({ meetings: 1, delivered: 0, failed: 1 });
      expect(rowsOf(await database.db.execute(sql`select 1 from reply_actions where kind = 'meeting_brief'`))).toHaveLength(0);
      expect((h.app.alerts as unknown as { sent: { title: string }[] }).sent.slice(alertsBefore).map((a) => a.title)).toContain('Meeting brief not delivered');
      // GoHighLevel back, Slack still refusing: the appointment's notes take it, and that is the delivery.
      h.sandboxes.ghl.setFailures({});
      expect(await briefs.morning(h.clock.now())).toMatchObject({ meetings: 1, delivered: 1 });
      expect(h.sandboxes.ghl.appointments().find((a) => a.id === omar.id)?.description).toContain('# Meeting brief: Omar Quist');
      const [row] = rowsOf(await database.db.execute(sql`select status, last_error, payload from reply_actions where kind = 'meeting_brief'`));
      expect(row).toMatchObject({ status: 'done', payload: expect.objectContaining({ channels: ['notes'] }), last_error: expect.stringContaining('slack') });
      expect(await briefs.morning(h.clock.now())).toMatchObject({ meetings: 1, delivered: 0, already: 1 });
    } finally {
      h.sandboxes.ghl.setFailures({});
      await slack.close();
    }
  });

  it('the morning job briefs each of the day’s meetings once: Slack and the appointment’s notes', async () => {
    const slack = await startSlackSandbox();
    try {
      const briefs = meetingBriefsFor(h.app, h.dispatch, { slackWebhookUrl: slack.url });
      // Monday: Maya's meeting is tomorrow, not today (Omar's, booked by hand above, may be today).
      expect(await briefs.morning(h.clock.now())).toMatchObject({ failed: 0 });
      expect(slack.messages.filter((m) => String(m.text).includes('Maya Rivera'))).toHaveLength(0);
      // Tuesday 06:30 UTC: before the owner's morning (07:00 UTC).
      expect(await briefs.morning(new Date('2026-11-24T06:30:00Z'))).toMatchObject({ skipped: expect.stringContaining('before 7:00') });
      const tuesday = new Date('2026-11-24T07:30:00Z');
      const first = await briefs.morning(tuesday);
      expect(first).toMatchObject({ failed: 0 });
      const meetings = (first as { meetings: number; delivered: number }).meetings;
      expect((first as { delivered: number }).delivered).toBeGreaterThanOrEqual(1);
      expect(slack.messages.filter((m) => String(m.text).includes('Maya Rivera'))).toHaveLength(1);
      const appointment = h.sandboxes.ghl.appointments().find((a) => Date.parse(a.startTime) === Date.parse(TUESDAY_4PM))!;
      expect(appointment.description).toContain('# Meeting brief: Maya Rivera');
      // The next ticks (and a second worker) find it delivered: nothing is posted again.
      expect(await briefs.morning(new Date('2026-11-24T08:00:00Z'))).toMatchObject({ delivered: 0, already: meetings, failed: 0 });
      expect(slack.messages.filter((m) => String(m.text).includes('Maya Rivera'))).toHaveLength(1);
      const recorded = rowsOf(await database.db.execute(sql`select status, payload from reply_actions where kind = 'meeting_brief' and reply_id = ${ids.meeting}`));
      expect(recorded).toEqual([expect.objectContaining({ status: 'done', payload: expect.objectContaining({ channels: ['slack', 'notes'] }) })]);
    } finally {
      await slack.close();
    }
  });
  it('writes no brief into a GoHighLevel appointment unless scheduler.briefOnAppointment says so (the prospect may see it)', async () => {
    const off = { ...h.app, config: { ...h.app.config, scheduler: { ...h.app.config.scheduler, briefOnAppointment: false } } };
    expect((await briefChannelsFor(off, h.dispatch, {})).notes).toBeNull();
    expect((await briefChannelsFor(h.app, h.dispatch, {})).notes).toEqual(expect.any(Function));
  });
});
