/**
 * The ports of the review and Gatekeeper use cases; store/review-repo.ts and store/batches-repo.ts
 * implement them.
 */
import type { BatchMotion, BatchStatus, ScopeItem } from '../domain/approval/batch.js';
import type { DraftStatus, ReviewEvent } from '../domain/approval/draft-status.js';
import type { LeadProfile } from '../domain/lead.js';
import type { RejectionMemory, StoredDraft } from './ports.js';

export type ReviewDraft = StoredDraft & {
  decidedBy: string | null;
  decidedAt: Date | null;
  editedSubject: string | null;
  editedBody: string | null;
  lead: { id: string; email: string | null; name: string | null; title: string | null; company: string | null; tier: string | null; points: number | null; profile: LeadProfile };
};

export type RejectionRecord = { draftId: string; tag: string; reason: string; fingerprint: string; angleId: string; subject: string; rejectedBy: string; rejectedAt: Date };

export type Decision = {
  draftId: string;
  from: readonly DraftStatus[];
  to: DraftStatus;
  event: ReviewEvent;
  by: string;
  at: Date;
  edit?: { subject: string; body: string };
  rejection?: { tag: string; reason: string };
};

/** Back to pending_review from one of `from`; with `decidedAt`, only if that decision is still the draft's last. */
export type Reopening = { draftId: string; from: readonly DraftStatus[]; decidedAt?: Date; at: Date };

export type ReviewCounts = { waiting: number; approvedToday: number; rejectedToday: number };

export interface ReviewStore {
  queue(filter: { tier?: string | undefined; angleId?: string | undefined; verdict?: 'passed' | 'failed' | undefined; limit: number }): Promise<ReviewDraft[]>;
  get(draftId: string): Promise<ReviewDraft | null>;
  /** Apply a decision only if the draft is still in one of `from`; false when it was not. */
  decide(d: Decision): Promise<boolean>;
  /** Reopen a decided draft, only if no live batch holds it; false when it was not reopened. */
  reopen(r: Reopening): Promise<boolean>;
  batched(draftId: string): Promise<boolean>;
  decidedSince(since: Date, limit: number): Promise<ReviewDraft[]>;
  reviewCounts(since: Date): Promise<ReviewCounts>;
  memoryFor(leadIds: string[], since: Date): Promise<Map<string, RejectionMemory>>;
  rejectionsOf(leadId: string): Promise<RejectionRecord[]>;
  /** For many leads at once (the review page's cards): the latest score's reasons and every rejection, two reads in all. */
  cardFactsOf(leadIds: readonly string[]): Promise<Map<string, CardFacts>>;
}

/** What a review card shows beside the draft: why the lead scored, and the drafts rejected for it before. */
export type CardFacts = { reasons: string[]; rejections: RejectionRecord[] };

export type Batch = {
  id: string;
  motion: BatchMotion;
  status: BatchStatus;
  scope: ScopeItem[];
  previewHash: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  executedAt: Date | null;
  executionReport: Record<string, unknown> | null;
};

/** `angleId`: the draft's angle, `revival` for a revival e-mail (those go in revival batches only). */
export type ApprovedDraft = { draftId: string; leadId: string; tier: string | null; email: string | null; linkedinUrl: string | null; angleId?: string };

export interface BatchStore {
  insert(b: Omit<Batch, 'id' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'executedAt' | 'executionReport'>): Promise<Batch>;
  get(id: string): Promise<Batch | null>;
  list(limit: number): Promise<Batch[]>;
  /**
   * Batches pending approval or approved. With `at`: only those still live at `at` and the expired
   * ones whose expiry is not announced yet (an expired, announced batch is read by no one: the
   * scopes skip expired batches and the approval watcher has nothing left to say of it).
   */
  open(at?: Date): Promise<Batch[]>;
  /** Move the batch only if it is still `from`. */
  transition(id: string, from: BatchStatus, set: Partial<Pick<Batch, 'status' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'executedAt' | 'executionReport'>>): Promise<boolean>;
  approvedDrafts(): Promise<ApprovedDraft[]>;
  draftStatuses(ids: string[]): Promise<Map<string, string>>;
  /** True for exactly one caller: the one that records that the batch's expiry was announced. */
  claimExpiryNotice(id: string, at: Date): Promise<boolean>;
}

// ---- what people drive (the CLI, the dashboard and its API) ---------------------------------

export type ApproveInput = {
  draftId: string;
  by: string;
  /** The status the reviewer saw; a draft that changed since is refused as stale. @defaultValue pending_review */
  expectedStatus?: DraftStatus;
  edit?: { subject?: string | undefined; body?: string | undefined } | undefined;
};
export type RejectInput = { draftId: string; by: string; reason: string; tag: string; expectedStatus?: DraftStatus };

/** The review decisions (pipeline/review-draft.ts) as the dashboard and its API use them. */
export type ReviewDecisions = {
  list(filter?: { tier?: string; angleId?: string; verdict?: 'passed' | 'failed'; limit?: number }): Promise<ReviewDraft[]>;
  show(draftId: string): Promise<{ draft: ReviewDraft; rejections: RejectionRecord[] }>;
  /** The score reasons and rejection history of many drafts' leads in two reads, not two per draft (the review page). */
  cardFacts(drafts: readonly ReviewDraft[]): Promise<Map<string, CardFacts>>;
  approve(input: ApproveInput): Promise<ReviewDraft>;
  reject(input: RejectInput): Promise<ReviewDraft>;
  /** Revert a decision within the undo window (10 s), if the draft is not yet batched. */
  undo(input: { draftId: string; by: string }): Promise<ReviewDraft>;
  /** Put a draft decided earlier back in the queue, if it is not yet batched. */
  reopen(input: { draftId: string; by: string }): Promise<ReviewDraft>;
  /** Drafts decided since the start of today (UTC), newest first, and the counters. */
  decidedToday(limit?: number): Promise<{ since: Date; drafts: ReviewDraft[]; counts: ReviewCounts }>;
};

/** The Gatekeeper's batch decisions (pipeline/gatekeeper.ts) as the dashboard and its API use them. */
export type BatchDecisions = {
  list(limit?: number): Promise<Batch[]>;
  show(id: string): Promise<Batch>;
  approve(id: string, by: string): Promise<Batch>;
  reject(id: string, by: string, reason: string): Promise<Batch>;
};
