import { and, desc, eq, inArray, max } from 'drizzle-orm';
import type { Db } from './database.js';
import { drafts, leads, shadowSends } from './schema.js';
import type { DraftStore, DraftSummary, ShadowSend, ShadowSendStore, StoredDraft } from '../pipeline/ports.js';
import type { CraftedDraft } from '../domain/drafting/index.js';
import type { QualityVerdict } from '../domain/quality/quality-guard.js';
import type { AngleId } from '../domain/drafting/index.js';

type DraftRow = typeof drafts.$inferSelect;

export const toStoredDraft = (row: DraftRow): StoredDraft => ({
  id: row.id,
  leadId: row.leadId,
  runId: row.runId,
  angleId: row.angleId as AngleId,
  angleReason: row.angleReason,
  subjectA: row.subjectA,
  subjectB: row.subjectB,
  body: row.body,
  followUps: row.followUps as StoredDraft['followUps'],
  hooks: row.hooks as StoredDraft['hooks'],
  grounding: row.grounding as StoredDraft['grounding'],
  fingerprint: row.fingerprint,
  status: row.status,
  version: row.version,
  quality: (row.quality as QualityVerdict | null) ?? null,
  createdAt: row.createdAt,
});

export const toShadowSend = (row: typeof shadowSends.$inferSelect): ShadowSend => ({
  id: row.id,
  runId: row.runId,
  draftId: row.draftId,
  leadId: row.leadId,
  channel: row.channel,
  recipient: row.recipient,
  subject: row.subject,
  createdAt: row.createdAt,
});

const CHUNK = 500;

const queueChunk = async (db: Db, runId: string, items: { leadId: string; draft: Omit<CraftedDraft, 'angleId'> & { angleId: string }; quality?: QualityVerdict | undefined }[]) => {
  const leadIds = items.map((i) => i.leadId);
  const pending = await db
    .select({ id: drafts.id, leadId: drafts.leadId, fingerprint: drafts.fingerprint })
    .from(drafts)
    .where(and(inArray(drafts.leadId, leadIds), eq(drafts.status, 'pending_review')));
  const results: ({ draftId: string; queued: boolean } | null)[] = items.map((item) => {
    const same = pending.find((p) => p.leadId === item.leadId && p.fingerprint === item.draft.fingerprint);
    return same ? { draftId: same.id, queued: false } : null;
  });
  const fresh = items.filter((_, i) => results[i] === null);
  if (fresh.length === 0) return results as { draftId: string; queued: boolean }[];
  const freshLeadIds = fresh.map((f) => f.leadId);
  // A changed draft replaces the one waiting for review, so a reviewer never sees two for one lead.
  await db
    .update(drafts)
    .set({ status: 'superseded', updatedAt: new Date() })
    .where(and(inArray(drafts.leadId, freshLeadIds), eq(drafts.status, 'pending_review')));
  const versions = new Map(
    (
      await db
        .select({ leadId: drafts.leadId, v: max(drafts.version) })
        .from(drafts)
        .where(inArray(drafts.leadId, freshLeadIds))
        .groupBy(drafts.leadId)
    ).map((r) => [r.leadId, r.v ?? 0]),
  );
  const inserted = await db
    .insert(drafts)
    .values(
      fresh.map(({ leadId, draft, quality }) => ({
        leadId,
        runId,
        angleId: draft.angleId,
        angleReason: draft.angleReason,
        subjectA: draft.subjectA,
        subjectB: draft.subjectB,
        body: draft.body,
        followUps: draft.followUps,
        hooks: draft.hooks,
        grounding: draft.grounding,
        fingerprint: draft.fingerprint,
        status: 'pending_review',
        quality: quality ?? null,
        version: (versions.get(leadId) ?? 0) + 1,
      })),
    )
    .returning({ id: drafts.id, leadId: drafts.leadId });
  const idByLead = new Map(inserted.map((r) => [r.leadId, r.id]));
  return results.map((r, i) => r ?? { draftId: idByLead.get(items[i]!.leadId)!, queued: true });
};

/** Ids per query when a report looks its drafts up (well under PostgreSQL's 65,535 parameters). */
const SUMMARY_CHUNK = 5_000;

export const createDraftStore = (db: Db): DraftStore & { forLead: (leadId: string) => Promise<StoredDraft[]> } => {
  const queueManyForReview: DraftStore['queueManyForReview'] = async (runId, items) => {
    const out: { draftId: string; queued: boolean }[] = [];
    for (let i = 0; i < items.length; i += CHUNK) out.push(...(await queueChunk(db, runId, items.slice(i, i + CHUNK))));
    return out;
  };
  return {
    queueManyForReview,
    queueForReview: async (leadId, runId, draft) => (await queueManyForReview(runId, [{ leadId, draft }]))[0]!,
    summaries: async (draftIds) => {
      const byId = new Map<string, DraftSummary>();
      for (let i = 0; i < draftIds.length; i += SUMMARY_CHUNK) {
        const rows = await db
          .select({ draftId: drafts.id, leadId: drafts.leadId, email: leads.email, tier: leads.tier, points: leads.points, angleId: drafts.angleId, subjectA: drafts.subjectA })
          .from(drafts)
          .innerJoin(leads, eq(leads.id, drafts.leadId))
          .where(inArray(drafts.id, draftIds.slice(i, i + SUMMARY_CHUNK)));
        for (const r of rows) byId.set(r.draftId, { ...r, tier: r.tier ?? '', points: r.points ?? 0 });
      }
      // A draft erased since (privacy delete) drops out of the report.
      return draftIds.flatMap((id) => byId.get(id) ?? []);
    },
    pendingForRun: async (runId) => {
      const rows = await db
        .select()
        .from(drafts)
        .where(and(eq(drafts.runId, runId), eq(drafts.status, 'pending_review')));
      return rows.map(toStoredDraft);
    },
    forLead: async (leadId) => {
      const rows = await db.select().from(drafts).where(eq(drafts.leadId, leadId)).orderBy(desc(drafts.version));
      return rows.map(toStoredDraft);
    },
  };
};

export const createShadowSendStore = (db: Db): ShadowSendStore & { forLead: (leadId: string) => Promise<ShadowSend[]> } => ({
  record: async (entry) => {
    const rows = await db.insert(shadowSends).values(entry).onConflictDoNothing().returning({ id: shadowSends.id });
    return rows.length > 0;
  },
  recordMany: async (entries) => {
    let added = 0;
    for (let i = 0; i < entries.length; i += CHUNK) {
      added += (
        await db
          .insert(shadowSends)
          .values(entries.slice(i, i + CHUNK))
          .onConflictDoNothing()
          .returning({ id: shadowSends.id })
      ).length;
    }
    return added;
  },
  forLead: async (leadId) => {
    const rows = await db.select().from(shadowSends).where(eq(shadowSends.leadId, leadId)).orderBy(desc(shadowSends.createdAt));
    return rows.map(toShadowSend);
  },
});
