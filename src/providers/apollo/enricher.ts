import type { EnrichmentResult, LeadEnricher } from '../../pipeline/ports.js';
import type { ApolloClient } from './client.js';
import { matchedPersonToLead } from './map-person.js';

/** Stage 2 on Apollo: People Match by the search id (1 credit when a record comes back). */
export const createApolloEnricher = ({ client }: { client: ApolloClient }): LeadEnricher => ({
  provider: 'apollo_match',
  enrich: async ({ source, sourceId, profile }): Promise<EnrichmentResult> => {
    // A search result is matched by its Apollo id; an imported lead by what the file gave. A website
    // visitor by the LinkedIn URL RB2B identified (never null [contracts/rb2b.md]) with the name and
    // company beside it: RB2B's business e-mail is often missing or a guessed pattern, and an address
    // Apollo does not hold would make it miss a person it knows by their profile.
    const byLinkedin = source === 'rb2b' && Boolean(profile.linkedinUrl);
    const params =
      source === 'apollo_search'
        ? { id: sourceId }
        : {
            ...(profile.email && !byLinkedin ? { email: profile.email } : {}),
            ...(profile.linkedinUrl ? { linkedin_url: profile.linkedinUrl } : {}),
            ...(profile.firstName ? { first_name: profile.firstName } : {}),
            ...(profile.lastName ? { last_name: profile.lastName } : {}),
            ...(profile.company.name ? { organization_name: profile.company.name } : {}),
            ...(profile.company.domain ? { domain: profile.company.domain } : {}),
          };
    const person = await client.matchPerson(params);
    if (!person) return { outcome: 'miss' };
    const enriched = matchedPersonToLead(person, profile);
    const fields = Object.entries(enriched.provenance)
      .filter(([, provider]) => provider === 'apollo_match')
      .map(([field]) => field);
    // People Match spends one credit per record returned (contracts/apollo.md).
    return { outcome: 'matched', profile: enriched, raw: person, fields, credits: { apollo: 1 } };
  },
});
