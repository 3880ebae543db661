import { twoProportionTest, wilson, type Interval } from './stats.js';

export type LearningSettings = {
  /** Significance level of the two-proportion test; intervals are at 1 - alpha. */
  alpha: number;
  /** Sends an arm needs before it takes part in a comparison. */
  minPerArm: number;
};

export type Arm = { name: string; n: number; successes: number };
export type ArmStats = Arm & { rate: number | null; interval: Interval };

export type Verdict =
  | { kind: 'not_enough_data'; minPerArm: number; smallest: { name: string; n: number } | null }
  | { kind: 'no_winner'; leader: string; p: number; alpha: number }
  | { kind: 'winner'; winner: string; against: string[]; p: number; alpha: number };

export const armStats = (arm: Arm, alpha: number): ArmStats => ({ ...arm, rate: arm.n > 0 ? arm.successes / arm.n : null, interval: wilson(arm.successes, arm.n, alpha) });

/**
 * Which arm wins, if the data says so. Arms with fewer than `minPerArm` sends are left out; with
 * fewer than two arms left: not enough data (never a winner). Otherwise the arm with the highest
 * rate (ties: the first) is tested against every other eligible arm with the pooled two-proportion
 * test; it wins only when it beats each of them at alpha / (arms - 1) (Bonferroni: with more arms,
 * one lucky arm is likelier). The p reported is the largest of those tests.
 */
export const compareArms = (arms: readonly Arm[], settings: LearningSettings): Verdict => {
  const eligible = arms.filter((a) => a.n >= settings.minPerArm && a.n > 0);
  if (eligible.length < 2) {
    const smallest = [...arms].sort((a, b) => a.n - b.n)[0] ?? null;
    return { kind: 'not_enough_data', minPerArm: settings.minPerArm, smallest: smallest && { name: smallest.name, n: smallest.n } };
  }
  const rate = (a: Arm) => a.successes / a.n;
  const leader = eligible.reduce((best, a) => (rate(a) > rate(best) ? a : best));
  const others = eligible.filter((a) => a !== leader);
  const level = settings.alpha / others.length;
  const ps = others.map((o) => ({ o, ...twoProportionTest(leader.successes, leader.n, o.successes, o.n) }));
  const p = Math.max(...ps.map((t) => t.p));
  const beatsAll = ps.every((t) => t.z > 0 && t.p < level);
  return beatsAll ? { kind: 'winner', winner: leader.name, against: others.map((o) => o.name), p, alpha: settings.alpha } : { kind: 'no_winner', leader: leader.name, p, alpha: settings.alpha };
};

export const pct1 = (v: number) => `${(v * 100).toFixed(1)}`;
const formatArm = (a: ArmStats) => `${a.rate === null ? 'n/a' : `${pct1(a.rate)} %`} [${pct1(a.interval.low)}, ${pct1(a.interval.high)}]`;
const formatP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/**
 * The verdict in one line: "B wins replies: 12.0 % [9.1, 15.6] vs 6.0 % [4.0, 8.9], p = 0.003",
 * "no winner for replies: A 5.0 % [..] vs B 6.0 % [..], p = 0.410 (needs p < 0.05)" or
 * "not enough data for replies: 14 of 100 sends needed per arm".
 */
export const verdictText = (metric: string, verdict: Verdict, arms: readonly ArmStats[], nameOf: (name: string) => string = (n) => n): string => {
  if (verdict.kind === 'not_enough_data')
    return `not enough data for ${metric}: ${verdict.smallest ? `${verdict.smallest.n} of ` : ''}${verdict.minPerArm} sends needed per arm${verdict.smallest ? ` (${nameOf(verdict.smallest.name)})` : ''}`;
  const byName = new Map(arms.map((a) => [a.name, a]));
  if (verdict.kind === 'winner') {
    const w = byName.get(verdict.winner)!;
    const rest = verdict.against.map((n) => `${arms.length > 2 ? `${nameOf(n)} ` : ''}${formatArm(byName.get(n)!)}`).join(', ');
    return `${nameOf(verdict.winner)} wins ${metric}: ${formatArm(w)} vs ${rest}, ${formatP(verdict.p)}`;
  }
  const shown = arms.filter((a) => a.n > 0).map((a) => `${nameOf(a.name)} ${formatArm(a)}`);
  return `no winner for ${metric}: ${shown.join(' vs ')}, ${formatP(verdict.p)} (a winner needs p < ${verdict.alpha})`;
};
