import type { ClayResult } from '../../pipeline/ports.js';

/**
 * Clay posts whatever body template the user configured in the HTTP API column, so keys may be
 * ours (`work_email`), the original's fallbacks (`email`, `person_linkedin_url`) or Clay column
 * names in Title Case with spaces (`Work Email`). Keys are folded (lower case, runs of other
 * characters to `_`) and read through these aliases, first match wins. contracts/clay.md.
 */
export const CLAY_FIELD_ALIASES: Record<keyof Omit<ClayResult, 'emailVerified'> | 'emailVerified', readonly string[]> = {
  requestId: ['request_id'],
  leadId: ['lead_id'],
  linkedinUrl: ['linkedin_url', 'person_linkedin_url', 'linkedin', 'linkedin_profile'],
  email: ['work_email', 'email', 'email_address'],
  emailVerified: ['email_verified', 'verified'],
  firstName: ['first_name'],
  lastName: ['last_name'],
  title: ['title', 'job_title'],
  companyName: ['company_name', 'company'],
  companyDomain: ['company_domain', 'website', 'domain'],
  industry: ['industry'],
  employeeCount: ['employee_count', 'company_size', 'employees'],
  revenue: ['revenue'],
};

export const foldKey = (key: string): string =>
  key
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

const text = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.trim();
  // An unfilled Clay template variable arrives literally, e.g. "{{Work Email}}".
  return t === '' || /^\{\{.*\}\}$/.test(t) ? null : t;
};

const truthy = (v: unknown): boolean => v === true || (typeof v === 'string' && ['true', 'yes', '1', 'verified', 'valid'].includes(v.trim().toLowerCase()));

const count = (v: unknown): number | null => {
  const t = text(v);
  if (!t) return null;
  const n = Number.parseInt(t.replace(/[,\s]/g, ''), 10);
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** Read a callback body into a ClayResult; null when the body is not a JSON object. */
export const readClayCallback = (body: unknown, extraAliases: Partial<Record<keyof ClayResult, readonly string[]>> = {}): ClayResult | null => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const folded = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) if (!folded.has(foldKey(key))) folded.set(foldKey(key), value);
  const pick = (field: keyof ClayResult): unknown => {
    for (const alias of [...(extraAliases[field] ?? []).map(foldKey), ...CLAY_FIELD_ALIASES[field]]) {
      const v = folded.get(alias);
      if (v !== undefined && v !== null && text(v) !== null) return v;
      if (typeof v === 'boolean') return v;
    }
    return null;
  };
  const email = text(pick('email'));
  return {
    requestId: text(pick('requestId')),
    leadId: text(pick('leadId')),
    linkedinUrl: text(pick('linkedinUrl')),
    email: email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email.toLowerCase() : null,
    emailVerified: truthy(pick('emailVerified')),
    firstName: text(pick('firstName')),
    lastName: text(pick('lastName')),
    title: text(pick('title')),
    companyName: text(pick('companyName')),
    companyDomain: text(pick('companyDomain')),
    industry: text(pick('industry')),
    employeeCount: count(pick('employeeCount')),
    revenue: text(pick('revenue')),
  };
};
