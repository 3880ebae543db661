import { z } from 'zod';

/**
 * Apollo response shapes (contracts/apollo.md). Loose objects: unknown fields pass through, but
 * what we read is checked, so an unexpected shape is an error and never a silent undefined.
 */
const text = z.string().nullable().optional();

export const ApolloSearchPersonSchema = z.looseObject({
  id: z.string().min(1),
  first_name: text,
  last_name_obfuscated: text,
  title: text,
  has_email: z.boolean().optional(),
  organization: z.looseObject({ name: text }).nullable().optional(),
});
export type ApolloSearchPerson = z.infer<typeof ApolloSearchPersonSchema>;

export const ApolloSearchResponseSchema = z
  .looseObject({
    total_entries: z.number().int().nonnegative().optional(),
    people: z.array(ApolloSearchPersonSchema),
    pagination: z.looseObject({ total_entries: z.number().int().nonnegative().optional() }).optional(),
  })
  .transform((r) => ({ total_entries: r.total_entries ?? r.pagination?.total_entries ?? r.people.length, people: r.people }));
export type ApolloSearchPage = z.infer<typeof ApolloSearchResponseSchema>;

export const ApolloOrganizationSchema = z.looseObject({
  id: text,
  name: text,
  website_url: text,
  primary_domain: text,
  linkedin_url: text,
  industry: text,
  /** A number in the docs; strings such as "1,000+" occur in older records. */
  estimated_num_employees: z.union([z.number(), z.string()]).nullable().optional(),
  annual_revenue: z.number().nullable().optional(),
  technology_names: z.array(z.string()).nullable().optional(),
  latest_funding_stage: text,
  city: text,
  state: text,
  country: text,
});
export type ApolloOrganization = z.infer<typeof ApolloOrganizationSchema>;

export const ApolloPersonSchema = z.looseObject({
  id: z.string().min(1),
  first_name: text,
  last_name: text,
  name: text,
  title: text,
  headline: text,
  linkedin_url: text,
  email: text,
  email_status: text,
  /** Older records carry the address here and leave `email` null. */
  verified_email: text,
  city: text,
  state: text,
  country: text,
  organization: ApolloOrganizationSchema.nullable().optional(),
});
export type ApolloPerson = z.infer<typeof ApolloPersonSchema>;

export const ApolloMatchResponseSchema = z.looseObject({ person: ApolloPersonSchema.nullable().optional() });
export const ApolloOrganizationResponseSchema = z.looseObject({ organization: ApolloOrganizationSchema.nullable().optional() });

export type ApolloSearchParams = {
  person_titles?: string[];
  person_seniorities?: string[];
  q_organization_domains_list?: string[];
  organization_num_employees_ranges?: string[];
  person_locations?: string[];
  organization_locations?: string[];
  q_keywords?: string;
  page?: number;
  per_page?: number;
};

export type ApolloMatchParams = {
  id?: string;
  email?: string;
  linkedin_url?: string;
  first_name?: string;
  last_name?: string;
  organization_name?: string;
  domain?: string;
};
