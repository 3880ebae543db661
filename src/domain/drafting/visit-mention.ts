import type { LeadProfile } from '../lead.js';
import type { Grounding } from './grounding.js';

/**
 * How a first draft may use a website visit (`rb2b.mentionVisit`). `never`: not at all, the draft
 * reads as if the visit were unknown. `topic`: only the subject of the pages, said as something
 * teams like theirs ask about; never a URL, a page, or that we saw them on the site. People who
 * learn that a cold e-mail tracked their browsing reply less and complain more.
 */
export const VISIT_MENTIONS = ['never', 'topic'] as const;
export type VisitMention = (typeof VISIT_MENTIONS)[number];
export const DEFAULT_VISIT_MENTION: VisitMention = 'never';

/**
 * The opening sentence for a website visitor under the policy, grounded in the topic's field; null
 * when the policy or the lead gives nothing to say (the crafter then opens from the other facts).
 */
export const visitOpening = (lead: LeadProfile, company: string, mention: VisitMention): { sentence: string; fact: Grounding } | null => {
  if (mention !== 'topic' || lead.sourceType !== 'website_visitor') return null;
  const topic = lead.sourceName?.trim();
  // A topic is a few plain words; anything that looks like an address or a path is not said.
  if (!topic || /[/:@?#=]|www\.|\.(com|io|ai|net|org)\b/i.test(topic)) return null;
  return {
    sentence: `Teams like ${company} often ask us about ${topic}, so I wanted to share how we approach it.`,
    fact: { claim: 'topic of interest', field: 'sourceName', value: topic, provider: lead.provenance.sourceName ?? 'unknown' },
  };
};
