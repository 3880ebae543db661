import { emptyLead, linkedinUrlOrNull, normalizeDomain, normalizeEmail, parseEmployeeCount, splitFullName, type LeadProfile } from '../../domain/lead.js';
import { fingerprint } from '../../domain/stable-hash.js';
import { isPricingUrl, topicOfPage } from '../../domain/visitors/visit-summary.js';
import type { DiscoveredLead } from '../../pipeline/ports.js';
import { readRb2bVisitor, type Rb2bPageRef, type Rb2bVisitor } from './schemas.js';

export const RB2B_SOURCE = 'rb2b';
const PROVIDER = 'rb2b';

/** What this one event says about the sighting (one event = one page view, contracts/rb2b.md). */
export type VisitorVisit = {
  /** `Seen At` parsed leniently; null when unreadable (the intake then uses the receipt time). */
  seenAt: Date | null;
  /** `Seen At` as sent, kept because RB2B's documented format is itself malformed. */
  seenAtRaw: string | null;
  /** The page viewed (`Captured URL`, else the original's page fields). */
  pageUrl: string | null;
  referrer: string | null;
  /** Pages this event names: one for the documented shape, possibly more for the original's `pages[]`. */
  pagesViewed: string[];
  isPricingPage: boolean;
  /**
   * This event shows the person had already been on the site: the referrer is one of our own pages
   * (RB2B sends one event per page view, so that earlier page was an earlier sighting), or the event
   * lists several pages. The intake, which sees every event, aggregates across events by `sourceId`.
   */
  isRepeatVisit: boolean;
  tags: string[];
  /** The original's `visitor_id|id`, when present. */
  visitorId: string | null;
  /** Stable per event (person, time, page): lets the intake recognise a redelivered event. */
  eventKey: string;
};

export type VisitorMapping = { lead: DiscoveredLead; visit: VisitorVisit } | { error: string };

const clean = (value: string | number | null | undefined): string | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  const v = value?.trim();
  return v ? v : null;
};

const first = <T>(...values: (T | null | undefined)[]): T | null => values.find((v) => v !== null && v !== undefined) ?? null;

const asUrl = (raw: string): URL | null => {
  for (const candidate of [raw, `https://${raw}`]) {
    try {
      const url = new URL(candidate);
      if (url.hostname.includes('.')) return url;
    } catch {
      // try the next form
    }
  }
  return null;
};

const siteOf = (raw: string | null): string | null => (raw ? (asUrl(raw)?.hostname.replace(/^www\./, '') ?? null) : null);

/** Pricing pages are recognised by the domain's rule (also used when visits are summed up). */
export { isPricingUrl };

const STRICT_ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `Seen At` per [docs] is ISO 8601, but RB2B's own example is `2024-01-01T12:34:56:00.00+00.00`.
 * Strict ISO first; otherwise salvage the leading date-time and a trailing `±HH[.:]MM` offset
 * (UTC when none); null when even that fails (contracts/rb2b.md: fall back to receipt time).
 */
export const parseSeenAt = (raw: string | null): Date | null => {
  if (!raw) return null;
  const value = raw.trim();
  if (STRICT_ISO.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  const head = value.match(/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/);
  if (!head) return null;
  const offset = value.slice(head[0].length).match(/([+-])(\d{2})[.:]?(\d{2})$/);
  const date = new Date(`${head[1]}T${head[2]}${offset ? `${offset[1]}${offset[2]}:${offset[3]}` : 'Z'}`);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** `Estimate Revenue` is text such as "$24M rev" [docs]: the first amount with its K/M/B scale; null when none. */
export const parseRevenueEstimate = (raw: string | null): number | null => {
  const match = raw?.replace(/,/g, '').match(/(\d+(?:\.\d+)?)\s*([kmb])?/i);
  if (!match) return null;
  const scale = { k: 1e3, m: 1e6, b: 1e9 }[(match[2] ?? '').toLowerCase() as 'k' | 'm' | 'b'] ?? 1;
  const value = Number.parseFloat(match[1]!) * scale;
  return Number.isFinite(value) && value > 0 ? Math.round(value) : null;
};

const pageOf = (ref: Rb2bPageRef | null | undefined): string | null => (typeof ref === 'string' ? clean(ref) : ref ? first(clean(ref.url), clean(ref.page_url), clean(ref.page)) : null);

const pagesOf = (v: Rb2bVisitor): string[] => {
  const documented = first(clean(v['Captured URL']), clean(v.page_url), clean(v.url), clean(v.page));
  const listed = [...(v.pages ?? []).map(pageOf), ...(v.events ?? []).map((e) => (e ? first(pageOf(e.page), clean(e.url), clean(e.page_url)) : null))];
  return [...new Set([documented, ...listed].filter((p): p is string => p !== null))];
};

const withProvenance = (lead: LeadProfile): LeadProfile => {
  const provenance: Record<string, string> = { sourceType: PROVIDER };
  for (const key of ['email', 'firstName', 'lastName', 'fullName', 'title', 'linkedinUrl', 'location', 'sourceName'] as const) if (lead[key]) provenance[key] = PROVIDER;
  for (const [key, value] of Object.entries(lead.company)) {
    if (value !== null && !(Array.isArray(value) && value.length === 0)) provenance[`company.${key}`] = PROVIDER;
  }
  provenance['intent.websiteVisits'] = PROVIDER;
  if (lead.intent.pricingPageVisits > 0) provenance['intent.pricingPageVisits'] = PROVIDER;
  return { ...lead, provenance };
};

/**
 * One RB2B event → a website-visitor lead and the sighting. Documented keys first, the original's
 * nested shape as fallback. A person is known by LinkedIn URL (never null per [docs]) or business
 * e-mail; an event with neither cannot become a lead and is an error. `sourceId` is the normalised
 * LinkedIn URL, else the e-mail, so every sighting of one person lands on one lead.
 */
export const visitorToLead = (payload: unknown): VisitorMapping => {
  const v = readRb2bVisitor(payload);
  if (!v) return { error: 'the payload is not a JSON object' };
  const person = v.leading_profile ?? v.person ?? null;
  const company = v.company ?? person?.company ?? null;

  const linkedinRaw = first(...[v['LinkedIn URL'], person?.linkedin_url, person?.linkedin, person?.linkedinUrl].map(clean).filter((u) => linkedinUrlOrNull(u) !== null));
  const linkedin = linkedinUrlOrNull(linkedinRaw);
  const email = first(normalizeEmail(v['Business Email']), normalizeEmail(person?.email), normalizeEmail(person?.work_email));
  if (!linkedin && !email) return { error: 'no LinkedIn URL or business e-mail identifies the visitor' };

  const split = splitFullName(first(clean(person?.name), clean(person?.full_name)));
  const firstName = first(clean(v['First Name']), clean(person?.first_name), split.firstName);
  const lastName = first(clean(v['Last Name']), clean(person?.last_name), split.lastName);
  const pages = pagesOf(v);
  const pageUrl = pages[0] ?? null;
  const referrer = first(clean(v.Referrer), clean(v.referrer));
  const pricingViews = pages.filter(isPricingUrl).length;
  const site = siteOf(pageUrl);
  const seenAtRaw = clean(v['Seen At']);

  const lead = emptyLead({
    email,
    firstName,
    lastName,
    fullName: [firstName, lastName].filter(Boolean).join(' ') || null,
    title: first(clean(v.Title), clean(person?.job_title), clean(person?.title)),
    linkedinUrl: linkedinRaw,
    location: [first(clean(v.City), clean(v.geo?.city)), first(clean(v.State), clean(v.geo?.state), clean(v.geo?.country))].filter(Boolean).join(', ') || null,
    company: {
      name: first(clean(v['Company Name']), clean(company?.name), clean(person?.company_name)),
      domain: first(normalizeDomain(v.Website), normalizeDomain(company?.domain), normalizeDomain(company?.website)),
      industry: first(clean(v.Industry), clean(company?.industry)),
      employeeCount: parseEmployeeCount(first(v['Employee Count'], company?.employee_count)),
      annualRevenue: parseRevenueEstimate(clean(v['Estimate Revenue'])),
      technologies: [],
      fundingStage: null,
      linkedinUrl: null,
    },
    sourceType: 'website_visitor',
    // The subject of the page in plain words, never the page (pricing and the home page have none):
    // what a draft may mention when rb2b.mentionVisit is `topic` (domain/drafting/visit-mention.ts).
    sourceName: topicOfPage(pageUrl),
    intent: { websiteVisits: Math.max(1, pages.length), contentDownloads: 0, pricingPageVisits: pricingViews, demoRequested: false },
  });

  const sourceId = linkedin ?? email!;
  const visit: VisitorVisit = {
    seenAt: parseSeenAt(seenAtRaw),
    seenAtRaw,
    pageUrl,
    referrer,
    pagesViewed: pages,
    isPricingPage: pricingViews > 0,
    isRepeatVisit: pages.length > 1 || (site !== null && siteOf(referrer) === site),
    tags: (clean(v.Tags) ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    visitorId: first(clean(v.visitor_id), clean(v.id)),
    eventKey: fingerprint(`${sourceId}|${seenAtRaw ?? ''}|${pageUrl ?? ''}`),
  };
  return { lead: { source: RB2B_SOURCE, sourceId, profile: withProvenance(lead), raw: payload }, visit };
};
