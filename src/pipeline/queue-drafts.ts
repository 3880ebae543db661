import type { RunContext, StageOutcome, WorkingLead } from './context.js';

/**
 * Stage 5: every draft waits for a person in `pending_review`. Nothing is auto-approved: the
 * original's auto-approval of non-tier-1 campaigns only picked what reached its shadow queue.
 */
export const queueDrafts = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores } = ctx.deps;
  const output: WorkingLead[] = [];
  let alreadyPending = 0;
  let done = 0;
  for (const lead of leads) {
    const { draftId, queued } = await stores.drafts.queueForReview(lead.id, ctx.runId, lead.draft!);
    await stores.leads.markQueued(lead.id);
    if (queued) {
      await stores.audit.append({
        at: ctx.deps.clock.now(), actor: 'GATEKEEPER', action: 'draft.queued_for_review', entityType: 'draft', entityId: draftId, runId: ctx.runId,
        details: { leadId: lead.id, angleId: lead.draft!.angleId, tier: lead.score?.tier },
      });
    } else {
      alreadyPending++;
    }
    output.push({ ...lead, draftId });
    ctx.events.onStageProgress?.('queue', ++done, leads.length);
  }
  return { output, passed: output.length === leads.length && output.length > 0, errors: [], metrics: { pendingReview: output.length, newlyQueued: output.length - alreadyPending, alreadyPending } };
};
