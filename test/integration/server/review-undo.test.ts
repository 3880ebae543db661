import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { apiClient, type ApiClient } from '../../support/api-client.js';
import type { components } from '../../support/api-types.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'dashboard-token-0123456789';
type Schemas = components['schemas'];

const ok = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> => {
  const { data, error, response } = await call;
  expect([response.status, error]).toEqual([200, undefined]);
  return data as T;
};
const refused = async (call: Promise<{ error?: unknown; response: Response }>) => {
  const { error, response } = await call;
  return { status: response.status, ...(error as Schemas['Error']) };
};

/** Undo, reopen, decided today and the stop's reason through the typed client (checked against the OpenAPI document). */
describe('review undo, reopen and conflicts; the emergency stop without a reason (API)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let api: ApiClient;

  beforeEach(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
    api = apiClient(app, TOKEN);
  });
  afterEach(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  /** A draft waiting for review (the harness approves its drafts: put it back). */
  const pending = async () => {
    const lead = await h.approvedLead();
    await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${lead.draftId}::uuid`);
    await h.db.execute(sql`update leads set status = 'pending_review' where id = ${lead.leadId}::uuid`);
    return lead;
  };
  const path = (id: string) => ({ params: { path: { id } } });
  const audit = async (draftId: string) => ((await h.db.execute(sql`select action, actor from audit_log where entity_type = 'draft' and entity_id = ${draftId} order by id`)) as { rows: { action: string; actor: string }[] }).rows;
  const draftRow = async (draftId: string) =>
    (
      (await h.db.execute(sql`select d.status, d.decided_by, d.edited_subject, l.status as lead_status from drafts d join leads l on l.id = d.lead_id where d.id = ${draftId}::uuid`)) as {
        rows: { status: string; decided_by: string | null; edited_subject: string | null; lead_status: string }[];
      }
    ).rows[0]!;

  it('an approval undone within 10 s goes back to the queue (edit dropped, lead back to pending_review, audited); approving again works', async () => {
    const a = await pending();
    const before = (await audit(a.draftId)).length;
    await ok(api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani', subject: 'Edited by Dani', expectedStatus: 'pending_review' } }));
    h.clock.advance(9_000);
    const undone = await ok(api.POST('/api/emails/{id}/undo', { ...path(a.draftId), body: { by: 'Dani' } }));
    expect([undone.status, undone.decidedBy, undone.editedSubject]).toEqual(['pending_review', null, null]);
    expect(await draftRow(a.draftId)).toMatchObject({ status: 'pending_review', lead_status: 'pending_review' });
    // Approve after undo: a fresh decision, as if shown again.
    const again = await ok(api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani', expectedStatus: 'pending_review' } }));
    expect(again.status).toBe('approved');
    expect((await audit(a.draftId)).slice(before).map((r) => `${r.action}:${r.actor}`)).toEqual(['review.approved:Dani', 'review.undone:Dani', 'review.approved:Dani']);
  });

  it('an undone rejection removes its rejection record (the drafting memory must not learn from it)', async () => {
    const a = await pending();
    const tag = (await ok(api.GET('/api/rejection-tags')))[0]!.id;
    await ok(api.POST('/api/emails/{id}/reject', { ...path(a.draftId), body: { by: 'Dani', reason: 'too generic', tag, expectedStatus: 'pending_review' } }));
    const count = async () => ((await h.db.execute(sql`select count(*)::int as n from rejections where draft_id = ${a.draftId}::uuid`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(await count()).toBe(1);
    await ok(api.POST('/api/emails/{id}/undo', { ...path(a.draftId), body: { by: 'Dani' } }));
    expect(await count()).toBe(0);
    expect(await draftRow(a.draftId)).toMatchObject({ status: 'pending_review', lead_status: 'pending_review' });
  });

  it('undo after 10 s is refused (409, audited) and the draft stays decided; reopen still works', async () => {
    const a = await pending();
    await ok(api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani' } }));
    h.clock.advance(10_001);
    const late = await refused(api.POST('/api/emails/{id}/undo', { ...path(a.draftId), body: { by: 'Dani' } }));
    expect(late).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(late.error).toContain('10-second undo window has passed');
    expect((await draftRow(a.draftId)).status).toBe('approved');
    expect((await audit(a.draftId)).at(-1)).toEqual({ action: 'review.reopen_refused', actor: 'Dani' });
    // Someone else cannot undo either, even in time; reopen is the way.
    expect((await ok(api.POST('/api/emails/{id}/reopen', { ...path(a.draftId), body: { by: 'Sam' } }))).status).toBe('pending_review');
    expect((await audit(a.draftId)).at(-1)).toEqual({ action: 'review.reopened', actor: 'Sam' });
  });

  it('only the person who decided can undo; a pending draft has nothing to undo', async () => {
    const a = await pending();
    expect(await refused(api.POST('/api/emails/{id}/undo', { ...path(a.draftId), body: { by: 'Dani' } }))).toMatchObject({ status: 409, code: 'CONFLICT' });
    await ok(api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani' } }));
    const other = await refused(api.POST('/api/emails/{id}/undo', { ...path(a.draftId), body: { by: 'Sam' } }));
    expect(other).toMatchObject({ status: 409 });
    expect(other.error).toContain('only Dani');
    expect((await draftRow(a.draftId)).status).toBe('approved');
  });

  it('a double-clicked approve is one decision: of two at once, one wins and the other is a 409', async () => {
    const a = await pending();
    const before = (await audit(a.draftId)).length;
    const answers = await Promise.all([1, 2].map(() => api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani', expectedStatus: 'pending_review' } })));
    expect(answers.map((r) => r.response.status).sort()).toEqual([200, 409]);
    // The loser's refusal is audited too, as a refusal.
    expect((await audit(a.draftId)).slice(before).map((r) => r.action)).toEqual(['review.approved', 'review.approve_refused']);
  });

  it('two people deciding the same draft: the second gets a clear conflict naming the first', async () => {
    const a = await pending();
    await ok(api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani', expectedStatus: 'pending_review' } }));
    const tag = (await ok(api.GET('/api/rejection-tags')))[0]!.id;
    const second = await refused(api.POST('/api/emails/{id}/reject', { ...path(a.draftId), body: { by: 'Sam', reason: 'no', tag, expectedStatus: 'pending_review' } }));
    expect(second).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(second.error).toContain('now approved (by Dani)');
    expect((await draftRow(a.draftId)).status).toBe('approved');
  });

  it('a batched draft can be neither undone nor reopened', async () => {
    const a = await pending();
    await ok(api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani' } }));
    await h.gatekeeper.create('outbound', 'Dani');
    const undo = await refused(api.POST('/api/emails/{id}/undo', { ...path(a.draftId), body: { by: 'Dani' } }));
    expect(undo).toMatchObject({ status: 409 });
    expect(undo.error).toContain('in a batch');
    expect(await refused(api.POST('/api/emails/{id}/reopen', { ...path(a.draftId), body: { by: 'Dani' } }))).toMatchObject({ status: 409 });
    expect((await draftRow(a.draftId)).status).toBe('approved');
  });

  it('decided today lists the decisions of the day, newest first, with the counters', async () => {
    const a = await pending();
    const b = await pending();
    const c = await pending();
    const tag = (await ok(api.GET('/api/rejection-tags')))[0]!.id;
    await ok(api.POST('/api/emails/{id}/approve', { ...path(a.draftId), body: { by: 'Dani' } }));
    h.clock.advance(1000);
    await ok(api.POST('/api/emails/{id}/reject', { ...path(b.draftId), body: { by: 'Dani', reason: 'off', tag } }));
    const today = await ok(api.GET('/api/emails/decided-today', { params: { query: { limit: 10 } } }));
    expect(today.drafts.map((d) => d.id)).toEqual([b.draftId, a.draftId]);
    expect(today.counts).toEqual({ waiting: 1, approvedToday: 1, rejectedToday: 1 });
    expect(today.since).toBe('2026-11-23T00:00:00.000Z');
    expect(c.draftId).toBeTruthy();
  });

  it('the emergency stop without a reason is allowed; the reason is added afterwards; history in the audit log', async () => {
    expect(await refused(api.POST('/api/emergency-stop/reason', { body: { by: 'Ops', reason: 'late' } }))).toMatchObject({ status: 409 });
    await ok(api.POST('/api/emergency-stop', { body: { by: 'Ops' } }));
    expect(await h.control.emergencyStop()).toMatchObject({ active: true, reason: null, setBy: 'Ops' });
    await ok(api.POST('/api/emergency-stop/reason', { body: { by: 'Ops', reason: 'a prospect complained' } }));
    expect(await h.control.emergencyStop()).toMatchObject({ active: true, reason: 'a prospect complained', setBy: 'Ops' });
    await ok(api.POST('/api/resume', { body: { by: 'Ops' } }));
    const history = await apiDepsOf(h).stopView.history(10);
    expect(history.map((e) => `${e.action}:${e.reason ?? ''}`)).toEqual(['emergency_stop.cleared:', 'emergency_stop.reason_added:a prospect complained', 'emergency_stop.set:']);
  });
});
