import { desc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { drafts, enrichments, leadEvents, outbox, scores } from './schema.js';

export type TimelineEntry = { at: Date; channel: 'pipeline' | 'email' | 'linkedin' | 'crm' | 'operator' | 'website'; type: string; detail: string };

/**
 * One lead's activity across the pipeline (enrichment, score, drafts and their review), outbound
 * (what the gateway sent) and the signal loop (webhook events with status changes), newest first.
 */
export const createTimelineQuery = (db: Db) => ({
  forLead: async (leadId: string, limit = 200): Promise<TimelineEntry[]> => {
    const [events, enriched, scored, drafted, sent] = await Promise.all([
      db.select().from(leadEvents).where(eq(leadEvents.leadId, leadId)).orderBy(desc(leadEvents.at)).limit(limit),
      db.select().from(enrichments).where(eq(enrichments.leadId, leadId)).orderBy(desc(enrichments.createdAt)).limit(limit),
      db.select().from(scores).where(eq(scores.leadId, leadId)).orderBy(desc(scores.createdAt)).limit(limit),
      db.select().from(drafts).where(eq(drafts.leadId, leadId)).orderBy(desc(drafts.createdAt)).limit(limit),
      db.select().from(outbox).where(eq(outbox.leadId, leadId)).orderBy(desc(outbox.updatedAt)).limit(limit),
    ]);
    const entries: TimelineEntry[] = [
      ...events.map((e) => ({
        at: e.at,
        channel: e.channel as TimelineEntry['channel'],
        type: e.type,
        detail: `${e.source}${e.toStatus ? `: ${e.fromStatus} -> ${e.toStatus}` : ''}${(e.details as { replyCategory?: string }).replyCategory ? ` (reply: ${(e.details as { replyCategory: string }).replyCategory})` : ''}`,
      })),
      ...enriched.map((e) => ({ at: e.createdAt, channel: 'pipeline' as const, type: 'enriched', detail: `${e.provider}: ${e.outcome}${e.quality !== null ? `, quality ${e.quality}` : ''}` })),
      ...scored.map((s) => ({ at: s.createdAt, channel: 'pipeline' as const, type: 'scored', detail: `${s.points} points, ${s.tier}` })),
      ...drafted.flatMap((d) => [
        { at: d.createdAt, channel: 'pipeline' as const, type: 'drafted', detail: `${d.angleId} v${d.version}: "${d.subjectA}"` },
        ...(d.decidedAt ? [{ at: d.decidedAt, channel: 'pipeline' as const, type: `draft_${d.status}`, detail: `by ${d.decidedBy ?? 'unknown'}` }] : []),
      ]),
      ...sent.map((o) => ({ at: o.sentAt ?? o.updatedAt, channel: 'operator' as const, type: `outbound_${o.status}`, detail: `${o.channel}${o.reason ? `: ${o.reason}` : ''}${o.providerRef ? ` (${o.providerRef})` : ''}` })),
    ];
    return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
  },
});
