/**
 * Recipient guards of the send gateway (spec/operator.md "Instantly dispatcher: guards in order"),
 * applied to every channel. Each rejection carries a stable reason code for the audit trail.
 */
import { err, ok, type Result } from '../../lib/result.js';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'do_not_contact' | 'competitor';

export type RecipientRejection =
  | { code: 'suppressed'; reason: SuppressionReason; detail: string }
  | { code: 'excluded_recipient_domain'; domain: string; matched: string; detail: string }
  | { code: 'excluded_recipient_email'; detail: string }
  | { code: 'invalid_email_format'; detail: string }
  | { code: 'domain_concentration_cap'; domain: string; cap: number; detail: string };

export type RecipientRejectionCode = RecipientRejection['code'];

/** The original's format check, kept as is so the same addresses pass (spec Guard 1). */
export const EMAIL_FORMAT = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/** Trimmed and lower-cased: the form used for matching, dedup keys and audit lines. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Lower-cased, without surrounding whitespace or trailing dots (`X.com.` is `x.com`). */
export const normaliseDomain = (domain: string): string => domain.trim().toLowerCase().replace(/\.+$/, '');

/** The part after the last `@`, normalised; empty when there is none. */
export const emailDomainOf = (email: string): string => {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : normaliseDomain(email.slice(at + 1));
};

/** Guard 1: the spec's regex against the normalised address; the value is that normalised address. */
export const checkAddressFormat = (email: string): Result<string, RecipientRejection> => {
  const normalised = normaliseEmail(email);
  return EMAIL_FORMAT.test(normalised) ? ok(normalised) : err({ code: 'invalid_email_format', detail: 'the address is not a valid email address' });
};

/**
 * The excluded domain that `domain` equals or is a subdomain of (`sub.x.com` matches `x.com`,
 * `notx.com` does not), or null. Case-insensitive, trailing dots ignored; an empty domain, and an
 * empty list entry, never match anything.
 */
export const matchExcludedDomain = (domain: string, excludedDomains: readonly string[]): string | null => {
  const candidate = normaliseDomain(domain);
  if (candidate === '') return null;
  for (const entry of excludedDomains) {
    const excluded = normaliseDomain(entry).replace(/^\.+/, '');
    if (excluded !== '' && (candidate === excluded || candidate.endsWith(`.${excluded}`))) return excluded;
  }
  return null;
};

export const isExcludedDomain = (domain: string, excludedDomains: readonly string[]): boolean => matchExcludedDomain(domain, excludedDomains) !== null;

/** Exact match on the normalised address; an empty address is never excluded. */
export const isExcludedEmail = (email: string, excludedEmails: readonly string[]): boolean => {
  const candidate = normaliseEmail(email);
  return candidate !== '' && excludedEmails.some((entry) => normaliseEmail(entry) === candidate);
};

export type RecipientPolicy = { excludedDomains: readonly string[]; excludedEmails: readonly string[] };

/**
 * The per-recipient guards in the gateway's order (design invariant 3, issue 5): suppression, then
 * excluded domain, then excluded email, then address format. Concentration needs the whole batch,
 * so it runs afterwards over the survivors (`applyDomainConcentration`).
 * `suppression` is the lead's suppression state, looked up by the caller (null: not suppressed).
 */
export const checkRecipient = (email: string, suppression: SuppressionReason | null, policy: RecipientPolicy): Result<string, RecipientRejection> => {
  if (suppression !== null) return err({ code: 'suppressed', reason: suppression, detail: `the lead is suppressed (${suppression})` });
  const domain = emailDomainOf(email);
  const matched = matchExcludedDomain(domain, policy.excludedDomains);
  if (matched !== null) {
    return err({ code: 'excluded_recipient_domain', domain, matched, detail: `${domain} is excluded${matched === domain ? '' : ` as a subdomain of ${matched}`}` });
  }
  if (isExcludedEmail(email, policy.excludedEmails)) return err({ code: 'excluded_recipient_email', detail: 'the address is on the excluded list' });
  return checkAddressFormat(email);
};

export type ConcentrationOutcome<K> = {
  /** Keys allowed through, in input order. */
  passed: K[];
  rejected: { key: K; rejection: Extract<RecipientRejection, { code: 'domain_concentration_cap' }> }[];
};

/**
 * Guard 3: at most `maxPerDomain` recipients per domain in one batch; the (max+1)th and later, in
 * input order, are rejected. Pass only the items that survived the earlier guards, so a rejected
 * address never uses up a domain's allowance. Domains are compared normalised.
 */
export const applyDomainConcentration = <K>(items: readonly { key: K; email: string }[], maxPerDomain: number): ConcentrationOutcome<K> => {
  const seen = new Map<string, number>();
  const outcome: ConcentrationOutcome<K> = { passed: [], rejected: [] };
  for (const item of items) {
    const domain = emailDomainOf(item.email);
    const count = seen.get(domain) ?? 0;
    if (count >= maxPerDomain) {
      outcome.rejected.push({
        key: item.key,
        rejection: { code: 'domain_concentration_cap', domain, cap: maxPerDomain, detail: `more than ${maxPerDomain} recipients at ${domain} in this batch` },
      });
    } else {
      seen.set(domain, count + 1);
      outcome.passed.push(item.key);
    }
  }
  return outcome;
};
