import { and, count, desc, eq, gte } from 'drizzle-orm';
import type { Db } from './database.js';
import { clayCallbacks, clayRequests } from './schema.js';
import type { ClayCorrelationStore, ClayResult } from '../pipeline/ports.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const createClayStore = (db: Db): ClayCorrelationStore => {
  const findRequest = async (result: ClayResult, linkedinHash: string | null) => {
    if (result.requestId) {
      const [row] = await db.select().from(clayRequests).where(eq(clayRequests.requestId, result.requestId)).limit(1);
      if (row) return row;
    }
    if (result.leadId && UUID.test(result.leadId)) {
      const [row] = await db.select().from(clayRequests).where(eq(clayRequests.leadId, result.leadId)).orderBy(desc(clayRequests.submittedAt)).limit(1);
      if (row) return row;
    }
    if (linkedinHash) {
      const [row] = await db.select().from(clayRequests).where(eq(clayRequests.linkedinHash, linkedinHash)).orderBy(desc(clayRequests.submittedAt)).limit(1);
      if (row) return row;
    }
    return null;
  };

  return {
    registerRequest: async (r) => {
      await db.insert(clayRequests).values(r);
    },
    recordCallback: async (result, linkedinHash, receivedAt) => {
      const request = await findRequest(result, linkedinHash);
      await db.insert(clayCallbacks).values({ requestId: request?.requestId ?? null, linkedinHash: linkedinHash ?? request?.linkedinHash ?? null, result, receivedAt });
      return { correlated: Boolean(request), requestId: request?.requestId ?? null, leadId: request?.leadId ?? null };
    },
    resultFor: async (requestId) => {
      const [row] = await db.select({ result: clayCallbacks.result }).from(clayCallbacks).where(eq(clayCallbacks.requestId, requestId)).orderBy(desc(clayCallbacks.receivedAt)).limit(1);
      return (row?.result as ClayResult | undefined) ?? null;
    },
    latestForLinkedin: async (linkedinHash, since) => {
      const [row] = await db
        .select({ result: clayCallbacks.result })
        .from(clayCallbacks)
        .where(and(eq(clayCallbacks.linkedinHash, linkedinHash), gte(clayCallbacks.receivedAt, since)))
        .orderBy(desc(clayCallbacks.receivedAt))
        .limit(1);
      return (row?.result as ClayResult | undefined) ?? null;
    },
    submissionsTo: async (webhookRef) => (await db.select({ n: count() }).from(clayRequests).where(eq(clayRequests.webhookRef, webhookRef)))[0]?.n ?? 0,
  };
};
