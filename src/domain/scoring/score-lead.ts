import type { LeadProfile } from '../lead.js';
import { tierFor } from '../tier.js';
import { scoreCompanySize, scoreEngagement, scoreIndustry, scoreIntent, scoreTechStack, scoreTitle } from './components.js';
import { findDisqualification } from './disqualification.js';
import { recommendCampaign, segmentTags } from './recommend-campaign.js';
import type { IcpSettings } from './settings.js';
import type { IndustryBucket, LeadScore, TitleBucket } from './types.js';

/** 7. The head-of-sales multiplier by title bucket and industry tier (spec table). */
export const hosMultiplier = (title: TitleBucket, industry: IndustryBucket): { multiplier: number; label: string } => {
  if (title === 'c_level') return industry === 'tier_1' ? { multiplier: 1.5, label: 'C-level in a tier-1 industry' } : { multiplier: 1.3, label: 'C-level' };
  if (title === 'vp') {
    if (industry === 'tier_1') return { multiplier: 1.3, label: 'VP in a tier-1 industry' };
    if (industry === 'tier_2') return { multiplier: 1.2, label: 'VP in a tier-2 industry' };
    return { multiplier: 1.1, label: 'VP' };
  }
  return { multiplier: 1, label: 'none' };
};

/** Truncate like Python's int(); the epsilon keeps 70 × 1.3 = 90.99999… at 91. */
const truncate = (x: number) => Math.floor(x + 1e-9);

/** The live scorer of spec/scoring.md with whole-word matching; pure. */
export const scoreLead = (lead: LeadProfile, settings: IcpSettings): LeadScore => {
  const size = scoreCompanySize(lead);
  const title = scoreTitle(lead, settings);
  const industry = scoreIndustry(lead, settings);
  const tech = scoreTechStack(lead, settings);
  const intent = scoreIntent(lead);
  const engagement = scoreEngagement(lead, intent.points);
  const components = [size, title, industry, tech, intent, engagement].map(({ code, points, max, reason, fields }) => ({ code, points, max, reason, fields }));

  const rawPoints = components.reduce((sum, c) => sum + c.points, 0);
  const { multiplier, label } = hosMultiplier(title.bucket, industry.bucket);
  const points = Math.min(truncate(rawPoints * multiplier), 100);
  const tier = tierFor(points, settings.tiers);
  const disqualification = findDisqualification(lead, settings);
  const warnings = size.warning ? [size.warning] : [];

  const reasons: string[] = [];
  if (disqualification) reasons.push(`DISQUALIFIED: ${disqualification.reason}`);
  if (size.warning === 'Company too small (<10 employees)') reasons.push('NOTE: company too small (<10 employees)');
  reasons.push(...components.map((c) => c.reason));
  if (multiplier > 1) reasons.push(`x${multiplier}: HoS multiplier for ${label} (${rawPoints} -> ${truncate(rawPoints * multiplier)})`);
  reasons.push(`= ${points}/100 total ICP score${truncate(rawPoints * multiplier) > 100 ? ' (capped at 100)' : ''}`);

  return {
    points,
    rawPoints,
    multiplier,
    tier,
    needsReview: points >= settings.needsReview.min && points <= settings.needsReview.max,
    titleBucket: title.bucket,
    industryBucket: industry.bucket,
    components,
    reasons,
    warnings,
    disqualification,
    recommendedCampaign: recommendCampaign(lead, tier),
    segmentTags: segmentTags(lead, tier, intent.points),
  };
};
