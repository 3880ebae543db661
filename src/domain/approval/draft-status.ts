import { err, ok, type Result } from '../../lib/result.js';

export const DRAFT_STATUSES = ['pending_review', 'approved', 'rejected', 'superseded', 'sent'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];
export type ReviewEvent = 'approve' | 'reject' | 'supersede' | 'send' | 'reopen';

/**
 * Review moves a draft only from `pending_review`. A rejected draft is never approved (the lead is
 * re-drafted as a new version instead); an approved draft may still be rejected until it is sent.
 * A decided draft may be reopened (undo, or reopen) back to `pending_review` until it is batched.
 */
const TRANSITIONS: Record<DraftStatus, Partial<Record<ReviewEvent, DraftStatus>>> = {
  pending_review: { approve: 'approved', reject: 'rejected', supersede: 'superseded' },
  // reopen: an undo or a reopen from "decided today" puts the draft back in the queue (review-draft.ts
  // refuses it once the draft is in a batch).
  approved: { reject: 'rejected', send: 'sent', reopen: 'pending_review' },
  rejected: { reopen: 'pending_review' },
  superseded: {},
  sent: {},
};

export type IllegalReviewMove = { code: 'illegal_transition'; from: DraftStatus; event: ReviewEvent; message: string };

const WHY: Partial<Record<DraftStatus, string>> = {
  rejected: 'it was rejected; re-run the pipeline to draft a new version',
  superseded: 'a newer version replaced it',
  sent: 'it was already sent',
};

export const reviewTransition = (from: DraftStatus, event: ReviewEvent): Result<DraftStatus, IllegalReviewMove> => {
  const to = TRANSITIONS[from][event];
  return to ? ok(to) : err({ code: 'illegal_transition', from, event, message: `cannot ${event} a draft that is ${from}${WHY[from] ? `: ${WHY[from]}` : ''}` });
};

/** The statuses from which `event` is allowed, for a guarded UPDATE … WHERE status IN (…). */
export const statusesAllowing = (event: ReviewEvent): DraftStatus[] => DRAFT_STATUSES.filter((s) => TRANSITIONS[s][event] !== undefined);
