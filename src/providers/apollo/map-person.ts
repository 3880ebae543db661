import { emptyLead, mergeProfiles, normalizeDomain, normalizeEmail, normalizeLinkedinUrl, parseEmployeeCount, splitFullName, type LeadProfile } from '../../domain/lead.js';
import type { ApolloPerson, ApolloSearchPerson } from './schemas.js';

const SEARCH = 'apollo_search';
const MATCH = 'apollo_match';

const clean = (value: string | null | undefined): string | null => {
  const v = value?.trim();
  return v ? v : null;
};

const withProvenance = (lead: LeadProfile, provider: string): LeadProfile => {
  const provenance: Record<string, string> = {};
  const scalar: (keyof LeadProfile)[] = ['email', 'firstName', 'lastName', 'fullName', 'title', 'linkedinUrl', 'location'];
  for (const key of scalar) if (lead[key]) provenance[key] = provider;
  for (const [key, value] of Object.entries(lead.company)) {
    if (value !== null && !(Array.isArray(value) && value.length === 0)) provenance[`company.${key}`] = provider;
  }
  return { ...lead, provenance };
};

/** People Search is anonymised: a first name, a title and a company name are all it tells. */
export const searchResultToLead = (person: ApolloSearchPerson): LeadProfile => {
  const lead = emptyLead({ firstName: clean(person.first_name), title: clean(person.title), sourceType: 'apollo_search' });
  lead.company.name = clean(person.organization?.name);
  return withProvenance(lead, SEARCH);
};

/**
 * People Match → profile. Email: `email` unless it is the locked placeholder or malformed, then
 * `verified_email`. A full name without first/last is split on its first space. Head counts given
 * as strings ("1,000+") are parsed; an unknown one stays null.
 */
export const matchedPersonToLead = (person: ApolloPerson, base?: LeadProfile): LeadProfile => {
  const org = person.organization ?? null;
  const split = splitFullName(person.name);
  const firstName = clean(person.first_name) ?? split.firstName;
  const lastName = clean(person.last_name) ?? (clean(person.first_name) ? null : split.lastName);
  const location = [clean(person.city), clean(person.state)].filter(Boolean).join(', ') || null;
  const matched = emptyLead({
    email: normalizeEmail(person.email) ?? normalizeEmail(person.verified_email),
    firstName,
    lastName,
    fullName: clean(person.name) ?? ([firstName, lastName].filter(Boolean).join(' ') || null),
    title: clean(person.title),
    linkedinUrl: clean(person.linkedin_url) && normalizeLinkedinUrl(person.linkedin_url) ? clean(person.linkedin_url) : null,
    location,
    company: {
      name: clean(org?.name),
      domain: normalizeDomain(org?.primary_domain) ?? normalizeDomain(org?.website_url),
      industry: clean(org?.industry),
      employeeCount: parseEmployeeCount(org?.estimated_num_employees),
      annualRevenue: typeof org?.annual_revenue === 'number' ? org.annual_revenue : null,
      technologies: (org?.technology_names ?? []).map((t) => t.trim()).filter(Boolean),
      fundingStage: clean(org?.latest_funding_stage),
      linkedinUrl: clean(org?.linkedin_url),
    },
    sourceType: base?.sourceType ?? 'apollo_search',
    sourceName: base?.sourceName ?? null,
  });
  const withSources = withProvenance(matched, MATCH);
  return base ? mergeProfiles(base, withSources) : withSources;
};
