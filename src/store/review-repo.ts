import { REVIVAL_ANGLE_ID } from '../domain/drafting/revival-draft.js';
import { isReplyAngle } from '../domain/drafting/reply-draft.js';
import { and, asc, desc, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { batches, drafts, leads, rejections, scores } from './schema.js';
import { toStoredDraft } from './drafts-repo.js';
import type { RejectionMemory } from '../pipeline/ports.js';
import type { CardFacts, Decision, RejectionRecord, Reopening, ReviewDraft, ReviewStore } from '../pipeline/review-ports.js';
import type { LeadProfile } from '../domain/lead.js';

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

const leadStatusAfter: Partial<Record<Decision['event'], string>> = { approve: 'approved', reject: 'review_rejected' };

const rejectionRecord = (r: typeof rejections.$inferSelect): RejectionRecord => ({
  draftId: r.draftId,
  tag: r.tag,
  reason: r.reason,
  fingerprint: r.fingerprint,
  angleId: r.angleId,
  subject: r.subject,
  rejectedBy: r.rejectedBy,
  rejectedAt: r.rejectedAt,
});

/** The review queue's order: the best leads first, then the oldest draft (the id breaks ties). */
const QUEUE_ORDER = [desc(leads.points), asc(drafts.createdAt), asc(drafts.id)];

export const createReviewStore = (db: Db): ReviewStore => {
  const load = async (where: ReturnType<typeof eq>, limit?: number, newestDecisionFirst = false): Promise<ReviewDraft[]> => {
    const base = db
      .select({ draft: drafts, lead: { id: leads.id, email: leads.email, first: leads.firstName, last: leads.lastName, title: leads.title, company: leads.companyName, tier: leads.tier, points: leads.points, profile: leads.profile } })
      .from(drafts)
      .innerJoin(leads, eq(drafts.leadId, leads.id))
      .where(where)
      .orderBy(...(newestDecisionFirst ? [desc(drafts.decidedAt), desc(drafts.id)] : QUEUE_ORDER));
    const rows = limit ? await base.limit(limit) : await base;
    return rows.map(({ draft, lead }) => ({
      ...toStoredDraft(draft),
      decidedBy: draft.decidedBy,
      decidedAt: draft.decidedAt,
      editedSubject: draft.editedSubject,
      editedBody: draft.editedBody,
      lead: { id: lead.id, email: lead.email, name: [lead.first, lead.last].filter(Boolean).join(' ') || null, title: lead.title, company: lead.company, tier: lead.tier, points: lead.points, profile: lead.profile as LeadProfile },
    }));
  };

  return {
    queue: (filter: { tier?: string | undefined; angleId?: string | undefined; verdict?: 'passed' | 'failed' | undefined; limit: number }) => {
      const conditions = [eq(drafts.status, 'pending_review')];
      // 'failed': the guard recorded rule failures (soft mode let the draft through).
      if (filter.verdict === 'failed') conditions.push(sql`jsonb_array_length(coalesce(${drafts.quality}->'ruleFailures', '[]'::jsonb)) > 0`);
      if (filter.verdict === 'passed') conditions.push(sql`jsonb_array_length(coalesce(${drafts.quality}->'ruleFailures', '[]'::jsonb)) = 0`);
      if (filter.tier) conditions.push(eq(leads.tier, filter.tier));
      if (filter.angleId) conditions.push(eq(drafts.angleId, filter.angleId));
      // The page's ids first (index-only on leads_points_idx and drafts_pending_lead_idx), then
      // only those rows whole: sorting every waiting draft with its body and the lead's profile
      // cost twice as much at 10,000 waiting drafts.
      const page = db
        .select({ id: drafts.id })
        .from(drafts)
        .innerJoin(leads, eq(drafts.leadId, leads.id))
        .where(and(...conditions))
        .orderBy(...QUEUE_ORDER)
        .limit(filter.limit);
      return load(inArray(drafts.id, page));
    },

    get: async (draftId: string): Promise<ReviewDraft | null> => (await load(eq(drafts.id, draftId)))[0] ?? null,

    /**
     * Apply a decision only if the draft is still in one of `from`: one guarded UPDATE, so of two
     * reviewers deciding at once exactly one wins. Returns false when the draft was not in `from`.
     */
    decide: async (d: Decision): Promise<boolean> =>
      db.transaction(async (tx) => {
        const updated = await tx
          .update(drafts)
          .set({ status: d.to, decidedBy: d.by, decidedAt: d.at, updatedAt: d.at, ...(d.edit ? { editedSubject: d.edit.subject, editedBody: d.edit.body } : {}) })
          .where(and(eq(drafts.id, d.draftId), inArray(drafts.status, [...d.from])))
          .returning({ leadId: drafts.leadId, fingerprint: drafts.fingerprint, angleId: drafts.angleId, subjectA: drafts.subjectA });
        const row = updated[0];
        if (!row) return false;
        // A revival draft leaves the lead `revival_queued`: its send moves it to `revival_sent` (docs/revival.md).
        // A suggested answer to a reply leaves the lead where the reply put it (`replied`, docs/replies.md).
        const leadStatus = row.angleId === REVIVAL_ANGLE_ID || isReplyAngle(row.angleId) ? undefined : leadStatusAfter[d.event];
        if (leadStatus) await tx.update(leads).set({ status: leadStatus, updatedAt: d.at }).where(eq(leads.id, row.leadId));
        if (d.rejection) {
          await tx
            .insert(rejections)
            .values({ leadId: row.leadId, draftId: d.draftId, tag: d.rejection.tag, reason: d.rejection.reason, fingerprint: row.fingerprint, angleId: row.angleId, subject: row.subjectA, rejectedBy: d.by, rejectedAt: d.at });
        }
        return true;
      }),

    /**
     * Put a decided draft back in the queue: one guarded UPDATE that also checks no live batch
     * (pending, approved or executed) holds the draft, so an undo never races a batch being built
     * into a sent e-mail. Its rejection record goes too (the drafting memory must not learn from an
     * undone rejection) and the lead goes back to pending_review if the decision was its last move.
     */
    reopen: async (r: Reopening): Promise<boolean> =>
      db.transaction(async (tx) => {
        const inBatch = sql`exists (select 1 from ${batches} where ${batches.status} in ('pending_approval', 'approved', 'executed') and ${batches.scope} @> jsonb_build_array(jsonb_build_object('draftId', ${drafts.id}::text)))`;
        const updated = await tx
          .update(drafts)
          .set({ status: 'pending_review', decidedBy: null, decidedAt: null, editedSubject: null, editedBody: null, updatedAt: r.at })
          .where(and(eq(drafts.id, r.draftId), inArray(drafts.status, [...r.from]), ...(r.decidedAt ? [eq(drafts.decidedAt, r.decidedAt)] : []), sql`not ${inBatch}`))
          .returning({ leadId: drafts.leadId, angleId: drafts.angleId });
        const row = updated[0];
        if (!row) return false;
        await tx.delete(rejections).where(eq(rejections.draftId, r.draftId));
        if (row.angleId !== REVIVAL_ANGLE_ID) {
          await tx
            .update(leads)
            .set({ status: 'pending_review', updatedAt: r.at })
            .where(and(eq(leads.id, row.leadId), inArray(leads.status, ['approved', 'review_rejected'])));
        }
        return true;
      }),

    /** True when a pending, approved or executed batch holds the draft (it can no longer be reopened). */
    batched: async (draftId: string): Promise<boolean> =>
      (
        await db
          .select({ id: batches.id })
          .from(batches)
          .where(and(inArray(batches.status, ['pending_approval', 'approved', 'executed']), sql`${batches.scope} @> ${JSON.stringify([{ draftId }])}::jsonb`))
          .limit(1)
      ).length > 0,

    /** Drafts decided (approved or rejected) since `since`, newest first: the "decided today" view. */
    decidedSince: async (since: Date, limit: number): Promise<ReviewDraft[]> => load(and(inArray(drafts.status, ['approved', 'rejected']), isNotNull(drafts.decidedAt), gte(drafts.decidedAt, since)) as ReturnType<typeof eq>, limit, true),

    /**
     * The counters at the top of the review page: the waiting drafts on their partial index, the
     * day's decisions on drafts_decided_idx (both index-only), never a pass over every draft.
     */
    reviewCounts: async (since: Date) => {
      const at = since.toISOString();
      const [row] = rowsOf<{ waiting: number; approved: number; rejected: number }>(
        await db.execute(sql`select (select count(*) from drafts where status = 'pending_review')::int as waiting, t.approved, t.rejected
          from (select count(*) filter (where status in ('approved', 'sent'))::int as approved, count(*) filter (where status = 'rejected')::int as rejected
            from drafts where decided_at is not null and decided_at >= ${at}::timestamptz) t`),
      );
      return { waiting: Number(row?.waiting ?? 0), approvedToday: Number(row?.approved ?? 0), rejectedToday: Number(row?.rejected ?? 0) };
    },

    /** Rejections of these leads since `since` (the memory's TTL), per lead. */
    memoryFor: async (leadIds: string[], since: Date): Promise<Map<string, RejectionMemory>> => {
      const memory = new Map<string, RejectionMemory>();
      if (leadIds.length === 0) return memory;
      const rows = await db
        .select()
        .from(rejections)
        .where(and(inArray(rejections.leadId, leadIds), gte(rejections.rejectedAt, since)))
        .orderBy(asc(rejections.rejectedAt));
      for (const r of rows) {
        const m = memory.get(r.leadId) ?? { count: 0, angleIds: [], fingerprints: [], tags: [], reasons: [], subjects: [] };
        m.count++;
        if (!m.angleIds.includes(r.angleId)) m.angleIds.push(r.angleId);
        m.fingerprints.push(r.fingerprint);
        m.tags.push(r.tag);
        m.reasons.push(r.reason);
        m.subjects.push(r.subject);
        memory.set(r.leadId, m);
      }
      return memory;
    },

    rejectionsOf: async (leadId: string): Promise<RejectionRecord[]> => (await db.select().from(rejections).where(eq(rejections.leadId, leadId)).orderBy(asc(rejections.rejectedAt))).map(rejectionRecord),

    cardFactsOf: async (leadIds: readonly string[]): Promise<Map<string, CardFacts>> => {
      const facts = new Map<string, CardFacts>(leadIds.map((id) => [id, { reasons: [], rejections: [] }]));
      if (leadIds.length === 0) return facts;
      const ids = [...leadIds];
      const [latest, rejected] = await Promise.all([
        db.selectDistinctOn([scores.leadId], { leadId: scores.leadId, reasons: scores.reasons }).from(scores).where(inArray(scores.leadId, ids)).orderBy(scores.leadId, desc(scores.createdAt)),
        db.select().from(rejections).where(inArray(rejections.leadId, ids)).orderBy(asc(rejections.rejectedAt)),
      ]);
      for (const row of latest) facts.get(row.leadId)!.reasons = Array.isArray(row.reasons) ? (row.reasons as unknown[]).map(String) : [];
      for (const row of rejected) facts.get(row.leadId)?.rejections.push(rejectionRecord(row));
      return facts;
    },
  };
};

export type { ReviewDraft, ReviewStore } from '../pipeline/review-ports.js';
