import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { apiClient, type ApiClient } from '../../support/api-client.js';
import type { components } from '../../support/api-types.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'batch-preview-token-0123456789';

/** A dashboard page as a person logged in with the token sees it. */
const pageOf = async (app: ReturnType<typeof buildApp>, url: string, token = TOKEN): Promise<string> => {
  const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(token)}` });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const page = await app.inject({ method: 'GET', url, headers: { cookie } });
  expect(page.statusCode).toBe(200);
  return page.body;
};
type Schemas = components['schemas'];

/**
 * Issue 21 item 3, the batch half: a pending batch item by item with its message and its predicted
 * outcome (the OPERATOR's dry run: nothing written), and leaving items out before approving (a new
 * batch with a new scope hash, audited; the items left out wait again, their drafts stay approved).
 * Production wiring (apiDepsFor over the dispatch harness), the typed client checked against the
 * OpenAPI document, and /operator as a person reads it.
 */
describe('batch preview and leaving items out (API and /operator)', () => {
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

  const path = (id: string) => ({ params: { path: { id } } });
  const count = async (query: ReturnType<typeof sql>) => ((await h.db.execute(query)) as { rows: { n: number }[] }).rows[0]!.n;
  const outlook = async (id: string) => {
    const { data, response } = await api.GET('/api/operator/batches/{id}/outlook', path(id));
    expect(response.status).toBe(200);
    return data as Schemas['BatchOutlook'];
  };

  it('predicts each item under today guards (would send, refused by the domain cap, left out for a rejected draft, held by the stop) and writes nothing', async () => {
    // Four leads on one domain (the cap is 3 per batch), e-mail only.
    const leads: { draftId: string }[] = [];
    for (let i = 0; i < 4; i++) leads.push(await h.approvedLead({ domain: 'samecorp.example.com', linkedin: false }));
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    expect(batch.scope).toHaveLength(4);
    const before = await count(sql`select count(*)::int as n from audit_log`);

    const seen = await outlook(batch.id);
    expect(seen.items.map((i) => i.outcome).sort()).toEqual(['refused', 'would_send', 'would_send', 'would_send']);
    expect(seen.items.find((i) => i.outcome === 'refused')!.reason).toBe('domain_concentration_cap');
    for (const item of seen.items) {
      expect(item.kind).toBe('first_touch');
      expect(item.subject, 'every item carries its message').toBeTruthy();
    }
    // A dry run: no outbox row, no audit entry, the batch still pending.
    expect(await count(sql`select count(*)::int as n from outbox`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_log`)).toBe(before);
    expect((await h.gatekeeper.show(batch.id)).status).toBe('pending_approval');

    // A draft rejected after the batch was frozen is left out when the batch is sent; the cap then lets the fourth through.
    await h.db.execute(sql`update drafts set status = 'rejected' where id = ${leads[0]!.draftId}::uuid`);
    const after = await outlook(batch.id);
    expect(after.items.find((i) => i.draftId === leads[0]!.draftId)).toMatchObject({ outcome: 'left_out', reason: 'rejected' });
    expect(after.items.filter((i) => i.outcome === 'would_send')).toHaveLength(3);

    // The emergency stop holds everything, and the page says so in words.
    await h.operator.stop('Sam', 'bounce spike');
    const stopped = await outlook(batch.id);
    expect(stopped.stopped).toBe(true);
    expect(stopped.items.filter((i) => i.outcome === 'stopped')).toHaveLength(3);
    const html = await pageOf(app, '/operator');
    expect(html).toContain('Predicted under today');
    expect(html).toMatch(/Left out when sent: its draft is (draft )?rejected now/i);
    expect(html).toContain('Held:');
  });

  it('leaving items out re-freezes the batch without them (new scope hash, audited); they wait again and their drafts stay approved; the old batch cannot be approved', async () => {
    const a = await h.approvedLead({ linkedin: false, firstName: 'Ada', lastName: 'Byron' });
    const b = await h.approvedLead({ linkedin: false, firstName: 'Grace', lastName: 'Hopper' });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const index = batch.scope.findIndex((i) => i.draftId === b.draftId);

    const { data, response } = await api.POST('/api/operator/batches/{id}/exclude', { ...path(batch.id), body: { by: 'Sam Rivera', items: [index] } });
    expect(response.status).toBe(200);
    expect(data!.excluded).toBe(1);
    expect(data!.previousBatchId).toBe(batch.id);
    expect(data!.batch.id).not.toBe(batch.id);
    expect(data!.batch.scope.map((i) => i.draftId)).toEqual([a.draftId]);
    expect(data!.batch.previewHash).not.toBe(batch.previewHash);
    expect(data!.batch.expiresAt).toBe(batch.expiresAt.toISOString());
    expect(data!.message).toContain('Left out 1 item');

    const old = await h.gatekeeper.show(batch.id);
    expect([old.status, old.decidedBy]).toEqual(['rejected', 'Sam Rivera']);
    const audit = (await h.db.execute(sql`select action, actor, details from audit_log where entity_id = ${batch.id} and action = 'batch.items_excluded'`)) as {
      rows: { action: string; actor: string; details: { newBatchId: string; previousHash: string; previewHash: string; excluded: { draftId: string }[] } }[];
    };
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: 'Sam Rivera', details: { newBatchId: data!.batch.id, previousHash: batch.previewHash, previewHash: data!.batch.previewHash } });
    expect(audit.rows[0]!.details.excluded.map((e) => e.draftId)).toEqual([b.draftId]);

    // The item left out waits for the next batch; its draft is still approved.
    expect((await h.gatekeeper.outboundScope()).map((i) => i.draftId)).toEqual([b.draftId]);
    expect(((await h.db.execute(sql`select status from drafts where id = ${b.draftId}::uuid`)) as { rows: { status: string }[] }).rows[0]!.status).toBe('approved');

    // The old batch cannot be approved any more; the new one goes to the end with only the kept item.
    const stale = await api.POST('/api/operator/batches/{id}/send', { ...path(batch.id), body: { by: 'Sam Rivera' } });
    expect(stale.data?.state ?? stale.response.status).not.toBe('executed');
    const sent = await api.POST('/api/operator/batches/{id}/send', { ...path(data!.batch.id), body: { by: 'Sam Rivera' } });
    expect(sent.data?.state).toBe('executed');
    expect(await count(sql`select count(*)::int as n from outbox where draft_id = ${b.draftId}::uuid`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from outbox where draft_id = ${a.draftId}::uuid`)).toBe(1);
  });

  it('refuses (audited) leaving out nothing, everything, an unknown item, or from a batch already decided', async () => {
    await h.approvedLead({ linkedin: false });
    await h.approvedLead({ linkedin: false });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const exclude = (id: string, items: number[]) => api.POST('/api/operator/batches/{id}/exclude', { ...path(id), body: { by: 'Sam', items } });

    expect((await exclude(batch.id, [])).response.status).toBe(400);
    expect((await exclude(batch.id, [7])).response.status).toBe(400);
    const all = await exclude(batch.id, [0, 1]);
    expect(all.response.status).toBe(409);
    expect((all.error as Schemas['Error']).error).toContain('Reject batch');
    await h.gatekeeper.approve(batch.id, 'Sam');
    const decided = await exclude(batch.id, [0]);
    expect(decided.response.status).toBe(409);
    expect((decided.error as Schemas['Error']).error).toContain('approved');
    expect(await count(sql`select count(*)::int as n from audit_log where entity_id = ${batch.id} and action = 'batch.exclude_refused'`)).toBe(3);
    expect((await h.gatekeeper.list(10)).filter((b) => b.status === 'pending_approval')).toHaveLength(0);
  });
});
