import type { AuditEntry } from './ports.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';

const BATCH = 500;

/**
 * Stage 5: every draft waits for a person in `pending_review`. Nothing is auto-approved: the
 * original's auto-approval of non-tier-1 campaigns only picked what reached its shadow queue.
 */
export const queueDrafts = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores } = ctx.deps;
  const output: WorkingLead[] = [];
  let alreadyPending = 0;
  for (let i = 0; i < leads.length; i += BATCH) {
    const batch = leads.slice(i, i + BATCH);
    const results = await stores.drafts.queueManyForReview(
      ctx.runId,
      batch.map((lead) => ({ leadId: lead.id, draft: lead.draft!, quality: lead.quality })),
    );
    await stores.leads.markQueued(batch.map((lead) => lead.id));
    const audit: AuditEntry[] = [];
    results.forEach(({ draftId, queued }, j) => {
      const lead = batch[j]!;
      if (queued) {
        audit.push({
          at: ctx.deps.clock.now(),
          actor: 'GATEKEEPER',
          action: 'draft.queued_for_review',
          entityType: 'draft',
          entityId: draftId,
          runId: ctx.runId,
          details: { leadId: lead.id, angleId: lead.draft!.angleId, tier: lead.score?.tier },
        });
      } else {
        alreadyPending++;
      }
      output.push({ ...lead, draftId });
    });
    if (audit.length) await stores.audit.append(audit);
    ctx.events.onStageProgress?.('queue', Math.min(i + BATCH, leads.length), leads.length);
  }
  return { output, passed: output.length === leads.length && output.length > 0, errors: [], metrics: { pendingReview: output.length, newlyQueued: output.length - alreadyPending, alreadyPending } };
};
