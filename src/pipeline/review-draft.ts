import { checkEdit } from '../domain/approval/check-edit.js';
import { draftFingerprint } from '../domain/drafting/craft-draft.js';
import { editRulesFor } from '../domain/drafting/edit-rules.js';
import { REVIEWER_PLACEHOLDER } from '../domain/drafting/reply-draft.js';
import { checkDraftQuality, type QualitySettings } from '../domain/quality/quality-guard.js';
import { reviewTransition, statusesAllowing, type DraftStatus, type ReviewEvent } from '../domain/approval/draft-status.js';
import { isRejectionTag, REJECTION_TAGS } from '../domain/approval/rejection-tags.js';
import type { SenderSettings } from '../domain/drafting/settings.js';
import { AppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { ApproveInput, RejectInput, ReviewDraft, ReviewStore } from './review-ports.js';
import type { AuditStore } from './ports.js';

export type ReviewDeps = { review: ReviewStore; audit: AuditStore; clock: Clock; sender: SenderSettings; quality: QualitySettings };

// The inputs are declared with the ports (the dashboard API drives these decisions too).
export type { ApproveInput, RejectInput } from './review-ports.js';

/** How long a decision can be undone (the dashboard's undo button); later, reopen it from "decided today". */
export const UNDO_WINDOW_MS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Review decisions, shared by the CLI and (later) the dashboard. Approving does not send: it makes
 * the draft eligible for dispatch through an approved batch. Every decision and every refusal is audited.
 */
export const createReviewService = (deps: ReviewDeps) => {
  const find = async (draftId: string): Promise<ReviewDraft> => {
    const draft = UUID.test(draftId.trim()) ? await deps.review.get(draftId.trim()) : null;
    if (!draft) throw new AppError('NOT_FOUND', `no draft ${draftId.trim()} (see: caio review list)`);
    return draft;
  };

  const refuse = async (draft: ReviewDraft, event: ReviewEvent, by: string, code: AppError['code'], message: string, details: Record<string, unknown> = {}): Promise<never> => {
    await deps.audit.append({ at: deps.clock.now(), actor: by, action: `review.${event}_refused`, entityType: 'draft', entityId: draft.id, runId: null, details: { reason: message, status: draft.status, ...details } });
    throw new AppError(code, message);
  };

  const decide = async (draft: ReviewDraft, event: ReviewEvent, by: string, expected: DraftStatus, extra: { edit?: { subject: string; body: string }; rejection?: { tag: string; reason: string } }) => {
    const move = reviewTransition(draft.status as DraftStatus, event);
    if (!move.ok) await refuse(draft, event, by, 'CONFLICT', move.error.message);
    if (draft.status !== expected) {
      await refuse(draft, event, by, 'CONFLICT', `the draft changed since it was shown: it is now ${draft.status}${draft.decidedBy ? ` (by ${draft.decidedBy})` : ''}, not ${expected}`);
    }
    const to = move.ok ? move.value : draft.status;
    const at = deps.clock.now();
    const won = await deps.review.decide({ draftId: draft.id, from: statusesAllowing(event).filter((s) => s === expected), to: to as DraftStatus, event, by, at, ...extra });
    if (!won) {
      const now = await find(draft.id);
      await refuse(now, event, by, 'CONFLICT', `another decision came first: the draft is now ${now.status}${now.decidedBy ? ` (by ${now.decidedBy})` : ''}`);
    }
    await deps.audit.append({
      at,
      actor: by,
      action: event === 'approve' ? 'review.approved' : 'review.rejected',
      entityType: 'draft',
      entityId: draft.id,
      runId: null,
      details: { leadId: draft.lead.id, angleId: draft.angleId, version: draft.version, ...(extra.edit ? { edited: true } : {}), ...(extra.rejection ?? {}) },
    });
    return find(draft.id);
  };

  /** Undo and reopen share this: back to pending_review unless a batch holds the draft; audited either way. */
  const reopen = async (draftId: string, byName: string, kind: 'undo' | 'reopen') => {
    const draft = await find(draftId);
    const by = requireName(byName);
    const event = kind === 'undo' ? 'undo' : 'reopen';
    const move = reviewTransition(draft.status as DraftStatus, 'reopen');
    if (!move.ok || !draft.decidedAt) await refuse(draft, 'reopen', by, 'CONFLICT', `cannot ${event} a draft that is ${draft.status}${draft.status === 'pending_review' ? ': it is not decided' : ''}`, { kind });
    const now = deps.clock.now();
    const age = now.getTime() - (draft.decidedAt?.getTime() ?? 0);
    if (kind === 'undo' && age > UNDO_WINDOW_MS) {
      await refuse(draft, 'reopen', by, 'CONFLICT', `the ${UNDO_WINDOW_MS / 1000}-second undo window has passed (decided ${Math.round(age / 1000)} s ago); reopen it from "Decided today" instead`, { kind });
    }
    if (kind === 'undo' && draft.decidedBy && draft.decidedBy !== by) {
      await refuse(draft, 'reopen', by, 'CONFLICT', `only ${draft.decidedBy}, who decided it, can undo this decision; reopen it instead`, { kind });
    }
    if (await deps.review.batched(draft.id)) await refuse(draft, 'reopen', by, 'CONFLICT', `cannot ${event}: the draft is already in a batch`, { kind });
    const won = await deps.review.reopen({ draftId: draft.id, from: [draft.status as DraftStatus], ...(draft.decidedAt ? { decidedAt: draft.decidedAt } : {}), at: now });
    if (!won) {
      const current = await find(draft.id);
      await refuse(current, 'reopen', by, 'CONFLICT', `cannot ${event}: the draft changed meanwhile (now ${current.status}${current.decidedBy ? `, by ${current.decidedBy}` : ''}) or a batch took it`, { kind });
    }
    await deps.audit.append({
      at: now,
      actor: by,
      action: kind === 'undo' ? 'review.undone' : 'review.reopened',
      entityType: 'draft',
      entityId: draft.id,
      runId: null,
      details: { leadId: draft.lead.id, was: draft.status, decidedBy: draft.decidedBy, decidedAt: draft.decidedAt?.toISOString() ?? null },
    });
    return find(draft.id);
  };

  return {
    tags: () => REJECTION_TAGS,
    undo: (input: { draftId: string; by: string }) => reopen(input.draftId, input.by, 'undo'),
    reopen: (input: { draftId: string; by: string }) => reopen(input.draftId, input.by, 'reopen'),
    /** "Today" is the UTC day of the clock: the dashboard says so next to the counters. */
    decidedToday: async (limit = 100) => {
      const now = deps.clock.now();
      const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const [drafts, counts] = await Promise.all([deps.review.decidedSince(since, limit), deps.review.reviewCounts(since)]);
      return { since, drafts, counts };
    },
    list: (filter: { tier?: string; angleId?: string; verdict?: 'passed' | 'failed'; limit?: number } = {}) => deps.review.queue({ tier: filter.tier, angleId: filter.angleId, verdict: filter.verdict, limit: filter.limit ?? 500 }),
    show: async (draftId: string) => {
      const draft = await find(draftId);
      return { draft, rejections: await deps.review.rejectionsOf(draft.lead.id) };
    },
    cardFacts: (drafts: readonly ReviewDraft[]) => deps.review.cardFactsOf([...new Set(drafts.map((d) => d.lead.id))]),

    approve: async (input: ApproveInput) => {
      const draft = await find(input.draftId);
      const by = requireName(input.by);
      let edit: { subject: string; body: string } | undefined;
      if (input.edit && (input.edit.subject !== undefined || input.edit.body !== undefined)) {
        edit = { subject: input.edit.subject ?? draft.subjectA, body: input.edit.body ?? draft.body };
        // The edit passes the checks its kind passed when drafted (editRulesFor): a first touch the
        // footer, placeholders and the guard's rules; a suggested answer placeholders and, by e-mail, the footer.
        const rules = editRulesFor(draft);
        const verdict = rules.qualityGuard ? checkDraftQuality({ lead: draft.lead.profile, subject: edit.subject, body: edit.body, fingerprint: draftFingerprint(edit.subject, edit.body), memory: undefined }, deps.quality) : null;
        const problems = [
          ...checkEdit(edit, deps.sender).filter((p) => rules.footer || !p.rule.startsWith('FOOTER-')),
          ...(rules.reviewerPlaceholder && REVIEWER_PLACEHOLDER.test(`${edit.subject}\n${edit.body}`) ? [{ rule: 'REPLY-PLACEHOLDER', message: "the reviewer's [Reviewer: …] line is still in the answer" }] : []),
          ...(!verdict || verdict.passed ? [] : verdict.ruleFailures.map((f) => ({ rule: f.ruleId, message: f.message }))),
        ];
        if (problems.length) await refuse(draft, 'approve', by, 'INVALID_INPUT', `the edit is refused: ${problems.map((p) => `${p.rule} ${p.message}`).join('; ')}`, { rules: problems.map((p) => p.rule) });
      }
      return decide(draft, 'approve', by, input.expectedStatus ?? 'pending_review', edit ? { edit } : {});
    },

    reject: async (input: RejectInput) => {
      const draft = await find(input.draftId);
      const by = requireName(input.by);
      if (!input.reason?.trim()) throw new AppError('INVALID_INPUT', 'a rejection needs a reason (--reason)');
      if (!isRejectionTag(input.tag)) throw new AppError('INVALID_INPUT', `unknown tag "${input.tag}"; use one of: ${REJECTION_TAGS.map((t) => t.id).join(', ')}`);
      return decide(draft, 'reject', by, input.expectedStatus ?? (draft.status === 'approved' ? 'approved' : 'pending_review'), { rejection: { tag: input.tag, reason: input.reason.trim() } });
    },
  };
};

const requireName = (by: string): string => {
  if (!by?.trim()) throw new AppError('INVALID_INPUT', 'say who decides (--by NAME)');
  return by.trim();
};

export type ReviewService = ReturnType<typeof createReviewService>;
