/**
 * The sandbox model's reading of a reply (the tool `record_reply_reading` of
 * providers/anthropic/reply-classifier.ts), deterministic from the text between `<reply>` tags: the
 * first phrase of a small table found in it, in several languages, decides the class (and the
 * objection's kind), with the phrase as written as evidence and confidence 0.85; a
 * `YYYY-MM-DD HH:mm` written in the reply is a proposed time; no phrase: `question` at 0.4. It is
 * not a second rule set: it only gives the tests a model that answers what the rules cannot
 * (another language) and agrees or disagrees with them in known ways.
 */
type Reading = { class: string; kind: string | null; confidence: number; evidence: string[]; proposedTimes: { text: string; local: string; precision: 'exact' }[] };

/** First match wins, in this order (an opt-out first, as the rules do). */
const PHRASES: readonly [phrase: string, cls: string, kind: string | null][] = [
  ['take me off', 'unsubscribe', null],
  ['désabonner', 'unsubscribe', null],
  ['darme de baja', 'unsubscribe', null],
  ['abmelden', 'unsubscribe', null],
  ['no tenemos presupuesto', 'objection', 'budget'],
  ['pas de budget', 'objection', 'budget'],
  ['kein budget', 'objection', 'budget'],
  ['no budget', 'objection', 'budget'],
  ['ya trabajamos con', 'objection', 'incumbent'],
  ['we already use', 'objection', 'incumbent'],
  ['not interested', 'not_interested', null],
  ['no nos interesa', 'not_interested', null],
  ['kein interesse', 'not_interested', null],
  ['me va bien', 'meeting_request', null],
  ['ça me convient', 'meeting_request', null],
  ['passt mir', 'meeting_request', null],
  ['tell me more', 'interested', null],
  ['me interesa', 'interested', null],
  ['klingt gut', 'interested', null],
];

const STAMP = /\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})\b/g;

/** The reply's text from the classifier's user turn. */
export const replyTextIn = (userText: string): string | null => {
  const m = /<reply>\n?([\s\S]*?)\n?<\/reply>/.exec(userText);
  return m ? m[1]! : null;
};

export const readReply = (text: string): Reading => {
  const lower = text.toLowerCase();
  const proposedTimes = [...text.matchAll(STAMP)].map((m) => ({ text: m[0], local: `${m[1]}T${m[2]}`, precision: 'exact' as const }));
  for (const [phrase, cls, kind] of PHRASES) {
    const at = lower.indexOf(phrase);
    if (at >= 0) return { class: cls, kind, confidence: 0.85, evidence: [text.slice(at, at + phrase.length)], proposedTimes: cls === 'meeting_request' || cls === 'interested' ? proposedTimes : [] };
  }
  const first = text.trim().split(/\s+/).slice(0, 3).join(' ');
  return { class: 'question', kind: null, confidence: 0.4, evidence: first ? [first] : ['?'], proposedTimes: [] };
};
