import type { ScoreComponentCode } from '../scoring/types.js';
import { angleLabel } from '../labels.js';
import { calibrationFit, componentLifts, suggestions, type CalibrationFit, type ComponentLift, type Suggestion } from './calibration.js';
import { armStats, compareArms, verdictText, type ArmStats, type LearningSettings, type Verdict } from './compare.js';
import { subjectShareA, type SubjectVariant } from './variant.js';

export type LearningReportSettings = LearningSettings & { minOutcomesForFit: number; autoShift: boolean; maxShift: number };

/** One lead e-mailed in the window, with what came of it. */
export type LeadOutcome = {
  leadId: string;
  angle: string;
  /** The subject its first e-mail used; `edited`: a reviewer's edit went out; null: unknown. */
  variant: SubjectVariant | 'edited' | null;
  opened: boolean;
  replied: boolean;
  meeting: boolean;
  /** The latest score's component points; null when the lead has no score. */
  components: Partial<Record<ScoreComponentCode, number>> | null;
};

export const METRICS = ['open', 'reply', 'meeting'] as const;
export type Metric = (typeof METRICS)[number];
const METRIC_WORD: Record<Metric, string> = { open: 'opens', reply: 'replies', meeting: 'meetings' };
const hit = (o: LeadOutcome, m: Metric) => (m === 'open' ? o.opened : m === 'reply' ? o.replied : o.meeting);

export type MetricComparison = { metric: Metric; arms: ArmStats[]; verdict: Verdict; text: string };
export type Comparison = Record<Metric, MetricComparison>;

export type LearningReport = {
  since: string;
  until: string;
  settings: LearningReportSettings;
  sent: number;
  variants: { comparison: Comparison; edited: number; unknown: number };
  angles: { comparison: Comparison };
  traffic: { winner: SubjectVariant | null; shareA: number; applied: boolean };
  calibration: { scored: number; lifts: ComponentLift[]; fits: CalibrationFit[]; suggestions: Suggestion[] };
};

/** Open, reply and meeting rates per group (sends as the denominator), each with its verdict. */
const compareBy = (outcomes: readonly LeadOutcome[], groupOf: (o: LeadOutcome) => string | null, names: readonly string[] | null, s: LearningSettings, label: (name: string) => string = (n) => n): Comparison => {
  const groups = new Map<string, LeadOutcome[]>((names ?? []).map((n) => [n, []]));
  for (const o of outcomes) {
    const g = groupOf(o);
    if (g === null) continue;
    groups.set(g, [...(groups.get(g) ?? []), o]);
  }
  const ordered = [...groups].sort(([a], [b]) => (names ? 0 : a.localeCompare(b)));
  const one = (metric: Metric): MetricComparison => {
    const raw = ordered.map(([name, os]) => ({ name, n: os.length, successes: os.filter((o) => hit(o, metric)).length }));
    const arms = raw.map((a) => armStats(a, s.alpha));
    const verdict = compareArms(raw, s);
    return { metric, arms, verdict, text: verdictText(METRIC_WORD[metric], verdict, arms, label) };
  };
  return { open: one('open'), reply: one('reply'), meeting: one('meeting') };
};

/**
 * The learning report (docs/learning.md): per subject variant and per angle, open, reply and
 * meeting rates with Wilson intervals and a winner only when the test says so; the traffic split
 * the reply verdict implies; and how well each score component predicted replies and meetings.
 */
/** Subject A against B: leads whose first e-mail used a reviewer's edit or an unknown subject are left out. */
export const compareVariants = (outcomes: readonly LeadOutcome[], settings: LearningSettings): Comparison => compareBy(outcomes, (o) => (o.variant === 'A' || o.variant === 'B' ? o.variant : null), ['A', 'B'], settings);

/** The variant that wins replies, if any: what `learning.autoShift` leans toward. */
export const replyWinnerOf = (variants: Comparison): SubjectVariant | null => (variants.reply.verdict.kind === 'winner' ? (variants.reply.verdict.winner as SubjectVariant) : null);

export const buildLearningReport = (outcomes: readonly LeadOutcome[], window: { since: string; until: string }, settings: LearningReportSettings): LearningReport => {
  const variants = compareVariants(outcomes, settings);
  const angles = compareBy(
    outcomes,
    (o) => o.angle,
    null,
    settings,
    (n) => (n === 'none' ? 'no angle' : angleLabel(n)),
  );
  const winner = replyWinnerOf(variants);
  const scored = outcomes.filter((o) => o.components !== null).map((o) => ({ components: o.components!, reply: o.replied, meeting: o.meeting }));
  const lifts = (['reply', 'meeting'] as const).flatMap((outcome) => componentLifts(scored, outcome, settings.alpha));
  const fits = (['reply', 'meeting'] as const).map((outcome) => calibrationFit(scored, outcome, settings.minOutcomesForFit));
  const advice = fits.flatMap((fit) =>
    suggestions(
      lifts.filter((l) => l.outcome === fit.outcome),
      fit,
      settings.alpha,
    ),
  );
  return {
    ...window,
    settings,
    sent: outcomes.length,
    variants: { comparison: variants, edited: outcomes.filter((o) => o.variant === 'edited').length, unknown: outcomes.filter((o) => o.variant === null).length },
    angles: { comparison: angles },
    traffic: { winner, shareA: settings.autoShift ? subjectShareA(winner, settings.maxShift) : 0.5, applied: settings.autoShift },
    calibration: { scored: scored.length, lifts, fits, suggestions: advice },
  };
};
