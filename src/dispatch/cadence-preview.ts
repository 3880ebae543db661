import type { CadenceStep } from '../domain/cadence/index.js';
import type { LeadProfile } from '../domain/lead.js';
import { cadenceStepCopy, type CadenceCopySettings } from './cadence-copy.js';
import type { DispatchDetail } from './ports.js';

/**
 * One e-mail step of the cadence as it would go out for a lead if it were due today: the intro is
 * the approved first draft (shown with the draft itself), every later step is crafted now from its
 * step template and the lead's data (`cadenceStepCopy`, the function the batch uses), or refused
 * with the reason the batch would give. Crafted again when the step comes due, from the lead's data
 * then: a preview, not a record (docs/drafting.md "What `caio leads show` shows of the cadence").
 */
export type CadenceStepPreview = { step: number; day: number; action: string } & ({ kind: 'first_draft' } | { kind: 'crafted'; subject: string; body: string } | { kind: 'refused'; reason: string });

/** The e-mail steps of `steps` for a lead with this profile, in step order. */
export const cadenceEmailPreview = (profile: LeadProfile, steps: readonly CadenceStep[], settings: CadenceCopySettings): CadenceStepPreview[] => {
  // Only the profile is read for a crafted step; the draft's fields matter for the intro alone, shown with the draft.
  const detail: DispatchDetail = { draftId: '', leadId: '', tier: null, subjectA: '', subjectB: '', body: '', editedSubject: null, editedBody: null, profile, payload: {} };
  const intro = { ok: true as const, subject: null, body: null };
  return [...steps]
    .filter((s) => s.channel === 'email')
    .sort((a, b) => a.step - b.step)
    .map((s): CadenceStepPreview => {
      const at = { step: s.step, day: s.day, action: s.action };
      if (s.action === 'intro') return { ...at, kind: 'first_draft' };
      const copy = cadenceStepCopy(detail, s.action, 'instantly', intro, settings);
      if (!copy.ok) return { ...at, kind: 'refused', reason: copy.reason };
      return { ...at, kind: 'crafted', subject: copy.subject ?? '', body: copy.body ?? '' };
    });
};
