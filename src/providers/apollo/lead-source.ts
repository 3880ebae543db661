import type { DiscoverOptions, DiscoveryResult, LeadSource } from '../../pipeline/ports.js';
import type { ApolloClient } from './client.js';
import { searchResultToLead } from './map-person.js';
import type { ApolloSearchParams } from './schemas.js';

/** What one discovery asks Apollo People Search for (the config's discovery, or one targeting profile). */
export type ApolloDiscovery = {
  titles: readonly string[];
  seniorities: readonly string[];
  organizationDomains: readonly string[];
  /** One sweep per industry, as free text: People Search has no industry filter (contracts/apollo.md §1). */
  industries?: readonly string[];
  /** `"51,500"` ranges (organization_num_employees_ranges). */
  employeeRanges?: readonly string[];
  personLocations?: readonly string[];
  organizationLocations?: readonly string[];
  keywords?: string | undefined;
};

/** Apollo People Search is free and anonymised; it pages at most 100 people a call. */
const MAX_PER_PAGE = 100;

/**
 * Pages past people already handled stop here per sweep: a search whose first thousands of people
 * are all known is exhausted for top-ups, and paging on would only spend the search's rate limit.
 */
export const MAX_PAGES_PER_SWEEP = 50;

/** The source name Apollo People Search records carry (leads.source). */
const SOURCE = 'apollo_search';

const listParam = <K extends keyof ApolloSearchParams>(key: K, values: readonly string[] | undefined): Partial<ApolloSearchParams> => (values?.length ? { [key]: [...values] } : {});

/** The filters every sweep shares, and the `q_keywords` of each sweep (one per industry, or one). */
export const searchPlan = (discovery: ApolloDiscovery): { base: ApolloSearchParams; keywords: (string | undefined)[] } => {
  const base: ApolloSearchParams = {
    person_titles: [...discovery.titles],
    person_seniorities: [...discovery.seniorities],
    ...listParam('q_organization_domains_list', discovery.organizationDomains),
    ...listParam('organization_num_employees_ranges', discovery.employeeRanges),
    ...listParam('person_locations', discovery.personLocations),
    ...listParam('organization_locations', discovery.organizationLocations),
  };
  const industries = discovery.industries ?? [];
  const keywords = industries.length ? industries.map((i) => [discovery.keywords, i].filter(Boolean).join(' ')) : [discovery.keywords];
  return { base, keywords };
};

/**
 * Stage 1 on Apollo: page through People Search, sweep by sweep, until `limit` people are found or
 * results run out. People the pipeline already handled (`handled`) are paged past, not offered
 * again: otherwise every top-up would start at page 1 and meet the same people.
 */
export const createApolloLeadSource = ({ client, discovery, name = 'apollo' }: { client: ApolloClient; discovery: ApolloDiscovery; name?: string }): LeadSource => ({
  name,
  discover: async ({ limit, handled }: DiscoverOptions): Promise<DiscoveryResult> => {
    const leads: DiscoveryResult['leads'] = [];
    const seen = new Set<string>();
    const perPage = Math.min(limit, MAX_PER_PAGE);
    const plan = searchPlan(discovery);
    let totalEntries = 0;
    let pages = 0;
    let alreadyHandled = 0;
    for (const q of plan.keywords) {
      for (let page = 1; leads.length < limit && page <= MAX_PAGES_PER_SWEEP; page++) {
        const result = await client.searchPeople({ ...plan.base, ...(q ? { q_keywords: q } : {}), page, per_page: perPage });
        pages++;
        if (page === 1) totalEntries += result.total_entries;
        const fresh = result.people.filter((person) => !seen.has(person.id));
        const known =
          handled && fresh.length
            ? await handled(
                SOURCE,
                fresh.map((person) => person.id),
              )
            : new Set<string>();
        for (const person of fresh) {
          seen.add(person.id);
          if (known.has(person.id)) {
            alreadyHandled++;
            continue;
          }
          if (leads.length >= limit) continue;
          leads.push({ source: SOURCE, sourceId: person.id, profile: searchResultToLead(person), raw: person });
        }
        if (result.people.length < perPage || page * perPage >= result.total_entries) break;
      }
      if (leads.length >= limit) break;
    }
    return { leads, errors: [], metrics: { totalEntries, pages, ...(handled ? { alreadyHandled } : {}), ...(plan.keywords.length > 1 ? { sweeps: plan.keywords.length } : {}) } };
  },
});
