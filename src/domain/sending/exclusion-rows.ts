/**
 * Rows of an exclusions file (`caio exclusions import`): customers' domains and e-mails that are
 * never sent to. Pure: a header and records in, the entries and each bad row's line and reason out.
 */
import { EMAIL_FORMAT, emailDomainOf, normaliseDomain, normaliseEmail } from './recipient-guards.js';

export type ExclusionEntry = { kind: 'domain' | 'email'; value: string };
export type ExclusionRowError = { line: number; message: string };
export type ExclusionRows = { entries: ExclusionEntry[]; errors: ExclusionRowError[]; rows: number };

const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/;
const DOMAIN_HEADERS = ['domain', 'website', 'company_domain', 'company domain'];
const EMAIL_HEADERS = ['email', 'e-mail', 'email address', 'email_address'];

/** `https://www.x.com/path` and `@x.com` are read as `x.com`. */
const bareDomain = (raw: string): string =>
  normaliseDomain(
    raw
      .trim()
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/^@/, '')
      .replace(/[/?#].*$/, '')
      .replace(/^www\./i, ''),
  );

/** Which columns hold domains and e-mails; null when the header names neither. */
export const exclusionColumns = (header: readonly string[]): { domain: number; email: number } | null => {
  const names = header.map((h) => h.trim().toLowerCase());
  const domain = names.findIndex((n) => DOMAIN_HEADERS.includes(n));
  const email = names.findIndex((n) => EMAIL_HEADERS.includes(n));
  return domain < 0 && email < 0 ? null : { domain, email };
};

/**
 * Each record's domain and/or e-mail; a row with neither, or with a value that is not a domain or
 * an address, is an error with its line and the good rows are kept. Duplicates count once.
 */
export const readExclusionRows = (columns: { domain: number; email: number }, records: readonly { line: number; cells: readonly string[] }[]): ExclusionRows => {
  const entries = new Map<string, ExclusionEntry>();
  const errors: ExclusionRowError[] = [];
  for (const { line, cells } of records) {
    const rawDomain = columns.domain >= 0 ? (cells[columns.domain] ?? '').trim() : '';
    const rawEmail = columns.email >= 0 ? (cells[columns.email] ?? '').trim() : '';
    if (!rawDomain && !rawEmail) {
      errors.push({ line, message: 'no domain or e-mail' });
      continue;
    }
    const found: ExclusionEntry[] = [];
    const problems: string[] = [];
    if (rawDomain) {
      const domain = bareDomain(rawDomain);
      if (DOMAIN.test(domain)) found.push({ kind: 'domain', value: domain });
      else problems.push(`domain "${rawDomain.slice(0, 80)}" is not a domain like example.com`);
    }
    if (rawEmail) {
      const email = normaliseEmail(rawEmail);
      if (EMAIL_FORMAT.test(email) && DOMAIN.test(emailDomainOf(email))) found.push({ kind: 'email', value: email });
      else problems.push(`e-mail "${rawEmail.slice(0, 80)}" is not an e-mail address`);
    }
    if (problems.length) {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    for (const e of found) entries.set(`${e.kind}:${e.value}`, e);
  }
  return { entries: [...entries.values()], errors, rows: records.length };
};
