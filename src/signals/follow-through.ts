import { cleanReply, llmUnavailable, mergeLlmReading, understandReply, type LlmNote, type LlmReading, type ReplyUnderstanding } from '../domain/replies/index.js';
import { meetingChangeOf } from '../domain/replies/slot-pick.js';
import { emptyLead, leadIdentities, normalizeEmail } from '../domain/lead.js';
import type { BusinessHours } from '../domain/sending/index.js';
import type { SignalType } from '../domain/signals/index.js';
import type { SuppressionStore } from '../pipeline/ports.js';
import type { CadenceSync } from './cadence-sync.js';
import { crmTagsOf, excerptOf, HOT_CLASSES, INSTANTLY_INTEREST, needsResponse, referredAddresses, resumeAfterAbsence, signalForReply } from './follow-through-plan.js';
import type { LeadEventStore, NewReplyAction, NormalisedSignal, ReplyActionStore, ReplyStore, SignalLead, SignalLeadStore, StoredDelivery, StoredReply } from './ports.js';

/**
 * The optional LLM classifier (providers/anthropic/reply-classifier.ts; only with ANTHROPIC_API_KEY):
 * its reading of the cleaned text, or why there is none. It never throws: a failure is a reason.
 */
export type ReplyClassifierPort = {
  classify(input: { text: string; sentAt: Date; timeZone: string }): Promise<{ ok: true; reading: LlmReading; model: string } | { ok: false; reason: string; model: string }>;
};

/** Reply settings from the config: the zone when the lead's is unknown, the business hours for resuming. */
export type FollowThroughSettings = { timeZone: string; businessHours: BusinessHours };

/**
 * What the follow-through writes through, all bound to the delivery's transaction (compose/signals.ts):
 * one unit of work with the webhook's status move, timeline event and cadence.
 */
export type FollowThroughStores = {
  replies: ReplyStore;
  actions: ReplyActionStore;
  leads: SignalLeadStore;
  events: LeadEventStore;
  suppressions: SuppressionStore;
  cadence?: CadenceSync | undefined;
  /** Whether an address is excluded (config exclusions, imported customers, competitors). */
  isExcluded: (email: string) => Promise<boolean>;
  /** The prospect's text of a reply delivery (the provider's payload read by its schema); null: not a reply. */
  replyTextOf: (item: StoredDelivery) => string | null;
  settings: FollowThroughSettings;
  /** The LLM classifier, when configured: it may add to or confirm the rules' reading (docs/replies.md "The LLM classifier"). */
  classifier?: ReplyClassifierPort | undefined;
  /** Hears each LLM note (logged by the composition without the reply's text or addresses). */
  onLlmNote?: ((note: LlmNote, inboxId: string) => void) | undefined;
};

type Signal = Omit<NormalisedSignal, 'at'> & { at: Date };

/** A reply understood before the delivery's processing, followed through after it. */
export type UnderstoodReply = { item: StoredDelivery; signal: Signal; understanding: ReplyUnderstanding; clean: string; timeZone: string; stored: StoredReply | null; llm?: LlmNote | null };

/** The classes a request to move or cancel a meeting is read as ("can we push it to Thursday?" is a meeting request or a question). */
const HOT_OR_QUESTION: ReadonlySet<string> = new Set(['meeting_request', 'interested', 'question', 'objection', 'not_interested', 'unsubscribe']);

/** Failures of one answer, not of the service: the next reply is still sent to the model. */
const ANSWERED_BADLY: ReadonlySet<string> = new Set(['malformed', 'off_schema', 'no_tool_call', 'truncated', 'refusal']);

/** Marks where a referral lead came from: its `first_run_id`, and the source of its timeline event. */
const REFERRAL_RUN = 'reply-referral';

const fromStored = (r: StoredReply): ReplyUnderstanding => ({ class: r.class, kind: r.kind, confidence: r.confidence, evidence: r.evidence, proposedTimes: r.proposedTimes, returnDate: r.returnDate?.toISOString() ?? null });

/**
 * The reply follow-through (issue 17 item 2, docs/replies.md "Follow-through"), called by the inbox
 * processor inside a delivery's transaction: `understand` reads the reply before the status move
 * (its class decides the signal), `follow` stores the understanding and records what follows from
 * it: the referral's lead, the out-of-office pause, and the provider calls as action rows that
 * the executor (follow-through-actions.ts) runs after commit. A replayed delivery finds its stored
 * reply and records nothing twice.
 */
export const createReplyFollowThrough = (s: FollowThroughStores) => {
  // One failed call (a timeout, an outage) and the rest of this unit of work reads with the rules
  // alone: a burst of replies in one transaction never waits for the model once per reply.
  let modelDown: string | null = null;

  /** The rules' reading with what the model may add to it; on any failure the rules' reading stands. */
  const withModel = async (item: StoredDelivery, rules: ReplyUnderstanding, clean: string, sentAt: Date, timeZone: string): Promise<{ understanding: ReplyUnderstanding; llm: LlmNote | null }> => {
    // Nothing new to read (an empty reply, a quoted thread only): no call.
    if (!s.classifier || clean.trim() === '') return { understanding: rules, llm: null };
    let merged: { understanding: ReplyUnderstanding; llm: LlmNote };
    if (modelDown) merged = { understanding: rules, llm: llmUnavailable(`skipped: ${modelDown} earlier in the same unit of work`) };
    else {
      const answer = await s.classifier.classify({ text: clean, sentAt, timeZone });
      if (!answer.ok && !ANSWERED_BADLY.has(answer.reason)) modelDown = answer.reason;
      merged = answer.ok ? mergeLlmReading(rules, answer.reading, { text: clean, sentAt, timeZone, businessHours: s.settings.businessHours }, answer.model) : { understanding: rules, llm: llmUnavailable(answer.reason, answer.model) };
    }
    s.onLlmNote?.(merged.llm, item.id);
    return merged;
  };

  const understand = async (item: StoredDelivery, signal: Signal, lead: SignalLead | null): Promise<UnderstoodReply | null> => {
    const text = s.replyTextOf(item);
    if (text === null) return null;
    const clean = cleanReply(text);
    // Processed before: the stored reading stands (the rules may have changed since).
    const stored = await s.replies.byInbox(item.id);
    if (stored) return { item, signal, understanding: fromStored(stored), clean, timeZone: stored.timeZone, stored };
    const timeZone = (lead ? await s.replies.leadTimeZone(lead.id) : null) ?? s.settings.timeZone;
    // "The second option works": the slots our last answer offered, so the pick resolves to one of them (docs/replies.md).
    const offeredSlots = lead ? await s.replies.offeredSlots(lead.id) : [];
    const rules = understandReply(text, { sentAt: signal.at, timeZone, businessHours: s.settings.businessHours, offeredSlots });
    const { understanding, llm } = await withModel(item, rules, clean, signal.at, timeZone);
    return { item, signal, understanding, clean, timeZone, stored: null, llm };
  };

  /** The signal the delivery stands for once its reply is understood (see follow-through-plan.ts). */
  const signalOf = (reply: UnderstoodReply): SignalType | null => signalForReply(reply.understanding.class, reply.signal.type, reply.signal.channel);

  /** A referral that names an address: that person as a lead (unless suppressed or excluded), the referrer on its timeline. */
  const referral = async (reply: UnderstoodReply, stored: StoredReply, referrer: SignalLead): Promise<string | null> => {
    const [address] = referredAddresses(reply.clean, referrer.email);
    const email = normalizeEmail(address ?? null);
    if (!email) return null;
    for (const identity of leadIdentities({ email, linkedinUrl: null })) if (await s.suppressions.isSuppressed(identity)) return null;
    if (await s.isExcluded(email)) return null;
    const existing = await s.leads.byEmail(email);
    const profile = emptyLead({ email, sourceType: 'referral', sourceName: 'reply', provenance: { email: 'reply' } });
    profile.company.domain = email.split('@')[1] ?? null;
    const id = existing?.id ?? (await s.leads.fromDiscovered({ source: 'referral', sourceId: `${reply.item.id}:${email}`, profile }, REFERRAL_RUN));
    await s.events.append({
      leadId: id,
      at: reply.signal.at,
      channel: reply.signal.channel,
      type: 'referred_by_reply',
      source: REFERRAL_RUN,
      fromStatus: null,
      toStatus: null,
      inboxId: reply.item.id,
      details: { referrerLeadId: referrer.id, replyId: stored.id, existing: Boolean(existing) },
    });
    return id;
  };

  /**
   * The booking key's suffix after a cancelled meeting: `:after:<the latest meeting_cancelled event>`, so
   * the lead can book the very slot it cancelled again, while two replies after that cancel naming the
   * same slot still share one key (never twice). Empty for a lead that never cancelled (keys unchanged).
   */
  const sinceCancel = async (leadId: string): Promise<string> => {
    const cancel = (await s.events.timeline(leadId)).find((e) => e.type === 'meeting_cancelled');
    return cancel ? `:after:${cancel.id}` : '';
  };

  const follow = async (reply: UnderstoodReply, lead: SignalLead | null, now: Date): Promise<StoredReply> => {
    const u = reply.understanding;
    const channel = reply.signal.channel === 'linkedin' ? 'linkedin' : 'email';
    const { reply: stored, created } = reply.stored
      ? { reply: reply.stored, created: false }
      : await s.replies.record({
          inboxId: reply.item.id,
          leadId: lead?.id ?? null,
          channel,
          receivedAt: reply.signal.at,
          class: u.class,
          kind: u.kind,
          confidence: u.confidence,
          evidence: u.evidence,
          proposedTimes: u.proposedTimes,
          returnDate: u.returnDate ? new Date(u.returnDate) : null,
          timeZone: reply.timeZone,
          needsResponse: needsResponse(u.class),
          excerpt: excerptOf(reply.clean),
          llm: reply.llm ?? null,
        });
    // A reply from an address we never wrote to is kept; nothing is done or sent for it.
    if (!lead) return stored;
    const followUp: { referredLeadId?: string | null; pausedUntil?: Date | null } = {};
    if (created && u.class === 'referral') followUp.referredLeadId = await referral(reply, stored, lead);
    const actions: NewReplyAction[] = [];
    const action = (kind: NewReplyAction['kind'], payload: Record<string, unknown>, notBefore = now) => actions.push({ replyId: stored.id, leadId: lead.id, kind, idempotencyKey: `${stored.id}:${kind}`, payload, notBefore });
    if (u.class === 'out_of_office' && s.cadence) {
      const until = stored.pausedUntil ?? resumeAfterAbsence(u, reply.signal.at, reply.timeZone, s.settings.businessHours);
      if (until && (await s.cadence.pauseUntil(lead.id, reply.signal.at, until))) {
        followUp.pausedUntil = until;
        action('cadence_resume', { until: until.toISOString() }, until);
      }
    }
    if (HOT_CLASSES.has(u.class)) action('slack_hot_lead', { class: u.class });
    // The model reads an opt-out where the rules read something that leaves the lead contactable: the
    // rules' reading stands (a model never overrules a rule), but a person is alerted now rather than
    // when they next open the reply. Never for a lead the reply already unsubscribes.
    if (reply.llm?.verdict === 'disagrees' && reply.llm.class === 'unsubscribe' && signalOf(reply) !== 'unsubscribed') action('llm_opt_out', { class: u.class, model: reply.llm.model });
    // The suggested answer (issue 17 item 3, reply-drafts.ts): written after commit, as it may read the calendar.
    // A reply that names a time goes to the SCHEDULER (scheduler.ts), which books it or offers the nearest free slots (its own draft).
    // Keyed by lead and slot: a redelivered webhook, or the same time picked again, never books twice.
    // A lead with a booked meeting who asks to move or cancel it: the SCHEDULER updates the appointment instead of booking another.
    const change = lead.status === 'meeting_booked' && HOT_OR_QUESTION.has(u.class) ? meetingChangeOf(reply.clean, u.proposedTimes.length) : null;
    const bookable = (u.class === 'meeting_request' || u.class === 'interested') && u.proposedTimes.length > 0;
    // A GoHighLevel nurture reply goes the same way: its answer is sent in its GoHighLevel thread (docs/replies.md).
    if (change) action('change_meeting', { change });
    else if (bookable) actions.push({ replyId: stored.id, leadId: lead.id, kind: 'book_meeting', idempotencyKey: `${lead.id}:book:${u.proposedTimes[0]!.at}${await sinceCancel(lead.id)}`, payload: { slot: null, by: null }, notBefore: now });
    else if (stored.needsResponse) action('reply_draft', { class: u.class });
    if (lead.email) action('crm_tag', { tags: crmTagsOf(u.class), class: u.class });
    const interest = INSTANTLY_INTEREST[u.class];
    // Instantly's lead interest status is Instantly's own: not set for a reply that came through GoHighLevel.
    if (channel === 'email' && reply.item.provider === 'instantly' && lead.email && interest !== undefined)
      action('instantly_interest', { interestValue: interest, campaignId: typeof reply.signal.details.campaignId === 'string' ? reply.signal.details.campaignId : null });
    await s.actions.record(actions);
    if (Object.keys(followUp).length > 0) await s.replies.setFollowUp(stored.id, followUp);
    return { ...stored, ...followUp };
  };

  return {
    /** Whether this delivery is a reply the follow-through reads (it then goes through the one-delivery path). */
    handles: (item: StoredDelivery) => s.replyTextOf(item) !== null,
    understand,
    signalOf,
    follow,
  };
};

export type ReplyFollowThrough = ReturnType<typeof createReplyFollowThrough>;
