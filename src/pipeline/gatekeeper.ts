import { isRecontactAction, readScopeAction, scopeActionText } from '../domain/approval/scope-action.js';
import { batchTransition, canonicalScope, type BatchEvent, type BatchMotion, type ScopeItem } from '../domain/approval/batch.js';
import type { Tier } from '../domain/tier.js';
import { REVIVAL_ANGLE_ID } from '../domain/drafting/revival-draft.js';
import { isReplyAngle } from '../domain/drafting/reply-draft.js';
import { AppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import { sha256Hex } from '../lib/hash.js';
import type { Batch, BatchStore } from './review-ports.js';
import type { AlertPort, AuditStore } from './ports.js';
import type { SendChannel } from './context.js';

export type GatekeeperDeps = {
  batches: BatchStore;
  audit: AuditStore;
  alerts: AlertPort;
  clock: Clock;
  settings: {
    batchExpiryHours: number;
    tierRouting: Record<Tier, readonly SendChannel[]>;
    /** Where a person approves (the dashboard's /operator page), put in the new batch's Slack post. */
    operatorUrl?: string;
  };
};

/** The new batch's post: its size, who made it, when it expires and where to decide (it reaches Slack: info would stay in the log). */
export const newBatchAlert = (batch: Pick<Batch, 'id' | 'motion' | 'scope' | 'createdBy' | 'expiresAt'>, operatorUrl: string | undefined) => {
  const leads = new Set(batch.scope.map((i) => i.leadId)).size;
  const where = operatorUrl ? `Approve or reject it at ${operatorUrl}` : 'Approve or reject it on the dashboard (/operator) or with caio batch approve';
  return {
    severity: 'warning' as const,
    // The id is in the title: the Slack adapter drops a repeat of the same title within minutes.
    title: `Batch ${batch.id.slice(0, 8)} waiting for approval: ${batch.scope.length} actions`,
    body: `${batch.scope.length} actions for ${leads} leads (${batch.motion}), created by ${batch.createdBy}, expires ${batch.expiresAt.toISOString()}. ${where}.`,
    metadata: { batchId: batch.id, items: batch.scope.length, leads, ...(operatorUrl ? { link: operatorUrl } : {}) },
  };
};

const ACTION: Record<SendChannel, string> = {
  instantly: scopeActionText({ kind: 'first_touch', touch: 'send_email' }),
  ghl: scopeActionText({ kind: 'first_touch', touch: 'send_email' }),
  heyreach: scopeActionText({ kind: 'first_touch', touch: 'linkedin_connect' }),
};
const REVIVAL_EMAIL = scopeActionText({ kind: 'revival_email' });
const DONE: Record<BatchEvent, string> = { approve: 'approved', reject: 'rejected', execute: 'executed' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const previewHash = (motion: BatchMotion, scope: readonly ScopeItem[]) => sha256Hex(canonicalScope(motion, scope));

/**
 * Gatekeeper batches: `create` freezes the exact scope of approved drafts, `approve`/`reject` record
 * who and why, and `execute` (for the dispatcher) accepts only an approved, unexpired batch whose
 * scope still hashes the same, exactly once. Every decision and every refusal is audited.
 */
export const createGatekeeper = (deps: GatekeeperDeps) => {
  const find = async (id: string): Promise<Batch> => {
    const batch = UUID.test(id.trim()) ? await deps.batches.get(id.trim()) : null;
    if (!batch) throw new AppError('NOT_FOUND', `no batch ${id.trim()} (see: caio batch list)`);
    return batch;
  };

  const refuse = async (batch: Batch, event: BatchEvent, by: string, message: string, code: AppError['code'] = 'CONFLICT'): Promise<never> => {
    await deps.audit.append({ at: deps.clock.now(), actor: by, action: `batch.${event}_refused`, entityType: 'batch', entityId: batch.id, runId: null, details: { reason: message, status: batch.status } });
    throw new AppError(code, message);
  };

  const move = async (id: string, event: BatchEvent, by: string, extra: { reason?: string; report?: Record<string, unknown> } = {}) => {
    const batch = await find(id);
    const now = deps.clock.now();
    const next = batchTransition(batch, event, now);
    if (!next.ok) return refuse(batch, event, by, next.error.message);
    if (event === 'execute' && previewHash(batch.motion, batch.scope) !== batch.previewHash) {
      return refuse(batch, event, by, 'cannot execute this batch: its scope no longer matches the preview that was approved');
    }
    const set = event === 'execute' ? { status: next.value, executedAt: now, executionReport: extra.report ?? {} } : { status: next.value, decidedBy: by, decidedAt: now, decisionReason: extra.reason ?? null };
    if (!(await deps.batches.transition(batch.id, batch.status, set))) {
      const current = await find(batch.id);
      return refuse(current, event, by, `another decision came first: the batch is now ${current.status}`);
    }
    await deps.audit.append({
      at: now,
      actor: by,
      action: `batch.${DONE[event]}`,
      entityType: 'batch',
      entityId: batch.id,
      runId: null,
      details: { motion: batch.motion, items: batch.scope.length, previewHash: batch.previewHash, ...(extra.reason ? { reason: extra.reason } : {}) },
    });
    return find(batch.id);
  };

  /** What both scopes start from: the approved drafts not yet dispatched, and the drafts the open (unexpired) batches hold. */
  const waitingDrafts = async () => {
    const now = deps.clock.now();
    const taken = new Set((await deps.batches.open(now)).filter((b) => b.expiresAt > now).flatMap((b) => b.scope.map((i) => i.draftId)));
    return { taken, drafts: await deps.batches.approvedDrafts() };
  };

  /** Every approved draft not already in an open batch (nor dispatched), on each channel of its tier's routing. */
  const outboundOf = ({ taken, drafts }: Awaited<ReturnType<typeof waitingDrafts>>): ScopeItem[] => {
    const scope: ScopeItem[] = [];
    for (const d of drafts) {
      // A revival e-mail goes on the nurture channel in a revival batch, never as a cold first touch;
      // a suggested answer to a reply (`reply:<class>`) goes only in its thread, never in a campaign.
      if (taken.has(d.draftId) || d.angleId === REVIVAL_ANGLE_ID || isReplyAngle(d.angleId ?? '')) continue;
      for (const channel of deps.settings.tierRouting[(d.tier ?? 'tier_4') as Tier]) {
        const recipient = channel === 'heyreach' ? d.linkedinUrl : d.email;
        if (recipient) scope.push({ draftId: d.draftId, leadId: d.leadId, recipient, channel, action: ACTION[channel] });
      }
    }
    return scope;
  };

  /** Every approved revival e-mail not already in an open batch (nor dispatched): one GoHighLevel send each. */
  const revivalEmailOf = ({ taken, drafts }: Awaited<ReturnType<typeof waitingDrafts>>): ScopeItem[] =>
    drafts.filter((d) => d.angleId === REVIVAL_ANGLE_ID && !taken.has(d.draftId) && d.email).map((d) => ({ draftId: d.draftId, leadId: d.leadId, recipient: d.email!, channel: 'ghl', action: REVIVAL_EMAIL }));

  const outboundScope = async (): Promise<ScopeItem[]> => outboundOf(await waitingDrafts());
  const revivalEmailScope = async (): Promise<ScopeItem[]> => revivalEmailOf(await waitingDrafts());
  /** Both scopes from one read of the open batches and the approved drafts (the OPERATOR's `all` tick asks for both). */
  const waitingScopes = async (): Promise<{ outbound: ScopeItem[]; revivalEmail: ScopeItem[] }> => {
    const waiting = await waitingDrafts();
    return { outbound: outboundOf(waiting), revivalEmail: revivalEmailOf(waiting) };
  };

  /** Freeze a scope someone else built (the cadence's due steps), with the same hash, expiry, audit and alert. */
  const freeze = async (motion: BatchMotion, scope: ScopeItem[], by: string): Promise<Batch> => {
    if (!by.trim()) throw new AppError('INVALID_INPUT', 'say who creates the batch (--by NAME)');
    if (scope.length === 0) throw new AppError('CONFLICT', `nothing to put in a ${motion} batch`);
    const now = deps.clock.now();
    const batch = await deps.batches.insert({
      motion,
      status: 'pending_approval',
      scope,
      previewHash: previewHash(motion, scope),
      createdBy: by.trim(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.settings.batchExpiryHours * 3_600_000),
    });
    await deps.audit.append({
      at: now,
      actor: by.trim(),
      action: 'batch.created',
      entityType: 'batch',
      entityId: batch.id,
      runId: null,
      details: { motion, items: scope.length, previewHash: batch.previewHash, expiresAt: batch.expiresAt.toISOString() },
    });
    await deps.alerts.send(newBatchAlert(batch, deps.settings.operatorUrl));
    return batch;
  };

  /**
   * Freeze a motion's scope into pending batches: an `all` scope's CRM re-contacts go into their own
   * `revival` batch beside the rest (issue 21 item 3), so no approval covers them unseen.
   */
  const freezeBatches = async (motion: BatchMotion, scope: ScopeItem[], by: string): Promise<Batch[]> => {
    const recontacts = motion === 'all' ? scope.filter((i) => isRecontactAction(i.action)) : [];
    const rest = motion === 'all' ? scope.filter((i) => !isRecontactAction(i.action)) : scope;
    const batches: Batch[] = [];
    if (rest.length > 0) batches.push(await freeze(motion, rest, by));
    if (recontacts.length > 0) batches.push(await freeze('revival', recontacts, by));
    return batches;
  };

  const createBatches = async (motion: BatchMotion, by: string): Promise<Batch[]> => {
    if (!by.trim()) throw new AppError('INVALID_INPUT', 'say who creates the batch (--by NAME)');
    if (motion === 'cadence') {
      throw new AppError('INVALID_INPUT', `a ${motion} batch is built from its own scope by the OPERATOR (caio dispatch --motion ${motion} --live)`);
    }
    if (motion === 'revival') {
      const revival = await revivalEmailScope();
      if (revival.length === 0) throw new AppError('CONFLICT', 'nothing to put in a revival batch: no approved revival draft is waiting outside an open batch (approve them with caio review approve; caio review list --angle revival)');
      return [await freeze('revival', revival, by)];
    }
    const scope = [...(await outboundScope()), ...(motion === 'all' ? await revivalEmailScope() : [])];
    if (scope.length === 0) throw new AppError('CONFLICT', 'nothing to put in a batch: no approved draft is waiting outside an open batch (approve drafts with caio review approve)');
    return freezeBatches(motion === 'all' ? 'all' : 'outbound', scope, by);
  };

  return {
    freeze,
    freezeBatches,
    /** The batches a motion's waiting work makes (`all`: the re-contacts apart); the first is the main one. */
    createBatches,
    /** Freeze every approved draft not already in an open batch, on each channel of its tier's routing. */
    outboundScope,
    /** Approved revival e-mails waiting for a revival batch. */
    revivalEmailScope,
    /** `outboundScope` and `revivalEmailScope` from one read. */
    waitingScopes,
    /** One motion's batch (`all`: the first of createBatches; the re-contacts' batch is made too). */
    create: async (motion: BatchMotion, by: string): Promise<Batch> => (await createBatches(motion, by))[0]!,
    list: (limit = 50) => deps.batches.list(limit),
    show: find,
    approve: (id: string, by: string) => move(id, 'approve', requireName(by)),
    reject: async (id: string, by: string, reason: string) => {
      if (!reason?.trim()) throw new AppError('INVALID_INPUT', 'a batch rejection needs a reason (--reason)');
      return move(id, 'reject', requireName(by), { reason: reason.trim() });
    },
    /**
     * Leave items out of a pending batch before approving it (issue 21 item 3): the batch is re-frozen
     * without them as a new batch (a new scope hash, the same expiry: leaving items out buys no time)
     * and the old one is closed as rejected, by compare-and-set, so an approval racing this one
     * wins or loses whole. An item left out waits again for the next batch; its draft stays
     * approved. `items` are positions in the batch's frozen scope (it never changes).
     */
    excludeItems: async (id: string, items: readonly number[], by: string): Promise<{ batch: Batch; previous: Batch; excluded: ScopeItem[] }> => {
      const who = requireName(by);
      const batch = await find(id);
      const refuseExclude = async (message: string, code: AppError['code'] = 'CONFLICT'): Promise<never> => {
        await deps.audit.append({ at: deps.clock.now(), actor: who, action: 'batch.exclude_refused', entityType: 'batch', entityId: batch.id, runId: null, details: { reason: message, status: batch.status } });
        throw new AppError(code, message);
      };
      const positions = [...new Set(items)];
      if (positions.length === 0) return refuseExclude('say which items to leave out', 'INVALID_INPUT');
      const outOfRange = positions.filter((i) => !Number.isInteger(i) || i < 0 || i >= batch.scope.length);
      if (outOfRange.length) return refuseExclude(`the batch has ${batch.scope.length} items (0 to ${batch.scope.length - 1}); no item ${outOfRange.join(', ')}`, 'INVALID_INPUT');
      if (positions.length === batch.scope.length) return refuseExclude('leaving every item out is rejecting the batch: use Reject batch');
      const now = deps.clock.now();
      if (batch.status !== 'pending_approval') return refuseExclude(`cannot leave items out of this batch: it is ${batch.status.replace('_', ' ')}`);
      if (now.getTime() >= batch.expiresAt.getTime()) return refuseExclude(`cannot leave items out of this batch: it expired at ${batch.expiresAt.toISOString()}`);
      const allowed = batchTransition(batch, 'reject', now);
      if (!allowed.ok) return refuseExclude(allowed.error.message);
      const left = new Set(positions);
      const excluded = batch.scope.filter((_, i) => left.has(i));
      const scope = batch.scope.filter((_, i) => !left.has(i));
      const reason = `re-frozen without ${excluded.length} of its ${batch.scope.length} items`;
      if (!(await deps.batches.transition(batch.id, batch.status, { status: allowed.value, decidedBy: who, decidedAt: now, decisionReason: reason }))) {
        const current = await find(batch.id);
        return refuseExclude(`another decision came first: the batch is now ${current.status}`);
      }
      const next = await deps.batches.insert({ motion: batch.motion, status: 'pending_approval', scope, previewHash: previewHash(batch.motion, scope), createdBy: who, createdAt: now, expiresAt: batch.expiresAt });
      await deps.audit.append({
        at: now,
        actor: who,
        action: 'batch.items_excluded',
        entityType: 'batch',
        entityId: batch.id,
        runId: null,
        details: {
          newBatchId: next.id,
          excluded: excluded.map((i) => ({ leadId: i.leadId, draftId: i.draftId, channel: i.channel, action: i.action })),
          items: scope.length,
          previousHash: batch.previewHash,
          previewHash: next.previewHash,
        },
      });
      await deps.audit.append({
        at: now,
        actor: who,
        action: 'batch.created',
        entityType: 'batch',
        entityId: next.id,
        runId: null,
        details: { motion: next.motion, items: scope.length, previewHash: next.previewHash, expiresAt: next.expiresAt.toISOString(), refrozenFrom: batch.id },
      });
      return { batch: next, previous: await find(batch.id), excluded };
    },
    /**
     * For the dispatcher: marks the batch executed (once) and returns the frozen items whose drafts
     * are still approved; an item whose draft was rejected since is left out and reported.
     */
    execute: async (id: string, by: string) => {
      const batch = await find(id);
      // Revival items carry no draft: approving them queues the lead for one.
      const needsDraft = (i: ScopeItem) => readScopeAction(i.action)?.kind !== 'revival';
      const statuses = await deps.batches.draftStatuses([...new Set(batch.scope.filter(needsDraft).map((i) => i.draftId))]);
      const items = batch.scope.filter((i) => !needsDraft(i) || statuses.get(i.draftId) === 'approved');
      const dropped = batch.scope.filter((i) => needsDraft(i) && statuses.get(i.draftId) !== 'approved').map((i) => ({ draftId: i.draftId, channel: i.channel, status: statuses.get(i.draftId) ?? 'missing' }));
      const executed = await move(id, 'execute', requireName(by), { report: { items: items.length, dropped } });
      return { batch: executed, items, dropped };
    },
  };
};

const requireName = (by: string): string => {
  if (!by?.trim()) throw new AppError('INVALID_INPUT', 'say who decides (--by NAME)');
  return by.trim();
};

export type Gatekeeper = ReturnType<typeof createGatekeeper>;
