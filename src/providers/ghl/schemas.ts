import { z } from 'zod';

/**
 * GoHighLevel / LeadConnector v2 response shapes (contracts/ghl.md). Loose objects: unknown fields
 * pass through, but what we read is checked, so an unexpected shape is an error and never a silent
 * undefined.
 */
const text = z.string().nullable().optional();

export const GhlContactSchema = z.looseObject({
  id: z.string().min(1),
  locationId: text,
  email: text,
  firstName: text,
  lastName: text,
  companyName: text,
  phone: text,
  tags: z
    .array(z.string())
    .nullable()
    .optional()
    .transform((tags) => tags ?? []),
  dnd: z.boolean().nullable().optional(),
  dndSettings: z
    .looseObject({ Email: z.looseObject({ status: text }).nullable().optional() })
    .nullable()
    .optional(),
  source: text,
  dateAdded: text,
  dateUpdated: text,
  lastActivity: text,
  customFields: z
    .array(z.looseObject({ id: z.string(), value: z.unknown() }))
    .nullable()
    .optional(),
});
export type GhlContact = z.infer<typeof GhlContactSchema>;

/** `{contact}` or `{contact: null}` is our reading of the duplicate lookup (contracts/ghl.md "Find by e-mail", [inferred]). */
export const DuplicateLookupResponseSchema = z.looseObject({ contact: GhlContactSchema.nullable().optional(), matchingField: text });

export const ContactSearchResponseSchema = z.looseObject({
  contacts: z.array(GhlContactSchema),
  total: z.number().int().nonnegative().optional(),
  searchAfter: z.array(z.unknown()).nullable().optional(),
});
export type GhlContactSearchPage = z.infer<typeof ContactSearchResponseSchema>;

/** Create (201) and read (200) both answer `{contact}`. */
export const ContactResponseSchema = z.looseObject({ contact: GhlContactSchema });

export const UpsertContactResponseSchema = z.looseObject({ new: z.boolean().optional(), contact: GhlContactSchema, traceId: text });

/** PUT answers `{succeded, contact}` (sic, contracts/ghl.md quirk 6); the correct spelling is tolerated too. */
export const UpdateContactResponseSchema = z.looseObject({ succeded: z.boolean().optional(), succeeded: z.boolean().optional(), contact: GhlContactSchema });

/** Tags add (201) and remove (200) both answer the contact's tags after the change. */
export const TagsResponseSchema = z.looseObject({ tags: z.array(z.string()) });

export const SendMessageResponseSchema = z.looseObject({
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
  emailMessageId: text,
  messageIds: z.array(z.string()).optional(),
  msg: text,
});
export type GhlSentMessage = z.infer<typeof SendMessageResponseSchema>;

/** One message of a conversation (contracts/ghl.md "Reading messages"): what the read-back of an answer needs. */
export const ConversationMessageSchema = z.looseObject({
  id: z.string().min(1),
  direction: text,
  messageType: text,
  dateAdded: text,
  meta: z
    .looseObject({
      email: z
        .looseObject({ messageIds: z.array(z.string()).optional() })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});
export type GhlConversationMessage = z.infer<typeof ConversationMessageSchema>;

const MessagesPageSchema = z.looseObject({ lastMessageId: text, nextPage: z.boolean().nullable().optional(), messages: z.array(ConversationMessageSchema) });

/** `GET /conversations/{id}/messages`: top-level in the current spec, wrapped in `messages` in 2025-08/10 (contracts/ghl.md): both read. */
export const ConversationMessagesResponseSchema = z.union([MessagesPageSchema, z.looseObject({ messages: MessagesPageSchema })]).transform((r): GhlMessagesPage => (Array.isArray(r.messages) ? (r as GhlMessagesPage) : r.messages));
export type GhlMessagesPage = z.infer<typeof MessagesPageSchema>;

/** `GET /conversations/messages/email/{id}`: one e-mail of a thread, with the message it answered. */
export const EmailMessageSchema = z.looseObject({ id: z.string().min(1), threadId: text, direction: text, replyToMessageId: text, conversationId: text, contactId: text, subject: text });
export type GhlEmailMessage = z.infer<typeof EmailMessageSchema>;

const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Free slots are keyed by date (`"YYYY-MM-DD": {slots: [...]}`) beside non-date keys such as
 * `traceId` (contracts/ghl.md "Free slots"): only date keys are read, in date order.
 */
export const FreeSlotsResponseSchema = z
  .preprocess((body) => (body && typeof body === 'object' && !Array.isArray(body) ? Object.fromEntries(Object.entries(body).filter(([key]) => DATE_KEY.test(key))) : body), z.record(z.string(), z.looseObject({ slots: z.array(z.string()) })))
  .transform((days) =>
    Object.entries(days)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, day]) => ({ date, slots: day.slots })),
  );
export type GhlFreeSlotDay = z.infer<typeof FreeSlotsResponseSchema>[number];

export const AppointmentSchema = z.looseObject({
  id: z.string().min(1),
  calendarId: text,
  locationId: text,
  contactId: text,
  startTime: text,
  endTime: text,
  title: text,
  appointmentStatus: text,
  assignedUserId: text,
});
export type GhlAppointment = z.infer<typeof AppointmentSchema>;
/** `GET /calendars/events` (contracts/ghl.md "List"): `{ events: [CalendarEventDTO] }`; the fields the booking read-back needs. */
export const CalendarEventsResponseSchema = z.looseObject({ events: z.array(z.looseObject({ id: z.string().min(1), contactId: text, startTime: text, appointmentStatus: text })) });
export type GhlCalendarEvent = z.infer<typeof CalendarEventsResponseSchema>['events'][number];
