import { and, desc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { BatchMotion, BatchStatus, ScopeItem } from '../domain/approval/batch.js';
import type { ApprovedDraft, Batch, BatchStore } from '../pipeline/review-ports.js';
import type { Db } from './database.js';
import { batches, drafts, leads, outbox } from './schema.js';

const toBatch = ({ expiryAnnouncedAt: _announced, ...row }: typeof batches.$inferSelect): Batch => ({
  ...row,
  motion: row.motion as BatchMotion,
  status: row.status as BatchStatus,
  scope: row.scope as ScopeItem[],
  executionReport: row.executionReport as Record<string, unknown> | null,
});

export const createBatchStore = (db: Db): BatchStore => ({
  insert: async (b: Omit<Batch, 'id' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'executedAt' | 'executionReport'>): Promise<Batch> => {
    const [row] = await db.insert(batches).values(b).returning();
    return toBatch(row!);
  },
  get: async (id: string): Promise<Batch | null> => {
    const [row] = await db.select().from(batches).where(eq(batches.id, id)).limit(1);
    return row ? toBatch(row) : null;
  },
  list: async (limit: number): Promise<Batch[]> => (await db.select().from(batches).orderBy(desc(batches.createdAt)).limit(limit)).map(toBatch),
  open: async (at?: Date): Promise<Batch[]> =>
    (
      await db
        .select()
        .from(batches)
        .where(and(inArray(batches.status, ['pending_approval', 'approved']), at ? or(gt(batches.expiresAt, at), isNull(batches.expiryAnnouncedAt)) : undefined))
    ).map(toBatch),

  /** Move the batch only if it is still `from`: of two concurrent decisions exactly one wins. */
  transition: async (id: string, from: BatchStatus, set: Partial<Pick<Batch, 'status' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'executedAt' | 'executionReport'>>): Promise<boolean> =>
    (
      await db
        .update(batches)
        .set(set)
        .where(and(eq(batches.id, id), eq(batches.status, from)))
        .returning({ id: batches.id })
    ).length > 0,

  approvedDrafts: async (): Promise<ApprovedDraft[]> =>
    (
      await db
        // The profile's LinkedIn URL alone, not the whole profile document.
        .select({ draftId: drafts.id, leadId: drafts.leadId, tier: leads.tier, email: leads.email, linkedinUrl: sql<string | null>`${leads.profile}->>'linkedinUrl'`, angleId: drafts.angleId })
        .from(drafts)
        .innerJoin(leads, eq(drafts.leadId, leads.id))
        // A draft already in the outbox was dispatched by an executed batch: never batch it again.
        .where(and(eq(drafts.status, 'approved'), sql`not exists (select 1 from ${outbox} where ${outbox.draftId} = ${drafts.id})`))
        .orderBy(desc(leads.points))
    ).map((r) => ({ draftId: r.draftId, leadId: r.leadId, tier: r.tier, email: r.email, linkedinUrl: r.linkedinUrl ?? null, angleId: r.angleId })),

  claimExpiryNotice: async (id: string, at: Date): Promise<boolean> =>
    (
      await db
        .update(batches)
        .set({ expiryAnnouncedAt: at })
        .where(and(eq(batches.id, id), isNull(batches.expiryAnnouncedAt)))
        .returning({ id: batches.id })
    ).length > 0,

  draftStatuses: async (ids: string[]): Promise<Map<string, string>> => new Map(ids.length ? (await db.select({ id: drafts.id, status: drafts.status }).from(drafts).where(inArray(drafts.id, ids))).map((r) => [r.id, r.status]) : []),
});

export type { Batch, BatchStore } from '../pipeline/review-ports.js';
