import { and, eq, inArray, sql } from 'drizzle-orm';
import type { CampaignRoster } from '../signals/ports.js';
import type { Db } from './database.js';
import { leadEvents, leads, outbox } from './schema.js';
import { toSignalLead } from './signals-repo.js';

/**
 * Who we added to a HeyReach campaign, from the outbox (the signal loop's CampaignRoster port):
 * the leads of HeyReach items sent with that provider ref, and which of them already heard a
 * delivery (its id kept in the event's `details.inboxId`, see signals/campaign-completed.ts).
 */
export const createCampaignRosterStore = (db: Db): CampaignRoster => ({
  leadsSentTo: async (providerRef) => {
    const sent = db
      .selectDistinct({ leadId: outbox.leadId })
      .from(outbox)
      .where(and(eq(outbox.channel, 'heyreach'), eq(outbox.status, 'sent'), eq(outbox.providerRef, providerRef), sql`${outbox.leadId} is not null`));
    return (await db.select().from(leads).where(inArray(leads.id, sent)).orderBy(leads.id)).map(toSignalLead);
  },
  heard: async (inboxId, type, leadIds) => {
    if (leadIds.length === 0) return new Set();
    const rows = await db
      .selectDistinct({ leadId: leadEvents.leadId })
      .from(leadEvents)
      .where(and(inArray(leadEvents.leadId, [...leadIds]), eq(leadEvents.type, type), sql`${leadEvents.details}->>'inboxId' = ${inboxId}`));
    return new Set(rows.map((r) => r.leadId));
  },
});
