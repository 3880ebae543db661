import type { LeadProfile } from '../lead.js';
import type { Tier } from '../tier.js';

const DISPLACEMENT = ['gong', 'clari', 'chorus', 'outreach'] as const;

/** spec/scoring.md "Campaign recommendation": the first rule that matches. */
export const recommendCampaign = (lead: LeadProfile, tier: Tier): string => {
  const src = lead.sourceType;
  if (src === 'demo_requester' || lead.intent.demoRequested) return 'sales_qualified_fasttrack';
  if (lead.intent.pricingPageVisits >= 2) return 'high_intent_pricing';
  if (src === 'competitor_follower') {
    const name = (lead.sourceName ?? '').toLowerCase();
    const hit = DISPLACEMENT.find((c) => name.includes(c));
    return hit ? `${hit}_displacement` : 'competitor_displacement';
  }
  if (src === 'event_attendee') return 'event_followup';
  if (src === 'webinar_registrant') return 'webinar_followup';
  if (src === 'website_visitor') return tier === 'tier_1' ? 'intent_based_tier1' : tier === 'tier_2' ? 'intent_based_tier2' : 'intent_based_nurture';
  if (src === 'content_downloader') return lead.intent.contentDownloads >= 3 ? 'content_engaged_sequence' : 'content_nurture';
  if (src === 'post_commenter') return 'thought_leadership_response';
  if (src === 'group_member') return 'community_outreach';
  if (src === 'post_liker') return tier === 'tier_1' || tier === 'tier_2' ? 'social_engagement_qualified' : 'social_nurture';
  return tier === 'tier_1' ? 'tier1_priority_outreach' : tier === 'tier_2' ? 'tier2_standard_sequence' : 'nurture_sequence';
};

/** spec/scoring.md "Segment tags"; the intent tag uses the intent component's points (0-20 → 0-100). */
export const segmentTags = (lead: LeadProfile, tier: Tier, intentPoints: number): string[] => {
  const tags = [tier, lead.sourceType];
  if (lead.sourceName) tags.push(`from_${lead.sourceName.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`);
  if (lead.company.industry)
    tags.push(
      `industry_${lead.company.industry
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .slice(0, 20)}`,
    );
  const intentScore = intentPoints * 5;
  if (intentScore >= 80) tags.push('hot_intent');
  else if (intentScore >= 60) tags.push('warm_intent');
  else if (intentScore >= 40) tags.push('cool_intent');
  if (lead.email) tags.push('has_email');
  return tags;
};
