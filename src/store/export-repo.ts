import { and, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { LeadProfile } from '../domain/lead.js';
import type { Db } from './database.js';
import { leads, scores } from './schema.js';

export type ExportRow = {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  company: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  linkedinUrl: string | null;
  tier: string | null;
  points: number | null;
  status: string;
  needsReview: boolean | null;
  reasons: string[];
  disqualificationReason: string | null;
  skipReason: string | null;
  lastActivity: Date;
};

const CHUNK = 5000;

export const createExportQuery = (db: Db) => ({
  rows: async (filter: { tier?: string | undefined; status?: string | undefined }): Promise<ExportRow[]> => {
    const where: SQL[] = [filter.status ? eq(leads.status, filter.status) : ne(leads.status, 'duplicate')];
    if (filter.tier) where.push(eq(leads.tier, filter.tier));
    const rows = await db
      .select()
      .from(leads)
      .where(and(...where))
      .orderBy(sql`${leads.points} desc nulls last`, leads.email);
    const latest = new Map<string, { reasons: string[]; needsReview: boolean }>();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
      const found = await db.select({ leadId: scores.leadId, reasons: scores.reasons, needsReview: scores.needsReview }).from(scores).where(inArray(scores.leadId, ids)).orderBy(desc(scores.createdAt));
      for (const s of found) if (!latest.has(s.leadId)) latest.set(s.leadId, { reasons: s.reasons as string[], needsReview: s.needsReview });
    }
    return rows.map((r) => {
      const p = r.profile as LeadProfile;
      const score = latest.get(r.id);
      return {
        email: r.email,
        firstName: p.firstName,
        lastName: p.lastName,
        title: p.title,
        company: p.company.name,
        domain: p.company.domain,
        industry: p.company.industry,
        employees: p.company.employeeCount,
        linkedinUrl: p.linkedinUrl,
        tier: r.tier,
        points: r.points,
        status: r.status,
        needsReview: score?.needsReview ?? null,
        reasons: score?.reasons ?? [],
        disqualificationReason: r.disqualificationReason,
        skipReason: r.skipReason,
        lastActivity: r.updatedAt,
      };
    });
  },
});
