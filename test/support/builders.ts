import { emptyLead, type LeadProfile } from '../../src/domain/lead.js';
import type { LeadScore } from '../../src/domain/scoring/types.js';
import type { CraftedDraft } from '../../src/domain/drafting/index.js';
import type { DiscoveredLead } from '../../src/pipeline/ports.js';

let counter = 0;

export const aProfile = (overrides: Partial<LeadProfile> = {}): LeadProfile =>
  emptyLead({
    firstName: 'Maya',
    lastName: 'Rivera',
    fullName: 'Maya Rivera',
    title: 'VP of Sales',
    company: { name: 'Northwind Agency', domain: 'northwind-agency.example.com', industry: 'marketing & advertising', employeeCount: 180, annualRevenue: 24_000_000, technologies: ['Salesforce'], fundingStage: null, linkedinUrl: null },
    provenance: { firstName: 'apollo_match', title: 'apollo_match', 'company.name': 'apollo_match' },
    ...overrides,
  });

export const aDiscoveredLead = (overrides: Partial<DiscoveredLead> = {}): DiscoveredLead => ({
  source: 'apollo_search',
  sourceId: `person_${++counter}`,
  profile: aProfile(),
  raw: { id: `person_${counter}` },
  ...overrides,
});

export const aScore = (overrides: Partial<LeadScore> = {}): LeadScore => ({
  points: 82,
  rawPoints: 63,
  multiplier: 1.3,
  tier: 'tier_1',
  needsReview: true,
  titleBucket: 'vp',
  industryBucket: 'tier_1',
  components: [{ code: 'company_size', points: 20, max: 20, reason: '+20: 180 employees is in the ideal 51-500 range', fields: ['company.employeeCount'] }],
  reasons: ['+20: 180 employees is in the ideal 51-500 range', '= 82/100 total ICP score'],
  warnings: [],
  disqualification: null,
  recommendedCampaign: 'tier1_priority_outreach',
  segmentTags: ['tier_1'],
  ...overrides,
});

export const aDraft = (overrides: Partial<CraftedDraft> = {}): CraftedDraft => ({
  angleId: 't1_executive_buyin',
  angleReason: 'tier_1 default',
  subjectA: 'Maya, a 90-day AI plan for Northwind Agency',
  subjectB: 'Northwind Agency: a practical AI roadmap',
  body: 'Hi Maya,\n\nA short note.\n\nBest,\nDani',
  followUps: [],
  hooks: [],
  grounding: [{ claim: 'first name', field: 'firstName', value: 'Maya', provider: 'apollo_match' }],
  fingerprint: 'abcdef0123456789',
  ...overrides,
});
