import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStores } from '../../../src/store/index.js';
import type { Database } from '../../../src/store/database.js';
import type { PipelineStores } from '../../../src/pipeline/ports.js';
import { aDiscoveredLead, aDraft, aProfile, aScore } from '../../support/builders.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let database: Database;
  let stores: PipelineStores;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    stores = createStores(database.db);
  });
  afterEach(async () => {
    await database.close();
  });

  const startRun = async (runId = 'run_20261124_090000_abcdef') => {
    await stores.runs.start({ runId, mode: 'sandbox', source: 'apollo', requestedLimit: 25, seed: 1, startedAt: new Date('2026-11-24T09:00:00Z') });
    return runId;
  };

  it('stores a run with its stage results and reads the report back in stage order', async () => {
    const runId = await startRun();
    await stores.runs.recordStage(runId, 1, { name: 'enrich', status: 'fail', inputCount: 3, outputCount: 3, durationMs: 12.7, errors: [{ message: 'boom', code: 'PROVIDER_UNAVAILABLE', leadRef: 'x' }], metrics: { enriched: 0 } });
    await stores.runs.recordStage(runId, 0, { name: 'discover', status: 'pass', inputCount: 25, outputCount: 3, durationMs: 5, errors: [], metrics: {} });
    await stores.runs.finish(runId, { status: 'failed', completedAt: new Date('2026-11-24T09:00:05Z'), totalErrors: 1, summary: { leads: 3, drafts: 0 } });

    const run = await stores.runs.get(runId);
    expect(run?.status).toBe('failed');
    expect(run?.stages.map((s) => s.name)).toEqual(['discover', 'enrich']);
    expect(run?.stages[1]).toMatchObject({ status: 'fail', durationMs: 13, errors: [{ code: 'PROVIDER_UNAVAILABLE' }] });
    expect(run?.summary).toEqual({ leads: 3, drafts: 0 });
    expect((await stores.runs.list(10)).map((r) => r.runId)).toEqual([runId]);
    expect(await stores.runs.get('run_missing')).toBeNull();
  });

  it('keeps one lead per source record across runs and remembers the raw provider record', async () => {
    const runId = await startRun();
    const lead = aDiscoveredLead({ sourceId: 'p1', raw: { id: 'p1', first_name: 'Maya' } });
    const [first] = await stores.leads.upsertDiscovered(runId, [lead]);
    const [again] = await stores.leads.upsertDiscovered('run_20261124_100000_abcdef', [{ ...lead, profile: aProfile({ title: 'CRO' }) }]);
    expect(again!.id).toBe(first!.id);
    const stored = await stores.leads.profile(first!.id);
    expect(stored?.profile.title).toBe('CRO');
    expect(stored?.firstRunId).toBe(runId);
    expect(stored?.lastRunId).toBe('run_20261124_100000_abcdef');
    const [{ raw }] = ((await database.db.execute(sql`select raw from leads where id = ${first!.id}`)) as { rows: [{ raw: Record<string, unknown> }] }).rows;
    expect(raw).toEqual({ apollo_search: { id: 'p1', first_name: 'Maya' } });
  });

  it('uses the normalised email as the identity: a second record of the same person folds into the first', async () => {
    const runId = await startRun();
    const [a, b] = await stores.leads.upsertDiscovered(runId, [aDiscoveredLead({ sourceId: 'p1' }), aDiscoveredLead({ sourceId: 'p2' })]);
    const first = await stores.leads.applyEnrichment(a!.id, runId, 'apollo_match', { outcome: 'matched', profile: aProfile({ email: 'jane.doe@acme.example.com' }), raw: { id: 'p1' }, fields: ['email'] });
    const second = await stores.leads.applyEnrichment(b!.id, runId, 'apollo_match', {
      outcome: 'matched',
      profile: aProfile({ email: 'jane.doe@acme.example.com', title: 'Chief Revenue Officer' }),
      raw: { id: 'p2' },
      fields: ['email', 'title'],
    });
    expect(first).toMatchObject({ leadId: a!.id, duplicateOf: null });
    expect(second).toMatchObject({ leadId: a!.id, duplicateOf: a!.id });
    expect(second.profile.title).toBe('Chief Revenue Officer');
    expect((await stores.leads.profile(b!.id))?.status).toBe('duplicate');
    const detail = await stores.leadDetail.detailByEmail('  Jane.Doe@ACME.example.com ');
    expect(detail?.lead.id).toBe(a!.id);
    expect(detail?.enrichments.map((e) => e.outcome)).toEqual(['matched']);
  });

  it('records a miss or an error as an unenriched lead that keeps its profile', async () => {
    const runId = await startRun();
    const [a] = await stores.leads.upsertDiscovered(runId, [aDiscoveredLead()]);
    const out = await stores.leads.applyEnrichment(a!.id, runId, 'apollo_match', { outcome: 'error', error: 'PROVIDER_BAD_RESPONSE' });
    expect(out.profile.firstName).toBe('Maya');
    expect((await stores.leads.profile(a!.id))?.status).toBe('unenriched');
  });

  it('stores every score component and reason, and marks a disqualified lead with its reason', async () => {
    const runId = await startRun();
    const [a, b] = await stores.leads.upsertDiscovered(runId, [aDiscoveredLead({ profile: aProfile({ email: 'a@x.example.com' }) }), aDiscoveredLead({ profile: aProfile({ email: 'b@gong.io' }) })]);
    await stores.leads.recordScore(a!.id, runId, aScore());
    await stores.leads.recordScore(b!.id, runId, aScore({ disqualification: { code: 'competitor', reason: 'competitor: gong.io' } }));
    const detail = await stores.leadDetail.detailByEmail('a@x.example.com');
    expect(detail?.score).toMatchObject({ points: 82, tier: 'tier_1', multiplier: 1.3, needsReview: true, reasons: aScore().reasons, components: aScore().components });
    expect(await stores.leads.list({ status: 'disqualified' })).toMatchObject([{ id: b!.id, disqualificationReason: 'competitor: gong.io' }]);
    expect((await stores.leads.list({ tier: 'tier_1' })).length).toBe(2);
  });

  it('queues a draft once: the same draft again is not duplicated, a changed one supersedes it', async () => {
    const runId = await startRun();
    const [a] = await stores.leads.upsertDiscovered(runId, [aDiscoveredLead({ profile: aProfile({ email: 'a@x.example.com' }) })]);
    const first = await stores.drafts.queueForReview(a!.id, runId, aDraft());
    const same = await stores.drafts.queueForReview(a!.id, runId, aDraft());
    const changed = await stores.drafts.queueForReview(a!.id, runId, aDraft({ fingerprint: 'ffffffffffffffff', subjectA: 'Another subject' }));
    expect(first.queued).toBe(true);
    expect(same).toEqual({ draftId: first.draftId, queued: false });
    expect(changed.queued).toBe(true);
    const detail = await stores.leadDetail.detailByEmail('a@x.example.com');
    expect(detail?.drafts.map((d) => [d.version, d.status])).toEqual([
      [2, 'pending_review'],
      [1, 'superseded'],
    ]);
    expect(detail?.drafts[1]?.grounding).toEqual(aDraft().grounding);
    expect((await stores.drafts.pendingForRun(runId)).map((d) => d.id)).toEqual([changed.draftId]);
  });

  it('records a shadow send once per draft and channel', async () => {
    const runId = await startRun();
    const [a] = await stores.leads.upsertDiscovered(runId, [aDiscoveredLead({ profile: aProfile({ email: 'a@x.example.com' }) })]);
    const { draftId } = await stores.drafts.queueForReview(a!.id, runId, aDraft());
    const entry = { runId, draftId, leadId: a!.id, channel: 'instantly', recipient: 'a@x.example.com', subject: 's', payload: {} };
    expect(await stores.shadowSends.record(entry)).toBe(true);
    expect(await stores.shadowSends.record(entry)).toBe(false);
    expect((await stores.leadDetail.detailByEmail('a@x.example.com'))?.shadowSends).toHaveLength(1);
  });

  it('keeps the audit log append-only: updates and deletes are refused', async () => {
    await stores.audit.append({ at: new Date(), actor: 'system', action: 'run.started', entityType: 'run', entityId: 'r1', runId: 'r1', details: {} });
    await expect(database.db.execute(sql`update audit_log set action = 'x'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    const { rows } = (await database.db.execute(sql`select action from audit_log`)) as { rows: unknown[] };
    expect(rows).toEqual([{ action: 'run.started' }]);
  });
});
