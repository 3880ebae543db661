import type { SenderSettings } from './settings.js';

const SIGN_OFF = /^(best|best regards|kind regards|regards|cheers|thanks|thank you|many thanks|warm regards|sincerely)[,!.]?$/i;
const SEPARATOR = /^(-{2,}|_{3,}|—+)$/;
const LEGACY_FOOTER = [/reply\s+stop/i, /\|.*unsubscribe/i, /^unsubscribe\b/i, /^to unsubscribe\b/i];

/** The canonical closing block: sign-off, signature, CTA with its link, disclaimer, footer. */
export const signatureBlock = (s: SenderSettings): string =>
  ['Best,', s.name, `${s.title}, ${s.company}`, `${s.ctaLabel} (${s.calendarLink})`, '', '--', s.disclaimer, '', `${s.brandDomain} | ${s.physicalAddress} | Unsubscribe: ${s.unsubscribeUrl}`].join('\n');

/**
 * Strip any sign-off and everything after it, any legacy footer line and stand-alone booking link,
 * collapse blank lines, then append the canonical signature and footer. Idempotent: applying it to
 * its own output changes nothing (the review screens re-apply it on every display).
 */
export const enforceSignature = (body: string, s: SenderSettings): string => {
  const lines = body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  const end = lines.findIndex((l) => SIGN_OFF.test(l.trim()) || SEPARATOR.test(l.trim()));
  const kept = (end === -1 ? lines : lines.slice(0, end)).filter((l) => {
    const t = l.trim();
    return !LEGACY_FOOTER.some((re) => re.test(t)) && t !== s.calendarLink && !t.startsWith(s.ctaLabel);
  });
  const collapsed: string[] = [];
  for (const line of kept) {
    if (line.trim() === '' && (collapsed.length === 0 || collapsed[collapsed.length - 1] === '')) continue;
    collapsed.push(line.trim() === '' ? '' : line);
  }
  while (collapsed.length && collapsed[collapsed.length - 1] === '') collapsed.pop();
  const core = collapsed.length ? collapsed.join('\n') : 'Hi there,';
  return `${core}\n\n${signatureBlock(s)}`;
};
