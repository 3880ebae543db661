import type { DiscoveryResult, LeadSource } from '../../pipeline/ports.js';
import type { ApolloClient } from './client.js';
import { searchResultToLead } from './map-person.js';

export type ApolloDiscovery = { titles: readonly string[]; seniorities: readonly string[]; organizationDomains: readonly string[] };

/** Apollo People Search is free and anonymised; it pages at most 100 people a call. */
const MAX_PER_PAGE = 100;

/** Stage 1 on Apollo: page through People Search until `limit` people are found or results run out. */
export const createApolloLeadSource = ({ client, discovery }: { client: ApolloClient; discovery: ApolloDiscovery }): LeadSource => ({
  name: 'apollo',
  discover: async ({ limit }): Promise<DiscoveryResult> => {
    const leads: DiscoveryResult['leads'] = [];
    const seen = new Set<string>();
    const perPage = Math.min(limit, MAX_PER_PAGE);
    let totalEntries = 0;
    let pages = 0;
    for (let page = 1; leads.length < limit; page++) {
      const result = await client.searchPeople({
        person_titles: [...discovery.titles],
        person_seniorities: [...discovery.seniorities],
        ...(discovery.organizationDomains.length ? { q_organization_domains_list: [...discovery.organizationDomains] } : {}),
        page,
        per_page: perPage,
      });
      pages++;
      totalEntries = result.total_entries;
      for (const person of result.people) {
        if (leads.length >= limit || seen.has(person.id)) continue;
        seen.add(person.id);
        leads.push({ source: 'apollo_search', sourceId: person.id, profile: searchResultToLead(person), raw: person });
      }
      if (result.people.length < perPage || page * perPage >= totalEntries) break;
    }
    return { leads, errors: [], metrics: { totalEntries, pages } };
  },
});
