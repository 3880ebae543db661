/**
 * Who a privacy request is about, and how to find and remove them inside any text or JSON value.
 * Pure (no database); privacy-repo.ts applies it to the tables. The rule, also in docs/privacy.md:
 *
 * - Strong identifiers find the person anywhere: their e-mail addresses (any case, also URL-encoded
 *   as `%40`), their LinkedIn profile URLs (any scheme, `www.`/country sub-domain, case, trailing
 *   slash, `\/`-escaped or `%2F`-encoded slashes) and their personal phone numbers (any formatting:
 *   matched on the last 9 digits). A match is bounded (`ann@x.com` does not match `joann@x.com`,
 *   `/in/maya` does not match `/in/maya-rivera`).
 * - Names are weak identifiers (two people share a name; "Sam" is in many texts): a name never finds
 *   a row. It is replaced only inside a value already about the person: a JSON object that holds one
 *   of their strong identifiers or ids (and everything under it), or a text that holds a strong
 *   identifier or id.
 * - The person's lead and draft ids mark what is theirs inside shared JSON (a run report's entry for
 *   them). The ids stay: once the rows are gone they name nobody (the audit log keeps them too).
 */

export const ERASED = '[erased]';

export type PersonIdentifiers = {
  /** Normalised (lower-case) e-mail addresses. */
  emails: readonly string[];
  /** Normalised LinkedIn profile URLs (`linkedin.com/in/<slug>`, see normalizeLinkedinUrl). */
  linkedins: readonly string[];
  /** Personal phone numbers as found (any formatting). */
  phones: readonly string[];
  /** First, last and full names: weak, replaced only inside values about the person. */
  names: readonly string[];
  /** Their lead and draft ids: mark their entries inside shared JSON. */
  ids: readonly string[];
};

/** Escape for a pattern both JavaScript (with or without the u flag) and PostgreSQL (ARE) read alike. */
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Characters allowed between the digits of a phone number. */
const PHONE_SEP = '[ ()./-]{0,2}';
/** A phone number is compared on its last 9 digits (national number, whatever the country prefix). */
const PHONE_KEY_DIGITS = 9;
const PHONE_MIN_DIGITS = 8;
const PHONE_MAX_DIGITS = 15;

const digitsOf = (s: string): string => s.replace(/\D/g, '');
const phoneKey = (phone: string): string | null => {
  const digits = digitsOf(phone);
  if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) return null;
  return digits.slice(-PHONE_KEY_DIGITS);
};

/** `linkedin.com/in/slug` without any sub-domain (`www.`, `uk.`), so every spelling of the URL matches. */
const linkedinCore = (normalised: string): string => normalised.replace(/^([a-z0-9-]+\.)*linkedin\.com\//, 'linkedin.com/');

const emailLoose = (email: string): string => {
  const at = email.lastIndexOf('@');
  return `${esc(email.slice(0, at))}(?:@|%40)${esc(email.slice(at + 1))}`;
};
const linkedinLoose = (normalised: string): string => linkedinCore(normalised).split('/').map(esc).join('(?:\\\\{0,2}/|%2f)');
const phoneLoose = (key: string): string => key.split('').join(PHONE_SEP);

/** Bounded forms (JavaScript only: look-behind), used to decide and to replace. */
const emailStrict = (email: string): string => `(?<![a-z0-9._%+-])${emailLoose(email)}(?![a-z0-9_-]|\\.[a-z0-9])`;
// The whole URL goes: scheme, sub-domain, and a trailing slash that ends it.
const linkedinStrict = (normalised: string): string => `(?<![a-z0-9-])(?:https?:(?:\\\\{0,2}/){2})?(?:[a-z0-9-]+\\.)*${linkedinLoose(normalised)}(?![a-z0-9_-])(?:\\\\{0,2}/(?![a-z0-9]))?`;
// Swallow a country code and area code written before the last 9 digits ("+1 (555) 010-2030").
const phoneStrict = (key: string): string => `[+(]{0,2}(?:[0-9]${PHONE_SEP}){0,6}${phoneLoose(key)}(?![0-9])`;
// A name as a word of prose, never part of an address, URL or handle ("Ann" is not in "ann@x.com").
const nameStrict = (name: string): string => `(?<![\\p{L}\\p{N}@._%+/-])${name.trim().split(/\s+/).map(esc).join('\\s+')}(?![\\p{L}\\p{N}@_%+/-]|\\.[\\p{L}\\p{N}])`;

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

export type PersonMatcher = ReturnType<typeof personMatcher>;

export const personMatcher = (person: PersonIdentifiers) => {
  const emails = unique(person.emails.map((e) => e.trim().toLowerCase()).filter((e) => e.includes('@')));
  const linkedins = unique(person.linkedins.map((l) => l.trim().toLowerCase()).filter((l) => l.length > 0));
  const phoneKeys = unique(person.phones.map(phoneKey).filter((k): k is string => k !== null));
  // Longest first, so "Maya Rivera" is replaced before "Maya".
  const names = unique(person.names.map((n) => n.trim()).filter((n) => n.length >= 2)).sort((a, b) => b.length - a.length);
  const ids = new Set(person.ids.map((i) => i.toLowerCase()));

  const strongSources = [...emails.map(emailStrict), ...linkedins.map(linkedinStrict), ...phoneKeys.map(phoneStrict)];
  const strong = strongSources.length ? new RegExp(strongSources.join('|'), 'gi') : null;
  const named = names.length ? new RegExp(names.map(nameStrict).join('|'), 'giu') : null;
  const looseSources = [...emails.map(emailLoose), ...linkedins.map(linkedinLoose), ...phoneKeys.map(phoneLoose)];

  const mentions = (text: string): boolean => {
    if (!strong) return false;
    strong.lastIndex = 0;
    return strong.test(text);
  };
  const holdsId = (text: string): boolean => {
    if (ids.size === 0) return false;
    const lower = text.toLowerCase();
    for (const id of ids) if (lower.includes(id)) return true;
    return false;
  };
  const phoneNumber = (n: number): boolean => Number.isInteger(n) && Math.abs(n) >= 10 ** (PHONE_MIN_DIGITS - 1) && mentions(String(n));

  /** Strong identifiers become [erased]; names too when `about` or when the text itself names or marks the person. */
  const scrubText = (text: string, about = false): string => {
    const hit = mentions(text);
    let out = strong ? text.replace(strong, ERASED) : text;
    if (named && (about || hit || holdsId(text))) out = out.replace(named, ERASED);
    return out;
  };

  const isAbout = (value: Record<string, unknown>): boolean => Object.entries(value).some(([key, v]) => mentions(key) || (typeof v === 'string' && (ids.has(v.toLowerCase()) || mentions(v))) || (typeof v === 'number' && phoneNumber(v)));

  const scrubValue = (value: unknown, about = false): unknown => {
    if (typeof value === 'string') return scrubText(value, about);
    if (typeof value === 'number') return phoneNumber(value) ? ERASED : value;
    if (Array.isArray(value)) return value.map((v) => scrubValue(v, about));
    if (value && typeof value === 'object') {
      const own = about || isAbout(value as Record<string, unknown>);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[scrubText(key, own)] = scrubValue(v, own);
      return out;
    }
    return value;
  };

  const mentionsValue = (value: unknown): boolean => {
    if (typeof value === 'string') return mentions(value);
    if (typeof value === 'number') return phoneNumber(value);
    if (Array.isArray(value)) return value.some(mentionsValue);
    if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).some(([k, v]) => mentions(k) || mentionsValue(v));
    return false;
  };

  return {
    emails,
    linkedins,
    phoneKeys,
    /** True when the text holds one of the strong identifiers (bounded). */
    mentions,
    /** The same over a JSON value (decoded strings, keys, numbers). */
    mentionsValue,
    scrubText,
    /** A copy of a JSON value with the person taken out (see the rule above). */
    scrubValue,
    /**
     * A PostgreSQL regular expression (for `~*` on `col::text`) that every value `mentions` or
     * marks matches: a cheap pre-filter; the strict check runs on what it returns. Null: nothing to find.
     */
    sqlPattern: (withIds = false): string | null => {
      const sources = [...looseSources, ...(withIds ? [...ids] : [])];
      return sources.length ? `(${sources.join('|')})` : null;
    },
  };
};

const PHONE_KEY = /phone|mobile|cell/i;
/** Numbers under these keys belong to a company, an account or us, not to the person. */
const NOT_PERSONAL = /organi[sz]ation|compan|account|employer|office|headquarter|switchboard|main_?phone|sender|owner|workspace|^from$|^to$/i;
const PHONE_TEXT = /^\+?[\d\s()./-]+$/;

/**
 * The person's phone numbers in a provider record (a lead's raw record, an enrichment, a webhook
 * payload about them): string or number values under a phone-like key (`phone`, `sanitized_phone`,
 * `phone_numbers[].raw_number`, `mobile`), never under an organisation, company or account key.
 */
export const personalPhonesIn = (value: unknown): string[] => {
  const found: string[] = [];
  const walk = (v: unknown, phoneContext: boolean, depth: number): void => {
    if (depth > 32) return;
    if (phoneContext && typeof v === 'string' && PHONE_TEXT.test(v.trim()) && phoneKey(v) !== null) found.push(v.trim());
    else if (phoneContext && typeof v === 'number' && phoneKey(String(v)) !== null) found.push(String(v));
    else if (Array.isArray(v)) for (const item of v) walk(item, phoneContext, depth + 1);
    else if (v && typeof v === 'object') {
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        if (NOT_PERSONAL.test(key)) continue;
        walk(item, phoneContext || PHONE_KEY.test(key), depth + 1);
      }
    }
  };
  walk(value, false, 0);
  return unique(found);
};
