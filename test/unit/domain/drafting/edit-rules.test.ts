import { describe, expect, it } from 'vitest';
import { craftReplyDraft, DEFAULT_SENDER_SETTINGS, editRulesFor, REVIVAL_ANGLE_ID } from '../../../../src/domain/drafting/index.js';
import { aProfile } from '../../../support/builders.js';

const lead = aProfile({ firstName: 'Jo', email: 'jo@acme.example.com' });
const answer = (channel: 'email' | 'linkedin') =>
  craftReplyDraft({ lead, reply: { class: 'objection', kind: 'budget', excerpt: 'No budget this year.', evidence: ['No budget'], channel, proposedTimes: [], subject: null }, offer: null }, DEFAULT_SENDER_SETTINGS);

describe('editRulesFor: an edit is checked by the rules of its draft kind', () => {
  it('a first touch or a revival: footer and the quality guard', () => {
    expect(editRulesFor({ angleId: 'pain_point', grounding: [] })).toMatchObject({ kind: 'first_touch', footer: true, qualityGuard: true, reviewerPlaceholder: false });
    expect(editRulesFor({ angleId: REVIVAL_ANGLE_ID, grounding: [] })).toMatchObject({ footer: true, qualityGuard: true });
  });

  it('a suggested answer: no guard; the footer only by e-mail, read from the grounding CRAFTER wrote', () => {
    const email = answer('email');
    const linkedin = answer('linkedin');
    if (!email.ok || !linkedin.ok) throw new Error('crafting failed');
    expect(editRulesFor(email.value)).toEqual({ kind: 'reply', channel: 'email', footer: true, qualityGuard: false, reviewerPlaceholder: true });
    expect(editRulesFor(linkedin.value)).toEqual({ kind: 'reply', channel: 'linkedin', footer: false, qualityGuard: false, reviewerPlaceholder: true });
  });

  it('an answer to a GoHighLevel nurture reply is an e-mail: the footer is kept', () => {
    const ghl = { claim: 'their reply', field: 'reply.question', value: 'How does it work?', provider: 'ghl' };
    expect(editRulesFor({ angleId: 'reply:question', grounding: [ghl] })).toEqual({ kind: 'reply', channel: 'email', footer: true, qualityGuard: false, reviewerPlaceholder: true });
    expect(editRulesFor({ angleId: 'reply:question', grounding: [{ ...ghl, provider: 'heyreach' }] })).toMatchObject({ channel: 'linkedin', footer: false });
  });

  it('an answer whose channel cannot be read gets the stricter e-mail rules', () => {
    expect(editRulesFor({ angleId: 'reply:question', grounding: [] })).toMatchObject({ channel: 'email', footer: true });
  });
});
