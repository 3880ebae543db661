import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { LeadProfile } from '../domain/lead.js';
import type { Db } from './database.js';
import { controlFlags, drafts, leads, outbox } from './schema.js';
import { EMERGENCY_STOP_FLAG } from './control-repo.js';
import { touchFactsOf, touchStateOf } from './send-touch-repo.js';
import type { CadenceTarget, DispatchDetail, ItemState, LeadSendState, LeadStateQuery } from '../dispatch/ports.js';

/** The emergency stop flag's row (none: never set), as a derived table. */
const stopFlag = sql`(select active, set_by, reason from ${controlFlags} where name = ${EMERGENCY_STOP_FLAG})`;

/**
 * What the guards decide an item from, as select fields: the stop flag (from the row `flag`), the
 * lead `lead` (an SQL uuid), its sends since `touchesSince` (but `unsent`, an SQL uuid array: items
 * claimed and not tried yet), and the touch facts (`touchFactsOf`, joined as `t`).
 */
const itemFields = (lead: SQL, touchesSince: SQL, unsent: SQL, flag: SQL) => ({
  stop: sql`case when ${flag}.active is null then null else json_build_object('active', ${flag}.active, 'setBy', ${flag}.set_by, 'reason', ${flag}.reason) end`,
  lead: sql`(select json_build_object('leadId', l.id, 'status', l.status, 'disqualificationReason', l.disqualification_reason, 'email', l.email, 'linkedinUrl', l.profile->'linkedinUrl')
      from ${leads} l where l.id = ${lead})`,
  touches: sql`(select coalesce(json_agg(json_build_object('channel', o.channel, 'at', coalesce(o.sent_at, o.claimed_at))), '[]'::json)
      from ${outbox} o where o.lead_id = ${lead} and o.status in ('sent', 'sending', 'uncertain') and coalesce(o.sent_at, o.claimed_at) >= ${touchesSince} and o.id <> all(${unsent}))`,
  last: sql`t.last`,
  opens: sql`t.opens`,
  enrolment: sql`t.enrolment`,
  version: sql`t.version`,
});

const asColumns = (fields: Record<string, SQL>) =>
  sql.join(
    Object.entries(fields).map(([name, field]) => sql`${field} as ${sql.identifier(name)}`),
    sql`, `,
  );

/**
 * `itemState` as a named prepared statement: read before every item a drain judges, it is parsed
 * and planned once per connection (its plan is the same for every lead), not once per item.
 */
const preparedItemState = (db: Db) => {
  const lead = sql`${sql.placeholder('lead')}::uuid`;
  return db
    .select(itemFields(lead, sql`${sql.placeholder('since')}::timestamptz`, sql`${sql.placeholder('unsent')}::uuid[]`, sql`f`))
    .from(sql`${touchFactsOf(lead)} left join ${stopFlag} f on true`)
    .prepare('caio_dispatch_item_state');
};

type StateRows<Extra = unknown> = {
  rows: ({ stop: ItemState['stop']; lead: (Omit<LeadSendState, 'linkedinUrl'> & { linkedinUrl?: string | null }) | null; touches: { channel: string; at: string }[] } & Parameters<typeof touchStateOf>[1] & Extra)[];
};

const stateOf = (result: StateRows): ItemState => {
  const row = result.rows[0]!;
  return {
    stop: row.stop,
    lead: row.lead ? { ...row.lead, linkedinUrl: row.lead.linkedinUrl ?? null } : null,
    touches: row.touches.map((t) => ({ channel: t.channel, at: new Date(t.at) })),
    // The touch recorder's inputs, read now so the write after the send need not read them again.
    touch: row.lead ? touchStateOf(row.lead, row) : null,
  };
};

export const createLeadStateQuery = (db: Db): LeadStateQuery => {
  const itemState = preparedItemState(db);
  return {
    dispatchedDraftOf: async (leadId) => {
      const [row] = await db
        .select({ id: drafts.id })
        .from(drafts)
        .where(and(eq(drafts.leadId, leadId), eq(drafts.status, 'approved')))
        .orderBy(desc(drafts.version), desc(drafts.createdAt))
        .limit(1);
      return row?.id ?? null;
    },
    // `leadState` and `dispatchedDraftOf` of many leads in one statement: the draft is the same latest approved one.
    cadenceTargets: async (leadIds) => {
      const ids = [...new Set(leadIds)];
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({
          id: leads.id,
          email: leads.email,
          linkedinUrl: sql<string | null>`${leads.profile}->>'linkedinUrl'`,
          // Written out: drizzle renders the outer column unqualified here, which the subquery would read as its own.
          draftId: sql<string | null>`(select d.id from ${drafts} d where d.lead_id = "leads"."id" and d.status = 'approved' order by d.version desc, d.created_at desc limit 1)`,
        })
        .from(leads)
        .where(sql`${leads.id} = any(${sql.param(ids)}::uuid[])`);
      return new Map(rows.map((r): [string, CadenceTarget] => [r.id, { email: r.email, linkedinUrl: r.linkedinUrl, draftId: r.draftId }]));
    },
    existingKeys: async (keys) => new Set(keys.length ? (await db.select({ key: outbox.dedupKey }).from(outbox).where(inArray(outbox.dedupKey, keys))).map((r) => r.key) : []),
    leadState: async (leadId) => {
      const [row] = await db.select({ id: leads.id, status: leads.status, reason: leads.disqualificationReason, email: leads.email, profile: leads.profile }).from(leads).where(eq(leads.id, leadId)).limit(1);
      return row ? { leadId: row.id, status: row.status, disqualificationReason: row.reason, email: row.email, linkedinUrl: (row.profile as LeadProfile).linkedinUrl } : null;
    },
    itemState: async (leadId, touchesSince, unsent = []) => stateOf({ rows: (await itemState.execute({ lead: leadId, since: touchesSince, unsent })) as StateRows['rows'] }),
    claimItem: async (item, token, now, touchesSince) => {
      // The claim reads the flag in its own snapshot: once the stop is committed, no later claim is made.
      const result = (await db.execute(sql`
      with flag as (select * from ${stopFlag} s),
      prior as (select o.claim_token, o.claimed_at from ${outbox} o where o.id = ${item.id}),
      claimed as (
        update ${outbox} set status = 'sending', claim_token = ${token}, claimed_at = ${now}, attempts = attempts + 1, updated_at = ${now}
        where id = ${item.id} and status = 'queued' and not exists (select 1 from flag where flag.active)
        returning id)
      select ${asColumns(itemFields(sql`${item.leadId}::uuid`, sql`${touchesSince}`, sql`${sql.param([])}::uuid[]`, sql`flag`))},
        (select json_build_object('claimToken', p.claim_token, 'claimedAt', p.claimed_at) from prior p where exists (select 1 from claimed)) as before
      from ${touchFactsOf(sql`${item.leadId}::uuid`)} left join flag on true`)) as StateRows<{ before: { claimToken: string | null; claimedAt: string | null } | null }>;
      const before = result.rows[0]!.before;
      return { ...stateOf(result), claimed: before !== null, before: before && { claimToken: before.claimToken, claimedAt: before.claimedAt === null ? null : new Date(before.claimedAt) } };
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
  };
};
