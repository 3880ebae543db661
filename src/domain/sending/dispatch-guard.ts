/**
 * The send gateway's decision on one outbox item, from facts the gateway has read (the lead, the
 * suppression list, the send history, the lead's recent touches). Per item, in this order:
 * suppression -> excluded domains and emails -> address format (LinkedIn: the profile URL) ->
 * quotas (daily, hourly, monthly, per-domain hourly, minimum delay, per sender; LinkedIn warm-up) ->
 * business hours and the inbox gap (GHL) -> the cross-channel cap -> agent permission. The first
 * refusal wins. The emergency stop comes before all of these and is read per item by the gateway.
 */
import { authorize, type AgentAction } from '../agents/index.js';
import { isSendableLinkedinProfileUrl, leadIdentities } from '../lead.js';
import { ghlSendWindows } from './ghl-send-windows.js';
import { ledgerOf, senderAnyKey, type SendHistory } from './send-ledger.js';
import { checkSendQuota, linkedinDailyLimit, type LinkedinWarmup, type QuotaLimits, type SendChannel, type SendRecord } from './quotas.js';
import { checkAddressFormat, checkRecipient, type RecipientPolicy, type SuppressionReason } from './recipient-guards.js';
import { crossChannelCapHit, isWithinBusinessHours, nextBusinessStart, nextSendAt, startOfNextUtcDay, startOfUtcDay, type BusinessHours } from './timing.js';

/** The providers the gateway sends through. */
export type OutboundProvider = 'instantly' | 'heyreach' | 'ghl';

const CHANNEL_KIND: Record<OutboundProvider, SendChannel> = { instantly: 'email', ghl: 'email', heyreach: 'linkedin' };
const ACTION: Record<OutboundProvider, AgentAction> = { instantly: 'instantly_add_leads', heyreach: 'heyreach_add_leads_to_list', ghl: 'send_email' };
const HOUR_MS = 3_600_000;

/** Whether a provider sends e-mail or LinkedIn touches (what the quotas count). */
export const channelKindOf = (provider: OutboundProvider): SendChannel => CHANNEL_KIND[provider];

export type GuardSettings = {
  limits: Omit<QuotaLimits, 'senderDailyLimit' | 'linkedinDailyLimit' | 'emailDailyLimit'>;
  linkedinWarmup: LinkedinWarmup;
  /** The email daily limit of this drain (the supervised ramp may have lowered it). */
  emailDailyLimit: number;
  senders: readonly { email: string; dailyLimit: number }[];
  recipients: RecipientPolicy;
  /** For channels that send at once (GHL); Instantly and HeyReach send on their own schedules. */
  businessHours: BusinessHours;
  jitterSeconds: number;
};

/** One past send, for quotas, sender rotation and the GHL windows. */
export type ProviderSendRecord = SendRecord & { provider: OutboundProvider };

export type ItemFacts = {
  item: { channel: OutboundProvider; recipient: string; recipientDomain: string | null; sender: string | null };
  /** The lead at the moment of sending; null when the item names none or it is gone. */
  lead: { status: string; disqualificationReason: string | null; email: string | null; linkedinUrl: string | null } | null;
  /** Whether an identity (normalised e-mail, `linkedin:<profile>`) is on the suppression list. */
  isSuppressed: (identity: string) => boolean;
  /** Sends since the start of the UTC month (or the last 24 hours, whichever is longer): a ledger the drain keeps, or the records. */
  history: SendHistory;
  /** The lead's touches on any provider in the last 24 hours, with those this (dry) run would make. */
  leadTouches: readonly { channel: string; at: Date }[];
};

export type ItemVerdict = { kind: 'send'; sender: string | null } | { kind: 'defer'; until: Date; reason: string } | { kind: 'reject'; reason: string };

/** The lead's suppression state: a suppressed identity is do-not-contact; else by its status. */
export const suppressionOf = (lead: { status: string; disqualificationReason: string | null }, suppressedIdentity: boolean): SuppressionReason | null => {
  if (suppressedIdentity) return 'do_not_contact';
  if (lead.status === 'unsubscribed') return 'unsubscribed';
  if (lead.status === 'bounced') return 'bounced';
  if (lead.status === 'do_not_contact') return 'do_not_contact';
  if (lead.status === 'disqualified') return lead.disqualificationReason === 'competitor' ? 'competitor' : 'do_not_contact';
  return null;
};

/**
 * The e-mail sender: the item's own, else round-robin, the configured sender with the fewest sends
 * today (UTC) that still has room (the least used when none has). LinkedIn, and e-mail with no
 * senders configured, keep the item's sender and no per-sender limit.
 */
export const senderFor = (item: ItemFacts['item'], senders: GuardSettings['senders'], history: SendHistory, now: Date): { sender: string | null; dailyLimit: number | null } => {
  if (CHANNEL_KIND[item.channel] !== 'email' || senders.length === 0) return { sender: item.sender, dailyLimit: null };
  const today = startOfUtcDay(now);
  const ledger = ledgerOf(history);
  const used = (s: string) => ledger.count(senderAnyKey(s), today);
  const ranked = [...senders].map((s) => ({ ...s, used: used(s.email) })).sort((a, b) => a.used - b.used || a.email.localeCompare(b.email));
  const pick = item.sender ? (ranked.find((s) => s.email === item.sender) ?? ranked[0]!) : (ranked.find((s) => s.used < s.dailyLimit) ?? ranked[0]!);
  return { sender: pick.email, dailyLimit: pick.dailyLimit };
};

/** The recipient guards: a refusal's reason, or null when the recipient may be contacted. */
const recipientRefusal = (facts: ItemFacts, lead: NonNullable<ItemFacts['lead']>, policy: RecipientPolicy): string | null => {
  const { item } = facts;
  const suppression = suppressionOf(lead, leadIdentities(lead).some(facts.isSuppressed));
  if (CHANNEL_KIND[item.channel] === 'email') {
    const recipient = checkRecipient(item.recipient, suppression, policy);
    if (!recipient.ok) return recipient.error.code === 'suppressed' ? `suppressed:${recipient.error.reason}` : recipient.error.code;
    const format = checkAddressFormat(item.recipient);
    return format.ok ? null : format.error.code;
  }
  if (suppression) return `suppressed:${suppression}`;
  if (!isSendableLinkedinProfileUrl(item.recipient)) return 'invalid_linkedin_url';
  // A LinkedIn touch to a person whose e-mail is refused (excluded domain or address) is refused too.
  if (lead.email && !checkRecipient(lead.email, null, policy).ok) return 'excluded_recipient_domain';
  return null;
};

/**
 * Send, defer (until when, and why) or reject (why) one item. `random` draws the inbox gap's jitter
 * (GHL), in [0, 1).
 */
export const decideItem = (facts: ItemFacts, settings: GuardSettings, now: Date, random: () => number): ItemVerdict => {
  const { item, lead } = facts;
  if (!lead) return { kind: 'reject', reason: 'lead_missing' };
  const history = ledgerOf(facts.history);
  const refusal = recipientRefusal(facts, lead, settings.recipients);
  if (refusal) return { kind: 'reject', reason: refusal };

  const kind = CHANNEL_KIND[item.channel];
  const { sender, dailyLimit } = senderFor(item, settings.senders, history, now);
  // Instantly paces the actual e-mails itself (campaign email_gap and schedule): the minimum delay
  // between two sends of one inbox applies to channels that send at once (GHL).
  const minDelaySeconds = item.channel === 'ghl' ? settings.limits.minDelaySeconds : 0;
  const quota = checkSendQuota(
    { channel: kind, sender, recipientDomain: item.recipientDomain },
    { ...settings.limits, minDelaySeconds, emailDailyLimit: settings.emailDailyLimit, senderDailyLimit: dailyLimit, linkedinDailyLimit: linkedinDailyLimit(settings.linkedinWarmup, now).limit },
    history,
    now,
  );
  if (!quota.allowed) return { kind: 'defer', until: quota.retryAt ?? new Date(now.getTime() + HOUR_MS), reason: quota.code };

  if (item.channel === 'ghl') {
    if (!isWithinBusinessHours(now, null, settings.businessHours)) return { kind: 'defer', until: nextBusinessStart(now, null, settings.businessHours) ?? new Date(now.getTime() + HOUR_MS), reason: 'outside_business_hours' };
    const last = history.lastAt(senderAnyKey(sender));
    if (last) {
      const next = nextSendAt(last, { minGapSeconds: settings.limits.minDelaySeconds, jitterSeconds: settings.jitterSeconds }, random);
      if (next > now) return { kind: 'defer', until: next, reason: 'inbox_gap' };
    }
  }

  const touches = facts.leadTouches.map((t) => ({ at: t.at, channel: CHANNEL_KIND[t.channel as OutboundProvider] ?? 'email' }));
  if (crossChannelCapHit(touches, kind, now)) return { kind: 'defer', until: startOfNextUtcDay(now), reason: 'cross_channel_cap' };

  // The agent's action-rate limits count actions that reach a person at once (a GHL e-mail); the
  // daily quotas above count the Instantly and HeyReach sends the providers pace themselves.
  const windows = item.channel === 'ghl' ? ghlSendWindows(history, now) : null;
  const permission = authorize({
    role: 'OPERATOR',
    action: ACTION[item.channel],
    approved: true,
    grounding: { source: 'internal', verifiedAt: now },
    now,
    ...(windows ? { recentActionCount: { role: windows, action: windows } } : {}),
  });
  if (!permission.allowed) {
    return permission.code === 'AGENT_RATE_LIMITED' ? { kind: 'defer', until: new Date(now.getTime() + 60_000), reason: permission.code } : { kind: 'reject', reason: permission.code };
  }
  return { kind: 'send', sender };
};

/** Why sending is stopped (EMERGENCY_STOP in the environment, or the database flag), or null. */
export const emergencyStopReason = (envEmergencyStop: boolean, stop: { active: boolean; setBy: string; reason: string | null } | null): string | null => {
  if (envEmergencyStop) return 'EMERGENCY_STOP is set in the environment';
  return stop?.active ? `emergency stop set by ${stop.setBy}${stop.reason ? `: ${stop.reason}` : ''}` : null;
};

/** The supervised ramp's tier filter, applied when a batch is queued: the refusal's reason, or null. */
export const rampTierRefusal = (ramp: { active: boolean; tierFilter: string | null }, tier: string | null): string | null => (ramp.active && ramp.tierFilter && tier !== ramp.tierFilter ? `ramp_tier_filter:${ramp.tierFilter}` : null);
