import { splitFullName, type LeadProfile } from '../lead.js';
import type { Tier } from '../tier.js';
import { err, ok, type Result } from '../../lib/result.js';
import { ANGLES, type AngleId, type TemplateVariable } from './angles/index.js';
import { draftFingerprint } from './draft-fingerprint.js';
import { SEQUENCE_FOLLOW_UPS } from './follow-ups.js';
import type { Grounding } from './grounding.js';
import { personalizationHooks, type Hook } from './personalization-hooks.js';
import { personalizationOpening } from './personalization-opening.js';
import { renderTemplate } from './render-template.js';
import { selectAngle } from './select-angle.js';
import type { SenderSettings } from './settings.js';
import { enforceSignature } from './signature.js';
import { normalizeTitle } from './title.js';
import type { VisitMention } from './visit-mention.js';

export type DraftStep = { step: number; delayDays: number; channel: 'email'; subjectA: string; subjectB: string; body: string };

export type CraftedDraft = {
  angleId: AngleId;
  angleReason: string;
  subjectA: string;
  subjectB: string;
  body: string;
  followUps: DraftStep[];
  hooks: Hook[];
  grounding: Grounding[];
  fingerprint: string;
};

export type CraftSkip = { code: 'missing_email' | 'missing_first_name' | 'missing_company' | 'unfilled_variable'; reason: string };

/** `rejectedSubjects`: subjects reviewers rejected for this lead; a draft never leads with one again. */
export type CraftInput = {
  lead: LeadProfile;
  tier: Tier;
  recommendedCampaign?: string | null;
  rejectedAngleIds?: readonly string[];
  rejectedSubjects?: readonly string[];
  /** How a website visit may be used (`rb2b.mentionVisit`). @defaultValue never */
  visitMention?: VisitMention;
};

export { draftFingerprint } from './draft-fingerprint.js';

const provider = (lead: LeadProfile, field: string) => lead.provenance[field] ?? 'unknown';

/**
 * One first email (A/B subjects, one body) plus the two sequence follow-ups for a qualified lead.
 * A lead without an email, a first name or a company is skipped with a reason a person can act on.
 */
export const craftDraft = (input: CraftInput, sender: SenderSettings): Result<CraftedDraft, CraftSkip> => {
  const { lead } = input;
  if (!lead.email) return err({ code: 'missing_email', reason: 'no email address: nothing to draft to (reachable on LinkedIn only, if at all)' });
  const firstName = lead.firstName?.trim() || splitFullName(lead.fullName).firstName;
  const firstNameField = lead.firstName?.trim() ? 'firstName' : 'fullName';
  if (!firstName) return err({ code: 'missing_first_name', reason: 'no first name: a draft would have to open with a generic greeting' });
  const company = lead.company.name?.trim();
  if (!company) return err({ code: 'missing_company', reason: 'no company name: the draft could not say why we are writing' });

  const choice = selectAngle(input);
  const angle = ANGLES[choice.angleId];
  const hooks = personalizationHooks(lead);
  const opening = personalizationOpening(lead, company, hooks, input.visitMention);
  const title = normalizeTitle(lead.title);
  const values: Record<TemplateVariable, string | null> = { first_name: firstName, company, industry: lead.company.industry, title, opening: opening.sentence };

  const subjectA = renderTemplate(angle.subjectA, values);
  const subjectB = renderTemplate(angle.subjectB, values);
  const body = renderTemplate(angle.body, values);
  for (const part of [subjectA, subjectB, body]) {
    if (!part.ok) return err({ code: 'unfilled_variable', reason: `angle ${angle.id} needs ${part.error.variables.join(', ')}, which this lead lacks` });
  }
  if (!subjectA.ok || !subjectB.ok || !body.ok) throw new Error('unreachable');

  const followUps: DraftStep[] = [];
  for (const step of SEQUENCE_FOLLOW_UPS) {
    const stepValues = { first_name: firstName, company, original_subject: subjectA.value };
    const [a, b, text] = [renderTemplate(step.subjectA, stepValues), renderTemplate(step.subjectB, stepValues), renderTemplate(step.body, stepValues)];
    if (!a.ok || !b.ok || !text.ok) return err({ code: 'unfilled_variable', reason: `follow-up step ${step.step} could not be filled` });
    followUps.push({ step: step.step, delayDays: step.delayDays, channel: 'email', subjectA: a.value, subjectB: b.value, body: enforceSignature(text.value, sender) });
  }

  const used = new Set<TemplateVariable>(angle.variables);
  const grounding: Grounding[] = [
    { claim: 'first name', field: firstNameField, value: firstName, provider: provider(lead, firstNameField) },
    { claim: 'company name', field: 'company.name', value: company, provider: provider(lead, 'company.name') },
  ];
  if (used.has('industry') && lead.company.industry) grounding.push({ claim: 'industry', field: 'company.industry', value: lead.company.industry, provider: provider(lead, 'company.industry') });
  if (used.has('title') && title) grounding.push({ claim: 'job title', field: 'title', value: title, provider: provider(lead, 'title') });
  if (choice.angleId === 't1_hiring_trigger') grounding.push({ claim: 'hiring for AI roles', field: 'hiringSignal', value: 'true', provider: provider(lead, 'hiringSignal') });
  if (used.has('opening')) {
    for (const fact of opening.grounding) if (!grounding.some((g) => g.field === fact.field && g.value === fact.value)) grounding.push(fact);
  }

  const finalBody = enforceSignature(body.value, sender);
  // Rejection context: a subject a reviewer already rejected for this lead moves to the B slot.
  const rejectedSubjects = new Set((input.rejectedSubjects ?? []).map((x) => x.trim().toLowerCase()));
  const swap = rejectedSubjects.has(subjectA.value.trim().toLowerCase()) && !rejectedSubjects.has(subjectB.value.trim().toLowerCase());
  const [first, second] = swap ? [subjectB.value, subjectA.value] : [subjectA.value, subjectB.value];
  return ok({
    angleId: angle.id,
    angleReason: swap ? `${choice.reason}; subject A was rejected before, B leads` : choice.reason,
    subjectA: first,
    subjectB: second,
    body: finalBody,
    followUps,
    hooks,
    grounding,
    fingerprint: draftFingerprint(first, finalBody),
  });
};
