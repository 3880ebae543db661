/** The reviewers' rejection taxonomy (spec/dashboard.md): a rejection must carry one of these. */
export const REJECTION_TAGS = [
  { id: 'personalization_mismatch', label: 'Personalization does not fit the person' },
  { id: 'icp_mismatch', label: 'Not our ideal customer' },
  { id: 'campaign_mismatch', label: 'Wrong campaign or angle' },
  { id: 'tone_style_issue', label: 'Tone or style' },
  { id: 'factual_inaccuracy', label: 'A fact is wrong' },
  { id: 'weak_subject', label: 'Weak subject line' },
  { id: 'weak_cta', label: 'Weak call to action' },
  { id: 'length_issue', label: 'Too long or too short' },
  { id: 'compliance_issue', label: 'Compliance (footer, consent, claims)' },
  { id: 'placeholder_or_rendering_issue', label: 'Placeholder or rendering problem' },
  { id: 'queue_hygiene_non_actionable', label: 'Queue hygiene: nothing to act on' },
  { id: 'other', label: 'Other' },
] as const;

export type RejectionTag = (typeof REJECTION_TAGS)[number]['id'];

export const isRejectionTag = (value: string): value is RejectionTag => REJECTION_TAGS.some((t) => t.id === value);
