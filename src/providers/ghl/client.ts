import { AppError, isAppError } from '../../lib/app-error.js';
import { createJsonCaller } from '../http/json-call.js';
import { createHttpPolicy, type HttpPolicy } from '../http/policy.js';
import {
  AppointmentSchema,
  CalendarEventsResponseSchema,
  ConversationMessagesResponseSchema,
  EmailMessageSchema,
  type GhlCalendarEvent,
  ContactResponseSchema,
  ContactSearchResponseSchema,
  DuplicateLookupResponseSchema,
  FreeSlotsResponseSchema,
  SendMessageResponseSchema,
  TagsResponseSchema,
  UpdateContactResponseSchema,
  UpsertContactResponseSchema,
  type GhlAppointment,
  type GhlContact,
  type GhlContactSearchPage,
  type GhlEmailMessage,
  type GhlFreeSlotDay,
  type GhlMessagesPage,
  type GhlSentMessage,
} from './schemas.js';

/** The `Version` header differs per API (contracts/ghl.md "Base URL and auth", quirk 1). */
export const GHL_API_VERSION = { contacts: '2021-07-28', conversations: '2021-04-15', calendars: '2021-04-15' } as const;

export type GhlContactInput = {
  email?: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  phone?: string;
  companyName?: string;
  website?: string;
  timezone?: string;
  tags?: string[];
  source?: string;
  customFields?: { id?: string; key?: string; field_value: unknown }[];
  dnd?: boolean;
  dndSettings?: Record<string, unknown>;
};

/** PUT replaces what it is given; tags change through addTags/removeTags so none is dropped by accident. */
export type GhlContactPatch = Omit<GhlContactInput, 'tags'>;

export type GhlSearchFilter = { field: string; operator: 'eq' | 'not_eq' | 'contains' | 'not_contains' | 'exists' | 'not_exists' | 'range'; value?: unknown } | { group: 'AND' | 'OR'; filters: GhlSearchFilter[] };

export type GhlContactSearch = {
  page?: number;
  /** At most 500. */
  pageLimit?: number;
  /** Past 10,000 records, page with the `searchAfter` of the previous answer. */
  searchAfter?: unknown[];
  /** At most 75 characters. */
  query?: string;
  filters?: GhlSearchFilter[];
  sort?: { field: string; direction: 'asc' | 'desc' }[];
};

export type GhlContactWrite = { created: boolean; contactId: string; contact: GhlContact };

export type GhlAppointmentInput = {
  calendarId: string;
  contactId: string;
  /** ISO-8601 with an offset, e.g. 2026-03-16T14:00:00-06:00. */
  startTime: string;
  endTime?: string;
  title?: string;
  appointmentStatus?: 'new' | 'confirmed' | 'cancelled' | 'showed' | 'noshow' | 'invalid';
  assignedUserId?: string;
  meetingLocationType?: string;
  address?: string;
  description?: string;
  ignoreFreeSlotValidation?: boolean;
  toNotify?: boolean;
};

/** Our answer in a prospect's thread: the thread (its first e-mail's id) and the e-mail message answered. */
export type GhlThreadReply = { contactId: string; threadId: string; replyMessageId: string; subject: string; html: string; text?: string; emailFrom?: string };

export type GhlClient = {
  /** The duplicate lookup (honours the location's duplicate setting); null when there is none. */
  findContactByEmail(email: string): Promise<GhlContact | null>;
  searchContacts(search: GhlContactSearch): Promise<GhlContactSearchPage>;
  /** A duplicate e-mail (400 when the location forbids duplicates) answers the existing contact with `created: false`. */
  createContact(input: GhlContactInput): Promise<GhlContactWrite>;
  upsertContact(input: GhlContactInput & { createNewIfDuplicateAllowed?: boolean }): Promise<GhlContactWrite>;
  /** null when there is no such contact. */
  getContact(id: string): Promise<GhlContact | null>;
  updateContact(id: string, patch: GhlContactPatch): Promise<GhlContact>;
  /** The contact's tags after the change. */
  addTags(id: string, tags: string[]): Promise<string[]>;
  removeTags(id: string, tags: string[]): Promise<string[]>;
  sendEmail(email: { contactId: string; subject: string; html: string; emailFrom?: string }): Promise<GhlSentMessage>;
  /** An answer in an e-mail thread (contracts/ghl.md "Conversations: replying to an e-mail in its thread"): `emailReplyMode: reply`. NOT repeatable. */
  replyInThread(reply: GhlThreadReply): Promise<GhlSentMessage>;
  /** One page of a conversation's e-mail messages (`lastMessageId`: the previous page's, to page on). */
  conversationEmails(conversationId: string, page?: { lastMessageId?: string; limit?: number }): Promise<GhlMessagesPage>;
  /** One e-mail of a thread by its e-mail message id; null when GHL does not know it (404). */
  emailMessage(emailMessageId: string): Promise<GhlEmailMessage | null>;
  freeSlots(calendarId: string, range: { startDate: Date | number; endDate: Date | number; timezone?: string; userId?: string }): Promise<GhlFreeSlotDay[]>;
  bookAppointment(input: GhlAppointmentInput): Promise<GhlAppointment>;
  /** The calendar's events between two instants (the read-back before a booking is retried). */
  listEvents(calendarId: string, range: { startTime: Date | number; endTime: Date | number }): Promise<GhlCalendarEvent[]>;
  /** Reschedule or change status (cancel = `appointmentStatus: cancelled`, contracts/ghl.md); `description` holds the meeting brief. */
  updateAppointment(eventId: string, patch: Partial<Pick<GhlAppointmentInput, 'startTime' | 'endTime' | 'appointmentStatus' | 'title' | 'toNotify' | 'description'>>): Promise<GhlAppointment>;
};

/** A contact with DND on, or e-mail DND active, must not be e-mailed (contracts/ghl.md "Contact", compliance). */
export const canEmailContact = (contact: GhlContact): boolean => contact.dnd !== true && contact.dndSettings?.Email?.status !== 'active';

const DUPLICATE = /duplicat/i;
const CONTACT_NOT_FOUND = /contact (with id .* )?not found/i;
const DND = /\bdnd\b/i;
// An address, bare or with a display name: "Jordan <jordan@nurture.example.com>".
const EMAIL_FROM = /^(?:[^<>]*<\s*)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+(?:\s*>)?$/;
const MAX_SLOT_RANGE_MS = 31 * 24 * 60 * 60 * 1000;

/** GHL-specific readings of a 400 (contracts/ghl.md "Errors and retry"); the rest falls to the shared mapping. */
const classifyGhl = (status: number, message: string, endpoint: string, body: unknown): AppError | undefined => {
  const details = { provider: 'ghl', endpoint, status };
  if (status !== 400) return undefined;
  if (DUPLICATE.test(message)) {
    // The 400 names the existing contact in `meta.contactId` (contracts/ghl.md "Create").
    const existing = (body as { meta?: { contactId?: unknown } } | undefined)?.meta?.contactId;
    return new AppError('CONFLICT', `ghl ${endpoint}: the contact already exists and the location does not allow duplicates`, {
      details: { ...details, reason: 'duplicate_contact', ...(typeof existing === 'string' ? { existingContactId: existing } : {}) },
    });
  }
  // GHL answers 400 "Contact with id … not found" for an unknown id (contracts/ghl.md "Find by e-mail").
  if (CONTACT_NOT_FOUND.test(message)) return new AppError('NOT_FOUND', `ghl ${endpoint}: contact not found`, { details });
  if (DND.test(message)) return new AppError('PROVIDER_BAD_REQUEST', `ghl ${endpoint}: the contact has do-not-disturb on for e-mail`, { details: { ...details, reason: 'dnd' } });
  return undefined;
};

const ms = (value: Date | number) => (typeof value === 'number' ? value : value.getTime());
const invalid = (message: string) => new AppError('INVALID_INPUT', `ghl ${message}`);

export const createGhlClient = ({ baseUrl, apiKey, locationId, policy }: { baseUrl: string; apiKey: string; locationId: string; policy?: HttpPolicy }): GhlClient => {
  const shared = policy ?? createHttpPolicy({ provider: 'ghl', retries: 0, secrets: [apiKey] });
  const callerFor = (version: string) => createJsonCaller({ provider: 'ghl', baseUrl, policy: shared, headers: () => ({ Authorization: `Bearer ${apiKey}`, Version: version }), secrets: [apiKey], classify: classifyGhl });
  const contacts = callerFor(GHL_API_VERSION.contacts);
  const conversations = callerFor(GHL_API_VERSION.conversations);
  const calendars = callerFor(GHL_API_VERSION.calendars);
  const contactPath = (id: string) => `contacts/${encodeURIComponent(id)}`;

  // Repeatable or not, per endpoint (contracts/ghl.md): GETs, the PUT and the DELETE by method; each POST says why.
  const findContactByEmail = async (email: string) => {
    // URLSearchParams encodes `+` as %2B, as the contract requires.
    const found = await contacts.call('contacts/search/duplicate', { method: 'GET', path: 'contacts/search/duplicate', query: { locationId, email } }, DuplicateLookupResponseSchema, { nullOn: [404] });
    return found?.contact ?? null;
  };

  const getContact = async (id: string) => {
    try {
      return (await contacts.call('contacts/:id', { method: 'GET', path: contactPath(id) }, ContactResponseSchema, { nullOn: [404] }))?.contact ?? null;
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  };

  return {
    findContactByEmail,
    // Repeatable: a search is a read despite the POST (contracts/ghl.md "Search").
    searchContacts: (search) => contacts.required('contacts/search', { method: 'POST', path: 'contacts/search', body: { ...search, locationId }, idempotent: true }, ContactSearchResponseSchema),
    createContact: async (input) => {
      try {
        // NOT repeatable: a location that allows duplicates gets a second contact (contracts/ghl.md "Create").
        const { contact } = await contacts.required('contacts', { method: 'POST', path: 'contacts/', body: { ...input, locationId }, idempotent: false }, ContactResponseSchema);
        return { created: true, contactId: contact.id, contact };
      } catch (error) {
        // The existing contact by the id the 400 named; without one, by the duplicate lookup.
        if (!isAppError(error) || error.details.reason !== 'duplicate_contact') throw error;
        const id = error.details.existingContactId;
        const existing = typeof id === 'string' ? await getContact(id) : input.email ? await findContactByEmail(input.email) : null;
        if (!existing) throw error;
        return { created: false, contactId: existing.id, contact: existing };
      }
    },
    upsertContact: async (input) => {
      // Repeatable: an upsert is keyed by e-mail/phone under the location's duplicate rule (contracts/ghl.md "Upsert").
      const answer = await contacts.required('contacts/upsert', { method: 'POST', path: 'contacts/upsert', body: { ...input, locationId }, idempotent: true }, UpsertContactResponseSchema);
      return { created: answer.new === true, contactId: answer.contact.id, contact: answer.contact };
    },
    getContact,
    updateContact: async (id, patch) => {
      // PUT must not carry locationId (contracts/ghl.md "Read / update"), even if a caller passes one.
      const { locationId: _ignored, tags: _tags, ...body } = patch as GhlContactPatch & { locationId?: unknown; tags?: unknown };
      return (await contacts.required('contacts/:id', { method: 'PUT', path: contactPath(id), body }, UpdateContactResponseSchema)).contact;
    },
    // Repeatable: tags are a set and the answer is the contact's tags after the change; adding a present tag changes nothing.
    addTags: async (id, tags) => (await contacts.required('contacts/:id/tags', { method: 'POST', path: `${contactPath(id)}/tags`, body: { tags }, idempotent: true }, TagsResponseSchema)).tags,
    // DELETE carries a JSON body (contracts/ghl.md quirk 5); json-call sends a body for any method.
    removeTags: async (id, tags) => (await contacts.required('contacts/:id/tags', { method: 'DELETE', path: `${contactPath(id)}/tags`, body: { tags } }, TagsResponseSchema)).tags,
    sendEmail: async ({ contactId, subject, html, emailFrom }) => {
      // The original passed the location id here (contracts/ghl.md quirk 3): refuse it before GHL does.
      if (emailFrom !== undefined && !EMAIL_FROM.test(emailFrom.trim())) throw invalid('sendEmail: emailFrom must be an e-mail address on the nurture domain');
      const body = { type: 'Email', contactId, subject, html, ...(emailFrom !== undefined ? { emailFrom } : {}) };
      // NOT repeatable: every POST sends another e-mail and GHL has no idempotency key; an uncertain send goes to the outbox.
      return conversations.required('conversations/messages', { method: 'POST', path: 'conversations/messages', body, idempotent: false }, SendMessageResponseSchema);
    },
    replyInThread: async ({ contactId, threadId, replyMessageId, subject, html, text, emailFrom }) => {
      if (emailFrom !== undefined && !EMAIL_FROM.test(emailFrom.trim())) throw invalid('replyInThread: emailFrom must be an e-mail address on the nurture domain');
      if (!threadId.trim() || !replyMessageId.trim()) throw invalid('replyInThread: the thread and the message answered are required');
      const body = { type: 'Email', contactId, threadId, replyMessageId, emailReplyMode: 'reply', subject, html, ...(text !== undefined ? { message: text } : {}), ...(emailFrom !== undefined ? { emailFrom } : {}) };
      // NOT repeatable, as sendEmail: an uncertain answer is looked for in the conversation (outbound-channel.ts `lookup`), never resent blindly.
      return conversations.required('conversations/messages', { method: 'POST', path: 'conversations/messages', body, idempotent: false }, SendMessageResponseSchema);
    },
    conversationEmails: (conversationId, { lastMessageId, limit } = {}) =>
      conversations.required(
        'conversations/:id/messages',
        { method: 'GET', path: `conversations/${encodeURIComponent(conversationId)}/messages`, query: { type: 'TYPE_EMAIL', limit: limit ?? 20, lastMessageId } },
        ConversationMessagesResponseSchema,
      ),
    emailMessage: async (emailMessageId) => {
      try {
        return await conversations.call('conversations/messages/email/:id', { method: 'GET', path: `conversations/messages/email/${encodeURIComponent(emailMessageId)}` }, EmailMessageSchema, { nullOn: [404] });
      } catch (error) {
        if (isAppError(error) && error.code === 'NOT_FOUND') return null;
        throw error;
      }
    },
    freeSlots: async (calendarId, { startDate, endDate, timezone, userId }) => {
      // Epoch MILLISECONDS and at most 31 days (contracts/ghl.md quirk 4).
      const [start, end] = [ms(startDate), ms(endDate)];
      if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw invalid('freeSlots: endDate must come after startDate');
      if (end - start > MAX_SLOT_RANGE_MS) throw invalid('freeSlots: the range may span at most 31 days');
      const query = { startDate: start, endDate: end, timezone, userId };
      return calendars.required('calendars/:id/free-slots', { method: 'GET', path: `calendars/${encodeURIComponent(calendarId)}/free-slots`, query }, FreeSlotsResponseSchema);
    },
    // NOT repeatable: a second POST books a second appointment (contracts/ghl.md "List": look for the booking first).
    bookAppointment: (input) => calendars.required('calendars/events/appointments', { method: 'POST', path: 'calendars/events/appointments', body: { ...input, locationId }, idempotent: false }, AppointmentSchema),
    // Epoch milliseconds as strings (contracts/ghl.md "List").
    listEvents: async (calendarId, { startTime, endTime }) =>
      (await calendars.required('calendars/events', { method: 'GET', path: 'calendars/events', query: { locationId, calendarId, startTime: String(ms(startTime)), endTime: String(ms(endTime)) } }, CalendarEventsResponseSchema)).events,
    // A PUT sets values: repeatable. No locationId/contactId in the body (contracts/ghl.md "Reschedule").
    updateAppointment: (eventId, patch) => calendars.required('calendars/events/appointments/:id', { method: 'PUT', path: `calendars/events/appointments/${encodeURIComponent(eventId)}`, body: patch }, AppointmentSchema),
  };
};
