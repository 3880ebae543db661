import { fnv1a32 } from '../stable-hash.js';

export type SubjectVariant = 'A' | 'B';

/**
 * The subject variant a lead's first e-mail uses, by a stable hash of the lead: the same lead always
 * gets the same variant for the same share. At the even split (`shareA` 0.5) it is the hash's
 * parity (even: A), as it always was; a shifted split moves only the leads it must: toward A, some
 * odd-hash leads (chosen by the hash's other bits) switch to A, so P(A) = shareA; toward B the same
 * with even-hash leads. Used by the OPERATOR (src/dispatch/operator.ts) and the learning report.
 */
export const subjectVariantOf = (leadId: string, shareA = 0.5): SubjectVariant => {
  const hash = fnv1a32(leadId);
  const even: SubjectVariant = hash % 2 === 0 ? 'A' : 'B';
  const u = (Math.floor(hash / 2) % 10_000) / 10_000;
  if (shareA > 0.5 && even === 'B' && u < (shareA - 0.5) * 2) return 'A';
  if (shareA < 0.5 && even === 'A' && u < (0.5 - shareA) * 2) return 'B';
  return even;
};

/**
 * Which variant a sent first e-mail was, from its frozen subject and the draft's subjects: `edited`
 * when a reviewer's approved edit went out (neither variant was tested), null when the subject
 * matches neither or both (identical variants test nothing).
 */
export const variantOfSentSubject = (sent: string | null, draft: { subjectA: string; subjectB: string; editedSubject: string | null }): SubjectVariant | 'edited' | null => {
  if (sent === null) return null;
  if (draft.editedSubject !== null && sent === draft.editedSubject) return 'edited';
  if (draft.subjectA === draft.subjectB) return null;
  if (sent === draft.subjectA) return 'A';
  if (sent === draft.subjectB) return 'B';
  return null;
};

/**
 * The share of first e-mails given subject A: 50/50 unless the reply rate has a declared winner,
 * then at most `maxShift` toward it (0.2: 70/30). Never 100/0, so the loser keeps being measured.
 */
export const subjectShareA = (winner: SubjectVariant | null, maxShift: number): number => {
  const shift = Math.min(Math.max(maxShift, 0), 0.45);
  return winner === 'A' ? 0.5 + shift : winner === 'B' ? 0.5 - shift : 0.5;
};
