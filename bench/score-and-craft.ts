import { generateSyntheticPeople } from '../src/providers/sandbox/apollo/synthetic-people.js';
import { toMatchRecord } from '../src/providers/sandbox/apollo/records.js';
import { matchedPersonToLead } from '../src/providers/apollo/map-person.js';
import { ApolloPersonSchema } from '../src/providers/apollo/schemas.js';
import { scoreLead } from '../src/domain/scoring/score-lead.js';
import { DEFAULT_ICP_SETTINGS } from '../src/domain/scoring/settings.js';
import { craftDraft, DEFAULT_SENDER_SETTINGS } from '../src/domain/drafting/index.js';
import { normalizeEmail, type LeadProfile } from '../src/domain/lead.js';
import { checkDraftQuality, type QualitySettings } from '../src/domain/quality/quality-guard.js';
import { opsPerSecond, ratio } from './measure.js';

const GUARD: QualitySettings = { enabled: true, mode: 'hard', maxRejections: 2, genericPhraseDensity: 0.4 };

/**
 * Scoring + crafting (with the quality guard) throughput on 10,000 synthetic leads (the sandbox's people, mapped exactly as
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
      const crafted = craftDraft({ lead, tier: score.tier, recommendedCampaign: score.recommendedCampaign }, DEFAULT_SENDER_SETTINGS);
      // The craft stage also runs the quality guard on every draft.
      if (crafted.ok && checkDraftQuality({ lead, subject: crafted.value.subjectA, body: crafted.value.body, fingerprint: crafted.value.fingerprint, memory: undefined }, GUARD).passed) drafted++;
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
