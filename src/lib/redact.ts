/**
 * What may leave the process in a log line, a metric label or a stored error: no secret, no query
 * string (HeyReach's `?secret=`, `?token=`), no query parameters of a failed database statement (the
 * payload: addresses, reply text), no e-mail address or E.164 phone number.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const PHONE = /\+\d{7,15}\b/g;
/** drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>". */
const PARAMS = /\s*\bparams:[\s\S]*$/;
const SQLSTATE = /^[0-9A-Z]{5}$/;
const MAX_TEXT = 500;

/** E-mail addresses and E.164 phone numbers masked. */
export const maskPersonalData = (text: string): string => text.replace(EMAIL, '[e-mail]').replace(PHONE, '[phone]');

/** A URL or path without its query string (and fragment). */
export const stripQuery = (url: string): string => url.replace(/[?#][\s\S]*$/, '');

const safeDecode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * A path fit for a log line or a label: no query string, and any segment that is a configured
 * secret (as given, or percent-encoded) replaced by `:secret` (`/webhooks/rb2b/<secret>` ->
 * `/webhooks/rb2b/:secret`).
 */
export const redactPath = (url: string, secrets: readonly string[] = []): string => {
  const path = stripQuery(url);
  if (!secrets.length) return path;
  const known = new Set(secrets.filter(Boolean));
  return path
    .split('/')
    .map((segment) => (segment && (known.has(segment) || known.has(safeDecode(segment))) ? ':secret' : segment))
    .join('/');
};

type DbFacts = { code: string; constraint?: string; table?: string; column?: string };

/** The SQL state and schema names of a PostgreSQL error, anywhere in the cause chain (drizzle wraps the driver's). */
const databaseFacts = (error: unknown): DbFacts | null => {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, constraint, table, column } = e as { code?: unknown; constraint?: unknown; table?: unknown; column?: unknown };
    if (typeof code === 'string' && SQLSTATE.test(code)) {
      return { code, ...(typeof constraint === 'string' ? { constraint } : {}), ...(typeof table === 'string' ? { table } : {}), ...(typeof column === 'string' ? { column } : {}) };
    }
  }
  return null;
};

const isQueryError = (error: unknown): boolean => {
  if (typeof error === 'string') return error.startsWith('Failed query:');
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof (e as { message?: unknown }).message === 'string' && (e as { message: string }).message.startsWith('Failed query:')) return true;
  }
  return false;
};

const messageOf = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
};

const clip = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}...` : text);

/**
 * An error's message safe to log or store. A database error becomes its SQL state (and the
 * constraint, table or column PostgreSQL names) and the statement without its parameters: never the
 * values (drizzle appends them as `params: ...`), nor the driver's own message, which quotes the
 * offending value (`invalid input syntax for type uuid: "ann@example.com"`). Any other message loses
 * a `params:` tail and has its e-mail addresses and phone numbers masked.
 */
export const safeErrorMessage = (error: unknown): string => {
  const message = messageOf(error);
  const withoutParams = message.replace(PARAMS, '');
  const facts = databaseFacts(error);
  if (facts || isQueryError(error)) {
    const names = facts ? [facts.constraint && `constraint ${facts.constraint}`, facts.table && `table ${facts.table}`, facts.column && `column ${facts.column}`].filter(Boolean).join(', ') : '';
    const statement = withoutParams.startsWith('Failed query:') ? withoutParams.slice('Failed query:'.length).trim() : '';
    return clip(maskPersonalData(`database error${facts ? ` SQLSTATE ${facts.code}` : ''}${names ? ` (${names})` : ''}${statement ? ` in: ${statement}` : ''}`));
  }
  return clip(maskPersonalData(withoutParams));
};

/** An error as a log field: its type, safe message and code, and the stack with the message replaced. */
export const safeErrorObject = (error: unknown): unknown => {
  if (typeof error === 'string') return safeErrorMessage(error);
  if (!(error instanceof Error)) return error === undefined || error === null ? error : safeErrorMessage(error);
  const message = safeErrorMessage(error);
  const code = (error as { code?: unknown }).code;
  const frames = error.stack?.indexOf('\n    at ') ?? -1;
  return { type: error.name, message, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}), ...(frames >= 0 ? { stack: `${error.name}: ${message}${error.stack!.slice(frames)}` } : {}) };
};
