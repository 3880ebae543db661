import { applySignal, classifyReply, isLeadStatus, suppresses, type SignalType } from '../domain/signals/index.js';
import { leadIdentities } from '../domain/lead.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { WebhookEventSchema as HeyReachEventSchema } from '../providers/heyreach/schemas.js';
import { WebhookEventSchema as InstantlyEventSchema } from '../providers/instantly/schemas.js';
import type { DiscoveredLead, SuppressionStore } from '../pipeline/ports.js';
import { visitorToLead } from '../providers/rb2b/map-visitor.js';
import type { InboxItem, InboxStore, LeadEventStore } from '../store/inbox-repo.js';
import type { SignalLead, SignalLeadStore } from '../store/signals-repo.js';
import type { CadenceSync } from './cadence-sync.js';

/** One inbox delivery read as a signal: which lead (by e-mail or LinkedIn URL), what happened, when. */
export type ReadSignal = { email: string | null; linkedinUrl: string | null; type: SignalType | null; channel: 'email' | 'linkedin' | 'website'; at: Date; details: Record<string, unknown>; /** A visitor is a lead in their own right: recorded when we do not know them yet. */ newLead?: DiscoveredLead };

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

const dateOr = (value: string | null | undefined, fallback: Date): Date => {
  const d = value ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : fallback;
};

/** Read a stored delivery (already verified and validated at the door) into a signal. */
export const readSignal = (item: InboxItem): ReadSignal | null => {
  if (item.provider === 'instantly') {
    const parsed = InstantlyEventSchema.safeParse(item.payload);
    if (!parsed.success) return null;
    const e = parsed.data;
    const replyText = e.reply_text ?? e.reply_text_snippet ?? null;
    const classification = e.event_type === 'reply_received' && replyText ? classifyReply(replyText) : null;
    return {
      email: e.lead_email ?? null,
      linkedinUrl: null,
      // A reply asking to be taken off the list is an unsubscribe (only that category suppresses).
      type: classification?.category === 'unsubscribe_request' ? 'unsubscribed' : (INSTANTLY_SIGNAL[e.event_type] ?? null),
      channel: 'email',
      at: dateOr(e.timestamp, item.receivedAt),
      details: { event: e.event_type, campaignId: e.campaign_id ?? null, step: e.step ?? null, ...(classification ? { replyCategory: classification.category } : {}), ...(e.bounce_type ? { bounceType: e.bounce_type } : {}) },
    };
  }
  if (item.provider === 'heyreach') {
    const parsed = HeyReachEventSchema.safeParse(item.payload);
    if (!parsed.success) return null;
    const e = parsed.data;
    const classification = HEYREACH_SIGNAL[e.eventType] === 'linkedin_replied' && e.messageText ? classifyReply(e.messageText) : null;
    return {
      email: e.email,
      linkedinUrl: e.linkedinUrl,
      type: classification?.category === 'unsubscribe_request' ? 'unsubscribed' : (HEYREACH_SIGNAL[e.eventType] ?? null),
      channel: 'linkedin',
      at: dateOr(e.timestamp, item.receivedAt),
      details: { event: e.eventType, campaignId: e.campaignId, ...(classification ? { replyCategory: classification.category } : {}) },
    };
  }
  if (item.provider === 'rb2b') {
    const mapped = visitorToLead(item.payload);
    if ('error' in mapped) return null;
    return {
      email: mapped.lead.profile.email,
      linkedinUrl: mapped.lead.profile.linkedinUrl,
      type: 'website_visit',
      channel: 'website',
      at: mapped.visit.seenAt ?? item.receivedAt,
      details: { event: 'visit', page: mapped.visit.pageUrl, pricingPage: mapped.visit.isPricingPage, repeat: mapped.visit.isRepeatVisit },
      newLead: mapped.lead,
    };
  }
  return null;
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
 * we do not know is kept and flagged `unknown_lead`, not lost.
 */
export const createInboxProcessor = (deps: InboxProcessorDeps) => {
  const findLead = async (signal: ReadSignal): Promise<SignalLead | null> =>
    (signal.email ? await deps.leads.byEmail(signal.email) : null) ?? (signal.linkedinUrl ? await deps.leads.byLinkedin(signal.linkedinUrl) : null);

  const processItem = async (item: InboxItem): Promise<'processed' | 'unknown_lead' | 'failed' | 'skipped'> => {
    if (item.status !== 'pending') return 'skipped';
    const now = deps.clock.now();
    if (!(await deps.inbox.claim(item.id, now))) return 'skipped';
    const signal = readSignal(item);
    if (!signal) {
      await deps.inbox.finish(item.id, 'processing', { status: 'failed', leadId: null, error: 'unreadable payload', at: now });
      return 'failed';
    }
    let lead = await findLead(signal);
    if (!lead && signal.newLead) lead = await deps.leads.byId(await deps.leads.fromDiscovered(signal.newLead, 'rb2b'));
    if (!lead) {
      await deps.inbox.finish(item.id, 'processing', { status: 'unknown_lead', leadId: null, error: null, at: now });
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
    await deps.inbox.finish(item.id, 'processing', { status: 'processed', leadId: lead.id, error: null, at: now });
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
