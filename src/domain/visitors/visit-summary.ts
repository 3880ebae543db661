import type { LeadProfile } from '../lead.js';

/** One RB2B sighting as the timeline keeps it: one event is one page view (contracts/rb2b.md). */
export type VisitSighting = { at: Date; page: string | null };

/** What a visitor's sightings add up to: the intent the scorer reads and the topic a draft may use. */
export type VisitSummary = {
  /** Every sighting counts once (RB2B sends one event per page view). */
  pageViews: number;
  /** Distinct pages by path, in the order first seen. */
  pages: string[];
  pricingPageViews: number;
  /** Sightings more than SESSION_GAP_MS apart start a new visit. */
  sessions: number;
  /** The subject of the pages read (never a URL); null when the pages have none (pricing, home, about). */
  topic: string | null;
};

/** Analytics tools' usual session gap: a sighting this long after the previous one is a return visit. */
export const SESSION_GAP_MS = 30 * 60_000;

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

const pathOf = (raw: string): string => (asUrl(raw)?.pathname ?? raw.split(/[?#]/)[0] ?? '').toLowerCase();

const segmentsOf = (raw: string): string[] =>
  pathOf(raw)
    .split('/')
    .map((s) => s.replace(/\.[a-z0-9]+$/, ''))
    .filter(Boolean);

/** A path segment naming a pricing page: `/pricing`, `/plans`, `/pricing-enterprise`, `/price.html`. */
export const isPricingUrl = (raw: string | null): boolean => Boolean(raw) && segmentsOf(raw!).some((s) => s.includes('pricing') || s === 'plans' || s === 'price' || s === 'prices');

/** Pages that say nothing about what a person is interested in. */
const NO_TOPIC = new Set(['about', 'about-us', 'contact', 'contact-us', 'careers', 'jobs', 'login', 'signin', 'sign-in', 'signup', 'sign-up', 'team', 'privacy', 'terms', 'home', 'index', 'thank-you', 'thanks', 'demo', 'book', 'search']);
/** Section names: the topic is the segment after them. */
const SECTIONS = new Set(['blog', 'blogs', 'posts', 'articles', 'resources', 'guides', 'insights', 'services', 'solutions', 'webinars', 'events', 'case-studies', 'customers', 'success-stories', 'en', 'us', 'uk']);
const CASE_STUDIES = new Set(['case-studies', 'customers', 'success-stories']);
const ACRONYMS: Record<string, string> = { ai: 'AI', ml: 'ML', crm: 'CRM', gtm: 'GTM', b2b: 'B2B', saas: 'SaaS', roi: 'ROI', revops: 'RevOps', llm: 'LLM', llms: 'LLMs', hr: 'HR', it: 'IT' };

const words = (slug: string): string =>
  slug
    .split(/[-_+]+/)
    .filter((w) => w && !/^\d+$/.test(w))
    .map((w) => ACRONYMS[w] ?? w)
    .join(' ');

/**
 * The subject of one page in plain words, from its path only (`/blog/ai-council` -> "AI council",
 * `/case-studies/agency` -> "what agency teams have done with AI"); null for pricing, the home page
 * and pages that say nothing about a subject. Never returns a URL or a path.
 */
export const topicOfPage = (raw: string | null): string | null => {
  if (!raw || isPricingUrl(raw)) return null;
  const segments = segmentsOf(raw);
  if (segments.length === 0 || segments.some((s) => NO_TOPIC.has(s))) return null;
  const last = segments.at(-1)!;
  if (SECTIONS.has(last)) return null;
  const section = segments.slice(0, -1).find((s) => SECTIONS.has(s));
  const text = words(last);
  // Slugs that are ids or a single letter say nothing.
  if (text.replace(/\s/g, '').length < 3) return null;
  return section && CASE_STUDIES.has(section) ? `what ${text} teams have done with AI` : text;
};

/**
 * The sightings of one visitor, in any order, summed up: page views, distinct pages, pricing views,
 * separate visits (a gap over SESSION_GAP_MS) and the topic most pages were about (the latest wins a tie).
 */
export const summariseVisits = (sightings: readonly VisitSighting[]): VisitSummary => {
  const ordered = [...sightings].sort((a, b) => a.at.getTime() - b.at.getTime());
  const pages: string[] = [];
  const topics = new Map<string, { count: number; last: number }>();
  let sessions = 0;
  let previous: number | null = null;
  let pricingPageViews = 0;
  for (const [i, s] of ordered.entries()) {
    const at = s.at.getTime();
    if (previous === null || at - previous > SESSION_GAP_MS) sessions++;
    previous = at;
    if (!s.page) continue;
    const path = pathOf(s.page) || '/';
    if (!pages.includes(path)) pages.push(path);
    if (isPricingUrl(s.page)) pricingPageViews++;
    const topic = topicOfPage(s.page);
    if (topic) topics.set(topic, { count: (topics.get(topic)?.count ?? 0) + 1, last: i });
  }
  const topic = [...topics.entries()].sort(([, a], [, b]) => b.count - a.count || b.last - a.last)[0]?.[0] ?? null;
  return { pageViews: ordered.length, pages, pricingPageViews, sessions, topic };
};

/**
 * The visitor's profile with what all their sightings say: page views, pricing views and return
 * visits as intent (never less than the profile already had), and the topic as `sourceName` (what
 * a draft may mention when `rb2b.mentionVisit` is `topic`).
 */
export const withVisitIntent = (profile: LeadProfile, summary: VisitSummary, provider: string): LeadProfile => {
  const repeatVisits = Math.max(profile.intent.repeatVisits ?? 0, summary.sessions - 1);
  const provenance: LeadProfile['provenance'] = { ...profile.provenance, 'intent.websiteVisits': provider };
  if (summary.pricingPageViews > 0) provenance['intent.pricingPageVisits'] = provider;
  if (repeatVisits > 0) provenance['intent.repeatVisits'] = provider;
  if (summary.topic) provenance.sourceName = provider;
  return {
    ...profile,
    sourceType: 'website_visitor',
    sourceName: summary.topic ?? (profile.sourceName && !isPricingUrl(profile.sourceName) ? profile.sourceName : null),
    intent: {
      ...profile.intent,
      websiteVisits: Math.max(profile.intent.websiteVisits, summary.pageViews),
      pricingPageVisits: Math.max(profile.intent.pricingPageVisits, summary.pricingPageViews),
      ...(repeatVisits > 0 ? { repeatVisits } : {}),
    },
    provenance,
  };
};
