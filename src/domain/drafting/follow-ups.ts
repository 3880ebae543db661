import { splitFullName, type LeadProfile } from '../lead.js';
import { draftFingerprint } from './draft-fingerprint.js';
import type { Grounding } from './grounding.js';
import { renderTemplate } from './render-template.js';
import type { SenderSettings } from './settings.js';
import { enforceSignature } from './signature.js';

type StepTemplate = { step: number; delayDays: number; subjectA: string; subjectB: string; body: string };

/** Sequence steps 2 and 3 after the first email; the A and B subjects differ in words, not just order. */
export const SEQUENCE_FOLLOW_UPS: StepTemplate[] = [
  {
    step: 2,
    delayDays: 3,
    subjectA: 'Re: {{original_subject}}',
    subjectB: '{{first_name}}, a quick AI readiness question',
    body: `Hi {{first_name}},

Following up on my note about {{company}}. If a call feels like too much, the two-minute AI-readiness self-audit might be a better first step: it points to the three workflows where most teams recover the most time.

Want me to send it?`,
  },
  {
    step: 3,
    delayDays: 7,
    subjectA: 'Closing the loop / {{company}}',
    subjectB: '{{first_name}}, should I close your file?',
    body: `Hi {{first_name}},

I have not heard back, so I will assume AI operations are not a priority at {{company}} right now, and this is my last note.

If that changes, a reply to this email is all it takes.`,
  },
];

export type CadenceAction = 'value_followup' | 'social_proof' | 'breakup' | 'close';

const CADENCE_TEMPLATES: Record<CadenceAction, { step: number; day: number; subject: string; body: string }> = {
  value_followup: {
    step: 3,
    day: 5,
    subject: '{{first_name}}, a quick resource',
    body: `Hi {{first_name}},

A resource rather than a pitch: our two-minute AI-readiness self-audit. Leaders use it to find the two or three workflows at companies like {{company}} where AI pays back first.

Shall I send the link?`,
  },
  social_proof: {
    step: 5,
    day: 10,
    subject: 'A case study for {{company}}',
    body: `Hi {{first_name}},

A short story that may be relevant to {{company}}: a 7-person pilot team raised productivity by 27 percent, and the wider 150-person firm recovered more than 300 hours in its first 30 days.

I can send the one-page write-up, or walk you through it on a call.`,
  },
  breakup: {
    step: 7,
    day: 17,
    subject: 'Closing the loop / {{company}}',
    body: `Hi {{first_name}},

I will take the silence as a sign that this is not a priority for {{company}} right now, so I will stop writing about it.

If the timing changes, just reply and I will pick it up from there.`,
  },
  close: {
    step: 8,
    day: 21,
    subject: 'Last note from me, {{first_name}}',
    body: `Hi {{first_name}},

One last question, and a one-word answer is perfect: is AI operations at {{company}} a Yes, a No, or a Not yet?`,
  },
};

/**
 * One cadence step's copy for one lead. `grounding` names every personal fact the copy states and
 * where it came from, as a first draft's does; `fingerprint` is the copy's identity (case and
 * spacing do not count), so rejection memory and the quality guard treat it like a first draft.
 */
export type CadenceFollowup = { subject: string; body: string; action: CadenceAction; step: number; day: number; grounding: Grounding[]; fingerprint: string };

export const isCadenceAction = (action: string): action is CadenceAction => Object.hasOwn(CADENCE_TEMPLATES, action);

/** The e-mail actions that have a step template, in cadence order. */
export const CADENCE_ACTIONS = Object.keys(CADENCE_TEMPLATES) as CadenceAction[];

const provider = (lead: LeadProfile, field: string) => lead.provenance[field] ?? 'unknown';

/**
 * The cadence's email touches, crafted per lead from the step's template. Returns null for actions
 * that are not emails (`intro` is the first draft; `connect` and `message` are LinkedIn) and when
 * the lead lacks a first name (the full name's first word stands in, as in a first draft) or a
 * company: a step is never sent with an empty greeting.
 */
export const craftCadenceFollowup = (action: string, lead: LeadProfile, sender: SenderSettings): CadenceFollowup | null => {
  if (!isCadenceAction(action)) return null;
  const t = CADENCE_TEMPLATES[action];
  const firstName = lead.firstName?.trim() || splitFullName(lead.fullName).firstName;
  const firstNameField = lead.firstName?.trim() ? 'firstName' : 'fullName';
  const company = lead.company.name?.trim() || null;
  const values = { first_name: firstName, company };
  const subject = renderTemplate(t.subject, values);
  const body = renderTemplate(t.body, values);
  if (!subject.ok || !body.ok || !firstName || !company) return null;
  const text = enforceSignature(body.value, sender);
  const grounding: Grounding[] = [
    { claim: 'first name', field: firstNameField, value: firstName, provider: provider(lead, firstNameField) },
    { claim: 'company name', field: 'company.name', value: company, provider: provider(lead, 'company.name') },
  ];
  return {
    subject: subject.value,
    body: text,
    action,
    step: t.step,
    day: t.day,
    grounding,
    fingerprint: draftFingerprint(subject.value, text),
  };
};
