import { applySignal, classifyReply, isLeadStatus, suppresses, type SignalType } from '../domain/signals/index.js';
import { leadIdentities } from '../domain/lead.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { readHeyReachDelivery } from '../providers/heyreach/schemas.js';
import { readInstantlyDelivery } from '../providers/instantly/schemas.js';
import type { DiscoveredLead, SuppressionStore } from '../pipeline/ports.js';
import { visitorToLead } from '../providers/rb2b/map-visitor.js';
import type { InboxItem, InboxStore, LeadEventStore } from '../store/inbox-repo.js';
import type { SignalLead, SignalLeadStore } from '../store/signals-repo.js';
import type { CadenceSync } from './cadence-sync.js';

/** One inbox delivery read as a signal: which lead (by e-mail or LinkedIn URL), what happened, when. */
export type ReadSignal = {
  email: string | null;
  linkedinUrl: string | null;
  type: SignalType | null;
  channel: 'email' | 'linkedin' | 'website';
  at: Date;
  details: Record<string, unknown>;
  /** A visitor is a lead in their own right: recorded when we do not know them yet. */ newLead?: DiscoveredLead;
  /** What was worked around (an event time out of range, replaced by the receive time). */
  flags: string[];
};

/** A stored delivery that will not be acted on, and why (an unknown event, no lead named...). */
export type IgnoredDelivery = { ignored: string };

const INSTANTLY_SIGNAL: Record<string, SignalType | null> = {
  email_sent: 'email_sent',
  email_opened: 'email_opened',
  link_clicked: 'email_clicked',
  reply_received: 'email_replied',
  email_bounced: 'email_bounced',
  lead_unsubscribed: 'unsubscribed',
  lead_meeting_booked: 'meeting_booked',
  lead_wrong_person: 'do_not_contact',
  // Recorded on the timeline, no status change: an auto-reply is not a reply; labels are a person's notes.
  auto_reply_received: null,
  lead_out_of_office: null,
  lead_interested: null,
  lead_not_interested: null,
  lead_neutral: null,
  lead_meeting_completed: null,
  lead_closed: null,
  lead_no_show: null,
  campaign_completed: null,
  account_error: null,
};

const HEYREACH_SIGNAL: Record<string, SignalType | null> = {
  CONNECTION_REQUEST_SENT: 'linkedin_connection_sent',
  CONNECTION_REQUEST_ACCEPTED: 'linkedin_connection_accepted',
  MESSAGE_REPLY_RECEIVED: 'linkedin_replied',
  EVERY_MESSAGE_REPLY_RECEIVED: 'linkedin_replied',
  INMAIL_REPLY_RECEIVED: 'linkedin_replied',
};

const DAY_MS = 24 * 3600_000;
const EARLIEST = Date.UTC(2000, 0, 1);

/**
 * When the event happened: the provider's time, unless it is unreadable, more than a day after we
 * received it, or before 2000 (a clock or a parser gone wrong). Then the receive time, with a flag
 * saying so: a time in 2099 would otherwise make every later event look late and never move the
 * lead again. No time given at all is the receive time, unflagged.
 */
export const eventTime = (given: string | Date | null | undefined, receivedAt: Date): { at: Date; flag: string | null } => {
  if (given === null || given === undefined || given === '') return { at: receivedAt, flag: null };
  const at = given instanceof Date ? given : new Date(given);
  const shown = (typeof given === 'string' ? given : given.toISOString()).slice(0, 40);
  if (Number.isNaN(at.getTime())) return { at: receivedAt, flag: `event time "${shown}" is unreadable: the receive time is used` };
  if (at.getTime() > receivedAt.getTime() + DAY_MS) return { at: receivedAt, flag: `event time ${shown} is more than a day ahead of its receipt: the receive time is used` };
  if (at.getTime() < EARLIEST) return { at: receivedAt, flag: `event time ${shown} is before 2000: the receive time is used` };
  return { at, flag: null };
};

/**
 * Read a stored delivery into a signal, or say why it is not one (the same reading as at the door,
 * so a replayed `ignored` delivery is ignored again unless the code now knows better).
 */
export const readSignal = (item: InboxItem): ReadSignal | IgnoredDelivery => {
  if (item.provider === 'instantly') {
    const read = readInstantlyDelivery(item.payload);
    if (!read.ok) return { ignored: read.reason };
    const e = read.event;
    const replyText = e.reply_text ?? e.reply_text_snippet ?? null;
    const classification = e.event_type === 'reply_received' && replyText ? classifyReply(replyText) : null;
    const time = eventTime(e.timestamp, item.receivedAt);
    return {
      email: e.lead_email ?? null,
      linkedinUrl: null,
      // A reply asking to be taken off the list is an unsubscribe (only that category suppresses).
      type: classification?.category === 'unsubscribe_request' ? 'unsubscribed' : (INSTANTLY_SIGNAL[e.event_type] ?? null),
      channel: 'email',
      at: time.at,
      details: { event: e.event_type, campaignId: e.campaign_id ?? null, step: e.step ?? null, ...(classification ? { replyCategory: classification.category } : {}), ...(e.bounce_type ? { bounceType: e.bounce_type } : {}), ...(time.flag ? { timeFlag: time.flag } : {}) },
      flags: time.flag ? [time.flag] : [],
    };
  }
  if (item.provider === 'heyreach') {
    // The stored event type came from the body, the per-event URL or a snapshot's shape.
    const read = readHeyReachDelivery(item.payload, item.eventType);
    if (!read.ok) return { ignored: read.reason };
    const e = read.event;
    const classification = HEYREACH_SIGNAL[read.eventType] === 'linkedin_replied' && e.messageText ? classifyReply(e.messageText) : null;
    const time = eventTime(e.timestamp, item.receivedAt);
    return {
      email: e.email,
      linkedinUrl: e.linkedinUrl,
      type: classification?.category === 'unsubscribe_request' ? 'unsubscribed' : (HEYREACH_SIGNAL[read.eventType] ?? null),
      channel: 'linkedin',
      at: time.at,
      details: { event: read.eventType, campaignId: e.campaignId, ...(classification ? { replyCategory: classification.category } : {}), ...(time.flag ? { timeFlag: time.flag } : {}) },
      flags: time.flag ? [time.flag] : [],
    };
  }
  if (item.provider === 'rb2b') {
    const mapped = visitorToLead(item.payload);
    if ('error' in mapped) return { ignored: mapped.error };
    // `Seen At` is parsed leniently (null when unreadable: the receive time, as the contract says).
    const time = eventTime(mapped.visit.seenAt, item.receivedAt);
    return {
      email: mapped.lead.profile.email,
      linkedinUrl: mapped.lead.profile.linkedinUrl,
      type: 'website_visit',
      channel: 'website',
      at: time.at,
      details: { event: 'visit', page: mapped.visit.pageUrl, pricingPage: mapped.visit.isPricingPage, repeat: mapped.visit.isRepeatVisit, ...(time.flag ? { timeFlag: time.flag } : {}) },
      newLead: mapped.lead,
      flags: time.flag ? [time.flag] : [],
    };
  }
  return { ignored: `no reader for provider "${item.provider.slice(0, 40)}"` };
};

export type InboxProcessorDeps = {
  inbox: InboxStore;
  events: LeadEventStore;
  leads: SignalLeadStore;
  suppressions: SuppressionStore;
  /** Queued outbound actions for a lead who must not be contacted any more are cancelled. */
  cancelOutbound: (leadId: string, reason: string) => Promise<number>;
  clock: Clock;
  log: Logger;
  /** Exits and pauses the lead's cadence on replies, bounces, unsubscribes, meetings. */
  cadence?: CadenceSync;
};

/**
 * The job that processes one inbox delivery, once: find the lead (e-mail, then LinkedIn URL), move
 * its status through the transition table (a late or duplicate event never moves it back), append
 * the event to its timeline, and for unsubscribes and bounces add the person to the suppression
 * list (the send gateway reads it) and cancel what is still queued for them. A delivery for a lead
 * we do not know is kept and flagged `unknown_lead`, not lost; one that names no lead or an event we
 * do not act on is `ignored`, with the reason. An event time out of range is replaced by the
 * receive time and flagged (on the delivery and in the event's details).
 */
export const createInboxProcessor = (deps: InboxProcessorDeps) => {
  const findLead = async (signal: ReadSignal): Promise<SignalLead | null> =>
    (signal.email ? await deps.leads.byEmail(signal.email) : null) ?? (signal.linkedinUrl ? await deps.leads.byLinkedin(signal.linkedinUrl) : null);

  const processItem = async (item: InboxItem): Promise<'processed' | 'unknown_lead' | 'ignored' | 'failed' | 'skipped'> => {
    if (item.status !== 'pending') return 'skipped';
    const now = deps.clock.now();
    if (!(await deps.inbox.claim(item.id, now))) return 'skipped';
    const signal = readSignal(item);
    if ('ignored' in signal) {
      await deps.inbox.finish(item.id, 'processing', { status: 'ignored', leadId: null, error: signal.ignored, at: now });
      return 'ignored';
    }
    let lead = await findLead(signal);
    if (!lead && signal.newLead) lead = await deps.leads.byId(await deps.leads.fromDiscovered(signal.newLead, 'rb2b'));
    if (!lead) {
      await deps.inbox.finish(item.id, 'processing', { status: 'unknown_lead', leadId: null, error: null, at: now, flags: signal.flags });
      return 'unknown_lead';
    }
    let current = lead;
    const decide = async (status: string) => {
      if (!signal.type || !isLeadStatus(status)) return null;
      const history = await deps.events.stateOf(lead.id);
      return applySignal({ status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: signal.type, at: signal.at, source: item.provider });
    };
    let outcome = await decide(current.status);
    // Another event may have moved the lead meanwhile: re-read and decide again (never a blind overwrite).
    for (let attempt = 0; outcome?.changed && attempt < 3; attempt++) {
      if (await deps.leads.setStatus(current.id, current.status, outcome.status, now)) break;
      current = (await deps.leads.byId(current.id)) ?? current;
      outcome = await decide(current.status);
    }
    await deps.events.append({
      leadId: lead.id,
      at: signal.at,
      channel: signal.channel,
      type: signal.type ?? String(signal.details.event ?? item.eventType),
      source: item.provider,
      fromStatus: outcome?.changed ? current.status : null,
      toStatus: outcome?.changed ? outcome.status : null,
      inboxId: item.id,
      details: { ...signal.details, ...(outcome && !outcome.changed ? { unchanged: outcome.reason } : {}) },
    });
    if (outcome?.changed && suppresses(outcome.status)) {
      for (const identity of leadIdentities({ email: lead.email, linkedinUrl: lead.linkedinUrl })) await deps.suppressions.add(identity, outcome.status);
      const cancelled = await deps.cancelOutbound(lead.id, outcome.status);
      deps.log.info({ leadId: lead.id, status: outcome.status, cancelled }, 'lead suppressed by a webhook');
    }
    if (signal.type) await deps.cadence?.onSignal(lead.id, signal.type, signal.at);
    await deps.inbox.finish(item.id, 'processing', { status: 'processed', leadId: lead.id, error: null, at: now, flags: signal.flags });
    return 'processed';
  };

  return {
    /** Process one stored delivery (the receiver calls this right after acknowledging it). */
    process: async (id: string) => {
      const item = await deps.inbox.get(id);
      if (!item) return 'skipped' as const;
      try {
        return await processItem(item);
      } catch (error) {
        deps.log.error({ inboxId: id, err: error instanceof Error ? error.message : String(error) }, 'webhook processing failed');
        await deps.inbox.finish(id, 'processing', { status: 'failed', leadId: null, error: error instanceof Error ? error.message : String(error), at: deps.clock.now() });
        return 'failed' as const;
      }
    },
    /** Deliveries stored but not processed (a crash after the 2xx, a queue that was down): the sweep job. */
    processPending: async (limit = 1000, receivedBefore?: Date) => {
      // A claim ten minutes old is a worker that died mid-delivery: that delivery is processed again.
      await deps.inbox.releaseStale(new Date(deps.clock.now().getTime() - 600_000));
      let n = 0;
      for (const item of await deps.inbox.pending(limit, receivedBefore)) if ((await processItem(item)) === 'processed') n++;
      return n;
    },
    /** `caio webhooks replay`: process a stored delivery again from scratch (an operator's decision). */
    replay: async (id: string) => {
      if (!(await deps.inbox.reset(id))) return null;
      const item = await deps.inbox.get(id);
      return item ? processItem(item) : null;
    },
  };
};

export type InboxProcessor = ReturnType<typeof createInboxProcessor>;
