import type { LeadProfile } from '../lead.js';

/** A fact usable as personalization evidence (spec/quality.md §3). */
export type PersonalizationSignal = { type: 'company_intel' | 'hiring' | 'tech_stack' | 'content' | 'role_impact'; value: string; confidence: number; source: string; usableInOpener: boolean };

const NOT_A_COMPANY = new Set(['your company', 'unknown', 'n/a', '']);
const RELEVANT_TECH = /ai|ml|salesforce|hubspot|marketo|outreach|gong|chorus|clari|drift|intercom|segment|snowflake|databricks|tableau|looker|dbt/i;

export const companyIntel = (lead: LeadProfile): PersonalizationSignal[] => {
  const out: PersonalizationSignal[] = [];
  const name = lead.company.name?.trim() ?? '';
  if (!NOT_A_COMPANY.has(name.toLowerCase())) out.push({ type: 'company_intel', value: name, confidence: 0.9, source: 'company.name', usableInOpener: true });
  const industry = lead.company.industry?.trim() ?? '';
  if (industry && !['unknown', 'n/a', 'other'].includes(industry.toLowerCase())) out.push({ type: 'company_intel', value: `Industry: ${industry}`, confidence: 0.7, source: 'company.industry', usableInOpener: true });
  if (lead.company.employeeCount) out.push({ type: 'company_intel', value: `${lead.company.employeeCount} employees`, confidence: 0.8, source: 'company.employeeCount', usableInOpener: false });
  return out;
};

export const hiringSignals = (lead: LeadProfile): PersonalizationSignal[] => (lead.hiringSignal ? [{ type: 'hiring', value: 'Active hiring detected', confidence: 0.85, source: 'hiringSignal', usableInOpener: true }] : []);

export const techStack = (lead: LeadProfile): PersonalizationSignal[] => {
  const relevant = lead.company.technologies
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter((t) => RELEVANT_TECH.test(t))
    .slice(0, 3);
  return relevant.length ? [{ type: 'tech_stack', value: `Uses: ${relevant.join(', ')}`, confidence: 0.8, source: 'company.technologies', usableInOpener: true }] : [];
};

const CONTENT: Record<string, [string, number]> = {
  event_attendee: ['Attended', 0.85],
  webinar_registrant: ['Attended', 0.85],
  content_downloader: ['Downloaded', 0.75],
  website_visitor: ['Visited', 0.7],
  competitor_follower: ['Follows', 0.65],
};

export const contentEngagement = (lead: LeadProfile): PersonalizationSignal[] => {
  if (lead.sourceType === 'post_commenter' && lead.engagementContent) {
    return [{ type: 'content', value: `Commented on: ${lead.engagementContent.slice(0, 100)}`, confidence: 0.8, source: 'engagementContent', usableInOpener: true }];
  }
  const hit = CONTENT[lead.sourceType];
  return hit && lead.sourceName ? [{ type: 'content', value: `${hit[0]}: ${lead.sourceName}`, confidence: hit[1], source: 'sourceName', usableInOpener: true }] : [];
};

const ROLE_MAP: [RegExp, string, string][] = [
  [/\b(cro|revenue)\b/i, 'pipeline velocity & forecast accuracy', 'revenue execution cadence'],
  [/\b(cmo|marketing)\b/i, 'attribution', 'marketing-revenue alignment'],
  [/\b(coo|operations|vp ops)\b/i, 'cross-functional speed', 'operating cadence'],
  [/\b(ceo|founder|president)\b/i, 'team alignment', 'enterprise AI readiness'],
  [/\b(cto|vp engineering)\b/i, 'build vs buy & tech debt', 'AI infrastructure'],
  [/\b(revops|sales ops)\b/i, 'data quality & automation', 'GTM efficiency'],
  [/\b(vp sales|sales director|head of sales)\b/i, 'rep productivity & deal velocity', 'enablement'],
];

export const roleImpact = (lead: LeadProfile): PersonalizationSignal[] => {
  const title = lead.title ?? '';
  const hit = ROLE_MAP.find(([re]) => re.test(title));
  if (hit) {
    return [
      { type: 'role_impact', value: `Pain: ${hit[1]}`, confidence: 0.7, source: 'title', usableInOpener: false },
      { type: 'role_impact', value: `Impact: ${hit[2]}`, confidence: 0.7, source: 'title', usableInOpener: false },
    ];
  }
  return /\b(vp|director|head of|chief|senior)\b/i.test(title) ? [{ type: 'role_impact', value: `Senior role: ${title}`, confidence: 0.5, source: 'title', usableInOpener: false }] : [];
};

export type MergedSignals = { signals: PersonalizationSignal[]; companySpecificCount: number; roleImpactCount: number; meetsMinimumEvidence: boolean; trace: string[] };

const EXTRACTORS = { company_intel: companyIntel, hiring_signals: hiringSignals, tech_stack: techStack, content_engagement: contentEngagement, role_impact: roleImpact };

/** All five extractors; one that throws becomes a trace entry instead of failing the others. */
export const extractAllSignals = (lead: LeadProfile): MergedSignals => {
  const signals: PersonalizationSignal[] = [];
  const trace: string[] = [];
  for (const [name, extract] of Object.entries(EXTRACTORS)) {
    try {
      const found = extract(lead);
      signals.push(...found);
      trace.push(`sub:${name}:${found.length}`);
    } catch {
      trace.push(`sub:${name}:ERROR`);
    }
  }
  const companySpecificCount = signals.filter((s) => s.type !== 'role_impact').length;
  const roleImpactCount = signals.filter((s) => s.type === 'role_impact').length;
  return { signals, companySpecificCount, roleImpactCount, meetsMinimumEvidence: companySpecificCount >= 1 && roleImpactCount >= 1, trace };
};
