/**
 * The new words of a reply: HTML turned into text, then the quoted history, the signature and the
 * legal footer cut off, so that our own e-mail quoted below ("would you be open to a call Tuesday
 * at 2pm?", "reply stop to unsubscribe") is never read as the prospect's.
 *
 * Every step is linear in the input: quote headers are found line by line and HTML elements with
 * indexOf, never with a regular expression that can backtrack over the whole body. A reply says
 * what matters at the top, so only the first MAX_INPUT_CHARS of the raw body are looked at, and
 * only the first MAX_CLEAN_CHARS of the result are returned.
 */

export const MAX_INPUT_CHARS = 100_000;
export const MAX_CLEAN_CHARS = 4_000;

// ---------------------------------------------------------------------------------------------
// HTML to text
// ---------------------------------------------------------------------------------------------

// `[^<>]` rather than `[^>]`: an unclosed "<" must not make a scan run to the end of the body.
const HTML_HINT = /<(?:html|body|div|p|br|span|table|td|blockquote|font|a)\b[^<>]*>/i;

/** Where a mail client starts the quoted message in its HTML (Gmail, Outlook, Yahoo, Thunderbird, Apple Mail). */
const HTML_QUOTE_MARKERS = [
  'class="gmail_quote',
  "class='gmail_quote",
  '<blockquote',
  'id="divrplyfwdmsg"',
  'id="appendonsend"',
  'class="yahoo_quoted',
  'class="moz-cite-prefix',
  'id="mail-editor-reference-message-container"',
  'border-top:solid #e1e1e1',
  'border-top: solid #e1e1e1',
];

const ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  rsquo: "'",
  lsquo: "'",
  rdquo: '"',
  ldquo: '"',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  copy: '©',
  reg: '®',
  zwnj: '',
  zwj: '',
};

const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

/** Index of the next `<tag` whose name ends there (so `<head` does not match `<header`), or -1. */
const nextTag = (lower: string, tag: string, from: number): number => {
  for (let at = lower.indexOf(tag, from); at >= 0; at = lower.indexOf(tag, at + 1)) {
    const after = lower.charCodeAt(at + tag.length);
    if (Number.isNaN(after) || after === 62 /* > */ || after === 47 /* / */ || after <= 32) return at;
  }
  return -1;
};

/**
 * Removes each `open ... close` span (with indexOf, so linear even when a span is never closed; then
 * the rest is dropped). With `toTagEnd`, the span runs on to the ">" that ends the closing tag.
 */
const dropSpans = (html: string, lower: string, open: string, close: string, toTagEnd: boolean): { html: string; lower: string } => {
  let out = '';
  let outLower = '';
  let from = 0;
  for (;;) {
    const start = toTagEnd ? nextTag(lower, open, from) : lower.indexOf(open, from);
    if (start < 0) break;
    out += `${html.slice(from, start)} `;
    outLower += `${lower.slice(from, start)} `;
    const closeAt = toTagEnd ? nextTag(lower, close, start + open.length) : lower.indexOf(close, start + open.length);
    const end = closeAt < 0 ? -1 : toTagEnd ? lower.indexOf('>', closeAt) : closeAt + close.length - 1;
    if (end < 0) return { html: out, lower: outLower };
    from = end + 1;
  }
  return { html: out + html.slice(from), lower: outLower + lower.slice(from) };
};

export const htmlToText = (input: string): string => {
  let html = input;
  let lower = html.toLowerCase();
  if (lower.length !== html.length) lower = html.replace(/[A-Z]/g, (c) => c.toLowerCase());
  ({ html, lower } = dropSpans(html, lower, '<!--', '-->', false));
  for (const tag of ['head', 'style', 'script', 'title']) ({ html, lower } = dropSpans(html, lower, `<${tag}`, `</${tag}`, true));
  let cut = html.length;
  for (const marker of HTML_QUOTE_MARKERS) {
    const at = lower.indexOf(marker);
    if (at >= 0 && at < cut) cut = marker.startsWith('<') ? at : Math.max(0, lower.lastIndexOf('<', at));
  }
  return decodeEntities(
    html
      .slice(0, cut)
      .replace(/<(?:br|hr)\b[^<>]*>/gi, '\n')
      .replace(/<\/(?:p|div|li|tr|h[1-6]|table|blockquote)\s*>/gi, '\n')
      .replace(/<[^<>]*>/g, ''),
  );
};

// ---------------------------------------------------------------------------------------------
// Quoted history, signatures, footers (line by line)
// ---------------------------------------------------------------------------------------------

/** The line that ends a quote header: "... wrote:" and its French, German ("schrieb Sam <...>:"), Spanish, Dutch, Portuguese forms. */
const HEADER_END = /(?:\bwrote\s*:|a écrit\s*:|escribió\s*:|escreveu\s*:|\bschrieb\b.*:|\bschreef\b.*:)\s*$/i;
const HEADER_START = /^\s*(?:On|Le|Am|El|Op|Em)\b/;
/** Lines after which everything is history: separators of Outlook, Gmail forwards, Apple Mail. */
const HISTORY_LINE = /^\s*(?:-{2,}\s*(?:Original Message|Forwarded message|Message d'origine|Ursprüngliche Nachricht|Mensaje original)\s*-{2,}|_{8,}\s*$|Begin forwarded message:)/i;
const FROM_LINE = /^\s*\*?(?:From|De|Von|Van)\s*:\*?\s/i;
const HEADER_FIELD = /^\s*\*?(?:Sent|Date|To|Subject|Cc|Envoyé|Enviado|Gesendet|Datum|Betreff|Objet|Asunto|Verzonden)\s*:\*?/i;
/** A signature delimiter, a phone client's signature or the start of a legal footer. */
const SIGNATURE_LINE =
  /^\s*(?:--\s*|—\s*|Sent from (?:my|Yahoo|Mail|Outlook)\b.*|Sent via\b.*|Get Outlook for\b.*|Envoyé de mon\b.*|Von meinem\b.*gesendet.*|Enviado desde mi\b.*|(?:CONFIDENTIALITY|CONFIDENTIAL|DISCLAIMER|PRIVILEGED)\b.*|(?:This|The information (?:contained )?in this) (?:e-?mail|message|communication|transmission)\b.*(?:confidential|intended|privileged|attachments).*|Please consider the environment\b.*)$/i;
/** A sign-off on a line of its own: what follows is the sender's name and title. */
const VALEDICTION =
  /^\s*(?:best|best regards|kind regards|warm regards|warmest regards|regards|many thanks|thanks|thank you|thanks again|thx|cheers|sincerely|all the best|best wishes|br|rgds|talk soon|warmly|respectfully|viele grüße|mit freundlichen grüßen|cordialement|saludos|atenciosamente|met vriendelijke groet)\s*[,.!]?\s*$/i;

const quoteHeaderStart = (lines: readonly string[], index: number): number | null => {
  const line = lines[index] ?? '';
  if (line.length > 400 || !HEADER_END.test(line)) return null;
  // Clients wrap the header ("On Thu, ... Sam Lee <\nsam@caio.io> wrote:"): look up to two lines back.
  for (let back = 0; back <= 2 && index - back >= 0; back++) {
    const start = lines[index - back] ?? '';
    if (back > 0 && start.length > 400) break;
    if (HEADER_START.test(start)) return index - back;
  }
  return null;
};

const isFromHeader = (lines: readonly string[], index: number): boolean => {
  if (!FROM_LINE.test(lines[index] ?? '')) return false;
  for (let next = index + 1; next <= index + 4 && next < lines.length; next++) {
    if (HEADER_FIELD.test(lines[next] ?? '')) return true;
  }
  return false;
};

/** Index of the first line that belongs to the quoted history, the signature or a footer. */
const endOfNewText = (lines: readonly string[]): number => {
  let seenText = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const header = quoteHeaderStart(lines, index);
    if (header !== null) return header;
    if (HISTORY_LINE.test(line) || isFromHeader(lines, index)) return index;
    if (line.length < 300 && SIGNATURE_LINE.test(line)) return index;
    if (seenText && VALEDICTION.test(line)) return index;
    if (/\S/.test(line) && !/^\s*>/.test(line)) seenText = true;
  }
  return lines.length;
};

/**
 * The prospect's own words: HTML as text, quoted history, ">" lines, signature and footer removed,
 * whitespace tidied, curly quotes straightened. Empty when the reply holds nothing new.
 */
export const cleanReply = (raw: string): string => {
  let text = raw.length > MAX_INPUT_CHARS ? raw.slice(0, MAX_INPUT_CHARS) : raw;
  if (HTML_HINT.test(text)) text = htmlToText(text);
  text = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f\t]/g, ' ')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\u2018\u2019\u02bc\u2032]/g, "'")
    .replace(/[\u201c\u201d]/g, '"');
  const lines = text.split('\n');
  const kept = lines
    .slice(0, endOfNewText(lines))
    .filter((line) => !/^\s*>/.test(line))
    .map((line) => line.replace(/ {2,}/g, ' ').trim());
  const tidy = kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return tidy.length > MAX_CLEAN_CHARS ? tidy.slice(0, MAX_CLEAN_CHARS) : tidy;
};
