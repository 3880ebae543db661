/**
 * What an LLM's reading of a reply may change in the rules' answer (docs/replies.md "The LLM
 * classifier"). The rules decide; the model may only add to or confirm their answer:
 * - it answers what the rules left open: the `question` fallback at low confidence (no rule, or
 *   another language), with its own class, objection kind and proposed times;
 * - on a rule's answer it may fill a missing objection `kind`, add proposed times when the rules
 *   found none (another language), or confirm the answer (confidence raised);
 * - any other class than a rule's answer is recorded as a disagreement for a person, and the rules'
 *   answer stands: an `unsubscribe` is never turned into anything else, a confident rule is never
 *   overruled;
 * - every word it gives as evidence, and the words of every time it proposes, must be found in the
 *   reply's text; otherwise its whole answer is ignored (a time it invents is never booked).
 * Pure: the reply's cleaned text, the sending time and the zone are arguments.
 */
import type { BusinessHours } from '../sending/timing.js';
import { DEFAULT_BUSINESS_HOURS, resolveTimeZone } from '../sending/timing.js';
import { isOutsideBusinessHours, type ProposedTime, type TimePrecision } from './proposed-times.js';
import type { ObjectionKind, ReplyClass, ReplyUnderstanding } from './understand-reply.js';
import { instantOfLocal, isRealDate } from './zoned-time.js';

/** A time as the model read it: the words, and the wall clock they name in the prospect's zone. */
export type LlmProposedTime = { text: string; local: string; precision: TimePrecision };

/** The model's answer, already checked against its schema at the adapter (providers/anthropic/reply-classifier.ts). */
export type LlmReading = {
  class: ReplyClass;
  kind: ObjectionKind | null;
  confidence: number;
  evidence: string[];
  proposedTimes: LlmProposedTime[];
};

/**
 * What became of the model's answer:
 * - `answered`: the rules had left the reply open; the model's class was taken;
 * - `added`: a kind or proposed times were added to the rules' class;
 * - `confirmed`: the same class (and kind); confidence raised;
 * - `disagrees`: another class or kind than a rule's answer; the rules stand, a person should look;
 * - `ignored`: evidence not found in the text, or the model unsure of an open reply; nothing taken;
 * - `unavailable`: no usable answer (timeout, provider error, malformed or off-schema answer).
 */
export type LlmVerdict = 'answered' | 'added' | 'confirmed' | 'disagrees' | 'ignored' | 'unavailable';

/** Recorded beside the rules' answer (the `llm` column of `replies`): what the model said and what was done with it. */
export type LlmNote = {
  verdict: LlmVerdict;
  model: string | null;
  class: ReplyClass | null;
  kind: ObjectionKind | null;
  confidence: number | null;
  evidence: string[];
  /** What the model's answer changed in the stored reading. */
  added: ('class' | 'kind' | 'proposedTimes' | 'confidence')[];
  /** Why nothing was taken, or where it disagrees: never the reply's words. */
  reason: string | null;
  /** True when a person should read the reply (a disagreement). */
  needsPerson: boolean;
};

export type MergeContext = {
  /** The reply's cleaned text (clean-reply.ts): what the model read and what evidence must be found in. */
  text: string;
  sentAt: Date;
  /** The zone the reply is read in (the prospect's, else dispatch.timeZone). */
  timeZone: string;
  businessHours?: BusinessHours;
};

/** The rules' `question` fallback: another language (0.2) or no rule (0.3). An empty reply (0) is never sent to the model. */
export const OPEN_CONFIDENCE = 0.3;
/** Below this the model's answer to an open reply is not taken (it is as unsure as the rules). */
export const LLM_MIN_CONFIDENCE = 0.6;
/** An answer the rules could not give ranks below a confident rule's: the model's confidence is capped here. */
export const LLM_ANSWER_CAP = 0.7;
/** A confirmed answer's confidence moves halfway to 1, up to this. */
export const CONFIRMED_CAP = 0.97;
/** Times further ahead than this are not a reply's proposal (a misread year). */
const MAX_AHEAD_MS = 366 * 86_400_000;
const MAX_TIMES = 3;
/** The classes whose reading carries proposed times (none for out-of-office, auto-replies and opt-outs). */
const TIMED: ReadonlySet<ReplyClass> = new Set(['meeting_request', 'interested', 'question', 'objection', 'referral']);
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const round2 = (n: number) => Math.round(n * 100) / 100;
/** Case, runs of white space and typographic quotes do not matter when finding the model's words. */
const comparable = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();

/** Whether the reply is one the rules left open (their fallback), so the model may answer it. */
export const isOpenReading = (rules: ReplyUnderstanding): boolean => rules.class === 'question' && rules.confidence > 0 && rules.confidence <= OPEN_CONFIDENCE;

/** The note when the model gave no usable answer: the rules' answer stands. */
export const llmUnavailable = (reason: string, model: string | null = null): LlmNote => ({ verdict: 'unavailable', model, class: null, kind: null, confidence: null, evidence: [], added: [], reason, needsPerson: false });

/** The model's times resolved like the rules' (wall clock in the zone, DST's "compatible" rule, past and impossible ones dropped), only where its words are in the text. */
export const resolveLlmTimes = (times: readonly LlmProposedTime[], ctx: MergeContext): ProposedTime[] => {
  const zone = resolveTimeZone(ctx.timeZone, 'UTC');
  const hours = ctx.businessHours ?? DEFAULT_BUSINESS_HOURS;
  const text = comparable(ctx.text);
  const seen = new Set<number>();
  const out: ProposedTime[] = [];
  for (const t of times) {
    const m = LOCAL.exec(t.local);
    if (!m || !t.text.trim() || !text.includes(comparable(t.text))) continue;
    const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
    if (!isRealDate({ year, month, day }) || hour > 23 || minute > 59) continue;
    // A day alone reads as 09:00 local, as the rules read it.
    const ms = t.precision === 'day' ? instantOfLocal({ year, month, day, hour: 9, minute: 0 }, zone) : instantOfLocal({ year, month, day, hour, minute }, zone);
    if (ms <= ctx.sentAt.getTime() || ms - ctx.sentAt.getTime() > MAX_AHEAD_MS || seen.has(ms)) continue;
    seen.add(ms);
    out.push({ at: new Date(ms).toISOString(), text: t.text.trim(), precision: t.precision, timeZone: zone, ...(isOutsideBusinessHours(ms, zone, hours) ? { outsideBusinessHours: true as const } : {}) });
    if (out.length >= MAX_TIMES) break;
  }
  return out;
};

/**
 * The rules' answer with what the model may add to it, and the note recorded beside it. `rules` is
 * `understandReply`'s answer for the same text; `llm` the model's checked answer.
 */
export const mergeLlmReading = (rules: ReplyUnderstanding, llm: LlmReading, ctx: MergeContext, model: string | null = null): { understanding: ReplyUnderstanding; llm: LlmNote } => {
  const kind = llm.class === 'objection' ? llm.kind : null;
  const note = (verdict: LlmVerdict, added: LlmNote['added'] = [], reason: string | null = null): LlmNote => ({
    verdict,
    model,
    class: llm.class,
    kind,
    confidence: round2(Math.min(1, Math.max(0, llm.confidence))),
    evidence: llm.evidence,
    added,
    reason,
    needsPerson: verdict === 'disagrees',
  });
  const keep = (verdict: LlmVerdict, reason: string) => ({ understanding: rules, llm: note(verdict, [], reason) });

  const text = comparable(ctx.text);
  const evidence = llm.evidence.map((e) => e.trim()).filter(Boolean);
  if (evidence.length === 0 || evidence.some((e) => !text.includes(comparable(e)))) return keep('ignored', 'evidence not found in the reply');

  if (isOpenReading(rules)) {
    if (llm.confidence < LLM_MIN_CONFIDENCE) return keep('ignored', 'the model is unsure');
    // The rules' times when they found some, else the model's (another language); none for a class that carries none.
    const times = !TIMED.has(llm.class) ? [] : rules.proposedTimes.length > 0 ? rules.proposedTimes : resolveLlmTimes(llm.proposedTimes, ctx);
    const addedTimes = rules.proposedTimes.length === 0 && times.length > 0;
    const added: LlmNote['added'] = ['class', ...(kind ? (['kind'] as const) : []), ...(addedTimes ? (['proposedTimes'] as const) : [])];
    return {
      understanding: { ...rules, class: llm.class, kind, confidence: round2(Math.min(llm.confidence, LLM_ANSWER_CAP)), evidence: [...new Set(evidence)].slice(0, 6), proposedTimes: times },
      llm: note('answered', added),
    };
  }

  // A rule decided: the model may only confirm or add. An opt-out stays an opt-out whatever it says.
  if (llm.class !== rules.class) return keep('disagrees', rules.class === 'unsubscribe' ? 'the rules read an opt-out; it is never changed' : `the rules read ${rules.class}`);
  if (rules.class === 'objection' && rules.kind && kind && kind !== rules.kind) return keep('disagrees', `the rules read the objection as ${rules.kind}`);

  const addKind = rules.class === 'objection' && !rules.kind && kind !== null;
  const times = rules.proposedTimes.length === 0 && TIMED.has(rules.class) ? resolveLlmTimes(llm.proposedTimes, ctx) : [];
  const added: LlmNote['added'] = [...(addKind ? (['kind'] as const) : []), ...(times.length > 0 ? (['proposedTimes'] as const) : [])];
  const confidence = round2(Math.min(CONFIRMED_CAP, Math.max(rules.confidence, rules.confidence + (1 - rules.confidence) / 2)));
  return {
    understanding: { ...rules, ...(addKind ? { kind } : {}), ...(times.length > 0 ? { proposedTimes: times } : {}), confidence },
    llm: note(added.length > 0 ? 'added' : 'confirmed', [...added, ...(confidence > rules.confidence ? (['confidence'] as const) : [])]),
  };
};
