import { describe, expect, it } from 'vitest';
import { buildLearningReport, type LeadOutcome, type LearningReportSettings } from '../../../../src/domain/learning/report.js';
import { subjectShareA, subjectVariantOf, variantOfSentSubject } from '../../../../src/domain/learning/variant.js';
import { fnv1a32 } from '../../../../src/domain/stable-hash.js';

/** mulberry32: a small seeded PRNG, so the planted data is the same on every run. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const SETTINGS: LearningReportSettings = { alpha: 0.05, minPerArm: 100, minOutcomesForFit: 30, autoShift: true, maxShift: 0.2 };

/** Leads whose variant comes from the OPERATOR's own choice; B's true reply rate is twice A's (4 % vs 8 %), opens equal. */
const planted = (leads: number, seed: number): LeadOutcome[] => {
  const random = seeded(seed);
  return Array.from({ length: leads }, (_, i) => {
    const leadId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const variant = subjectVariantOf(leadId);
    const replied = random() < (variant === 'B' ? 0.08 : 0.04);
    return { leadId, angle: i % 3 === 0 ? 't1_executive_buyin' : 't1_industry_specific', variant, opened: replied || random() < 0.4, replied, meeting: replied && random() < 0.3, components: null };
  });
};

describe('a planted winner subject', () => {
  it('is not named while the data cannot support it, and is found once it can', () => {
    const window = { since: '2026-11-01', until: '2026-11-30' };
    // 120 leads: about 60 per arm, under the 100 needed: not enough data, whatever the counts.
    const small = buildLearningReport(planted(120, 7), window, SETTINGS);
    expect(small.variants.comparison.reply.verdict.kind).toBe('not_enough_data');
    expect(small.variants.comparison.reply.text).toMatch(/^not enough data for replies: \d+ of 100 sends needed per arm/);
    expect(small.traffic).toEqual({ winner: null, shareA: 0.5, applied: true });
    // 6,000 leads: about 3,000 per arm; a 4-point gap at that size is about 6.5 standard errors.
    const large = buildLearningReport(planted(6000, 7), window, SETTINGS);
    expect(large.variants.comparison.reply.verdict).toMatchObject({ kind: 'winner', winner: 'B', against: ['A'] });
    expect(large.variants.comparison.reply.text).toMatch(/^B wins replies: [\d.]+ % \[[\d.]+, [\d.]+\] vs [\d.]+ % \[[\d.]+, [\d.]+\], p < 0\.001$/);
    // Opens were planted equal: a winner there would be a false alarm.
    expect(large.variants.comparison.open.verdict.kind).not.toBe('winner');
    expect(large.traffic).toEqual({ winner: 'B', shareA: 0.3, applied: true });
    const [a, b] = large.variants.comparison.reply.arms;
    expect([a!.name, b!.name]).toEqual(['A', 'B']);
    expect(a!.interval.high).toBeLessThan(b!.interval.low);
  });

  it('as the data grows, the verdict goes from "not enough data" to the true winner and never to the loser', () => {
    const all = planted(8000, 11);
    const verdicts = [150, 400, 800, 1600, 3200, 6400, 8000].map((n) => buildLearningReport(all.slice(0, n), { since: 'x', until: 'y' }, SETTINGS).variants.comparison.reply.verdict);
    expect(verdicts[0]!.kind).toBe('not_enough_data');
    expect(verdicts.some((v) => v.kind === 'winner' && v.winner === 'A')).toBe(false);
    expect(verdicts.at(-1)).toMatchObject({ kind: 'winner', winner: 'B' });
  });

  it('with no true difference, names no winner even with a lot of data', () => {
    const random = seeded(3);
    const same = Array.from({ length: 6000 }, (_, i) => {
      const leadId = `lead-${i}`;
      return { leadId, angle: 'a', variant: subjectVariantOf(leadId), opened: false, replied: random() < 0.06, meeting: false, components: null };
    });
    expect(buildLearningReport(same, { since: 'x', until: 'y' }, SETTINGS).variants.comparison.reply.verdict.kind).toBe('no_winner');
  });
});

describe('the subject variant', () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `lead-${i}-${i * 7919}`);
  it('at 50/50 is the hash parity the OPERATOR always used', () => {
    for (const id of ids.slice(0, 500)) expect(subjectVariantOf(id)).toBe(fnv1a32(id) % 2 === 0 ? 'A' : 'B');
  });
  it('a shift moves the share by about the amount asked, and only leads toward the favoured variant', () => {
    const shareOfA = (share: number) => ids.filter((id) => subjectVariantOf(id, share) === 'A').length / ids.length;
    expect(shareOfA(0.7)).toBeGreaterThan(0.68);
    expect(shareOfA(0.7)).toBeLessThan(0.72);
    expect(shareOfA(0.3)).toBeGreaterThan(0.28);
    expect(shareOfA(0.3)).toBeLessThan(0.32);
    for (const id of ids.slice(0, 2000)) {
      if (subjectVariantOf(id) === 'A') expect(subjectVariantOf(id, 0.7)).toBe('A');
      if (subjectVariantOf(id) === 'B') expect(subjectVariantOf(id, 0.3)).toBe('B');
    }
  });
  it('the share is bounded, and 50/50 without a winner', () => {
    expect(subjectShareA(null, 0.2)).toBe(0.5);
    expect(subjectShareA('A', 0.2)).toBe(0.7);
    expect(subjectShareA('B', 0.9)).toBeCloseTo(0.05, 10);
  });
  it('is read back from the sent subject; an edited subject or identical variants test nothing', () => {
    const draft = { subjectA: 'Quick idea', subjectB: 'A question', editedSubject: null };
    expect(variantOfSentSubject('Quick idea', draft)).toBe('A');
    expect(variantOfSentSubject('A question', draft)).toBe('B');
    expect(variantOfSentSubject('Something else', draft)).toBeNull();
    expect(variantOfSentSubject('Mine', { ...draft, editedSubject: 'Mine' })).toBe('edited');
    expect(variantOfSentSubject('Same', { subjectA: 'Same', subjectB: 'Same', editedSubject: null })).toBeNull();
  });
});
