/**
 * Whole-word, case-insensitive keyword matching. The original matched substrings, so "director"
 * matched `cto` and "coordinator" matched `coo`; here a keyword must stand alone, bounded by
 * anything that is not a letter or digit ("co-founder", "people.ai" and "e-commerce" still work).
 */
export type KeywordMatcher = (text: string) => string | null;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const cache = new WeakMap<readonly string[], KeywordMatcher>();

/** First keyword of `keywords` (in list order) found in `text`, or null. Compiled once per list. */
export const keywordMatcher = (keywords: readonly string[]): KeywordMatcher => {
  const cached = cache.get(keywords);
  if (cached) return cached;
  const patterns = keywords.map((k) => ({ keyword: k, re: new RegExp(`(?<![a-z0-9])${escape(k.toLowerCase()).replace(/\s+/g, '\\s+')}(?![a-z0-9])`, 'i') }));
  const matcher: KeywordMatcher = (text) => {
    if (!text) return null;
    for (const p of patterns) if (p.re.test(text)) return p.keyword;
    return null;
  };
  cache.set(keywords, matcher);
  return matcher;
};
