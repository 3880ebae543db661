import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { canEmailContact, createGhlClient } from '../../../src/providers/ghl/client.js';
import { parseGhlWebhook } from '../../../src/providers/ghl/webhook.js';
import * as schemas from '../../../src/providers/ghl/schemas.js';
import { createHttpPolicy } from '../../../src/providers/http/policy.js';
import { startGhlSandbox, type GhlSandbox, type GhlSandboxOptions } from '../../../src/providers/sandbox/ghl/server.js';
import { sandboxStateFile } from '../../../src/providers/sandbox/state-file.js';
import { contractFixture } from '../../support/contracts.js';

const KEY = 'pit-test-ghl-token-0123456789';
const LOCATION = 'loc0Example0000000001';
const CALENDAR = 'cal0Example0000000001';
const MAYA = { id: 'ctc0Example0000000001', email: 'maya.rivera@northwind-agency.example.com', firstName: 'Maya', lastName: 'Rivera', tags: ['nurture', 'status-in-sequence'], dateUpdated: '2026-01-10T12:00:00.000Z' };
const fixture = (name: string) => contractFixture('ghl', name) as ReturnType<typeof contractFixture> & { request: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string> } };

describe('GHL client against the loopback sandbox', () => {
  let sandbox: GhlSandbox | undefined;
  const start = async (options: GhlSandboxOptions = {}) => {
    sandbox = await startGhlSandbox({ apiKey: KEY, locationId: LOCATION, calendars: [{ id: CALENDAR }], seedContacts: [MAYA], ...options });
    return { sandbox, client: createGhlClient({ baseUrl: sandbox.url, apiKey: KEY, locationId: LOCATION }) };
  };
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  const failure = async (promise: Promise<unknown>): Promise<AppError> => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(KEY);
    return error;
  };
  const raw = (path: string, init: { method: string; version: string; body?: unknown }) =>
    fetch(`${sandbox!.url}${path}`, { method: init.method, headers: { authorization: `Bearer ${KEY}`, version: init.version, 'content-type': 'application/json' }, body: init.body === undefined ? null : JSON.stringify(init.body) });

  it('creates a contact, and answers a duplicate e-mail with the existing id instead of failing', async () => {
    const { client, sandbox } = await start();
    const created = await client.createContact({ email: 'priya.natarajan@lumen-logistics.example.com', firstName: 'Priya', tags: ['caio'] });
    expect(created).toMatchObject({ created: true, contact: { tags: ['caio'], locationId: LOCATION } });
    const duplicate = await client.createContact({ email: 'MAYA.rivera@northwind-agency.example.com', firstName: 'Maya' });
    expect(duplicate).toMatchObject({ created: false, contactId: MAYA.id });
    expect(sandbox.contacts()).toHaveLength(2);
  });

  it('finds by e-mail (a + is encoded), null when none; reads by id, null when unknown', async () => {
    const { client } = await start({ seedContacts: [{ ...MAYA, email: 'maya+crm@northwind-agency.example.com' }] });
    expect((await client.findContactByEmail('maya+crm@northwind-agency.example.com'))?.id).toBe(MAYA.id);
    expect(await client.findContactByEmail('nobody@example.com')).toBeNull();
    expect((await client.getContact(MAYA.id))?.email).toBe('maya+crm@northwind-agency.example.com');
    expect(await client.getContact('ctc-missing')).toBeNull();
    // GET treats `search` as an id and answers 400 "Contact with id search not found".
    expect(await client.getContact('search')).toBeNull();
  });

  it('upserts (tags merged), updates without locationId, and adds/removes tags with a DELETE body', async () => {
    const { client, sandbox } = await start();
    const upserted = await client.upsertContact({ email: MAYA.email, tags: ['caio'] });
    expect(upserted).toMatchObject({ created: false, contactId: MAYA.id });
    expect(upserted.contact.tags).toEqual(['nurture', 'status-in-sequence', 'caio']);
    expect((await client.upsertContact({ email: 'new@example.com' })).created).toBe(true);
    expect((await client.updateContact(MAYA.id, { companyName: 'Northwind', locationId: LOCATION } as never)).companyName).toBe('Northwind');
    expect((await raw(`/contacts/${MAYA.id}`, { method: 'PUT', version: '2021-07-28', body: { locationId: LOCATION } })).status).toBe(422);
    expect(await client.addTags(MAYA.id, ['status-replied'])).toContain('status-replied');
    expect(await client.removeTags(MAYA.id, ['status-in-sequence', 'caio'])).toEqual(['nurture', 'status-replied']);
    expect(sandbox.contacts().find((c) => c.id === MAYA.id)?.tags).toEqual(['nurture', 'status-replied']);
    expect((await raw(`/contacts/${MAYA.id}/tags`, { method: 'DELETE', version: '2021-07-28' })).status).toBe(422);
  });

  it('searches by tag and dateUpdated range, sorted, and pages with searchAfter', async () => {
    const stale = (n: number, day: string) => ({ email: `lead${n}@example.com`, tags: ['nurture'], dateUpdated: `2026-01-${day}T00:00:00.000Z` });
    const { client } = await start({ seedContacts: [stale(1, '05'), stale(2, '01'), stale(3, '20'), { email: 'other@example.com', tags: ['cold'], dateUpdated: '2026-01-01T00:00:00.000Z' }] });
    const filters = [
      { field: 'tags', operator: 'eq' as const, value: 'nurture' },
      { field: 'dateUpdated', operator: 'range' as const, value: { lte: '2026-01-15T00:00:00.000Z' } },
    ];
    const sort = [{ field: 'dateUpdated', direction: 'asc' as const }];
    const all = await client.searchContacts({ filters, sort, pageLimit: 10 });
    expect(all.total).toBe(2);
    expect(all.contacts.map((c) => c.email)).toEqual(['lead2@example.com', 'lead1@example.com']);
    const first = await client.searchContacts({ filters, sort, pageLimit: 1 });
    const second = await client.searchContacts({ filters, sort, pageLimit: 1, searchAfter: first.searchAfter ?? [] });
    expect([first.contacts[0]?.email, second.contacts[0]?.email]).toEqual(['lead2@example.com', 'lead1@example.com']);
    expect((await failure(client.searchContacts({ filters: [{ field: 'tag', operator: 'eq', value: 'x' }] }))).code).toBe('PROVIDER_BAD_REQUEST');
  });

  it('sends e-mail with the conversations Version, refusing a location id as emailFrom and DND contacts', async () => {
    const { client, sandbox } = await start({ seedContacts: [MAYA, { email: 'dnd@example.com', dndSettings: { Email: { status: 'active' } } }] });
    const sent = await client.sendEmail({ contactId: MAYA.id, subject: 'Hello', html: '<p>Hi</p>', emailFrom: 'Jordan <jordan@nurture.example.com>' });
    expect(sent.msg).toBe('Message queued successfully.');
    expect(sandbox.sentEmails()).toMatchObject([{ contactId: MAYA.id, to: MAYA.email, subject: 'Hello', messageId: sent.messageId }]);
    expect((await failure(client.sendEmail({ contactId: MAYA.id, subject: 's', html: 'h', emailFrom: LOCATION }))).code).toBe('INVALID_INPUT');
    expect((await raw('/conversations/messages', { method: 'POST', version: '2021-04-15', body: { type: 'Email', contactId: MAYA.id, html: 'h', emailFrom: LOCATION } })).status).toBe(422);
    // The original sent 2021-07-28 to conversations (contracts/ghl.md quirk 1).
    expect((await raw('/conversations/messages', { method: 'POST', version: '2021-07-28', body: { type: 'Email', contactId: MAYA.id, html: 'h' } })).status).toBe(400);
    const dnd = sandbox.contacts().find((c) => c.email === 'dnd@example.com')!;
    expect(canEmailContact(schemas.GhlContactSchema.parse(dnd))).toBe(false);
    expect(await failure(client.sendEmail({ contactId: dnd.id, subject: 's', html: 'h' }))).toMatchObject({ code: 'PROVIDER_BAD_REQUEST', details: { reason: 'dnd' } });
    expect(sandbox.sentEmails()).toHaveLength(1);
  });

  it("a reply to a nurture e-mail joins its thread and is posted by the workflow's Custom Webhook action with its headers, in the contract's InboundMessage shape", async () => {
    const { client, sandbox } = await start();
    await expect(sandbox.receiveReply({ email: MAYA.email, html: '<p>Hi</p>' }), 'no e-mail was sent to her yet').rejects.toThrow(/sent an e-mail/);
    const sent = await client.sendEmail({ contactId: MAYA.id, subject: 'Picking our conversation back up', html: '<p>Hi Maya</p>', emailFrom: 'Jordan <jordan@nurture.example.com>' });
    const received: { headers: Record<string, string | string[] | undefined>; body: unknown }[] = [];
    const { createServer } = await import('node:http');
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(text) });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as { port: number }).port;
      const none = await sandbox.receiveReply({ email: MAYA.email, html: '<div>Thursday?</div>' });
      expect(none.status, 'no workflow: nothing posted').toBe(0);
      sandbox.setWorkflowWebhook({ url: `http://127.0.0.1:${port}/webhooks/ghl`, headers: { 'X-Caio-Webhook-Token': 'tok-0123456789abcdef' } });
      const { message, status } = await sandbox.receiveReply({ email: MAYA.email, html: '<div>Thanks Jordan, could we move it to Thursday?</div>' });
      expect(status).toBe(202);
      expect(received).toHaveLength(1);
      expect(received[0]!.headers['x-caio-webhook-token']).toBe('tok-0123456789abcdef');
      expect(received[0]!.body).toEqual(message);
      expect(message).toMatchObject({
        type: 'InboundMessage',
        direction: 'inbound',
        messageType: 'Email',
        contactId: MAYA.id,
        conversationId: sent.conversationId,
        threadId: sent.emailMessageId,
        subject: 'Re: Picking our conversation back up',
        from: `Maya Rivera <${MAYA.email}>`,
        to: ['jordan@nurture.example.com'],
      });
      expect(message.emailMessageId).not.toBe(none.message.emailMessageId);
      expect(none.message.threadId, 'both replies in the one thread').toBe(sent.emailMessageId);
      // Every field the contract's InboundMessage example has that a workflow can fill, and what our webhook reads.
      const contract = Object.keys(fixture('webhook.inbound_message.email.json').request.body as object).filter((k) => !['timestamp', 'webhookId', 'conversationProviderId'].includes(k));
      expect(Object.keys(message)).toEqual(expect.arrayContaining(contract));
      expect(parseGhlWebhook(message, { receivedAt: new Date() })).toMatchObject({ ok: true, signal: { email: MAYA.email, type: 'email_replied' } });
      expect(sandbox.inboundMessages()).toHaveLength(2);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('answers in the thread (threadId, the e-mail answered, reply mode; no status/subType asked for), reads it back from the conversation, and refuses a thread the contact does not have', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ghl-thread-'));
    const state = sandboxStateFile(join(dir, 'ghl.json'));
    const { client, sandbox } = await start({ state });
    const first = await client.sendEmail({ contactId: MAYA.id, subject: 'Picking our conversation back up', html: '<p>Hi Maya</p>' });
    const { message } = await sandbox.receiveReply({ email: MAYA.email, html: '<p>Tell me more.</p>' });
    const answer = { contactId: MAYA.id, threadId: message.threadId, replyMessageId: message.emailMessageId, subject: 'Re: Picking our conversation back up', html: '<p>Gladly.</p>', text: 'Gladly.' };
    // A thread or message that is not the contact's is refused before anything is sent (400, no retry).
    expect((await failure(client.replyInThread({ ...answer, threadId: 'eml-not-a-thread' }))).code).toBe('PROVIDER_BAD_REQUEST');
    expect((await failure(client.replyInThread({ ...answer, replyMessageId: first.messageId + '-x' }))).code).toBe('PROVIDER_BAD_REQUEST');
    expect((await failure(client.replyInThread({ ...answer, threadId: ' ' }))).code).toBe('INVALID_INPUT');
    const mode = await raw('/conversations/messages', {
      method: 'POST',
      version: '2021-04-15',
      body: { type: 'Email', contactId: MAYA.id, html: '<p>x</p>', threadId: message.threadId, replyMessageId: message.emailMessageId, emailReplyMode: 'forward' },
    });
    expect(mode.status).toBe(422);
    expect(sandbox.sentEmails()).toHaveLength(1);

    const sent = await client.replyInThread(answer);
    expect(sent.conversationId).toBe(message.conversationId);
    expect(sandbox.sentEmails().at(-1)).toMatchObject({ threadId: message.threadId, replyMessageId: message.emailMessageId, emailReplyMode: 'reply', text: 'Gladly.', conversationId: message.conversationId });

    // The read-back: the conversation's e-mails newest first, each read by its e-mail id for the message it answered.
    const page = await client.conversationEmails(message.conversationId, { limit: 2 });
    expect(page.messages.map((m) => [m.id, m.direction])).toEqual([
      [sent.messageId, 'outbound'],
      [message.messageId, 'inbound'],
    ]);
    expect(page.nextPage).toBe(true);
    const rest = await client.conversationEmails(message.conversationId, { lastMessageId: page.lastMessageId! });
    expect(rest.messages.map((m) => m.id)).toEqual([first.messageId]);
    expect(rest.nextPage).toBe(false);
    expect(page.messages[0]!.meta?.email?.messageIds).toEqual(expect.arrayContaining([first.emailMessageId, message.emailMessageId, sent.emailMessageId]));
    expect(await client.emailMessage(sent.emailMessageId!)).toMatchObject({ threadId: message.threadId, replyToMessageId: message.emailMessageId, direction: 'outbound' });
    expect(await client.emailMessage('eml-unknown')).toBeNull();

    // The thread outlives the process (the state file), and a later reply stays in it.
    await sandbox.close();
    const again = await start({ state });
    expect((await again.client.conversationEmails(message.conversationId)).messages).toHaveLength(3);
    const { message: later } = await again.sandbox.receiveReply({ email: MAYA.email, html: '<p>Thanks!</p>' });
    expect(later.threadId).toBe(message.threadId);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a conversation page in both documented shapes (top-level and wrapped in `messages`)', () => {
    const page = { lastMessageId: 'm2', nextPage: false, messages: [{ id: 'm2', direction: 'outbound', messageType: 'TYPE_EMAIL', meta: { email: { messageIds: ['e1', 'e2'] } } }] };
    expect(schemas.ConversationMessagesResponseSchema.parse(page)).toMatchObject(page);
    expect(schemas.ConversationMessagesResponseSchema.parse({ messages: page })).toMatchObject(page);
    expect(() => schemas.ConversationMessagesResponseSchema.parse({ messages: 'none' })).toThrow();
  });

  it('lists free slots from epoch ms (31 days at most) and books one, which is then taken', async () => {
    const { client, sandbox } = await start();
    const range = { startDate: new Date('2026-03-15T06:00:00Z'), endDate: new Date('2026-03-17T06:00:00Z'), timezone: 'America/Denver' };
    const days = await client.freeSlots(CALENDAR, range);
    expect(days.map((d) => d.date)).toEqual(['2026-03-16']); // Sunday is off; traceId is skipped
    expect(days[0]?.slots[0]).toBe('2026-03-16T09:00:00-06:00');
    expect(days[0]?.slots).toHaveLength(16);
    const booked = await client.bookAppointment({ calendarId: CALENDAR, contactId: MAYA.id, startTime: '2026-03-16T14:00:00-06:00', title: 'Intro call' });
    expect(booked).toMatchObject({ calendarId: CALENDAR, locationId: LOCATION, endTime: '2026-03-16T14:30:00-06:00' });
    expect(sandbox.appointments()).toHaveLength(1);
    expect((await client.freeSlots(CALENDAR, range))[0]?.slots).not.toContain('2026-03-16T14:00:00-06:00');
    expect((await failure(client.bookAppointment({ calendarId: CALENDAR, contactId: MAYA.id, startTime: '2026-03-16T14:00:00-06:00' }))).code).toBe('PROVIDER_BAD_REQUEST');
    expect((await failure(client.freeSlots(CALENDAR, { startDate: 0, endDate: 32 * 86_400_000 }))).code).toBe('INVALID_INPUT');
    const seconds = await raw(`/calendars/${CALENDAR}/free-slots?startDate=1773554400&endDate=1773727200`, { method: 'GET', version: '2021-04-15' });
    expect(seconds.status).toBe(422);
  });

  it('maps a bad token to PROVIDER_AUTH without the token, 5xx to PROVIDER_UNAVAILABLE, junk to PROVIDER_BAD_RESPONSE', async () => {
    const { sandbox, client } = await start({ failures: { status5xx: { count: 1, status: 502 } } });
    expect(await failure(client.getContact(MAYA.id))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    const wrong = createGhlClient({ baseUrl: sandbox.url, apiKey: 'pit-wrong-token-abcdef', locationId: LOCATION });
    const auth = await failure(wrong.getContact(MAYA.id));
    expect(auth.code).toBe('PROVIDER_AUTH');
    expect(auth.message).not.toContain('pit-wrong-token-abcdef');
    sandbox.setFailures({ malformed: { count: 2, kind: 'wrong_shape' } });
    expect((await failure(client.addTags(MAYA.id, ['x']))).code).toBe('PROVIDER_BAD_RESPONSE');
    expect((await failure(client.getContact(MAYA.id))).code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('emits the rate-limit headers and answers 429 past the burst; a retrying policy honours Retry-After', async () => {
    const { sandbox, client } = await start({ rateLimit: { max: 2, intervalMs: 60_000 } });
    const res = await raw(`/contacts/${MAYA.id}`, { method: 'GET', version: '2021-07-28' });
    expect(res.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(['x-ratelimit-limit-daily', 'x-ratelimit-daily-remaining', 'x-ratelimit-interval-milliseconds', 'x-ratelimit-max'].every((h) => res.headers.has(h))).toBe(true);
    await client.getContact(MAYA.id);
    expect(await failure(client.getContact(MAYA.id))).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', details: { retryAfterSeconds: 60 } });
    await sandbox.close();

    const waits: number[] = [];
    const second = await start({ failures: { status429: { count: 1, retryAfterSeconds: 3 } } });
    const policy = createHttpPolicy({ provider: 'ghl', retries: 2, sleep: async (ms) => void waits.push(ms), secrets: [KEY] });
    const patient = createGhlClient({ baseUrl: second.sandbox.url, apiKey: KEY, locationId: LOCATION, policy });
    expect(await patient.addTags(MAYA.id, ['status-replied'])).toContain('status-replied');
    expect(waits).toEqual([3000]);
  });

  it('parses every fixture response with the client schemas', () => {
    const body = (name: string) => fixture(name).response.body;
    expect(schemas.DuplicateLookupResponseSchema.parse(body('contact-duplicate-lookup.json')).contact?.id).toBe(MAYA.id);
    expect(schemas.ContactSearchResponseSchema.parse(body('contacts-search.json')).total).toBe(1);
    expect(schemas.ContactResponseSchema.parse(body('create-contact.json')).contact.tags).toEqual(['caio', 'tier_2']);
    expect(schemas.UpsertContactResponseSchema.parse(body('upsert-contact.json')).new).toBe(false);
    expect(schemas.TagsResponseSchema.parse(body('add-tags.json')).tags).toContain('status-replied');
    expect(schemas.TagsResponseSchema.parse(body('remove-tags.json')).tags).not.toContain('status-in-sequence');
    expect(schemas.SendMessageResponseSchema.parse(body('send-email.json')).messageId).toBe('msg0Example0000000001');
    expect(schemas.FreeSlotsResponseSchema.parse(body('free-slots.json')).map((d) => d.date)).toEqual(['2026-03-15', '2026-03-16']);
    expect(schemas.AppointmentSchema.parse(body('create-appointment.json')).id).toBe('apt0Example0000000001');
    expect(schemas.UpdateContactResponseSchema.parse({ succeded: true, contact: (body('upsert-contact.json') as { contact: unknown }).contact }).contact.id).toBe(MAYA.id);
  });

  it('answers each fixture request with the fixture status and keys', async () => {
    await start();
    const names = ['contact-duplicate-lookup', 'contacts-search', 'create-contact', 'create-contact.error-400-duplicate', 'upsert-contact', 'add-tags', 'remove-tags', 'send-email', 'free-slots', 'create-appointment', 'error-401'];
    for (const name of names) {
      const { request, response } = fixture(`${name}.json`);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, v.replace('<GHL_PRIVATE_INTEGRATION_TOKEN>', KEY)]));
      const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
      const res = await fetch(`${sandbox!.url}${request.path}${query}`, { method: request.method, headers, body: request.body === undefined ? null : JSON.stringify(request.body) });
      const answer = (await res.json()) as Record<string, unknown>;
      expect([name, res.status]).toEqual([name, response.status]);
      const keys = Object.keys(response.body as object).filter((k) => !/^\d{4}-\d{2}-\d{2}$/.test(k));
      expect(Object.keys(answer)).toEqual(expect.arrayContaining(keys));
    }
    expect(sandbox!.appointments()[0]?.startTime).toBe('2026-03-16T14:00:00-06:00');
  });
});
