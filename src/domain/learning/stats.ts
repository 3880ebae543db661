/**
 * The statistics the learning report rests on (docs/learning.md): the normal distribution, Wilson
 * score intervals and the pooled two-proportion z-test. Pure and deterministic.
 */

/**
 * The error function by Abramowitz and Stegun, Handbook of Mathematical Functions (1964), formula
 * 7.1.26: a rational approximation with |error| < 1.5e-7 for every x, enough for p-values quoted to
 * three places.
 */
export const erf = (x: number): number => {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-ax * ax));
};

/** The standard normal CDF, Φ(z) = (1 + erf(z / √2)) / 2. */
export const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));

/**
 * The z with Φ(z) = p, found by bisection on `normalCdf` (60 halvings: exact to the CDF's own
 * precision), so the interval and the test use the same normal distribution.
 */
export const normalQuantile = (p: number): number => {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1 (got ${p})`);
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
};

export type Interval = { low: number; high: number };

/**
 * The Wilson score interval of a proportion (successes of n) at confidence 1 - alpha: unlike the
 * normal ("Wald") interval it stays inside [0, 1] and does not collapse to a point at 0 or n
 * successes. n = 0 gives the whole [0, 1]: nothing is known.
 */
export const wilson = (successes: number, n: number, alpha = 0.05): Interval => {
  if (n <= 0) return { low: 0, high: 1 };
  if (successes < 0 || successes > n) throw new RangeError(`wilson needs 0 <= successes <= n (got ${successes} of ${n})`);
  const z = normalQuantile(1 - alpha / 2);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1; rounding would leave 3e-17.
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === n ? 1 : Math.min(1, centre + half) };
};

export type ZTest = { z: number; p: number };

/**
 * The pooled two-proportion z-test, two-sided: z = (p1 - p2) / √(p̂(1 - p̂)(1/n1 + 1/n2)) with
 * p̂ the pooled rate, p = 2(1 - Φ(|z|)). When both arms are all successes or all failures there is
 * no difference to see: z 0, p 1.
 */
export const twoProportionTest = (x1: number, n1: number, x2: number, n2: number): ZTest => {
  if (n1 <= 0 || n2 <= 0) return { z: 0, p: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, p: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
};
