import { describe, expect, it } from 'vitest';
import { calibrationFit, componentLifts, COMPONENT_CAPS, suggestions, type ScoredOutcome } from '../../../../src/domain/learning/calibration.js';
import { fitLogistic } from '../../../../src/domain/learning/logistic.js';

const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** Leads whose reply odds rise with the title points and fall with the industry points; the other components do nothing. */
const planted = (n: number, seed: number): ScoredOutcome[] => {
  const random = seeded(seed);
  const pick = (values: number[]) => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: n }, () => {
    const components = { company_size: pick([0, 5, 12, 20]), title: pick([0, 8, 15, 22, 25]), industry: pick([0, 10, 15, 20]), tech_stack: pick([0, 5, 15]), intent: pick([0, 10, 20]), engagement: pick([0, 3]) };
    const odds = -2.5 + 2 * (components.title / 25) - 1.5 * (components.industry / 20);
    const reply = random() < sigmoid(odds);
    return { components, reply, meeting: reply && random() < 0.3 };
  });
};

describe('logistic fit', () => {
  it('recovers planted coefficients, signs and rough sizes, deterministically', () => {
    const random = seeded(5);
    const rows = Array.from({ length: 4000 }, (): { x: number[]; y: 0 | 1 } => {
      const x: [number, number] = [random(), random()];
      return { x, y: random() < sigmoid(-1 + 2 * x[0] - 1 * x[1]) ? 1 : 0 };
    });
    const fit = fitLogistic(rows);
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-1, 0);
    expect(fit.coefficients[0]).toBeCloseTo(2, 0);
    expect(fit.coefficients[1]).toBeCloseTo(-1, 0);
    expect(fitLogistic(rows)).toEqual(fit);
  });
  it('stays finite when a feature separates the outcomes perfectly (the ridge)', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ x: [i % 2], y: (i % 2) as 0 | 1 }));
    const fit = fitLogistic(rows);
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(0);
  });
});

describe('scoring calibration', () => {
  const rows = planted(3000, 9);

  it('recovers the sign of the planted weights, and suggests raising title and lowering industry (never applied)', () => {
    const fit = calibrationFit(rows, 'reply', 30);
    if (fit.kind !== 'fitted') throw new Error('expected a fit');
    const title = fit.components.find((c) => c.component === 'title')!;
    const industry = fit.components.find((c) => c.component === 'industry')!;
    expect(title.coefficient).toBeGreaterThan(0);
    expect(title.z).toBeGreaterThan(2);
    expect(industry.coefficient).toBeLessThan(0);
    expect(industry.z).toBeLessThan(-2);
    const lifts = componentLifts(rows, 'reply', 0.05);
    const titleLift = lifts.find((l) => l.component === 'title')!;
    expect(titleLift.lift).toBeGreaterThan(1);
    expect(titleLift.high.interval.low).toBeGreaterThan(titleLift.low.interval.high);
    const advice = suggestions(lifts, fit, 0.05);
    expect(advice.find((s) => s.component === 'title')).toMatchObject({ direction: 'raise', currentMax: COMPONENT_CAPS.title, suggestedMax: 30, configKey: 'icp.titleKeywords' });
    expect(advice.find((s) => s.component === 'industry')).toMatchObject({ direction: 'lower', currentMax: 20, suggestedMax: 15, configKey: 'icp.industryKeywords' });
    expect(advice.find((s) => s.component === 'title')!.text).toMatch(
      /^title predicts more replies \(logistic coefficient .*\): consider raising its weight from 25 to 30 points\. .*icp\.titleKeywords\.\*.* Nothing is changed automatically\.$/,
    );
  });

  it('fits nothing with too few outcomes, and then suggests only what a plain high-vs-low test supports', () => {
    const few = rows.slice(0, 200);
    const fit = calibrationFit(few, 'meeting', 30);
    expect(fit).toMatchObject({ kind: 'not_enough_data', needed: 30 });
    const none = calibrationFit([], 'reply', 30);
    expect(none).toEqual({ outcome: 'reply', kind: 'not_enough_data', positives: 0, negatives: 0, needed: 30 });
    expect(suggestions(componentLifts([], 'reply', 0.05), none, 0.05)).toEqual([]);
  });
});
