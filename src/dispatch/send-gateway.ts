import { randomBytes } from 'node:crypto';
import { authorize, type AgentAction } from '../domain/agents/index.js';
import { leadIdentities } from '../domain/lead.js';
import {
  checkAddressFormat,
  checkRecipient,
  checkSendQuota,
  crossChannelCapHit,
  isWithinBusinessHours,
  linkedinDailyLimit,
  nextBusinessStart,
  nextSendAt,
  type BusinessHours,
  type LinkedinWarmup,
  type QuotaLimits,
  type RecipientPolicy,
  type SuppressionReason,
} from '../domain/sending/index.js';
import { isAppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { AlertPort, AuditStore } from '../pipeline/ports.js';
import type { SendChannel } from '../pipeline/ports.js';
import type { ControlStore, DrainReport, ItemOutcome, ItemReport, LeadStateQuery, OutboundChannel, OutboxItem, OutboxStore, SendRecord } from './ports.js';

export type GatewaySettings = {
  limits: Omit<QuotaLimits, 'senderDailyLimit' | 'linkedinDailyLimit'>;
  linkedinWarmup: LinkedinWarmup;
  /** The email daily limit; a drain may lower it (the supervised ramp's override). */
  emailDailyLimit: number;
  senders: readonly { email: string; dailyLimit: number }[];
  recipients: RecipientPolicy;
  /** For channels that send at once (GHL); Instantly and HeyReach send on their own schedules. */
  businessHours: BusinessHours;
  jitterSeconds: number;
  /** A claim older than this with no outcome is treated as a crash and reconciled. */
  claimLeaseMs: number;
};

export type GatewayDeps = {
  outbox: OutboxStore;
  control: ControlStore;
  leads: LeadStateQuery;
  isSuppressed: () => Promise<(identity: string) => boolean>;
  channels: Partial<Record<SendChannel, OutboundChannel>>;
  audit: AuditStore;
  alerts: AlertPort;
  clock: Clock;
  /** EMERGENCY_STOP from the environment: blocks as the database flag does. */
  envEmergencyStop: boolean;
  settings: GatewaySettings;
  random?: () => number;
  newToken?: () => string;
  /** Told after each send the provider accepted (the signal loop records the touch); never fails a send. */
  /** Every item's outcome in a live drain (metrics: sends by channel, refusals by guard). */
  onItem?: (report: ItemReport) => void;
  onSent?: (item: { id: string; leadId: string | null; channel: SendChannel; step: string; providerRef: string }, at: Date) => Promise<void>;
};

// The reports are declared with the ports (the OPERATOR's report, which the API serves, holds one).
export type { DrainReport, ItemOutcome, ItemReport } from './ports.js';

const ACTION: Record<SendChannel, AgentAction> = { instantly: 'instantly_add_leads', heyreach: 'heyreach_add_leads_to_list', ghl: 'send_email' };
const CHANNEL_KIND: Record<SendChannel, 'email' | 'linkedin'> = { instantly: 'email', ghl: 'email', heyreach: 'linkedin' };
const DAY_MS = 86_400_000;

type Verdict = { kind: 'send'; sender: string | null } | { kind: 'defer'; until: Date; reason: string } | { kind: 'reject'; reason: string };

const suppressionOf = (state: { status: string; disqualificationReason: string | null }, suppressedIdentity: boolean): SuppressionReason | null => {
  if (suppressedIdentity) return 'do_not_contact';
  if (state.status === 'unsubscribed') return 'unsubscribed';
  if (state.status === 'bounced') return 'bounced';
  if (state.status === 'do_not_contact') return 'do_not_contact';
  if (state.status === 'disqualified') return state.disqualificationReason === 'competitor' ? 'competitor' : 'do_not_contact';
  return null;
};

/**
 * The one door every outbound action goes through. Per item, in this order: emergency stop (the
 * database flag and EMERGENCY_STOP, read again for every item) -> suppression -> excluded domains
 * and emails -> address format -> quotas (daily, hourly, monthly, per-domain hourly, minimum delay,
 * per sender; LinkedIn warm-up) -> business hours (GHL) and the cross-channel cap -> agent
 * permission -> the dedup claim (committed) -> the provider call. Domain concentration is applied
 * per batch when the batch is queued (operator.ts). Send mode is checked by the caller: in shadow
 * mode the gateway is never asked to send. A dry run evaluates the same guards and writes nothing.
 */
export const createSendGateway = (deps: GatewayDeps) => {
  const random = deps.random ?? Math.random;
  const newToken = deps.newToken ?? (() => randomBytes(12).toString('hex'));
  const { settings } = deps;

  const stopReason = async (): Promise<string | null> => {
    if (deps.envEmergencyStop) return 'EMERGENCY_STOP is set in the environment';
    const stop = await deps.control.emergencyStop();
    return stop?.active ? `emergency stop set by ${stop.setBy}${stop.reason ? `: ${stop.reason}` : ''}` : null;
  };

  const senderFor = (item: OutboxItem, history: readonly SendRecord[], now: Date): { sender: string | null; dailyLimit: number | null } => {
    if (CHANNEL_KIND[item.channel] !== 'email' || settings.senders.length === 0) return { sender: item.sender, dailyLimit: null };
    // Round-robin: the sender with the fewest sends today that still has room.
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const used = (s: string) => history.filter((h) => h.sender === s && h.at >= today).length;
    const ranked = [...settings.senders].map((s) => ({ ...s, used: used(s.email) })).sort((a, b) => a.used - b.used || a.email.localeCompare(b.email));
    const pick = item.sender ? (ranked.find((s) => s.email === item.sender) ?? ranked[0]!) : (ranked.find((s) => s.used < s.dailyLimit) ?? ranked[0]!);
    return { sender: pick.email, dailyLimit: pick.dailyLimit };
  };

  const evaluate = async (item: OutboxItem, history: SendRecord[], matcher: (identity: string) => boolean, now: Date, emailDailyLimit: number, planned: Map<string, { channel: string; at: Date }[]>): Promise<Verdict> => {
    const state = item.leadId ? await deps.leads.leadState(item.leadId) : null;
    if (!state) return { kind: 'reject', reason: 'lead_missing' };
    const identities = leadIdentities({ email: state.email, linkedinUrl: state.linkedinUrl });
    const suppression = suppressionOf(state, identities.some(matcher));
    if (CHANNEL_KIND[item.channel] === 'email') {
      const recipient = checkRecipient(item.recipient, suppression, settings.recipients);
      if (!recipient.ok) return { kind: 'reject', reason: recipient.error.code === 'suppressed' ? `suppressed:${recipient.error.reason}` : recipient.error.code };
      const format = checkAddressFormat(item.recipient);
      if (!format.ok) return { kind: 'reject', reason: format.error.code };
    } else {
      if (suppression) return { kind: 'reject', reason: `suppressed:${suppression}` };
      if (!/^(https?:\/\/)?([a-z]{2,3}\.)?linkedin\.com\/in\/[^/?#\s]+\/?$/i.test(item.recipient)) return { kind: 'reject', reason: 'invalid_linkedin_url' };
      if (state.email && !checkRecipient(state.email, null, settings.recipients).ok) return { kind: 'reject', reason: 'excluded_recipient_domain' };
    }
    const { sender, dailyLimit } = senderFor(item, history, now);
    // Instantly paces the actual e-mails itself (campaign email_gap and schedule): the minimum delay
    // between two sends of one inbox applies to channels that send at once (GHL).
    const minDelaySeconds = item.channel === 'ghl' ? settings.limits.minDelaySeconds : 0;
    const quota = checkSendQuota(
      { channel: CHANNEL_KIND[item.channel], sender, recipientDomain: item.recipientDomain },
      { ...settings.limits, minDelaySeconds, emailDailyLimit, senderDailyLimit: dailyLimit, linkedinDailyLimit: linkedinDailyLimit(settings.linkedinWarmup, now).limit },
      history,
      now,
    );
    if (!quota.allowed) return { kind: 'defer', until: quota.retryAt ?? new Date(now.getTime() + 3_600_000), reason: quota.code };
    if (item.channel === 'ghl') {
      if (!isWithinBusinessHours(now, null, settings.businessHours)) return { kind: 'defer', until: nextBusinessStart(now, null, settings.businessHours) ?? new Date(now.getTime() + 3_600_000), reason: 'outside_business_hours' };
      const last = history.filter((h) => h.sender === sender).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
      if (last) {
        const next = nextSendAt(last.at, { minGapSeconds: settings.limits.minDelaySeconds, jitterSeconds: settings.jitterSeconds }, random);
        if (next > now) return { kind: 'defer', until: next, reason: 'inbox_gap' };
      }
    }
    if (item.leadId) {
      // Touches already made, plus (dry run) the ones this run would make.
      const touches = [...(await deps.outbox.leadSendsSince(item.leadId, new Date(now.getTime() - DAY_MS))), ...(planned.get(item.leadId) ?? [])];
      if (
        crossChannelCapHit(
          touches.map((t) => ({ at: t.at, channel: CHANNEL_KIND[t.channel as SendChannel] ?? 'email' })),
          CHANNEL_KIND[item.channel],
          now,
        )
      ) {
        return { kind: 'defer', until: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)), reason: 'cross_channel_cap' };
      }
    }
    const ghlSends = history.filter((h) => h.provider === 'ghl');
    const day = ghlSends.filter((h) => h.at.getTime() > now.getTime() - DAY_MS).length;
    const hour = ghlSends.filter((h) => h.at.getTime() > now.getTime() - 3_600_000).length;
    const minute = ghlSends.filter((h) => h.at.getTime() > now.getTime() - 60_000).length;
    // The agent's action-rate limits count actions that reach a person at once (a GHL e-mail). Adding a
    // lead to an Instantly campaign or a HeyReach list queues it at the provider, which paces the real
    // sends itself (campaign daily limit, e-mail gap); the daily quotas above still count those.
    const immediate = item.channel === 'ghl';
    const permission = authorize({
      role: 'OPERATOR',
      action: ACTION[item.channel],
      approved: true,
      grounding: { source: 'internal', verifiedAt: now },
      now,
      ...(immediate ? { recentActionCount: { role: { lastMinute: minute, lastHour: hour, lastDay: day }, action: { lastMinute: minute, lastHour: hour, lastDay: day } } } : {}),
    });
    if (!permission.allowed) {
      return permission.code === 'AGENT_RATE_LIMITED' ? { kind: 'defer', until: new Date(now.getTime() + 60_000), reason: permission.code } : { kind: 'reject', reason: permission.code };
    }
    return { kind: 'send', sender };
  };

  const audit = (action: string, item: OutboxItem, details: Record<string, unknown>) =>
    deps.audit.append({ at: deps.clock.now(), actor: 'OPERATOR', action, entityType: 'outbox', entityId: item.id, runId: null, details: { leadId: item.leadId, channel: item.channel, batchId: item.batchId, ...details } });

  /** Claims a crash or an outage left open: ask the provider, never resend blindly. */
  const reconcile = async (): Promise<ItemReport[]> => {
    const now = deps.clock.now();
    const reports: ItemReport[] = [];
    for (const item of await deps.outbox.unresolved(new Date(now.getTime() - settings.claimLeaseMs))) {
      const channel = deps.channels[item.channel];
      let result: Awaited<ReturnType<OutboundChannel['lookup']>> = { found: 'unknown' };
      try {
        if (channel) result = await channel.lookup(item);
      } catch {
        result = { found: 'unknown' };
      }
      if (result.found === true) {
        await deps.outbox.resolve(item.id, { status: 'sent', providerRef: result.providerRef, at: now });
        await audit('outbox.reconciled_sent', item, { providerRef: result.providerRef });
        // The lead's side of it too (status, timeline, cadence), as for any send; `caio leads bootstrap` repairs a miss.
        await deps.onSent?.({ id: item.id, leadId: item.leadId, channel: item.channel, step: item.step, providerRef: result.providerRef }, now).catch(() => undefined);
        reports.push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'sent', reason: 'reconciled: the provider has it', providerRef: result.providerRef });
      } else if (result.found === false) {
        await deps.outbox.resolve(item.id, { status: 'queued', reason: 'reconciled: the provider does not have it' });
        await audit('outbox.reconciled_requeued', item, {});
        reports.push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: 'reconciled: not at the provider, queued again' });
      } else {
        if (item.status !== 'uncertain') {
          await deps.outbox.resolve(item.id, { status: 'uncertain', reason: 'needs a person: the provider cannot say whether it was sent' });
          await audit('outbox.needs_review', item, {});
          await deps.alerts.send({
            severity: 'warning',
            title: 'an outbound item needs a person',
            body: `Outbox item ${item.id} (${item.channel}) may or may not have been sent; it will not be resent automatically.`,
            metadata: { outboxId: item.id, channel: item.channel },
          });
        }
        reports.push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'uncertain', reason: 'needs a person: the provider cannot say whether it was sent' });
      }
    }
    return reports;
  };

  return {
    stopReason,
    reconcile,
    /**
     * Send what is due, one item at a time (so a stop set mid-run holds the very next item).
     * `dryRun`: the same evaluation over the same items with an in-memory history; nothing is written.
     */
    drain: async ({ dryRun, limit, planned = [], emailDailyLimit = settings.emailDailyLimit }: { dryRun: boolean; limit: number; planned?: OutboxItem[]; emailDailyLimit?: number }): Promise<DrainReport> => {
      const counts: Record<ItemOutcome, number> = { sent: 0, would_send: 0, deferred: 0, rejected: 0, failed: 0, uncertain: 0, skipped: 0, stopped: 0 };
      const report: DrainReport = { dryRun, stopped: false, stopReason: null, reconciled: [], items: [], counts };
      const push = (r: ItemReport) => {
        report.items.push(r);
        counts[r.outcome]++;
        if (!dryRun) deps.onItem?.(r);
      };
      if (!dryRun) report.reconciled = await reconcile();
      const now0 = deps.clock.now();
      // `planned`: items a batch would queue (dry runs only), judged after what is already queued.
      const due = [...(await deps.outbox.due(now0, limit)), ...(dryRun ? planned : [])];
      const monthStart = new Date(Date.UTC(now0.getUTCFullYear(), now0.getUTCMonth(), 1));
      const history = await deps.outbox.sentSince(new Date(Math.min(monthStart.getTime(), now0.getTime() - DAY_MS)));
      const matcher = await deps.isSuppressed();
      const plannedTouches = new Map<string, { channel: string; at: Date }[]>();
      for (const item of due) {
        const halt = await stopReason();
        if (halt) {
          report.stopped = true;
          report.stopReason = halt;
          for (const rest of due.slice(due.indexOf(item))) push({ outboxId: rest.id, leadId: rest.leadId, channel: rest.channel, outcome: 'stopped', reason: halt });
          if (!dryRun)
            await deps.audit.append({ at: deps.clock.now(), actor: 'OPERATOR', action: 'dispatch.stopped', entityType: 'outbox', entityId: null, runId: null, details: { reason: halt, remaining: due.length - due.indexOf(item) } });
          break;
        }
        const now = deps.clock.now();
        const verdict = await evaluate(item, history, matcher, now, emailDailyLimit, plannedTouches);
        if (verdict.kind === 'reject') {
          if (!dryRun) {
            await deps.outbox.reject(item.id, verdict.reason);
            await audit('outbox.rejected', item, { reason: verdict.reason });
          }
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'rejected', reason: verdict.reason });
          continue;
        }
        if (verdict.kind === 'defer') {
          if (!dryRun) await deps.outbox.defer(item.id, verdict.until, verdict.reason);
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: verdict.reason, notBefore: verdict.until.toISOString() });
          continue;
        }
        const record: SendRecord = { at: now, channel: CHANNEL_KIND[item.channel], sender: verdict.sender, recipientDomain: item.recipientDomain, provider: item.channel };
        if (dryRun) {
          history.push(record);
          if (item.leadId) plannedTouches.set(item.leadId, [...(plannedTouches.get(item.leadId) ?? []), { channel: item.channel, at: now }]);
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'would_send', reason: null });
          continue;
        }
        const channel = deps.channels[item.channel];
        if (!channel) {
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'skipped', reason: `${item.channel} is not configured` });
          continue;
        }
        const token = newToken();
        if (!(await deps.outbox.claim(item.id, token, now))) {
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'skipped', reason: 'claimed by another dispatcher' });
          continue;
        }
        history.push(record);
        try {
          const { providerRef } = await channel.deliver({ ...item, sender: verdict.sender, claimedAt: now }, now);
          await deps.outbox.markSent(item.id, token, providerRef, deps.clock.now());
          await audit('outbox.sent', item, { providerRef, sender: verdict.sender });
          await deps.onSent?.({ id: item.id, leadId: item.leadId, channel: item.channel, step: item.step, providerRef }, deps.clock.now()).catch(() => undefined);
          push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'sent', reason: null, providerRef });
        } catch (error) {
          const code = isAppError(error) ? error.code : 'INTERNAL';
          // A provider may echo the recipient in its error: the outbox and the append-only audit
          // log keep the message without it (an erasure cannot reach the audit log afterwards).
          const message = withoutRecipient(error instanceof Error ? error.message : String(error), item.recipient);
          // No answer, or a 5xx: the provider may have it. Rate limited, or a connection that
          // never opened (the HTTP layer says `uncertain: false`): it surely has not, so the item
          // waits and goes again. The send is the last call of every channel's deliver, so nothing
          // of this item reached the provider.
          const notSent = code === 'PROVIDER_UNAVAILABLE' && isAppError(error) && error.details.uncertain === false;
          if (code === 'PROVIDER_RATE_LIMITED' || notSent) {
            history.pop();
            await deps.outbox.defer(item.id, new Date(now.getTime() + 60_000), code, token);
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'deferred', reason: code });
          } else if (code === 'PROVIDER_UNAVAILABLE') {
            await deps.outbox.markUncertain(item.id, token, message, deps.clock.now());
            await audit('outbox.uncertain', item, { code, message });
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'uncertain', reason: message });
          } else {
            history.pop();
            await deps.outbox.markFailed(item.id, token, `${code}: ${message}`, deps.clock.now());
            await audit('outbox.failed', item, { code, message });
            push({ outboxId: item.id, leadId: item.leadId, channel: item.channel, outcome: 'failed', reason: `${code}: ${message}` });
          }
        }
      }
      return report;
    },
  };
};

export type SendGateway = ReturnType<typeof createSendGateway>;

const withoutRecipient = (message: string, recipient: string | null): string => {
  if (!recipient) return message;
  const escaped = recipient.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message.replace(new RegExp(`${escaped}|${escaped.replace(/@/g, '%40')}`, 'gi'), '[recipient]');
};
