import { describe, expect, it } from 'vitest';
import { compareArms, verdictText, armStats } from '../../../../src/domain/learning/compare.js';
import { normalCdf, normalQuantile, twoProportionTest, wilson } from '../../../../src/domain/learning/stats.js';

describe('normal distribution', () => {
  it('matches the tables to 6 places (Abramowitz and Stegun 7.1.26)', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1)).toBeCloseTo(0.841345, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975002, 6);
    expect(normalCdf(-2.576)).toBeCloseTo(0.004998, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('Wilson interval', () => {
  // Newcombe, "Two-sided confidence intervals for the single proportion" (Statistics in Medicine 1998), table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i is [%f, %f]', (x, n, low, high) => {
    const i = wilson(x, n);
    expect(i.low).toBeCloseTo(low, 4);
    expect(i.high).toBeCloseTo(high, 4);
  });

  it('knows nothing with no sends, narrows with more, and refuses impossible counts', () => {
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
    const small = wilson(12, 100);
    const large = wilson(120, 1000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(wilson(12, 100, 0.01).high).toBeGreaterThan(small.high);
    expect(() => wilson(5, 4)).toThrow(RangeError);
  });
});

describe('two-proportion z-test (pooled)', () => {
  it("agrees with R's prop.test(c(45, 30), c(100, 100), correct = FALSE): X-squared 4.8, p 0.02846", () => {
    const t = twoProportionTest(45, 100, 30, 100);
    expect(t.z * t.z).toBeCloseTo(4.8, 6);
    expect(t.p).toBeCloseTo(0.02846, 5);
  });
  it('is symmetric, and says nothing when both arms are all-or-nothing or empty', () => {
    expect(twoProportionTest(30, 100, 45, 100).z).toBeCloseTo(-twoProportionTest(45, 100, 30, 100).z, 10);
    expect(twoProportionTest(0, 50, 0, 80)).toEqual({ z: 0, p: 1 });
    expect(twoProportionTest(3, 0, 0, 80)).toEqual({ z: 0, p: 1 });
  });
});

describe('compareArms', () => {
  const settings = { alpha: 0.05, minPerArm: 100 };
  it('says "not enough data" below the minimum per arm, however large the gap', () => {
    const arms = [
      { name: 'A', n: 14, successes: 0 },
      { name: 'B', n: 400, successes: 200 },
    ];
    const v = compareArms(arms, settings);
    expect(v).toEqual({ kind: 'not_enough_data', minPerArm: 100, smallest: { name: 'A', n: 14 } });
    expect(
      verdictText(
        'replies',
        v,
        arms.map((a) => armStats(a, 0.05)),
      ),
    ).toBe('not enough data for replies: 14 of 100 sends needed per arm (A)');
  });
  it('names a winner only when p < alpha, in the documented words', () => {
    const arms = [
      { name: 'A', n: 500, successes: 60 },
      { name: 'B', n: 500, successes: 30 },
    ];
    const v = compareArms(arms, settings);
    expect(v).toMatchObject({ kind: 'winner', winner: 'A', against: ['B'] });
    expect(
      verdictText(
        'replies',
        v,
        arms.map((a) => armStats(a, 0.05)),
      ),
    ).toMatch(/^A wins replies: 12\.0 % \[9\.4, 15\.1\] vs 6\.0 % \[4\.2, 8\.4\], p < 0\.001$/);
    // R: prop.test(c(36, 18), c(300, 300), correct = FALSE) gives p-value 0.01023.
    const mid = [
      { name: 'A', n: 300, successes: 36 },
      { name: 'B', n: 300, successes: 18 },
    ];
    expect(
      verdictText(
        'replies',
        compareArms(mid, settings),
        mid.map((a) => armStats(a, 0.05)),
      ),
    ).toMatch(/^A wins replies: 12\.0 % \[\d+\.\d, \d+\.\d\] vs 6\.0 % \[\d\.\d, \d+\.\d\], p = 0\.010$/);
    const close = compareArms(
      [
        { name: 'A', n: 500, successes: 60 },
        { name: 'B', n: 500, successes: 50 },
      ],
      settings,
    );
    expect(close).toMatchObject({ kind: 'no_winner', leader: 'A' });
    expect(close.kind === 'no_winner' && close.p).toBeGreaterThan(0.05);
  });
  it('with more than two arms, the leader must beat each other eligible arm at alpha / (arms - 1)', () => {
    // 0.12 vs 0.08 at n 500: p about 0.035, under 0.05 but not under 0.025.
    const v = compareArms(
      [
        { name: 'x', n: 500, successes: 60 },
        { name: 'y', n: 500, successes: 40 },
        { name: 'z', n: 500, successes: 40 },
        { name: 'tiny', n: 10, successes: 9 },
      ],
      settings,
    );
    expect(v).toMatchObject({ kind: 'no_winner', leader: 'x' });
    expect(
      compareArms(
        [
          { name: 'x', n: 500, successes: 60 },
          { name: 'y', n: 500, successes: 40 },
        ],
        settings,
      ),
    ).toMatchObject({ kind: 'winner', winner: 'x' });
  });
});
