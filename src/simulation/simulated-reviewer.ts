/**
 * The simulated reviewer (pure): a decision per draft and per pending batch, drawn at the
 * configured rates from the run's seed and the item's id, so a run is repeatable.
 */
import { randomFor } from './engagement-model.js';
import type { ReviewerSettings } from './settings.js';

export type DraftDecision = { kind: 'approve' } | { kind: 'edit'; subject: string } | { kind: 'reject'; tag: string; reason: string };

/** Approve, approve with an edited subject, or reject with one of the tags, at the normalised rates. */
export const decideDraft = (draft: { id: string; subjectA: string }, s: ReviewerSettings, seed: number): DraftDecision => {
  const random = randomFor(seed, `review:${draft.id}`);
  const total = s.approve + s.edit + s.reject;
  const r = random() * total;
  if (r < s.approve) return { kind: 'approve' };
  if (r < s.approve + s.edit) return { kind: 'edit', subject: editedSubject(draft.subjectA, random()) };
  const tag = s.tags[Math.floor(random() * s.tags.length)]!;
  return { kind: 'reject', tag, reason: `simulated reviewer: ${tag.replace(/_/g, ' ')}` };
};

/** A reviewer's edit of the subject, always a change: shorter, or turned into (or out of) a question. */
const editedSubject = (subject: string, r: number): string => {
  const trimmed = subject.trim();
  const words = trimmed.split(/\s+/);
  if (r < 0.5 && words.length > 4) return words.slice(0, 4).join(' ');
  return /\?$/.test(trimmed) ? trimmed.replace(/\?+$/, '') : `${trimmed.replace(/[.!]+$/, '')}?`;
};

/** Whether the person approves a pending batch (else rejects it). */
export const decideBatch = (batchId: string, s: ReviewerSettings, seed: number): boolean => randomFor(seed, `batch:${batchId}`)() < s.batchApprove;
