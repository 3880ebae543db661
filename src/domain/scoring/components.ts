import type { LeadProfile } from '../lead.js';
import type { IcpSettings } from './settings.js';
import type { IndustryBucket, ScoreComponent, TitleBucket } from './types.js';
import { keywordMatcher } from './keyword-matcher.js';

/** 1. Company size, at most 20. Unknown and "too small" are both 0, with different warnings. */
export const scoreCompanySize = (lead: LeadProfile): ScoreComponent & { warning: string | null } => {
  const n = lead.company.employeeCount;
  const base = { code: 'company_size' as const, max: 20, fields: ['company.employeeCount'] };
  if (n === null) return { ...base, points: 0, reason: '+0: employee count unknown', warning: 'Employee count unknown' };
  const label = `${n.toLocaleString('en-US')} employees`;
  if (n < 10) return { ...base, points: 0, reason: `+0: ${label} is below the 10-employee minimum`, warning: 'Company too small (<10 employees)' };
  if (n < 20) return { ...base, points: 5, reason: `+5: ${label}, an early-stage team (10-19)`, warning: null };
  if (n <= 50) return { ...base, points: 12, reason: `+12: ${label}, a growth-stage team (20-50)`, warning: null };
  if (n <= 500) return { ...base, points: 20, reason: `+20: ${label} is in the ideal 51-500 range`, warning: null };
  if (n <= 1000) return { ...base, points: 15, reason: `+15: ${label}, mid-market (501-1,000)`, warning: null };
  return { ...base, points: 10, reason: `+10: ${label}, enterprise (over 1,000)`, warning: null };
};

const TITLE_POINTS: Record<TitleBucket, number> = { c_level: 25, vp: 22, director: 15, manager: 8, none: 0 };
const TITLE_LABEL: Record<TitleBucket, string> = { c_level: 'C-level or founder', vp: 'VP or strategic executive', director: 'director', manager: 'manager', none: 'no seniority keyword' };

/**
 * "Vice President" must not count as "president" (C-level): the phrase is taken out before the
 * C-level keywords are tried, and it then matches the VP bucket.
 */
export const titleBucketOf = (title: string | null, s: IcpSettings): { bucket: TitleBucket; keyword: string | null } => {
  if (!title) return { bucket: 'none', keyword: null };
  const withoutVicePresident = title.replace(/vice[\s-]+president/gi, ' ');
  const buckets: [TitleBucket, string, readonly string[]][] = [
    ['c_level', withoutVicePresident, s.titleKeywords.cLevel],
    ['vp', title, s.titleKeywords.vp],
    ['director', title, s.titleKeywords.director],
    ['manager', title, s.titleKeywords.manager],
  ];
  for (const [bucket, text, keywords] of buckets) {
    const keyword = keywordMatcher(keywords)(text);
    if (keyword) return { bucket, keyword };
  }
  return { bucket: 'none', keyword: null };
};

/** 2. Title seniority, at most 25; the first bucket that matches wins. */
export const scoreTitle = (lead: LeadProfile, s: IcpSettings): ScoreComponent & { bucket: TitleBucket } => {
  const { bucket, keyword } = titleBucketOf(lead.title, s);
  const points = TITLE_POINTS[bucket];
  const reason = !lead.title ? '+0: no title on record' : bucket === 'none' ? `+0: "${lead.title}" has no seniority keyword` : `+${points}: "${lead.title}" is ${TITLE_LABEL[bucket]} (matched "${keyword}")`;
  return { code: 'title', points, max: 25, reason, fields: ['title'], bucket };
};

const INDUSTRY_POINTS: Record<IndustryBucket, number> = { tier_1: 20, tier_2: 15, tier_3: 10, none: 0 };

export const industryBucketOf = (industry: string | null, s: IcpSettings): { bucket: IndustryBucket; keyword: string | null } => {
  if (!industry) return { bucket: 'none', keyword: null };
  const lists: [IndustryBucket, readonly string[]][] = [
    ['tier_1', s.industryKeywords.tier1],
    ['tier_2', s.industryKeywords.tier2],
    ['tier_3', s.industryKeywords.tier3],
  ];
  for (const [bucket, keywords] of lists) {
    const keyword = keywordMatcher(keywords)(industry);
    if (keyword) return { bucket, keyword };
  }
  return { bucket: 'none', keyword: null };
};

/** 3. Industry fit, at most 20. */
export const scoreIndustry = (lead: LeadProfile, s: IcpSettings): ScoreComponent & { bucket: IndustryBucket } => {
  const industry = lead.company.industry;
  const { bucket, keyword } = industryBucketOf(industry, s);
  const points = INDUSTRY_POINTS[bucket];
  const reason = !industry ? '+0: industry unknown' : bucket === 'none' ? `+0: "${industry}" is outside the target industries` : `+${points}: "${industry}" is a ${bucket.replace('_', '-')} industry (matched "${keyword}")`;
  return { code: 'industry', points, max: 20, reason, fields: ['company.industry'], bucket };
};

/** 4. Tech stack, at most 15: +8 CRM, +5 sales tech, +3 marketing tech, per technology. */
export const scoreTechStack = (lead: LeadProfile, s: IcpSettings): ScoreComponent & { signals: string[] } => {
  const techs = lead.company.technologies
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  const crm = keywordMatcher(s.techKeywords.crm);
  const sales = keywordMatcher(s.techKeywords.salesTech);
  const marketing = keywordMatcher(s.techKeywords.marketingTech);
  let sum = 0;
  const signals = new Set<string>();
  const named: string[] = [];
  for (const tech of techs) {
    const hits: [string, number][] = [];
    if (crm(tech)) hits.push(['crm_user', 8]);
    if (sales(tech)) hits.push(['sales_tech', 5]);
    if (marketing(tech)) hits.push(['marketing_tech', 3]);
    for (const [signal, pts] of hits) {
      signals.add(signal);
      sum += pts;
    }
    if (hits.length) named.push(tech);
  }
  const points = Math.min(sum, 15);
  const reason =
    techs.length === 0
      ? '+0: no technologies on record'
      : named.length === 0
        ? `+0: none of ${techs.slice(0, 3).join(', ')} is a CRM, sales or marketing tool`
        : `+${points}: uses ${named.slice(0, 4).join(', ')} (${[...signals].join(', ')})${sum > 15 ? `, capped at 15 from ${sum}` : ''}`;
  return { code: 'tech_stack', points, max: 15, reason, fields: ['company.technologies'], signals: [...signals] };
};

const SOURCE_INTENT_BONUS: Record<string, number> = { website_visitor: 4, content_downloader: 6, demo_requester: 10, webinar_registrant: 5 };

/** The intent cap, shared by the intent signals and the engagement bonus. */
export const INTENT_CAP = 20;

/** Coming back is stronger intent than one long visit: +4 for one return visit, +6 for two or more. */
const repeatVisitPart = (returns: number): [string, number] | null => (returns <= 0 ? null : [`came back for ${returns + 1} separate visits`, returns >= 2 ? 6 : 4]);

/** 5. Intent signals, capped at 20 (source bonus inside the cap). */
export const scoreIntent = (lead: LeadProfile): ScoreComponent & { types: string[] } => {
  const i = lead.intent;
  const parts: [string, number][] = [];
  if (i.websiteVisits >= 5) parts.push([`${i.websiteVisits} website visits`, 8]);
  else if (i.websiteVisits >= 2) parts.push([`${i.websiteVisits} website visits`, 4]);
  if (i.contentDownloads >= 3) parts.push([`${i.contentDownloads} content downloads`, 8]);
  else if (i.contentDownloads >= 1) parts.push([`${i.contentDownloads} content download${i.contentDownloads > 1 ? 's' : ''}`, 4]);
  if (i.pricingPageVisits >= 1) parts.push(['pricing page visit', 6]);
  const repeat = repeatVisitPart(i.repeatVisits ?? 0);
  if (repeat) parts.push(repeat);
  if (i.demoRequested) parts.push(['demo requested', 10]);
  const bonus = SOURCE_INTENT_BONUS[lead.sourceType];
  if (bonus) parts.push([`source ${lead.sourceType}`, bonus]);
  const sum = parts.reduce((a, [, p]) => a + p, 0);
  const points = Math.min(sum, INTENT_CAP);
  const reason = parts.length === 0 ? '+0: no intent signals' : `+${points}: ${parts.map(([label, p]) => `${label} (+${p})`).join(', ')}${sum > INTENT_CAP ? `, capped at ${INTENT_CAP} from ${sum}` : ''}`;
  return { code: 'intent', points, max: INTENT_CAP, reason, fields: ['intent', 'sourceType'], types: parts.map(([label]) => label) };
};

const ENGAGEMENT_BONUS: Record<string, [number, string]> = {
  post_commenter: [5, 'commented on a post'],
  event_attendee: [4, 'attended an event'],
  competitor_follower: [3, 'follows a competitor'],
};

/**
 * 6. Social engagement bonus, inside the 20-point intent cap (the plan's fix B5; the original added
 * it outside the cap). It keeps its own component so the reason stays readable, but it only fills
 * the room the intent signals left: intent + engagement never exceed 20.
 */
export const scoreEngagement = (lead: LeadProfile, intentPoints: number): ScoreComponent => {
  const room = Math.max(0, INTENT_CAP - intentPoints);
  const base = { code: 'engagement' as const, max: room, fields: ['sourceType', 'intent'] };
  const bonus = ENGAGEMENT_BONUS[lead.sourceType];
  if (!bonus) return { ...base, points: 0, reason: '+0: no social engagement signal' };
  const [full, label] = bonus;
  const points = Math.min(full, room);
  const capped = points < full ? `, ${room === 0 ? 'nothing' : `${points} of ${full}`} counted: intent already has ${intentPoints} of the ${INTENT_CAP}-point cap` : '';
  return { ...base, points, reason: `+${points}: engagement bonus, ${label}${lead.sourceName ? ` (${lead.sourceName})` : ''}${capped}` };
};
