import { desc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { enrichments, leads, scores } from './schema.js';
import { createAuditStore } from './audit-repo.js';
import { createDraftStore, createShadowSendStore } from './drafts-repo.js';
import { createLeadStore, toStoredLead } from './leads-repo.js';
import { createRunStore } from './runs-repo.js';
import { createSuppressionStore } from './suppressions-repo.js';
import { createReviewStore } from './review-repo.js';
import { createClayStore } from './clay-repo.js';
import { createProviderHealthStore } from './provider-health-repo.js';
import { normalizeEmail } from '../domain/lead.js';
import type { LeadDetailQuery, PipelineStores, StoredScore } from '../pipeline/ports.js';
import type { LeadScore } from '../domain/scoring/types.js';

export { openDatabase, type Database, type Db, type StoreLocation } from './database.js';
// The read models the dashboard API serves (server/api/routes.ts), through this entry.
export type { DashboardQueries, LeadSearch, LeadSearchRow, LeadSort } from './dashboard-repo.js';
export { LEAD_SORTS } from './dashboard-repo.js';
export type { OutboxBoardRow, SendBoardQueries } from './send-board-repo.js';
export type { TimelineEntry } from './timeline-repo.js';

const toStoredScore = (row: typeof scores.$inferSelect): StoredScore => {
  const breakdown = row.breakdown as Pick<LeadScore, 'components' | 'titleBucket' | 'industryBucket'>;
  return {
    id: row.id,
    runId: row.runId,
    createdAt: row.createdAt,
    points: row.points,
    rawPoints: row.rawPoints,
    multiplier: Number(row.multiplier),
    tier: row.tier as LeadScore['tier'],
    needsReview: row.needsReview,
    titleBucket: breakdown.titleBucket,
    industryBucket: breakdown.industryBucket,
    components: breakdown.components,
    reasons: row.reasons as string[],
    warnings: row.warnings as string[],
    disqualification: row.disqualification as LeadScore['disqualification'],
    recommendedCampaign: row.recommendedCampaign,
    segmentTags: row.segmentTags as string[],
  };
};

export const createStores = (db: Db): PipelineStores => {
  const audit = createAuditStore(db);
  const draftStore = createDraftStore(db);
  const shadowSends = createShadowSendStore(db);

  const leadDetail: LeadDetailQuery = {
    detailByEmail: async (raw) => {
      const email = normalizeEmail(raw) ?? raw.trim().toLowerCase();
      const [row] = await db.select().from(leads).where(eq(leads.email, email)).limit(1);
      if (!row) return null;
      const [enrichmentRows, [scoreRow], leadDrafts, sends] = await Promise.all([
        db.select().from(enrichments).where(eq(enrichments.leadId, row.id)).orderBy(desc(enrichments.createdAt)),
        db.select().from(scores).where(eq(scores.leadId, row.id)).orderBy(desc(scores.createdAt)).limit(1),
        draftStore.forLead(row.id),
        shadowSends.forLead(row.id),
      ]);
      const auditEntries = await audit.forEntities([
        { type: 'lead', ids: [row.id] },
        { type: 'draft', ids: leadDrafts.map((d) => d.id) },
      ]);
      return {
        lead: toStoredLead(row),
        enrichments: enrichmentRows.map((e) => ({ provider: e.provider, outcome: e.outcome, fields: e.fields as string[], error: e.error, runId: e.runId, createdAt: e.createdAt })),
        score: scoreRow ? toStoredScore(scoreRow) : null,
        drafts: leadDrafts,
        shadowSends: sends,
        audit: auditEntries,
      };
    },
  };

  return {
    runs: createRunStore(db),
    leads: createLeadStore(db),
    leadDetail,
    drafts: draftStore,
    shadowSends,
    audit,
    suppressions: createSuppressionStore(db),
    rejections: createReviewStore(db),
    clay: createClayStore(db),
    providerHealth: createProviderHealthStore(db),
  };
};
