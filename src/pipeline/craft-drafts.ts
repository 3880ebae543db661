import { craftDraft } from '../domain/drafting/index.js';
import { checkDraftQuality } from '../domain/quality/quality-guard.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';

/** Stage 4: one draft per qualified lead; a lead without the facts a draft needs is skipped with its reason. */
export const craftDrafts = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, settings } = ctx.deps;
  const output: WorkingLead[] = [];
  const skipped: Record<string, number> = {};
  const angles: Record<string, number> = {};
  let done = 0;
  const verdicts = { blocked: 0, softFailures: 0 };
  const since = new Date(ctx.deps.clock.now().getTime() - settings.review.rejectionTtlDays * 86_400_000);
  const memory = await stores.rejections.memoryFor(
    leads.map((l) => l.id),
    since,
  );
  for (const lead of leads) {
    const score = lead.score!;
    const rejected = memory.get(lead.id);
    // Rotation: angles reviewers rejected for this lead are not chosen again while the memory lasts.
    const crafted = craftDraft({ lead: lead.profile, tier: score.tier, recommendedCampaign: score.recommendedCampaign, rejectedAngleIds: rejected?.angleIds ?? [], rejectedSubjects: rejected?.subjects ?? [] }, settings.sender);
    const quality = crafted.ok
      ? checkDraftQuality({ lead: lead.profile, subject: crafted.value.subjectA, body: crafted.value.body, fingerprint: crafted.value.fingerprint, memory: rejected }, { ...settings.quality, maxRejections: settings.review.maxRejections })
      : null;
    if (quality && !quality.passed) verdicts.blocked++;
    else if (quality?.ruleFailures.length) verdicts.softFailures++;
    const result = quality && !quality.passed ? ({ ok: false, error: { code: 'quality_guard', reason: `quality guard: ${quality.ruleFailures.map((f) => `${f.ruleId} ${f.message}`).join('; ')}` } } as const) : crafted;
    if (result.ok) {
      angles[result.value.angleId] = (angles[result.value.angleId] ?? 0) + 1;
      output.push({ ...lead, draft: result.value, ...(quality ? { quality } : {}) });
    } else {
      skipped[result.error.code] = (skipped[result.error.code] ?? 0) + 1;
      await stores.leads.markSkipped(lead.id, result.error.reason);
      await stores.audit.append({
        at: ctx.deps.clock.now(),
        actor: 'CRAFTER',
        action: 'draft.skipped',
        entityType: 'lead',
        entityId: lead.id,
        runId: ctx.runId,
        details: { code: result.error.code, reason: result.error.reason },
      });
    }
    ctx.events.onStageProgress?.('craft', ++done, leads.length);
  }
  return {
    output,
    passed: output.length > 0,
    errors: output.length === 0 ? [{ message: 'no draft could be made' }] : [],
    metrics: { drafted: output.length, skipped, angles, qualityGuard: verdicts },
  };
};
