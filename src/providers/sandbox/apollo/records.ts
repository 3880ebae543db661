import type { SyntheticPerson } from './synthetic-people.js';

const obfuscate = (last: string | null) => (last ? `${last.slice(0, 2)}***${last.slice(-1)}` : null);

/** The anonymised People Search shape (contracts/apollo.md §1). */
export const toSearchRecord = (p: SyntheticPerson) => ({
  id: p.id,
  first_name: p.firstName ?? p.nameOnly?.split(' ')[0] ?? null,
  last_name_obfuscated: obfuscate(p.lastName ?? p.nameOnly?.split(' ').slice(1).join(' ') ?? null),
  title: p.title,
  last_refreshed_at: '2026-10-01T09:00:00.000+00:00',
  has_email: Boolean(p.email || p.verifiedEmail),
  has_city: true,
  has_state: true,
  has_country: true,
  has_direct_phone: 'Maybe: please request direct dial via people/bulk_match',
  organization: {
    name: p.organization.name,
    has_industry: true,
    has_phone: false,
    has_city: true,
    has_state: true,
    has_country: true,
    has_zip_code: false,
    has_revenue: p.organization.annualRevenue !== null,
    has_employee_count: p.organization.employees !== null,
  },
});

export const toOrganizationRecord = (p: SyntheticPerson) => ({
  id: p.organization.id,
  name: p.organization.name,
  website_url: `http://www.${p.organization.domain}`,
  primary_domain: p.organization.domain,
  linkedin_url: `http://www.linkedin.com/company/example-${p.organization.domain.split('.')[0]}`,
  industry: p.organization.industry,
  estimated_num_employees: p.organization.employees,
  annual_revenue: p.organization.annualRevenue,
  annual_revenue_printed: p.organization.annualRevenue ? `${Math.round(p.organization.annualRevenue / 1_000_000)}M` : null,
  founded_year: 2010,
  short_description: `${p.organization.name} is a fictional company served by the CAIO sandbox.`,
  latest_funding_stage: p.organization.fundingStage,
  technology_names: p.organization.technologies,
  current_technologies: p.organization.technologies.map((t) => ({ uid: t.toLowerCase().replace(/\s+/g, '_'), name: t, category: 'Other' })),
  city: p.city,
  state: p.state,
  country: 'United States',
});

/** The People Match shape (contracts/apollo.md §2), including the messy variants. */
export const toMatchRecord = (p: SyntheticPerson) => {
  const record: Record<string, unknown> = {
    id: p.id,
    first_name: p.firstName,
    last_name: p.lastName,
    name: p.nameOnly ?? [p.firstName, p.lastName].filter(Boolean).join(' '),
    linkedin_url: p.linkedinUrl,
    title: p.title,
    headline: p.title ? `${p.title} at ${p.organization.name}` : null,
    email: p.email,
    email_status: p.email || p.verifiedEmail ? 'verified' : null,
    photo_url: null,
    organization_id: p.organization.id,
    employment_history: [],
    city: p.city,
    state: p.state,
    country: 'United States',
    organization: toOrganizationRecord(p),
  };
  if (p.nameOnly) {
    delete record.first_name;
    delete record.last_name;
  }
  if (p.verifiedEmail) record.verified_email = p.verifiedEmail;
  return record;
};
