import { and, desc, eq, max } from 'drizzle-orm';
import type { Db } from './database.js';
import { drafts, shadowSends } from './schema.js';
import type { DraftStore, ShadowSend, ShadowSendStore, StoredDraft } from '../pipeline/ports.js';
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

export const createDraftStore = (db: Db): DraftStore & { forLead: (leadId: string) => Promise<StoredDraft[]> } => ({
  queueForReview: async (leadId, runId, draft) => {
    const pending = await db.select().from(drafts).where(and(eq(drafts.leadId, leadId), eq(drafts.status, 'pending_review')));
    const same = pending.find((d) => d.fingerprint === draft.fingerprint);
    if (same) return { draftId: same.id, queued: false };
    // A changed draft replaces the one waiting for review, so a reviewer never sees two for one lead.
    if (pending.length > 0) {
      await db.update(drafts).set({ status: 'superseded', updatedAt: new Date() }).where(and(eq(drafts.leadId, leadId), eq(drafts.status, 'pending_review')));
    }
    const [latest] = await db.select({ v: max(drafts.version) }).from(drafts).where(eq(drafts.leadId, leadId));
    const [row] = await db
      .insert(drafts)
      .values({
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
        version: (latest?.v ?? 0) + 1,
      })
      .returning({ id: drafts.id });
    return { draftId: row!.id, queued: true };
  },
  pendingForRun: async (runId) => {
    const rows = await db.select().from(drafts).where(and(eq(drafts.runId, runId), eq(drafts.status, 'pending_review')));
    return rows.map(toStoredDraft);
  },
  forLead: async (leadId) => {
    const rows = await db.select().from(drafts).where(eq(drafts.leadId, leadId)).orderBy(desc(drafts.version));
    return rows.map(toStoredDraft);
  },
});

export const createShadowSendStore = (db: Db): ShadowSendStore & { forLead: (leadId: string) => Promise<ShadowSend[]> } => ({
  record: async (entry) => {
    const rows = await db.insert(shadowSends).values(entry).onConflictDoNothing().returning({ id: shadowSends.id });
    return rows.length > 0;
  },
  forLead: async (leadId) => {
    const rows = await db.select().from(shadowSends).where(eq(shadowSends.leadId, leadId)).orderBy(desc(shadowSends.createdAt));
    return rows.map(toShadowSend);
  },
});
