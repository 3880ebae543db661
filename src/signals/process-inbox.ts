import { safeErrorMessage } from '../lib/redact.js';
import { applySignal, classifyReply, isLeadStatus, LEAD_STATUS_TRANSITIONS, suppresses, type SignalType } from '../domain/signals/index.js';
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
import type { UnitOfWork } from './ports.js';

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

/** What processing one delivery reads and writes. The app binds them all to one transaction (compose.ts). */
export type DeliveryStores = {
  inbox: InboxStore;
  events: LeadEventStore;
  leads: SignalLeadStore;
  suppressions: SuppressionStore;
  /** Queued outbound actions for a lead who must not be contacted any more are cancelled. */
  cancelOutbound: (leadId: string, reason: string) => Promise<number>;
  /** Exits and pauses the lead's cadence on replies, bounces, unsubscribes, meetings. */
  cadence?: CadenceSync;
};

/**
 * `inbox` (not in a transaction) lists what the sweep processes and records failures. With a
 * `unitOfWork` each delivery is processed with the stores it hands out, in one transaction; without
 * one (tests of the rules) the stores given here are used and each write commits on its own.
 */
export type InboxProcessorDeps = { inbox: InboxStore; clock: Clock; log: Logger } & ((DeliveryStores & { unitOfWork?: undefined }) | { unitOfWork: UnitOfWork<DeliveryStores> });

export type InboxOutcome = 'processed' | 'unknown_lead' | 'ignored' | 'failed' | 'skipped';

/**
 * A `processing` claim this old belongs to a worker that died (the processor's own claim is a row
 * lock held by its transaction and is never seen as `processing`; a committed claim comes from
 * `InboxStore.claim`, or a version before the transaction): the sweep (every minute) takes it again.
 */
export const STALE_CLAIM_MS = 60_000;
/** A failed delivery is retried by the sweep for a day after it was received; after that it waits for `caio webhooks replay`. */
export const RETRY_FAILED_FOR_MS = 24 * 3600_000;
/** Failed processing committed nothing, so a failed delivery is taken again like a pending one. */
const TAKEABLE = ['pending', 'failed'] as const;

/** Why a delivery naming a suppressed person we hold no lead for is kept as `ignored` (its body is not kept). */
export const SUPPRESSED_DELIVERY = 'suppressed (privacy request)';

/** The status a signal suppresses with (bounced, unsubscribed, do_not_contact), whatever the lead's status now. */
const suppressionOf = (type: SignalType): string | null => {
  const status = LEAD_STATUS_TRANSITIONS.unknown[type];
  return status && suppresses(status) ? status : null;
};

/**
 * The job that processes one inbox delivery, in one transaction: take it (the row lock is the
 * claim), find the lead (e-mail, then LinkedIn URL), move its status through the transition table (a
 * late or duplicate event never moves it back), append the event to its timeline (once per delivery
 * and type), and for unsubscribes, bounces and do-not-contact add the person to the suppression list
 * (the send gateway reads it) and cancel what is still queued for them; then the cadence hears the
 * signal and the delivery is marked processed. If anything throws, none of it commits and the
 * delivery is `failed` with the reason, taken again by the sweep. The side effects follow from the
 * event, not from whether it was new: a delivery processed again (a replay) adds no event and moves
 * no status, and still ensures the suppression, the cancellation and the cadence exit.
 * A delivery for a lead we do not know is kept and flagged `unknown_lead`, not lost; one that names
 * no lead or an event we do not act on is `ignored`, with the reason. An event time out of range is
 * replaced by the receive time and flagged (on the delivery and in the event's details).
 */
export const createInboxProcessor = (deps: InboxProcessorDeps) => {
  const unitOfWork: UnitOfWork<DeliveryStores> = deps.unitOfWork ?? ((work) => work(deps));

  const findLead = async (s: DeliveryStores, signal: ReadSignal): Promise<SignalLead | null> =>
    (signal.email ? await s.leads.byEmail(signal.email) : null) ?? (signal.linkedinUrl ? await s.leads.byLinkedin(signal.linkedinUrl) : null);

  /** Whether any identity the delivery names (its e-mail, LinkedIn URL, or the visitor's) hashes to a suppression. */
  const isSuppressed = async (s: DeliveryStores, signal: ReadSignal): Promise<boolean> => {
    const profiles = [{ email: signal.email, linkedinUrl: signal.linkedinUrl }, ...(signal.newLead ? [signal.newLead.profile] : [])];
    for (const identity of new Set(profiles.flatMap((p) => leadIdentities(p)))) if (await s.suppressions.isSuppressed(identity)) return true;
    return false;
  };

  /** The status move (compare-and-set) and the timeline event, for a delivery seen the first time. */
  const record = async (s: DeliveryStores, item: InboxItem, signal: ReadSignal, lead: SignalLead, type: string, now: Date, first: { lastEventAt: Date | null; opens: number }) => {
    let current = lead;
    let known: typeof first | null = first;
    const decide = async (status: string) => {
      if (!signal.type || !isLeadStatus(status)) return null;
      // The timeline read with the delivery's state first; read again only when the lead moved meanwhile.
      const history = known ?? (await s.events.stateOf(lead.id));
      known = null;
      return applySignal({ status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: signal.type, at: signal.at, source: item.provider });
    };
    let outcome = await decide(current.status);
    // Another event may have moved the lead meanwhile: re-read and decide again (never a blind overwrite).
    for (let attempt = 0; outcome?.changed && attempt < 3; attempt++) {
      if (await s.leads.setStatus(current.id, current.status, outcome.status, now)) break;
      current = (await s.leads.byId(current.id)) ?? current;
      outcome = await decide(current.status);
    }
    const inserted = await s.events.append({
      leadId: lead.id,
      at: signal.at,
      channel: signal.channel,
      type,
      source: item.provider,
      fromStatus: outcome?.changed ? current.status : null,
      toStatus: outcome?.changed ? outcome.status : null,
      inboxId: item.id,
      details: { ...signal.details, ...(outcome && !outcome.changed ? { unchanged: outcome.reason } : {}) },
    });
    // Only another worker processing this delivery at the same moment gets here (the claim excludes it
    // in a transaction): undo the status move with everything else; the retry finds the event.
    if (!inserted) throw new Error(`delivery ${item.id} already has its ${type} event`);
  };

  /** What follows from the event, whether or not it was new: each step is idempotent. */
  const ensureEffects = async (s: DeliveryStores, lead: SignalLead, type: SignalType, at: Date) => {
    const suppression = suppressionOf(type);
    if (suppression) {
      for (const identity of leadIdentities({ email: lead.email, linkedinUrl: lead.linkedinUrl })) await s.suppressions.add(identity, suppression);
      const cancelled = await s.cancelOutbound(lead.id, suppression);
      deps.log.info({ leadId: lead.id, status: suppression, cancelled }, 'lead suppressed by a webhook');
    }
    await s.cadence?.onSignal(lead.id, type, at);
  };

  const processIn = async (s: DeliveryStores, id: string): Promise<InboxOutcome> => {
    const now = deps.clock.now();
    const item = await s.inbox.take(id, TAKEABLE, now);
    if (!item) return 'skipped';
    const signal = readSignal(item);
    if ('ignored' in signal) {
      await s.inbox.finish(item.id, 'processing', { status: 'ignored', leadId: null, error: signal.ignored, at: now });
      return 'ignored';
    }
    let lead = await findLead(s, signal);
    // Someone we hold no lead for who is on the suppression list (erased by a privacy request):
    // never (re)created from a delivery, and the delivery keeps no address of theirs.
    if (!lead && (await isSuppressed(s, signal))) {
      await s.leads.forgetDeliveryBody(item.id, SUPPRESSED_DELIVERY);
      await s.inbox.finish(item.id, 'processing', { status: 'ignored', leadId: null, error: SUPPRESSED_DELIVERY, at: now, flags: signal.flags });
      return 'ignored';
    }
    if (!lead && signal.newLead) lead = await s.leads.byId(await s.leads.fromDiscovered(signal.newLead, 'rb2b'));
    if (!lead) {
      await s.inbox.finish(item.id, 'processing', { status: 'unknown_lead', leadId: null, error: null, at: now, flags: signal.flags });
      return 'unknown_lead';
    }
    const type = signal.type ?? String(signal.details.event ?? item.eventType);
    // Processed before (a replay): its one event and status move stand; the effects are ensured again.
    const state = await s.events.deliveryState(item.id, type, lead.id);
    if (!state.recorded) await record(s, item, signal, lead, type, now, state);
    if (signal.type) await ensureEffects(s, lead, signal.type, signal.at);
    await s.inbox.finish(item.id, 'processing', { status: 'processed', leadId: lead.id, error: null, at: now, flags: signal.flags });
    return 'processed';
  };

  const run = async (id: string): Promise<InboxOutcome> => {
    try {
      return await unitOfWork((s) => processIn(s, id));
    } catch (error) {
      // Stored and logged without the query's parameters (a delivery's address or reply text).
      const message = safeErrorMessage(error);
      deps.log.error({ inboxId: id, err: message }, 'webhook processing failed; nothing of it was kept, the sweep retries it');
      // If the database is gone this throws too: the job is retried, and the delivery is still pending.
      await deps.inbox.fail(id, message, deps.clock.now());
      return 'failed';
    }
  };

  return {
    /** Process one stored delivery (the receiver calls this right after acknowledging it). */
    process: (id: string) => run(id),
    /**
     * The sweep job: deliveries stored but not processed (a crash after the 2xx, a queue that was
     * down), claims left by a worker that died (taken again at once, whenever they were received),
     * and deliveries whose processing failed in the last day.
     */
    processPending: async (limit = 1000, receivedBefore?: Date) => {
      const now = deps.clock.now().getTime();
      const released = await deps.inbox.releaseStale(new Date(now - STALE_CLAIM_MS));
      const pending = (await deps.inbox.pending(limit, receivedBefore)).map((i) => i.id);
      const failed = (await deps.inbox.failedSince(limit, new Date(now - RETRY_FAILED_FOR_MS))).map((i) => i.id);
      let n = 0;
      for (const id of new Set([...released, ...pending, ...failed])) if ((await run(id)) === 'processed') n++;
      return n;
    },
    /** `caio webhooks replay`: process a stored delivery again (an operator's decision); its event is not added twice. */
    replay: async (id: string) => {
      if (!(await deps.inbox.reset(id))) return null;
      return run(id);
    },
  };
};

export type InboxProcessor = ReturnType<typeof createInboxProcessor>;
