import { emailDomain, isDomainListed } from '../lead.js';
import type { LeadProfile } from '../lead.js';
import type { IcpSettings } from './settings.js';
import type { Disqualification } from './types.js';

const COMPANY_SUFFIXES = new Set(['inc', 'llc', 'ltd', 'limited', 'corp', 'corporation', 'co', 'gmbh', 'io', 'ai', 'com', 'the']);

/** "Gong.io, Inc." → "gong": exact names after normalisation, so "Community Outreach Partners" is not "Outreach". */
export const normalizeCompanyName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !COMPANY_SUFFIXES.has(w))
    .join(' ');

const namesCache = new WeakMap<readonly string[], Set<string>>();
const normalizedNames = (names: readonly string[]) => {
  let set = namesCache.get(names);
  if (!set) namesCache.set(names, (set = new Set(names.map(normalizeCompanyName).filter(Boolean))));
  return set;
};

/**
 * Competitors, own/customer domains and excluded addresses are disqualified when scored (the
 * original only caught them at send time). Domains match with their sub-domains.
 */
export const findDisqualification = (lead: LeadProfile, s: IcpSettings): Disqualification | null => {
  const ex = s.exclusions;
  const domains = [lead.email ? emailDomain(lead.email) : null, lead.company.domain].filter((d): d is string => Boolean(d));
  for (const domain of domains) {
    if (isDomainListed(domain, ex.competitorDomains)) return { code: 'competitor', reason: `competitor: ${domain} is a competitor or data-vendor domain` };
  }
  if (lead.company.name && normalizedNames(ex.competitorCompanyNames).has(normalizeCompanyName(lead.company.name))) {
    return { code: 'competitor', reason: `competitor: ${lead.company.name} is on the competitor list` };
  }
  for (const domain of domains) {
    if (isDomainListed(domain, ex.excludedDomains)) return { code: 'excluded_domain', reason: `excluded domain: ${domain} is an own or customer domain` };
  }
  if (lead.email && ex.excludedEmails.some((e) => e.toLowerCase() === lead.email)) {
    return { code: 'excluded_email', reason: 'excluded email: this address is on the exclusion list' };
  }
  return null;
};
