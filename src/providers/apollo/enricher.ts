import type { EnrichmentResult, LeadEnricher } from '../../pipeline/ports.js';
import type { ApolloClient } from './client.js';
import { matchedPersonToLead } from './map-person.js';

/** Stage 2 on Apollo: People Match by the search id (1 credit when a record comes back). */
export const createApolloEnricher = ({ client }: { client: ApolloClient }): LeadEnricher => ({
  provider: 'apollo_match',
  enrich: async ({ sourceId, profile }): Promise<EnrichmentResult> => {
    const person = await client.matchPerson({ id: sourceId });
    if (!person) return { outcome: 'miss' };
    const enriched = matchedPersonToLead(person, profile);
    const fields = Object.entries(enriched.provenance).filter(([, provider]) => provider === 'apollo_match').map(([field]) => field);
    return { outcome: 'matched', profile: enriched, raw: person, fields };
  },
});
