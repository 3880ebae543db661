import { generateSyntheticPeople } from '../src/providers/sandbox/apollo/synthetic-people.js';
import { toMatchRecord } from '../src/providers/sandbox/apollo/records.js';
import { matchedPersonToLead } from '../src/providers/apollo/map-person.js';
import { ApolloPersonSchema } from '../src/providers/apollo/schemas.js';
import { scoreLead } from '../src/domain/scoring/score-lead.js';
import { DEFAULT_ICP_SETTINGS } from '../src/domain/scoring/settings.js';
import { craftDraft, DEFAULT_SENDER_SETTINGS } from '../src/domain/drafting/index.js';
import { normalizeEmail, type LeadProfile } from '../src/domain/lead.js';
import { opsPerSecond, ratio } from './measure.js';

/**
 * Scoring + crafting throughput on 10,000 synthetic leads (the sandbox's people, mapped exactly as
 * the pipeline maps Apollo matches). Baseline, measured in the same run: one structuredClone of
 * each lead, i.e. the cost of merely touching every field once.
 */
export const benchScoreAndCraft = (count = 10_000) => {
  const people = generateSyntheticPeople({ seed: 7, count });
  const leads: LeadProfile[] = people.map((p) => matchedPersonToLead(ApolloPersonSchema.parse(toMatchRecord(p))));

  const baseline = opsPerSecond(() => {
    for (const lead of leads) structuredClone(lead);
    return leads.length;
  });
  let drafted = 0;
  const measured = opsPerSecond(() => {
    drafted = 0;
    for (const lead of leads) {
      const score = scoreLead(lead, DEFAULT_ICP_SETTINGS);
      if (score.disqualification) continue;
      if (craftDraft({ lead, tier: score.tier, recommendedCampaign: score.recommendedCampaign }, DEFAULT_SENDER_SETTINGS).ok) drafted++;
    }
    return leads.length;
  });
  const emails = leads.filter((l) => normalizeEmail(l.email)).length;
  return {
    name: 'score + craft',
    leads: leads.length,
    withEmail: emails,
    drafted,
    leadsPerSecond: Math.round(measured.opsPerSecond),
    baselineClonesPerSecond: Math.round(baseline.opsPerSecond),
    costVsBaseline: ratio(baseline.opsPerSecond, measured.opsPerSecond),
  };
};
