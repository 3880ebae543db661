import { safeErrorMessage } from '../lib/redact.js';
import { applySignal, isLeadStatus, LEAD_STATUS_TRANSITIONS, suppresses, type SignalType } from '../domain/signals/index.js';
import { leadIdentities, normalizeEmail } from '../domain/lead.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { SuppressionStore } from '../pipeline/ports.js';
import type { CadenceSync } from './cadence-sync.js';
import { campaignWideCompletion, hearCampaignCompleted } from './campaign-completed.js';
import type { CampaignRoster, InboxItem, InboxStore, LeadEventStore, NormalisedSignal, PayloadReaders, SignalLead, SignalLeadStore, StoredDelivery, UnitOfWork } from './ports.js';
import { storedSignalOf } from './stored-signal.js';
import type { ReplyFollowThrough, UnderstoodReply } from './follow-through.js';

/** A stored signal with its time read back: what processing one delivery works with. */
type Signal = Omit<NormalisedSignal, 'at'> & { at: Date };

/** A delivery set-based processing can take: a signal with a type, an address, no suppression. */
type Candidate = { item: StoredDelivery; signal: Signal & { type: SignalType; email: string }; reply?: UnderstoodReply };

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
  /** Reads a reply and records its follow-through in the same transaction (follow-through.ts); absent: replies are only signals. */
  followThrough?: ReplyFollowThrough;
  /** Who we added to a HeyReach campaign: a CAMPAIGN_COMPLETED naming only its campaign reaches them (campaign-completed.ts). */
  campaignRoster?: CampaignRoster;
};

/**
 * `inbox` (not in a transaction) lists what the sweep processes and records failures. With a
 * `unitOfWork` each delivery is processed with the stores it hands out, in one transaction; without
 * one (tests of the rules) the stores given here are used and each write commits on its own.
 * `payloadReaders` read a delivery stored without a signal (see stored-signal.ts).
 */
export type InboxProcessorDeps = { inbox: InboxStore; clock: Clock; log: Logger; payloadReaders: PayloadReaders } & ((DeliveryStores & { unitOfWork?: undefined }) | { unitOfWork: UnitOfWork<DeliveryStores> });

export type InboxOutcome = 'processed' | 'unknown_lead' | 'ignored' | 'failed' | 'skipped';

/**
 * A `processing` claim this old belongs to a worker that died (the processor's own claim is a row
 * lock held by its transaction and is never seen as `processing`; a committed claim comes from
 * `InboxStore.claim`, or a version before the transaction): the sweep (every minute) takes it again.
 */
export const STALE_CLAIM_MS = 60_000;
/** A failed delivery is retried by the sweep for a day after it was received; after that it waits for `caio webhooks replay`. */
export const RETRY_FAILED_FOR_MS = 24 * 3600_000;
/** Deliveries the sweep processes together in one unit of work (set-based). */
const SWEEP_BATCH = 50;
/** Deliveries a delivery's job takes with it when others are waiting (a burst). */
const BURST_BATCH = 25;
/** Failed processing committed nothing, so a failed delivery is taken again like a pending one. */
const TAKEABLE = ['pending', 'failed'] as const;

/** Why a delivery naming a suppressed person we hold no lead for is kept as `ignored` (its body is not kept). */
export const SUPPRESSED_DELIVERY = 'suppressed (privacy request)';

/** The status a signal suppresses with (bounced, unsubscribed, do_not_contact), whatever the lead's status now. */
const suppressionOf = (type: SignalType): string | null => {
  const status = LEAD_STATUS_TRANSITIONS.unknown[type];
  return status && suppresses(status) ? status : null;
};

/** A delivery's event on the lead's timeline: the status move it made from `from`, or why it made none. */
const timelineEvent = (item: Pick<InboxItem, 'id' | 'provider'>, signal: Signal, leadId: string, type: string, from: string, outcome: ReturnType<typeof applySignal> | null) => ({
  leadId,
  at: signal.at,
  channel: signal.channel,
  type,
  source: item.provider,
  fromStatus: outcome?.changed ? from : null,
  toStatus: outcome?.changed ? outcome.status : null,
  inboxId: item.id,
  details: { ...signal.details, ...(outcome && !outcome.changed ? { unchanged: outcome.reason } : {}) },
});

/**
 * The job that processes one inbox delivery, in one transaction: take it (the row lock is the
 * claim), read the normalised signal the door stored with it (never the provider's payload; see
 * stored-signal.ts for deliveries stored without one), find the lead (e-mail, then LinkedIn URL), move its status through the transition table (a
 * late or duplicate event never moves it back), append the event to its timeline (once per delivery
 * and type), and for unsubscribes, bounces and do-not-contact add the person to the suppression list
 * (the send gateway reads it) and cancel what is still queued for them; then the cadence hears the
 * signal and the delivery is marked processed. If anything throws, none of it commits and the
 * delivery is `failed` with the reason, taken again by the sweep. The side effects follow from the
 * event, not from whether it was new: a delivery processed again (a replay) adds no event and moves
 * no status, and still ensures the suppression, the cancellation and the cadence exit.
 * A delivery for a lead we do not know is kept and flagged `unknown_lead`, not lost; one that names
 * no lead or an event we do not act on is `ignored`, with the reason. An event time out of range
 * (replaced by the receive time when the signal was read) is flagged on the delivery and in the
 * event's details.
 */
export const createInboxProcessor = (deps: InboxProcessorDeps) => {
  const unitOfWork: UnitOfWork<DeliveryStores> = deps.unitOfWork ?? ((work) => work(deps));

  const findLead = async (s: DeliveryStores, signal: Signal): Promise<SignalLead | null> => (signal.email ? await s.leads.byEmail(signal.email) : null) ?? (signal.linkedinUrl ? await s.leads.byLinkedin(signal.linkedinUrl) : null);

  /** Whether any identity the delivery names (its e-mail, LinkedIn URL, or the visitor's) hashes to a suppression. */
  const isSuppressed = async (s: DeliveryStores, signal: Signal): Promise<boolean> => {
    const profiles = [{ email: signal.email, linkedinUrl: signal.linkedinUrl }, ...(signal.newLead ? [signal.newLead.profile] : [])];
    for (const identity of new Set(profiles.flatMap((p) => leadIdentities(p)))) if (await s.suppressions.isSuppressed(identity)) return true;
    return false;
  };

  /** The status move (compare-and-set) and the timeline event, for a delivery seen the first time. */
  const record = async (s: DeliveryStores, item: InboxItem, signal: Signal, lead: SignalLead, type: string, now: Date, first: { lastEventAt: Date | null; opens: number }) => {
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
    const inserted = await s.events.append(timelineEvent(item, signal, lead.id, type, current.status, outcome));
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
    return processTaken(s, item, now);
  };

  /** One delivery already taken (by `take` or `takeMany`), in the caller's unit of work. */
  const processTaken = async (s: DeliveryStores, item: StoredDelivery, now: Date): Promise<InboxOutcome> => {
    // The door's reading of the delivery, stored beside it; the payload is not read again.
    const stored = storedSignalOf(item, deps.payloadReaders);
    if ('ignored' in stored) {
      await s.inbox.finish(item.id, 'processing', { status: 'ignored', leadId: null, error: stored.ignored, at: now });
      return 'ignored';
    }
    let signal: Signal = { ...stored, at: new Date(stored.at) };
    const campaignId = campaignWideCompletion(signal);
    if (campaignId !== null) return processCampaignWide(s, item, signal, campaignId, now);
    let lead = await findLead(s, signal);
    // Someone we hold no lead for who is on the suppression list (erased by a privacy request):
    // never (re)created from a delivery, and the delivery keeps no address of theirs.
    if (!lead && (await isSuppressed(s, signal))) {
      await s.leads.forgetDeliveryBody(item.id, SUPPRESSED_DELIVERY);
      await s.inbox.finish(item.id, 'processing', { status: 'ignored', leadId: null, error: SUPPRESSED_DELIVERY, at: now, flags: signal.flags });
      return 'ignored';
    }
    if (!lead && signal.newLead) lead = await s.leads.byId(await s.leads.fromDiscovered(signal.newLead, 'rb2b'));
    // A reply's class decides what it stands for (an out-of-office note is no reply, a "no thanks" an opt-out).
    const reply = s.followThrough ? await s.followThrough.understand(item, signal, lead) : null;
    if (reply) signal = { ...signal, type: s.followThrough!.signalOf(reply), details: { ...signal.details, replyClass: reply.understanding.class } };
    if (!lead) {
      if (reply) await s.followThrough!.follow(reply, null, now);
      await s.inbox.finish(item.id, 'processing', { status: 'unknown_lead', leadId: null, error: null, at: now, flags: signal.flags });
      return 'unknown_lead';
    }
    const type = signal.type ?? String(signal.details.event ?? item.eventType);
    // Processed before (a replay): its one event and status move stand; the effects are ensured again.
    const state = await s.events.deliveryState(item.id, type, lead.id);
    if (!state.recorded) await record(s, item, signal, lead, type, now, state);
    if (signal.type) await ensureEffects(s, lead, signal.type, signal.at);
    if (reply) await s.followThrough!.follow(reply, lead, now);
    await s.inbox.finish(item.id, 'processing', { status: 'processed', leadId: lead.id, error: null, at: now, flags: signal.flags });
    return 'processed';
  };

  /** A CAMPAIGN_COMPLETED naming only its campaign: every lead we added to it hears it (campaign-completed.ts), or it is kept ignored. */
  const processCampaignWide = async (s: DeliveryStores, item: StoredDelivery, signal: Signal, campaignId: string, now: Date): Promise<InboxOutcome> => {
    const heard = s.campaignRoster
      ? await hearCampaignCompleted({ roster: s.campaignRoster, leads: s.leads, events: s.events, cadence: s.cadence }, item, signal, campaignId, now)
      : { ignored: `CAMPAIGN_COMPLETED for HeyReach campaign ${campaignId}: no campaign roster to find its leads` };
    if ('ignored' in heard) {
      await s.inbox.finish(item.id, 'processing', { status: 'ignored', leadId: null, error: heard.ignored, at: now, flags: signal.flags });
      return 'ignored';
    }
    // One delivery, many leads: the delivery names one only when it reached one; each lead's timeline names the delivery.
    await s.inbox.finish(item.id, 'processing', { status: 'processed', leadId: heard.leadIds.length === 1 ? heard.leadIds[0]! : null, error: null, at: now, flags: signal.flags });
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

  /**
   * Set-based processing of many deliveries in one unit of work: one claim for all, one lead lookup,
   * one timeline read, the same pure decisions (applySignal) made in memory in order, one status
   * compare-and-set, one event insert (with its KPI milestones), one cadence read, one finish.
   * Deliveries that need more (a suppression to apply, a lead found only by LinkedIn URL, an unknown
   * lead, an RB2B visitor to create, one ignored) go through the one-delivery path in the same unit.
   * A lead moved or an event recorded by another worker meanwhile rolls the unit back, and then each
   * delivery is processed alone, so one bad delivery never holds the others back.
   */
  const processManyIn = async (s: DeliveryStores, ids: readonly string[]): Promise<Map<string, InboxOutcome>> => {
    const now = deps.clock.now();
    const order = new Map(ids.map((id, i) => [id, i]));
    // In the order given (the order received): a lead hears its events in the same order as one at a time.
    return processTakenMany(
      s,
      (await s.inbox.takeMany(ids, TAKEABLE, now)).sort((a, b) => order.get(a.id)! - order.get(b.id)!),
      now,
      ids,
    );
  };

  /** Deliveries already taken, in order: runs of simple ones set-based, the others alone in their place. */
  const processTakenMany = async (s: DeliveryStores, taken: readonly StoredDelivery[], now: Date, asked: readonly string[] = []): Promise<Map<string, InboxOutcome>> => {
    const outcomes = new Map<string, InboxOutcome>(asked.map((id) => [id, 'skipped']));
    const simple = taken.map((item) => {
      const stored = storedSignalOf(item, deps.payloadReaders);
      const signal = 'ignored' in stored ? null : { ...stored, at: new Date(stored.at) };
      return signal?.type && signal.email && !signal.newLead && !suppressionOf(signal.type) ? { item, signal: signal as Candidate['signal'] } : { item, signal: null };
    });
    // A reply is read before it is grouped (issue 22): its class decides what it stands for, so one
    // that becomes an opt-out, or stands for nothing, still goes alone. Its lead is looked up once for all.
    const replies = s.followThrough ? simple.filter((x) => x.signal && s.followThrough!.handles(x.item)) : [];
    const replyLeads = replies.length > 0 ? await s.leads.byEmails(replies.map((x) => x.signal!.email)) : new Map<string, SignalLead>();
    let group: Candidate[] = [];
    for (const { item, signal } of simple) {
      const candidate = signal ? await groupable(s, item, signal, replyLeads) : null;
      if (candidate) {
        group.push(candidate);
        continue;
      }
      // One that needs more goes alone, after the ones before it: the order of events is kept.
      await processGroup(s, group, now, outcomes);
      group = [];
      outcomes.set(item.id, await processTaken(s, item, now));
    }
    await processGroup(s, group, now, outcomes);
    return outcomes;
  };

  /** A simple delivery as a group member; a reply once understood, if it still stands for a plain signal of a known lead. */
  const groupable = async (s: DeliveryStores, item: StoredDelivery, signal: Candidate['signal'], replyLeads: ReadonlyMap<string, SignalLead>): Promise<Candidate | null> => {
    if (!s.followThrough?.handles(item)) return { item, signal };
    const lead = replyLeads.get(normalizeEmail(signal.email) ?? '');
    if (!lead) return null;
    const reply = await s.followThrough.understand(item, signal, lead);
    const type = reply ? s.followThrough.signalOf(reply) : null;
    if (!reply || !type || suppressionOf(type)) return null;
    return { item, signal: { ...signal, type, details: { ...signal.details, replyClass: reply.understanding.class } }, reply };
  };

  /** A run of deliveries that need only a status move, an event, the cadence and a reply's follow-through: set-based. */
  const processGroup = async (s: DeliveryStores, group: readonly Candidate[], now: Date, outcomes: Map<string, InboxOutcome>) => {
    if (group.length === 0) return;
    const byEmail = await s.leads.byEmails(group.map((x) => x.signal.email));
    const found: (Candidate & { lead: SignalLead })[] = [];
    const unmatched: Candidate[] = [];
    for (const x of group) {
      const lead = byEmail.get(normalizeEmail(x.signal.email) ?? '');
      if (lead) found.push({ ...x, lead });
      else unmatched.push(x);
    }
    const states = await s.events.deliveryStates(found.map((x) => ({ inboxId: x.item.id, type: x.signal.type, leadId: x.lead.id })));
    const leads = new Map<string, { from: string; status: string; lastEventAt: Date | null; opens: number }>();
    const events: ReturnType<typeof timelineEvent>[] = [];
    // The lead as each reply found it (its status before the reply's event), for the follow-through.
    const followed: { reply: NonNullable<Candidate['reply']>; lead: SignalLead }[] = [];
    for (const { item, signal, lead, reply } of found) {
      const state = leads.get(lead.id) ?? { from: lead.status, status: lead.status, ...(states.leads.get(lead.id) ?? { lastEventAt: null, opens: 0 }) };
      leads.set(lead.id, state);
      if (reply) followed.push({ reply, lead: { ...lead, status: state.status } });
      // Processed before (a replay): its event and status move stand; the cadence hears it again below.
      if (states.recorded.has(`${item.id}|${signal.type}`)) continue;
      const outcome = isLeadStatus(state.status) ? applySignal({ status: state.status, lastEventAt: state.lastEventAt, opens: state.opens }, { type: signal.type, at: signal.at, source: item.provider }) : null;
      events.push(timelineEvent(item, signal, lead.id, signal.type, state.status, outcome));
      // What the timeline says after this event: the lead's next delivery is decided on it.
      if (outcome?.changed) state.status = outcome.status;
      if (!state.lastEventAt || signal.at > state.lastEventAt) state.lastEventAt = signal.at;
      if (signal.type === 'email_opened') state.opens++;
    }
    const moves = [...leads.entries()].filter(([, l]) => l.status !== l.from).map(([id, l]) => ({ id, from: l.from, to: l.status }));
    if ((await s.leads.setStatuses(moves, now)) !== moves.length) throw new Error('a lead moved meanwhile; each delivery is processed alone');
    if ((await s.events.appendMany(events)) !== events.length) throw new Error('an event was recorded meanwhile; each delivery is processed alone');
    await s.cadence?.onSignals(found.map((x) => ({ leadId: x.lead.id, signal: x.signal.type, at: x.signal.at })));
    // After the cadence heard the reply (as the one-delivery path does): an out-of-office pause is not undone by it.
    for (const { reply, lead } of followed) await s.followThrough!.follow(reply, lead, now);
    await s.inbox.finishMany(
      found.map((x) => ({ id: x.item.id, status: 'processed' as const, leadId: x.lead.id, error: null, flags: x.signal.flags })),
      'processing',
      now,
    );
    for (const x of found) outcomes.set(x.item.id, 'processed');
    // No lead by that address: the one-delivery path looks further (LinkedIn URL, suppression) or keeps it as unknown.
    for (const x of unmatched) outcomes.set(x.item.id, await processTaken(s, x.item, now));
  };

  const runMany = async (ids: readonly string[]): Promise<Map<string, InboxOutcome>> => {
    if (ids.length <= 1) return new Map(await Promise.all(ids.map(async (id) => [id, await run(id)] as const)));
    try {
      return await unitOfWork((s) => processManyIn(s, ids));
    } catch (error) {
      deps.log.debug({ deliveries: ids.length, err: safeErrorMessage(error) }, 'set-based processing rolled back; each delivery alone');
      const outcomes = new Map<string, InboxOutcome>();
      for (const id of ids) outcomes.set(id, await run(id));
      return outcomes;
    }
  };

  return {
    /** Process one stored delivery (the receiver calls this right after acknowledging it). */
    process: (id: string) => run(id),
    /** Process many stored deliveries together, set-based (the sweep; a backlog): the outcome of each. */
    processMany: (ids: readonly string[]) => runMany(ids),
    /**
     * A delivery's own job: it, and with it the deliveries waiting to be processed (a burst), up to
     * BURST_BATCH, set-based; their own jobs then find them done. Alone when nothing else waits.
     */
    processWithWaiting: async (id: string): Promise<InboxOutcome> => {
      // Taken with an earlier delivery's batch: one read, no transaction.
      const status = await deps.inbox.statusOf(id);
      if (!status || !(TAKEABLE as readonly string[]).includes(status)) return 'skipped';
      try {
        const outcomes = await unitOfWork(async (s) => {
          const now = deps.clock.now();
          return processTakenMany(s, await s.inbox.takeWithWaiting(id, BURST_BATCH, TAKEABLE, now), now, [id]);
        });
        return outcomes.get(id) ?? 'skipped';
      } catch (error) {
        // Rolled back: the others are pending again (their own jobs or the sweep take them); this one goes alone.
        deps.log.debug({ inboxId: id, err: safeErrorMessage(error) }, 'set-based processing rolled back; the delivery alone');
        return run(id);
      }
    },
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
      const ids = [...new Set([...released, ...pending, ...failed])];
      let n = 0;
      for (let i = 0; i < ids.length; i += SWEEP_BATCH) for (const outcome of (await runMany(ids.slice(i, i + SWEEP_BATCH))).values()) if (outcome === 'processed') n++;
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
