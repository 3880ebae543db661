/**
 * What a plain-words request names: titles, company sizes, industries, tools, time ranges, tiers,
 * e-mails, domains, ids and counts. Pure and deterministic: regular expressions over the text, no
 * guessing; what is not written is absent (null or an empty list), never a default.
 */

export type TimeRange = { hours: number; label: string };
export type Segment = 'enterprise' | 'mid-market' | 'smb';

export type Entities = {
  titles: string[];
  /** A head count written in the text ("180-employee", "150 people"). */
  employeeCount: number | null;
  segments: Segment[];
  industries: string[];
  tools: string[];
  timeRange: TimeRange | null;
  tiers: string[];
  emails: string[];
  domains: string[];
  /** Ids written as `contact_id 12345`, `lead <uuid>`, `run_…`, `batch <id>`, `campaign <id>`. */
  ids: { kind: string; value: string }[];
  /** A count asked for ("50 leads", "5 emails", "last 50 rejected"). */
  count: number | null;
  /** A text the request hands over to be read (a pasted reply): in quotes, or after "reply:", "message:"... Case kept. */
  givenText: string | null;
  /** An instant written in ISO form (a slot to book), as UTC ISO. */
  slot: string | null;
  /** An IANA time zone named in the request ("America/New_York"), checked. */
  timeZone: string | null;
  /** A tool named to be run ("run tool 'x'"), whether or not it is one of QUEEN's. */
  namedTools: string[];
  /** The first title as the request wrote it ("RevOps Manager"), for copy that shows it. */
  titleAsWritten: string | null;
  /** A company named with a capital after "at", "for" or "from" ("a CRO at AcmeAI"), as written. */
  companyName: string | null;
  /** What the request says of a described person after "who" ("who mentioned slow deal velocity"). */
  statedContext: string | null;
};

const TITLE_PATTERNS: readonly RegExp[] = [
  /\bchief [a-z]+ officer\b/g,
  /\b(?:vp|svp|evp|vice president)(?: of)? [a-z]+(?: [a-z]+)?\b/g,
  /\b(?:director|head|manager) of [a-z]+\b/g,
  /\b(?:revops|sales|marketing|operations|account|product|engineering|it) (?:manager|director|lead|leader)\b/g,
  /\b(?:ceo|cto|cfo|cro|coo|cmo|cio|ciso|founder|co-founder|owner|president)\b/g,
];

/** Words after "VP of …" that end a title rather than continue it. */
const TITLE_STOP = /\s(?:at|in|for|from|who|with|and|audience)$/;

const INDUSTRIES: readonly string[] = [
  'b2b saas',
  'saas',
  'software',
  'fintech',
  'financial services',
  'insurance',
  'healthcare',
  'manufacturing',
  'logistics',
  'retail',
  'ecommerce',
  'e-commerce',
  'education',
  'non-profit',
  'nonprofit',
  'consulting',
  'marketing agency',
  'real estate',
  'robotics',
  'cybersecurity',
  'telecommunications',
  'construction',
  'legal',
  'accounting',
  'recruiting',
  'media',
];

const TOOLS: readonly string[] = [
  'salesforce',
  'hubspot',
  'gong',
  'salesloft',
  'apollo',
  'clay',
  'bettercontact',
  'slack',
  'zoominfo',
  'pipedrive',
  'marketo',
  'zendesk',
  'instantly',
  'heyreach',
  'ghl',
  'gohighlevel',
  'supabase',
  'google calendar',
  'rb2b',
  'linkedin',
  'twilio',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordList = (words: readonly string[]) => new RegExp(`(?<![a-z0-9])(${words.map(escape).join('|')})(?![a-z0-9])`, 'g');
const INDUSTRY_RE = wordList(INDUSTRIES);
const TOOL_RE = wordList(TOOLS);

const EMAIL_RE = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
const DOMAIN_RE = /(?<![@a-z0-9.-])((?:[a-z0-9-]+\.)+(?:com|io|ai|co|net|org|dev|app|tech))(?![a-z0-9-])/g;
const UUID_RE = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];
const toInt = (s: string) => Number.parseInt(s.replace(/,/g, ''), 10);

const matchAll = (re: RegExp, text: string, group = 0): string[] => [...text.matchAll(re)].map((m) => m[group] ?? '');

const titlesIn = (text: string): string[] => {
  const found: { at: number; title: string }[] = [];
  for (const re of TITLE_PATTERNS)
    for (const m of text.matchAll(re)) {
      let title = m[0];
      while (TITLE_STOP.test(title)) title = title.replace(TITLE_STOP, '');
      found.push({ at: m.index, title });
    }
  // A short form inside a longer title already found ("vp sales" inside "svp sales") is dropped.
  const sorted = found.sort((a, b) => a.at - b.at);
  return unique(sorted.map((f) => f.title)).filter((t, _, all) => !all.some((o) => o !== t && o.includes(t)));
};

const employeeCountIn = (text: string): number | null => {
  const m = /\b(\d[\d,]*)\s*(?:-|\s)?\s*(?:employees?|people|person|staff|headcount|seats?)\b/.exec(text);
  return m?.[1] ? toInt(m[1]) : null;
};

const segmentsIn = (text: string): Segment[] => {
  const out: Segment[] = [];
  if (/\benterprise\b/.test(text)) out.push('enterprise');
  if (/\bmid-?market\b/.test(text)) out.push('mid-market');
  if (/\b(?:smb|small business(?:es)?)\b/.test(text)) out.push('smb');
  return out;
};

const TIME_UNITS: Record<string, number> = { minute: 1 / 60, hour: 1, h: 1, day: 24, d: 24, week: 168, month: 720 };

const timeRangeIn = (text: string): TimeRange | null => {
  const m = /\b(?:last|past|previous|in the last)\s+(\d+)\s*(minute|hour|h|day|d|week|month)s?\b/.exec(text) ?? /\b(\d+)\s*(h|hours?)\b(?=.*\b(?:window|ago|dropped|since)\b)/.exec(text);
  if (m?.[1] && m[2]) {
    const unit = m[2].replace(/s$/, '');
    const hours = toInt(m[1]) * (TIME_UNITS[unit] ?? 1);
    return { hours, label: `last ${m[1]} ${unit.length <= 1 ? (unit === 'h' ? 'hours' : 'days') : `${unit}s`}` };
  }
  if (/\b(?:last|past) (?:hour)\b/.test(text)) return { hours: 1, label: 'last hour' };
  if (/\btoday\b/.test(text)) return { hours: 24, label: 'today' };
  if (/\byesterday\b/.test(text)) return { hours: 48, label: 'since yesterday' };
  if (/\b(?:this|last|past) week\b|\bweekly\b/.test(text)) return { hours: 168, label: 'this week' };
  if (/\b(?:this|last|past) month\b/.test(text)) return { hours: 720, label: 'this month' };
  return null;
};

const tiersIn = (text: string): string[] => unique(matchAll(/\btier[\s_-]?([1-4])\b/g, text, 1).map((n) => `tier_${n}`));

const idsIn = (text: string): { kind: string; value: string }[] => {
  const ids: { kind: string; value: string }[] = [];
  for (const m of text.matchAll(/\b(contact|lead|draft|batch|campaign|incident|reply)[_\s-]?id[\s:=#]*([a-z0-9_-]+)\b/g)) ids.push({ kind: m[1] ?? 'id', value: m[2] ?? '' });
  for (const m of text.matchAll(/\b(run_\d{8}_\d{6}_[0-9a-f]{6})\b/g)) ids.push({ kind: 'run', value: m[1] ?? '' });
  for (const m of text.matchAll(/\b(lead|draft|batch|campaign|reply)\s+([0-9a-f]{8}-[0-9a-f-]{27})\b/g)) ids.push({ kind: m[1] ?? 'id', value: m[2] ?? '' });
  for (const value of matchAll(UUID_RE, text)) if (!ids.some((i) => i.value === value)) ids.push({ kind: 'id', value });
  return ids;
};

const countIn = (text: string): number | null => {
  const m = /(?<!tier[\s_-]?)\b(?:last\s+)?(\d{1,3}(?:,\d{3})+|\d+)\s+(?:[a-z-]+\s+){0,2}(?:leads?|e-?mails?|drafts?|contacts?|prospects?|messages?|accounts?)\b/.exec(text);
  return m?.[1] ? toInt(m[1]) : null;
};

/** Text pasted on the lines after a colon, else the longest text the request quotes (at least 8 characters), else what follows "reply:", "message:", "email:", "thread:", "wrote:" or "said:". */
const givenTextIn = (raw: string): string | null => {
  const quoted = [...raw.matchAll(/"([^"]{8,})"|\u201c([^\u201d]{8,})\u201d|(?<![a-z])'([^']{8,})'(?![a-z])/gi)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').trim());
  const best = quoted.sort((a, b) => b.length - a.length)[0];
  // A text pasted on the lines after a colon wins over a phrase it quotes.
  const pasted = /:[ \t]*\r?\n([\s\S]{20,})$/.exec(raw)?.[1]?.trim();
  if (pasted && (!best || pasted.length > best.length)) return pasted;
  if (best) return best;
  const after = /\b(?:reply|message|e-?mail|thread|response|wrote|said|says|copy|text|draft|follow-?up)\s*:\s*([\s\S]{8,})$/i.exec(raw);
  return after?.[1]?.trim() ?? null;
};

const slotIn = (text: string): string | null => {
  const m = /\b(\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2}))/.exec(text);
  const at = m?.[1] ? new Date(m[1].toUpperCase()) : null;
  return at && !Number.isNaN(at.getTime()) ? at.toISOString() : null;
};

const isZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const timeZoneIn = (raw: string): string | null => {
  for (const m of raw.matchAll(/\b([A-Z][a-z]+\/[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z_]+)?)\b/g)) if (m[1] && isZone(m[1])) return m[1];
  return null;
};

/** Capitalised words after at/for/from that are not a company: titles, tiers, tools, pronouns. */
const NOT_A_COMPANY = /^(?:tier|vp|svp|evp|ceo|cto|cfo|cro|coo|cmo|cio|ciso|head|director|manager|i|we|our|my|the|a|an|this|that|monday|tuesday|wednesday|thursday|friday|saturday|sunday|slack|linkedin|rb2b|supabase)$/i;

const companyNameIn = (raw: string): string | null => {
  for (const m of raw.matchAll(/\b(?:at|for|from)[ \t]+([A-Z][\w&.-]*[A-Za-z0-9](?:[ \t]+[A-Z][\w&-]*[A-Za-z0-9]){0,2})/g)) {
    const name = m[1]!;
    if (!NOT_A_COMPANY.test(name.split(/\s+/)[0]!) && !TOOLS.includes(name.toLowerCase())) return name;
  }
  return null;
};

const titleAsWrittenIn = (raw: string, title: string | undefined): string | null => {
  if (!title) return null;
  const at = raw.toLowerCase().indexOf(title);
  return at === -1 ? title : raw.slice(at, at + title.length);
};

const statedContextIn = (text: string): string | null =>
  /\bwho\s+((?:is|are|was|has|had|have|just|recently|only|mentioned|said|says|complained|asked|wants|needs|struggles|struggled|reported|told|raised)\b[^.?!;:"]{3,120})/.exec(text)?.[1]?.trim() ?? null;

/** Entities of a request already lower-cased (see normaliseRequest); `raw` (the request as written) for the text it hands over. */
export const extractEntities = (text: string, raw: string = text): Entities => {
  const emails = unique(matchAll(EMAIL_RE, text));
  const titles = titlesIn(text);
  const given = text === '' ? null : givenTextIn(raw);
  // Who the request is about is read outside a text it hands over (a pasted e-mail names other people and companies).
  const outside = given ? raw.replace(given, ' ') : raw;
  const titlesOutside = given ? titlesIn(outside.toLowerCase().replace(/\s+/g, ' ')) : titles;
  return {
    titles,
    employeeCount: employeeCountIn(text),
    segments: segmentsIn(text),
    industries: unique(matchAll(INDUSTRY_RE, text, 1)).filter((i, _, all) => !all.some((o) => o !== i && o.includes(i))),
    tools: unique(matchAll(TOOL_RE, text, 1)),
    timeRange: timeRangeIn(text),
    tiers: tiersIn(text),
    emails,
    domains: unique(matchAll(DOMAIN_RE, text, 1)).filter((d) => !emails.some((e) => e.endsWith(`@${d}`))),
    ids: idsIn(text),
    count: countIn(text),
    givenText: given,
    slot: slotIn(text),
    timeZone: timeZoneIn(raw),
    namedTools: unique(matchAll(/\b(?:run|use|call)\s+(?:the\s+)?tool\s+['"]?([a-z][a-z0-9_.-]{2,})/g, text, 1)),
    titleAsWritten: titleAsWrittenIn(outside, titlesOutside[0]),
    companyName: text === '' ? null : companyNameIn(outside),
    statedContext: statedContextIn(given ? outside.toLowerCase().replace(/\s+/g, ' ') : text),
  };
};
