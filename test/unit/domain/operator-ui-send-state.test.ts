import { describe, expect, it } from 'vitest';
import { guardOf, sendStateOf } from '../../../src/domain/sending/send-state.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const item = (over: Partial<Parameters<typeof sendStateOf>[0]>) => ({ status: 'sent', reason: null, notBefore: NOW, channel: 'instantly', campaignStatus: null, ...over });

describe('send states in words (issue 21)', () => {
  it('an e-mail in a draft Instantly campaign is not "sent"; an active campaign is "sending"; other channels are sent', () => {
    expect(sendStateOf(item({ campaignStatus: 'draft' }), NOW)).toEqual({ kind: 'handed_draft', label: 'handed to Instantly (draft campaign, not sending yet)' });
    expect(sendStateOf(item({ campaignStatus: 'paused' }), NOW).kind).toBe('handed_paused');
    expect(sendStateOf(item({ campaignStatus: 'active' }), NOW).kind).toBe('sending');
    expect(sendStateOf(item({ channel: 'heyreach' }), NOW)).toEqual({ kind: 'sent', label: 'sent' });
  });

  it('a refusal names its guard; a queued item in the future is deferred with until and why; uncertain needs a person', () => {
    expect(sendStateOf(item({ status: 'rejected', reason: 'ramp_tier_filter:tier_1' }), NOW).label).toBe('refused by ramp_tier_filter');
    expect(guardOf(null)).toBe('unknown');
    const later = new Date('2026-11-24T08:00:00Z');
    expect(sendStateOf(item({ status: 'queued', notBefore: later, reason: 'outside_business_hours' }), NOW)).toEqual({ kind: 'deferred', label: 'deferred until 2026-11-24T08:00:00.000Z (outside_business_hours)', until: later });
    expect(sendStateOf(item({ status: 'queued' }), NOW).kind).toBe('queued');
    expect(sendStateOf(item({ status: 'uncertain', reason: 'timeout' }), NOW).label).toBe('uncertain, needs a person: timeout');
    expect(sendStateOf(item({ status: 'failed', reason: 'bad request' }), NOW).label).toBe('failed: bad request');
  });
});
