import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../../src/domain/drafting/index.js';
import { AppError } from '../../../src/lib/app-error.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { createGatekeeper, type Gatekeeper } from '../../../src/pipeline/gatekeeper.js';
import { createReviewService, type ReviewService } from '../../../src/pipeline/review-draft.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { createLogAlerts } from '../../../src/providers/log-alerts.js';
import { createStores } from '../../../src/store/index.js';
import { createBatchStore } from '../../../src/store/batches-repo.js';
import { createReviewStore } from '../../../src/store/review-repo.js';
import { createAuditStore } from '../../../src/store/audit-repo.js';
import type { Database } from '../../../src/store/database.js';
import type { PipelineStores } from '../../../src/pipeline/ports.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { fakeEnricher, fakeSource, pipelineDeps, silentLog } from '../../support/pipeline.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const company = { name: 'Northwind Agency', domain: 'northwind.example.com', industry: 'marketing & advertising', employeeCount: 180, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null };
const ROUTING = { tier_1: ['instantly', 'heyreach'], tier_2: ['instantly', 'heyreach'], tier_3: ['instantly'], tier_4: ['instantly'] } as const;

describe.each(STORE_KINDS)('gatekeeper batches on %s', (kind) => {
  let database: Database;
  let stores: PipelineStores;
  let review: ReviewService;
  let gate: Gatekeeper;
  let alerts: ReturnType<typeof createLogAlerts>;
  let clock: ReturnType<typeof fixedClock>;
  let n = 0;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    stores = createStores(database.db);
    clock = fixedClock('2026-11-24T09:00:00Z');
    alerts = createLogAlerts(silentLog);
    review = createReviewService({ review: createReviewStore(database.db), audit: stores.audit, clock, sender: SENDER, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } });
    gate = createGatekeeper({ batches: createBatchStore(database.db), audit: stores.audit, alerts, clock, settings: { batchExpiryHours: 24, tierRouting: { ...ROUTING } } });
  });
  afterEach(async () => {
    await database.close();
  });

  const approvedDraft = async () => {
    const email = `lead${++n}@northwind.example.com`;
    const lead = aDiscoveredLead({ sourceId: email, profile: aProfile({ email, title: 'CEO', company, linkedinUrl: `https://www.linkedin.com/in/example-${n}` }) });
    await runPipeline(pipelineDeps(stores, { source: fakeSource([lead]), enricher: fakeEnricher({}), clock }).deps, { limit: 5, source: 'fake', seed: null });
    const draftId = (await stores.leadDetail.detailByEmail(email))!.drafts[0]!.id;
    await review.approve({ draftId, by: 'Dani' });
    return draftId;
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as AppError,
    );

  it('freezes the approved drafts with recipients, channels, a preview hash and an expiry, and notifies', async () => {
    const draftId = await approvedDraft();
    const batch = await gate.create('outbound', 'Dani');
    expect(batch).toMatchObject({ status: 'pending_approval', motion: 'outbound', createdBy: 'Dani' });
    expect(batch.scope.map((i) => [i.draftId, i.channel, i.action])).toEqual([
      [draftId, 'instantly', 'send_email'],
      [draftId, 'heyreach', 'linkedin_connect'],
    ]);
    expect(batch.previewHash).toMatch(/^[0-9a-f]{64}$/);
    expect(batch.expiresAt.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(alerts.sent.at(-1)).toMatchObject({ severity: 'warning', title: `Batch ${batch.id.slice(0, 8)} waiting for approval: 2 actions`, body: expect.stringContaining('2 actions for 1 leads (outbound)') });
    expect((await refusal(gate.create('outbound', 'Dani')))?.code).toBe('CONFLICT');
    // A revival batch holds approved revival e-mails only: none is waiting here.
    expect((await refusal(gate.create('revival', 'Dani')))?.code).toBe('CONFLICT');
    expect((await refusal(gate.create('cadence', 'Dani')))?.code).toBe('INVALID_INPUT');
  });

  it('executes only an approved, unexpired batch, exactly once; queue changes after approval do not widen it', async () => {
    const first = await approvedDraft();
    const batch = await gate.create('outbound', 'Dani');
    expect((await refusal(gate.execute(batch.id, 'dispatcher')))?.message).toContain('pending approval');
    await gate.approve(batch.id, 'Sam');
    const later = await approvedDraft();
    const run = await gate.execute(batch.id, 'dispatcher');
    expect(run.items.map((i) => i.draftId)).toEqual([first, first]);
    expect(run.batch.status).toBe('executed');
    expect((await refusal(gate.execute(batch.id, 'dispatcher')))?.message).toContain('already executed');
    expect((await refusal(gate.reject(batch.id, 'Sam', 'too late')))?.message).toContain('already executed');
    const next = await gate.create('outbound', 'Dani');
    expect(new Set(next.scope.map((i) => i.draftId))).toEqual(new Set([first, later]));
  });

  it('refuses to approve or execute an expired batch, and anything on a rejected one', async () => {
    await approvedDraft();
    const batch = await gate.create('outbound', 'Dani');
    clock.advance(25 * 3_600_000);
    expect((await refusal(gate.approve(batch.id, 'Sam')))?.message).toContain('expired');
    const fresh = await gate.create('outbound', 'Dani');
    await gate.reject(fresh.id, 'Sam', 'not this week');
    expect((await refusal(gate.approve(fresh.id, 'Sam')))?.message).toContain('rejected');
    expect((await refusal(gate.execute(fresh.id, 'dispatcher')))?.message).toContain('rejected');
    expect((await refusal(gate.reject(fresh.id, 'Sam', ' ')))?.code).toBe('INVALID_INPUT');
    expect((await refusal(gate.show('00000000-0000-0000-0000-000000000000')))?.code).toBe('NOT_FOUND');
    const actions = (await createAuditStore(database.db).list({ limit: 200 })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['batch.created', 'batch.rejected', 'batch.approve_refused', 'batch.execute_refused']));
  });

  it('refuses to execute a batch whose stored scope was changed after approval', async () => {
    await approvedDraft();
    const batch = await gate.create('outbound', 'Dani');
    await gate.approve(batch.id, 'Sam');
    await database.db.execute(sql`update batches set scope = jsonb_set(scope, '{0,recipient}', '"someone-else@example.com"') where id = ${batch.id}`);
    expect((await refusal(gate.execute(batch.id, 'dispatcher')))?.message).toContain('no longer matches');
  });

  it('never hands a rejected draft to dispatch, whatever the order of review and batch commands', async () => {
    const ids = [await approvedDraft(), await approvedDraft()];
    const op = fc.oneof(fc.record({ kind: fc.constant('reject' as const), i: fc.integer({ min: 0, max: 1 }) }), fc.record({ kind: fc.constantFrom('create' as const, 'approve' as const, 'execute' as const), i: fc.constant(0) }));
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        let batchId: string | null = null;
        for (const o of ops) {
          try {
            if (o.kind === 'reject') await review.reject({ draftId: ids[o.i]!, by: 'R', reason: 'x', tag: 'other' });
            else if (o.kind === 'create') batchId = (await gate.create('outbound', 'C')).id;
            else if (o.kind === 'approve' && batchId) await gate.approve(batchId, 'A');
            else if (o.kind === 'execute' && batchId) {
              const { items } = await gate.execute(batchId, 'D');
              for (const item of items) if ((await review.show(item.draftId)).draft.status !== 'approved') return false;
            }
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
          }
        }
        return true;
      }),
      { numRuns: 10 },
    );
  });
});
