/**
 * Word cues for the replies no phrase rule decides (understand-reply.ts asks these last, before the
 * open `question`). The held-out set showed the phrase tables fit the wordings they were built from
 * and little else: most misses on new replies were plain statements holding no phrase at all ("Love
 * the idea, hate the price tag", "This would need to go to our board"). Single words carry over to
 * new wordings better than phrases, so such a reply takes the class whose cue words it holds most, at
 * a low confidence (understand-reply.ts: 0.4, under the 0.5 that counts as sure) so a person still
 * reads it. Never used for opt-outs: those are phrase rules only, read first, and over-read on purpose.
 */
import type { ObjectionKind } from './reply-phrases.js';

type Cue = ObjectionKind | 'not_interested' | 'interested';

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/));

/** Topic words of each objection kind, a refusal and interest. A word belongs to one set only. */
const CUES: Readonly<Record<Cue, ReadonlySet<string>>> = {
  budget: words('budget budgets money cost costs costly price priced pricey pricing afford affordable expensive cheap cheaper spend spending funds funding cash investment dollars roi fee fees subscription subscriptions'),
  authority: words(
    'ceo cfo cto coo cro cmo founder founders cofounder co-founder board boss manager approval approve approved approves sign-off signoff procurement purchasing legal decision decisions decide decides leadership management committee superiors final',
  ),
  need: words('referrals inbound industry tiny niche handful enough plenty nobody irrelevant relevance applicable word-of-mouth relationships personally prospect prospects volume'),
  incumbent: words(
    'using used agency agencies vendor vendors provider providers contract tool tools platform already existing in-house internally apollo outreach salesloft hubspot lemlist instantly smartlead zoominfo gong clay lusha cognism seamless woodpecker mailshake pipedrive 6sense',
  ),
  timing: words('later until till months weeks days quarter quarters spring summer fall autumn winter launch busy wait waiting revisit soon bandwidth capacity spoken'),
  not_interested: words('pass skip decline declined appetite uninterested nope nah'),
  interested: words('cool great love keen excited awesome nice useful helpful hear learn glad happy intrigued fascinating promising suggest recommend impressive'),
};

/** Words that make a reply a refusal, a limit or a reservation rather than interest or an inquiry. */
const NEGATIVE = /(?<![\p{L}])(?:not|no|never|nothing|nobody|none|only|hate|too|tight|skeptical|sceptical|without|but|however|unfortunately|\p{L}+n't|cannot)(?![\p{L}])/u;
const OBJECTION_ORDER: readonly ObjectionKind[] = ['incumbent', 'budget', 'authority', 'need', 'timing'];

export type CueReading = { class: 'objection'; kind: ObjectionKind; evidence: string[] } | { class: 'not_interested' | 'interested'; kind: null; evidence: string[] };

/**
 * The class the cue words of `lower` (a cleaned, lower-cased reply) point to, or null when none does.
 * An objection kind needs more cue words than any other kind (ties go in the rules' order) and a
 * negative word, a limit or a "but" (except an incumbent, which objects by itself); else a refusal
 * needs a refusal word (a bare "no" is not one: "Ahora no" is another language); else interest needs
 * interest words and no negative word.
 */
export const readCues = (lower: string): CueReading | null => {
  const hits: Record<Cue, string[]> = { budget: [], authority: [], need: [], incumbent: [], timing: [], not_interested: [], interested: [] };
  for (const raw of lower.split(/[^\p{L}\p{N}'-]+/u)) {
    const word = raw.replace(/^['-]+|['-]+$/g, '').replace(/'s$/, '');
    for (const cue of Object.keys(CUES) as Cue[]) if (CUES[cue].has(word)) hits[cue].push(word);
  }
  const negative = NEGATIVE.test(lower);
  const best = OBJECTION_ORDER.reduce<ObjectionKind | null>((top, kind) => (hits[kind].length > (top === null ? 0 : hits[top].length) ? kind : top), null);
  // "Depends on cost", "Tell me how pricing works" ask; "hate the price tag" objects. Using another tool objects by itself.
  if (best !== null && (negative || best === 'incumbent')) return { class: 'objection', kind: best, evidence: hits[best] };
  if (hits.not_interested.length > 0) return { class: 'not_interested', kind: null, evidence: hits.not_interested };
  if (hits.interested.length > 0 && !negative) return { class: 'interested', kind: null, evidence: hits.interested };
  return null;
};
