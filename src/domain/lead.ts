/**
 * The lead as the domain sees it, whatever the source. Provider records are mapped into this shape
 * at the edge (providers/…/map-*.ts); the raw record is kept by the store, never read here.
 */

/** Where a field's value came from, for grounding: e.g. `apollo_match`, `apollo_search`, `csv`. */
export type Provenance = string;

export type Company = {
  name: string | null;
  domain: string | null;
  industry: string | null;
  /** Parsed head count; null when unknown (never a guess). */
  employeeCount: number | null;
  annualRevenue: number | null;
  technologies: string[];
  fundingStage: string | null;
  linkedinUrl: string | null;
};

export type IntentSignals = {
  websiteVisits: number;
  contentDownloads: number;
  pricingPageVisits: number;
  demoRequested: boolean;
  /** Times the person came back to the site after a first visit (separate sessions, minus one); absent means none known. */
  repeatVisits?: number;
};

/**
 * How the lead reached us. `apollo_search` for discovery; the engagement types of the spec
 * (website_visitor, content_downloader, demo_requester, webinar_registrant, post_commenter,
 * event_attendee, competitor_follower, group_member, post_liker) for intent sources; `csv_import`.
 */
export type SourceType = string;

export type LeadProfile = {
  /** Normalised (trimmed, lower-case) email; null when none is known yet. */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  title: string | null;
  linkedinUrl: string | null;
  location: string | null;
  company: Company;
  sourceType: SourceType;
  sourceName: string | null;
  intent: IntentSignals;
  /** The company is hiring for AI/data roles (from enrichment); drives the hiring-trigger angle. */
  hiringSignal: boolean;
  /** A short engagement snippet, e.g. the topic of a LinkedIn comment; null when none. */
  engagementContent: string | null;
  /** Field path (`title`, `company.industry`, …) → provider it came from. */
  provenance: Record<string, Provenance>;
};

export const emptyCompany = (): Company => ({
  name: null,
  domain: null,
  industry: null,
  employeeCount: null,
  annualRevenue: null,
  technologies: [],
  fundingStage: null,
  linkedinUrl: null,
});

export const noIntent = (): IntentSignals => ({
  websiteVisits: 0,
  contentDownloads: 0,
  pricingPageVisits: 0,
  demoRequested: false,
});

export const emptyLead = (overrides: Partial<LeadProfile> = {}): LeadProfile => ({
  email: null,
  firstName: null,
  lastName: null,
  fullName: null,
  title: null,
  linkedinUrl: null,
  location: null,
  company: emptyCompany(),
  sourceType: 'apollo_search',
  sourceName: null,
  intent: noIntent(),
  hiringSignal: false,
  engagementContent: null,
  provenance: {},
  ...overrides,
});

const EMAIL_PATTERN = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Apollo's stand-in for an address the plan has not unlocked; it is not an email. */
const LOCKED_EMAIL_PLACEHOLDER = 'email_not_unlocked@domain.com';

/** Trim and lower-case; null for empty, malformed or placeholder addresses. */
export const normalizeEmail = (raw: string | null | undefined): string | null => {
  if (typeof raw !== 'string') return null;
  const email = raw.trim().toLowerCase();
  if (email === '' || email === LOCKED_EMAIL_PLACEHOLDER) return null;
  return EMAIL_PATTERN.test(email) ? email : null;
};

export const isValidEmail = (raw: string): boolean => normalizeEmail(raw) !== null;

/** The domain part of a normalised email. */
export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1);

/** Strip scheme, `www.`, path and port; lower-case. `https://www.Acme.example.com/x` → `acme.example.com`. */
export const normalizeDomain = (raw: string | null | undefined): string | null => {
  if (typeof raw !== 'string') return null;
  let domain = raw.trim().toLowerCase();
  if (domain === '') return null;
  domain = domain.replace(/^[a-z]+:\/\//, '').replace(/^www\./, '');
  domain = domain.split(/[/?#:]/)[0] ?? '';
  return domain === '' ? null : domain;
};

/** True when `domain` is one of `listed` or a subdomain of one (`mail.apollo.io` matches `apollo.io`). */
export const isDomainListed = (domain: string, listed: readonly string[]): boolean => {
  const d = domain.toLowerCase();
  return listed.some((entry) => {
    const e = entry.toLowerCase();
    return d === e || d.endsWith(`.${e}`);
  });
};

/**
 * Head counts arrive as numbers, numeric strings or ranges with separators ("1,000+", "51-200").
 * Take the first number; null when nothing numeric is there. Never throws.
 */
export const parseEmployeeCount = (raw: unknown): number | null => {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? Math.floor(raw) : null;
  if (typeof raw !== 'string') return null;
  const match = raw.replace(/[,_\s]/g, '').match(/\d+/);
  if (!match) return null;
  const value = Number.parseInt(match[0], 10);
  return Number.isFinite(value) ? value : null;
};

/** Split a full name on its first whitespace: "Ana María López" → ["Ana", "María López"]. */
export const splitFullName = (fullName: string | null | undefined): { firstName: string | null; lastName: string | null } => {
  const name = (fullName ?? '').trim().replace(/\s+/g, ' ');
  if (name === '') return { firstName: null, lastName: null };
  const space = name.indexOf(' ');
  if (space === -1) return { firstName: name, lastName: null };
  return { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
};

/** LinkedIn profile URLs compared as `linkedin.com/in/<slug>` in lower case, without query or trailing slash. */
export const normalizeLinkedinUrl = (raw: string | null | undefined): string | null => {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const url =
    raw
      .trim()
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, '')
      .replace(/^www\./, '')
      .split(/[?#]/)[0] ?? '';
  const trimmed = url.replace(/\/+$/, '');
  return trimmed === '' ? null : trimmed;
};

// The LinkedIn URL checks live here, beside the normalisation. They differ on purpose: each keeps
// what its caller has always accepted.
const NORMALIZED_PROFILE = /^linkedin\.com\/in\/[^/\s]+/;
const SENDABLE_PROFILE = /^(https?:\/\/)?([a-z]{2,3}\.)?linkedin\.com\/in\/[^/?#\s]+\/?$/i;

/** Whether the URL, once normalised, names a profile (`linkedin.com/in/<slug>…`): what an import row may use as identity. */
export const isLinkedinProfileUrl = (raw: string | null | undefined): boolean => {
  const normalized = normalizeLinkedinUrl(raw);
  return normalized !== null && NORMALIZED_PROFILE.test(normalized);
};

/**
 * Whether the URL is exactly one profile, as written (scheme optional, `www.` or a country
 * sub-domain, `/in/<slug>`, an optional trailing slash, no query): what HeyReach is sent.
 */
export const isSendableLinkedinProfileUrl = (url: string): boolean => SENDABLE_PROFILE.test(url);

/** The normalised URL when it is on linkedin.com (a profile or any other page there), else null. */
export const linkedinUrlOrNull = (raw: string | null | undefined): string | null => {
  const normalized = normalizeLinkedinUrl(raw);
  return normalized && normalized.includes('linkedin.com/') ? normalized : null;
};

const isBlank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Overlay `next` on `base`: a value that `next` knows replaces the old one, an unknown (null,
 * empty) one never erases what we already had. Provenance follows the value that was kept.
 */
export const mergeProfiles = (base: LeadProfile, next: LeadProfile): LeadProfile => {
  const pick = <T>(a: T, b: T): T => (isBlank(b) ? a : b);
  const company: Company = {
    name: pick(base.company.name, next.company.name),
    domain: pick(base.company.domain, next.company.domain),
    industry: pick(base.company.industry, next.company.industry),
    employeeCount: pick(base.company.employeeCount, next.company.employeeCount),
    annualRevenue: pick(base.company.annualRevenue, next.company.annualRevenue),
    technologies: pick(base.company.technologies, next.company.technologies),
    fundingStage: pick(base.company.fundingStage, next.company.fundingStage),
    linkedinUrl: pick(base.company.linkedinUrl, next.company.linkedinUrl),
  };
  const provenance = { ...base.provenance };
  for (const [field, provider] of Object.entries(next.provenance)) {
    const value = field.startsWith('company.') ? company[field.slice(8) as keyof Company] : (next as unknown as Record<string, unknown>)[field];
    if (!isBlank(value)) provenance[field] = provider;
  }
  return {
    email: pick(base.email, next.email),
    firstName: pick(base.firstName, next.firstName),
    lastName: pick(base.lastName, next.lastName),
    fullName: pick(base.fullName, next.fullName),
    title: pick(base.title, next.title),
    linkedinUrl: pick(base.linkedinUrl, next.linkedinUrl),
    location: pick(base.location, next.location),
    company,
    sourceType: base.sourceType,
    sourceName: pick(base.sourceName, next.sourceName),
    intent: {
      websiteVisits: Math.max(base.intent.websiteVisits, next.intent.websiteVisits),
      contentDownloads: Math.max(base.intent.contentDownloads, next.intent.contentDownloads),
      pricingPageVisits: Math.max(base.intent.pricingPageVisits, next.intent.pricingPageVisits),
      demoRequested: base.intent.demoRequested || next.intent.demoRequested,
      ...(base.intent.repeatVisits || next.intent.repeatVisits ? { repeatVisits: Math.max(base.intent.repeatVisits ?? 0, next.intent.repeatVisits ?? 0) } : {}),
    },
    hiringSignal: base.hiringSignal || next.hiringSignal,
    engagementContent: pick(base.engagementContent, next.engagementContent),
    provenance,
  };
};

/** The keys a person is known by (normalised email, `linkedin:<profile>`), for suppression checks. */
export const leadIdentities = (profile: Pick<LeadProfile, 'email' | 'linkedinUrl'>): string[] => {
  const ids: string[] = [];
  const email = normalizeEmail(profile.email);
  if (email) ids.push(email);
  const linkedin = normalizeLinkedinUrl(profile.linkedinUrl);
  if (linkedin) ids.push(`linkedin:${linkedin}`);
  return ids;
};
