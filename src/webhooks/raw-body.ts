import { isUtf8 } from 'node:buffer';
import type { WebhookRequest } from './types.js';

/** The bytes the sender sent: `rawBody` when the server gave them, else the text's own UTF-8. */
export const rawBytesOf = (request: WebhookRequest): Buffer => request.rawBody ?? Buffer.from(request.body, 'utf8');

/** A lone UTF-16 surrogate (half of a pair): PostgreSQL's jsonb refuses it, and so does valid UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text PostgreSQL can store (text and jsonb refuse U+0000 and lone surrogates): NUL removed (it
 * carries no letter, and text mis-decoded from UTF-16 reads right without it), a lone surrogate
 * replaced by U+FFFD.
 */
export const storableText = (text: string): string => (text.includes('\u0000') ? text.replaceAll('\u0000', '') : text).replace(LONE_SURROGATE, '\uFFFD');

/** Deeper JSON is not walked (nor stored as JSON): a 1 MiB body of `[` would otherwise overflow the stack. */
export const MAX_JSON_DEPTH = 32;

export const jsonDepth = (value: unknown, depth = 0): number => {
  if (depth > MAX_JSON_DEPTH || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const v of Object.values(value as Record<string, unknown>)) {
    max = Math.max(max, jsonDepth(v, depth + 1));
    if (max > MAX_JSON_DEPTH) break;
  }
  return max;
};

/**
 * A parsed JSON value with every string and key made storable; `changed` says whether anything
 * was. Call only on a value within MAX_JSON_DEPTH. Keys are set as own properties (`__proto__`
 * stays a key, as JSON.parse made it).
 */
export const storableJson = (value: unknown): { value: unknown; changed: boolean } => {
  let changed = false;
  const text = (s: string) => {
    const t = storableText(s);
    if (t !== s) changed = true;
    return t;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), walk(x)]));
    return v;
  };
  const result = walk(value);
  return { value: result, changed };
};

/** The received body as the inbox keeps it: storable text, and the exact bytes when the text is not them. */
export type RawBody = { text: string; base64: string | null };

export const rawBodyOf = (bytes: Buffer): RawBody => {
  const decoded = bytes.toString('utf8');
  const exact = isUtf8(bytes) && !decoded.includes('\u0000');
  // Valid UTF-8 decodes to no lone surrogate, so text without NUL is storable as it is.
  return exact ? { text: decoded, base64: null } : { text: storableText(decoded), base64: bytes.toString('base64') };
};

/**
 * Only these escapes make JSON.parse give text PostgreSQL refuses (NUL, a surrogate that may be
 * lone); text without them (and without a raw NUL or lone surrogate) parses to storable values.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * A body read as JSON for the inbox: the storable value, or why it is not one. `raw` is always
 * there; `keepRaw` says whether the stored JSON differs from it (so the raw text must be kept).
 */
export type ReadBody = { raw: RawBody; keepRaw: boolean } & ({ ok: true; json: unknown } | { ok: false; reason: string; json: unknown });

export const readBody = (bytes: Buffer, text: string): ReadBody => {
  const raw = rawBodyOf(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { raw, keepRaw: true, ok: false, reason: 'the body is not JSON', json: null };
  }
  if (jsonDepth(parsed) > MAX_JSON_DEPTH) return { raw, keepRaw: true, ok: false, reason: `the body is nested deeper than ${MAX_JSON_DEPTH} levels`, json: null };
  // The walk copies the whole value; most bodies cannot need it (their text is the exact, storable bytes).
  const storable = raw.base64 === null && text === raw.text && !UNSTORABLE_ESCAPE.test(text) ? { value: parsed, changed: false } : storableJson(parsed);
  const keepRaw = storable.changed || raw.base64 !== null;
  if (!storable.value || typeof storable.value !== 'object' || Array.isArray(storable.value)) return { raw, keepRaw: true, ok: false, reason: 'the body is not a JSON object', json: storable.value };
  return { raw, keepRaw, ok: true, json: storable.value };
};
