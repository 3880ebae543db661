/**
 * Engagement decay (spec/signals.md, "Decay detection"): which leads went quiet, judged from a
 * given `now` (design invariant 8), never from the wall clock.
 *
 * Decisions:
 * - The original judged everything on `updated_at`, which any write moves. Here each rule reads the
 *   instant it is about: ghosting counts from our last touch, stalling from the lead's last
 *   engagement (falling back to the last touch when no engagement time is known; with neither, the
 *   lead is not judged rather than guessed).
 * - "More than" is strict, as in the spec: at exactly 72 h a lead is not ghosted yet.
 * - Days are fixed 24-hour spans of UTC milliseconds, so daylight saving never shifts a boundary.
 * - Rules are evaluated in the spec's order (ghosted, stalled, engaged_not_replied); the first that
 *   holds wins, so a lead that opened twice but has been silent for 7 days is `stalled`.
 * - A lead that replied never decays. A lead that engaged after our last touch is not ghosted.
 * - Ghosting also covers `linkedin_sent` and `revival_sent` (see lead-status.ts): an unanswered
 *   connection request or revival email is the same silence.
 * - `engaged_not_replied` also fires on a click (lead-status.ts decision 5).
 * - `since` is the instant the lead crossed the threshold (for engaged_not_replied: its last
 *   engagement). Use it as the `at` of the decay event so late-event handling compares the
 *   right instants. Leads already in a decay status are not eligible, so a daily run is idempotent.
 */
import { DEFAULT_ENGAGED_AFTER_OPENS, type LeadStatus, type SignalType } from './lead-status.js';

export type DecayThresholds = {
  /** Hours after the last touch with no engagement before a lead is ghosted. Spec: 72. */
  ghostedAfterHours: number;
  /** Days after the last engagement of an opened lead before it is stalled. Spec: 7. */
  stalledAfterDays: number;
  /** Opens that make an opened lead engaged-not-replied. Spec: 2. */
  engagedOpens: number;
  /** Clicks that make an opened lead engaged-not-replied (a rewrite addition). */
  engagedClicks: number;
};

export const DEFAULT_DECAY_THRESHOLDS: Readonly<DecayThresholds> = {
  ghostedAfterHours: 72,
  stalledAfterDays: 7,
  engagedOpens: DEFAULT_ENGAGED_AFTER_OPENS,
  engagedClicks: 1,
};

export type DecayKind = 'ghosted' | 'stalled' | 'engaged_not_replied';

export type Decay = { kind: DecayKind; since: Date; detail: string };

/** The status-machine event for each finding. */
export const DECAY_SIGNAL: Readonly<Record<DecayKind, SignalType>> = {
  ghosted: 'decay_ghosted',
  stalled: 'decay_stalled',
  engaged_not_replied: 'decay_engaged_not_replied',
};

export type DecayInput = {
  status: LeadStatus;
  /** Our last outbound touch on any channel. */
  lastTouchAt: Date | null;
  /** The lead's last open, click or reply. */
  lastEngagementAt: Date | null;
  opens: number;
  clicks: number;
  replied: boolean;
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const GHOST_ELIGIBLE: ReadonlySet<LeadStatus> = new Set<LeadStatus>(['dispatched', 'sent', 'linkedin_sent', 'revival_sent']);

const wholeHours = (ms: number): number => Math.floor(ms / HOUR_MS);
const wholeDays = (ms: number): number => Math.floor(ms / DAY_MS);

const ghosted = (lead: DecayInput, now: Date, t: DecayThresholds): Decay | null => {
  if (!GHOST_ELIGIBLE.has(lead.status) || lead.lastTouchAt === null) return null;
  const touch = lead.lastTouchAt.getTime();
  if (lead.lastEngagementAt !== null && lead.lastEngagementAt.getTime() > touch) return null;
  const crossing = touch + t.ghostedAfterHours * HOUR_MS;
  if (now.getTime() <= crossing) return null;
  return {
    kind: 'ghosted',
    since: new Date(crossing),
    detail: `no engagement ${wholeHours(now.getTime() - touch)} h after the last touch (threshold ${t.ghostedAfterHours} h)`,
  };
};

const stalled = (lead: DecayInput, now: Date, t: DecayThresholds): Decay | null => {
  const reference = lead.lastEngagementAt ?? lead.lastTouchAt;
  if (lead.status !== 'opened' || reference === null) return null;
  const crossing = reference.getTime() + t.stalledAfterDays * DAY_MS;
  if (now.getTime() <= crossing) return null;
  const from = lead.lastEngagementAt === null ? 'the last touch' : 'the last engagement';
  return {
    kind: 'stalled',
    since: new Date(crossing),
    detail: `opened, then nothing for ${wholeDays(now.getTime() - reference.getTime())} days since ${from} (threshold ${t.stalledAfterDays} days)`,
  };
};

const engagedNotReplied = (lead: DecayInput, now: Date, t: DecayThresholds): Decay | null => {
  if (lead.status !== 'opened' || (lead.opens < t.engagedOpens && lead.clicks < t.engagedClicks)) return null;
  return {
    kind: 'engaged_not_replied',
    since: lead.lastEngagementAt ?? now,
    detail: `${lead.opens} opens and ${lead.clicks} clicks without a reply (thresholds ${t.engagedOpens} opens or ${t.engagedClicks} clicks)`,
  };
};

const RULES = [ghosted, stalled, engagedNotReplied] as const;

export const detectDecay = (lead: DecayInput, now: Date, thresholds: DecayThresholds = DEFAULT_DECAY_THRESHOLDS): Decay | null => {
  if (lead.replied) return null;
  for (const rule of RULES) {
    const found = rule(lead, now, thresholds);
    if (found !== null) return found;
  }
  return null;
};

export type DecayFinding<L> = { lead: L; decay: Decay };

/** Grouped like the original's `{ghosted[], stalled[], engaged_not_replied[]}`, input order kept. */
export type DecayReport<L> = Record<DecayKind, DecayFinding<L>[]>;

export const detectDecayForAll = <L extends DecayInput>(leads: readonly L[], now: Date, thresholds: DecayThresholds = DEFAULT_DECAY_THRESHOLDS): DecayReport<L> => {
  const report: DecayReport<L> = { ghosted: [], stalled: [], engaged_not_replied: [] };
  for (const lead of leads) {
    const decay = detectDecay(lead, now, thresholds);
    if (decay !== null) report[decay.kind].push({ lead, decay });
  }
  return report;
};
