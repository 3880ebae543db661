import { describe, expect, it } from 'vitest';
import { cadenceStepCopy, type StepCopy } from '../../../src/dispatch/cadence-copy.js';
import type { DispatchDetail } from '../../../src/dispatch/ports.js';
import { DEFAULT_SENDER_SETTINGS as SENDER } from '../../../src/domain/drafting/index.js';
import type { LeadProfile } from '../../../src/domain/lead.js';
import { aProfile } from '../../support/builders.js';

const detail = (profile: LeadProfile = aProfile()): DispatchDetail => ({
  draftId: 'd1',
  leadId: 'l1',
  tier: 'tier_1',
  subjectA: 'A',
  subjectB: 'B',
  body: 'first body',
  editedSubject: null,
  editedBody: null,
  profile,
  payload: { firstName: profile.firstName, lastName: profile.lastName, companyName: profile.company.name, title: profile.title, email: 'maya@northwind.example.com' },
});
const INITIAL: StepCopy = { ok: true, subject: 'A', body: 'first body' };
const soft = { sender: SENDER, quality: { enabled: true, mode: 'soft' as const, maxRejections: 2, genericPhraseDensity: 0.4 } };
const hard = { ...soft, quality: { ...soft.quality, mode: 'hard' as const } };

describe('cadenceStepCopy', () => {
  it("the intro is the approved draft; a LinkedIn step carries none; later e-mail steps are crafted from the step's template", () => {
    expect(cadenceStepCopy(detail(), 'intro', 'instantly', INITIAL, soft)).toBe(INITIAL);
    expect(cadenceStepCopy(detail(), 'message', 'heyreach', INITIAL, soft)).toEqual({ ok: true, subject: null, body: null });
    const step5 = cadenceStepCopy(detail(), 'social_proof', 'instantly', INITIAL, soft);
    expect(step5).toMatchObject({ ok: true, subject: 'A case study for Northwind Agency' });
    const step8 = cadenceStepCopy(detail(), 'close', 'instantly', INITIAL, soft);
    expect(step8).toMatchObject({ ok: true, subject: 'Last note from me, Maya' });
  });

  it('refuses, with a reason, an action without a template and a lead whose data cannot fill it', () => {
    expect(cadenceStepCopy(detail(), 'follow_up', 'instantly', INITIAL, soft)).toEqual({ ok: false, reason: 'no_step_template' });
    expect(cadenceStepCopy(detail(aProfile({ firstName: null, fullName: null })), 'breakup', 'instantly', INITIAL, soft)).toEqual({ ok: false, reason: 'lead_data_missing' });
  });

  it('passes the quality guard as a first draft does: in hard mode a failing rule refuses the step and names the rule', () => {
    // A company name that is itself a generic phrase, against a strict density threshold: GUARD-005 fails.
    const synergy = aProfile({ company: { ...aProfile().company, name: 'Synergy Partners' } });
    const strict = { ...hard, quality: { ...hard.quality, genericPhraseDensity: 0.05 } };
    expect(cadenceStepCopy(detail(synergy), 'breakup', 'instantly', INITIAL, strict)).toEqual({ ok: false, reason: 'quality_guard: GUARD-005' });
    expect(cadenceStepCopy(detail(synergy), 'breakup', 'instantly', INITIAL, hard).ok).toBe(true);
    expect(cadenceStepCopy(detail(synergy), 'breakup', 'instantly', INITIAL, { ...strict, quality: { ...strict.quality, mode: 'soft' } }).ok).toBe(true);
  });
});
