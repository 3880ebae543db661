import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../../src/domain/drafting/index.js';
import { AppError } from '../../../src/lib/app-error.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { createReviewService, type ReviewService } from '../../../src/pipeline/review-draft.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { createStores } from '../../../src/store/index.js';
import { createReviewStore } from '../../../src/store/review-repo.js';
import { createAuditStore } from '../../../src/store/audit-repo.js';
import type { Database } from '../../../src/store/database.js';
import type { PipelineStores } from '../../../src/pipeline/ports.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { fakeEnricher, fakeSource, pipelineDeps } from '../../support/pipeline.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const company = { name: 'Northwind Agency', domain: 'northwind.example.com', industry: 'marketing & advertising', employeeCount: 180, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null };

describe.each(STORE_KINDS)('review on %s', (kind) => {
  let database: Database;
  let stores: PipelineStores;
  let review: ReviewService;
  const clock = fixedClock('2026-11-24T09:00:00Z');
  let counter = 0;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    stores = createStores(database.db);
    review = createReviewService({ review: createReviewStore(database.db), audit: stores.audit, clock, sender: SENDER, quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2 } });
  });
  afterEach(async () => {
    await database.close();
  });

  /** Run the pipeline for one CEO lead and return its pending draft id. */
  const draftFor = async (email = `ceo${++counter}@northwind.example.com`) => {
    const lead = aDiscoveredLead({ sourceId: email, profile: aProfile({ email, title: 'CEO', company }) });
    const { deps } = pipelineDeps(stores, { source: fakeSource([lead]), enricher: fakeEnricher({}), clock });
    await runPipeline(deps, { limit: 10, source: 'fake', seed: null });
    const detail = await stores.leadDetail.detailByEmail(email);
    return { email, draftId: detail!.drafts[0]!.id, angleId: detail!.drafts[0]!.angleId };
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as AppError,
    );

  it('approves a pending draft without sending anything, and audits it', async () => {
    const { draftId, email } = await draftFor();
    const decided = await review.approve({ draftId, by: 'Dani' });
    expect(decided).toMatchObject({ status: 'approved', decidedBy: 'Dani' });
    expect((await stores.leadDetail.detailByEmail(email))?.lead.status).toBe('approved');
    expect((await refusal(review.approve({ draftId, by: 'Sam' })))?.code).toBe('CONFLICT');
    const actions = (await createAuditStore(database.db).list({ limit: 100 })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['review.approved', 'review.approve_refused']));
  });

  it('requires a reason and a known tag to reject, and never approves a rejected draft', async () => {
    const { draftId } = await draftFor();
    expect((await refusal(review.reject({ draftId, by: 'Dani', reason: ' ', tag: 'weak_cta' })))?.code).toBe('INVALID_INPUT');
    const badTag = await refusal(review.reject({ draftId, by: 'Dani', reason: 'meh', tag: 'bad' }));
    expect(badTag?.message).toContain('personalization_mismatch');
    await review.reject({ draftId, by: 'Dani', reason: 'opener is generic', tag: 'personalization_mismatch' });
    const again = await refusal(review.approve({ draftId, by: 'Sam' }));
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('re-run the pipeline') });
  });

  it('lets an approved draft be rejected until it is sent', async () => {
    const { draftId } = await draftFor();
    await review.approve({ draftId, by: 'Dani' });
    expect((await review.reject({ draftId, by: 'Sam', reason: 'wrong person', tag: 'icp_mismatch' })).status).toBe('rejected');
  });

  it('re-checks an edit: empty body, lost footer and placeholders are refused with the rule; a good edit is kept beside the original', async () => {
    const { draftId } = await draftFor();
    const original = (await review.show(draftId)).draft;
    expect((await refusal(review.approve({ draftId, by: 'Dani', edit: { body: '' } })))?.message).toContain('EDIT-BODY');
    const noFooter = await refusal(review.approve({ draftId, by: 'Dani', edit: { body: 'Hi Maya,\n\nShort note.\n\nBest,\nDani' } }));
    expect(noFooter?.message).toMatch(/FOOTER-ADDRESS.*FOOTER-UNSUBSCRIBE/);
    expect((await refusal(review.approve({ draftId, by: 'Dani', edit: { subject: 'Hi {{first_name}}' } })))?.message).toContain('PERS-001');
    const bannedOpener = original.body.replace(/^(Hi [^\n]*\n\n)[^\n]*/, '$1I hope this email finds you well.');
    expect((await refusal(review.approve({ draftId, by: 'Dani', edit: { body: bannedOpener } })))?.message).toContain('GUARD-004');
    const edited = original.body.replace('Hi ', 'Hello ');
    const decided = await review.approve({ draftId, by: 'Dani', edit: { subject: 'A better subject', body: edited } });
    expect(decided).toMatchObject({ status: 'approved', editedSubject: 'A better subject', editedBody: edited, subjectA: original.subjectA, body: original.body });
  });

  it('refuses a decision on a draft that changed since it was shown', async () => {
    const { draftId } = await draftFor();
    expect((await refusal(review.approve({ draftId, by: 'Dani', expectedStatus: 'approved' })))?.message).toContain('changed since it was shown');
    expect((await refusal(review.approve({ draftId: '00000000-0000-0000-0000-000000000000', by: 'Dani' })))?.code).toBe('NOT_FOUND');
    expect((await refusal(review.approve({ draftId: 'not-a-uuid', by: 'Dani' })))?.code).toBe('NOT_FOUND');
  });

  it('lets exactly one of a concurrent approve and reject win; the audit shows both attempts', async () => {
    const { draftId } = await draftFor();
    const outcomes = await Promise.allSettled([review.approve({ draftId, by: 'Dani' }), review.reject({ draftId, by: 'Sam', reason: 'no', tag: 'other', expectedStatus: 'pending_review' })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const failed = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as AppError).code).toBe('CONFLICT');
    const audit = (await createAuditStore(database.db).list({ limit: 100 }))
      .filter((a) => a.entityId === draftId && a.action.startsWith('review.'))
      .map((a) => a.actor)
      .sort();
    expect(audit).toEqual(['Dani', 'Sam']);
  });

  it('rotates the next draft away from a rejected angle, blocks the lead after two rejections, and forgets after the TTL', async () => {
    const first = await draftFor('repeat@northwind.example.com');
    await review.reject({ draftId: first.draftId, by: 'Dani', reason: 'too long', tag: 'length_issue' });
    const second = await draftFor('repeat@northwind.example.com');
    expect(second.angleId).not.toBe(first.angleId);
    await review.reject({ draftId: second.draftId, by: 'Dani', reason: 'still generic', tag: 'personalization_mismatch' });

    const third = await draftFor('repeat@northwind.example.com');
    expect(third.draftId).toBe(second.draftId);
    const lead = (await stores.leadDetail.detailByEmail('repeat@northwind.example.com'))!.lead;
    expect(lead.status).toBe('skipped');
    expect(lead.skipReason).toMatch(/GUARD-001 rejected 2 times \(max 2\)/);

    clock.advance(31 * 86_400_000);
    const fourth = await draftFor('repeat@northwind.example.com');
    expect(fourth.draftId).not.toBe(second.draftId);
    expect(fourth.angleId).toBe(first.angleId);
  });

  it('never leaves a draft both rejected and eligible, whatever the order of decisions', async () => {
    const command = fc.record({ action: fc.constantFrom('approve', 'reject'), expected: fc.constantFrom(undefined, 'pending_review', 'approved') });
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 5 }), async (commands) => {
        const { draftId } = await draftFor();
        let everRejected = false;
        for (const c of commands) {
          const expectedStatus = c.expected;
          await (
            c.action === 'approve' ? review.approve({ draftId, by: 'A', ...(expectedStatus ? { expectedStatus } : {}) }) : review.reject({ draftId, by: 'B', reason: 'x', tag: 'other', ...(expectedStatus ? { expectedStatus } : {}) })
          ).catch((e: unknown) => {
            if (!(e instanceof AppError) || e.code !== 'CONFLICT') throw e;
          });
          const status = (await review.show(draftId)).draft.status;
          everRejected ||= status === 'rejected';
          if (everRejected && status !== 'rejected') return false;
        }
        return true;
      }),
      { numRuns: 12 },
    );
  });
});
