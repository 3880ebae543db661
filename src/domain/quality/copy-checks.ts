/**
 * Pre-send checks on the copy itself (the plan's verification hooks, spec/pipeline.md): spam
 * trigger words, subject and body length, links, images, unresolved placeholders and the LinkedIn
 * note limit. Each check is configured to block the draft, flag it for the reviewer, or stay off.
 */
export type CheckAction = 'block' | 'flag' | 'off';

export type CopyRuleId = 'spam_words' | 'subject_length' | 'body_length' | 'link_count' | 'image_count' | 'unresolved_placeholder' | 'linkedin_note_length';

export type CopyCheckSettings = {
  spamWords: { action: CheckAction; words: string[] };
  subjectLength: { action: CheckAction; maxChars: number };
  /** Words of the message above the footer separator (`--`); the signature lines count. */
  bodyLength: { action: CheckAction; minWords: number; maxWords: number };
  /** Every URL in the body counts, the signature's booking link and the unsubscribe link included. */
  links: { action: CheckAction; max: number };
  images: { action: CheckAction; max: number };
  placeholders: { action: CheckAction };
  /** LinkedIn refuses a connection note over 300 characters. */
  linkedinNote: { action: CheckAction; maxChars: number };
};

export type CopyFinding = { ruleId: CopyRuleId; severity: 'block' | 'flag'; message: string };

/** A subject or two, the body, and a LinkedIn note when the draft carries one. */
export type CopyInput = { subjects: readonly string[]; body: string; linkedinNote?: string | null | undefined };

/** Whole words or phrases, case-insensitive ("free" is not found in "freelance"). */
const wordPattern = (word: string) =>
  new RegExp(
    `(?<![a-z0-9])${word
      .toLowerCase()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\s+/g, '\\s+')}(?![a-z0-9])`,
    'i',
  );
const patternsCache = new WeakMap<readonly string[], { word: string; re: RegExp }[]>();
const spamPatterns = (words: readonly string[]) => {
  let patterns = patternsCache.get(words);
  if (!patterns) patternsCache.set(words, (patterns = words.map((word) => ({ word, re: wordPattern(word) }))));
  return patterns;
};

const PLACEHOLDER = /\{\{[^{}]*\}\}|\{%[^{}]*%\}|\{\s*[a-z_][a-z0-9_.]*\s*\}/gi;
const URL = /\bhttps?:\/\/[^\s<>"')\]]+|\bwww\.[^\s<>"')\]]+/gi;
const IMAGE = /<img\b|!\[[^\]]*\]\([^)]*\)/gi;

/** The message a person reads: everything above the footer separator line. */
const messageOf = (body: string) => {
  const lines = body.split('\n');
  const footer = lines.findIndex((l) => l.trim() === '--');
  return (footer === -1 ? lines : lines.slice(0, footer)).join('\n');
};
const wordCount = (text: string) => text.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w)).length;
const quoteList = (items: readonly string[]) => items.map((i) => `"${i}"`).join(', ');

/** Every configured check over one draft; an empty list means the copy is clean. */
export const checkCopy = (input: CopyInput, settings: CopyCheckSettings): CopyFinding[] => {
  const findings: CopyFinding[] = [];
  const add = (action: CheckAction, ruleId: CopyRuleId, message: string) => {
    if (action !== 'off') findings.push({ ruleId, severity: action, message });
  };
  const subjects = input.subjects.filter((s) => s.trim());
  const copy = [...subjects, input.body].join('\n');

  const { spamWords, subjectLength, bodyLength, links, images, placeholders, linkedinNote } = settings;
  if (spamWords.action !== 'off') {
    const hits = spamPatterns(spamWords.words)
      .filter((p) => p.re.test(copy))
      .map((p) => p.word);
    if (hits.length) add(spamWords.action, 'spam_words', `spam trigger word${hits.length > 1 ? 's' : ''} ${quoteList(hits)}`);
  }
  const longSubjects = subjects.filter((s) => [...s].length > subjectLength.maxChars);
  if (longSubjects.length) add(subjectLength.action, 'subject_length', `subject of ${[...longSubjects[0]!].length} characters (max ${subjectLength.maxChars}): "${longSubjects[0]!.slice(0, 60)}"`);
  const words = wordCount(messageOf(input.body));
  if (words < bodyLength.minWords || words > bodyLength.maxWords) add(bodyLength.action, 'body_length', `body of ${words} words (allowed ${bodyLength.minWords}-${bodyLength.maxWords})`);
  const urls = input.body.match(URL) ?? [];
  if (urls.length > links.max) add(links.action, 'link_count', `${urls.length} links (max ${links.max})`);
  const imageCount = (input.body.match(IMAGE) ?? []).length;
  if (imageCount > images.max) add(images.action, 'image_count', `${imageCount} image${imageCount > 1 ? 's' : ''} (max ${images.max})`);
  const unresolved = [...new Set([...copy.matchAll(PLACEHOLDER)].map((m) => m[0]))];
  if (unresolved.length) add(placeholders.action, 'unresolved_placeholder', `unresolved placeholder${unresolved.length > 1 ? 's' : ''} ${unresolved.join(', ')}`);
  const note = input.linkedinNote ?? '';
  if ([...note].length > linkedinNote.maxChars) add(linkedinNote.action, 'linkedin_note_length', `LinkedIn note of ${[...note].length} characters (max ${linkedinNote.maxChars})`);
  return findings;
};

/** The defaults of spec/pipeline.md's verification hooks: placeholders and the note limit block, the rest flag. */
export const DEFAULT_COPY_CHECKS: CopyCheckSettings = {
  spamWords: {
    action: 'flag',
    words: [
      'free',
      'guarantee',
      'guaranteed',
      'urgent',
      'act now',
      'click here',
      'risk free',
      'risk-free',
      'limited time',
      'buy now',
      'order now',
      'no obligation',
      'no cost',
      'winner',
      'congratulations',
      'cash',
      'once in a lifetime',
      '100%',
    ],
  },
  subjectLength: { action: 'flag', maxChars: 60 },
  bodyLength: { action: 'flag', minWords: 50, maxWords: 300 },
  links: { action: 'flag', max: 3 },
  images: { action: 'flag', max: 0 },
  placeholders: { action: 'block' },
  linkedinNote: { action: 'block', maxChars: 300 },
};
