import { maskPersonalData } from '../../lib/redact.js';

/**
 * Secrets and personal data written into a request (a pasted note, a log line), replaced by a
 * marker before anything is answered, traced or stored: the raw values never leave the ask.
 */
const RULES: readonly { name: string; marker: string; re: RegExp }[] = [
  { name: 'SSN', marker: '[SSN]', re: /\b\d{3}-\d{2}-\d{4}\b/g },
  { name: 'API key', marker: '[API_KEY]', re: /\b(?:sk|pk|rk)[-_](?:live|test)[-_][A-Za-z0-9]+\b|\b(?:api[_-]?key|token|bearer)\s*[:=]?\s*[A-Za-z0-9._-]{8,}/gi },
  { name: 'bank account', marker: '[BANK_ACCOUNT]', re: /\b(?:bank account|account number|iban)\s*(?:no\.?|number)?\s*:?\s*[A-Z0-9]{6,}\b/gi },
  { name: 'card number', marker: '[CARD]', re: /(?<![\w-])(?:\d{4}[ -]?){3}\d{4}(?![\w-])/g },
];

export const redactText = (text: string): { redacted: string; found: string[] } => {
  let redacted = text;
  const found: string[] = [];
  for (const rule of RULES) {
    const next = redacted.replace(rule.re, (m) => (rule.name === 'bank account' ? m.replace(/[A-Z0-9]{6,}$/i, rule.marker) : rule.marker));
    if (next !== redacted) found.push(rule.name);
    redacted = next;
  }
  const masked = maskPersonalData(redacted);
  if (masked !== redacted) found.push('e-mail or phone');
  return { redacted: masked, found };
};
