import type { LeadProfile } from '../lead.js';
import { fnv1a32 } from '../stable-hash.js';
import type { Tier } from '../tier.js';
import { ANGLES, isAngleId, type AngleId } from './angles/index.js';

export const TIER_ANGLES: Record<'tier_1' | 'tier_2' | 'tier_3', AngleId[]> = {
  tier_1: ['t1_executive_buyin', 't1_industry_specific', 't1_value_first'],
  tier_2: ['t2_tech_stack', 't2_ops_efficiency', 't2_innovation_champion'],
  tier_3: ['t3_quick_win', 't3_time_savings', 't3_competitor_fomo', 't3_diy_resource'],
};

export type AngleChoice = { angleId: AngleId; reason: string };

const listFor = (tier: Tier) => (tier === 'tier_1' ? TIER_ANGLES.tier_1 : tier === 'tier_2' ? TIER_ANGLES.tier_2 : TIER_ANGLES.tier_3);

/** An angle may be chosen only when the lead has every fact its template needs. */
export const canFill = (angleId: AngleId, lead: LeadProfile): boolean => ANGLES[angleId].variables.every((v) => (v === 'industry' ? Boolean(lead.company.industry) : v === 'title' ? Boolean(lead.title) : true));

const isCLevel = (title: string | null) => /(?<![a-z])(ceo|founder|co-founder|owner|president|managing partner)(?![a-z])/i.test((title ?? '').replace(/vice\s+president/gi, ''));

/** The first signal rule that applies (documented in docs/drafting.md), else null. */
const bySignal = (lead: LeadProfile, tier: Tier): AngleChoice | null => {
  if (lead.sourceType === 'website_visitor') return { angleId: 't1_value_first', reason: 'website visitor: lead with value' };
  if (lead.hiringSignal) return { angleId: 't1_hiring_trigger', reason: 'company is hiring for AI roles' };
  if (/(?<![a-z])(revops|revenue operations)(?![a-z])/i.test(lead.title ?? '')) return { angleId: 't2_ops_efficiency', reason: 'revenue operations title' };
  if (tier === 'tier_1' && isCLevel(lead.title)) return { angleId: 't1_executive_buyin', reason: 'tier 1, C-level or founder' };
  if (tier === 'tier_2' && lead.company.technologies.length > 0) return { angleId: 't2_tech_stack', reason: 'tier 2, known tech stack' };
  if (tier === 'tier_2' && (lead.company.employeeCount ?? 0) >= 200) return { angleId: 't2_innovation_champion', reason: 'tier 2, 200+ employees' };
  if ((tier === 'tier_3' || tier === 'tier_4') && lead.company.employeeCount !== null && lead.company.employeeCount < 50) return { angleId: 't3_diy_resource', reason: 'small team (under 50)' };
  return null;
};

/**
 * Choose an angle by tier and signals, else a stable pick (FNV-1a of the email, the same in every
 * process) among the tier's angles; then rotate away from angles reviewers rejected for this lead.
 */
export const selectAngle = (input: { lead: LeadProfile; tier: Tier; recommendedCampaign?: string | null; rejectedAngleIds?: readonly string[] }): AngleChoice => {
  const { lead, tier } = input;
  const rejected = new Set(input.rejectedAngleIds ?? []);
  const eligible = listFor(tier).filter((id) => canFill(id, lead));
  let choice: AngleChoice | null = null;
  if (isAngleId(input.recommendedCampaign) && canFill(input.recommendedCampaign, lead)) choice = { angleId: input.recommendedCampaign, reason: 'recommended campaign' };
  if (!choice) {
    const signal = bySignal(lead, tier);
    if (signal && canFill(signal.angleId, lead)) choice = signal;
  }
  if (!choice) {
    const pool = eligible.length ? eligible : listFor(tier).filter((id) => ANGLES[id].variables.every((v) => v !== 'industry' && v !== 'title'));
    const key = lead.email ?? `${lead.firstName ?? ''}|${lead.company.name ?? ''}`;
    choice = { angleId: pool[fnv1a32(key) % pool.length]!, reason: `${tier} rotation (stable pick)` };
  }
  if (!rejected.has(choice.angleId)) return choice;
  const alternative = eligible.find((id) => !rejected.has(id));
  return alternative ? { angleId: alternative, reason: `rotated away from rejected ${choice.angleId}` } : { ...choice, reason: `${choice.reason}; every ${tier} angle was rejected before, kept ${choice.angleId}` };
};
