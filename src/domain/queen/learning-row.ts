import type { ArmStats, LearningReport, Verdict } from '../learning/index.js';
import type { LearningRow, RateArm } from './results.js';

/**
 * The learning report (docs/learning.md) as QUEEN shows it: per subject variant and per angle, each
 * metric's arms with their rate and interval (rounded to 3 places, the figures the answer states)
 * and the verdict in words. Pure.
 */
const r3 = (v: number) => Math.round(v * 1000) / 1000;

const arm = (a: ArmStats): RateArm => ({ name: a.name, n: a.n, successes: a.successes, rate: a.rate === null ? null : r3(a.rate), low: r3(a.interval.low), high: r3(a.interval.high) });

const verdictWords = (v: Verdict): string =>
  v.kind === 'winner'
    ? `${v.winner} wins (p ${r3(v.p)} under alpha ${v.alpha})`
    : v.kind === 'no_winner'
      ? `no winner yet: ${v.leader} leads (p ${r3(v.p)}, not under alpha ${v.alpha})`
      : `not enough data: each arm needs ${v.minPerArm} sends${v.smallest ? ` (smallest: ${v.smallest.name} with ${v.smallest.n})` : ''}`;

export const learningRowOf = (report: LearningReport): LearningRow => {
  const side = (c: LearningReport['variants']['comparison']) => Object.fromEntries(Object.values(c).map((m) => [m.metric, { arms: m.arms.map(arm), verdict: verdictWords(m.verdict) }]));
  return {
    since: report.since,
    until: report.until,
    sent: report.sent,
    alpha: report.settings.alpha,
    minSample: report.settings.minPerArm,
    variants: side(report.variants.comparison),
    angles: side(report.angles.comparison),
    suggestions: report.calibration.suggestions.map((s) => s.text),
  };
};
