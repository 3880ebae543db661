import { emptyLead, isLinkedinProfileUrl, normalizeDomain, normalizeEmail, normalizeLinkedinUrl, parseEmployeeCount, splitFullName, type LeadProfile } from '../lead.js';
import { err, ok, type Result } from '../../lib/result.js';

/** A row that cannot become a lead, said so a person can fix the file. */
export type RowRejection = { line: number; field: string; message: string };

export type ImportField = 'email' | 'firstName' | 'lastName' | 'fullName' | 'company' | 'title' | 'linkedin' | 'employees' | 'industry' | 'website';

/** Column names users bring (case, spaces and underscores do not matter). */
export const COLUMN_ALIASES: Record<ImportField, readonly string[]> = {
  email: ['email', 'work email', 'e-mail', 'email address', 'business email'],
  firstName: ['first name', 'firstname', 'given name'],
  lastName: ['last name', 'lastname', 'surname', 'family name'],
  fullName: ['name', 'full name', 'contact name'],
  company: ['company', 'company name', 'organization', 'organisation', 'account', 'account name'],
  title: ['title', 'job title', 'position', 'role'],
  linkedin: ['linkedin', 'linkedin url', 'linkedin profile', 'linkedin profile url', 'person linkedin url'],
  employees: ['employees', 'employee count', 'company size', 'headcount', 'number of employees'],
  industry: ['industry'],
  website: ['website', 'domain', 'company domain', 'company website', 'url'],
};

export const IMPORT_PROVIDER = 'csv_import';

const normalizeHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
const ALIAS_TO_FIELD = new Map<string, ImportField>(Object.entries(COLUMN_ALIASES).flatMap(([field, aliases]) => aliases.map((a) => [normalizeHeader(a), field as ImportField] as const)));

export type ColumnPlan = { fields: (ImportField | null)[]; headers: string[] };

/** Which column feeds which field; unknown columns are kept as custom fields; the first of two same-field columns wins. */
export const planColumns = (headers: readonly string[]): ColumnPlan => {
  const taken = new Set<ImportField>();
  const fields = headers.map((h) => {
    const field = ALIAS_TO_FIELD.get(normalizeHeader(h)) ?? null;
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
  return { fields, headers: headers.map((h) => h.replace(/^\uFEFF/, '').trim()) };
};

export type ImportedLead = { identity: string; profile: LeadProfile; custom: Record<string, string> };

/**
 * One row → one lead, or the reason it cannot be one. The identity is the normalised email, else
 * the normalised LinkedIn profile URL; a row with neither is refused.
 */
export const mapLeadRow = (cells: readonly string[], plan: ColumnPlan, line: number): Result<ImportedLead, RowRejection> => {
  if (cells.length !== plan.headers.length) {
    return err({ line, field: '(row)', message: `expected ${plan.headers.length} columns, found ${cells.length}` });
  }
  const values: Partial<Record<ImportField, string>> = {};
  const custom: Record<string, string> = {};
  cells.forEach((raw, i) => {
    // Undo the apostrophe our export puts before cells a spreadsheet would run as formulas.
    const value = raw.trim().replace(/^'(?=[=+\-@])/, '');
    const field = plan.fields[i];
    if (field) {
      if (value !== '') values[field] = value;
    } else if (value !== '' && plan.headers[i]) {
      custom[plan.headers[i]] = value;
    }
  });

  const email = values.email ? normalizeEmail(values.email) : null;
  if (values.email && !email) return err({ line, field: 'email', message: 'not a valid email address' });
  const linkedin = values.linkedin && isLinkedinProfileUrl(values.linkedin) ? values.linkedin.trim() : null;
  const linkedinNormal = normalizeLinkedinUrl(values.linkedin);
  if (!email && values.linkedin && !linkedin) return err({ line, field: 'linkedin', message: 'not a LinkedIn profile URL (linkedin.com/in/…)' });
  if (!email && !linkedin) return err({ line, field: 'email', message: 'no identity: neither an email nor a LinkedIn URL' });

  const split = splitFullName(values.fullName);
  const profile = emptyLead({
    email,
    firstName: values.firstName ?? split.firstName,
    lastName: values.lastName ?? (values.firstName ? null : split.lastName),
    fullName: values.fullName ?? ([values.firstName, values.lastName].filter(Boolean).join(' ') || null),
    title: values.title ?? null,
    linkedinUrl: linkedin,
    sourceType: 'csv_import',
  });
  profile.company.name = values.company ?? null;
  profile.company.industry = values.industry ?? null;
  profile.company.employeeCount = parseEmployeeCount(values.employees);
  profile.company.domain = normalizeDomain(values.website) ?? (email && !isFreeMailDomain(email) ? email.slice(email.indexOf('@') + 1) : null);

  const provenance: Record<string, string> = {};
  for (const [field, value] of [
    ['email', profile.email],
    ['firstName', profile.firstName],
    ['lastName', profile.lastName],
    ['fullName', profile.fullName],
    ['title', profile.title],
    ['linkedinUrl', profile.linkedinUrl],
    ['company.name', profile.company.name],
    ['company.industry', profile.company.industry],
    ['company.employeeCount', profile.company.employeeCount],
    ['company.domain', profile.company.domain],
  ] as const) {
    if (value !== null) provenance[field] = IMPORT_PROVIDER;
  }
  profile.provenance = provenance;
  return ok({ identity: email ?? `linkedin:${linkedinNormal}`, profile, custom });
};

const FREE_MAIL = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com']);
const isFreeMailDomain = (email: string) => FREE_MAIL.has(email.slice(email.indexOf('@') + 1));
