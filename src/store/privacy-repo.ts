import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { leadIdentities, normalizeEmail, normalizeLinkedinUrl } from '../domain/lead.js';
import { suppressionHash } from '../lib/hash.js';
import type { Db } from './database.js';
import { auditLog, batches, clayCallbacks, clayRequests, drafts, enrichments, leads, rejections, scores, shadowSends, suppressions } from './schema.js';
import { canonicalScope, type BatchMotion, type ScopeItem } from '../domain/approval/batch.js';
import { sha256Hex } from '../lib/hash.js';

export type PersonExport = {
  subject: string;
  generatedAt: string;
  suppressed: boolean;
  leads: Record<string, unknown>[];
  enrichments: Record<string, unknown>[];
  scores: Record<string, unknown>[];
  drafts: Record<string, unknown>[];
  shadowSends: Record<string, unknown>[];
  rejections: Record<string, unknown>[];
  audit: Record<string, unknown>[];
};

export type ErasureResult = { leadsErased: number; identitiesSuppressed: number; foundAnything: boolean; batchesChanged: number };

/** Every lead row that holds this person: by email, as a folded duplicate, or inside a raw record. */
const rowsOfPerson = async (db: Db, email: string) => {
  const direct = await db.select().from(leads).where(eq(leads.email, email));
  const linkedins = direct.map((l) => normalizeLinkedinUrl(l.linkedinUrl)).filter((l): l is string => Boolean(l));
  const ids = direct.map((l) => l.id);
  const others = await db
    .select()
    .from(leads)
    .where(
      or(
        ids.length ? inArray(leads.duplicateOf, ids) : sql`false`,
        sql`lower(${leads.raw}::text) like ${`%${email.replace(/[%_\\]/g, '\\$&')}%`}`,
        linkedins.length ? inArray(sql`lower(regexp_replace(${leads.linkedinUrl}, '^https?://(www\\.)?', ''))`, linkedins) : sql`false`,
      ),
    );
  const all = new Map([...direct, ...others].map((l) => [l.id, l]));
  return [...all.values()];
};

export const createPrivacyStore = (db: Db) => ({
  /** Everything we hold about one person, as one JSON-ready document. */
  exportPerson: async (rawEmail: string, now: Date): Promise<PersonExport> => {
    const email = normalizeEmail(rawEmail) ?? rawEmail.trim().toLowerCase();
    const rows = await rowsOfPerson(db, email);
    const ids = rows.map((r) => r.id);
    const none = sql`false`;
    const [enrichmentRows, scoreRows, draftRows, sendRows, rejectionRows] = ids.length
      ? await Promise.all([
          db.select().from(enrichments).where(inArray(enrichments.leadId, ids)).orderBy(asc(enrichments.createdAt)),
          db.select().from(scores).where(inArray(scores.leadId, ids)).orderBy(asc(scores.createdAt)),
          db.select().from(drafts).where(inArray(drafts.leadId, ids)).orderBy(desc(drafts.version)),
          db.select().from(shadowSends).where(inArray(shadowSends.leadId, ids)),
          db.select().from(rejections).where(inArray(rejections.leadId, ids)),
        ])
      : [[], [], [], [], []];
    const draftIds = draftRows.map((d) => d.id);
    const audit = ids.length
      ? await db
          .select()
          .from(auditLog)
          .where(or(and(eq(auditLog.entityType, 'lead'), inArray(auditLog.entityId, ids)), draftIds.length ? and(eq(auditLog.entityType, 'draft'), inArray(auditLog.entityId, draftIds)) : none))
          .orderBy(asc(auditLog.id))
      : [];
    const [suppressed] = await db.select().from(suppressions).where(eq(suppressions.hash, suppressionHash(email))).limit(1);
    return { subject: email, generatedAt: now.toISOString(), suppressed: Boolean(suppressed), leads: rows, enrichments: enrichmentRows, scores: scoreRows, drafts: draftRows, shadowSends: sendRows, rejections: rejectionRows, audit };
  },

  /**
   * Erase the person everywhere (their leads and, by cascade, enrichments, scores, drafts and shadow
   * sends), keep only one-way hashes in the suppression list, and audit the request without the address.
   */
  erasePerson: async (rawEmail: string, by: string, now: Date): Promise<ErasureResult> => {
    const email = normalizeEmail(rawEmail) ?? rawEmail.trim().toLowerCase();
    return db.transaction(async (tx) => {
      const rows = await rowsOfPerson(tx as unknown as Db, email);
      const identities = new Set([email, ...rows.flatMap((r) => leadIdentities({ email: r.email, linkedinUrl: r.linkedinUrl }))]);
      const leadIds = new Set(rows.map((r) => r.id));
      // Take the person out of every batch: a pending one is re-hashed and must be approved as it is
      // now; an approved one is withdrawn (its approved scope no longer exists); history keeps no address.
      let batchesChanged = 0;
      if (leadIds.size) {
        for (const batch of await tx.select().from(batches)) {
          const scope = batch.scope as ScopeItem[];
          const kept = scope.filter((i) => !leadIds.has(i.leadId));
          if (kept.length === scope.length) continue;
          batchesChanged++;
          const withdrawn = batch.status === 'approved';
          await tx
            .update(batches)
            .set({
              scope: kept,
              previewHash: sha256Hex(canonicalScope(batch.motion as BatchMotion, kept)),
              ...(withdrawn ? { status: 'rejected', decidedBy: by, decidedAt: now, decisionReason: 'withdrawn: a privacy request erased a recipient; create a new batch' } : {}),
            })
            .where(eq(batches.id, batch.id));
        }
      }
      if (rows.length) await tx.delete(leads).where(inArray(leads.id, rows.map((r) => r.id)));
      // Clay answers are keyed by LinkedIn hash and may have arrived uncorrelated: erase them too.
      const clayKeys = rows.map((r) => normalizeLinkedinUrl(r.linkedinUrl)).filter((l): l is string => Boolean(l)).map((l) => sha256Hex(l));
      await tx.delete(clayCallbacks).where(or(clayKeys.length ? inArray(clayCallbacks.linkedinHash, clayKeys) : sql`false`, sql`lower(${clayCallbacks.result}::text) like ${`%${email.replace(/[%_\\]/g, '\\$&')}%`}`));
      if (clayKeys.length) await tx.delete(clayRequests).where(inArray(clayRequests.linkedinHash, clayKeys));
      for (const identity of identities) await tx.insert(suppressions).values({ hash: suppressionHash(identity), reason: 'privacy_request' }).onConflictDoNothing();
      await tx.insert(auditLog).values({
        at: now,
        actor: by,
        action: 'privacy.erased',
        entityType: 'privacy_request',
        entityId: suppressionHash(email).slice(0, 16),
        details: { leadsErased: rows.length, identitiesSuppressed: identities.size, batchesChanged, leadIds: rows.map((r) => r.id) },
      });
      return { leadsErased: rows.length, identitiesSuppressed: identities.size, foundAnything: rows.length > 0, batchesChanged };
    });
  },
});
