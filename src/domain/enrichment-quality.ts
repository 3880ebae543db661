import type { LeadProfile } from './lead.js';

/**
 * How complete an enriched lead is, 0-100 (spec/enrichment.md "Quality score"). We hold no phone
 * numbers (the pipeline never asks for them), so the spec's 10 phone points go to a known title,
 * which crafting and scoring need far more. The email earns 30 points when an enrichment provider
 * returned it (each keeps only addresses it rates usable), 20 when only the source had it.
 */
export const ENRICHMENT_QUALITY_POINTS = {
  verifiedEmail: 30,
  unverifiedEmail: 20,
  companyName: 15,
  employeeCount: 10,
  industry: 10,
  title: 10,
  technologies: 10,
  domain: 5,
  revenue: 10,
} as const;

/** Enrichment providers; each keeps only addresses it rates usable. */
const VERIFYING_SOURCES = new Set(['apollo_match', 'bettercontact', 'clay']);

export const enrichmentQuality = (profile: LeadProfile): number => {
  const p = ENRICHMENT_QUALITY_POINTS;
  const c = profile.company;
  const score =
    (profile.email ? (VERIFYING_SOURCES.has(profile.provenance.email ?? '') ? p.verifiedEmail : p.unverifiedEmail) : 0) +
    (c.name ? p.companyName : 0) +
    ((c.employeeCount ?? 0) > 0 ? p.employeeCount : 0) +
    (c.industry ? p.industry : 0) +
    (profile.title ? p.title : 0) +
    (c.technologies.length > 0 ? p.technologies : 0) +
    (c.domain ? p.domain : 0) +
    ((c.annualRevenue ?? 0) > 0 ? p.revenue : 0);
  return Math.min(100, score);
};
