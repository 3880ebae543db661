import type { ScoreComponentCode } from '../scoring/types.js';
import { armStats, type ArmStats } from './compare.js';
import { fitLogistic } from './logistic.js';
import { normalQuantile, twoProportionTest } from './stats.js';

/** Each component's cap in spec/scoring.md (engagement's bonus is at most 5, inside intent's 20). */
export const COMPONENT_CAPS: Record<ScoreComponentCode, number> = { company_size: 20, title: 25, industry: 20, tech_stack: 15, intent: 20, engagement: 5 };
export const COMPONENTS = Object.keys(COMPONENT_CAPS) as ScoreComponentCode[];

/**
 * What config changes a component today. The points themselves are fixed by spec/scoring.md (no
 * config key): a person moves a component by which leads reach its buckets.
 */
const CONFIG_KEYS: Record<ScoreComponentCode, string | null> = {
  company_size: null,
  title: 'icp.titleKeywords',
  industry: 'icp.industryKeywords',
  tech_stack: 'icp.techKeywords',
  intent: null,
  engagement: null,
};

export type Outcome = 'reply' | 'meeting';
export type ScoredOutcome = { components: Partial<Record<ScoreComponentCode, number>>; reply: boolean; meeting: boolean };

export type ComponentLift = { component: ScoreComponentCode; outcome: Outcome; high: ArmStats; low: ArmStats; lift: number | null; p: number };
export type ComponentFit = { component: ScoreComponentCode; coefficient: number; standardError: number; z: number };
export type CalibrationFit =
  { outcome: Outcome; kind: 'fitted'; n: number; positives: number; intercept: number; components: ComponentFit[] } | { outcome: Outcome; kind: 'not_enough_data'; positives: number; negatives: number; needed: number };
export type Suggestion = { component: ScoreComponentCode; outcome: Outcome; direction: 'raise' | 'lower'; currentMax: number; suggestedMax: number; configKey: string | null; text: string };

/** A lead is "high" on a component at half its cap or more (title: director and up; company size: 20+ employees). */
const isHigh = (code: ScoreComponentCode, points: number) => points >= COMPONENT_CAPS[code] / 2;

/** Per component and outcome: the outcome rate of leads high on it vs low, their intervals, the lift (high / low) and the test's p. */
export const componentLifts = (rows: readonly ScoredOutcome[], outcome: Outcome, alpha: number): ComponentLift[] =>
  COMPONENTS.map((component) => {
    const high = { name: 'high', n: 0, successes: 0 };
    const low = { name: 'low', n: 0, successes: 0 };
    for (const r of rows) {
      const arm = isHigh(component, r.components[component] ?? 0) ? high : low;
      arm.n++;
      if (r[outcome]) arm.successes++;
    }
    const h = armStats(high, alpha);
    const l = armStats(low, alpha);
    const lift = h.rate !== null && l.rate ? h.rate / l.rate : null;
    return { component, outcome, high: h, low: l, lift, p: twoProportionTest(high.successes, high.n, low.successes, low.n).p };
  });

/**
 * The logistic fit of the outcome on the six components (each scaled to 0..1 of its cap), only
 * with at least `minOutcomes` positive and as many negative leads: fewer, and a fit says nothing.
 */
export const calibrationFit = (rows: readonly ScoredOutcome[], outcome: Outcome, minOutcomes: number): CalibrationFit => {
  const positives = rows.filter((r) => r[outcome]).length;
  const negatives = rows.length - positives;
  if (positives < minOutcomes || negatives < minOutcomes) return { outcome, kind: 'not_enough_data', positives, negatives, needed: minOutcomes };
  const fit = fitLogistic(rows.map((r) => ({ x: COMPONENTS.map((c) => (r.components[c] ?? 0) / COMPONENT_CAPS[c]), y: r[outcome] ? 1 : 0 })));
  return {
    outcome,
    kind: 'fitted',
    n: rows.length,
    positives,
    intercept: fit.intercept,
    components: COMPONENTS.map((component, j) => {
      const coefficient = fit.coefficients[j]!;
      const standardError = fit.standardErrors[j]!;
      return { component, coefficient, standardError, z: standardError > 0 ? coefficient / standardError : 0 };
    }),
  };
};

const LABEL: Record<ScoreComponentCode, string> = { company_size: 'company size', title: 'title', industry: 'industry', tech_stack: 'tech stack', intent: 'intent', engagement: 'engagement' };
const OUTCOME_WORD: Record<Outcome, string> = { reply: 'replies', meeting: 'meetings' };
const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);

/**
 * Suggested weight changes, in words, for a person to weigh (never applied): a component is named
 * only when the evidence is significant at alpha: the fit's coefficient when there is a fit (it
 * accounts for the other components), else the high-vs-low test. The suggestion is a step of 5
 * points on the component's cap, and where the config can move the component, the key.
 */
export const suggestions = (lifts: readonly ComponentLift[], fit: CalibrationFit, alpha: number): Suggestion[] => {
  const zCrit = normalQuantile(1 - alpha / 2);
  const out: Suggestion[] = [];
  for (const l of lifts) {
    const f = fit.kind === 'fitted' ? fit.components.find((c) => c.component === l.component) : undefined;
    const significant = f ? Math.abs(f.z) > zCrit : l.p < alpha && l.high.n > 0 && l.low.n > 0;
    if (!significant) continue;
    const up = f ? f.coefficient > 0 : (l.high.rate ?? 0) > (l.low.rate ?? 0);
    const cap = COMPONENT_CAPS[l.component];
    const suggestedMax = Math.max(0, up ? cap + 5 : cap - 5);
    const key = CONFIG_KEYS[l.component];
    const evidence = f
      ? `logistic coefficient ${f.coefficient.toFixed(2)} ± ${f.standardError.toFixed(2)} (z ${f.z.toFixed(1)})`
      : `${OUTCOME_WORD[l.outcome]} ${pct(l.high.rate)} when high vs ${pct(l.low.rate)} when low, p = ${l.p < 0.001 ? '< 0.001' : l.p.toFixed(3)}`;
    const where = key ? `The points are fixed in spec/scoring.md; in config, ${key}.* decides which leads reach its higher buckets.` : 'The points are fixed in spec/scoring.md; no config key moves this component (a code change).';
    out.push({
      component: l.component,
      outcome: l.outcome,
      direction: up ? 'raise' : 'lower',
      currentMax: cap,
      suggestedMax,
      configKey: key,
      text: `${LABEL[l.component]} ${up ? 'predicts more' : 'predicts fewer'} ${OUTCOME_WORD[l.outcome]} (${evidence}): consider ${up ? 'raising' : 'lowering'} its weight from ${cap} to ${suggestedMax} points. ${where} Nothing is changed automatically.`,
    });
  }
  return out;
};
