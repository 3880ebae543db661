import { scoreLead } from '../domain/scoring/score-lead.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';

/** Stage 3: score every lead; disqualified leads are stored with their reason and go no further. */
export const scoreLeads = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, settings } = ctx.deps;
  const tiers: Record<string, number> = { tier_1: 0, tier_2: 0, tier_3: 0, tier_4: 0 };
  const disqualified: Record<string, number> = {};
  const output: WorkingLead[] = [];
  let done = 0;
  for (const lead of leads) {
    const score = scoreLead(lead.profile, settings.icp);
    await stores.leads.recordScore(lead.id, ctx.runId, score);
    if (score.disqualification) {
      disqualified[score.disqualification.code] = (disqualified[score.disqualification.code] ?? 0) + 1;
      await stores.audit.append({
        at: ctx.deps.clock.now(), actor: 'SEGMENTOR', action: 'lead.disqualified', entityType: 'lead', entityId: lead.id, runId: ctx.runId,
        details: { code: score.disqualification.code, reason: score.disqualification.reason },
      });
    } else {
      tiers[score.tier] = (tiers[score.tier] ?? 0) + 1;
      output.push({ ...lead, score });
    }
    ctx.events.onStageProgress?.('score', ++done, leads.length);
  }
  const scored = leads.length;
  return {
    output,
    passed: scored > 0,
    errors: [],
    metrics: { scored, tierDistribution: tiers, disqualified, needsReview: output.filter((l) => l.score?.needsReview).length },
  };
};
