import { AppError } from '../../lib/app-error.js';
import type { ApolloDiscovery } from './lead-source.js';

/** The config's `discovery` as far as profiles need it (config/schema.ts). */
export type DiscoverySettings = ApolloDiscovery & {
  companyLists: Record<string, readonly string[]>;
  profiles: Record<string, Omit<ApolloDiscovery, 'titles' | 'seniorities'> & { titles?: readonly string[] | undefined; seniorities?: readonly string[] | undefined; companyLists: readonly string[] }>;
};

/** The plain source: discovery's titles, seniorities and domains, no other filter. */
export const PLAIN_SOURCE = 'apollo';

/** The names `--source` accepts: the plain source, then the profiles. */
export const sourceNames = (settings: DiscoverySettings): string[] => [PLAIN_SOURCE, ...Object.keys(settings.profiles)];

/**
 * What `--source NAME` searches for: the plain discovery, or the profile of that name over it
 * (its named company lists expanded into domains). An unknown name is refused with the names known.
 */
export const discoveryFor = (settings: DiscoverySettings, source: string): ApolloDiscovery => {
  const base: ApolloDiscovery = { titles: settings.titles, seniorities: settings.seniorities, organizationDomains: settings.organizationDomains };
  if (source === PLAIN_SOURCE) return base;
  const profile = Object.hasOwn(settings.profiles, source) ? settings.profiles[source] : undefined;
  if (!profile) throw new AppError('INVALID_INPUT', `unknown lead source or targeting profile "${source}" (available: ${sourceNames(settings).join(', ')}, rb2b for website visitors, or --input FILE; profiles live in discovery.profiles)`);
  const listed = profile.companyLists.flatMap((list) => settings.companyLists[list] ?? []);
  return {
    titles: profile.titles ?? base.titles,
    seniorities: profile.seniorities ?? base.seniorities,
    organizationDomains: [...new Set([...profile.organizationDomains, ...listed])],
    industries: profile.industries ?? [],
    employeeRanges: profile.employeeRanges ?? [],
    personLocations: profile.personLocations ?? [],
    organizationLocations: profile.organizationLocations ?? [],
    keywords: profile.keywords,
  };
};
