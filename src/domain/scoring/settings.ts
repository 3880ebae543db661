import type { TierThresholds } from '../tier.js';

export type IcpSettings = {
  tiers: TierThresholds;
  /** Scores in this band (inclusive) are flagged `needsReview`. */
  needsReview: { min: number; max: number };
  titleKeywords: { cLevel: string[]; vp: string[]; director: string[]; manager: string[] };
  industryKeywords: { tier1: string[]; tier2: string[]; tier3: string[] };
  techKeywords: { crm: string[]; salesTech: string[]; marketingTech: string[] };
  exclusions: {
    /** Email or company domains of competitors and data vendors; sub-domains match too. */
    competitorDomains: string[];
    /** Company names of competitors, compared after normalisation (case, punctuation, Inc/LLC/.io). */
    competitorCompanyNames: string[];
    /** Own and customer domains; sub-domains match too. */
    excludedDomains: string[];
    excludedEmails: string[];
  };
};

/**
 * The spec's lists (spec/scoring.md), plus three deliberate additions documented in docs/scoring.md:
 * the long forms "chief executive officer" / "chief operating officer" as C-level and "martech" as a
 * tier-2 industry, which the original only reached through substring accidents.
 */
export const DEFAULT_ICP_SETTINGS: IcpSettings = {
  tiers: { tier1: 80, tier2: 60, tier3: 40 },
  needsReview: { min: 70, max: 85 },
  titleKeywords: {
    cLevel: ['ceo', 'chief executive officer', 'founder', 'co-founder', 'president', 'coo', 'chief operating officer', 'owner', 'managing partner'],
    vp: [
      'cto',
      'cio',
      'cso',
      'chief of staff',
      'vp of operations',
      'vp of strategy',
      'head of innovation',
      'head of transformation',
      'head of digital',
      'managing director',
      'chief',
      'vp',
      'vice president',
      'svp',
      'evp',
      'cfo',
      'cmo',
      'cro',
    ],
    director: ['director of operations', 'director of it', 'director of strategy', 'vp engineering', 'vp of technology', 'head of ai', 'head of data', 'director', 'sr director', 'senior director'],
    manager: ['manager', 'lead', 'senior manager', 'principal'],
  },
  industryKeywords: {
    tier1: [
      'marketing',
      'advertising',
      'agency',
      'media agency',
      'creative agency',
      'recruitment',
      'staffing',
      'talent',
      'hr services',
      'consulting',
      'management consulting',
      'strategy consulting',
      'law',
      'legal',
      'attorney',
      'cpa',
      'accounting',
      'tax',
      'real estate',
      'brokerage',
      'property management',
      'commercial real estate',
      'e-commerce',
      'ecommerce',
      'dtc',
      'direct to consumer',
      'retail tech',
    ],
    tier2: [
      'saas',
      'software',
      'technology',
      'tech',
      'martech',
      'information technology',
      'it services',
      'managed services',
      'cloud',
      'b2b software',
      'healthcare',
      'medical',
      'health tech',
      'healthtech',
      'biotech',
      'financial services',
      'insurance',
      'fintech',
      'banking',
      'wealth management',
    ],
    tier3: ['manufacturing', 'logistics', 'supply chain', 'distribution', 'warehousing', 'construction', 'home services', 'field services', 'trades', 'professional services', 'engineering services'],
  },
  techKeywords: {
    crm: ['salesforce', 'hubspot', 'pipedrive', 'zoho crm', 'dynamics 365', 'freshsales'],
    salesTech: ['gong', 'clari', 'chorus', 'outreach', 'salesloft', 'apollo', 'zoominfo'],
    marketingTech: ['marketo', 'pardot', 'eloqua', 'mailchimp', 'klaviyo', 'intercom'],
  },
  exclusions: {
    competitorDomains: ['apollo.io', 'gong.io', 'outreach.io', 'salesloft.com', 'chorus.ai', 'people.ai', 'seamless.ai', 'zoominfo.com', 'lusha.com', 'cognism.com'],
    competitorCompanyNames: ['Apollo', 'Apollo.io', 'Gong', 'Outreach', 'Salesloft', 'Chorus', 'Chorus.ai', 'People.ai', 'Seamless.AI', 'ZoomInfo', 'Lusha', 'Cognism', 'CompetitorX'],
    excludedDomains: ['chiefaiofficer.com', 'chiefai.ai'],
    excludedEmails: [],
  },
};
