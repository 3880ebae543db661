import { craftDraft } from '../domain/drafting/index.js';
import { checkDraftQuality } from '../domain/quality/quality-guard.js';
import type { Tier } from '../domain/tier.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';

type Skip = { code: string; reason: string };

/**
 * A tier whose routing names no channel can never be sent to, so its leads get no draft for a
 * reviewer to spend time on: they are skipped as nurture-only, with the reason.
 */
const nurtureOnly = (tier: Tier, channels: readonly string[]): Skip | null => (channels.length === 0 ? { code: 'nurture_only', reason: `nurture-only: ${tier} has no outreach channel in tierRouting, so no draft is written` } : null);

/**
 * Stage 4: one draft per qualified lead whose tier has a channel; a lead without the facts a draft
 * needs, or whose draft the quality guard blocks, is skipped with its reason.
 */
export const craftDrafts = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, settings } = ctx.deps;
  const output: WorkingLead[] = [];
  const skipped: Record<string, number> = {};
  const angles: Record<string, number> = {};
  let done = 0;
  const verdicts = { blocked: 0, softFailures: 0, flagged: 0 };
  // Skips are collected and written together after the loop (one update and one audit append per
  // chunk): on the embedded PostgreSQL server two round trips per skipped lead made this stage slow.
  const skips: { leadId: string; skip: Skip }[] = [];
  const skip = (lead: WorkingLead, error: Skip) => {
    skipped[error.code] = (skipped[error.code] ?? 0) + 1;
    skips.push({ leadId: lead.id, skip: error });
  };
  const draftable: WorkingLead[] = [];
  // Nurture-only leads are written per reason (one per tier) in bulk: a run may skip thousands.
  const nurture = new Map<string, { skip: Skip; ids: string[] }>();
  for (const lead of leads) {
    const reason = nurtureOnly(lead.score!.tier, settings.tierRouting[lead.score!.tier]);
    if (!reason) draftable.push(lead);
    else {
      const group = nurture.get(reason.reason) ?? { skip: reason, ids: [] };
      group.ids.push(lead.id);
      nurture.set(reason.reason, group);
    }
  }
  for (const { skip: reason, ids } of nurture.values()) {
    skipped[reason.code] = (skipped[reason.code] ?? 0) + ids.length;
    await stores.leads.markSkipped(ids, reason.reason);
    const at = ctx.deps.clock.now();
    await stores.audit.append(ids.map((id) => ({ at, actor: 'CRAFTER', action: 'draft.skipped', entityType: 'lead', entityId: id, runId: ctx.runId, details: { code: reason.code, reason: reason.reason } })));
    done += ids.length;
    ctx.events.onStageProgress?.('craft', done, leads.length);
  }
  const since = new Date(ctx.deps.clock.now().getTime() - settings.review.rejectionTtlDays * 86_400_000);
  const memory = await stores.rejections.memoryFor(
    draftable.map((l) => l.id),
    since,
  );
  for (const lead of draftable) {
    const score = lead.score!;
    const rejected = memory.get(lead.id);
    // Rotation: angles reviewers rejected for this lead are not chosen again while the memory lasts.
    const crafted = craftDraft(
      {
        lead: lead.profile,
        tier: score.tier,
        recommendedCampaign: score.recommendedCampaign,
        rejectedAngleIds: rejected?.angleIds ?? [],
        rejectedSubjects: rejected?.subjects ?? [],
        ...(settings.visitMention ? { visitMention: settings.visitMention } : {}),
      },
      settings.sender,
    );
    const quality = crafted.ok
      ? checkDraftQuality(
          { lead: lead.profile, subject: crafted.value.subjectA, subjectB: crafted.value.subjectB, body: crafted.value.body, fingerprint: crafted.value.fingerprint, memory: rejected },
          { ...settings.quality, maxRejections: settings.review.maxRejections },
        )
      : null;
    if (quality && !quality.passed) verdicts.blocked++;
    else if (quality?.ruleFailures.some((f) => f.severity !== 'flag')) verdicts.softFailures++;
    else if (quality?.ruleFailures.length) verdicts.flagged++;
    const result = quality && !quality.passed ? ({ ok: false, error: { code: 'quality_guard', reason: `quality guard: ${quality.ruleFailures.map((f) => `${f.ruleId} ${f.message}`).join('; ')}` } } as const) : crafted;
    if (result.ok) {
      angles[result.value.angleId] = (angles[result.value.angleId] ?? 0) + 1;
      output.push({ ...lead, draft: result.value, ...(quality ? { quality } : {}) });
    } else {
      skip(lead, result.error);
    }
    ctx.events.onStageProgress?.('craft', ++done, leads.length);
  }
  if (skips.length) {
    await stores.leads.markSkippedEach(skips.map((x) => ({ leadId: x.leadId, reason: x.skip.reason })));
    const at = ctx.deps.clock.now();
    await stores.audit.append(skips.map((x) => ({ at, actor: 'CRAFTER', action: 'draft.skipped', entityType: 'lead', entityId: x.leadId, runId: ctx.runId, details: { code: x.skip.code, reason: x.skip.reason } })));
  }
  // Nurture-only leads are the routing working as configured, not a failure to draft.
  const passed = output.length > 0 || (leads.length > 0 && draftable.length === 0);
  return {
    output,
    passed,
    errors: passed ? [] : [{ message: 'no draft could be made' }],
    metrics: { drafted: output.length, skipped, angles, qualityGuard: verdicts },
  };
};
