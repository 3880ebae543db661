import { scoreLead } from '../domain/scoring/score-lead.js';
import type { AuditEntry } from './ports.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';

const BATCH = 500;

/** Stage 3: score every lead; disqualified leads are stored with their reason and go no further. */
export const scoreLeads = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, settings } = ctx.deps;
  const tiers: Record<string, number> = { tier_1: 0, tier_2: 0, tier_3: 0, tier_4: 0 };
  const disqualified: Record<string, number> = {};
  const output: WorkingLead[] = [];
  for (let i = 0; i < leads.length; i += BATCH) {
    const batch = leads.slice(i, i + BATCH).map((lead) => ({ lead, score: scoreLead(lead.profile, settings.icp) }));
    await stores.leads.recordScores(
      ctx.runId,
      batch.map(({ lead, score }) => ({ leadId: lead.id, score })),
    );
    const audit: AuditEntry[] = [];
    for (const { lead, score } of batch) {
      if (score.disqualification) {
        disqualified[score.disqualification.code] = (disqualified[score.disqualification.code] ?? 0) + 1;
        audit.push({
          at: ctx.deps.clock.now(),
          actor: 'SEGMENTOR',
          action: 'lead.disqualified',
          entityType: 'lead',
          entityId: lead.id,
          runId: ctx.runId,
          details: { code: score.disqualification.code, reason: score.disqualification.reason },
        });
      } else {
        tiers[score.tier] = (tiers[score.tier] ?? 0) + 1;
        output.push({ ...lead, score });
      }
    }
    if (audit.length) await stores.audit.append(audit);
    ctx.events.onStageProgress?.('score', Math.min(i + BATCH, leads.length), leads.length);
  }
  return {
    output,
    passed: leads.length > 0,
    errors: [],
    metrics: { scored: leads.length, tierDistribution: tiers, disqualified, needsReview: output.filter((l) => l.score?.needsReview).length },
  };
};
