/**
 * Reply understanding (issue 17): the class of an e-mail (Instantly) or LinkedIn (HeyReach) reply,
 * the objection's kind, the words that decided, the times the prospect proposes and, for an
 * out-of-office note, the return date. Deterministic rules over the cleaned text (clean-reply.ts);
 * an optional LLM may add to or confirm the answer, never overrule these rules (llm-reading.ts).
 *
 * Precedence, first that applies wins:
 *  1. empty (nothing new once quotes, signature and HTML are stripped): `question`, confidence 0;
 *  2. `unsubscribe`: withdrawn consent beats anything else in the same message;
 *  3. `out_of_office`: away markers ("out of the office", "on leave") when the note is automated
 *     or asks for nothing (a person writing "I'm out this week, but Tuesday at 2 works" is a
 *     meeting request);
 *  4. a left-the-company note naming someone to contact: `referral`; else any other automated
 *     marker (auto-reply, ticket, bounce): `auto_reply`;
 *  5. not English: `question` with low confidence, rather than a wrong confident class;
 *  6. `referral` when the reply sends us elsewhere ("not the right person", "talk to Priya"),
 *     even if it also proposes a meeting: that meeting would be with someone else;
 *  7. `meeting_request`: a proposed time, or an explicit ask to meet that is not a deferral
 *     ("let's talk in Q3" is a timing objection);
 *  8. `objection` with the first kind found of incumbent, budget, authority, need, timing (a
 *     no with a reason beats a plain no); an incumbent mentioned in a question without any no
 *     ("we use HubSpot, does it integrate?") is a `question`;
 *  9. `referral` for a colleague merely added to the thread ("looping in Jake"), unless the
 *     reply gives a reason not to buy ("I'd need to loop in our VP" is an authority objection);
 * 10. `not_interested`: a plain no;
 * 11. `question`: a real question (a request for a deck or video, or "what's the best email to
 *     reach you?", is interest; a question about price is a question);
 * 12. `interested`: positive words (not those before a "but": "Interesting, but …"), or a
 *     next-step question ("what are the next steps?", "who would I be working with?");
 * 13. no phrase at all: the class the reply's cue words point to (reply-cues.ts), at 0.4;
 * 14. anything else: `question` with low confidence, for a person to read.
 */
import type { BusinessHours } from '../sending/timing.js';
import { cleanReply } from './clean-reply.js';
import { findProposedTimes, findReturnDate, type ProposedTime, type TimeContext } from './proposed-times.js';
import { readCues } from './reply-cues.js';
import * as P from './reply-phrases.js';
import { lowerSameLength } from './time-mentions.js';

export const REPLY_CLASSES = ['meeting_request', 'interested', 'question', 'objection', 'referral', 'out_of_office', 'not_interested', 'unsubscribe', 'auto_reply'] as const;
export type ReplyClass = (typeof REPLY_CLASSES)[number];
export type ObjectionKind = P.ObjectionKind;
export { OBJECTION_KINDS } from './reply-phrases.js';

export type ReplyUnderstanding = {
  class: ReplyClass;
  /** Set for `objection` only. */
  kind: ObjectionKind | null;
  /** 0..1, a ranking hint for review, not a probability: 0 for an empty reply, low for a guess. */
  confidence: number;
  /** The words that decided, as written in the reply. */
  evidence: string[];
  /** Times the prospect proposes (none for out-of-office, auto-replies and opt-outs). */
  proposedTimes: ProposedTime[];
  /** First day back (09:00 local, ISO UTC) for `out_of_office`; null otherwise or when unsaid. */
  returnDate: string | null;
};

export type UnderstandOptions = {
  /** When the reply was sent: proposed times resolve against it. */
  sentAt: Date;
  /** The prospect's IANA zone when known, else dispatch.timeZone. */
  timeZone: string;
  /** The slots our message offered, for "the second option" and "the 14th works". */
  offeredSlots?: readonly Date[];
  /** Our zone, for "3pm your time". */
  senderTimeZone?: string;
  businessHours?: BusinessHours;
};

const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const upperFirst = (word: string) => `[${word[0]!.toUpperCase()}${word[0]}]${word.slice(1)}`;
/** "Try Carla", "talk to Priya", "contact mike@..." : a cue followed by a capitalised name, a handle or an address. */
const NAMED_TARGET = `\\s+(?:my colleague\\s+|our\\s+)?(?:\\p{Lu}\\p{Ll}+|@\\w+|${EMAIL.source})`;
const SENDS_TO_NAME = new RegExp(
  `(?<![\\p{L}])(?:${['try', 'ask', 'contact', 'ping', 'email', 'e-mail', 'message', 'write to', 'reach', 'talk to', 'speak to', 'speak with', 'get in touch with', 'connect with', "you'd want", 'you want', "you'll want", 'you need'].map(upperFirst).join('|')})${NAMED_TARGET}`,
  'u',
);
/** "Jordan does.", "Lisa handles vendor stuff", "Sam Patel now owns partnerships": a named colleague owns the topic. */
const NAME_OWNS =
  /(?<![\p{L}])\p{Lu}\p{Ll}+ (?:now |also |actually |really )?(?:does(?=\s*[.(,!—–-]|$)|handles|owns|runs|manages|looks after|heads|leads|oversees|covers|took over|has taken over|takes care of|is (?:the one|your (?:person|guy|contact)|in charge|responsible))/u;
const ADDS_NAME = new RegExp(`(?<![\\p{L}])(?:${['looping in', 'loop in', 'adding', "cc'ing", 'ccing', 'copying', 'introducing'].map(upperFirst).join('|')}|\\+)${NAMED_TARGET.replace('\\s+', '\\s*')}`, 'u');
const ROLE_TARGET = /(?<![\p{L}])(?:my|our) (?:colleague|boss|manager|head of|vp|cto|ceo|cfo|coo|cmo|cro|director|team)(?![\p{L}])/u;
const LATIN_LETTER = /\p{Script=Latin}/u;
/** "Interesting, but the next 90 days are spoken for": what follows the turn decides, not the politeness before it. */
const CONTRAST = /(?<![\p{L}])(?:but|however|unfortunately|that said|although|though)(?![\p{L}])/u;

const round = (value: number) => Math.round(Math.min(0.95, Math.max(0, value)) * 100) / 100;

const isNotEnglish = (lower: string): boolean => {
  let latin = 0;
  let other = 0;
  for (const ch of lower.slice(0, 600)) {
    if (!/\p{L}/u.test(ch)) continue;
    if (LATIN_LETTER.test(ch)) latin++;
    else other++;
  }
  if (other > latin) return true;
  let english = 0;
  let foreign = 0;
  for (const word of lower.split(/[^\p{L}']+/u)) {
    if (P.ENGLISH_WORDS.has(word)) english++;
    else if (P.FOREIGN_WORDS.has(word)) foreign++;
  }
  return foreign >= 2 && foreign > english;
};

/** The first sentence that asks something we must answer (not a request for material, not an ask to meet). */
const firstQuestion = (clean: string, lower: string): string | null => {
  let offset = 0;
  for (const sentence of lower.split(/(?<=[.!?])\s+|\n+/)) {
    const start = lower.indexOf(sentence, offset);
    offset = start + sentence.length;
    const s = sentence.trim();
    if (s.length < 4 || !(s.endsWith('?') || (P.QUESTION_START.test(s) && !P.WH_STATEMENT_START.test(s)))) continue;
    if ((P.REQUEST_FOR_MATERIAL.test(s) && !P.ABOUT_PRICE.test(s)) || P.LOGISTICS_QUESTION.test(s)) continue;
    if (P.findPhrases(s, P.MEETING_ASK).length > 0) continue;
    return clean.slice(start, start + sentence.length).trim();
  }
  return null;
};

export const understandReply = (text: string, options: UnderstandOptions): ReplyUnderstanding => {
  const clean = cleanReply(text);
  const answer = (cls: ReplyClass, confidence: number, evidence: readonly string[], extra: Partial<ReplyUnderstanding> = {}): ReplyUnderstanding => ({
    class: cls,
    kind: null,
    confidence: round(confidence),
    evidence: [...new Set(evidence.map((e) => e.trim()).filter(Boolean))].slice(0, 6),
    proposedTimes: [],
    returnDate: null,
    ...extra,
  });
  if (clean === '') return answer('question', 0, []);

  const lower = lowerSameLength(clean);
  const letters = lower.replace(/[^\p{L}]+/gu, ' ').trim();
  // "Stop." or "pass." as a sentence (or clause: "whoever runs this, stop") of its own counts like the whole message.
  const clauses = lower.split(/[.!?\n,;:—–]+/).map((clause) => clause.replace(/[^\p{L}]+/gu, ' ').trim());
  const aClauseIs = (set: ReadonlySet<string>) => clauses.some((clause) => set.has(clause));
  const words = (hits: readonly P.PhraseHit[]) => hits.map((hit) => clean.slice(hit.index, hit.index + hit.text.length));
  const find = (table: P.PhraseTable) => P.findPhrases(lower, table);

  const unsubscribe = find(P.UNSUBSCRIBE);
  if (unsubscribe.length > 0 || aClauseIs(P.UNSUBSCRIBE_WHOLE)) return answer('unsubscribe', unsubscribe.length > 0 ? 0.95 : 0.9, unsubscribe.length > 0 ? words(unsubscribe) : [clean]);

  const context: TimeContext = { sentAt: options.sentAt, timeZone: options.timeZone, offeredSlots: options.offeredSlots, senderTimeZone: options.senderTimeZone, businessHours: options.businessHours };
  const away = find(P.AWAY);
  const automated = find(P.AUTOMATED);
  const meeting = find(P.MEETING_ASK);
  let times: ProposedTime[] | null = null;
  const proposed = () => (times ??= findProposedTimes(clean, context));

  if (away.length > 0 && (automated.length > 0 || (meeting.length === 0 && proposed().length === 0))) {
    const back = findReturnDate(clean, context);
    return answer('out_of_office', automated.length > 0 ? 0.9 : 0.75, [...words(away), ...words(automated), ...(back ? [back.text] : [])], { returnDate: back?.at ?? null });
  }
  const left = find(P.LEFT_COMPANY);
  const hasTarget = EMAIL.test(clean) || SENDS_TO_NAME.test(clean) || ADDS_NAME.test(clean) || ROLE_TARGET.test(lower);
  if (left.length > 0 && automated.length > 0 && hasTarget) return answer('referral', 0.85, words(left));
  if (automated.length > 0) return answer('auto_reply', 0.85, words(automated));

  if (isNotEnglish(lower)) return answer('question', 0.2, []);

  const strongReferral = [...find(P.REFERRAL_STRONG), ...left];
  const namedReferral = SENDS_TO_NAME.exec(clean) ?? NAME_OWNS.exec(clean);
  if (strongReferral.length > 0 || namedReferral) {
    return answer('referral', hasTarget ? 0.85 : 0.7, [...words(strongReferral), ...(namedReferral ? [namedReferral[0]] : [])], { proposedTimes: proposed() });
  }

  const objections = P.OBJECTION_KINDS.map((kind) => ({ kind, hits: find(P.OBJECTIONS[kind]) })).filter((o) => o.hits.length > 0);
  const deferral = objections.some((o) => o.kind === 'timing');
  if (proposed().length > 0 || (meeting.length > 0 && !deferral)) {
    const competing = objections.length > 0 ? 0.1 : 0;
    return answer('meeting_request', (proposed().length > 0 ? 0.9 : 0.8) - competing, [...words(meeting), ...proposed().map((t) => t.text)], { proposedTimes: proposed() });
  }

  const plainNo = find(P.NOT_INTERESTED);
  const question = firstQuestion(clean, lower);
  const first = objections[0];
  if (first !== undefined) {
    const onlyAnIncumbentInAQuestion = objections.length === 1 && first.kind === 'incumbent' && question !== null && plainNo.length === 0;
    if (onlyAnIncumbentInAQuestion) return answer('question', 0.6, [question], { proposedTimes: proposed() });
    const hits = objections.flatMap((o) => o.hits).length;
    return answer('objection', 0.75 + (hits > 1 ? 0.05 : 0), words(first.hits), { kind: first.kind, proposedTimes: proposed() });
  }

  const added = find(P.REFERRAL_WEAK);
  const addedName = ADDS_NAME.exec(clean);
  if (added.length > 0 || addedName) return answer('referral', 0.65, [...words(added), ...(addedName ? [addedName[0]] : [])], { proposedTimes: proposed() });

  if (plainNo.length > 0 || aClauseIs(P.NOT_INTERESTED_WHOLE)) return answer('not_interested', 0.85, plainNo.length > 0 ? words(plainNo) : [clean]);
  const turn = CONTRAST.exec(lower);
  const positive = find(P.INTERESTED).filter((hit) => turn === null || hit.index > turn.index);
  if (question !== null) return answer('question', positive.length > 0 ? 0.65 : 0.7, [question], { proposedTimes: proposed() });
  // A next-step question ("what are the next steps?", "who would I be working with?") asks to go on.
  const nextStep = P.LOGISTICS_QUESTION.exec(lower);
  if (positive.length > 0 || nextStep !== null || P.INTERESTED_WHOLE.has(letters) || P.POSITIVE_EMOJI.test(clean)) {
    const evidence = [...words(positive), ...(nextStep ? [clean.slice(nextStep.index, nextStep.index + nextStep[0].length)] : [])];
    return answer('interested', positive.length + (nextStep ? 1 : 0) > 1 ? 0.75 : 0.65, evidence.length > 0 ? evidence : [clean], { proposedTimes: proposed() });
  }
  // No phrase decided: the cue words may (reply-cues.ts), at a confidence a person still reviews.
  const cue = readCues(lower);
  if (cue !== null)
    return answer(
      cue.class,
      0.4,
      cue.evidence.map((word) => asWritten(clean, lower, word)),
      { kind: cue.kind, proposedTimes: proposed() },
    );
  return answer('question', 0.3, [], { proposedTimes: proposed() });
};

/** `word` (found lower-cased) as the reply writes it. */
const asWritten = (clean: string, lower: string, word: string): string => {
  const at = new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').exec(lower);
  return at ? clean.slice(at.index, at.index + word.length) : word;
};
