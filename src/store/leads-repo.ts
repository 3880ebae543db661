import { and, asc, desc, eq, inArray, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { companies, enrichments, leads, scores } from './schema.js';
import { mergeProfiles, normalizeEmail, type Company, type LeadProfile } from '../domain/lead.js';
import type { DiscoveredLead, LeadStore, StoredLead, UpsertedLead, LeadFilter } from '../pipeline/ports.js';
import type { LeadScore } from '../domain/scoring/types.js';
import { PIPELINE_STATUSES, UNFINISHED_STATUSES } from '../pipeline/ports.js';
import type { Tier } from '../domain/tier.js';

type LeadRow = typeof leads.$inferSelect;

export const toStoredLead = (row: LeadRow): StoredLead => ({
  id: row.id,
  email: row.email,
  source: row.source,
  sourceId: row.sourceId,
  status: row.status,
  tier: row.tier as Tier | null,
  points: row.points,
  disqualificationReason: row.disqualificationReason,
  skipReason: row.skipReason,
  duplicateOf: row.duplicateOf,
  profile: row.profile as LeadProfile,
  firstRunId: row.firstRunId,
  lastRunId: row.lastRunId,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
};

const columnsFor = (profile: LeadProfile) => ({
  email: profile.email,
  linkedinUrl: profile.linkedinUrl,
  firstName: profile.firstName,
  lastName: profile.lastName,
  title: profile.title,
  companyName: profile.company.name,
});

const upsertCompany = async (db: Db, company: Company): Promise<string | null> => (company.domain ? ((await upsertCompanies(db, [company])).get(company.domain) ?? null) : null);

/** One INSERT … ON CONFLICT for the distinct domains of a batch; returns domain → company id. */
const upsertCompanies = async (db: Db, list: Company[]): Promise<Map<string, string>> => {
  const byDomain = new Map(list.filter((c) => c.domain).map((c) => [c.domain!, c]));
  if (byDomain.size === 0) return new Map();
  const rows = await db
    .insert(companies)
    .values([...byDomain.values()].map((c) => ({ domain: c.domain, name: c.name, industry: c.industry, employeeCount: c.employeeCount, data: c })))
    .onConflictDoUpdate({
      target: companies.domain,
      set: {
        name: sql`coalesce(excluded.name, ${companies.name})`,
        industry: sql`coalesce(excluded.industry, ${companies.industry})`,
        employeeCount: sql`coalesce(excluded.employee_count, ${companies.employeeCount})`,
        data: sql`excluded.data`,
        updatedAt: new Date(),
      },
    })
    .returning({ id: companies.id, domain: companies.domain });
  return new Map(rows.map((r) => [r.domain!, r.id]));
};

const CHUNK = 500;

const withRaw = (raw: unknown, key: string, value: unknown) => sql`coalesce(${raw}, '{}'::jsonb) || ${JSON.stringify({ [key]: value })}::jsonb`;

export const createLeadStore = (db: Db): LeadStore => {
  const byId = async (id: string) => (await db.select().from(leads).where(eq(leads.id, id)).limit(1))[0];
  const byEmail = async (email: string) => (await db.select().from(leads).where(eq(leads.email, email)).limit(1))[0];

  const upsertOne = async (runId: string, d: { source: string; sourceId: string; profile: LeadProfile; raw: unknown }): Promise<UpsertedLead> => {
    let existing = (
      await db
        .select()
        .from(leads)
        .where(and(eq(leads.source, d.source), eq(leads.sourceId, d.sourceId)))
        .limit(1)
    )[0];
    if (!existing && d.profile.email) existing = await byEmail(d.profile.email);
    if (existing) {
      const inOutreach = !PIPELINE_STATUSES.includes(existing.status);
      if (inOutreach) return { id: existing.id, inOutreach, status: existing.status };
      const profile = mergeProfiles(existing.profile as LeadProfile, d.profile);
      await db
        .update(leads)
        .set({ ...columnsFor(profile), profile, raw: withRaw(leads.raw, d.source, d.raw), status: 'discovered', skipReason: null, lastRunId: runId, updatedAt: new Date() })
        .where(eq(leads.id, existing.id));
      return { id: existing.id, inOutreach, status: 'discovered' };
    }
    const companyId = await upsertCompany(db, d.profile.company);
    const [row] = await db
      .insert(leads)
      .values({ ...columnsFor(d.profile), companyId, source: d.source, sourceId: d.sourceId, profile: d.profile, raw: { [d.source]: d.raw }, status: 'discovered', firstRunId: runId, lastRunId: runId })
      .returning({ id: leads.id });
    return { id: row!.id, inOutreach: false, status: 'discovered' };
  };

  /** The enriched email belongs to another lead: fold this one into it. */
  const foldIntoExisting = async (leadId: string, runId: string, other: LeadRow, profile: LeadProfile, provider: string, raw: unknown) => {
    await db
      .update(leads)
      .set({ status: 'duplicate', duplicateOf: other.id, raw: withRaw(leads.raw, provider, raw), lastRunId: runId, updatedAt: new Date() })
      .where(eq(leads.id, leadId));
    const merged = mergeProfiles(other.profile as LeadProfile, profile);
    if (PIPELINE_STATUSES.includes(other.status)) {
      await db
        .update(leads)
        .set({ ...columnsFor(merged), email: other.email, profile: merged, status: 'enriched', lastRunId: runId, updatedAt: new Date() })
        .where(eq(leads.id, other.id));
    }
    return { leadId: other.id, duplicateOf: other.id, profile: merged };
  };

  const recordScores = async (runId: string, items: { leadId: string; score: LeadScore }[]) => {
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      await db.insert(scores).values(
        chunk.map(({ leadId, score }) => ({
          leadId,
          runId,
          points: score.points,
          rawPoints: score.rawPoints,
          multiplier: String(score.multiplier),
          tier: score.tier,
          needsReview: score.needsReview,
          breakdown: { components: score.components, titleBucket: score.titleBucket, industryBucket: score.industryBucket },
          reasons: score.reasons,
          warnings: score.warnings,
          disqualification: score.disqualification,
          recommendedCampaign: score.recommendedCampaign,
          segmentTags: score.segmentTags,
        })),
      );
      // One UPDATE for the chunk; the values travel as one JSON parameter (both drivers accept it).
      const values = JSON.stringify(
        chunk.map(({ leadId, score }) => ({
          id: leadId,
          status: score.disqualification ? 'disqualified' : 'scored',
          tier: score.tier,
          points: score.points,
          campaign: score.recommendedCampaign,
          reason: score.disqualification?.reason ?? null,
        })),
      );
      await db.execute(sql`
        update leads as l set status = v.status, tier = v.tier, points = v.points, recommended_campaign = v.campaign, disqualification_reason = v.reason, updated_at = now()
        from jsonb_to_recordset(${values}::jsonb) as v(id uuid, status text, tier text, points int, campaign text, reason text)
        where l.id = v.id`);
    }
  };

  /** New leads of a chunk in one INSERT; known ones (same source record or email) take the row-by-row path. */
  const upsertChunk = async (runId: string, chunk: DiscoveredLead[]): Promise<UpsertedLead[]> => {
    const bySource = new Map<string, LeadRow>();
    const sources = [...new Set(chunk.map((d) => d.source))];
    const keyOf = (source: string, sourceId: string) => `${source}\u0000${sourceId}`;
    const existing = await db
      .select()
      .from(leads)
      .where(
        or(
          ...sources.map((src) =>
            and(
              eq(leads.source, src),
              inArray(
                leads.sourceId,
                chunk.filter((d) => d.source === src).map((d) => d.sourceId),
              ),
            ),
          ),
        ),
      );
    for (const row of existing) bySource.set(keyOf(row.source, row.sourceId), row);
    const emails = chunk.map((d) => d.profile.email).filter((e): e is string => Boolean(e));
    const byEmail = new Map((emails.length ? await db.select().from(leads).where(inArray(leads.email, emails)) : []).map((r) => [r.email!, r]));

    const results: (UpsertedLead | null)[] = chunk.map(() => null);
    const fresh: { index: number; d: DiscoveredLead }[] = [];
    const claimed = new Map<string, number>();
    for (const [index, d] of chunk.entries()) {
      const known = bySource.has(keyOf(d.source, d.sourceId)) || (d.profile.email && byEmail.has(d.profile.email));
      const key = d.profile.email ?? keyOf(d.source, d.sourceId);
      if (known || claimed.has(key) || claimed.has(keyOf(d.source, d.sourceId))) continue;
      claimed.set(key, index);
      claimed.set(keyOf(d.source, d.sourceId), index);
      fresh.push({ index, d });
    }
    if (fresh.length) {
      const companyIds = await upsertCompanies(
        db,
        fresh.map(({ d }) => d.profile.company),
      );
      const inserted = await db
        .insert(leads)
        .values(
          fresh.map(({ d }) => ({
            ...columnsFor(d.profile),
            companyId: d.profile.company.domain ? (companyIds.get(d.profile.company.domain) ?? null) : null,
            source: d.source,
            sourceId: d.sourceId,
            profile: d.profile,
            raw: { [d.source]: d.raw },
            status: 'discovered',
            firstRunId: runId,
            lastRunId: runId,
          })),
        )
        .returning({ id: leads.id, source: leads.source, sourceId: leads.sourceId });
      const idByKey = new Map(inserted.map((r) => [keyOf(r.source, r.sourceId), r.id]));
      for (const { index, d } of fresh) results[index] = { id: idByKey.get(keyOf(d.source, d.sourceId))!, inOutreach: false, status: 'discovered' };
    }
    // Known leads, and repeats within the chunk, now find their row.
    for (const [index, d] of chunk.entries()) {
      if (!results[index]) results[index] = await upsertOne(runId, d);
    }
    return results as UpsertedLead[];
  };

  return {
    upsertDiscovered: async (runId, discovered) => {
      const out: UpsertedLead[] = [];
      for (let i = 0; i < discovered.length; i += CHUNK) out.push(...(await upsertChunk(runId, discovered.slice(i, i + CHUNK))));
      return out;
    },

    applyEnrichment: async (leadId, runId, provider, result, measured) => {
      const current = await byId(leadId);
      if (!current) throw new Error(`lead ${leadId} not found`);
      const base = current.profile as LeadProfile;
      await db.insert(enrichments).values({
        leadId,
        runId,
        provider,
        outcome: result.outcome,
        fields: result.outcome === 'matched' ? result.fields : [],
        raw: result.outcome === 'matched' ? result.raw : null,
        error: 'error' in result ? result.error : null,
        quality: measured?.quality ?? null,
        credits: measured?.credits ?? {},
      });
      if (result.outcome !== 'matched') {
        await db.update(leads).set({ status: 'unenriched', lastRunId: runId, updatedAt: new Date() }).where(eq(leads.id, leadId));
        return { leadId, duplicateOf: null, profile: base };
      }
      const profile = mergeProfiles(base, result.profile);
      const email = normalizeEmail(profile.email);
      const other = email
        ? await db
            .select()
            .from(leads)
            .where(and(eq(leads.email, email), ne(leads.id, leadId)))
            .limit(1)
        : [];
      if (other[0]) return foldIntoExisting(leadId, runId, other[0], profile, provider, result.raw);
      try {
        const companyId = await upsertCompany(db, profile.company);
        await db
          .update(leads)
          .set({ ...columnsFor(profile), email, companyId: companyId ?? current.companyId, profile, raw: withRaw(leads.raw, provider, result.raw), status: 'enriched', lastRunId: runId, updatedAt: new Date() })
          .where(eq(leads.id, leadId));
        return { leadId, duplicateOf: null, profile };
      } catch (error) {
        if (!isUniqueViolation(error) || !email) throw error;
        const winner = await byEmail(email);
        if (!winner) throw error;
        return foldIntoExisting(leadId, runId, winner, profile, provider, result.raw);
      }
    },

    handledSourceIds: async (source, sourceIds) =>
      sourceIds.length === 0
        ? new Set()
        : new Set(
            (
              await db
                .select({ sourceId: leads.sourceId })
                .from(leads)
                .where(and(eq(leads.source, source), inArray(leads.sourceId, [...sourceIds]), notInArray(leads.status, [...UNFINISHED_STATUSES])))
            ).map((r) => r.sourceId),
          ),

    recordScore: async (leadId, runId, score) => recordScores(runId, [{ leadId, score }]),
    recordScores: (runId, items) => recordScores(runId, items),

    markSkipped: async (leadIds, reason) => {
      const ids = Array.isArray(leadIds) ? leadIds : [leadIds];
      for (let i = 0; i < ids.length; i += CHUNK)
        await db
          .update(leads)
          .set({ status: 'skipped', skipReason: reason, updatedAt: new Date() })
          .where(inArray(leads.id, ids.slice(i, i + CHUNK)));
    },

    markSkippedEach: async (items) => {
      for (let i = 0; i < items.length; i += CHUNK) {
        const chunk = items.slice(i, i + CHUNK).map((x) => ({ id: x.leadId, reason: x.reason }));
        await db.execute(sql`
          update ${leads} set status = 'skipped', skip_reason = v.reason, updated_at = ${new Date()}
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as v(id uuid, reason text)
          where ${leads.id} = v.id`);
      }
    },

    discard: async (leadId) => {
      await db.delete(leads).where(eq(leads.id, leadId));
    },

    markQueued: async (leadIds) => {
      const ids = Array.isArray(leadIds) ? leadIds : [leadIds];
      for (let i = 0; i < ids.length; i += CHUNK) {
        await db
          .update(leads)
          .set({ status: 'pending_review', skipReason: null, updatedAt: new Date() })
          .where(inArray(leads.id, ids.slice(i, i + CHUNK)));
      }
    },

    list: async (filter: LeadFilter) => {
      const where: SQL[] = [];
      if (filter.tier) where.push(eq(leads.tier, filter.tier));
      // A duplicate is folded into its lead; it is listed only when asked for by status.
      where.push(filter.status ? eq(leads.status, filter.status) : ne(leads.status, 'duplicate'));
      if (filter.runId) where.push(eq(leads.lastRunId, filter.runId));
      const rows = await db
        .select()
        .from(leads)
        .where(where.length ? and(...where) : undefined)
        .orderBy(sql`${leads.points} desc nulls last`, asc(leads.email), desc(leads.createdAt))
        .limit(filter.limit ?? 1000);
      return rows.map(toStoredLead);
    },

    summaries: async (runId) => {
      const rows = await db
        .select({ id: leads.id, email: leads.email, tier: leads.tier, points: leads.points, status: leads.status })
        .from(leads)
        .where(and(eq(leads.lastRunId, runId), ne(leads.status, 'duplicate')))
        .orderBy(sql`${leads.points} desc nulls last`, asc(leads.email));
      return rows.map((r) => ({ ...r, tier: r.tier as Tier | null }));
    },

    profile: async (leadId) => {
      const row = await byId(leadId);
      return row ? toStoredLead(row) : null;
    },
  };
};
