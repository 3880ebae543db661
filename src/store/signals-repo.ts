import { eq, sql } from 'drizzle-orm';
import { normalizeEmail, normalizeLinkedinUrl, type LeadProfile } from '../domain/lead.js';
import type { Db } from './database.js';
import { leads } from './schema.js';

export type SignalLead = { id: string; status: string; email: string | null; linkedinUrl: string | null; disqualificationReason: string | null };

const toSignalLead = (r: typeof leads.$inferSelect): SignalLead => ({ id: r.id, status: r.status, email: r.email, linkedinUrl: (r.profile as LeadProfile).linkedinUrl ?? r.linkedinUrl, disqualificationReason: r.disqualificationReason });

/** What the signal loop reads and writes on leads: find them by e-mail or LinkedIn URL, move their status. */
export const createSignalLeadStore = (db: Db) => ({
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
  /** Move the status only if it is still `from` (a concurrent event re-reads and re-decides). */
  setStatus: async (id: string, from: string, to: string, at: Date): Promise<boolean> =>
    (await db.update(leads).set({ status: to, updatedAt: at }).where(sql`${leads.id} = ${id} and ${leads.status} = ${from}`).returning({ id: leads.id })).length === 1,
});

export type SignalLeadStore = ReturnType<typeof createSignalLeadStore>;
