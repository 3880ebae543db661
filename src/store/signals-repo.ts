import { eq, inArray, sql } from 'drizzle-orm';
import { emptyLead, normalizeEmail, normalizeLinkedinUrl, type LeadProfile } from '../domain/lead.js';
import type { SignalLead, SignalLeadStore } from '../signals/ports.js';
import type { Db } from './database.js';
import { leadEvents, leads, webhookInbox } from './schema.js';

/** A lead row as the signal loop reads it (the profile's LinkedIn URL first). */
export const toSignalLead = (r: typeof leads.$inferSelect): SignalLead => ({
  id: r.id,
  status: r.status,
  email: r.email,
  linkedinUrl: (r.profile as LeadProfile).linkedinUrl ?? r.linkedinUrl,
  disqualificationReason: r.disqualificationReason,
  tier: r.tier,
});

/** What the signal loop reads and writes on leads (its port, signals/ports.ts): find them by e-mail or LinkedIn URL, move their status. */
export const createSignalLeadStore = (db: Db): SignalLeadStore => ({
  byEmail: async (raw: string): Promise<SignalLead | null> => {
    const email = normalizeEmail(raw);
    if (!email) return null;
    const [row] = await db.select().from(leads).where(eq(leads.email, email)).limit(1);
    return row ? toSignalLead(row) : null;
  },
  byLinkedin: async (raw: string): Promise<SignalLead | null> => {
    const wanted = normalizeLinkedinUrl(raw);
    if (!wanted) return null;
    const [row] = await db
      .select()
      .from(leads)
      .where(sql`lower(regexp_replace(regexp_replace(coalesce(${leads.linkedinUrl}, ${leads.profile}->>'linkedinUrl', ''), '^https?://(www\\.)?', ''), '/+$', '')) = ${wanted}`)
      .limit(1);
    return row ? toSignalLead(row) : null;
  },
  byId: async (id: string): Promise<SignalLead | null> => {
    const [row] = await db.select().from(leads).where(eq(leads.id, id)).limit(1);
    return row ? toSignalLead(row) : null;
  },
  withTimeline: async (id: string) => {
    const [row] = await db
      .select({
        lead: leads,
        // Written out: drizzle renders the outer column unqualified here, which the subquery would read as its own.
        last: sql<string | null>`(select max(e.at) from ${leadEvents} e where e.lead_id = "leads"."id")`,
        opens: sql<number>`(select count(*)::int from ${leadEvents} e where e.lead_id = "leads"."id" and e.type = 'email_opened')`,
      })
      .from(leads)
      .where(eq(leads.id, id))
      .limit(1);
    return row ? { lead: toSignalLead(row.lead), lastEventAt: row.last ? new Date(row.last) : null, opens: Number(row.opens) } : null;
  },
  /**
   * A CRM contact we have no lead for (the revival scan found them): recorded as a lead from GHL with
   * status `revival_candidate`, or the existing lead with that e-mail. Returns the lead id.
   */
  fromCrmContact: async (contact: { email: string; contactId: string; firstName: string | null; lastName: string | null; company: string | null }, runId: string): Promise<string> => {
    const email = normalizeEmail(contact.email);
    if (!email) throw new Error('a CRM contact needs an e-mail');
    const profile = emptyLead({ email, firstName: contact.firstName, lastName: contact.lastName, fullName: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null, sourceType: 'crm_contact', provenance: { email: 'ghl' } });
    profile.company.name = contact.company;
    await db
      .insert(leads)
      .values({ email, source: 'ghl', sourceId: contact.contactId, firstName: contact.firstName, lastName: contact.lastName, companyName: contact.company, profile, status: 'revival_candidate', firstRunId: runId, lastRunId: runId })
      .onConflictDoNothing();
    const [row] = await db.select({ id: leads.id }).from(leads).where(eq(leads.email, email)).limit(1);
    return row!.id;
  },
  /** A lead first seen through a signal (an RB2B visitor): recorded as discovered, or the existing lead with that e-mail/source id. */
  fromDiscovered: async (d: { source: string; sourceId: string; profile: LeadProfile }, runId: string): Promise<string> => {
    const email = normalizeEmail(d.profile.email);
    const [inserted] = await db
      .insert(leads)
      .values({
        email,
        source: d.source,
        sourceId: d.sourceId,
        linkedinUrl: d.profile.linkedinUrl,
        firstName: d.profile.firstName,
        lastName: d.profile.lastName,
        title: d.profile.title,
        companyName: d.profile.company.name,
        profile: d.profile,
        status: 'discovered',
        firstRunId: runId,
        lastRunId: runId,
      })
      .onConflictDoNothing()
      .returning({ id: leads.id });
    if (inserted) return inserted.id;
    const [row] = await db
      .select({ id: leads.id })
      .from(leads)
      .where(email ? eq(leads.email, email) : sql`${leads.source} = ${d.source} and ${leads.sourceId} = ${d.sourceId}`)
      .limit(1);
    return row!.id;
  },
  /**
   * A delivery naming someone on the suppression list whom no lead is for (they asked to be
   * forgotten): no lead is created from it, and its body is not kept. The payload becomes a
   * placeholder naming the reason and the raw body and normalised signal are dropped; provider, event type and the
   * idempotency hash stay, so a retried delivery is still a duplicate.
   */
  forgetDeliveryBody: async (inboxId: string, reason: string): Promise<void> => {
    await db
      .update(webhookInbox)
      .set({ payload: { redacted: reason }, rawBody: null, rawBase64: null, signal: null })
      .where(eq(webhookInbox.id, inboxId));
  },
  /** `byEmail` for many addresses in one query, keyed by the normalised address. */
  byEmails: async (raws: readonly string[]): Promise<Map<string, SignalLead>> => {
    const emails = [...new Set(raws.map((r) => normalizeEmail(r)).filter((e): e is string => Boolean(e)))];
    if (emails.length === 0) return new Map();
    const rows = await db.select().from(leads).where(inArray(leads.email, emails));
    return new Map(rows.map((r) => [r.email!, toSignalLead(r)]));
  },
  /** `setStatus` for many leads in one statement; returns how many were still in their `from`. */
  setStatuses: async (moves: readonly { id: string; from: string; to: string }[], at: Date): Promise<number> => {
    if (moves.length === 0) return 0;
    const rows = JSON.stringify(moves.map((m) => ({ id: m.id, from_status: m.from, to_status: m.to })));
    const result = await db.execute(sql`update leads l set status = v.to_status, updated_at = ${at}
      from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, from_status text, to_status text)
      where l.id = v.id and l.status = v.from_status`);
    return (result as { rowCount: number | null }).rowCount ?? 0;
  },
  /** Move the status only if it is still `from` (a concurrent event re-reads and re-decides). */
  setStatus: async (id: string, from: string, to: string, at: Date): Promise<boolean> =>
    (
      await db
        .update(leads)
        .set({ status: to, updatedAt: at })
        .where(sql`${leads.id} = ${id} and ${leads.status} = ${from}`)
        .returning({ id: leads.id })
    ).length === 1,
});
