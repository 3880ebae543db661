import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { auditLog, batches, leads, outbox, providerCampaigns } from './schema.js';

/** The audit action that records a batch approved outside the send window, with the time it is to run. */
export const BATCH_SCHEDULED_ACTION = 'batch.execution_scheduled';

/** One outbox item as /operator shows it: who (name and company, never the address), where it stands, and its campaign. */
export type OutboxBoardRow = {
  id: string;
  batchId: string | null;
  /** The lead, for a link to its page (/leads/<id>); never its address. */
  leadId: string | null;
  channel: string;
  step: string;
  status: string;
  reason: string | null;
  notBefore: Date;
  sentAt: Date | null;
  updatedAt: Date;
  leadName: string | null;
  company: string | null;
  campaignName: string | null;
  campaignExternalId: string | null;
  campaignStatus: string | null;
};

export type BatchSchedule = { batchId: string; at: Date; by: string };

/**
 * Read queries for the sending half of /operator (issue 21): the outbox by state with the campaign
 * each Instantly item went to (the item's provider ref names it), and the schedules of batches
 * approved outside the send window (kept in the audit log: no table of their own).
 */
export const createSendBoardQueries = (db: Db) => {
  const schedulesOf = async (batchIds: string[]): Promise<Map<string, BatchSchedule>> => {
    if (batchIds.length === 0) return new Map();
    const rows = await db
      .select({ batchId: auditLog.entityId, at: sql<string>`${auditLog.details}->>'at'`, by: auditLog.actor })
      .from(auditLog)
      .where(and(eq(auditLog.action, BATCH_SCHEDULED_ACTION), eq(auditLog.entityType, 'batch'), inArray(auditLog.entityId, batchIds)))
      .orderBy(desc(auditLog.id));
    const out = new Map<string, BatchSchedule>();
    for (const r of rows) if (r.batchId && !out.has(r.batchId)) out.set(r.batchId, { batchId: r.batchId, at: new Date(r.at), by: r.by });
    return out;
  };

  return {
    /** The newest outbox items (by their last change), and the count of every status. */
    outbox: async (limit: number): Promise<{ items: OutboxBoardRow[]; counts: Record<string, number> }> => {
      const items = await db
        .select({
          id: outbox.id,
          batchId: outbox.batchId,
          leadId: outbox.leadId,
          channel: outbox.channel,
          step: outbox.step,
          status: outbox.status,
          reason: outbox.reason,
          notBefore: outbox.notBefore,
          sentAt: outbox.sentAt,
          updatedAt: outbox.updatedAt,
          leadName: sql<string | null>`nullif(trim(concat_ws(' ', ${leads.profile}->>'firstName', ${leads.profile}->>'lastName')), '')`,
          company: sql<string | null>`${leads.profile}->'company'->>'name'`,
          campaignName: providerCampaigns.name,
          campaignExternalId: providerCampaigns.externalId,
          campaignStatus: providerCampaigns.status,
        })
        .from(outbox)
        .leftJoin(leads, eq(leads.id, outbox.leadId))
        .leftJoin(providerCampaigns, and(eq(providerCampaigns.provider, 'instantly'), sql`${outbox.providerRef} = 'instantly:campaign:' || ${providerCampaigns.externalId}`))
        .orderBy(desc(outbox.updatedAt), desc(outbox.id))
        .limit(limit);
      const counts = Object.fromEntries(
        (
          await db
            .select({ status: outbox.status, n: sql<number>`count(*)::int` })
            .from(outbox)
            .groupBy(outbox.status)
        ).map((r) => [r.status, Number(r.n)]),
      );
      return { items, counts };
    },

    /** Outbox counts of one batch by status (what an executed batch shows). */
    batchCounts: async (batchIds: string[]): Promise<Map<string, Record<string, number>>> => {
      const out = new Map<string, Record<string, number>>();
      if (batchIds.length === 0) return out;
      const rows = await db
        .select({ batchId: outbox.batchId, status: outbox.status, n: sql<number>`count(*)::int` })
        .from(outbox)
        .where(inArray(outbox.batchId, batchIds))
        .groupBy(outbox.batchId, outbox.status);
      for (const r of rows) {
        if (!r.batchId) continue;
        out.set(r.batchId, { ...(out.get(r.batchId) ?? {}), [r.status]: Number(r.n) });
      }
      return out;
    },

    schedulesOf,

    /** Approved, unexpired batches whose scheduled time has come: the OPERATOR tick executes them. */
    dueScheduled: async (now: Date): Promise<BatchSchedule[]> => {
      const approved = await db
        .select({ id: batches.id })
        .from(batches)
        .where(and(eq(batches.status, 'approved'), sql`${batches.expiresAt} > ${now}`));
      const schedules = await schedulesOf(approved.map((b) => b.id));
      return [...schedules.values()].filter((s) => s.at.getTime() <= now.getTime());
    },
  };
};

export type SendBoardQueries = ReturnType<typeof createSendBoardQueries>;
