import { z } from 'zod';

/**
 * RB2B visitor payloads (contracts/rb2b.md). RB2B must get a 200 for every event, so a field of an
 * unexpected type reads as null instead of failing the whole payload (`.catch(null)`): the mapper
 * decides whether what is left is usable.
 */
const text = z.string().nullish().catch(null);
/** `Employee Count` is an integer or a string such as "11-50" [docs]. */
const numberOrText = z.union([z.number(), z.string()]).nullish().catch(null);
const list = <T extends z.ZodType>(item: T) => z.array(item.nullable().catch(null)).nullish().catch(null);

/** The original's company object (also its setup doc's company-level example). Tolerated, not expected. */
export const Rb2bCompanySchema = z.looseObject({ name: text, domain: text, website: text, industry: text, employee_count: numberOrText });

/** The original's nested person (`leading_profile` or `person`). Tolerated, not expected. */
export const Rb2bPersonSchema = z.looseObject({
  email: text,
  work_email: text,
  linkedin_url: text,
  linkedin: text,
  linkedinUrl: text,
  first_name: text,
  last_name: text,
  name: text,
  full_name: text,
  company: Rb2bCompanySchema.nullish().catch(null),
  company_name: text,
  job_title: text,
  title: text,
  work_history: z.array(z.unknown()).nullish().catch(null),
  experience: z.array(z.unknown()).nullish().catch(null),
});

/** A page in the original's `pages[]` / `events[].page`: a URL string or an object naming one. */
export const Rb2bPageRefSchema = z.union([z.string(), z.looseObject({ url: text, page_url: text, page: text })]);

/**
 * One identified visitor. Documented keys are Title Case with spaces [docs]; the snake_case keys
 * after them are the original's shape, read only as fallbacks ("The original's shape").
 */
export const Rb2bVisitorSchema = z.looseObject({
  'LinkedIn URL': text,
  'First Name': text,
  'Last Name': text,
  Title: text,
  'Company Name': text,
  'Business Email': text,
  Website: text,
  Industry: text,
  'Employee Count': numberOrText,
  'Estimate Revenue': text,
  City: text,
  State: text,
  Zipcode: numberOrText,
  /** ISO 8601 in theory; RB2B's own example is malformed, so this is kept as text and parsed leniently. */
  'Seen At': text,
  Referrer: text,
  'Captured URL': text,
  /** Comma-separated, e.g. "Hot Pages, Hot Leads". */
  Tags: text,
  // ---- the original's shape (tolerate, do not expect) ----
  leading_profile: Rb2bPersonSchema.nullish().catch(null),
  person: Rb2bPersonSchema.nullish().catch(null),
  visitor_id: numberOrText,
  id: numberOrText,
  page_url: text,
  url: text,
  page: text,
  pages: list(Rb2bPageRefSchema),
  events: list(z.looseObject({ page: Rb2bPageRefSchema.nullish().catch(null), url: text, page_url: text })),
  company: Rb2bCompanySchema.nullish().catch(null),
  geo: z.looseObject({ country: text, city: text, state: text }).nullish().catch(null),
  ip_address: text,
  referrer: text,
});

export type Rb2bVisitor = z.infer<typeof Rb2bVisitorSchema>;
export type Rb2bPageRef = z.infer<typeof Rb2bPageRefSchema>;

/** The visitor read from a parsed JSON body; null when the body is not a JSON object. */
export const readRb2bVisitor = (json: unknown): Rb2bVisitor | null => {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const result = Rb2bVisitorSchema.safeParse(json);
  return result.success ? result.data : null;
};
