import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { LeadProfile } from '../domain/lead.js';
import type { Db } from './database.js';
import { controlFlags, drafts, leads, outbox } from './schema.js';
import { EMERGENCY_STOP_FLAG } from './control-repo.js';
import { touchFactsOf, touchStateOf } from './send-touch-repo.js';
import type { DispatchDetail, ItemState, LeadSendState, LeadStateQuery } from '../dispatch/ports.js';

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
  itemState: async (leadId, touchesSince) => {
    const lead = sql`${leadId}::uuid`;
    const result = (await db.execute(sql`
      select
        (select json_build_object('active', f.active, 'setBy', f.set_by, 'reason', f.reason) from ${controlFlags} f where f.name = ${EMERGENCY_STOP_FLAG}) as stop,
        (select json_build_object('leadId', l.id, 'status', l.status, 'disqualificationReason', l.disqualification_reason, 'email', l.email, 'linkedinUrl', l.profile->'linkedinUrl')
          from ${leads} l where l.id = ${lead}) as lead,
        (select coalesce(json_agg(json_build_object('channel', o.channel, 'at', coalesce(o.sent_at, o.claimed_at))), '[]'::json)
          from ${outbox} o where o.lead_id = ${lead} and o.status in ('sent', 'sending', 'uncertain') and coalesce(o.sent_at, o.claimed_at) >= ${touchesSince}) as touches,
        t.last, t.opens, t.enrolment, t.version
      from ${touchFactsOf(lead)}`)) as {
      rows: ({ stop: ItemState['stop']; lead: (Omit<LeadSendState, 'linkedinUrl'> & { linkedinUrl?: string | null }) | null; touches: { channel: string; at: string }[] } & Parameters<typeof touchStateOf>[1])[];
    };
    const row = result.rows[0]!;
    return {
      stop: row.stop,
      lead: row.lead ? { ...row.lead, linkedinUrl: row.lead.linkedinUrl ?? null } : null,
      touches: row.touches.map((t) => ({ channel: t.channel, at: new Date(t.at) })),
      // The touch recorder's inputs, read now so the write after the send need not read them again.
      touch: row.lead ? touchStateOf(row.lead, row) : null,
    };
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
            profile: p,
            payload: { firstName: p.firstName, lastName: p.lastName, companyName: p.company.name, title: p.title, email: r.email },
          },
        ];
      }),
    );
  },
});
