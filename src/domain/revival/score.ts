/**
 * The revival scanner's rules (spec/operator.md "Revival scanner: stale GHL contacts"), pure.
 * Days are whole UTC-independent 24-hour periods since the contact's last activity.
 */

export type RevivalSettings = {
  minInactiveDays: number;
  maxInactiveDays: number;
  /** Compared case-insensitively. */
  excludeTags: readonly string[];
  /**
   * Only contacts in these CRM pipeline stages (case-insensitive); empty: every stage, as the
   * original did (it declared Cold, Lost, Nurture but never applied them).
   */
  pipelineStages?: readonly string[];
};

/** Tags the CRM uses as a stage when no stage field is set (spec: cold, lost, nurture, warm, hot, new). */
const STAGE_TAGS = ['cold', 'lost', 'nurture', 'warm', 'hot', 'new'];

/** A contact's pipeline stage: its stage field, else the first stage-like tag, else null. */
export const pipelineStageOf = (field: string | null | undefined, tags: readonly string[]): string | null => field?.trim() || tags.map((t) => t.trim()).find((t) => STAGE_TAGS.includes(t.toLowerCase())) || null;

export type RevivalInput = {
  email: string | null;
  tags: readonly string[];
  /** dateLastActivity, else lastActivity, else dateUpdated; null when none parses. */
  lastActivity: Date | null;
  /** Our lead status for this person; null when we have no record of them. */
  status: string | null;
  opens: number;
  replies: number;
  tier: string | null;
  linkedinConnected: boolean;
  /** The latest website visit we know of (RB2B), if any. */
  lastWebsiteVisitAt: Date | null;
  /** The CRM pipeline stage (pipelineStageOf); null when unknown. */
  pipelineStage?: string | null;
};

export type RevivalReason = 'never_engaged' | 'previously_replied' | 'opened_only' | 'ghosted' | 'website_revisit';

export type RevivalVerdict =
  { eligible: true; score: number; reason: RevivalReason; daysInactive: number } | { eligible: false; why: 'no_email' | 'too_recent' | 'too_old' | 'excluded_tag' | 'stage_not_scanned' | 'not_revivable' | 'no_score'; daysInactive: number };

const TERMINAL = new Set(['bounced', 'unsubscribed', 'rejected', 'disqualified', 'do_not_contact']);
/** In outreach now: reviving would double up. */
const ACTIVE = new Set(['pending', 'approved', 'dispatched', 'sent', 'opened', 'linkedin_sent', 'linkedin_connected', 'revival_queued', 'revival_sent']);
const DAY_MS = 86_400_000;

/** 999 when the last activity is unknown (the original's rule): such a contact is "too old" unless max allows it. */
export const daysInactive = (lastActivity: Date | null, now: Date): number => (lastActivity ? Math.floor((now.getTime() - lastActivity.getTime()) / DAY_MS) : 999);

export const isRevivable = (status: string | null): boolean => status === null || (!TERMINAL.has(status) && !ACTIVE.has(status));

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Whether a stale CRM contact may be revived, and how promising it is (0-1): replied before 0.8,
 * opened 0.6, ghosted 0.35, never engaged 0.3 (no record of them: 0.3 with no boosts); +0.1 for
 * tier 1, +0.05 if connected on LinkedIn; x0.8 past 90 days inactive, x0.9 past 60; a website visit
 * in the last 30 days lifts it to at least 0.92.
 */
export const revivalVerdict = (input: RevivalInput, settings: RevivalSettings, now: Date): RevivalVerdict => {
  const days = daysInactive(input.lastActivity, now);
  if (!input.email) return { eligible: false, why: 'no_email', daysInactive: days };
  if (days > settings.maxInactiveDays) return { eligible: false, why: 'too_old', daysInactive: days };
  if (days < settings.minInactiveDays) return { eligible: false, why: 'too_recent', daysInactive: days };
  const excluded = new Set(settings.excludeTags.map((t) => t.trim().toLowerCase()));
  if (input.tags.some((t) => excluded.has(t.trim().toLowerCase()))) return { eligible: false, why: 'excluded_tag', daysInactive: days };
  const stages = (settings.pipelineStages ?? []).map((t) => t.trim().toLowerCase());
  if (stages.length > 0 && !stages.includes((input.pipelineStage ?? '').trim().toLowerCase())) return { eligible: false, why: 'stage_not_scanned', daysInactive: days };
  if (!isRevivable(input.status)) return { eligible: false, why: 'not_revivable', daysInactive: days };
  if (input.status === null) return { eligible: true, score: 0.3, reason: 'never_engaged', daysInactive: days };
  let score: number;
  let reason: RevivalReason;
  if (input.replies > 0 || input.status === 'replied' || input.status === 'linkedin_replied') [score, reason] = [0.8, 'previously_replied'];
  else if (input.opens > 0 || ['opened', 'engaged_not_replied', 'stalled'].includes(input.status)) [score, reason] = [0.6, 'opened_only'];
  else if (input.status === 'ghosted' || input.status === 'linkedin_exhausted') [score, reason] = [0.35, 'ghosted'];
  else [score, reason] = [0.3, 'never_engaged'];
  if (input.tier === 'tier_1') score = Math.min(1, score + 0.1);
  if (input.linkedinConnected) score = Math.min(1, score + 0.05);
  if (days > 90) score *= 0.8;
  else if (days > 60) score *= 0.9;
  if (input.lastWebsiteVisitAt && now.getTime() - input.lastWebsiteVisitAt.getTime() <= 30 * DAY_MS && score < 0.92) [score, reason] = [0.92, 'website_revisit'];
  score = round3(score);
  return score > 0 ? { eligible: true, score, reason, daysInactive: days } : { eligible: false, why: 'no_score', daysInactive: days };
};
