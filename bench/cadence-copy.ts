import { generateSyntheticPeople } from '../src/providers/sandbox/apollo/synthetic-people.js';
import { toMatchRecord } from '../src/providers/sandbox/apollo/records.js';
import { matchedPersonToLead } from '../src/providers/apollo/map-person.js';
import { ApolloPersonSchema } from '../src/providers/apollo/schemas.js';
import { CADENCE_ACTIONS, craftCadenceFollowup, craftDraft, DEFAULT_SENDER_SETTINGS } from '../src/domain/drafting/index.js';
import type { LeadProfile } from '../src/domain/lead.js';
import { checkDraftQuality, type QualitySettings } from '../src/domain/quality/quality-guard.js';
import { opsPerSecond, ratio } from './measure.js';

const GUARD: QualitySettings = { enabled: true, mode: 'hard', maxRejections: 2, genericPhraseDensity: 0.4 };

/**
 * Crafting one cadence step (its template filled from the lead, signature, grounding, fingerprint
 * and the quality guard, as the OPERATOR does per batch item) for 10,000 synthetic leads, the four
 * e-mail steps in turn. Baseline, measured in the same run: first-draft crafting with its quality
 * guard on the same leads. Target: at least 5,000 leads/s.
 */
export const benchCadenceCopy = (count = 10_000) => {
  const people = generateSyntheticPeople({ seed: 7, count });
  const leads: LeadProfile[] = people.map((p) => matchedPersonToLead(ApolloPersonSchema.parse(toMatchRecord(p))));

  const firstDrafts = opsPerSecond(() => {
    for (const lead of leads) {
      const crafted = craftDraft({ lead, tier: 'tier_2' }, DEFAULT_SENDER_SETTINGS);
      if (crafted.ok) checkDraftQuality({ lead, subject: crafted.value.subjectA, body: crafted.value.body, fingerprint: crafted.value.fingerprint, memory: undefined }, GUARD);
    }
    return leads.length;
  });
  let crafted = 0;
  const steps = opsPerSecond(() => {
    crafted = 0;
    leads.forEach((lead, i) => {
      const copy = craftCadenceFollowup(CADENCE_ACTIONS[i % CADENCE_ACTIONS.length]!, lead, DEFAULT_SENDER_SETTINGS);
      if (copy && checkDraftQuality({ lead, subject: copy.subject, body: copy.body, fingerprint: copy.fingerprint, memory: undefined }, GUARD).passed) crafted++;
    });
    return leads.length;
  });
  return {
    name: 'cadence step copy',
    leads: leads.length,
    crafted,
    leadsPerSecond: Math.round(steps.opsPerSecond),
    target: 5000,
    firstDraftLeadsPerSecond: Math.round(firstDrafts.opsPerSecond),
    speedVsFirstDraft: ratio(steps.opsPerSecond, firstDrafts.opsPerSecond),
  };
};
