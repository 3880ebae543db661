import { enrichmentQuality } from '../domain/enrichment-quality.js';
import { leadIdentities } from '../domain/lead.js';
import { scoreLead } from '../domain/scoring/score-lead.js';
import type { IcpSettings } from '../domain/scoring/settings.js';
import { AppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { AuditStore, LeadEnricher, LeadStore, SuppressionStore } from './ports.js';

/**
 * Enrich one stored lead on request (QUEEN's `lead.enrich`, confirmed by a person): the same
 * enricher as the pipeline's stage 2 (the Apollo > BetterContact > Clay waterfall) and the same
 * store write (`applyEnrichment`, with the enrichment quality and the credits), the same
 * suppression rule (someone who asked to be forgotten is not enriched, and is dropped if the
 * enrichment reveals them), and an audit entry. Only a lead the pipeline has not taken past
 * enrichment is enriched: a scored, queued or contacted lead would have its status moved back to
 * `enriched`, so it is refused with its status. The ICP fit of the enriched profile is scored
 * with the live scorer and returned, not stored: the pipeline's scoring stage stores scores.
 */
export type EnrichOneDeps = {
  leads: Pick<LeadStore, 'profile' | 'applyEnrichment' | 'discard'>;
  enricher: LeadEnricher;
  suppressions: Pick<SuppressionStore, 'matcher'>;
  audit: AuditStore;
  clock: Clock;
  icp: IcpSettings;
};

/** Statuses a lead may be enriched from on request: those the pipeline itself would still enrich. */
export const ENRICHABLE_STATUSES: readonly string[] = ['discovered', 'enriched', 'unenriched'];

export type EnrichedField = { field: string; value: string | number | null; source: string | null };

export type EnrichOneResult = {
  leadId: string;
  outcome: 'matched' | 'miss' | 'suppressed';
  /** The waterfall's providers in order, e.g. `apollo>bettercontact>clay`. */
  providers: string;
  /** The fields this enrichment found (their paths), empty on a miss. */
  found: string[];
  /** Why nothing matched, as the waterfall reports it (each provider's answer). */
  missReason: string | null;
  fields: EnrichedField[];
  technologies: string[];
  quality: number | null;
  credits: Record<string, number>;
  icpFit: { points: number; tier: string; disqualification: string | null; stored: false } | null;
  /** The lead this one was folded into when the e-mail found belongs to another stored lead. */
  duplicateOf: string | null;
};

const FIELDS: readonly [string, (p: import('../domain/lead.js').LeadProfile) => string | number | null][] = [
  ['title', (p) => p.title],
  ['company.name', (p) => p.company.name],
  ['company.domain', (p) => p.company.domain],
  ['company.industry', (p) => p.company.industry],
  ['company.employeeCount', (p) => p.company.employeeCount],
];

export const enrichOneLead = async (deps: EnrichOneDeps, leadId: string, by: string, runId: string): Promise<EnrichOneResult> => {
  const lead = await deps.leads.profile(leadId);
  if (!lead) throw new AppError('NOT_FOUND', `no stored lead ${leadId}`);
  if (!ENRICHABLE_STATUSES.includes(lead.status)) throw new AppError('CONFLICT', `lead ${leadId} is ${lead.status}: only a lead not yet scored (${ENRICHABLE_STATUSES.join(', ')}) is enriched on request; the pipeline keeps the others`);
  const isSuppressed = await deps.suppressions.matcher();
  if (leadIdentities(lead.profile).some(isSuppressed)) throw new AppError('CONFLICT', `lead ${leadId} is on the suppression list: it is not enriched`);

  const result = await deps.enricher.enrich({ source: lead.source, sourceId: lead.sourceId, profile: lead.profile, leadId, runId });
  const base = { leadId, providers: deps.enricher.provider, credits: { ...(result.credits ?? {}) }, duplicateOf: null };
  if (result.outcome === 'matched' && leadIdentities(result.profile).some(isSuppressed)) {
    // Revealed as someone who asked to be forgotten: as in the pipeline, what the search stored is dropped.
    await deps.leads.discard(leadId);
    await audit(deps, by, leadId, runId, { outcome: 'suppressed', provider: deps.enricher.provider });
    return { ...base, outcome: 'suppressed', found: [], missReason: null, fields: [], technologies: [], quality: null, icpFit: null };
  }
  const quality = result.outcome === 'matched' ? enrichmentQuality(result.profile) : null;
  const applied = await deps.leads.applyEnrichment(leadId, runId, deps.enricher.provider, result, { quality, credits: result.credits ?? {} });
  const profile = applied.profile;
  const score = result.outcome === 'matched' ? scoreLead(profile, deps.icp) : null;
  await audit(deps, by, applied.leadId, runId, { outcome: result.outcome, provider: deps.enricher.provider, fields: result.outcome === 'matched' ? result.fields : [], quality });
  return {
    ...base,
    leadId: applied.leadId,
    duplicateOf: applied.duplicateOf,
    outcome: result.outcome,
    found: result.outcome === 'matched' ? result.fields : [],
    missReason: result.outcome === 'miss' ? (result.reason ?? null) : null,
    fields: FIELDS.map(([field, get]) => ({ field, value: get(profile), source: profile.provenance[field] ?? null })),
    technologies: profile.company.technologies,
    quality,
    icpFit: score ? { points: score.points, tier: score.tier, disqualification: score.disqualification?.reason ?? null, stored: false } : null,
  };
};

const audit = (deps: EnrichOneDeps, by: string, leadId: string, runId: string, details: Record<string, unknown>) =>
  deps.audit.append({ at: deps.clock.now(), actor: by, action: 'lead.enriched_on_request', entityType: 'lead', entityId: leadId, runId, details: { ...details, via: 'queen' } });
