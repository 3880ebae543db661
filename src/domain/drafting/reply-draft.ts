import { splitFullName, type LeadProfile } from '../lead.js';
import { err, ok, type Result } from '../../lib/result.js';
import type { ObjectionKind, ProposedTime, ReplyClass } from '../replies/index.js';
import { localDateTimeAt } from '../replies/index.js';
import type { BusinessHours } from '../sending/index.js';
import type { CraftedDraft, CraftSkip } from './craft-draft.js';
import { draftFingerprint } from './draft-fingerprint.js';
import type { Grounding } from './grounding.js';
import type { SenderSettings } from './settings.js';
import { enforceSignature } from './signature.js';

/**
 * The angle id a suggested answer is stored under (drafts.angle_id): `reply:<class>`. It is the
 * draft's kind (issue 17 item 3): the review queue shows it, and it is never a first-touch angle
 * (selectAngle never picks it, the Gatekeeper's outbound batches skip it).
 */
export const REPLY_ANGLE_PREFIX = 'reply:';
export const replyAngleId = (replyClass: ReplyClass): string => `${REPLY_ANGLE_PREFIX}${replyClass}`;
export const isReplyAngle = (angleId: string): boolean => angleId.startsWith(REPLY_ANGLE_PREFIX);

/** The classes a suggested answer is written for (the follow-through's `needs_response`). */
export const DRAFTED_CLASSES: ReadonlySet<ReplyClass> = new Set(['meeting_request', 'interested', 'question', 'objection', 'referral']);
/** The classes that get concrete times from the calendar. */
export const SLOT_CLASSES: ReadonlySet<ReplyClass> = new Set(['meeting_request', 'interested']);

/** What the prospect wrote, as stored (the excerpt is masked: no address, no phone number). */
export type ReplyToAnswer = {
  class: ReplyClass;
  kind: ObjectionKind | null;
  excerpt: string;
  evidence: readonly string[];
  channel: 'email' | 'linkedin';
  proposedTimes: readonly ProposedTime[];
  /** The subject of the thread (the reply's own), when the provider gave it. */
  subject: string | null;
};

/**
 * The times offered: up to three free calendar slots (ISO instants) in the prospect's zone, or
 * none with the reason, in which case the booking link is written instead. `proposedFree`: the time
 * the prospect proposed, when the calendar has it free.
 */
export type SlotOffer = {
  slots: readonly string[];
  timeZone: string;
  bookingUrl: string;
  proposedFree: string | null;
  unavailable: 'calendar_unavailable' | 'calendar_not_configured' | 'no_free_slots' | null;
};

/** The first grounding entry of a suggested answer: the prospect's reply; its provider names the channel (`instantly` e-mail, `heyreach` LinkedIn). */
export const REPLY_GROUNDING_CLAIM = 'their reply';

export type ReplyDraft = Omit<CraftedDraft, 'angleId'> & { angleId: string };

export type ReplySkip = CraftSkip | { code: 'not_answered'; reason: string };

/** One local business hour window check: the slot's start lies in [startHour, endHour) on a business weekday, in `timeZone`. */
const inBusinessHours = (ms: number, timeZone: string, hours: BusinessHours): boolean => {
  const local = localDateTimeAt(ms, timeZone);
  const weekday = ((new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7) + 1;
  const days = hours.weekdays.map((d) => (d === 0 ? 7 : d));
  return days.includes(weekday) && local.hour >= hours.startHour && local.hour < hours.endHour;
};

/**
 * The free slots worth offering: in the future (at least `minNoticeMinutes` ahead), on a business
 * weekday and within business hours in the PROSPECT's zone (the calendar's own hours may differ),
 * one per local day first so the prospect gets a real choice, then the earliest others; at most
 * `count`, in time order. Unparseable slots are dropped.
 */
export const pickSlotsToOffer = (slots: readonly string[], options: { now: Date; timeZone: string; businessHours: BusinessHours; count?: number; minNoticeMinutes?: number }): string[] => {
  const count = options.count ?? 3;
  const earliest = options.now.getTime() + (options.minNoticeMinutes ?? 120) * 60_000;
  const usable = [...new Set(slots.map((s) => Date.parse(s)).filter((ms) => Number.isFinite(ms) && ms >= earliest && inBusinessHours(ms, options.timeZone, options.businessHours)))].sort((a, b) => a - b);
  const picked: number[] = [];
  const days = new Set<string>();
  for (const ms of usable) {
    const l = localDateTimeAt(ms, options.timeZone);
    const day = `${l.year}-${l.month}-${l.day}`;
    if (days.has(day)) continue;
    days.add(day);
    picked.push(ms);
    if (picked.length === count) break;
  }
  for (const ms of usable) {
    if (picked.length >= count) break;
    if (!picked.includes(ms)) picked.push(ms);
  }
  return picked.sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
};

/** "Tuesday, November 24 at 2:00 PM EST": a slot as the prospect reads it, in their zone. */
export const slotWords = (iso: string, timeZone: string): string => {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric' }).format(at);
  const time = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at);
  return `${day} at ${time}`;
};

/**
 * Short, grounded answers per objection kind: they acknowledge the reason, name nothing we do not
 * know (the company's name only) and end with one small ask. There is no objection copy in the
 * angle catalogue (angles/ holds first-touch copy), so these are the objection answers.
 */
const OBJECTION_ANSWERS: Record<ObjectionKind, string> = {
  timing: `Understood, the timing matters. Rather than follow up blindly, when would it make sense to pick this up again for {{company}}? I will put it in my calendar and write then, not before.`,
  budget: `Fair point on budget. Most teams start with one workflow small enough to fit an existing line, and let the result make the case for anything larger. If it helps, I can send a one-page outline of what that first step costs, so you have it when budgets are next set.`,
  authority: `Thanks, that is helpful. Who else at {{company}} would weigh in on this? I am glad to send a short summary you can forward, or to include them in a call, whichever is easier for you.`,
  need: `Thanks for being straight with me. If AI is not a priority at {{company}} right now, I will not push. Out of curiosity, is that because the current workflows run well, or because it has not been looked at yet?`,
  incumbent: `Good to know you already have something in place. We usually sit alongside what teams use today rather than replace it. Would a short comparison of where the two overlap be useful, so you can judge for yourself?`,
};

const GENERIC_OBJECTION = `Thanks for the honest answer. I will not push; if anything changes at {{company}}, I am easy to reach.`;

const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

/** The words of the prospect's question, as they wrote them (the rules' evidence, else the excerpt's first question). */
const questionOf = (reply: ReplyToAnswer): string | null => {
  const fromEvidence = reply.evidence.find((e) => e.includes('?')) ?? reply.evidence[0];
  const fromExcerpt = /[^.!?\n]*\?/.exec(reply.excerpt)?.[0];
  const words = (fromExcerpt ?? fromEvidence ?? '').trim();
  return words.length > 0 ? words.slice(0, 200) : null;
};

/** The paragraph with the times: the prospect's own time when free, then the offered slots, or the booking link. */
const timesParagraph = (offer: SlotOffer): string => {
  const link = `you can pick any time that suits you here: ${offer.bookingUrl}`;
  if (offer.proposedFree) {
    const others = offer.slots.filter((s) => s !== offer.proposedFree);
    return `${slotWords(offer.proposedFree, offer.timeZone)} works on my side; I will send the invite for it.${others.length ? ` If that changes, ${others.map((s) => slotWords(s, offer.timeZone)).join(' or ')} would work too.` : ''}`;
  }
  if (offer.slots.length === 0) return `The easiest way to find a time is my booking page, where ${link}`;
  const list = offer.slots.map((s, i) => `${i + 1}. ${slotWords(s, offer.timeZone)}`).join('\n');
  return `Here are a few times that work on my side:\n${list}\n\nJust reply with the one that suits you, or ${link}`;
};

/**
 * The suggested answer to one reply (issue 17 item 3), written in the thread: "Re: <subject>" and
 * the same channel. meeting_request/interested: concrete slots from the calendar in the prospect's
 * zone (or the booking link); objection: the answer for its kind; question: an acknowledgement that
 * quotes their question and leaves the answer to the reviewer (we never invent facts), with the
 * times to talk it through; referral: thanks. Pure and deterministic. A class that needs no answer,
 * or a lead without a first name, is skipped with a reason.
 */
export const craftReplyDraft = (input: { lead: LeadProfile; reply: ReplyToAnswer; offer: SlotOffer | null }, sender: SenderSettings): Result<ReplyDraft, ReplySkip> => {
  const { lead, reply, offer } = input;
  if (!DRAFTED_CLASSES.has(reply.class)) return err({ code: 'not_answered', reason: `a ${reply.class} reply gets no suggested answer` });
  if (reply.channel === 'email' && !lead.email) return err({ code: 'missing_email', reason: 'no email address: the answer has no one to go to' });
  const firstName = lead.firstName?.trim() || splitFullName(lead.fullName).firstName;
  const firstNameField = lead.firstName?.trim() ? 'firstName' : 'fullName';
  if (!firstName) return err({ code: 'missing_first_name', reason: 'no first name: the answer would open with a generic greeting' });
  const company = lead.company.name?.trim() || 'your team';
  const values = { company };
  const provider = (field: string) => lead.provenance[field] ?? 'unknown';
  const grounding: Grounding[] = [
    { claim: REPLY_GROUNDING_CLAIM, field: `reply.${reply.class}`, value: reply.excerpt.slice(0, 280), provider: reply.channel === 'email' ? 'instantly' : 'heyreach' },
    { claim: 'first name', field: firstNameField, value: firstName, provider: provider(firstNameField) },
  ];
  if (lead.company.name?.trim()) grounding.push({ claim: 'company name', field: 'company.name', value: company, provider: provider('company.name') });

  const paragraphs: string[] = [];
  let reason: string;
  if (SLOT_CLASSES.has(reply.class)) {
    paragraphs.push(reply.class === 'meeting_request' ? 'Thanks, glad to set this up.' : 'Great to hear, thank you. The quickest way to show you how this would work for ' + company + ' is a short call.');
    if (offer) {
      paragraphs.push(timesParagraph(offer));
      offer.slots.forEach((s) => grounding.push({ claim: 'free slot', field: 'calendar.free_slots', value: s, provider: 'ghl' }));
      if (offer.unavailable) grounding.push({ claim: 'booking link instead of slots', field: 'scheduler.bookingUrl', value: offer.unavailable, provider: 'config' });
    }
    reason = offer?.unavailable ? `reply: ${reply.class}; booking link (${offer.unavailable})` : `reply: ${reply.class}; ${offer?.slots.length ?? 0} free slots in ${offer?.timeZone ?? 'the prospect zone'}`;
  } else if (reply.class === 'objection') {
    paragraphs.push(fill(reply.kind ? OBJECTION_ANSWERS[reply.kind] : GENERIC_OBJECTION, values));
    reason = `reply: objection (${reply.kind ?? 'no kind'})`;
  } else if (reply.class === 'question') {
    const question = questionOf(reply);
    paragraphs.push(question ? `Thanks for asking: "${question}"` : 'Thanks for the question.');
    // The answer itself is the reviewer's: the lead's data does not hold it, and nothing is invented.
    paragraphs.push(`[Reviewer: answer the question here from what we know about ${company}; delete this line.]`);
    if (offer)
      paragraphs.push(
        offer.slots.length
          ? `If it is easier to talk it through, ${offer.slots.map((s) => slotWords(s, offer.timeZone)).join(' or ')} would work on my side.`
          : `If it is easier to talk it through, you can pick a time here: ${offer.bookingUrl}`,
      );
    reason = 'reply: question (the reviewer completes the answer)';
  } else {
    paragraphs.push('Thank you for pointing me in the right direction; I will reach out to them and mention that you sent me.');
    reason = 'reply: referral';
  }

  const subject = `Re: ${(reply.subject ?? '').replace(/^(re:\s*)+/i, '').trim() || `AI at ${company}`}`;
  const text = [`Hi ${firstName},`, ...paragraphs].join('\n\n');
  // LinkedIn messages carry no e-mail footer; an e-mail gets the canonical signature (opt-out included).
  const body = reply.channel === 'email' ? enforceSignature(text, sender) : `${text}\n\n${sender.name}`;
  return ok({ angleId: replyAngleId(reply.class), angleReason: reason, subjectA: subject, subjectB: subject, body, followUps: [], hooks: [], grounding, fingerprint: draftFingerprint(subject, body) });
};

/** The classes whose cancel gets no acknowledgement: the prospect asked us to stop, and is unsubscribed by the reply itself. */
const NO_ACKNOWLEDGEMENT: ReadonlySet<ReplyClass> = new Set(['unsubscribe', 'not_interested']);

/** The reason a cancellation's acknowledgement is stored with (drafts.angle_reason). */
export const cancellationReason = (slot: string) => `reply: meeting cancelled (${slot})`;

/**
 * The short answer to a booked lead's reply that cancels the meeting (issue 17 item 4), queued for
 * review after the SCHEDULER cancelled the appointment: it says the meeting at `slot` is cancelled
 * and offers to find another time through the booking page. It offers no slots: a booked lead's
 * later reply naming a time is read as a move, and a cancelled meeting has nothing to move (see
 * docs/replies.md "Not done for item 4"). Same thread, channel, signature and grounding as the
 * other answers (so an edit is checked by the same rules). Not written for an opt-out or a no.
 */
export const craftCancelAcknowledgement = (input: { lead: LeadProfile; reply: ReplyToAnswer; slot: string; timeZone: string; bookingUrl: string }, sender: SenderSettings): Result<ReplyDraft, ReplySkip> => {
  const { lead, reply } = input;
  if (NO_ACKNOWLEDGEMENT.has(reply.class)) return err({ code: 'not_answered', reason: `a ${reply.class} reply gets no acknowledgement of the cancellation` });
  if (reply.channel === 'email' && !lead.email) return err({ code: 'missing_email', reason: 'no email address: the answer has no one to go to' });
  const firstName = lead.firstName?.trim() || splitFullName(lead.fullName).firstName;
  if (!firstName) return err({ code: 'missing_first_name', reason: 'no first name: the answer would open with a generic greeting' });
  const firstNameField = lead.firstName?.trim() ? 'firstName' : 'fullName';
  const grounding: Grounding[] = [
    { claim: REPLY_GROUNDING_CLAIM, field: `reply.${reply.class}`, value: reply.excerpt.slice(0, 280), provider: reply.channel === 'email' ? 'instantly' : 'heyreach' },
    { claim: 'first name', field: firstNameField, value: firstName, provider: lead.provenance[firstNameField] ?? 'unknown' },
    { claim: 'cancelled meeting', field: 'calendar.appointment', value: input.slot, provider: 'ghl' },
  ];
  const text = [`Hi ${firstName},`, `No problem, I have cancelled our call on ${slotWords(input.slot, input.timeZone)}.`, `If you would like to find another time, you can pick one that suits you here: ${input.bookingUrl}`].join('\n\n');
  const subject = `Re: ${(reply.subject ?? '').replace(/^(re:\s*)+/i, '').trim() || `our call`}`;
  const body = reply.channel === 'email' ? enforceSignature(text, sender) : `${text}\n\n${sender.name}`;
  return ok({ angleId: replyAngleId(reply.class), angleReason: cancellationReason(input.slot), subjectA: subject, subjectB: subject, body, followUps: [], hooks: [], grounding, fingerprint: draftFingerprint(subject, body) });
};

/** The reviewer's placeholder a question's answer carries until a person fills it (a draft with it must not be sent). */
export const REVIEWER_PLACEHOLDER = /\[Reviewer:[^\]]*\]/;
