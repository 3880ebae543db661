import type { Tier } from '../tier.js';

export type TitleBucket = 'c_level' | 'vp' | 'director' | 'manager' | 'none';
export type IndustryBucket = 'tier_1' | 'tier_2' | 'tier_3' | 'none';
export type ScoreComponentCode = 'company_size' | 'title' | 'industry' | 'tech_stack' | 'intent' | 'engagement';

export type ScoreComponent = {
  code: ScoreComponentCode;
  points: number;
  /** The component's cap (for engagement, the room intent left under the shared 20); null when it has none. */
  max: number | null;
  /** One sentence a head of sales can read, starting with the points: "+20: …". */
  reason: string;
  /** LeadProfile field paths the points came from, e.g. `company.employeeCount`. */
  fields: string[];
};

export type DisqualificationCode = 'competitor' | 'excluded_domain' | 'excluded_email';
export type Disqualification = { code: DisqualificationCode; reason: string };

export type LeadScore = {
  /** Final score, an integer 0..100. */
  points: number;
  /** Sum of the components before the multiplier. */
  rawPoints: number;
  multiplier: number;
  tier: Tier;
  needsReview: boolean;
  titleBucket: TitleBucket;
  industryBucket: IndustryBucket;
  /** All six components, in the spec's order. */
  components: ScoreComponent[];
  /** Ordered lines: optional DISQUALIFIED/NOTE, one per component, the multiplier, the total. */
  reasons: string[];
  warnings: string[];
  disqualification: Disqualification | null;
  recommendedCampaign: string;
  segmentTags: string[];
};
