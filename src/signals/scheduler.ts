import { craftCancelAcknowledgement, craftReplyDraft, type ReplyDraft, type SenderSettings } from '../domain/drafting/index.js';
import { leadIdentities, type LeadProfile } from '../domain/lead.js';
import { decideSlot, nearestFreeSlots, type SlotDecision } from '../domain/replies/slot-pick.js';
import type { BusinessHours } from '../domain/sending/index.js';
import { isAppError } from '../lib/app-error.js';
import { safeErrorMessage } from '../lib/redact.js';
import type { AlertPort, SuppressionStore } from '../pipeline/ports.js';
import type { StoredReply } from './ports.js';
import type { FreeSlotsPort } from './reply-drafts.js';

/** The GoHighLevel calendar as the SCHEDULER books it (src/providers/ghl/client.ts behind compose). */
export type SchedulerCalendar = {
  freeSlots: FreeSlotsPort;
  /** The lead's GoHighLevel contact id (an upsert by e-mail: repeatable). */
  contactFor(lead: LeadProfile): Promise<string>;
  /** POST /calendars/events/appointments: NOT repeatable (a second call books a second meeting). */
  book(input: { contactId: string; slot: string; title: string }): Promise<{ id: string }>;
  /** The read-back: the contact's live appointment at this slot, if a call that may have reached GoHighLevel booked it. */
  findBooked(input: { contactId: string; slot: string }): Promise<{ id: string } | null>;
  /** PUT /calendars/events/appointments/{id}: a new start (the slot must be free) or `cancelled` (repeatable: it sets values). */
  update(appointmentId: string, patch: { slot?: string; cancelled?: boolean }): Promise<void>;
};

export type SchedulerDeps = {
  reply(id: string): Promise<StoredReply | null>;
  profile(leadId: string): Promise<LeadProfile | null>;
  subjectOf(reply: StoredReply): Promise<string | null>;
  suppressions: Pick<SuppressionStore, 'isSuppressed'>;
  calendar: SchedulerCalendar | null;
  /** Queue a draft for the reply (run id `reply:<id>`), approved at once when `approve` (scheduler.autoConfirm). */
  queueDraft(replyId: string, leadId: string, draft: ReplyDraft, approve: boolean): Promise<string>;
  /** Whether the booking's or move's confirmation for this slot was already queued for the reply (a read-back after an earlier attempt that got that far). */
  hasConfirmation(replyId: string, slot: string): Promise<boolean>;
  /** The lead becomes `meeting_booked` in one unit of work: status, timeline event (the KPI milestone), cadence exit. */
  markBooked(leadId: string, at: Date, details: { appointmentId: string; slot: string; replyId: string; by: string | null }): Promise<void>;
  /** The lead's live appointment (its latest meeting_booked / meeting_moved event, unless cancelled since). */
  currentAppointment(leadId: string): Promise<{ appointmentId: string; slot: string } | null>;
  /** A `meeting_moved` timeline event (no status change: the lead still has a meeting). */
  recordMove(leadId: string, at: Date, details: { appointmentId: string; slot: string; replyId: string }): Promise<void>;
  /**
   * The lead leaves `meeting_booked` in one unit of work: the status move the webhooks use (the
   * transition table's `meeting_cancelled`: back to `replied`), the `meeting_cancelled` timeline event,
   * and its meeting milestone withdrawn from the KPIs (a cancelled meeting is not a meeting booked).
   */
  markCancelled(leadId: string, at: Date, details: { appointmentId: string; slot: string; replyId: string }): Promise<void>;
  alerts: AlertPort;
  settings: { sender: SenderSettings; businessHours: BusinessHours; lookaheadDays: number; slotsOffered: number; autoConfirm: boolean; bookingUrl: string };
};

export type BookingOutcome = { booked: string; appointmentId: string; draftId: string | null; readBack: boolean } | { offered: Extract<SlotDecision, { kind: 'offer' }>['reason'] | 'no_time'; draftId: string | null } | { skipped: string };

const DAY_MS = 86_400_000;
/** The confirmation draft's reason, which also names it for `hasConfirmation`. */
export const confirmationReason = (slot: string) => `reply: meeting booked (${slot})`;
/** A move's confirmation draft's reason (`hasConfirmation` finds either). */
export const movedReason = (slot: string) => `reply: meeting moved (${slot})`;
/** GoHighLevel's answer when the slot was taken between our read and the booking (contracts/ghl.md "Book"). */
const SLOT_TAKEN = /no longer available|slot/i;

/**
 * The SCHEDULER (issue 17 item 4), run as the follow-through's `book_meeting` action after the
 * reply committed, and by `caio replies book`: the slot is checked again against the calendar's free
 * slots, the appointment is created for the lead's contact, the lead becomes `meeting_booked` and
 * a confirmation is queued (sent without review under `scheduler.autoConfirm`). A time that is taken,
 * past, off hours or ambiguous gets a draft offering the nearest free slots instead. Never books
 * twice: the action row is keyed by lead and slot, and a retry first reads the calendar back for a
 * booking an earlier, uncertain call may have made. A calendar failure throws (the executor retries
 * it); the first one alerts a person.
 */
export const createScheduler = (deps: SchedulerDeps) => {
  const offerDraft = async (reply: StoredReply, profile: LeadProfile, slots: string[], proposedFree: string | null, reason: string, approve: boolean) => {
    const offer = { slots, timeZone: reply.timeZone, bookingUrl: deps.settings.bookingUrl, proposedFree, unavailable: slots.length === 0 ? ('no_free_slots' as const) : null };
    const crafted = craftReplyDraft({ lead: profile, reply: { ...reply, class: 'meeting_request', subject: await deps.subjectOf(reply) }, offer }, deps.settings.sender);
    if (!crafted.ok) return null;
    return deps.queueDraft(reply.id, reply.leadId!, { ...crafted.value, angleReason: reason }, approve);
  };

  /** A short answer for review: the meeting is cancelled, and another time can be picked (none for an opt-out, a no or a suppressed lead). */
  const acknowledgeCancel = async (reply: StoredReply, slot: string): Promise<string | null> => {
    const profile = await deps.profile(reply.leadId!);
    if (!profile) return null;
    for (const identity of leadIdentities(profile)) if (await deps.suppressions.isSuppressed(identity)) return null;
    const crafted = craftCancelAcknowledgement({ lead: profile, reply: { ...reply, subject: await deps.subjectOf(reply) }, slot, timeZone: reply.timeZone, bookingUrl: deps.settings.bookingUrl }, deps.settings.sender);
    return crafted.ok ? deps.queueDraft(reply.id, reply.leadId!, crafted.value, false) : null;
  };

  return {
    /**
     * A reply from a lead with a booked meeting that asks to move or cancel it: cancel sets the
     * appointment `cancelled`; move re-checks the time the reply names against free slots and moves
     * the appointment (a confirmation draft), or offers the nearest free slots when it is taken,
     * off hours, past, ambiguous or not named. A cancel also ends the lead's `meeting_booked` status
     * (markCancelled). With no live appointment (cancelled before, or a status set elsewhere), a move
     * that names a time is booked like a first booking (read back first, so never twice per lead and
     * slot) and one that names none gets the ordinary answer offering free slots.
     */
    change: async (replyId: string, o: { change: 'move' | 'cancel'; now: Date; firstAttempt?: boolean }): Promise<BookingOutcome | { cancelled: string; draftId: string | null } | { moved: string; draftId: string | null }> => {
      const reply = await deps.reply(replyId);
      if (!reply?.leadId) return { skipped: 'no reply or no lead' };
      if (!deps.calendar) return { skipped: 'no calendar configured (scheduler.calendarId, GoHighLevel)' };
      const current = await deps.currentAppointment(reply.leadId);
      if (!current && o.change === 'cancel') return { skipped: 'the lead has no booked meeting to cancel' };
      if (!current) return bookAnew(reply, o.now, o.firstAttempt ?? true);
      if (o.change === 'cancel') {
        await deps.calendar.update(current.appointmentId, { cancelled: true });
        // The acknowledgement is queued before the unit of work that ends the appointment: a retry after a failure
        // in between cancels again (a PUT) and finds the same text already pending (the queue keeps one per lead).
        const draftId = await acknowledgeCancel(reply, current.slot);
        await deps.markCancelled(reply.leadId, o.now, { appointmentId: current.appointmentId, slot: current.slot, replyId });
        return { cancelled: current.appointmentId, draftId };
      }
      const profile = await deps.profile(reply.leadId);
      if (!profile) return { skipped: 'the lead is gone' };
      const end = new Date(Math.min(Math.max(o.now.getTime() + deps.settings.lookaheadDays * DAY_MS, ...reply.proposedTimes.map((p) => Date.parse(p.at) + DAY_MS)), o.now.getTime() + 31 * DAY_MS));
      const free = await deps.calendar.freeSlots({ start: o.now, end, timeZone: reply.timeZone });
      const options = { now: o.now, timeZone: reply.timeZone, businessHours: deps.settings.businessHours, count: deps.settings.slotsOffered };
      const decision = reply.proposedTimes.length ? decideSlot(reply.proposedTimes, free, options) : decideSlot([{ at: current.slot, precision: 'day' }], free, options);
      // Already at the time named (a retry after this reply's move or booking, or "does 4pm still work?"): nothing
      // to move; the confirmation is written unless this reply has one (the calendar is the read-back here).
      if (decision.kind === 'offer' && decision.reason === 'taken' && decision.wanted !== null && Date.parse(decision.wanted) === Date.parse(current.slot)) {
        const draftId = (await deps.hasConfirmation(replyId, current.slot)) ? null : await offerDraft(reply, profile, [current.slot], current.slot, movedReason(current.slot), deps.settings.autoConfirm);
        return { moved: current.slot, draftId };
      }
      if (decision.kind !== 'book') {
        const reason = decision.kind === 'offer' ? decision.reason : 'ambiguous';
        return { offered: reason, draftId: await offerDraft(reply, profile, decision.kind === 'offer' ? decision.slots : [], null, `reply: move the meeting; ${reason} time, nearest free slots offered`, false) };
      }
      await deps.calendar.update(current.appointmentId, { slot: decision.slot });
      await deps.recordMove(reply.leadId, o.now, { appointmentId: current.appointmentId, slot: decision.slot, replyId });
      return { moved: decision.slot, draftId: await offerDraft(reply, profile, [decision.slot], decision.slot, movedReason(decision.slot), deps.settings.autoConfirm) };
    },
    /**
     * Book for one reply. `slot`: the time a person chose (`caio replies book`), else the reply's
     * proposed times decide. `retry`: an earlier attempt may have reached GoHighLevel (read back first).
     */
    book: async (replyId: string, o: { now: Date; slot?: string | null; by?: string | null; retry: boolean; firstAttempt: boolean }): Promise<BookingOutcome> => {
      const reply = await deps.reply(replyId);
      if (!reply?.leadId) return { skipped: 'no reply or no lead' };
      return bookReply(reply, o);
    },
  };

  /**
   * A "move" from a lead with no live appointment (its meeting was cancelled): a time named or picked
   * is booked like a first booking, with `retry` set so the calendar is read back before anything is
   * posted (the never-twice rule per lead and slot, whichever reply or action asks); no time named:
   * the ordinary suggested answer offering the nearest free slots, for review.
   */
  async function bookAnew(reply: StoredReply, now: Date, firstAttempt: boolean): Promise<BookingOutcome> {
    if (reply.proposedTimes.length > 0) return bookReply(reply, { now, retry: true, firstAttempt });
    const profile = await deps.profile(reply.leadId!);
    if (!profile) return { skipped: 'the lead is gone' };
    for (const identity of leadIdentities(profile)) if (await deps.suppressions.isSuppressed(identity)) return { skipped: 'the lead is suppressed' };
    const end = new Date(now.getTime() + deps.settings.lookaheadDays * DAY_MS);
    const free = await deps.calendar!.freeSlots({ start: now, end, timeZone: reply.timeZone });
    const slots = nearestFreeSlots(free, null, { now, timeZone: reply.timeZone, businessHours: deps.settings.businessHours, count: deps.settings.slotsOffered });
    return { offered: 'no_time', draftId: await offerDraft(reply, profile, slots, null, 'reply: another time asked for, no meeting booked; nearest free slots offered', false) };
  }

  async function bookReply(reply: StoredReply, o: { now: Date; slot?: string | null; by?: string | null; retry: boolean; firstAttempt: boolean }): Promise<BookingOutcome> {
    const profile = await deps.profile(reply.leadId!);
    if (!profile) return { skipped: 'the lead is gone' };
    for (const identity of leadIdentities(profile)) if (await deps.suppressions.isSuppressed(identity)) return { skipped: 'the lead is suppressed' };
    if (!deps.calendar) return { skipped: 'no calendar configured (scheduler.calendarId, GoHighLevel)' };
    const proposed = o.slot ? [{ at: new Date(o.slot).toISOString(), precision: 'exact' as const }] : reply.proposedTimes;
    try {
      const contactId = await deps.calendar.contactFor(profile);
      const wantedFirst = proposed[0]?.at ?? null;
      if (o.retry && wantedFirst) {
        const existing = await deps.calendar.findBooked({ contactId, slot: wantedFirst });
        if (existing) return await booked(reply, profile, existing.id, wantedFirst, o.by ?? null, o.now, true);
      }
      const latest = Math.max(o.now.getTime() + deps.settings.lookaheadDays * DAY_MS, ...proposed.map((p) => Date.parse(p.at) + DAY_MS));
      const end = new Date(Math.min(latest, o.now.getTime() + 31 * DAY_MS));
      const free = await deps.calendar.freeSlots({ start: o.now, end, timeZone: reply.timeZone });
      const decision = decideSlot(proposed, free, { now: o.now, timeZone: reply.timeZone, businessHours: deps.settings.businessHours, count: deps.settings.slotsOffered });
      if (decision.kind === 'none') return { skipped: 'the reply names no time' };
      if (decision.kind === 'offer') return { offered: decision.reason, draftId: await offerDraft(reply, profile, decision.slots, null, `reply: meeting_request; ${decision.reason} time, nearest free slots offered`, false) };
      let appointment: { id: string };
      try {
        appointment = await deps.calendar.book({ contactId, slot: decision.slot, title: `Call with ${profile.company.name ?? profile.firstName ?? 'a prospect'}` });
      } catch (error) {
        // Taken between the read and the booking: GoHighLevel refuses it (400); the nearest others are offered.
        if (!isAppError(error) || error.code !== 'PROVIDER_BAD_REQUEST' || !SLOT_TAKEN.test(error.message + JSON.stringify(error.details))) throw error;
        const rest = decideSlot(
          [{ at: decision.slot, precision: 'exact' }],
          free.filter((s) => Date.parse(s) !== Date.parse(decision.slot)),
          { now: o.now, timeZone: reply.timeZone, businessHours: deps.settings.businessHours, count: deps.settings.slotsOffered },
        );
        return { offered: 'taken', draftId: await offerDraft(reply, profile, rest.kind === 'offer' ? rest.slots : [], null, 'reply: meeting_request; taken time, nearest free slots offered', false) };
      }
      return await booked(reply, profile, appointment.id, decision.slot, o.by ?? null, o.now, false);
    } catch (error) {
      if (o.firstAttempt)
        await deps.alerts.send({
          severity: 'warning',
          title: 'Calendar unavailable: a meeting is not booked yet',
          body: `Booking for reply ${reply.id} failed (${safeErrorMessage(error)}); the reply is kept and the booking is retried (never twice: the calendar is read back first).`.slice(0, 500),
          metadata: { replyId: reply.id, kind: 'book_meeting' },
        });
      throw error;
    }
  }

  async function booked(reply: StoredReply, profile: LeadProfile, appointmentId: string, slot: string, by: string | null, now: Date, readBack: boolean): Promise<BookingOutcome> {
    await deps.markBooked(reply.leadId!, now, { appointmentId, slot, replyId: reply.id, by });
    const draftId = readBack && (await deps.hasConfirmation(reply.id, slot)) ? null : await offerDraft(reply, profile, [slot], slot, confirmationReason(slot), deps.settings.autoConfirm);
    return { booked: slot, appointmentId, draftId, readBack };
  }
};

export type Scheduler = ReturnType<typeof createScheduler>;
