import type { SyntheticPerson } from './synthetic-people.js';

/**
 * The People Search filters the sandbox narrows by (contracts/apollo.md §1): employer domains,
 * employee ranges ("51,200"), person and employer locations, and `q_keywords` free text. Titles and
 * seniorities are validated but do not narrow, so a seed alone decides who a plain run discovers.
 */
export const SEARCH_LIST_PARAMS = ['person_titles', 'person_seniorities', 'q_organization_domains_list', 'organization_num_employees_ranges', 'person_locations', 'organization_locations'] as const;

const RANGE = /^\s*(\d+)\s*,\s*(\d+)\s*$/;

/** The employee count as a number: "1,000+" counts as 1000, "51-200" as 51; unknown is null. */
const employeesOf = (value: SyntheticPerson['organization']['employees']): number | null => {
  if (typeof value === 'number') return value;
  if (value === null) return null;
  const digits = /\d[\d,]*/.exec(value)?.[0]?.replace(/,/g, '');
  return digits ? Number(digits) : null;
};

const lower = (s: string) => s.trim().toLowerCase();

/** A location filter matches when it names the city, the state, the country or "city, state". */
const inLocation = (place: { city: string; state: string; country: string }, wanted: string[]): boolean => {
  const names = [place.city, place.state, place.country, `${place.city}, ${place.state}`].map(lower);
  return wanted.some((w) => names.includes(lower(w)));
};

const domainMatches = (domain: string, wanted: string[]) => wanted.some((w) => domain === lower(w) || domain.endsWith(`.${lower(w)}`));

export type SearchFilters = { ranges: [number, number][] | null; domains: string[] | null; personLocations: string[] | null; organizationLocations: string[] | null; keywords: string[] | null };

/** The filters of a request, or a reason it is invalid (the sandbox answers 422 `Invalid parameters`). */
export const readSearchFilters = (params: Record<string, unknown>): SearchFilters | null => {
  for (const list of SEARCH_LIST_PARAMS) {
    const v = params[list];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) return null;
  }
  if (params.q_keywords !== undefined && typeof params.q_keywords !== 'string') return null;
  const list = (key: (typeof SEARCH_LIST_PARAMS)[number]) => {
    const v = params[key] as string[] | undefined;
    return v?.length ? v : null;
  };
  const rawRanges = list('organization_num_employees_ranges');
  const ranges = rawRanges?.map((r) => RANGE.exec(r)) ?? null;
  if (ranges?.some((r) => !r)) return null;
  const keywords = typeof params.q_keywords === 'string' ? params.q_keywords.split(/\s+/).map(lower).filter(Boolean) : [];
  return {
    ranges: ranges ? ranges.map((r) => [Number(r![1]), Number(r![2])] as [number, number]) : null,
    domains: list('q_organization_domains_list'),
    personLocations: list('person_locations'),
    organizationLocations: list('organization_locations'),
    keywords: keywords.length ? keywords : null,
  };
};

/** Whether the person passes every filter given (an employee count Apollo does not know never matches a range). */
export const matchesSearch = (p: SyntheticPerson, f: SearchFilters): boolean => {
  if (f.domains && !domainMatches(p.organization.domain, f.domains)) return false;
  if (f.ranges) {
    const n = employeesOf(p.organization.employees);
    if (n === null || !f.ranges.some(([min, max]) => n >= min && n <= max)) return false;
  }
  const place = { city: p.city, state: p.state, country: 'United States' };
  if (f.personLocations && !inLocation(place, f.personLocations)) return false;
  if (f.organizationLocations && !inLocation(place, f.organizationLocations)) return false;
  if (f.keywords) {
    const text = lower([p.title ?? '', p.organization.name, p.organization.industry].join(' '));
    if (!f.keywords.every((k) => text.includes(k))) return false;
  }
  return true;
};
