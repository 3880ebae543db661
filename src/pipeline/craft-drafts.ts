import { craftDraft } from '../domain/drafting/index.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';

/** Stage 4: one draft per qualified lead; a lead without the facts a draft needs is skipped with its reason. */
export const craftDrafts = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, settings } = ctx.deps;
  const output: WorkingLead[] = [];
  const skipped: Record<string, number> = {};
  const angles: Record<string, number> = {};
  let done = 0;
  const since = new Date(ctx.deps.clock.now().getTime() - settings.review.rejectionTtlDays * 86_400_000);
  const memory = await stores.rejections.memoryFor(leads.map((l) => l.id), since);
  for (const lead of leads) {
    const score = lead.score!;
    const rejected = memory.get(lead.id);
    const blocked = rejected && rejected.count >= settings.review.maxRejections
      ? `rejected ${rejected.count} times in the last ${settings.review.rejectionTtlDays} days (${[...new Set(rejected.tags)].slice(-3).join(', ')}): no new draft until a person decides otherwise`
      : null;
    // Rotation: angles reviewers rejected for this lead are not chosen again while the memory lasts.
    const crafted = blocked ? null : craftDraft({ lead: lead.profile, tier: score.tier, recommendedCampaign: score.recommendedCampaign, rejectedAngleIds: rejected?.angleIds ?? [] }, settings.sender);
    const result = blocked
      ? ({ ok: false, error: { code: 'rejection_memory', reason: blocked } } as const)
      : crafted!.ok && rejected?.fingerprints.includes(crafted!.value.fingerprint)
        ? ({ ok: false, error: { code: 'repeat_of_rejected', reason: 'the new draft is identical to one a reviewer rejected' } } as const)
        : crafted!;
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
