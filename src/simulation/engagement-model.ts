/**
 * The engagement model (pure): for one send, what the person does and when, drawn from seeded
 * rates. The draw for a send depends only on the run's seed and the send's id, so the same seed
 * gives the same month whatever order the sends are looked at in (docs/simulation.md).
 */
import { fnv1a32 } from '../domain/stable-hash.js';
import { mulberry32, type Random } from '../providers/sandbox/apollo/prng.js';
import { REPLY_TEXTS, SLOT_PICK_TEXTS, slotPickText } from './reply-texts.js';
import { REPLY_CLASSES, type EngagementSettings, type SimReplyClass } from './settings.js';

export type SimSend = {
  /** The draw's identity: stable across runs (the person, channel and step), not the outbox's random id. */
  id: string;
  channel: 'instantly' | 'heyreach' | 'ghl';
  step: string;
  tier: string | null;
  angleId: string | null;
  /** The subject variant sent (A or B); null when not an e-mail with variants. */
  variant: 'A' | 'B' | null;
  sentAt: Date;
  /** Our answer in a prospect's thread (outbox step `reply`): how many free slots it offered (0: none). */
  offeredSlots?: number;
};

export type PlannedEventKind = 'bounced' | 'opened' | 'clicked' | 'replied' | 'unsubscribed' | 'linkedin_accepted' | 'linkedin_replied';

export type PlannedEvent = {
  sendId: string;
  at: Date;
  kind: PlannedEventKind;
  replyClass?: SimReplyClass;
  meetingPick?: boolean;
  /** A pick among the slots our answer offered: its position, from 0 ("the second option" is 1). */
  pickedSlot?: number;
  text?: string;
};

const HOUR_MS = 3_600_000;

/** The run's generator for one key (a send, a draft): independent of every other key's. */
export const randomFor = (seed: number, key: string): Random => mulberry32(fnv1a32(key, fnv1a32(String(seed))));

const between = (random: Random, [from, to]: readonly [number, number]) => from + (to - from) * random();

/** The multiplier of a send's open, click and reply rates: its tier's, angle's and variant's, multiplied. */
export const multiplierOf = (send: Pick<SimSend, 'tier' | 'angleId' | 'variant'>, s: EngagementSettings): number =>
  (send.tier ? (s.byTier[send.tier] ?? 1) : 1) * (send.angleId ? (s.byAngle[send.angleId] ?? 1) : 1) * (send.variant ? (s.byVariant[send.variant] ?? 1) : 1);

const capped = (p: number) => Math.min(1, Math.max(0, p));

/** The class of a reply, by the configured weights (the default mix when none is given). */
const DEFAULT_MIX: Record<SimReplyClass, number> = { meeting_request: 0.3, interested: 0.14, question: 0.14, objection: 0.16, not_interested: 0.12, out_of_office: 0.06, referral: 0.05, unsubscribe: 0.03 };

export const drawReplyClass = (random: Random, weights: EngagementSettings['replyClasses']): SimReplyClass => {
  const given = REPLY_CLASSES.some((c) => weights[c] !== undefined);
  const mix = REPLY_CLASSES.map((c) => [c, given ? (weights[c] ?? 0) : DEFAULT_MIX[c]] as const);
  const total = mix.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) return 'interested';
  let r = random() * total;
  for (const [c, w] of mix) {
    r -= w;
    if (r < 0) return c;
  }
  return mix[mix.length - 1]![0];
};

const textFor = (random: Random, replyClass: SimReplyClass, meetingPick: boolean, channel: 'email' | 'linkedin'): string => {
  const pool = REPLY_TEXTS[meetingPick ? 'meeting_time' : replyClass][channel];
  return pool[Math.floor(random() * pool.length)]!;
};

const reply = (random: Random, send: SimSend, at: Date, s: EngagementSettings, channel: 'email' | 'linkedin'): PlannedEvent => {
  const replyClass = drawReplyClass(random, s.replyClasses);
  const meetingPick = replyClass === 'meeting_request' && random() < s.meetingPick;
  return { sendId: send.id, at, kind: channel === 'email' ? 'replied' : 'linkedin_replied', replyClass, meetingPick, text: textFor(random, replyClass, meetingPick, channel) };
};

const isLinkedinMessage = (step: string) => /message/i.test(step);

/** Our answer in the prospect's thread (the outbox step of an approved suggested answer). */
export const ANSWER_STEP = 'reply';

/** At most this many offered slots are picked by position (the ordinal words the texts know). */
const MAX_PICKABLE = 5;

/**
 * What follows our answer in a thread: when it offered free slots, the prospect picks one of them
 * by its position with `slotPick` ("the second option works"); nothing else is drawn for it (the
 * prospect has already engaged; opens of a thread reply are not modelled).
 */
const planAnswer = (send: SimSend, s: EngagementSettings, random: Random): PlannedEvent[] => {
  const offered = Math.min(send.offeredSlots ?? 0, MAX_PICKABLE);
  if (offered === 0 || (send.channel !== 'instantly' && send.channel !== 'heyreach') || random() >= s.slotPick) return [];
  const at = new Date(send.sentAt.getTime() + Math.round(between(random, s.delays.slotPick) * HOUR_MS));
  const pickedSlot = Math.floor(random() * offered);
  const pool = SLOT_PICK_TEXTS[send.channel === 'heyreach' ? 'linkedin' : 'email'];
  const text = slotPickText(pool[Math.floor(random() * pool.length)]!, pickedSlot);
  return [{ sendId: send.id, at, kind: send.channel === 'heyreach' ? 'linkedin_replied' : 'replied', replyClass: 'meeting_request', pickedSlot, text }];
};

/**
 * What follows one send, in time order. An e-mail: a bounce (and nothing else), or opens, a click,
 * a reply of a drawn class, or an unsubscribe. A LinkedIn invitation: an acceptance; a LinkedIn
 * message: a reply. A GoHighLevel e-mail (a revival) draws nothing: GoHighLevel sends no
 * engagement webhooks to us. Our answer in a thread: the prospect's pick of an offered slot (planAnswer).
 */
export const planEngagement = (send: SimSend, s: EngagementSettings, seed: number): PlannedEvent[] => {
  const random = randomFor(seed, send.id);
  if (send.step === ANSWER_STEP) return planAnswer(send, s, random);
  const after = (range: readonly [number, number], from = send.sentAt) => new Date(from.getTime() + Math.round(between(random, range) * HOUR_MS));
  const m = multiplierOf(send, s);
  const events: PlannedEvent[] = [];
  if (send.channel === 'heyreach') {
    if (isLinkedinMessage(send.step)) {
      if (random() < capped(s.linkedinReply * m)) events.push(reply(random, send, after(s.delays.linkedinReply), s, 'linkedin'));
    } else if (random() < capped(s.linkedinAccept * m)) events.push({ sendId: send.id, at: after(s.delays.linkedinAccept), kind: 'linkedin_accepted' });
    return events;
  }
  if (send.channel !== 'instantly') return events;
  if (random() < s.bounce) return [{ sendId: send.id, at: after(s.delays.bounce), kind: 'bounced' }];
  const replied = random() < capped(s.reply * m);
  const opened = replied || random() < capped(s.open * m);
  let openedAt: Date | null = null;
  if (opened) {
    openedAt = after(s.delays.open);
    events.push({ sendId: send.id, at: openedAt, kind: 'opened' });
    if (random() < capped(s.click * m)) events.push({ sendId: send.id, at: after(s.delays.click, openedAt), kind: 'clicked' });
  }
  if (replied) {
    const at = after(s.delays.reply, openedAt ?? send.sentAt);
    events.push(reply(random, send, at, s, 'email'));
  } else if (random() < s.unsubscribe) events.push({ sendId: send.id, at: after(s.delays.unsubscribe, openedAt ?? send.sentAt), kind: 'unsubscribed' });
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
};
