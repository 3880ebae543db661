import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { readScopeAction, scopeActionText } from '../domain/approval/scope-action.js';
import type { BatchMotion, ScopeItem } from '../domain/approval/batch.js';
import { applyDomainConcentration, effectiveEmailDailyLimit, emailDomainOf, rampStatus, rampTierRefusal, shouldAutoPause, type HealthThresholds, type RampSettings, type RampStatus } from '../domain/sending/index.js';
import { subjectVariantOf } from '../domain/learning/variant.js';
import type { Incident } from '../domain/escalation/rubric.js';
import { AppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { Gatekeeper } from '../pipeline/gatekeeper.js';
import type { SendChannel } from '../pipeline/context.js';
import type { AlertPort, AuditStore } from '../pipeline/ports.js';
import type { Batch, BatchStore } from '../pipeline/review-ports.js';
import type { DueStep } from '../domain/cadence/index.js';
import type { Revival } from '../signals/revival.js';
import type { CampaignStore, ControlStore, DispatchDetail, DispatchReport, DispatchRequest, LeadStateQuery, NewOutboxItem, OutboundChannel, OutboxItem, OutboxStore, ProviderCampaign } from './ports.js';
import type { SendGateway } from './send-gateway.js';
import { cadenceStepCopy, type CadenceCopySettings } from './cadence-copy.js';
import { leadKeyOf, outboxKeyOf } from './outbox-key.js';

export type OperatorSettings = {
  send: 'shadow' | 'live';
  gatekeeperRequired: boolean;
  maxLeadsPerDomainPerBatch: number;
  ramp: RampSettings;
  /** How long a live run may hold its motion's lease before another process may take over. */
  leaseMs: number;
  drainLimit: number;
  /** Auto-pause thresholds for live campaigns (bounce rate 2 %, complaint rate 0.1 %). */
  autoPause: HealthThresholds;
  /** Who signs a cadence step's copy, and the quality guard it passes (as a first draft does). */
  cadenceCopy: CadenceCopySettings;
  /** The configured email daily limit, before the ramp's override. */
  emailDailyLimit: number;
};

export type OperatorDeps = {
  gatekeeper: Gatekeeper;
  batches: BatchStore;
  outbox: OutboxStore;
  control: ControlStore;
  campaigns: CampaignStore;
  leads: LeadStateQuery;
  gateway: SendGateway;
  channels: Partial<Record<SendChannel, OutboundChannel>>;
  audit: AuditStore;
  alerts: AlertPort;
  clock: Clock;
  settings: OperatorSettings;
  /** The cadence's due steps (src/signals/cadence-sync.ts); without it the cadence motion has nothing to do. */
  cadence?: { due(now: Date): Promise<{ leadId: string; due: DueStep[] }[]> };
  /** Stale CRM contacts to revive (src/signals/revival.ts); without it the revival motion has nothing to do. */
  revival?: Pick<Revival, 'candidates' | 'ensureLead' | 'approve'>;
  holder?: string;
  /**
   * Escalation (src/escalation/): an emergency stop and a campaign paused for its bounce rate are
   * incidents until a person resumes; without it they are only alerted.
   */
  escalation?: { report(incident: Incident): Promise<unknown>; resolve(key: string): Promise<unknown> };
  /** The share of first e-mails given subject A (`learning.autoShift`, docs/learning.md); without it 50/50. */
  subjectShareA?: (now: Date) => Promise<number>;
};

/** A batch's items as they will go out (the copy included), and the ones that will be refused with the reason. */
export type BatchPreview = {
  batchId: string;
  items: { leadId: string; channel: SendChannel; step: string; recipient: string; subject: string | null; body: string | null }[];
  refused: { leadId: string; channel: string; reason: string }[];
};

/** A revival item: it queues a lead for a revival draft and sends nothing. */
const isRevival = (i: ScopeItem) => readScopeAction(i.action)?.kind === 'revival';

/** An approved revival e-mail: sent on GoHighLevel like a first touch, under its own outbox step. */
const isRevivalEmail = (i: ScopeItem) => readScopeAction(i.action)?.kind === 'revival_email';

/** The outbox step of an item: `s<n>` for a cadence step, `revival` for a revival e-mail, `initial` for a first touch. */
const stepOf = (i: ScopeItem) => {
  const action = readScopeAction(i.action);
  return action?.kind === 'cadence_step' ? `s${action.step}` : action?.kind === 'revival_email' ? 'revival' : 'initial';
};

/** Incident keys the OPERATOR reports; `caio resume` and `caio campaigns activate` resolve them. */
export const EMERGENCY_STOP_INCIDENT = 'emergency-stop';
export const campaignPausedIncident = (provider: string, externalId: string) => `campaign:${provider}:${externalId}:paused`;

// Declared with the ports (the dashboard API drives the OPERATOR too).
export type { DispatchReport, DispatchRequest } from './ports.js';

/** The outbox's channel order for due items (outbox-repo.ts). */
const DUE_ORDER: Partial<Record<string, number>> = { instantly: 0, ghl: 1 };

const dayKey = (d: Date) => d.toISOString().slice(0, 10);

/** Stands in for a batch not yet created, when a dry run judges what one would hold. */
const PLANNED_BATCH = { id: null } as unknown as Batch;

/**
 * The OPERATOR's outbound motion. A live run takes the motion's lease (one live run per motion
 * across processes), refuses while the emergency stop is set or the send mode is shadow, then:
 * with `--batch`, executes that approved batch once (its frozen scope goes into the outbox, where
 * the dedup key makes a second queueing impossible); without, creates a pending batch when the
 * Gatekeeper is required; and finally drains the outbox through the send gateway. A dry run takes
 * no lease and writes nothing: it judges the queue and the batch with the same guards.
 */
export const createOperator = (deps: OperatorDeps) => {
  // Paging is best effort: a failing escalation never undoes or blocks the stop or the pause.
  const escalate = async (work: () => Promise<unknown> | undefined) => {
    try {
      await work();
    } catch {
      // logged by the escalator itself
    }
  };
  /** CRM contacts a dry run judged that have no lead yet: their names stand in for the profile the live run records. */
  const crmContacts = new Map<string, { firstName: string | null; lastName: string | null; company: string | null }>();
  /** The report's revival counts, present only when the scope holds revival candidates. */
  const revivalCounts = (scope: readonly ScopeItem[], r: { queued: number; drafted: number }) => (scope.some(isRevival) ? { revivals: r.queued, revivalDrafts: r.drafted } : {});
  const holder = deps.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  /** The first day the ramp looks at. */
  const rampSince = (now: Date) => dayKey(new Date(now.getTime() - (deps.settings.ramp.cleanDaysLookbackDays + 1) * 86_400_000));
  const rampOf = (totals: { date: string; sent: number; errors: number; bounces: number }[], now: Date): RampStatus =>
    rampStatus(
      deps.settings.ramp,
      totals.map((d) => ({ date: d.date, live: true, sent: d.sent, bounces: d.bounces, complaints: 0, errors: d.errors })),
      now,
    );
  const ramp = async (now: Date): Promise<RampStatus> => rampOf(await deps.outbox.dailyTotals(rampSince(now)), now);

  // A/B subject by a stable hash of the lead (domain/learning/variant.ts): the same lead always gets the same variant; 50/50 unless learning.autoShift moved the share.
  const initialCopy = (d: DispatchDetail, shareA = 0.5) => ({ ok: true as const, subject: d.editedSubject ?? (subjectVariantOf(d.leadId, shareA) === 'A' ? d.subjectA : d.subjectB), body: d.editedBody ?? d.body });

  /**
   * The cadence's due steps as scope items, leaving out what is queued already or in an open batch.
   * Set-based: the steps an open batch holds are dropped first, then those already in the outbox
   * (their keys are made from the lead), then the leads left are read in one statement, and the
   * connection requests' keys (made from the person's URL) checked in one more, however many
   * enrolments are due. A step the quotas hold in the outbox costs no read of its lead.
   */
  const cadenceScope = async (now: Date, openBatches: () => Promise<Batch[]>): Promise<ScopeItem[]> => {
    if (!deps.cadence) return [];
    const steps = (await deps.cadence.due(now)).flatMap(({ leadId, due }) =>
      due.map((step) => {
        const channel: SendChannel = step.channel === 'email' ? 'instantly' : 'heyreach';
        return { leadId, channel, action: scopeActionText({ kind: 'cadence_step', step: step.step, action: step.action }) };
      }),
    );
    if (steps.length === 0) return [];
    const inBatches = new Set((await openBatches()).filter((b) => b.expiresAt > now).flatMap((b) => b.scope.map((i) => `${i.channel}:${i.leadId}:${i.action}`)));
    const open = steps.filter((s) => !inBatches.has(`${s.channel}:${s.leadId}:${s.action}`));
    const leadKeys = await deps.leads.existingKeys(open.flatMap((s) => leadKeyOf(s) ?? []));
    const waiting = open.filter((s) => !leadKeys.has(leadKeyOf(s) ?? ''));
    const targets = await deps.leads.cadenceTargets(waiting.map((s) => s.leadId));
    const items: ScopeItem[] = [];
    for (const { leadId, channel, action } of waiting) {
      const target = targets.get(leadId);
      if (!target?.draftId) continue;
      const recipient = channel === 'heyreach' ? target.linkedinUrl : target.email;
      if (recipient) items.push({ draftId: target.draftId, leadId, recipient, channel, action });
    }
    // A connection request is keyed by the person (outbox-key.ts): one already queued or sent for them is not asked again.
    // That key is made from the lead's URL, so its queued check comes after the leads' read.
    const queued = await deps.leads.existingKeys(items.filter((i) => leadKeyOf(i) === null).map(outboxKeyOf));
    return items.filter((i) => !queued.has(outboxKeyOf(i)));
  };

  /**
   * Today's revival candidates as scope items (no draft: approving one queues the lead for a revival
   * draft, it sends nothing). `persist`: a live batch records a CRM contact we have no lead for.
   */
  const revivalScope = async (now: Date, persist: boolean, openBatches: () => Promise<Batch[]>): Promise<ScopeItem[]> => {
    if (!deps.revival) return [];
    crmContacts.clear();
    const candidates = await deps.revival.candidates(now);
    if (candidates.length === 0) return [];
    const inBatches = new Set((await openBatches()).filter((b) => b.expiresAt > now).flatMap((b) => b.scope.filter(isRevival).map((i) => i.recipient)));
    const items: ScopeItem[] = [];
    for (const c of candidates) {
      if (inBatches.has(c.email)) continue;
      const leadId = persist ? await deps.revival.ensureLead(c) : (c.leadId ?? `crm:${c.contactId}`);
      if (!persist && !c.leadId) crmContacts.set(leadId, { firstName: c.firstName, lastName: c.lastName, company: c.company });
      items.push({ draftId: '', leadId, recipient: c.email, channel: 'ghl', action: scopeActionText({ kind: 'revival', score: c.score, reason: c.reason, daysInactive: c.daysInactive }) });
    }
    return items;
  };

  /** What a new batch of this motion would hold now. */
  const scopeFor = async (motion: BatchMotion, now: Date, persist = false): Promise<ScopeItem[]> => {
    // `all` reads the approved drafts and the open batches once for its outbound and revival e-mail parts.
    const approved = motion === 'all' ? await deps.gatekeeper.waitingScopes() : null;
    // The open batches, read at most once for the cadence and revival parts (each reads them only when it has items).
    let open: Promise<Batch[]> | null = null;
    const openBatches = () => (open ??= deps.batches.open(now));
    return [
      ...(approved ? approved.outbound : motion === 'outbound' ? await deps.gatekeeper.outboundScope() : []),
      ...(motion === 'cadence' || motion === 'all' ? await cadenceScope(now, openBatches) : []),
      ...(motion === 'revival' || motion === 'all' ? [...(await revivalScope(now, persist, openBatches)), ...(approved ? approved.revivalEmail : await deps.gatekeeper.revivalEmailScope())] : []),
    ];
  };

  /**
   * Approved revival items: each lead is queued (status and timeline) and its revival e-mail crafted
   * into the review queue; nothing is sent. `write: false` (a dry run) predicts the same by the same
   * rules and writes nothing.
   */
  const queueRevivals = async (items: ScopeItem[], by: string, now: Date, write = true) => {
    let queued = 0;
    let drafted = 0;
    const skipped: Record<string, number> = {};
    for (const item of items) {
      const action = readScopeAction(item.action);
      if (action?.kind !== 'revival' || !deps.revival) continue;
      const outcome = await deps.revival.approve(
        { leadId: item.leadId, recipient: item.recipient, scan: { score: action.score, reason: action.reason, daysInactive: action.daysInactive }, contact: crmContacts.get(item.leadId) },
        now,
        write,
      );
      if (outcome.queued) queued++;
      if (outcome.drafted) drafted++;
      if (outcome.reason) skipped[outcome.reason] = (skipped[outcome.reason] ?? 0) + 1;
    }
    if (items.length && write) await deps.audit.append({ at: now, actor: by, action: 'revival.queued', entityType: 'dispatch', entityId: null, runId: null, details: { candidates: items.length, queued, drafted, skipped } });
    return { queued, drafted };
  };

  /** The batch's frozen items as outbox rows: the copy of each draft, the ramp's tier filter, domain concentration. */
  const toOutboxItems = async (batch: Batch, items: ScopeItem[], rampNow: RampStatus, now: Date): Promise<{ rows: NewOutboxItem[]; rejected: { leadId: string; channel: string; reason: string }[] }> => {
    const details = await deps.leads.dispatchDetails([...new Set(items.filter((i) => !isRevival(i)).map((i) => i.draftId))]);
    const shareA = deps.subjectShareA ? await deps.subjectShareA(now) : 0.5;
    const rejected: { leadId: string; channel: string; reason: string }[] = [];
    const candidates: NewOutboxItem[] = [];
    for (const item of items) {
      if (isRevival(item)) continue;
      const d = details.get(item.draftId);
      if (!d) {
        rejected.push({ leadId: item.leadId, channel: item.channel, reason: 'draft_missing' });
        continue;
      }
      const channel = item.channel as SendChannel;
      const action = readScopeAction(item.action);
      const cadenceStep = action?.kind === 'cadence_step' ? action : null;
      // A revival e-mail carries its approved draft's copy (the reviewer's edit wins), as a first touch does.
      const copy = cadenceStep ? cadenceStepCopy(d, cadenceStep.action, channel, initialCopy(d, shareA), deps.settings.cadenceCopy) : initialCopy(d, shareA);
      if (!copy.ok) {
        rejected.push({ leadId: item.leadId, channel, reason: copy.reason });
        continue;
      }
      const step = stepOf(item);
      const base: NewOutboxItem = {
        dedupKey: outboxKeyOf(item),
        batchId: batch.id,
        draftId: item.draftId,
        leadId: item.leadId,
        channel,
        step,
        recipient: item.recipient,
        recipientDomain: channel === 'heyreach' ? (d.payload.email ? emailDomainOf(d.payload.email) : null) : emailDomainOf(item.recipient),
        tier: d.tier,
        subject: copy.subject,
        body: copy.body,
        payload: d.payload,
        sender: null,
        notBefore: now,
        status: 'queued',
        reason: null,
      };
      // The ramp's tier filter protects the cold domain's warm-up; a revival goes on the nurture domain (GHL). Quotas still apply (gateway).
      const rampRefusal = isRevivalEmail(item) ? null : rampTierRefusal(rampNow, d.tier);
      candidates.push(rampRefusal ? { ...base, status: 'rejected', reason: rampRefusal } : base);
    }
    // Guard 3: at most N addresses per domain in one batch (email channels; LinkedIn has no domain to burn).
    const email = candidates.filter((c) => c.status === 'queued' && c.channel !== 'heyreach');
    const outcome = applyDomainConcentration(
      email.map((c) => ({ key: c.dedupKey, email: c.recipient })),
      deps.settings.maxLeadsPerDomainPerBatch,
    );
    const capped = new Set(outcome.rejected.map((r) => r.key));
    const rows = candidates.map((c) => (capped.has(c.dedupKey) ? { ...c, status: 'rejected' as const, reason: 'domain_concentration_cap' } : c));
    rows.filter((r) => r.status === 'rejected').forEach((r) => rejected.push({ leadId: r.leadId ?? '', channel: r.channel, reason: r.reason ?? 'rejected' }));
    return { rows, rejected };
  };

  // In the order the outbox will hand them to the live drain (outbox-repo's `due`: channel, then recipient in byte order), so quotas fall on the same items.
  const asPlanned = (rows: NewOutboxItem[], now: Date): OutboxItem[] =>
    rows
      .filter((r) => r.status === 'queued')
      .sort((a, b) => (DUE_ORDER[a.channel] ?? 2) - (DUE_ORDER[b.channel] ?? 2) || (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : 0))
      .map((r, i) => ({ ...r, id: `planned-${i + 1}`, status: 'queued', claimToken: null, claimedAt: null, providerRef: null, sentAt: null, attempts: 0, createdAt: now }));

  const refuse = async (request: DispatchRequest, code: AppError['code'], message: string): Promise<never> => {
    await deps.audit.append({ at: deps.clock.now(), actor: request.by, action: 'dispatch.refused', entityType: 'dispatch', entityId: request.batchId ?? null, runId: null, details: { motion: request.motion, reason: message } });
    throw new AppError(code, message);
  };

  const waiting = async (motion: BatchMotion, now: Date) => (await scopeFor(motion, now)).length;

  /**
   * Live campaigns whose bounce or complaint rate passed the threshold are paused at the provider,
   * marked paused here, alerted and audited; only a person resumes them (caio campaigns activate).
   */
  const checkHealth = async (active?: readonly ProviderCampaign[]) => {
    const results: { campaign: string; provider: string; sent: number; bounces: number; complaints: number; paused: boolean; reason: string }[] = [];
    // `active`: the campaigns a live run's start read with its lease (ControlStore.startRun).
    const live = (active ?? (await deps.campaigns.list())).filter((c) => {
      const channel = deps.channels[c.provider as SendChannel];
      return c.status === 'active' && !!channel?.health && !!channel.pause;
    });
    // Every live campaign of a provider read at once where the provider allows it.
    const known = new Map<string, { sent: number; bounces: number; complaints: number }>();
    for (const provider of new Set(live.map((c) => c.provider))) {
      const channel = deps.channels[provider as SendChannel];
      if (!channel?.healthOfMany) continue;
      for (const [id, h] of await channel.healthOfMany(live.filter((c) => c.provider === provider).map((c) => c.externalId))) known.set(`${provider}:${id}`, h);
    }
    for (const campaign of live) {
      const channel = deps.channels[campaign.provider as SendChannel]!;
      if (!channel.health || !channel.pause) continue;
      const health = known.get(`${campaign.provider}:${campaign.externalId}`) ?? (await channel.health(campaign.externalId));
      const decision = shouldAutoPause(health, deps.settings.autoPause);
      if (decision.pause) {
        await channel.pause(campaign.externalId);
        await deps.campaigns.setStatus(campaign.id, 'paused');
        const at = deps.clock.now();
        await deps.audit.append({ at, actor: 'OPERATOR', action: 'campaign.auto_paused', entityType: 'campaign', entityId: campaign.id, runId: null, details: { ...health, reason: decision.reason, detail: decision.detail } });
        await deps.alerts.send({
          severity: 'critical',
          title: `${campaign.provider} campaign ${campaign.name} paused`,
          body: `${decision.detail}. Resume it only on purpose: caio campaigns activate ${campaign.externalId} --by NAME.`,
          metadata: { campaign: campaign.externalId, ...health },
        });
        await escalate(() =>
          deps.escalation?.report({
            key: campaignPausedIncident(campaign.provider, campaign.externalId),
            kind: 'campaign_paused',
            title: `${campaign.provider} campaign ${campaign.name} paused`,
            detail: `${decision.detail}. Resume it only on purpose: caio campaigns activate ${campaign.externalId} --by NAME.`,
            since: at,
            leadsAffected: health.sent,
            sendingAffected: true,
          }),
        );
      }
      results.push({ campaign: campaign.name, provider: campaign.provider, ...health, paused: decision.pause, reason: decision.reason });
    }
    return results;
  };

  return {
    holder,
    ramp: () => ramp(deps.clock.now()),
    checkHealth: () => checkHealth(),

    /**
     * What a batch will send, item by item, with the copy each carries (a cadence step's own,
     * crafted for the lead), and what it will refuse and why: the preview a person approves. Reads
     * only; the copy is deterministic, so it is what the live run then queues.
     */
    preview: async (batchId: string): Promise<BatchPreview> => {
      const now = deps.clock.now();
      const batch = await deps.gatekeeper.show(batchId);
      const { rows, rejected } = await toOutboxItems(batch, batch.scope, await ramp(now), now);
      const items = rows.filter((r) => r.status === 'queued').map((r) => ({ leadId: r.leadId ?? '', channel: r.channel, step: r.step, recipient: r.recipient, subject: r.subject, body: r.body }));
      return { batchId: batch.id, items, refused: rejected };
    },

    dispatch: async (request: DispatchRequest): Promise<DispatchReport> => {
      const now = deps.clock.now();

      if (!request.live) {
        const rampNow = await ramp(now);
        // Dry run: no lease, no writes. Judge the queue, plus what the batch would add.
        let queued: DispatchReport['queued'] = null;
        let planned: OutboxItem[] = [];
        // The motion's scope when this run judged it: a dry run writes nothing, so it is what a new batch would hold.
        let scope: ScopeItem[] | null = null;
        if (request.batchId) {
          const batch = await deps.gatekeeper.show(request.batchId);
          const statuses = await deps.batches.draftStatuses([...new Set(batch.scope.filter((i) => !isRevival(i)).map((i) => i.draftId))]);
          const { rows, rejected } = await toOutboxItems(
            batch,
            batch.scope.filter((i) => statuses.get(i.draftId) === 'approved'),
            rampNow,
            now,
          );
          planned = asPlanned(rows, now);
          const revivals = await queueRevivals(batch.scope.filter(isRevival), request.by, now, false);
          queued = { batchId: batch.id, items: planned.length, duplicates: 0, rejected, ...revivalCounts(batch.scope, revivals) };
        } else if (!deps.settings.gatekeeperRequired || request.motion !== 'outbound') {
          // What a batch of this motion would hold now, judged as if it were queued.
          scope = await scopeFor(request.motion, now);
          const { rows, rejected } = await toOutboxItems(PLANNED_BATCH, scope, rampNow, now);
          planned = asPlanned(rows, now);
          // A dry run judges the batch as though approved at once (as a live run without the Gatekeeper does).
          const revivals = await queueRevivals(scope.filter(isRevival), request.by, now, false);
          if (scope.length) queued = { batchId: 'not created (dry run)', items: planned.length, duplicates: 0, rejected, ...revivalCounts(scope, revivals) };
        }
        const drain = await deps.gateway.drain({ dryRun: true, limit: deps.settings.drainLimit, planned, emailDailyLimit: effectiveEmailDailyLimit(deps.settings.emailDailyLimit, rampNow) });
        return { motion: request.motion, mode: 'dry_run', ramp: rampNow, pendingBatch: null, queued, waitingForBatch: scope ? scope.length : await waiting(request.motion, now), drain };
      }

      if (deps.settings.send !== 'live') return refuse(request, 'CONFLICT', 'send mode is shadow: a live dispatch would send nothing. Set "send": "live" in the config to send for real');
      const stopped = (reason: string) => refuse(request, 'EMERGENCY_STOP', `refused: ${reason} (caio resume clears the database flag)`);
      // EMERGENCY_STOP in the environment: refused without asking the database (as the gateway does).
      if (deps.gateway.envStopped) return stopped(deps.gateway.stopReasonOf(null) ?? 'EMERGENCY_STOP is set');
      const lease = `dispatch:${request.motion === 'all' ? 'outbound' : request.motion}`;
      // The stop flag, the lease (taken only when the flag is off) and the ramp's days in one statement.
      const start = await deps.control.startRun({ lease, holder, until: new Date(now.getTime() + deps.settings.leaseMs), now, sinceDay: rampSince(now) });
      const stop = deps.gateway.stopReasonOf(start.stop);
      if (stop) return stopped(stop);
      if (!start.acquired) return refuse(request, 'CONFLICT', `another live ${request.motion} dispatch is already running; try again when it has finished`);
      const rampNow = rampOf(start.days, now);
      let released = false;
      try {
        await checkHealth(start.activeCampaigns);
        let pendingBatch: DispatchReport['pendingBatch'] = null;
        let pendingBatches: NonNullable<DispatchReport['pendingBatches']> = [];
        let queued: DispatchReport['queued'] = null;
        // Set when this run froze its motion's scope: the scope's items the freeze left out, which
        // is what a new batch would hold now (the rest is in an open batch), without a second scope.
        let leftOut: number | null = null;
        if (request.batchId) {
          const executed = await deps.gatekeeper.execute(request.batchId, request.by);
          const { rows, rejected } = await toOutboxItems(executed.batch, executed.items, rampNow, now);
          const result = await deps.outbox.enqueue(rows);
          const revivals = await queueRevivals(executed.items.filter(isRevival), request.by, now);
          queued = { batchId: executed.batch.id, items: result.inserted.filter((r) => r.status === 'queued').length, duplicates: result.duplicates.length, rejected, ...revivalCounts(executed.items, revivals) };
          await deps.audit.append({
            at: now,
            actor: request.by,
            action: 'dispatch.batch_queued',
            entityType: 'batch',
            entityId: executed.batch.id,
            runId: null,
            details: { queued: queued.items, duplicates: queued.duplicates, rejected: rejected.length },
          });
        } else if (deps.settings.gatekeeperRequired) {
          // The `all` tick's CRM re-contacts wait in a batch of their own (issue 21 item 3).
          const scope = await scopeFor(request.motion, now, true);
          const batches = scope.length > 0 ? await deps.gatekeeper.freezeBatches(request.motion, scope, request.by) : [];
          pendingBatches = batches.map((batch) => ({ id: batch.id, motion: batch.motion, items: batch.scope.length, expiresAt: batch.expiresAt.toISOString() }));
          pendingBatch = batches[0] ? { id: batches[0].id, items: batches[0].scope.length, expiresAt: batches[0].expiresAt.toISOString() } : null;
          leftOut = scope.length - batches.reduce((n, b) => n + b.scope.length, 0);
        } else {
          // Gatekeeper not required (config): the batch is still recorded and audited, approved by the operator.
          const scope = await scopeFor(request.motion, now, true);
          if (scope.length > 0) {
            const batch = await deps.gatekeeper.freeze(request.motion, scope, request.by);
            await deps.gatekeeper.approve(batch.id, `${request.by} (gatekeeper not required)`);
            const executed = await deps.gatekeeper.execute(batch.id, request.by);
            const { rows, rejected } = await toOutboxItems(executed.batch, executed.items, rampNow, now);
            const result = await deps.outbox.enqueue(rows);
            const revivals = await queueRevivals(executed.items.filter(isRevival), request.by, now);
            queued = { batchId: batch.id, items: result.inserted.filter((r) => r.status === 'queued').length, duplicates: result.duplicates.length, rejected, ...revivalCounts(executed.items, revivals) };
          }
        }
        const drain = await deps.gateway.drain({ dryRun: false, limit: deps.settings.drainLimit, emailDailyLimit: effectiveEmailDailyLimit(deps.settings.emailDailyLimit, rampNow) });
        // Given back as soon as nothing more is written (what is left only reads); the release says whether we still held it.
        released = true;
        if (!(await deps.control.releaseLease(lease, holder))) {
          await deps.alerts.send({
            severity: 'warning',
            title: 'dispatch lease lost',
            body: `The ${lease} lease expired during a live run; another process may have taken over. Nothing was sent twice (the outbox claim prevents it).`,
            metadata: { lease },
          });
        }
        return { motion: request.motion, mode: 'live', ramp: rampNow, pendingBatch, ...(pendingBatches.length > 1 ? { pendingBatches } : {}), queued, waitingForBatch: leftOut ?? (await waiting(request.motion, deps.clock.now())), drain };
      } finally {
        if (!released) await deps.control.releaseLease(lease, holder);
      }
    },

    /** The emergency stop: persisted first (every process checks it per item), then live campaigns paused. */
    stop: async (by: string, reason: string) => {
      if (!by.trim()) throw new AppError('INVALID_INPUT', 'say who stops (--by NAME)');
      // A stop without a reason is allowed (stopping must never wait for words); explainStop adds one later.
      const why = reason.trim() || null;
      const said = why ?? 'no reason given yet';
      const at = deps.clock.now();
      await deps.control.setEmergencyStop({ active: true, reason: why, setBy: by.trim(), setAt: at });
      await deps.audit.append({ at, actor: by.trim(), action: 'emergency_stop.set', entityType: 'control', entityId: 'emergency_stop', runId: null, details: { reason: why } });
      const paused: Record<string, number | string> = {};
      for (const [name, channel] of Object.entries(deps.channels)) {
        if (!channel?.pauseAll) continue;
        try {
          paused[name] = await channel.pauseAll();
        } catch (error) {
          paused[name] = `failed: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      await deps.alerts.send({ severity: 'critical', title: 'EMERGENCY STOP', body: `Set by ${by.trim()}: ${said}. Nothing will be sent until caio resume.`, metadata: { paused } });
      await escalate(() =>
        deps.escalation?.report({ key: EMERGENCY_STOP_INCIDENT, kind: 'emergency_stop', title: 'Emergency stop: all sending is off', detail: `Set by ${by.trim()}: ${said}`, since: at, leadsAffected: 0, sendingAffected: true }),
      );
      return { at, paused };
    },

    /** The reason of the stop in force, given afterwards (or corrected); refused when no stop is set. */
    explainStop: async (by: string, reason: string) => {
      if (!by.trim()) throw new AppError('INVALID_INPUT', 'say who explains the stop (--by NAME)');
      if (!reason.trim()) throw new AppError('INVALID_INPUT', 'give the reason (--reason)');
      const stop = await deps.control.emergencyStop();
      if (!stop?.active) throw new AppError('CONFLICT', 'no emergency stop is set');
      const at = deps.clock.now();
      await deps.control.setEmergencyStop({ ...stop, reason: reason.trim() });
      await deps.audit.append({
        at,
        actor: by.trim(),
        action: 'emergency_stop.reason_added',
        entityType: 'control',
        entityId: 'emergency_stop',
        runId: null,
        details: { reason: reason.trim(), setBy: stop.setBy, setAt: stop.setAt.toISOString() },
      });
      return { at, reason: reason.trim() };
    },

    resume: async (by: string) => {
      if (!by.trim()) throw new AppError('INVALID_INPUT', 'say who resumes (--by NAME)');
      const at = deps.clock.now();
      await deps.control.setEmergencyStop({ active: false, reason: null, setBy: by.trim(), setAt: at });
      await deps.audit.append({ at, actor: by.trim(), action: 'emergency_stop.cleared', entityType: 'control', entityId: 'emergency_stop', runId: null, details: {} });
      await escalate(() => deps.escalation?.resolve(EMERGENCY_STOP_INCIDENT));
      return { at };
    },
  };
};

export type Operator = ReturnType<typeof createOperator>;
