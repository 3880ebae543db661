import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { LeadProfile } from '../domain/lead.js';
import type { PendingVisitor, VisitorStore } from '../pipeline/ports.js';
import type { Db } from './database.js';
import { leadEvents, leads } from './schema.js';

const RB2B = 'rb2b';
const WEBSITE_VISIT = 'website_visit';

/**
 * The website visitors a pipeline run takes (pipeline/visitors.ts): RB2B leads still `discovered`
 * and each one's sightings, read from their timeline (one `website_visit` event per RB2B event,
 * recorded by the inbox processor), so repeat visits count however many deliveries there were.
 */
export const createVisitorStore = (db: Db): VisitorStore => ({
  pending: async (limit: number): Promise<PendingVisitor[]> => {
    const rows = await db
      .select({ id: leads.id, source: leads.source, sourceId: leads.sourceId, profile: leads.profile })
      .from(leads)
      .where(and(eq(leads.source, RB2B), eq(leads.status, 'discovered')))
      .orderBy(asc(leads.createdAt), asc(leads.id))
      .limit(limit);
    if (rows.length === 0) return [];
    const events = await db
      .select({ leadId: leadEvents.leadId, at: leadEvents.at, page: sql<string | null>`${leadEvents.details}->>'page'` })
      .from(leadEvents)
      .where(
        and(
          inArray(
            leadEvents.leadId,
            rows.map((r) => r.id),
          ),
          eq(leadEvents.type, WEBSITE_VISIT),
        ),
      )
      .orderBy(asc(leadEvents.at));
    const byLead = new Map<string, PendingVisitor['sightings']>();
    for (const e of events) {
      const list = byLead.get(e.leadId) ?? [];
      list.push({ at: e.at, page: e.page });
      byLead.set(e.leadId, list);
    }
    return rows.map((r) => ({ leadId: r.id, source: r.source, sourceId: r.sourceId, profile: r.profile as LeadProfile, sightings: byLead.get(r.id) ?? [] }));
  },
  disqualify: async (items, at) => {
    for (const item of items) {
      // Only a lead still waiting: one that moved meanwhile (a reply, an unsubscribe) keeps its status.
      await db
        .update(leads)
        .set({ status: 'disqualified', disqualificationReason: item.reason, updatedAt: at })
        .where(and(eq(leads.id, item.leadId), eq(leads.status, 'discovered')));
    }
  },
});
