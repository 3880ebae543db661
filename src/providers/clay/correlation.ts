import { normalizeLinkedinUrl } from '../../domain/lead.js';
import { sha256Hex } from '../../lib/hash.js';

/**
 * The correlation key of a Clay row: SHA-256 of the normalised LinkedIn URL (lower case, no
 * scheme, no `www.`, no trailing slash, no query), so `http://linkedin.com/in/x` and
 * `https://www.linkedin.com/in/x/` meet. contracts/clay.md "Correlation".
 */
export const linkedinHash = (url: string | null | undefined): string | null => {
  const normalized = normalizeLinkedinUrl(url);
  return normalized ? sha256Hex(normalized) : null;
};

/** A short, non-reversible name for a table webhook URL (the URL itself is a credential). */
export const webhookRef = (url: string): string => sha256Hex(`clay-webhook:${url}`).slice(0, 16);
