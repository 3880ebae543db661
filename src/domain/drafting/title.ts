const LONG_FORM_ACRONYMS: [RegExp, string][] = [
  [/^chief executive officer$/i, 'CEO'],
  [/^chief revenue officer$/i, 'CRO'],
  [/^chief marketing officer$/i, 'CMO'],
  [/^chief operating officer$/i, 'COO'],
  [/^chief financial officer$/i, 'CFO'],
  [/^chief technology officer$/i, 'CTO'],
  [/^chief information officer$/i, 'CIO'],
  [/^chief strategy officer$/i, 'CSO'],
  [/^chief (product|people) officer$/i, 'CPO'],
  [/^chief human resources officer$/i, 'CHRO'],
];

/** "Chief Revenue Officer (CRO)" → "CRO"; "Chief Marketing Officer" → "CMO"; others unchanged (trimmed). */
export const normalizeTitle = (title: string | null): string | null => {
  if (!title) return null;
  const trimmed = title.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return null;
  const acronym = /\(([A-Z]{2,6})\)/.exec(trimmed);
  if (acronym) return acronym[1]!;
  for (const [re, short] of LONG_FORM_ACRONYMS) if (re.test(trimmed)) return short;
  return trimmed;
};
