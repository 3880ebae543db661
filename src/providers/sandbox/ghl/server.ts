import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from '../loopback.js';
import { createFailureSwitch, type FailureInjection } from '../failure-injection.js';
import { saveBeforeAnswer, type SandboxStateFile } from '../state-file.js';

export type { FailureInjection } from '../failure-injection.js';

export type GhlSandboxCalendar = {
  id: string;
  /** The zone the working hours are in. @defaultValue 'America/Denver' */
  timezone?: string;
  /** @defaultValue 30 */
  slotMinutes?: number;
  /** Working hours, local, [start, end). @defaultValue [9, 17] */
  hours?: [number, number];
  /** 0 = Sunday. @defaultValue Monday to Friday */
  weekdays?: number[];
};

export type GhlSandboxOptions = {
  apiKey?: string;
  locationId?: string;
  calendars?: GhlSandboxCalendar[];
  /** Contacts present from the start (e.g. stale ones for a revival scan). */
  seedContacts?: (Partial<ContactRecord> & { email?: string })[];
  /** The burst limit: 100 requests per 10 s per location (contracts/ghl.md "Rate limits"), scaled by config. */
  rateLimit?: { max: number; intervalMs: number };
  failures?: FailureInjection;
  /** The clock for dates on records. @defaultValue Date.now */
  now?: () => number;
  port?: number;
  /** Keep contacts (with their tags), sent e-mails and appointments in this file across processes (docs/sandboxes.md). @defaultValue memory only */
  state?: SandboxStateFile;
  /** The workflow "Custom Webhook" action a prospect's reply fires (`receiveReply`); settable later with `setWorkflowWebhook`. */
  workflowWebhook?: GhlSandboxWorkflowWebhook | null;
};

/**
 * A location's workflow with trigger "Customer Replied" (e-mail) and a "Custom Webhook" action:
 * where it posts the InboundMessage fields, with which custom headers (our X-Caio-Webhook-Token).
 * GHL signs nothing here (contracts/ghl.md "Webhooks (optional for us)"). Never persisted: the
 * headers carry our token.
 */
export type GhlSandboxWorkflowWebhook = { url: string; headers?: Record<string, string> };

/** The InboundMessage a reply produces (contracts/ghl.md "Where threadId / replyMessageId come from"), as the workflow action posts it. */
export type GhlInboundMessage = {
  type: 'InboundMessage';
  locationId: string;
  contactId: string;
  conversationId: string;
  messageType: 'Email';
  messageId: string;
  emailMessageId: string;
  threadId: string;
  subject: string;
  body: string;
  from: string;
  to: string[];
  direction: 'inbound';
  dateAdded: string;
};

/** What the state file holds: provider data only, never the API key. */
type GhlState = {
  contacts: ContactRecord[];
  emails: GhlSentEmail[];
  appointments: GhlStoredAppointment[];
  conversations: [string, string][];
  /** The prospects' replies, so a thread answered in another process is still whole. */
  inbound?: GhlInboundMessage[];
  counters: Record<'contact' | 'message' | 'appointment' | 'trace', number>;
};

/** A stored contact, in the shape GHL answers (contracts/ghl.md "Contact fields we read"). */
export type ContactRecord = {
  id: string;
  locationId: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  source?: string;
  tags: string[];
  dnd: boolean;
  dndSettings?: { Email?: { status: string; message?: string; code?: string } };
  type: 'lead';
  dateAdded: string;
  dateUpdated: string;
  lastActivity?: string;
  customFields: { id: string; value: unknown }[];
  [field: string]: unknown;
};

export type GhlSentEmail = {
  messageId: string;
  conversationId: string;
  contactId: string;
  to: string;
  emailFrom: string | null;
  subject: string;
  html: string;
  sentAt: string;
  emailMessageId?: string;
  /** An answer in a thread (contracts/ghl.md "Conversations: replying to an e-mail in its thread"): the thread, the e-mail answered, the mode. */
  threadId?: string;
  replyMessageId?: string;
  emailReplyMode?: 'reply' | 'reply_all';
  /** The text part (`message`), when one was given. */
  text?: string;
};
export type GhlStoredAppointment = {
  id: string;
  calendarId: string;
  locationId: string;
  contactId: string;
  startTime: string;
  endTime: string;
  title: string;
  appointmentStatus: string;
  assignedUserId: string;
  isRecurring: false;
  /** The appointment's description (AppointmentEditSchema): where the meeting brief is attached. */
  description?: string;
};

/** What the sandbox refuses, with the status and body GHL uses (contracts/ghl.md "Base URL and auth": error bodies). */
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}
const badRequest = (message: string, extra: Record<string, unknown> = {}) => new Refusal(400, { statusCode: 400, message, ...extra });
const unprocessable = (message: string) => new Refusal(422, { statusCode: 422, message: [message], error: 'Unprocessable Entity' });
const notFound = (message: string) => new Refusal(404, { statusCode: 404, message });

const VERSION_FOR: [RegExp, string][] = [
  [/^\/contacts(\/|$)/, '2021-07-28'],
  [/^\/conversations(\/|$)/, '2021-04-15'],
  [/^\/calendars(\/|$)/, '2021-04-15'],
];
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const EMAIL_FROM = /^(?:[^<>]*<\s*([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)\s*>|([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+))$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const STRING_FIELDS = ['email', 'phone', 'firstName', 'lastName', 'name', 'companyName', 'website', 'timezone', 'source', 'address1', 'city', 'state', 'country', 'postalCode'] as const;

const parseJson = (text: string): Record<string, unknown> => {
  if (!text.trim()) return {};
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw badRequest('Unexpected token in JSON body');
};

const tagsOf = (body: Record<string, unknown>): string[] => {
  const tags = body.tags;
  if (!Array.isArray(tags) || tags.length === 0 || tags.some((t) => typeof t !== 'string')) throw unprocessable('tags must be a non-empty array of strings');
  return tags as string[];
};

const copy = <T>(value: T): T => structuredClone(value);

// ---- Time zones and slots: free slots are computed from each calendar's working hours in its own zone.

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
const isTimeZone = (timeZone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
};
/** The UTC offset of a zone at an instant, in minutes (Intl's `longOffset` reads "GMT-06:00"). */
const offsetMinutes = (timeZone: string, instant: number): number => {
  let format = zoneFormats.get(timeZone);
  if (!format) zoneFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};
const pad = (n: number) => String(n).padStart(2, '0');
/** ISO-8601 with an explicit offset, as GHL writes slots: 2026-03-16T14:00:00-06:00. */
const withOffset = (instant: number, offset: number) => `${new Date(instant + offset * 60_000).toISOString().slice(0, 19)}${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
const isoInZone = (instant: number, timeZone: string) => withOffset(instant, offsetMinutes(timeZone, instant));
const offsetOfIso = (iso: string) => {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};

/** The calendar's slot starts (epoch ms) within [start, end): working hours on working days, in the calendar's zone. */
const freeSlotInstants = (calendar: GhlSandboxCalendar, start: number, end: number): number[] => {
  const zone = calendar.timezone ?? 'America/Denver';
  const slot = calendar.slotMinutes ?? 30;
  const [open, close] = calendar.hours ?? [9, 17];
  const weekdays = calendar.weekdays ?? [1, 2, 3, 4, 5];
  const localMidnight = (instant: number) => Date.parse(`${isoInZone(instant, zone).slice(0, 10)}T00:00:00Z`);
  const instants: number[] = [];
  for (let day = localMidnight(start); day <= localMidnight(end); day += DAY_MS) {
    if (!weekdays.includes(new Date(day).getUTCDay())) continue;
    for (let minute = open * 60; minute + slot <= close * 60; minute += slot) {
      const wall = day + minute * 60_000;
      // Two passes settle the offset across a DST change.
      const instant = wall - offsetMinutes(zone, wall - offsetMinutes(zone, wall) * 60_000) * 60_000;
      if (instant >= start && instant < end) instants.push(instant);
    }
  }
  return instants;
};

// ---- Contact search: the filters the revival scan uses (contracts/ghl.md "Search"); anything else is refused.

const TEXT_FIELDS = new Set(['email', 'firstName', 'lastName', 'companyName', 'phone', 'source']);
const DATE_FIELDS = new Set(['dateAdded', 'dateUpdated', 'lastActivity']);
const EMPTY_CONTACT: ContactRecord = { id: '', locationId: '', tags: [], dnd: false, type: 'lead', dateAdded: '', dateUpdated: '', customFields: [] };

const textMatch = (values: string[], operator: unknown, wanted: string[]): boolean => {
  const have = values.map((v) => v.toLowerCase());
  const want = wanted.map((v) => v.toLowerCase());
  if (operator === 'eq') return want.some((w) => have.includes(w));
  if (operator === 'not_eq') return !want.some((w) => have.includes(w));
  if (operator === 'contains') return want.some((w) => have.some((h) => h.includes(w)));
  if (operator === 'not_contains') return !want.some((w) => have.some((h) => h.includes(w)));
  throw unprocessable(`operator ${String(operator)} is not supported for this field`);
};

const timeOf = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN);

const matchesFilter = (contact: ContactRecord, raw: unknown): boolean => {
  if (!raw || typeof raw !== 'object') throw unprocessable('each filter must be an object');
  const filter = raw as Record<string, unknown>;
  if ('group' in filter) {
    if ((filter.group !== 'AND' && filter.group !== 'OR') || !Array.isArray(filter.filters)) throw unprocessable('a filter group needs group AND or OR and filters');
    const results = filter.filters.map((f) => matchesFilter(contact, f));
    return filter.group === 'AND' ? results.every(Boolean) : results.some(Boolean);
  }
  const { field, operator, value } = filter;
  if (typeof field !== 'string' || !(field === 'tags' || TEXT_FIELDS.has(field) || DATE_FIELDS.has(field))) throw unprocessable(`filter field ${String(field)} is not supported`);
  const present = field === 'tags' ? contact.tags : [contact[field]].filter((v): v is string => typeof v === 'string' && v !== '');
  if (operator === 'exists') return present.length > 0;
  if (operator === 'not_exists') return present.length === 0;
  if (DATE_FIELDS.has(field)) {
    if (operator !== 'range' || !value || typeof value !== 'object') throw unprocessable(`filter ${field} takes operator range with {gt, gte, lt, lte}`);
    const bounds = value as Record<string, unknown>;
    const at = timeOf(present[0]);
    if (Object.values(bounds).some((b) => Number.isNaN(timeOf(b)))) throw unprocessable(`filter ${field}: range bounds must be dates`);
    if (Number.isNaN(at)) return false;
    return (bounds.gt === undefined || at > timeOf(bounds.gt)) && (bounds.gte === undefined || at >= timeOf(bounds.gte)) && (bounds.lt === undefined || at < timeOf(bounds.lt)) && (bounds.lte === undefined || at <= timeOf(bounds.lte));
  }
  const wanted = Array.isArray(value) ? value : [value];
  if (wanted.length === 0 || wanted.some((v) => typeof v !== 'string')) throw unprocessable(`filter ${field}: value must be a string or a list of strings`);
  return textMatch(present, operator, wanted as string[]);
};

const matchesFilters = (contact: ContactRecord, filters: unknown): boolean => {
  if (!Array.isArray(filters)) throw unprocessable('filters must be an array');
  return filters.every((f) => matchesFilter(contact, f));
};

const sortContacts = (list: ContactRecord[], sort: unknown): ContactRecord[] => {
  if (!Array.isArray(sort)) throw unprocessable('sort must be an array');
  const keys = sort.map((s: Record<string, unknown>) => {
    if (typeof s?.field !== 'string' || !(TEXT_FIELDS.has(s.field) || DATE_FIELDS.has(s.field)) || (s.direction !== 'asc' && s.direction !== 'desc')) throw unprocessable('sort takes {field, direction: asc|desc}');
    return { field: s.field, sign: s.direction === 'asc' ? 1 : -1 };
  });
  return [...list].sort((a, b) => {
    for (const { field, sign } of keys) {
      const order = String(a[field] ?? '').localeCompare(String(b[field] ?? ''));
      if (order) return order * sign;
    }
    return 0;
  });
};

/**
 * A loopback LeadConnector v2 (contracts/ghl.md "Sandbox must"): Bearer auth, the exact Version per
 * API (400 otherwise, stricter than GHL), locationId where required and refused on PUT contact,
 * duplicate lookup, search with filters, create (400 on a duplicate e-mail), upsert, tags (DELETE
 * with a body), e-mail (no DND contact, an address as emailFrom), free slots (ms, <= 31 days),
 * appointments, the five rate-limit headers and a 429 past the burst limit.
 */
export const startGhlSandbox = async (options: GhlSandboxOptions = {}) => {
  const apiKey = options.apiKey ?? 'pit-sandbox-ghl-token';
  const locationId = options.locationId ?? 'loc-sandbox-1';
  const calendars = new Map((options.calendars ?? [{ id: 'cal-sandbox-1' }]).map((c) => [c.id, c]));
  const rate = options.rateLimit ?? { max: 100, intervalMs: 10_000 };
  const now = options.now ?? Date.now;
  const failures = createFailureSwitch(options.failures);
  const contacts = new Map<string, ContactRecord>();
  const emails: GhlSentEmail[] = [];
  const appointments: GhlStoredAppointment[] = [];
  const conversationOf = new Map<string, string>();
  const inbound: GhlInboundMessage[] = [];
  const counters = { contact: 0, message: 0, appointment: 0, trace: 0 };
  const stats = { requests: 0, rateLimited: 0, contactWrites: 0, emailsSent: 0, appointmentsBooked: 0 };
  let window = { start: now(), used: 0 };
  let dailyUsed = 0;
  /**
   * Requests handled in full whose answer is then lost (a 504 instead): the call reached GHL but
   * the caller cannot know it. The shared failure switches answer before anything is handled.
   */
  let lostAnswers: { count: number; path?: string } = { count: 0 };

  const isoNow = () => new Date(now()).toISOString();
  const traceId = () => `tr-sandbox-${++counters.trace}`;
  const rateHeaders = () => ({
    'x-ratelimit-limit-daily': '200000',
    'x-ratelimit-daily-remaining': String(Math.max(0, 200_000 - dailyUsed)),
    'x-ratelimit-interval-milliseconds': String(rate.intervalMs),
    'x-ratelimit-max': String(rate.max),
    'x-ratelimit-remaining': String(Math.max(0, rate.max - window.used)),
  });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...rateHeaders(), ...headers });
    res.end(JSON.stringify(body));
  };

  const byEmail = (email: string) => [...contacts.values()].find((c) => c.email?.toLowerCase() === email.toLowerCase());
  const byPhone = (phone: string) => [...contacts.values()].find((c) => c.phone === phone);
  const contactOr404 = (id: string): ContactRecord => {
    const contact = contacts.get(id);
    if (!contact) throw notFound('Contact not found');
    return contact;
  };

  const requireLocation = (value: unknown) => {
    if (value === undefined || value === null || value === '') throw unprocessable('locationId should not be empty');
    if (value !== locationId) throw new Refusal(403, { statusCode: 403, message: 'The token does not have access to this location.' });
  };

  /** Copy the writable fields of a create/upsert/PUT body onto a contact; a malformed e-mail is refused before anything changes. */
  const applyFields = (contact: ContactRecord, body: Record<string, unknown>) => {
    if (typeof body.email === 'string' && !EMAIL.test(body.email)) throw unprocessable('email must be an email');
    for (const field of STRING_FIELDS) if (typeof body[field] === 'string') contact[field] = body[field];
    if (typeof body.dnd === 'boolean') contact.dnd = body.dnd;
    if (body.dndSettings && typeof body.dndSettings === 'object') contact.dndSettings = copy(body.dndSettings);
    if (Array.isArray(body.customFields)) {
      contact.customFields = (body.customFields as Record<string, unknown>[]).map((f) => ({ id: String(f.id ?? f.key ?? ''), value: f.field_value ?? f.value ?? null }));
    }
    contact.dateUpdated = isoNow();
  };

  /** A new contact, stored only once its body has been accepted. */
  const newContact = (seed: Partial<ContactRecord> = {}): ContactRecord => {
    const at = isoNow();
    return { id: `ctc-sandbox-${++counters.contact}`, locationId, tags: [], dnd: false, type: 'lead', dateAdded: at, dateUpdated: at, customFields: [], ...copy(seed) };
  };
  const saved = options.state?.load() as GhlState | null | undefined;
  if (saved) {
    // The saved CRM already holds the seeded contacts: seeding again would duplicate them.
    for (const c of saved.contacts ?? []) contacts.set(c.id, c);
    emails.push(...(saved.emails ?? []));
    appointments.push(...(saved.appointments ?? []));
    for (const [contactId, conversationId] of saved.conversations ?? []) conversationOf.set(contactId, conversationId);
    inbound.push(...(saved.inbound ?? []));
    Object.assign(counters, saved.counters ?? {});
  } else {
    for (const seed of options.seedContacts ?? []) {
      const contact = newContact(seed);
      contacts.set(contact.id, contact);
    }
  }
  const persist = () => options.state?.save({ contacts: [...contacts.values()], emails, appointments, conversations: [...conversationOf], inbound, counters } satisfies GhlState);

  const addTags = (contact: ContactRecord, tags: string[]) => {
    for (const tag of tags) if (!contact.tags.includes(tag)) contact.tags.push(tag);
  };

  const routeContacts = (method: string, path: string, url: URL, body: Record<string, unknown>): [number, unknown] => {
    if (method === 'GET' && path === '/contacts/search/duplicate') {
      requireLocation(url.searchParams.get('locationId'));
      // A `+` sent unencoded arrives as a space (contracts/ghl.md "Find by e-mail"): refused here, not silently missed.
      const email = url.searchParams.get('email');
      const phone = url.searchParams.get('number');
      if (email !== null && !EMAIL.test(email)) throw unprocessable('email must be an email');
      const found = (email ? byEmail(email) : undefined) ?? (phone ? byPhone(phone) : undefined);
      return [200, found ? { contact: copy(found), matchingField: found.email && email && found.email.toLowerCase() === email.toLowerCase() ? 'email' : 'phone' } : { contact: null }];
    }
    if (method === 'POST' && path === '/contacts/search') {
      requireLocation(body.locationId);
      const pageLimit = body.pageLimit === undefined ? 20 : Number(body.pageLimit);
      const page = body.page === undefined ? 1 : Number(body.page);
      if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > 500) throw unprocessable('pageLimit must not be greater than 500');
      if (!Number.isInteger(page) || page < 1) throw unprocessable('page must be a positive integer');
      if (typeof body.query === 'string' && body.query.length > 75) throw unprocessable('query must be shorter than or equal to 75 characters');
      if (!body.searchAfter && page * pageLimit > 10_000) throw badRequest('page and pageLimit reach 10,000 records at most; use searchAfter');
      const query = typeof body.query === 'string' ? body.query.toLowerCase() : '';
      matchesFilters(EMPTY_CONTACT, body.filters ?? []); // refuses a bad filter even when there are no contacts
      const matched = sortContacts(
        [...contacts.values()].filter((c) => matchesFilters(c, body.filters ?? []) && (!query || [c.email, c.firstName, c.lastName, c.companyName, c.phone].some((v) => v?.toLowerCase().includes(query)))),
        body.sort ?? [],
      );
      // searchAfter is the [sortValue, id] of the last contact of the previous page; paging resumes after that id.
      const afterId = Array.isArray(body.searchAfter) ? (body.searchAfter as unknown[]).at(-1) : undefined;
      // A cursor naming no known contact ends the scan rather than restarting it.
      const after = afterId === undefined ? (page - 1) * pageLimit : matched.some((c) => c.id === afterId) ? matched.findIndex((c) => c.id === afterId) + 1 : matched.length;
      const slice = matched.slice(after, after + pageLimit);
      const last = slice.at(-1);
      return [200, { contacts: slice.map(copy), total: matched.length, ...(last ? { searchAfter: [last.dateUpdated, last.id] } : {}) }];
    }
    if (method === 'POST' && path === '/contacts/') {
      requireLocation(body.locationId);
      const existing = typeof body.email === 'string' ? byEmail(body.email) : undefined;
      if (existing) {
        throw badRequest('This location does not allow duplicated contacts.', {
          meta: { contactName: [existing.firstName, existing.lastName].filter(Boolean).join(' '), contactId: existing.id, matchingField: 'email' },
        });
      }
      const contact = newContact({ source: 'api' });
      applyFields(contact, body);
      if (Array.isArray(body.tags))
        addTags(
          contact,
          body.tags.filter((t): t is string => typeof t === 'string'),
        );
      contacts.set(contact.id, contact);
      stats.contactWrites++;
      return [201, { contact: copy(contact) }];
    }
    if (method === 'POST' && path === '/contacts/upsert') {
      requireLocation(body.locationId);
      const existing = (typeof body.email === 'string' ? byEmail(body.email) : undefined) ?? (typeof body.phone === 'string' ? byPhone(body.phone) : undefined);
      const contact = existing ?? newContact({ source: 'api' });
      applyFields(contact, body);
      if (Array.isArray(body.tags))
        addTags(
          contact,
          body.tags.filter((t): t is string => typeof t === 'string'),
        );
      contacts.set(contact.id, contact);
      stats.contactWrites++;
      return [200, { new: !existing, contact: copy(contact), traceId: traceId() }];
    }
    const tagsMatch = /^\/contacts\/([^/]+)\/tags$/.exec(path);
    if (tagsMatch && (method === 'POST' || method === 'DELETE')) {
      const contact = contactOr404(decodeURIComponent(tagsMatch[1]!));
      // DELETE carries its tags in the body (contracts/ghl.md quirk 5): a body-less DELETE is refused.
      const tags = tagsOf(body);
      if (method === 'POST') addTags(contact, tags);
      else contact.tags = contact.tags.filter((t) => !tags.includes(t));
      contact.dateUpdated = isoNow();
      stats.contactWrites++;
      return [method === 'POST' ? 201 : 200, { tags: [...contact.tags] }];
    }
    const idMatch = /^\/contacts\/([^/]+)$/.exec(path);
    if (idMatch) {
      const id = decodeURIComponent(idMatch[1]!);
      // GET treats any segment as an id: `/contacts/search` and `/contacts/lookup` answer 400 (contracts/ghl.md "Find by e-mail").
      if (!contacts.has(id) && ['search', 'lookup'].includes(id)) throw badRequest(`Contact with id ${id} not found`);
      if (method === 'GET') return [200, { contact: copy(contactOr404(id)) }];
      if (method === 'PUT') {
        if ('locationId' in body) throw unprocessable('property locationId should not exist');
        const contact = contactOr404(id);
        applyFields(contact, body);
        if (Array.isArray(body.tags)) contact.tags = body.tags.filter((t): t is string => typeof t === 'string');
        stats.contactWrites++;
        return [200, { succeded: true, contact: copy(contact) }];
      }
    }
    throw notFound(`Cannot ${method} ${path}`);
  };

  /** Every e-mail of a contact's conversations, ours and theirs, as the read side sees them. */
  const threadEmails = (contactId: string) => [
    ...emails
      .filter((e) => e.contactId === contactId)
      .map((e) => ({
        messageId: e.messageId,
        emailMessageId: e.emailMessageId ?? e.messageId,
        threadId: e.threadId ?? e.emailMessageId ?? e.messageId,
        conversationId: e.conversationId,
        direction: 'outbound' as const,
        at: e.sentAt,
        subject: e.subject,
        body: e.html,
        replyToMessageId: e.replyMessageId ?? null,
      })),
    ...inbound
      .filter((m) => m.contactId === contactId)
      .map((m) => ({
        messageId: m.messageId,
        emailMessageId: m.emailMessageId,
        threadId: m.threadId,
        conversationId: m.conversationId,
        direction: 'inbound' as const,
        at: m.dateAdded,
        subject: m.subject,
        body: m.body,
        replyToMessageId: null,
      })),
  ];

  /**
   * The thread an answer goes in: `threadId` must be one of the contact's e-mail threads and
   * `replyMessageId` an e-mail of it (its e-mail or conversation message id, contracts/ghl.md
   * "Where threadId / replyMessageId come from"); the answer joins that thread's conversation.
   * null for a new e-mail (neither given).
   */
  const threadOfSend = (contactId: string, body: Record<string, unknown>) => {
    const { threadId, replyMessageId, emailReplyMode } = body;
    if (threadId === undefined && replyMessageId === undefined) return null;
    if (typeof threadId !== 'string' || !threadId || typeof replyMessageId !== 'string' || !replyMessageId) throw unprocessable('threadId and replyMessageId must be non-empty strings');
    if (emailReplyMode !== undefined && emailReplyMode !== 'reply' && emailReplyMode !== 'reply_all') throw unprocessable('emailReplyMode must be one of reply, reply_all');
    const known = threadEmails(contactId).filter((e) => e.threadId === threadId);
    if (known.length === 0) throw badRequest('Thread not found for this contact');
    const answered = known.find((e) => e.emailMessageId === replyMessageId || e.messageId === replyMessageId);
    if (!answered) throw badRequest('The message replied to is not in this thread');
    return { threadId, replyMessageId: answered.emailMessageId, conversationId: answered.conversationId, mode: emailReplyMode === 'reply_all' ? ('reply_all' as const) : ('reply' as const) };
  };

  /** `GET /conversations/{id}/messages?type=TYPE_EMAIL`: newest first, paged with `lastMessageId` (top-level shape, contracts/ghl.md "Reading messages"). */
  const conversationMessages = (conversationId: string, url: URL): [number, unknown] => {
    const contactId = [...conversationOf].find(([, c]) => c === conversationId)?.[0] ?? inbound.find((m) => m.conversationId === conversationId)?.contactId;
    if (!contactId) throw notFound('Conversation not found');
    const limit = url.searchParams.get('limit') === null ? 20 : Number(url.searchParams.get('limit'));
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw unprocessable('limit must be between 1 and 100');
    const type = url.searchParams.get('type');
    if (type !== null && type !== 'TYPE_EMAIL') return [200, { lastMessageId: null, nextPage: false, messages: [] }];
    const all = threadEmails(contactId)
      .filter((e) => e.conversationId === conversationId)
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.messageId.localeCompare(a.messageId, 'en', { numeric: true }));
    const after = url.searchParams.get('lastMessageId');
    const start = after ? all.findIndex((e) => e.messageId === after) + 1 : 0;
    if (after && start === 0) throw badRequest('lastMessageId is not a message of this conversation');
    const page = all.slice(start, start + limit);
    const thread = (threadId: string) => all.filter((e) => e.threadId === threadId).map((e) => e.emailMessageId);
    return [
      200,
      {
        lastMessageId: page.at(-1)?.messageId ?? null,
        nextPage: start + limit < all.length,
        messages: page.map((e) => ({ id: e.messageId, conversationId, contactId, locationId, type: 3, messageType: 'TYPE_EMAIL', direction: e.direction, dateAdded: e.at, body: e.body, meta: { email: { messageIds: thread(e.threadId) } } })),
      },
    ];
  };

  /** `GET /conversations/messages/email/{id}`: one e-mail with its thread and the e-mail it answered. */
  const emailById = (id: string): [number, unknown] => {
    for (const contactId of new Set([...emails.map((e) => e.contactId), ...inbound.map((m) => m.contactId)])) {
      const e = threadEmails(contactId).find((x) => x.emailMessageId === id);
      if (e)
        return [
          200,
          { id: e.emailMessageId, threadId: e.threadId, subject: e.subject, body: e.body, direction: e.direction, conversationId: e.conversationId, contactId, ...(e.replyToMessageId ? { replyToMessageId: e.replyToMessageId } : {}) },
        ];
    }
    throw notFound('Email message not found');
  };

  const sendEmail = (body: Record<string, unknown>): [number, unknown] => {
    if (body.type !== 'Email') throw unprocessable('type must be Email (the sandbox sends e-mail only)');
    // The original sent {locationId, email} instead of contactId (contracts/ghl.md "Conversations").
    if (typeof body.contactId !== 'string' || !body.contactId) throw unprocessable('contactId should not be empty');
    const contact = contacts.get(body.contactId);
    if (!contact) throw badRequest('Contact not found');
    if (typeof body.html !== 'string' || !body.html.trim()) throw unprocessable('html should not be empty');
    let emailFrom: string | null = null;
    if (body.emailFrom !== undefined) {
      // emailFrom must be an address, not a location id (contracts/ghl.md quirk 3).
      if (typeof body.emailFrom !== 'string' || !EMAIL_FROM.test(body.emailFrom.trim())) throw unprocessable('emailFrom must be an email');
      emailFrom = body.emailFrom;
    }
    if (contact.dnd || contact.dndSettings?.Email?.status === 'active') throw badRequest('Cannot send message as DND is active for Email.');
    if (!contact.email) throw badRequest('Contact does not have an email address.');
    // `status`/`subType` are newly required in the 2026-05 schema only (contracts/ghl.md): not asked for here.
    const thread = threadOfSend(contact.id, body);
    const messageId = `msg-sandbox-${++counters.message}`;
    const conversationId = thread?.conversationId ?? conversationOf.get(contact.id) ?? `cnv-sandbox-${conversationOf.size + 1}`;
    if (!conversationOf.has(contact.id)) conversationOf.set(contact.id, conversationId);
    const emailMessageId = `eml-sandbox-${counters.message}`;
    emails.push({
      messageId,
      conversationId,
      contactId: contact.id,
      to: contact.email,
      emailFrom,
      subject: String(body.subject ?? ''),
      html: body.html,
      sentAt: isoNow(),
      emailMessageId,
      ...(thread ? { threadId: thread.threadId, replyMessageId: thread.replyMessageId, emailReplyMode: thread.mode } : {}),
      ...(typeof body.message === 'string' ? { text: body.message } : {}),
    });
    contact.lastActivity = isoNow();
    stats.emailsSent++;
    return [200, { conversationId, messageId, emailMessageId, messageIds: [messageId], msg: 'Message queued successfully.' }];
  };

  const calendarOr404 = (id: string): GhlSandboxCalendar => {
    const calendar = calendars.get(id);
    if (!calendar) throw notFound('Calendar not found');
    return calendar;
  };
  const booked = (calendarId: string) => new Set(appointments.filter((a) => a.calendarId === calendarId && a.appointmentStatus !== 'cancelled').map((a) => Date.parse(a.startTime)));

  const freeSlots = (calendarId: string, url: URL): [number, unknown] => {
    const calendar = calendarOr404(calendarId);
    const start = Number(url.searchParams.get('startDate'));
    const end = Number(url.searchParams.get('endDate'));
    const timezone = url.searchParams.get('timezone') ?? calendar.timezone ?? 'America/Denver';
    // Epoch milliseconds, at most 31 days (contracts/ghl.md quirk 4); a value before 2001 is seconds sent by mistake.
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1e12 || end < 1e12) throw unprocessable('startDate and endDate must be epoch milliseconds');
    if (end <= start || end - start > 31 * DAY_MS) throw badRequest('The date range must be positive and at most 31 days');
    if (!isTimeZone(timezone)) throw unprocessable('timezone must be a valid IANA time zone');
    const taken = booked(calendar.id);
    const days: Record<string, { slots: string[] }> = {};
    for (const instant of freeSlotInstants(calendar, start, end)) {
      if (taken.has(instant)) continue;
      const iso = isoInZone(instant, timezone);
      (days[iso.slice(0, 10)] ??= { slots: [] }).slots.push(iso);
    }
    return [200, { ...days, traceId: traceId() }];
  };

  const book = (body: Record<string, unknown>): [number, unknown] => {
    requireLocation(body.locationId);
    if (typeof body.calendarId !== 'string' || typeof body.contactId !== 'string' || typeof body.startTime !== 'string') throw unprocessable('calendarId, contactId and startTime should not be empty');
    const calendar = calendarOr404(body.calendarId);
    if (!contacts.has(body.contactId)) throw badRequest('Contact not found');
    if (!ISO_WITH_OFFSET.test(body.startTime) || (body.endTime !== undefined && (typeof body.endTime !== 'string' || !ISO_WITH_OFFSET.test(body.endTime)))) throw unprocessable('startTime and endTime must be ISO-8601 with an offset');
    const start = Date.parse(body.startTime);
    const free = body.ignoreFreeSlotValidation === true || (freeSlotInstants(calendar, start, start + 1).includes(start) && !booked(calendar.id).has(start));
    if (!free) throw badRequest('The slot you have selected is no longer available.');
    const appointment: GhlStoredAppointment = {
      id: `apt-sandbox-${++counters.appointment}`,
      calendarId: calendar.id,
      locationId,
      contactId: body.contactId,
      startTime: body.startTime,
      endTime: typeof body.endTime === 'string' ? body.endTime : withOffset(start + (calendar.slotMinutes ?? 30) * 60_000, offsetOfIso(body.startTime)),
      title: typeof body.title === 'string' ? body.title : 'Appointment',
      appointmentStatus: typeof body.appointmentStatus === 'string' ? body.appointmentStatus : 'new',
      assignedUserId: typeof body.assignedUserId === 'string' ? body.assignedUserId : 'usr-sandbox-1',
      isRecurring: false,
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
    };
    appointments.push(appointment);
    stats.appointmentsBooked++;
    return [200, copy(appointment)];
  };

  /** `GET /calendars/events`: locationId and one of calendarId/userId/groupId required; times as epoch ms strings (contracts/ghl.md "List"). */
  const listEvents = (url: URL): [number, unknown] => {
    requireLocation(url.searchParams.get('locationId'));
    const calendarId = url.searchParams.get('calendarId');
    if (!calendarId) throw unprocessable('calendarId, userId or groupId is required');
    const [start, end] = [Number(url.searchParams.get('startTime')), Number(url.searchParams.get('endTime'))];
    if (!Number.isFinite(start) || !Number.isFinite(end)) throw unprocessable('startTime and endTime must be epoch milliseconds');
    const events = appointments.filter((a) => a.calendarId === calendarId && Date.parse(a.startTime) >= start && Date.parse(a.startTime) <= end);
    return [200, { events: events.map(copy) }];
  };

  /** `PUT /calendars/events/appointments/{id}`: reschedule (the new slot must be free) or change status; no locationId/contactId. */
  const updateAppointment = (id: string, body: Record<string, unknown>): [number, unknown] => {
    if ('locationId' in body || 'contactId' in body) throw unprocessable('property locationId/contactId should not exist');
    const appointment = appointments.find((a) => a.id === id);
    if (!appointment) throw notFound('Appointment not found');
    if (typeof body.startTime === 'string') {
      if (!ISO_WITH_OFFSET.test(body.startTime)) throw unprocessable('startTime must be ISO-8601 with an offset');
      const calendar = calendarOr404(appointment.calendarId);
      const start = Date.parse(body.startTime);
      const others = new Set(appointments.filter((a) => a !== appointment && a.calendarId === calendar.id && a.appointmentStatus !== 'cancelled').map((a) => Date.parse(a.startTime)));
      if (body.ignoreFreeSlotValidation !== true && (!freeSlotInstants(calendar, start, start + 1).includes(start) || others.has(start))) throw badRequest('The slot you have selected is no longer available.');
      appointment.startTime = body.startTime;
      appointment.endTime = typeof body.endTime === 'string' ? body.endTime : withOffset(start + (calendar.slotMinutes ?? 30) * 60_000, offsetOfIso(body.startTime));
    }
    if (typeof body.appointmentStatus === 'string') appointment.appointmentStatus = body.appointmentStatus;
    if (typeof body.title === 'string') appointment.title = body.title;
    // AppointmentEditSchema's `description` (contracts/ghl.md "Reschedule or change status"): where the meeting brief is attached.
    if (body.description !== undefined) {
      if (typeof body.description !== 'string') throw unprocessable('description must be a string');
      appointment.description = body.description;
    }
    return [200, copy(appointment)];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(req);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    stats.requests++;
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { statusCode: 401, message: 'Invalid token: access token is invalid', error: 'Unauthorized' });

    if (now() - window.start >= rate.intervalMs) window = { start: now(), used: 0 };
    window.used++;
    dailyUsed++;
    if (window.used > rate.max) {
      stats.rateLimited++;
      const retryAfter = Math.max(1, Math.ceil((window.start + rate.intervalMs - now()) / 1000));
      return send(res, 429, { statusCode: 429, message: 'Too Many Requests' }, { 'retry-after': String(retryAfter) });
    }
    if (await failures.intercept(path, res)) return;

    try {
      // Stricter than GHL may be: a missing or wrong Version is refused (contracts/ghl.md "Sandbox must").
      const version = VERSION_FOR.find(([prefix]) => prefix.test(path))?.[1];
      if (!version) throw notFound(`Cannot ${method} ${path}`);
      if (req.headers.version !== version) throw badRequest(`The Version header must be ${version} for this API`);
      const body = method === 'GET' ? {} : parseJson(text);
      let answer: [number, unknown];
      if (path.startsWith('/contacts')) answer = routeContacts(method, path, url, body);
      else if (method === 'POST' && path === '/conversations/messages') answer = sendEmail(body);
      else if (method === 'GET' && /^\/conversations\/messages\/email\/[^/]+$/.test(path)) answer = emailById(decodeURIComponent(path.split('/').pop()!));
      else if (method === 'GET' && /^\/conversations\/[^/]+\/messages$/.test(path)) answer = conversationMessages(decodeURIComponent(path.split('/')[2]!), url);
      else if (method === 'POST' && path === '/calendars/events/appointments') answer = book(body);
      else if (method === 'GET' && path === '/calendars/events') answer = listEvents(url);
      else if (method === 'PUT' && /^\/calendars\/events\/appointments\/[^/]+$/.test(path)) answer = updateAppointment(decodeURIComponent(path.split('/').pop()!), body);
      else {
        const slots = /^\/calendars\/([^/]+)\/free-slots$/.exec(path);
        if (method !== 'GET' || !slots) throw notFound(`Cannot ${method} ${path}`);
        answer = freeSlots(decodeURIComponent(slots[1]!), url);
      }
      if (lostAnswers.count > 0 && (!lostAnswers.path || lostAnswers.path === path)) {
        lostAnswers.count--;
        return send(res, 504, { statusCode: 504, message: 'Gateway Timeout (injected after the request was handled)' });
      }
      return send(res, answer[0], answer[1]);
    } catch (error) {
      if (error instanceof Refusal) return send(res, error.status, error.body);
      throw error;
    }
  };

  const server = createServer((req, res) => {
    if (options.state) saveBeforeAnswer(req, res, persist);
    handle(req, res).catch(() => send(res, 500, { statusCode: 500, message: 'sandbox error' }));
  });
  const loopback = await listenOnLoopback(server, options.port);

  let workflowWebhook = options.workflowWebhook ?? null;
  /**
   * A prospect answers the last e-mail the location sent them (a nurture or revival e-mail): the
   * reply joins that thread (`threadId`: the thread's first e-mail, `emailMessageId`: the reply's
   * own) and the workflow action, when one is set, posts its InboundMessage. Resolves to the
   * message and the HTTP status of the delivery (0: no workflow, or the receiver did not answer).
   */
  const receiveReply = async (input: { email: string; html: string; subject?: string }): Promise<{ message: GhlInboundMessage; status: number }> => {
    const contact = byEmail(input.email);
    const sent = contact ? emails.filter((e) => e.contactId === contact.id) : [];
    const last = sent.at(-1);
    if (!contact?.email || !last) throw new Error('ghl sandbox: a reply needs a contact the location sent an e-mail to');
    const messageId = `msg-sandbox-${++counters.message}`;
    const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
    const ours = last.emailFrom ? (EMAIL_FROM.exec(last.emailFrom.trim())?.slice(1).find(Boolean) ?? null) : null;
    const message: GhlInboundMessage = {
      type: 'InboundMessage',
      locationId,
      contactId: contact.id,
      conversationId: last.conversationId,
      messageType: 'Email',
      messageId,
      emailMessageId: `eml-sandbox-${counters.message}`,
      // An answer of ours already names the thread; otherwise the conversation's first e-mail starts it.
      threadId: last.threadId ?? sent.find((e) => e.conversationId === last.conversationId)?.emailMessageId ?? last.emailMessageId ?? `eml-sandbox-${counters.message}`,
      subject: input.subject ?? (last.subject.startsWith('Re:') ? last.subject : `Re: ${last.subject}`),
      body: input.html,
      from: name ? `${name} <${contact.email}>` : contact.email,
      to: ours ? [ours] : [],
      direction: 'inbound',
      dateAdded: isoNow(),
    };
    inbound.push(message);
    contact.lastActivity = isoNow();
    persist();
    if (!workflowWebhook) return { message: copy(message), status: 0 };
    const res = await fetch(workflowWebhook.url, { method: 'POST', headers: { 'content-type': 'application/json', ...workflowWebhook.headers }, body: JSON.stringify(message), signal: AbortSignal.timeout(5000) }).catch(() => null);
    await res?.body?.cancel().catch(() => undefined);
    return { message: copy(message), status: res?.status ?? 0 };
  };

  return {
    url: `http://127.0.0.1:${loopback.port}`,
    apiKey,
    locationId,
    calendarIds: [...calendars.keys()],
    stats,
    setFailures: failures.set,
    /** The next `count` requests (of `path`) are handled, then answered 504: the caller cannot tell whether they happened. */
    loseAnswers: (lost: { count: number; path?: string }) => {
      lostAnswers = { ...lost };
    },
    close: loopback.close,
    contacts: (): ContactRecord[] => [...contacts.values()].map(copy),
    sentEmails: (): GhlSentEmail[] => emails.map(copy),
    appointments: (): GhlStoredAppointment[] => appointments.map(copy),
    receiveReply,
    /** The InboundMessages replies produced, oldest first. */
    inboundMessages: (): GhlInboundMessage[] => inbound.map(copy),
    setWorkflowWebhook: (hook: GhlSandboxWorkflowWebhook | null) => {
      workflowWebhook = hook;
    },
  };
};

export type GhlSandbox = Awaited<ReturnType<typeof startGhlSandbox>>;
