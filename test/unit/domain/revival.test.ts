import { describe, expect, it } from 'vitest';
import { daysInactive, pipelineStageOf, revivalVerdict, type RevivalInput } from '../../../src/domain/revival/index.js';

const NOW = new Date('2026-11-30T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const SETTINGS = { minInactiveDays: 30, maxInactiveDays: 120, excludeTags: ['do-not-contact', 'competitor', 'unsubscribed'] };
const contact = (over: Partial<RevivalInput> = {}): RevivalInput => ({
  email: 'a@b.example.com',
  tags: [],
  lastActivity: daysAgo(45),
  status: 'ghosted',
  opens: 0,
  replies: 0,
  tier: null,
  linkedinConnected: false,
  lastWebsiteVisitAt: null,
  ...over,
});

describe('revival scoring (spec/operator.md)', () => {
  it('keeps contacts 30-120 days inactive with an e-mail, no excluded tag (any case) and a revivable status', () => {
    expect(revivalVerdict(contact({ lastActivity: daysAgo(29) }), SETTINGS, NOW)).toMatchObject({ eligible: false, why: 'too_recent' });
    expect(revivalVerdict(contact({ lastActivity: daysAgo(121) }), SETTINGS, NOW)).toMatchObject({ eligible: false, why: 'too_old' });
    expect(revivalVerdict(contact({ lastActivity: null }), SETTINGS, NOW)).toMatchObject({ eligible: false, why: 'too_old', daysInactive: 999 });
    expect(revivalVerdict(contact({ email: null }), SETTINGS, NOW)).toMatchObject({ eligible: false, why: 'no_email' });
    expect(revivalVerdict(contact({ tags: ['Do-Not-Contact'] }), SETTINGS, NOW)).toMatchObject({ eligible: false, why: 'excluded_tag' });
    for (const status of ['bounced', 'unsubscribed', 'disqualified', 'sent', 'opened', 'revival_queued']) expect(revivalVerdict(contact({ status }), SETTINGS, NOW)).toMatchObject({ eligible: false, why: 'not_revivable' });
  });

  it('scores by past engagement, boosts tier 1 and a LinkedIn connection, decays with age, and a recent website visit lifts to 0.92', () => {
    expect(revivalVerdict(contact({ status: null, tier: 'tier_1' }), SETTINGS, NOW)).toMatchObject({ score: 0.3, reason: 'never_engaged' });
    expect(revivalVerdict(contact({ status: 'replied' }), SETTINGS, NOW)).toMatchObject({ score: 0.8, reason: 'previously_replied' });
    expect(revivalVerdict(contact({ status: 'stalled', tier: 'tier_1', linkedinConnected: true }), SETTINGS, NOW)).toMatchObject({ score: 0.75, reason: 'opened_only' });
    expect(revivalVerdict(contact({ status: 'ghosted', lastActivity: daysAgo(61) }), SETTINGS, NOW)).toMatchObject({ score: 0.315, reason: 'ghosted' });
    expect(revivalVerdict(contact({ status: 'replied', lastActivity: daysAgo(91) }), SETTINGS, NOW)).toMatchObject({ score: 0.64 });
    expect(revivalVerdict(contact({ lastWebsiteVisitAt: daysAgo(3) }), SETTINGS, NOW)).toMatchObject({ score: 0.92, reason: 'website_revisit' });
    expect(revivalVerdict(contact({ lastWebsiteVisitAt: daysAgo(31) }), SETTINGS, NOW)).toMatchObject({ reason: 'ghosted' });
  });

  it('applies the pipeline-stage filter only when stages are configured (the original never applied it)', () => {
    expect(revivalVerdict(contact({ pipelineStage: 'Warm' }), SETTINGS, NOW)).toMatchObject({ eligible: true });
    const cold = { ...SETTINGS, pipelineStages: ['Cold', 'Lost', 'Nurture'] };
    expect(revivalVerdict(contact({ pipelineStage: 'lost' }), cold, NOW)).toMatchObject({ eligible: true });
    expect(revivalVerdict(contact({ pipelineStage: 'Warm' }), cold, NOW)).toMatchObject({ eligible: false, why: 'stage_not_scanned' });
    expect(revivalVerdict(contact({ pipelineStage: null }), cold, NOW)).toMatchObject({ eligible: false, why: 'stage_not_scanned' });
    expect(pipelineStageOf('Nurture', ['hot'])).toBe('Nurture');
    expect(pipelineStageOf(null, ['vip', 'Cold'])).toBe('Cold');
    expect(pipelineStageOf('  ', ['vip'])).toBeNull();
  });

  it('counts whole days', () => {
    expect(daysInactive(new Date(NOW.getTime() - 30 * 86_400_000 + 1), NOW)).toBe(29);
    expect(daysInactive(daysAgo(30), NOW)).toBe(30);
  });
});
