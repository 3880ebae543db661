import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import * as S from '../../../src/server/api/schemas.js';
import { withScheduledBatches } from '../../../src/compose/operator.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'dashboard-token-0123456789';
const auth = { 'x-dashboard-token': TOKEN };

/*
 * Issue 21, item 1: approving a batch from the dashboard sends it to the end. Everything goes through
 * the production wiring (apiDepsFor over openApp/openDispatch, the sandboxes of Instantly, HeyReach and
 * GHL); answers are checked against the documented response schemas.
 */
describe('sending to the end from the dashboard API', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;

  const open = async (config: Record<string, unknown> = {}) => {
    database = await openTestDatabase();
    h = await dispatchHarness(database, { config });
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
  };
  afterEach(async () => {
    await app?.close();
    await h?.close();
    await database?.close();
  });

  const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: body as object });
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: auth });
    expect(res.statusCode).toBe(200);
    return res.json<unknown>();
  };
  const send = async (id: string, by = 'Sam') => {
    const res = await post(`/api/operator/batches/${id}/send`, { by });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  const outbox = async () => S.OutboxBoard.parse(await get('/api/outbox'));
  const board = async () => S.BatchBoardRow.array().parse(await get('/api/operator/batches'));
  const count = async (query: ReturnType<typeof sql>) => ((await h.db.execute(query)) as { rows: { n: number }[] }).rows[0]!.n;
  const audits = (action: string) => count(sql`select count(*)::int as n from audit_log where action = ${action}`);
  const outboxRows = () => count(sql`select count(*)::int as n from outbox`);

  it('approving executes the batch through the OPERATOR; Instantly items say "draft campaign, not sending yet" until a person activates it', async () => {
    await open();
    await h.approvedLead({ linkedin: false });
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');

    const answer = await send(batch.id);
    expect(answer.status).toBe(200);
    const outcome = S.BatchSendOutcome.parse(answer.body);
    expect(outcome).toMatchObject({ batchId: batch.id, state: 'executed', counts: { queued: 2, refused: 0, sent: 2 } });
    expect(outcome.message).toContain('Executed: 2 items queued');

    // Approved batches stay visible with their state and counts.
    expect((await board()).find((b) => b.id === batch.id)).toMatchObject({ state: 'executed', decidedBy: 'Sam', outbox: { sent: 2 } });
    const before = await outbox();
    expect(before.counts).toEqual({ sent: 2 });
    expect(before.items.map((i) => [i.state, i.label])).toEqual([
      ['handed_draft', 'handed to Instantly (draft campaign, not sending yet)'],
      ['handed_draft', 'handed to Instantly (draft campaign, not sending yet)'],
    ]);
    // Names and companies, never the addresses.
    expect(JSON.stringify(before)).not.toContain('@');
    const campaign = before.items[0]!.campaign!;
    expect(campaign.status).toBe('draft');
    // The same person's audit trail: the approval and the dispatch.
    expect(await count(sql`select count(*)::int as n from audit_log where actor = 'Sam' and action in ('batch.approved', 'batch.executed', 'dispatch.batch_queued')`)).toBe(3);

    const activated = await post(`/api/campaigns/${campaign.externalId}/activate`, { by: 'Sam' });
    expect(activated.statusCode).toBe(200);
    expect((await outbox()).items.map((i) => i.label)).toEqual(['sending (Instantly campaign active, it sends on its schedule)', 'sending (Instantly campaign active, it sends on its schedule)']);
  });

  it('a double click executes once: the second approval (at once or after) says how the batch stands and sends nothing more', async () => {
    await open();
    await h.approvedLead({ linkedin: false });
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const [a, b] = await Promise.all([send(batch.id), send(batch.id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.state, b.body.state].sort()).toEqual(['already_decided', 'executed']);
    const third = await send(batch.id, 'Ana');
    expect(S.BatchSendOutcome.parse(third.body)).toMatchObject({ state: 'already_decided' });
    expect(third.body.message).toContain('already executed');
    expect(await audits('batch.executed')).toBe(1);
    expect(await outboxRows()).toBe(2);
    // Instantly holds each lead once.
    expect(h.sandboxes.instantly.leadsOf((await outbox()).items[0]!.campaign!.externalId)).toHaveLength(2);
  });

  it('refuses a batch approved after it expired, or after a draft in it was rejected: the reason, nothing sent, audited', async () => {
    await open();
    const first = await h.approvedLead({ linkedin: false });
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');

    // A draft rejected after the batch was made.
    await h.db.execute(sql`update drafts set status = 'rejected' where id = ${first.draftId}::uuid`);
    const rejected = await send(batch.id);
    expect(rejected.status).toBe(409);
    expect(rejected.body.error).toContain('1 of its drafts is no longer approved (rejected)');
    expect((await h.gatekeeper.show(batch.id)).status).toBe('pending_approval');
    expect(await outboxRows()).toBe(0);
    expect(await audits('batch.approve_refused')).toBe(1);

    // The same batch, once expired.
    await h.db.execute(sql`update drafts set status = 'approved' where id = ${first.draftId}::uuid`);
    h.clock.advance(25 * 3_600_000);
    const expired = await send(batch.id);
    expect(expired.status).toBe(409);
    expect(expired.body.error).toContain('expired');
    expect(await outboxRows()).toBe(0);
    expect(await audits('batch.approve_refused')).toBe(2);
    expect((await board()).find((b) => b.id === batch.id)).toMatchObject({ state: 'expired' });

    // Unknown and malformed ids, and no name.
    expect((await send('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await post(`/api/operator/batches/${batch.id}/send`, {})).statusCode).toBe(400);
  });

  it('outside the send window the batch is approved and scheduled for the window, said with the time; the OPERATOR tick sends it then', async () => {
    await open();
    const clock = h.clock;
    clock.advance(9 * 3_600_000); // Monday 19:00 UTC, after the 8-18 window
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const outcome = S.BatchSendOutcome.parse((await send(batch.id)).body);
    expect(outcome).toMatchObject({ state: 'scheduled', scheduledFor: '2026-11-24T08:00:00.000Z', counts: null });
    expect(outcome.message).toContain('outside the send window (08:00-18:00 UTC)');
    expect(outcome.message).toContain('Tue 24 Nov, 08:00 UTC (2026-11-24T08:00:00.000Z)');
    expect(await outboxRows()).toBe(0);
    expect((await board()).find((b) => b.id === batch.id)).toMatchObject({ state: 'scheduled', scheduledFor: '2026-11-24T08:00:00.000Z' });

    // The tick before the window runs nothing of it; the first tick in the window executes it, once.
    const tick = withScheduledBatches(h.app, h.dispatch);
    await tick.dispatch({ motion: 'all', live: true, by: 'scheduler' });
    expect(await outboxRows()).toBe(0);
    clock.advance(13 * 3_600_000 + 60_000);
    await tick.dispatch({ motion: 'all', live: true, by: 'scheduler' });
    await tick.dispatch({ motion: 'all', live: true, by: 'scheduler' });
    expect(await outboxRows()).toBe(1);
    expect(await audits('batch.executed')).toBe(1);
    expect((await board()).find((b) => b.id === batch.id)).toMatchObject({ state: 'executed', outbox: { sent: 1 } });
  });

  it('in shadow mode an approval says that nothing is sent', async () => {
    await open({ send: 'shadow' });
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const outcome = S.BatchSendOutcome.parse((await send(batch.id)).body);
    expect(outcome.state).toBe('approved_shadow');
    expect(outcome.message).toContain('Send mode is shadow, so nothing is sent');
    expect(await outboxRows()).toBe(0);
  });

  it('while the emergency stop is set, an activation and a send are refused, and both are audited with who asked', async () => {
    await open();
    await h.approvedLead({ linkedin: false });
    const first = await h.gatekeeper.create('outbound', 'Dani');
    expect((await send(first.id)).body.state).toBe('executed');
    const [campaign] = (await get('/api/campaigns')) as { externalId: string; status: string }[];
    expect(campaign!.status).toBe('draft');
    expect((await post('/api/emergency-stop', { by: 'Ops', reason: 'complaint' })).statusCode).toBe(200);

    const refused = await post(`/api/campaigns/${campaign!.externalId}/activate`, { by: 'Sam' });
    expect([refused.statusCode, refused.json<{ code: string }>().code]).toEqual([423, 'EMERGENCY_STOP']);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'campaign.activate_refused' and actor = 'Sam' and details->>'code' = 'EMERGENCY_STOP'`)).toBe(1);
    expect(((await get('/api/campaigns')) as { status: string }[])[0]!.status).toBe('draft');

    await h.approvedLead({ linkedin: false });
    const second = await h.gatekeeper.create('outbound', 'Dani');
    const stopped = await send(second.id);
    expect(stopped.status).toBe(423);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'dispatch.refused' and actor = 'Sam'`)).toBe(1);
    expect(await outboxRows()).toBe(1);
    // Approved but not sent: it stays visible as approved, and can be sent after a resume.
    expect((await board()).find((b) => b.id === second.id)).toMatchObject({ state: 'approved' });
  });
});
