export const TIERS = ['tier_1', 'tier_2', 'tier_3', 'tier_4'] as const;
export type Tier = (typeof TIERS)[number];

export type TierThresholds = { tier1: number; tier2: number; tier3: number };

export const tierFor = (points: number, t: TierThresholds): Tier => (points >= t.tier1 ? 'tier_1' : points >= t.tier2 ? 'tier_2' : points >= t.tier3 ? 'tier_3' : 'tier_4');
