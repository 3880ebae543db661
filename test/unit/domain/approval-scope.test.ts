import { describe, expect, it } from 'vitest';
import { approvalEnables, approvalEnablesFor, checkGrounding } from '../../../src/domain/approval/approval-scope.js';
import { loadConfig } from '../../../src/config/load.js';
import { aProfile } from '../../support/builders.js';

/** What approving a draft enables, from the tier routing and the cadence config (issue 21 item 3). */
describe('approval scope in words', () => {
  const steps = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: {}, values: {} }).cadence.steps;

  it('names the first touches of the tier routing and the default 21-day cadence', () => {
    expect(approvalEnables(['instantly', 'heyreach'], steps)).toBe('E-mail step 1 through Instantly; LinkedIn connection request through HeyReach; then the 21-day cadence (steps 3, 5, 7 and 8 by e-mail, 4 and 6 on LinkedIn).');
    // An e-mail-only tier gets no LinkedIn step; a tier routed nowhere is said to send nothing.
    expect(approvalEnables(['instantly'], steps)).toBe('E-mail step 1 through Instantly; then the 21-day cadence (steps 3, 5, 7 and 8 by e-mail).');
    expect(approvalEnables([], steps)).toContain('never sent');
    expect(approvalEnablesFor('revival', ['instantly'], steps, false)).toContain('GoHighLevel');
  });

  it('flags a personal claim whose value is not in the lead current data', () => {
    const profile = aProfile({ title: 'CEO' });
    const [tech, title, slot] = checkGrounding({ ...profile, company: { ...profile.company, technologies: ['HubSpot', 'Pipedrive'] } }, [
      { claim: 'runs Google Workspace', field: 'company.technologies', value: 'Google Workspace', provider: 'apollo' },
      { claim: 'job title', field: 'title', value: 'ceo', provider: 'apollo' },
      { claim: 'free slot', field: 'calendar.free_slots', value: 'Tue 10:00', provider: 'ghl' },
    ]);
    expect(tech).toMatchObject({ matches: false, current: 'HubSpot, Pipedrive' });
    expect(title).toMatchObject({ matches: true });
    expect(slot).toMatchObject({ matches: null });
  });
});
