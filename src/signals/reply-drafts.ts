import { craftReplyDraft, DRAFTED_CLASSES, pickSlotsToOffer, REVIEWER_PLACEHOLDER, SLOT_CLASSES, type ReplyDraft, type SenderSettings, type SlotOffer } from '../domain/drafting/index.js';
import { leadIdentities, type LeadProfile } from '../domain/lead.js';
import type { BusinessHours } from '../domain/sending/index.js';
import { safeErrorMessage } from '../lib/redact.js';
import type { AlertPort, SuppressionStore } from '../pipeline/ports.js';
import type { StoredReply } from './ports.js';

/** The GoHighLevel calendar's free slots (ISO instants) between two instants; null when no calendar is configured. */
export type FreeSlotsPort = (range: { start: Date; end: Date; timeZone: string }) => Promise<string[]>;

/** Where a suggested answer waits for a person: the drafts' review queue, one draft per reply (its run id). */
export type ReplyDraftQueue = {
  /** The draft already written for this run id (any status), so a retried action writes nothing twice. */
  existing(runId: string): Promise<string | null>;
  queue(runId: string, leadId: string, draft: ReplyDraft): Promise<string>;
};

export type ReplyDraftDeps = {
  reply(id: string): Promise<StoredReply | null>;
  profile(leadId: string): Promise<LeadProfile | null>;
  /** The thread's subject (Instantly's `reply_subject` in the delivery), when there is one. */
  subjectOf(reply: StoredReply): Promise<string | null>;
  suppressions: Pick<SuppressionStore, 'isSuppressed'>;
  freeSlots: FreeSlotsPort | null;
  drafts: ReplyDraftQueue;
  alerts: AlertPort;
  settings: { sender: SenderSettings; businessHours: BusinessHours; bookingUrl: string; lookaheadDays: number; slotsOffered: number };
};

export type ReplyDraftOutcome = { draftId: string; created: boolean; calendar: SlotOffer['unavailable'] } | { skipped: string };

/** The run id a reply's draft is queued under: one per reply, so the review queue can be filtered by it. */
export const replyDraftRunId = (replyId: string) => `reply:${replyId}`;

const DAY_MS = 86_400_000;

/**
 * CRAFTER's suggested answer to one stored reply (issue 17 item 3), run as the follow-through's
 * `reply_draft` action after the reply committed. A reply without a lead, of a class that needs no
 * answer, or from a suppressed lead gets no draft. For meeting_request/interested (and a question,
 * to talk it through) the calendar's free slots are read and filtered to the prospect's business
 * hours; when the calendar fails, the draft offers the booking link instead and a person is alerted:
 * the reply is never held back by the calendar. Repeatable: a second run finds the draft.
 */
export const createReplyDrafter = (deps: ReplyDraftDeps) => {
  const offerFor = async (reply: StoredReply, now: Date): Promise<SlotOffer> => {
    const base = { timeZone: reply.timeZone, bookingUrl: deps.settings.bookingUrl, proposedFree: null };
    if (!deps.freeSlots) return { ...base, slots: [], unavailable: 'calendar_not_configured' };
    let free: string[];
    try {
      free = await deps.freeSlots({ start: now, end: new Date(now.getTime() + deps.settings.lookaheadDays * DAY_MS), timeZone: reply.timeZone });
    } catch (error) {
      await deps.alerts.send({
        severity: 'warning',
        title: 'Calendar unavailable: a suggested answer offers the booking link',
        body: `The GoHighLevel calendar could not be read for reply ${reply.id} (${safeErrorMessage(error)}); its draft offers the booking link instead of slots. Check the times before approving.`.slice(0, 500),
        metadata: { replyId: reply.id, kind: 'reply_draft' },
      });
      return { ...base, slots: [], unavailable: 'calendar_unavailable' };
    }
    const options = { now, timeZone: reply.timeZone, businessHours: deps.settings.businessHours };
    const slots = pickSlotsToOffer(free, { ...options, count: deps.settings.slotsOffered });
    // A time the prospect proposed that the calendar has free is offered first.
    const freeSet = new Set(free.map((s) => Date.parse(s)));
    const proposed = reply.proposedTimes.find((t) => freeSet.has(Date.parse(t.at)) && pickSlotsToOffer([t.at], options).length === 1);
    return {
      ...base,
      slots: proposed ? [proposed.at, ...slots.filter((s) => s !== proposed.at)].slice(0, deps.settings.slotsOffered) : slots,
      proposedFree: proposed?.at ?? null,
      unavailable: slots.length === 0 && !proposed ? 'no_free_slots' : null,
    };
  };

  return {
    draft: async (replyId: string, now: Date): Promise<ReplyDraftOutcome> => {
      const reply = await deps.reply(replyId);
      if (!reply) return { skipped: 'the reply is gone' };
      if (!reply.leadId) return { skipped: 'a reply from an address we never wrote to gets no draft' };
      if (!reply.needsResponse || !DRAFTED_CLASSES.has(reply.class)) return { skipped: `a ${reply.class} reply needs no answer` };
      const runId = replyDraftRunId(reply.id);
      const existing = await deps.drafts.existing(runId);
      if (existing) return { draftId: existing, created: false, calendar: null };
      const profile = await deps.profile(reply.leadId);
      if (!profile) return { skipped: 'the lead is gone' };
      for (const identity of leadIdentities(profile)) if (await deps.suppressions.isSuppressed(identity)) return { skipped: 'the lead is suppressed' };
      const offer = SLOT_CLASSES.has(reply.class) || reply.class === 'question' ? await offerFor(reply, now) : null;
      const crafted = craftReplyDraft({ lead: profile, reply: { ...reply, subject: await deps.subjectOf(reply) }, offer }, deps.settings.sender);
      if (!crafted.ok) return { skipped: `${crafted.error.code}: ${crafted.error.reason}` };
      const draftId = await deps.drafts.queue(runId, reply.leadId, crafted.value);
      return { draftId, created: true, calendar: offer?.unavailable ?? null };
    },
  };
};

export type ReplyDrafter = ReturnType<typeof createReplyDrafter>;

/** An approved suggested answer with no outbox item yet, and what its thread needs (read by compose). */
export type ApprovedReplyDraft = {
  draftId: string;
  leadId: string;
  replyId: string;
  channel: 'email' | 'linkedin';
  /** Where the reply came from, so the answer goes back the same way: an e-mail reply through GoHighLevel is answered there. */
  provider: string;
  subject: string;
  body: string;
  /** The lead's e-mail (Instantly, GoHighLevel) or LinkedIn profile (HeyReach); null when the lead has none. */
  recipient: string | null;
  tier: string | null;
  names: { firstName: string | null; lastName: string | null; companyName: string | null };
  /**
   * The thread it answers in. Instantly: the received e-mail's id and the account that received it
   * (`threadId` for the read-back); HeyReach: the lead's profile; GoHighLevel: the contact, the
   * thread (`threadId`), the e-mail message answered and the conversation (for the read-back).
   */
  thread: {
    replyToUuid: string | null;
    eaccount: string | null;
    threadId: string | null;
    profileUrl: string | null;
    contactId: string | null;
    replyMessageId: string | null;
    conversationId: string | null;
  };
};

/** An outbox item of step `reply` (the send gateway's NewOutboxItem, without a batch). */
export type ReplyOutboxItem = {
  dedupKey: string;
  draftId: string;
  leadId: string;
  channel: 'instantly' | 'heyreach' | 'ghl';
  step: 'reply';
  recipient: string;
  recipientDomain: string | null;
  tier: string | null;
  subject: string;
  body: string;
  payload: { firstName: string | null; lastName: string | null; companyName: string | null; email: string | null; thread: ApprovedReplyDraft['thread'] };
  status: 'queued' | 'rejected';
  reason: string | null;
  notBefore: Date;
};

/** An e-mail thread we cannot name cannot be answered in: Instantly needs the e-mail and its account, GoHighLevel the contact, the thread and the e-mail answered. */
const threadUnknown = (channel: ReplyOutboxItem['channel'], t: ApprovedReplyDraft['thread']): boolean =>
  channel === 'instantly' ? !t.replyToUuid || !t.eaccount : channel === 'ghl' ? !t.contactId || !t.threadId || !t.replyMessageId : false;

export type ReplySendDeps = {
  approvedUnqueued(limit: number): Promise<ApprovedReplyDraft[]>;
  enqueue(items: ReplyOutboxItem[]): Promise<number>;
  alerts: AlertPort;
};

/**
 * Approved suggested answers into the outbox (issue 17 item 3): one `reply` item per draft (dedup
 * key `reply:<draft id>`), on the channel of the reply (Instantly's reply endpoint for e-mail,
 * HeyReach's message endpoint for LinkedIn, GoHighLevel's Conversations for a nurture reply, in its
 * thread), sent by the send gateway with every guard (stop,
 * suppression, exclusions, quotas, the cross-channel cap) and its never-twice rule. An answer that
 * cannot go (a reviewer placeholder left in, no recipient, an e-mail thread we cannot name) is
 * recorded as a rejected item with the reason, and a person is alerted once.
 */
export const createReplySender = (deps: ReplySendDeps) => ({
  queueApproved: async (now: Date, limit = 100): Promise<{ queued: number; refused: number }> => {
    const drafts = await deps.approvedUnqueued(limit);
    const items = drafts.map((d): ReplyOutboxItem => {
      const email = d.channel === 'email';
      const channel = !email ? 'heyreach' : d.provider === 'ghl' ? 'ghl' : 'instantly';
      const refusal = REVIEWER_PLACEHOLDER.test(d.body) ? 'reviewer_placeholder' : !d.recipient ? 'no_recipient' : threadUnknown(channel, d.thread) ? 'thread_unknown' : null;
      return {
        dedupKey: `reply:${d.draftId}`,
        draftId: d.draftId,
        leadId: d.leadId,
        channel,
        step: 'reply',
        recipient: d.recipient ?? '',
        recipientDomain: email && d.recipient ? (d.recipient.split('@')[1] ?? null) : null,
        tier: d.tier,
        subject: d.subject,
        body: d.body,
        payload: { ...d.names, email: email ? d.recipient : null, thread: d.thread },
        status: refusal ? 'rejected' : 'queued',
        reason: refusal,
        notBefore: now,
      };
    });
    if (items.length === 0) return { queued: 0, refused: 0 };
    await deps.enqueue(items);
    const refused = items.filter((i) => i.status === 'rejected');
    for (const item of refused)
      await deps.alerts.send({
        severity: 'warning',
        title: 'An approved reply cannot be sent',
        body: `The approved answer (draft ${item.draftId}) was not queued: ${item.reason}. Edit it (fill in the answer) or answer by hand.`,
        metadata: { draftId: item.draftId, reason: item.reason ?? '' },
      });
    return { queued: items.length - refused.length, refused: refused.length };
  },
});
