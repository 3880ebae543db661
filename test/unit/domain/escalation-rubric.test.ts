import { describe, expect, it } from 'vitest';
import { assessEscalation, describeLevel, ESCALATION_THRESHOLDS, escalationLevel, type Incident } from '../../../src/domain/escalation/rubric.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const MIN = 60_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const incident = (over: Partial<Incident> = {}): Incident => ({
  key: 'provider:apollo:unavailable',
  kind: 'provider_unavailable',
  title: 'Apollo unavailable',
  detail: 'discovery requests fail with 503',
  since: NOW,
  leadsAffected: 0,
  sendingAffected: false,
  ...over,
});

describe('escalation rubric', () => {
  it('exports the thresholds it documents', () => {
    expect(ESCALATION_THRESHOLDS).toEqual({
      level3: { criticalKinds: ['emergency_stop', 'campaign_paused'], sendingMinutes: 30, leads: 100 },
      level2: { minutes: 15, leads: 25 },
    });
  });

  it('a fresh, small failure is level 1', () => {
    expect(escalationLevel(incident(), NOW)).toBe(1);
    expect(assessEscalation(incident(), NOW)).toEqual({ level: 1, minutes: 0, reasons: ['just started'] });
  });

  it('duration: level 2 from 15 min, not a millisecond before', () => {
    expect(escalationLevel(incident({ since: ago(15 * MIN - 1) }), NOW)).toBe(1);
    expect(escalationLevel(incident({ since: ago(15 * MIN) }), NOW)).toBe(2);
    // Without sending affected, duration alone never reaches level 3.
    expect(escalationLevel(incident({ since: ago(24 * 60 * MIN) }), NOW)).toBe(2);
  });

  it('leads: level 2 from 25, level 3 from 100', () => {
    expect(escalationLevel(incident({ leadsAffected: 24 }), NOW)).toBe(1);
    expect(escalationLevel(incident({ leadsAffected: 25 }), NOW)).toBe(2);
    expect(escalationLevel(incident({ leadsAffected: 99 }), NOW)).toBe(2);
    expect(escalationLevel(incident({ leadsAffected: 100 }), NOW)).toBe(3);
  });

  it('sending affected: level 2 from 15 min, level 3 from 30 min', () => {
    const sending = (ms: number) => incident({ kind: 'send_failures', sendingAffected: true, since: ago(ms) });
    expect(escalationLevel(sending(0), NOW)).toBe(1);
    expect(escalationLevel(sending(15 * MIN - 1), NOW)).toBe(1);
    expect(escalationLevel(sending(15 * MIN), NOW)).toBe(2);
    expect(escalationLevel(sending(30 * MIN - 1), NOW)).toBe(2);
    expect(escalationLevel(sending(30 * MIN), NOW)).toBe(3);
    expect(assessEscalation(sending(42 * MIN), NOW).reasons).toEqual(['sending affected for 42 min']);
  });

  it('an emergency stop or an automatic campaign pause is level 3 at once', () => {
    expect(escalationLevel(incident({ kind: 'emergency_stop' }), NOW)).toBe(3);
    expect(escalationLevel(incident({ kind: 'campaign_paused', sendingAffected: true }), NOW)).toBe(3);
    expect(assessEscalation(incident({ kind: 'emergency_stop' }), NOW).reasons).toEqual(['emergency stop is active']);
  });

  it('other kinds follow duration and leads only', () => {
    for (const kind of ['breaker_open', 'queue_backlog', 'jobs_failing', 'pipeline_failed'] as const) {
      expect(escalationLevel(incident({ kind }), NOW)).toBe(1);
      expect(escalationLevel(incident({ kind, leadsAffected: 100 }), NOW)).toBe(3);
    }
  });

  it('lists every reason that applies', () => {
    expect(assessEscalation(incident({ since: ago(20 * MIN), leadsAffected: 30 }), NOW)).toEqual({ level: 2, minutes: 20, reasons: ['failing for 20 min', '30 leads affected'] });
  });

  it('a start in the future (clock skew) counts as just started; negative leads as none', () => {
    expect(assessEscalation(incident({ since: new Date(NOW.getTime() + 5 * MIN), leadsAffected: -3 }), NOW)).toEqual({ level: 1, minutes: 0, reasons: ['just started'] });
  });

  it('describes the channels of each level', () => {
    expect(describeLevel(1)).toEqual(['slack']);
    expect(describeLevel(2)).toEqual(['slack', 'sms']);
    expect(describeLevel(3)).toEqual(['slack', 'sms', 'email']);
  });
});
