import { pickSlotsToOffer } from '../drafting/reply-draft.js';
import type { BusinessHours } from '../sending/index.js';
import type { ProposedTime } from './proposed-times.js';

/**
 * What the SCHEDULER does with the times a reply names (issue 17 item 4): book the one clear time
 * the calendar still has free, or offer the free slots nearest to what the prospect asked for. Pure:
 * the free slots and `now` are arguments.
 */
export type SlotDecision = { kind: 'book'; slot: string } | { kind: 'offer'; reason: 'taken' | 'past' | 'outside_hours' | 'ambiguous'; wanted: string | null; slots: string[] } | { kind: 'none' };

export type SlotPickOptions = {
  now: Date;
  /** The prospect's zone: business hours and the nearest slots are judged there. */
  timeZone: string;
  businessHours: BusinessHours;
  /** How many nearest slots an offer lists. */
  count: number;
  /** A slot must start at least this far ahead to be booked or offered (default 60 minutes). */
  minNoticeMinutes?: number;
};

/** The free slots nearest to `wanted` (or the earliest when there is none), within business hours, in time order. */
export const nearestFreeSlots = (free: readonly string[], wanted: string | null, o: SlotPickOptions): string[] => {
  const usable = pickSlotsToOffer(free, { now: o.now, timeZone: o.timeZone, businessHours: o.businessHours, count: free.length, minNoticeMinutes: o.minNoticeMinutes ?? 60 });
  const target = wanted ? Date.parse(wanted) : o.now.getTime();
  return usable
    .map((s) => ({ s, d: Math.abs(Date.parse(s) - target) }))
    .sort((a, b) => a.d - b.d || Date.parse(a.s) - Date.parse(b.s))
    .slice(0, o.count)
    .map((x) => x.s)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
};

/**
 * The booking decision for a reply's proposed times. A time counts when it is a clock time or picks
 * one of the offered slots ("the second option"); a day or part of day alone ("Tuesday morning"),
 * or two different clear times, is ambiguous. The one clear time is booked only if it lies ahead
 * (at least the notice), within business hours on a business day in the prospect's zone, and among
 * the calendar's free slots; otherwise the nearest free slots are offered instead.
 */
export const decideSlot = (proposed: readonly Pick<ProposedTime, 'at' | 'precision' | 'picksOffered' | 'outsideBusinessHours'>[], free: readonly string[], o: SlotPickOptions): SlotDecision => {
  if (proposed.length === 0) return { kind: 'none' };
  const clear = proposed.filter((p) => p.precision === 'exact' || p.picksOffered !== undefined);
  const distinct = [...new Set(clear.map((p) => Date.parse(p.at)))];
  const offer = (reason: Extract<SlotDecision, { kind: 'offer' }>['reason'], wanted: string | null): SlotDecision => ({ kind: 'offer', reason, wanted, slots: nearestFreeSlots(free, wanted, o) });
  if (distinct.length !== 1) return offer('ambiguous', proposed[0]!.at);
  const wanted = new Date(distinct[0]!).toISOString();
  if (distinct[0]! < o.now.getTime() + (o.minNoticeMinutes ?? 60) * 60_000) return offer('past', null);
  // Weekends and off hours are the prospect's choice but not a time we hold meetings: offer the nearest.
  if (pickSlotsToOffer([wanted], { now: o.now, timeZone: o.timeZone, businessHours: o.businessHours, minNoticeMinutes: 0 }).length === 0) return offer('outside_hours', wanted);
  if (!free.some((s) => Date.parse(s) === distinct[0])) return offer('taken', wanted);
  return { kind: 'book', slot: wanted };
};

const CANCEL = /\b(cancel|call (?:it )?off|can(?:not|'t|’t) make (?:it|the (?:call|meeting))|won(?:'|’)?t be able to make)\b/i;
const MOVE = /\b(reschedul\w*|move (?:it|our|the|this|that)|push (?:it|our|the|this|that)|postpone|another (?:time|day)|different (?:time|day))\b/i;

/**
 * What a reply from a lead with a booked meeting asks of it: `move` ("can we reschedule", "push it
 * to Thursday", or any time it names: a booked lead proposing a time is moving the meeting),
 * `cancel` ("I need to cancel", "can't make it") when it names no time, else null.
 */
export const meetingChangeOf = (cleanText: string, proposedCount: number): 'move' | 'cancel' | null => {
  if (MOVE.test(cleanText) || proposedCount > 0) return 'move';
  return CANCEL.test(cleanText) ? 'cancel' : null;
};
