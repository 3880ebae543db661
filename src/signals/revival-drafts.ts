import type { LeadProfile } from '../domain/lead.js';
import { craftRevivalDraft, type RevivalContext, type RevivalDraft, type SenderSettings } from '../domain/drafting/index.js';
import { checkDraftQuality, type QualitySettings, type QualityVerdict } from '../domain/quality/quality-guard.js';
import type { LeadEvent, LeadEventStore } from './ports.js';

/** Where a revival draft waits for a person (the drafts store's review queue). */
export type RevivalDraftStore = {
  queueManyForReview(runId: string, items: { leadId: string; draft: RevivalDraft; quality?: QualityVerdict | undefined }[]): Promise<{ draftId: string; queued: boolean }[]>;
};

/** A lead's profile by its e-mail (what the crafter writes from). */
export type RevivalProfiles = { profileOf(email: string): Promise<{ leadId: string; profile: LeadProfile } | null> };

export type RevivalDraftDeps = {
  events: Pick<LeadEventStore, 'timeline'>;
  profiles: RevivalProfiles;
  drafts: RevivalDraftStore;
  settings: { sender: SenderSettings; quality: QualitySettings };
};

/** Why a revival contact got no draft: the crafter's skip code or the quality guard's rules. */
export type RevivalDraftOutcome = { ok: true; draft: RevivalDraft; quality: QualityVerdict } | { ok: false; reason: string };

/** Our own bookkeeping on a timeline is not an interaction with the person. */
const NOT_AN_INTERACTION = new Set(['revival_queued', 'website_visit', 'do_not_contact', 'decay_ghosted', 'decay_stalled', 'decay_engaged_not_replied']);
const DAY_MS = 86_400_000;

/** The revival context from the lead's timeline (newest first) and the frozen scan verdict. */
export const revivalContextOf = (events: readonly LeadEvent[], scan: { reason: string; daysInactive: number }, now: Date): RevivalContext => {
  const last = events.find((e) => !NOT_AN_INTERACTION.has(e.type) && e.at <= now);
  const visit = events.find((e) => e.type === 'website_visit' && e.at <= now && now.getTime() - e.at.getTime() <= 30 * DAY_MS);
  return { reason: scan.reason, daysInactive: scan.daysInactive, lastInteraction: last ? { at: last.at, channel: last.channel, type: last.type } : null, recentVisitAt: visit?.at ?? null };
};

/**
 * The revival e-mail of one queued contact: crafted from its revival context and profile, then
 * passed through the quality guard (with the copy checks) exactly as a first draft is; a draft the
 * guard blocks (hard mode) never reaches review. `plan` only reads, so a dry run predicts what
 * `queue` then writes: a `pending_review` draft under the `revival` angle.
 */
export const createRevivalDrafter = (deps: RevivalDraftDeps) => {
  const plan = async (email: string, scan: { reason: string; daysInactive: number }, now: Date, fallback?: LeadProfile): Promise<RevivalDraftOutcome & { leadId: string | null }> => {
    const found = await deps.profiles.profileOf(email);
    const profile = found?.profile ?? fallback;
    if (!profile) return { ok: false, reason: 'lead_missing', leadId: null };
    const events = found ? await deps.events.timeline(found.leadId, 200) : [];
    const crafted = craftRevivalDraft({ lead: profile, context: revivalContextOf(events, scan, now) }, deps.settings.sender, now);
    if (!crafted.ok) return { ok: false, reason: crafted.error.code, leadId: found?.leadId ?? null };
    const draft = crafted.value;
    const quality = checkDraftQuality({ lead: profile, subject: draft.subjectA, subjectB: draft.subjectB, body: draft.body, fingerprint: draft.fingerprint, memory: undefined }, deps.settings.quality);
    if (!quality.passed) return { ok: false, reason: `quality_guard: ${quality.ruleFailures.map((f) => f.ruleId).join(', ')}`, leadId: found?.leadId ?? null };
    return { ok: true, draft, quality, leadId: found?.leadId ?? null };
  };
  return {
    plan,
    /** Craft and queue for review; the run id names the day, so the review queue can be filtered by it. */
    queue: async (email: string, scan: { reason: string; daysInactive: number }, now: Date): Promise<{ draftId: string | null; reason: string | null }> => {
      const outcome = await plan(email, scan, now);
      if (!outcome.ok || !outcome.leadId) return { draftId: null, reason: outcome.ok ? 'lead_missing' : outcome.reason };
      const [queued] = await deps.drafts.queueManyForReview(`revival:${now.toISOString().slice(0, 10)}`, [{ leadId: outcome.leadId, draft: outcome.draft, quality: outcome.quality }]);
      return { draftId: queued?.draftId ?? null, reason: null };
    },
  };
};

export type RevivalDrafter = ReturnType<typeof createRevivalDrafter>;
