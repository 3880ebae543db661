/**
 * Reply text classification (spec/signals.md, HeyReach "Reply classification"; issue 6).
 *
 * The original matched lower-cased substrings, negative first, so "passionate" read as "pass" and
 * "nonstop" as "stop", and a reply quoting our own email matched our words. Here:
 * - Only the new text is read: lines starting with ">" and everything from an "On ... wrote:"
 *   header (one or two lines, as mail clients wrap it) or an "-----Original Message-----" line
 *   onwards are dropped. At most the first MAX_READ_CHARS characters of what remains are read:
 *   a reply says what matters early, and this bounds the work on a hostile payload.
 * - Phrases match whole words only (no letter or digit may touch either end), case-insensitive,
 *   with any run of whitespace between words and curly apostrophes read as straight ones.
 * - Categories are decided in REPLY_PRIORITY order, first match wins:
 *   1. unsubscribe_request: withdrawn consent must win over anything else in the same message
 *      ("interested, but remove me from this list" is an opt-out). It is never negation-checked:
 *      reading too much as an opt-out is the safe mistake.
 *   2. out_of_office: an auto-reply's boilerplate mentions colleagues, dates and "back on ...",
 *      which would otherwise read as wrong_person or not_now from a person.
 *   3. wrong_person: the reply is about who to talk to, whatever else it says.
 *   4. not_now: "not interested right now, try next quarter" keeps the door open, so it beats a
 *      plain objection.
 *   5. objection: beats positive because negative phrases contain positive words ("not interested").
 *   6. positive: only when no other category matched; a positive phrase preceded in its clause by
 *      a negator ("not sure", "not open to") does not count.
 * - Bare one-word messages "stop" (an SMS-style opt-out) and "no"/"nope" count only as the whole
 *   message, because "stop" and "no" inside a sentence mean many things ("nonstop" never matched).
 * - The original's list is kept where the words are unambiguous; dropped as too broad: bare "pass"
 *   (now "I'll pass", "hard pass", ...), bare "schedule", "i'm in".
 * - `confidence` is a ranking hint for the review queue, not a probability: 0 for unclear, higher
 *   for multi-word phrases and several hits, lower when other categories also matched.
 * The caller decides what a category does; only `unsubscribe_request` should suppress (the
 * original unsubscribed every "negative" reply, including "not the right time").
 */

export type ReplyCategory = 'positive' | 'objection' | 'not_now' | 'out_of_office' | 'unsubscribe_request' | 'wrong_person' | 'unclear';

type MatchedCategory = Exclude<ReplyCategory, 'unclear'>;

export type ReplyClassification = {
  category: ReplyCategory;
  /** Phrases of the winning category found in the new text, in rule order. */
  matched: string[];
  /** 0..1; see the file comment. */
  confidence: number;
};

export const REPLY_PRIORITY: readonly MatchedCategory[] = ['unsubscribe_request', 'out_of_office', 'wrong_person', 'not_now', 'objection', 'positive'];

export const REPLY_PHRASES: Readonly<Record<MatchedCategory, readonly string[]>> = {
  unsubscribe_request: [
    'unsubscribe',
    'remove me',
    'remove my email',
    'take me off',
    'off your list',
    'off your mailing list',
    'opt out',
    'opt-out',
    'opt me out',
    'stop emailing',
    'stop contacting',
    'stop messaging',
    'stop sending',
    'stop spamming',
    "don't contact",
    'dont contact',
    'do not contact',
    "don't email",
    'do not email',
    'never contact',
    'leave me alone',
  ],
  out_of_office: [
    'out of office',
    'out of the office',
    'ooo',
    'automatic reply',
    'auto-reply',
    'autoreply',
    'on vacation',
    'on holiday',
    'on annual leave',
    'on parental leave',
    'on maternity leave',
    'on paternity leave',
    'away from the office',
    'currently away',
    'limited access to email',
    'limited access to my email',
    'back in the office',
  ],
  wrong_person: [
    'wrong person',
    'wrong contact',
    'not the right person',
    'not the right contact',
    'not the person',
    'not the decision maker',
    'better person to',
    'the right person is',
    'no longer with',
    'no longer work',
    'no longer works',
    'left the company',
    'not responsible for',
    'not my area',
    'not my department',
  ],
  not_now: [
    'not now',
    'not right now',
    'not the right time',
    'bad timing',
    'timing is not right',
    "timing isn't right",
    'maybe later',
    'later this year',
    'next quarter',
    'next year',
    'circle back',
    'check back',
    'follow up later',
    'in a few months',
    'in a couple of months',
    'not a priority right now',
    'too busy',
    'pass for now',
  ],
  objection: [
    'not interested',
    'not really interested',
    'no longer interested',
    'not a fit',
    'not a good fit',
    'no thanks',
    'no thank you',
    'not for us',
    'not relevant',
    "i'll pass",
    'i will pass',
    "we'll pass",
    'we will pass',
    'hard pass',
    'pass on this',
    'already have',
    'already using',
    'already work with',
    'not looking for',
    'not looking to',
    "don't need",
    'do not need',
    'no budget',
    'too expensive',
  ],
  positive: [
    'interested',
    'tell me more',
    'send me',
    'love to',
    'would love',
    'happy to chat',
    'happy to talk',
    "let's schedule",
    'schedule a call',
    'schedule a time',
    'sounds great',
    'sounds good',
    "let's chat",
    'lets chat',
    "let's talk",
    'book a call',
    'set up a call',
    'set up a time',
    'open to',
    'that works',
    'works for me',
    'count me in',
    'send it over',
    'yes',
    'sure',
    'absolutely',
    'looking forward',
    'calendar link',
  ],
};

/** Whole-message replies: the message (letters only) must be exactly this word. */
const WHOLE_MESSAGE: Readonly<Record<string, MatchedCategory>> = { stop: 'unsubscribe_request', no: 'objection', nope: 'objection' };

export const MAX_READ_CHARS = 5_000;

const QUOTE_HEADER = /^[ \t]*On\b[^\n]*(?:\n[^\n]*)?\bwrote:[ \t]*$/im;
const ORIGINAL_MESSAGE = /^[ \t]*-{2,}[ \t]*Original Message[ \t]*-{2,}/im;
/** "Sent from my iPhone" would stop a bare "STOP" from being the whole message. */
const MOBILE_SIGNATURE = /^[ \t]*sent from my\b.*$/gm;
const NEGATOR = /^(?:not|no|never|don't|dont|doesn't|isn't|aren't|wasn't|won't|wouldn't|can't|cannot|hardly)$/;

/** The new text of a reply: quoted lines and the quoted history below a reply header removed. */
export const stripQuotedHistory = (text: string): string => {
  let cut = text.replace(/\r\n?/g, '\n');
  for (const header of [QUOTE_HEADER, ORIGINAL_MESSAGE]) {
    const found = header.exec(cut);
    if (found) cut = cut.slice(0, found.index);
  }
  return cut
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .trim();
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const phrasePattern = (phrase: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}])${phrase.split(/\s+/).map(escapeRegExp).join('\\s+')}(?![\\p{L}\\p{N}])`, 'giu');

const PATTERNS: ReadonlyMap<string, RegExp> = new Map(
  Object.values(REPLY_PHRASES)
    .flat()
    .map((phrase) => [phrase, phrasePattern(phrase)]),
);

/** A negator among the last three words of the same clause, right before the phrase. */
const isNegated = (text: string, index: number): boolean => {
  const before = text.slice(Math.max(0, index - 60), index);
  const clause = before.slice(before.search(/[^.!?;,:\n]*$/));
  return clause
    .trim()
    .split(/\s+/)
    .slice(-3)
    .some((word) => NEGATOR.test(word));
};

const occurs = (text: string, phrase: string, category: MatchedCategory): boolean => {
  const pattern = PATTERNS.get(phrase)!;
  for (const match of text.matchAll(pattern)) {
    if (category !== 'positive' || !isNegated(text, match.index)) return true;
  }
  return false;
};

const confidenceOf = (matched: readonly string[], otherCategories: number): number => {
  const base = matched.some((phrase) => phrase.includes(' ')) ? 0.8 : 0.6;
  const several = matched.length > 1 ? 0.1 : 0;
  const ambiguity = otherCategories > 0 ? 0.2 : 0;
  return Math.round(Math.min(0.95, Math.max(0.1, base + several - ambiguity)) * 100) / 100;
};

export const classifyReply = (text: string): ReplyClassification => {
  const fresh = stripQuotedHistory(text)
    .slice(0, MAX_READ_CHARS)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase();
  const lettersOnly = fresh
    .replace(MOBILE_SIGNATURE, '')
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
  const whole = WHOLE_MESSAGE[lettersOnly];
  if (whole !== undefined) return { category: whole, matched: [lettersOnly], confidence: 0.8 };

  const hits = REPLY_PRIORITY.map((category) => ({ category, matched: REPLY_PHRASES[category].filter((phrase) => occurs(fresh, phrase, category)) })).filter((hit) => hit.matched.length > 0);
  const winner = hits[0];
  if (winner === undefined) return { category: 'unclear', matched: [], confidence: 0 };
  return { category: winner.category, matched: winner.matched, confidence: confidenceOf(winner.matched, hits.length - 1) };
};
