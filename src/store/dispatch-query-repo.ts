import { and, desc, eq, inArray } from 'drizzle-orm';
import type { LeadProfile } from '../domain/lead.js';
import type { Db } from './database.js';
import { drafts, leads, outbox } from './schema.js';
import type { DispatchDetail, LeadStateQuery } from '../dispatch/ports.js';

export const createLeadStateQuery = (db: Db): LeadStateQuery => ({
  dispatchedDraftOf: async (leadId) => {
    const [row] = await db
      .select({ id: drafts.id })
      .from(drafts)
      .where(and(eq(drafts.leadId, leadId), eq(drafts.status, 'approved')))
      .orderBy(desc(drafts.version), desc(drafts.createdAt))
      .limit(1);
    return row?.id ?? null;
  },
  existingKeys: async (keys) => new Set(keys.length ? (await db.select({ key: outbox.dedupKey }).from(outbox).where(inArray(outbox.dedupKey, keys))).map((r) => r.key) : []),
  leadState: async (leadId) => {
    const [row] = await db.select({ id: leads.id, status: leads.status, reason: leads.disqualificationReason, email: leads.email, profile: leads.profile }).from(leads).where(eq(leads.id, leadId)).limit(1);
    return row ? { leadId: row.id, status: row.status, disqualificationReason: row.reason, email: row.email, linkedinUrl: (row.profile as LeadProfile).linkedinUrl } : null;
  },
  dispatchDetails: async (draftIds) => {
    if (draftIds.length === 0) return new Map();
    const rows = await db
      .select({
        draftId: drafts.id,
        leadId: drafts.leadId,
        tier: leads.tier,
        subjectA: drafts.subjectA,
        subjectB: drafts.subjectB,
        body: drafts.body,
        editedSubject: drafts.editedSubject,
        editedBody: drafts.editedBody,
        followUps: drafts.followUps,
        email: leads.email,
        profile: leads.profile,
      })
      .from(drafts)
      .innerJoin(leads, eq(drafts.leadId, leads.id))
      .where(inArray(drafts.id, draftIds));
    return new Map(
      rows.map((r): [string, DispatchDetail] => {
        const p = r.profile as LeadProfile;
        return [
          r.draftId,
          {
            draftId: r.draftId,
            leadId: r.leadId,
            tier: r.tier,
            subjectA: r.subjectA,
            subjectB: r.subjectB,
            body: r.body,
            editedSubject: r.editedSubject,
            editedBody: r.editedBody,
            followUps: (r.followUps as DispatchDetail['followUps']) ?? [],
            payload: { firstName: p.firstName, lastName: p.lastName, companyName: p.company.name, title: p.title, email: r.email },
          },
        ];
      }),
    );
  },
});
