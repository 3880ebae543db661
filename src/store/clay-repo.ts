import { and, count, desc, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from './database.js';
import { clayCallbacks, clayRequests, suppressions } from './schema.js';
import { leadIdentities } from '../domain/lead.js';
import { suppressionHash } from '../lib/hash.js';
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
      // Every intake checks the suppression list: an answer about someone who asked to be forgotten
      // (or unsubscribed) is not kept, whatever Clay still had queued for them.
      // The answer's other identity (the LinkedIn profile Clay tied to a suppressed address) is
      // suppressed too, as a hash, so the lead that profile belongs to is dropped at its next intake.
      const hashes = leadIdentities({ email: result.email, linkedinUrl: result.linkedinUrl }).map(suppressionHash);
      const [hit] = hashes.length ? await db.select({ reason: suppressions.reason }).from(suppressions).where(inArray(suppressions.hash, hashes)).limit(1) : [];
      if (hit) {
        await db
          .insert(suppressions)
          .values(hashes.map((hash) => ({ hash, reason: hit.reason })))
          .onConflictDoNothing();
        return { correlated: false, requestId: null, leadId: null, suppressed: true };
      }
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
