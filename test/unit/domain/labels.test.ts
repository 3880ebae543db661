import { describe, expect, it } from 'vitest';
import { ANGLE_IDS } from '../../../src/domain/drafting/angles/index.js';
import { LEAD_STATUSES } from '../../../src/domain/signals/lead-status.js';
import { angleLabel, enrichmentChainLabel, eventLabel, guardLabel, judgeable, MIN_RATE_SAMPLE, rateWithCounts, statusLabel, tierLabel } from '../../../src/domain/labels.js';

describe('plain labels for stored codes (issue 21, item 7)', () => {
  it('tiers, angles, guards and enrichment chains read as words', () => {
    expect(tierLabel('tier_1')).toBe('Tier 1');
    expect(tierLabel(null)).toBe('No tier');
    expect(angleLabel('t1_executive_buyin')).toBe('Executive buy-in');
    expect(guardLabel('ramp_tier_filter:tier_1')).toBe('Ramp: tier 1 only');
    expect(guardLabel('domain_concentration_cap')).toBe('Per-domain cap of one batch');
    expect(guardLabel('brand_new_guard:some detail')).toBe('Brand new guard: some detail');
    expect(enrichmentChainLabel('apollo_match>bettercontact')).toBe('Apollo Match, then BetterContact');
  });

  it('every angle and every lead status has a label that is not its code', () => {
    for (const id of ANGLE_IDS) expect([id, angleLabel(id)]).not.toEqual([id, id]);
    for (const id of ANGLE_IDS) expect(angleLabel(id)).not.toMatch(/_|:/);
    for (const s of LEAD_STATUSES) expect(statusLabel(s)).not.toMatch(/_/);
  });

  it('timeline events in plain words', () => {
    expect(eventLabel('email_sent', 'instantly')).toBe('E-mail sent through Instantly');
    expect(eventLabel('email_sent', 'operator', { provider: 'instantly' })).toBe('E-mail sent through Instantly');
    expect(eventLabel('email_opened', 'instantly')).toBe('Opened');
    expect(eventLabel('email_replied', 'instantly', { replyClass: 'meeting_request' })).toBe('Replied: meeting request');
    expect(eventLabel('something_new', 'x')).toBe('Something new');
  });

  it('a rate always comes with its counts, and is judged only from the minimum sample', () => {
    expect(rateWithCounts(2, 3)).toBe('2 of 3 (66.7 %)');
    expect(rateWithCounts(0, 0)).toBe('none yet');
    expect(judgeable(3)).toBe(false);
    expect(judgeable(MIN_RATE_SAMPLE)).toBe(true);
  });
});
