import { err, ok, type Result } from '../../lib/result.js';

export type BatchMotion = 'outbound' | 'revival' | 'cadence' | 'all';
export type BatchStatus = 'pending_approval' | 'approved' | 'rejected' | 'executed';
export type BatchEvent = 'approve' | 'reject' | 'execute';

/** One frozen action: this draft, to this recipient, on this channel. */
export type ScopeItem = { draftId: string; leadId: string; recipient: string; channel: string; action: string };

const TRANSITIONS: Record<BatchStatus, Partial<Record<BatchEvent, BatchStatus>>> = {
  pending_approval: { approve: 'approved', reject: 'rejected' },
  approved: { execute: 'executed', reject: 'rejected' },
  rejected: {},
  executed: {},
};

export type BatchRefusal = { code: 'illegal_transition' | 'expired' | 'scope_changed'; message: string };

/**
 * The batch state machine. Expiry is a fact of time, not a stored state: a pending or approved
 * batch past `expiresAt` can no longer be approved or executed (it may still be rejected).
 */
export const batchTransition = (batch: { status: BatchStatus; expiresAt: Date }, event: BatchEvent, now: Date): Result<BatchStatus, BatchRefusal> => {
  const to = TRANSITIONS[batch.status][event];
  if (!to) {
    const why = batch.status === 'executed' ? 'it was already executed' : batch.status === 'rejected' ? 'it was rejected' : `it is ${batch.status.replace('_', ' ')}`;
    return err({ code: 'illegal_transition', message: `cannot ${event} this batch: ${why}` });
  }
  if (event !== 'reject' && now.getTime() >= batch.expiresAt.getTime()) {
    return err({ code: 'expired', message: `cannot ${event} this batch: it expired at ${batch.expiresAt.toISOString()}; create a new one` });
  }
  return ok(to);
};

/** The text the preview hash is computed over: the items in a fixed order with fixed keys. */
export const canonicalScope = (motion: BatchMotion, items: readonly ScopeItem[]): string =>
  JSON.stringify({
    motion,
    items: [...items].map((i) => [i.draftId, i.leadId, i.recipient, i.channel, i.action]).sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000'))),
  });
