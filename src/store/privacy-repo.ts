import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { leadIdentities, normalizeEmail, normalizeLinkedinUrl, type LeadProfile } from '../domain/lead.js';
import { sha256Hex, suppressionHash } from '../lib/hash.js';
import type { Db } from './database.js';
import { auditLog, batches, cadenceEnrollments, clayCallbacks, clayRequests, drafts, enrichments, leadEvents, leads, outbox, rejections, replies, replyActions, scores, shadowSends, suppressions, webhookInbox } from './schema.js';
import { canonicalScope, type BatchMotion, type ScopeItem } from '../domain/approval/batch.js';
import { ERASED, personalPhonesIn, personMatcher, type PersonMatcher } from './privacy-match.js';

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
  /** Webhook deliveries about them (by lead, or naming one of their identifiers). */
  inbox: Record<string, unknown>[];
  /** Outbound actions for them (queued, sent, failed, …). */
  outbox: Record<string, unknown>[];
  /** Their timeline: every event of their leads (signals, touches, status changes), oldest first. */
  timeline: Record<string, unknown>[];
  cadence: Record<string, unknown>[];
  /** Their replies as read (class, evidence, proposed times, excerpt, the LLM's note): by lead, or from one of their deliveries. */
  replies: Record<string, unknown>[];
  /** What each reply's follow-through did or will do (alerts, CRM tags, bookings). */
  replyActions: Record<string, unknown>[];
  clayRequests: Record<string, unknown>[];
  clayCallbacks: Record<string, unknown>[];
  audit: Record<string, unknown>[];
};

export type ErasureResult = { leadsErased: number; identitiesSuppressed: number; foundAnything: boolean; batchesChanged: number };

type LeadRow = typeof leads.$inferSelect;
type InboxRow = typeof webhookInbox.$inferSelect;
type OutboxRow = typeof outbox.$inferSelect;
type ClayRequestRow = typeof clayRequests.$inferSelect;
type ClayCallbackRow = typeof clayCallbacks.$inferSelect;

/** Everything that is one person's, found from one e-mail address (privacy export and erasure share it). */
type Footprint = {
  email: string;
  matcher: PersonMatcher;
  leads: LeadRow[];
  leadIds: string[];
  draftIds: string[];
  inbox: InboxRow[];
  outbox: OutboxRow[];
  clayRequests: ClayRequestRow[];
  clayCallbacks: ClayCallbackRow[];
  /** Suppression identities: every e-mail and `linkedin:<url>` of theirs. */
  identities: string[];
};

const none = sql`false`;
const linkedinHash = (normalised: string) => sha256Hex(normalised);
const linkedinsOfLead = (l: LeadRow): string[] => [normalizeLinkedinUrl(l.linkedinUrl), normalizeLinkedinUrl((l.profile as LeadProfile | null)?.linkedinUrl)].filter((x): x is string => Boolean(x));
const emailsOfLead = (l: LeadRow): string[] => [normalizeEmail(l.email), normalizeEmail((l.profile as LeadProfile | null)?.email)].filter((x): x is string => Boolean(x));
const namesOfLead = (l: LeadRow): string[] => {
  const p = (l.profile ?? {}) as Partial<LeadProfile>;
  return [l.firstName, l.lastName, p.firstName, p.lastName, p.fullName].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
};
const clayResult = (c: ClayCallbackRow) => (c.result ?? {}) as { email?: string | null; linkedinUrl?: string | null; leadId?: string | null; requestId?: string | null; firstName?: string | null; lastName?: string | null };
const matches = (column: unknown, pattern: string | null): SQL => (pattern ? sql`${column}::text ~* ${pattern}` : none);

/**
 * Find the person. Their leads: by e-mail, by LinkedIn profile, as a folded duplicate (either way),
 * or holding one of their identifiers in the provider record when the lead has no other address.
 * Their Clay rows: by lead, by LinkedIn hash, or naming them (a Clay answer that gives their
 * LinkedIn profile or address is theirs, and its other identifier is theirs too). Repeated until
 * nothing new turns up. Then their phones (personal phone fields of their own records), and with
 * every identifier their webhook deliveries and outbound actions.
 */
const findPerson = async (db: Db, email: string): Promise<Footprint> => {
  const emails = new Set([email]);
  const linkedins = new Set<string>();
  const found = new Map<string, LeadRow>();
  const requests = new Map<string, ClayRequestRow>();
  const callbacks = new Map<string, ClayCallbackRow>();
  for (let round = 0; round < 10; round++) {
    const before = emails.size + linkedins.size + found.size + requests.size + callbacks.size;
    const m = personMatcher({ emails: [...emails], linkedins: [...linkedins], phones: [], names: [], ids: [] });
    const pattern = m.sqlPattern();
    const ids = [...found.keys()];
    const primaries = [...found.values()].map((l) => l.duplicateOf).filter((x): x is string => Boolean(x));
    const candidates = await db
      .select()
      .from(leads)
      .where(
        or(
          inArray(leads.email, [...emails]),
          ids.length ? inArray(leads.duplicateOf, ids) : none,
          primaries.length ? inArray(leads.id, primaries) : none,
          matches(sql`concat_ws(' ', ${leads.linkedinUrl}, ${leads.profile}::text, ${leads.raw}::text)`, pattern),
        ),
      );
    for (const l of candidates) {
      if (found.has(l.id)) continue;
      const ownEmail = normalizeEmail(l.email);
      const theirs =
        emailsOfLead(l).some((e) => emails.has(e)) ||
        linkedinsOfLead(l).some((x) => linkedins.has(x)) ||
        (l.duplicateOf !== null && found.has(l.duplicateOf)) ||
        primaries.includes(l.id) ||
        // A record that mentions them, on a lead with no other address of its own (a LinkedIn-only
        // lead whose enrichment revealed the address). A lead with another address is another person
        // whose record merely mentions them: that record is scrubbed, not deleted.
        ((ownEmail === null || emails.has(ownEmail)) && (m.mentionsValue(l.raw) || m.mentionsValue(l.profile)));
      if (!theirs) continue;
      found.set(l.id, l);
      for (const e of emailsOfLead(l)) emails.add(e);
      for (const x of linkedinsOfLead(l)) linkedins.add(x);
    }
    const leadIds = [...found.keys()];
    const hashes = [...linkedins].map(linkedinHash);
    for (const r of await db
      .select()
      .from(clayRequests)
      .where(or(leadIds.length ? inArray(clayRequests.leadId, leadIds) : none, hashes.length ? inArray(clayRequests.linkedinHash, hashes) : none)))
      requests.set(r.requestId, r);
    const requestIds = [...requests.keys()];
    const clayRows = await db
      .select()
      .from(clayCallbacks)
      .where(
        or(
          requestIds.length ? inArray(clayCallbacks.requestId, requestIds) : none,
          hashes.length ? inArray(clayCallbacks.linkedinHash, hashes) : none,
          matches(clayCallbacks.result, pattern),
          leadIds.length ? inArray(sql`${clayCallbacks.result}->>'leadId'`, leadIds) : none,
        ),
      );
    for (const c of clayRows) {
      if (callbacks.has(c.id)) continue;
      const r = clayResult(c);
      const answerEmail = normalizeEmail(r.email);
      const answerLinkedin = normalizeLinkedinUrl(r.linkedinUrl);
      const theirs =
        (c.requestId !== null && requests.has(c.requestId)) ||
        (c.linkedinHash !== null && hashes.includes(c.linkedinHash)) ||
        (answerEmail !== null && emails.has(answerEmail)) ||
        (answerLinkedin !== null && linkedins.has(answerLinkedin)) ||
        (typeof r.leadId === 'string' && found.has(r.leadId));
      if (!theirs) continue;
      callbacks.set(c.id, c);
      if (answerEmail) emails.add(answerEmail);
      if (answerLinkedin) linkedins.add(answerLinkedin);
    }
    if (emails.size + linkedins.size + found.size + requests.size + callbacks.size === before) break;
  }

  const rows = [...found.values()];
  const leadIds = rows.map((r) => r.id);
  const draftIds = leadIds.length ? (await db.select({ id: drafts.id }).from(drafts).where(inArray(drafts.leadId, leadIds))).map((d) => d.id) : [];
  const names = [...rows.flatMap(namesOfLead), ...[...callbacks.values()].flatMap((c) => [clayResult(c).firstName, clayResult(c).lastName]).filter((x): x is string => typeof x === 'string')];

  // Their phones, from their own records only (a phone is never a reason to take another lead).
  const strongOnly = personMatcher({ emails: [...emails], linkedins: [...linkedins], phones: [], names: [], ids: [] });
  const inboxWhere = (m: PersonMatcher) =>
    or(leadIds.length ? inArray(webhookInbox.leadId, leadIds) : none, matches(sql`concat_ws(' ', ${webhookInbox.payload}::text, ${webhookInbox.signal}::text, ${webhookInbox.error}, ${webhookInbox.rawBody})`, m.sqlPattern()));
  // A delivery or outbound action linked to another lead stays that lead's (it is scrubbed below,
  // not deleted); one linked to no lead that names them is theirs.
  const isTheirDelivery = (m: PersonMatcher) => (i: InboxRow) => (i.leadId !== null ? found.has(i.leadId) : m.mentionsValue(i.payload) || m.mentionsValue(i.signal) || (i.error !== null && m.mentions(i.error)));
  const firstInbox = (await db.select().from(webhookInbox).where(inboxWhere(strongOnly))).filter(isTheirDelivery(strongOnly));
  const enrichmentRaw = leadIds.length ? (await db.select({ raw: enrichments.raw }).from(enrichments).where(inArray(enrichments.leadId, leadIds))).map((e) => e.raw) : [];
  const phones = personalPhonesIn([...rows.map((r) => [r.raw, r.profile]), ...enrichmentRaw, ...firstInbox.map((i) => i.payload)]);

  const matcher = personMatcher({ emails: [...emails], linkedins: [...linkedins], phones, names, ids: [...leadIds, ...draftIds] });
  const inbox = (await db.select().from(webhookInbox).where(inboxWhere(matcher)).orderBy(asc(webhookInbox.receivedAt))).filter(isTheirDelivery(matcher));
  const outboxRows = (
    await db
      .select()
      .from(outbox)
      .where(
        or(
          leadIds.length ? inArray(outbox.leadId, leadIds) : none,
          draftIds.length ? inArray(outbox.draftId, draftIds) : none,
          matches(sql`concat_ws(' ', ${outbox.recipient}, ${outbox.subject}, ${outbox.body}, ${outbox.payload}::text, ${outbox.reason}, ${outbox.providerRef})`, matcher.sqlPattern()),
        ),
      )
      .orderBy(asc(outbox.createdAt))
  ).filter((o) =>
    o.leadId !== null
      ? found.has(o.leadId)
      : (o.draftId !== null && draftIds.includes(o.draftId)) || [o.recipient, o.subject, o.body, o.reason, o.providerRef].some((t) => t !== null && matcher.mentions(t)) || matcher.mentionsValue(o.payload),
  );

  const identities = [...new Set([...emails, ...[...linkedins].map((l) => `linkedin:${l}`), ...rows.flatMap((r) => leadIdentities({ email: r.email, linkedinUrl: r.linkedinUrl }))])];
  return { email, matcher, leads: rows, leadIds, draftIds, inbox, outbox: outboxRows, clayRequests: [...requests.values()], clayCallbacks: [...callbacks.values()], identities };
};

/** Tables the erasure never rewrites: the append-only audit log (a trigger refuses it) and the one-way hashes. */
const NOT_SCRUBBED = new Set(['audit_log', 'suppressions']);
const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'json', 'jsonb']);

/**
 * Every text and JSON column of every table in the schema, whatever tables exist (a new table is
 * covered without a change here): each value that still names the person (a run report, a stage
 * error, a Clay answer for someone else, an incident, another lead's record that mentions them)
 * has them replaced by [erased]; the row stays. Returns the number of values changed per column.
 */
const scrubEverywhere = async (tx: Db, m: PersonMatcher): Promise<Record<string, number>> => {
  const pattern = m.sqlPattern(true);
  const changed: Record<string, number> = {};
  if (!pattern) return changed;
  const { rows: columns } = (await tx.execute(sql`
    select c.table_name, c.column_name, c.data_type from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`)) as { rows: { table_name: string; column_name: string; data_type: string }[] };
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    if (!TEXT_TYPES.has(type) || NOT_SCRUBBED.has(table) || table.startsWith('__drizzle')) continue;
    const isJson = type === 'json' || type === 'jsonb';
    const { rows } = (await tx.execute(sql`select ctid::text as ctid, ${sql.identifier(column)} as value from ${sql.identifier(table)} where ${sql.identifier(column)}::text ~* ${pattern} for update`)) as {
      rows: { ctid: string; value: unknown }[];
    };
    for (const row of rows) {
      const next = isJson ? m.scrubValue(row.value) : m.scrubText(String(row.value));
      const value = isJson ? JSON.stringify(next) : (next as string);
      if (value === (isJson ? JSON.stringify(row.value) : row.value)) continue;
      await tx.execute(sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${value}${sql.raw(isJson ? `::${type}` : '')} where ctid = ${row.ctid}::tid`);
      changed[`${table}.${column}`] = (changed[`${table}.${column}`] ?? 0) + 1;
    }
  }
  return changed;
};

export const createPrivacyStore = (db: Db) => ({
  /** Everything we hold about one person, as one JSON-ready document. */
  exportPerson: async (rawEmail: string, now: Date): Promise<PersonExport> => {
    const email = normalizeEmail(rawEmail) ?? rawEmail.trim().toLowerCase();
    const person = await findPerson(db, email);
    const ids = person.leadIds;
    const [enrichmentRows, scoreRows, draftRows, sendRows, rejectionRows, eventRows, cadenceRows] = ids.length
      ? await Promise.all([
          db.select().from(enrichments).where(inArray(enrichments.leadId, ids)).orderBy(asc(enrichments.createdAt)),
          db.select().from(scores).where(inArray(scores.leadId, ids)).orderBy(asc(scores.createdAt)),
          db.select().from(drafts).where(inArray(drafts.leadId, ids)).orderBy(desc(drafts.version)),
          db.select().from(shadowSends).where(inArray(shadowSends.leadId, ids)),
          db.select().from(rejections).where(inArray(rejections.leadId, ids)),
          db.select().from(leadEvents).where(inArray(leadEvents.leadId, ids)).orderBy(asc(leadEvents.at), asc(leadEvents.id)),
          db.select().from(cadenceEnrollments).where(inArray(cadenceEnrollments.leadId, ids)),
        ])
      : [[], [], [], [], [], [], []];
    const inboxIds = person.inbox.map((i) => i.id);
    const replyRows =
      ids.length || inboxIds.length
        ? await db
            .select()
            .from(replies)
            .where(or(...(ids.length ? [inArray(replies.leadId, ids)] : []), ...(inboxIds.length ? [inArray(replies.inboxId, inboxIds)] : [])))
            .orderBy(asc(replies.receivedAt), asc(replies.id))
        : [];
    const replyActionRows = replyRows.length
      ? await db
          .select()
          .from(replyActions)
          .where(
            inArray(
              replyActions.replyId,
              replyRows.map((r) => r.id),
            ),
          )
          .orderBy(asc(replyActions.createdAt), asc(replyActions.id))
      : [];
    const outboxIds = person.outbox.map((o) => o.id);
    const refs = [
      { type: 'lead', ids },
      { type: 'draft', ids: person.draftIds },
      { type: 'outbox', ids: outboxIds },
    ].filter((r) => r.ids.length > 0);
    const audit = refs.length
      ? await db
          .select()
          .from(auditLog)
          .where(or(...refs.map((r) => and(eq(auditLog.entityType, r.type), inArray(auditLog.entityId, r.ids)))))
          .orderBy(asc(auditLog.id))
      : [];
    const [suppressed] = await db
      .select()
      .from(suppressions)
      .where(eq(suppressions.hash, suppressionHash(email)))
      .limit(1);
    return {
      subject: email,
      generatedAt: now.toISOString(),
      suppressed: Boolean(suppressed),
      leads: person.leads,
      enrichments: enrichmentRows,
      scores: scoreRows,
      drafts: draftRows,
      shadowSends: sendRows,
      rejections: rejectionRows,
      inbox: person.inbox,
      outbox: person.outbox,
      timeline: eventRows,
      cadence: cadenceRows,
      replies: replyRows,
      replyActions: replyActionRows,
      clayRequests: person.clayRequests,
      clayCallbacks: person.clayCallbacks,
      audit,
    };
  },

  /**
   * Erase the person from every table and column, in one transaction (docs/privacy.md):
   * - their leads, and by cascade enrichments, scores, drafts, shadow sends, rejections, timeline
   *   events, cadence, KPI milestones and Clay requests; their Clay answers;
   * - their webhook deliveries become tombstones (payload, error and lead gone; provider, event
   *   type and idempotency hash kept, status `erased`; its normalised signal gone too), so a retried
   *   delivery stays a duplicate;
   * - their outbound actions: a sent one is kept anonymised (no lead, recipient, text, payload or
   *   provider reference) because the send quotas and the ramp count it; any other is deleted;
   * - batches: their items are taken out (a pending batch is re-hashed, an approved one withdrawn);
   * - every other text or JSON value in the schema that still names them is scrubbed ([erased]);
   * - the audit log (append-only) is not rewritten: its entries carry ids, not addresses; the
   *   request's own entry records who did it and the counts, never an identifier.
   * Only one-way hashes of their identities stay, on the suppression list.
   */
  erasePerson: async (rawEmail: string, by: string, now: Date): Promise<ErasureResult> => {
    const email = normalizeEmail(rawEmail) ?? rawEmail.trim().toLowerCase();
    return db.transaction(async (transaction) => {
      const tx = transaction as unknown as Db;
      const person = await findPerson(tx, email);
      const leadIds = new Set(person.leadIds);
      // Take the person out of every batch: a pending one is re-hashed and must be approved as it is
      // now; an approved one is withdrawn (its approved scope no longer exists); history keeps no address.
      let batchesChanged = 0;
      if (leadIds.size) {
        for (const batch of await tx.select().from(batches)) {
          const scope = batch.scope as ScopeItem[];
          const kept = scope.filter((i) => !leadIds.has(i.leadId) && !person.matcher.mentions(i.recipient));
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

      const inboxIds = person.inbox.map((i) => i.id);
      if (inboxIds.length) {
        await tx
          .update(webhookInbox)
          .set({ payload: { erased: 'privacy request' }, error: null, leadId: null, status: 'erased', rawBody: null, rawBase64: null, flags: null, signal: null, processedAt: sql`coalesce(${webhookInbox.processedAt}, ${now})` })
          .where(inArray(webhookInbox.id, inboxIds));
      }
      const sentIds = person.outbox.filter((o) => o.status === 'sent').map((o) => o.id);
      const otherOutboxIds = person.outbox.filter((o) => o.status !== 'sent').map((o) => o.id);
      if (sentIds.length) {
        await tx
          .update(outbox)
          .set({ leadId: null, draftId: null, recipient: ERASED, subject: null, body: null, payload: {}, reason: 'erased: privacy request', providerRef: null, claimToken: null, updatedAt: now })
          .where(inArray(outbox.id, sentIds));
      }
      if (otherOutboxIds.length) await tx.delete(outbox).where(inArray(outbox.id, otherOutboxIds));
      const callbackIds = person.clayCallbacks.map((c) => c.id);
      if (callbackIds.length) await tx.delete(clayCallbacks).where(inArray(clayCallbacks.id, callbackIds));
      const requestIds = person.clayRequests.map((r) => r.requestId);
      if (requestIds.length) await tx.delete(clayRequests).where(inArray(clayRequests.requestId, requestIds));
      if (leadIds.size) await tx.delete(leads).where(inArray(leads.id, [...leadIds]));

      const scrubbed = await scrubEverywhere(tx, person.matcher);

      for (const identity of person.identities)
        await tx
          .insert(suppressions)
          .values({ hash: suppressionHash(identity), reason: 'privacy_request' })
          .onConflictDoNothing();
      // The audit log cannot be rewritten; say how many of its entries still name the person (none is expected).
      const auditPattern = person.matcher.sqlPattern();
      const auditLeft = auditPattern
        ? (
            await tx
              .select({ details: auditLog.details, entityId: auditLog.entityId, actor: auditLog.actor })
              .from(auditLog)
              .where(matches(sql`concat_ws(' ', ${auditLog.entityId}, ${auditLog.actor}, ${auditLog.details}::text)`, auditPattern))
          ).filter((a) => person.matcher.mentionsValue(a.details) || person.matcher.mentions(`${a.entityId ?? ''} ${a.actor}`)).length
        : 0;
      const foundAnything = person.leads.length + inboxIds.length + person.outbox.length + callbackIds.length + requestIds.length + Object.keys(scrubbed).length > 0;
      const result = { leadsErased: person.leads.length, identitiesSuppressed: person.identities.length, foundAnything, batchesChanged };
      await tx.insert(auditLog).values({
        at: now,
        actor: by,
        action: 'privacy.erased',
        entityType: 'privacy_request',
        entityId: suppressionHash(email).slice(0, 16),
        details: {
          ...result,
          leadIds: person.leadIds,
          deliveriesErased: inboxIds.length,
          outboxAnonymised: sentIds.length,
          outboxDeleted: otherOutboxIds.length,
          clayRequestsDeleted: requestIds.length,
          clayCallbacksDeleted: callbackIds.length,
          valuesScrubbed: scrubbed,
          auditEntriesStillNamingThem: auditLeft,
        },
      });
      return result;
    });
  },
});
