import { describe, expect, it } from 'vitest';
import { CADENCE_ACTIONS, craftCadenceFollowup, DEFAULT_SENDER_SETTINGS as SENDER } from '../../../../src/domain/drafting/index.js';
import { aProfile } from '../../../support/builders.js';

describe('cadence step copy per lead', () => {
  it('each e-mail step has its own copy: the subjects and bodies all differ, and only step 7 says goodbye', () => {
    const copies = CADENCE_ACTIONS.map((a) => craftCadenceFollowup(a, aProfile(), SENDER)!);
    expect(copies.map((c) => [c.action, c.step, c.day])).toEqual([
      ['value_followup', 3, 5],
      ['social_proof', 5, 10],
      ['breakup', 7, 17],
      ['close', 8, 21],
    ]);
    expect(new Set(copies.map((c) => c.subject)).size).toBe(4);
    expect(new Set(copies.map((c) => c.fingerprint)).size).toBe(4);
    const parting = /closing the loop|stop writing|last note|my last/i;
    expect(copies.filter((c) => parting.test(`${c.subject}\n${c.body}`)).map((c) => c.action)).toEqual(['breakup', 'close']);
    expect(copies.find((c) => c.day === 10)!.subject).toBe('A case study for Northwind Agency');
  });

  it("fills each template from the lead's own data and grounds every personal fact in its field and provider", () => {
    const c = craftCadenceFollowup('value_followup', aProfile({ firstName: 'Ines', company: { ...aProfile().company, name: 'Acme Staffing' } }), SENDER)!;
    expect(c.subject).toBe('Ines, a quick resource');
    expect(c.body).toMatch(/^Hi Ines,/);
    expect(c.body).toContain('Acme Staffing');
    expect(c.body).toContain(SENDER.physicalAddress);
    expect(c.grounding).toEqual([
      { claim: 'first name', field: 'firstName', value: 'Ines', provider: 'apollo_match' },
      { claim: 'company name', field: 'company.name', value: 'Acme Staffing', provider: 'apollo_match' },
    ]);
  });

  it('takes the first name from the full name, as a first draft does; without a name or a company there is no copy', () => {
    const fromFull = craftCadenceFollowup('close', aProfile({ firstName: null, fullName: 'Omar Haddad' }), SENDER)!;
    expect(fromFull.subject).toBe('Last note from me, Omar');
    expect(fromFull.grounding[0]).toMatchObject({ field: 'fullName', value: 'Omar' });
    expect(craftCadenceFollowup('close', aProfile({ firstName: null, fullName: null }), SENDER)).toBeNull();
    expect(craftCadenceFollowup('breakup', aProfile({ company: { ...aProfile().company, name: ' ' } }), SENDER)).toBeNull();
  });

  it('is deterministic: the same lead gives the same copy (what the batch shows is what goes out)', () => {
    expect(craftCadenceFollowup('social_proof', aProfile(), SENDER)).toEqual(craftCadenceFollowup('social_proof', aProfile(), SENDER));
  });
});
