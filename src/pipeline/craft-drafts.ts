import { craftDraft } from '../domain/drafting/index.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';

/** Stage 4: one draft per qualified lead; a lead without the facts a draft needs is skipped with its reason. */
export const craftDrafts = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, settings } = ctx.deps;
  const output: WorkingLead[] = [];
  const skipped: Record<string, number> = {};
  const angles: Record<string, number> = {};
  let done = 0;
  for (const lead of leads) {
    const score = lead.score!;
    const result = craftDraft({ lead: lead.profile, tier: score.tier, recommendedCampaign: score.recommendedCampaign, rejectedAngleIds: [] }, settings.sender);
    if (result.ok) {
      angles[result.value.angleId] = (angles[result.value.angleId] ?? 0) + 1;
      output.push({ ...lead, draft: result.value });
    } else {
      skipped[result.error.code] = (skipped[result.error.code] ?? 0) + 1;
      await stores.leads.markSkipped(lead.id, result.error.reason);
      await stores.audit.append({
        at: ctx.deps.clock.now(), actor: 'CRAFTER', action: 'draft.skipped', entityType: 'lead', entityId: lead.id, runId: ctx.runId,
        details: { code: result.error.code, reason: result.error.reason },
      });
    }
    ctx.events.onStageProgress?.('craft', ++done, leads.length);
  }
  return {
    output,
    passed: output.length > 0,
    errors: output.length === 0 ? [{ message: 'no draft could be made' }] : [],
    metrics: { drafted: output.length, skipped, angles },
  };
};
