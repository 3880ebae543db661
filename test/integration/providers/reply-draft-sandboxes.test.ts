import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createGhlClient } from '../../../src/providers/ghl/client.js';
import { createHeyReachClient } from '../../../src/providers/heyreach/client.js';
import { deliverLinkedInReply, lookupLinkedInReply } from '../../../src/providers/heyreach/reply-message.js';
import { createHttpPolicy } from '../../../src/providers/http/policy.js';
import { createInstantlyClient } from '../../../src/providers/instantly/client.js';
import { startGhlSandbox } from '../../../src/providers/sandbox/ghl/server.js';
import { startHeyReachSandbox } from '../../../src/providers/sandbox/heyreach/server.js';
import { startInstantlySandbox } from '../../../src/providers/sandbox/instantly/server.js';
import type { OutboxItem } from '../../../src/dispatch/ports.js';

/**
 * The sandbox endpoints a suggested answer needs (issue 17 items 3 and 7), per the contracts, with
 * the clients that call them: Instantly's reply in a thread, HeyReach's conversations and messages,
 * GoHighLevel's free slots; each with failure injection.
 */
const failure = async (promise: Promise<unknown>): Promise<AppError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};
const noRetry = (provider: string, secret: string) => createHttpPolicy({ provider, timeoutMs: 2000, retries: 0, secrets: [secret] });

describe('reply-draft sandboxes', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it('Instantly POST /emails/reply answers a received e-mail from a connected account; 400 for a missing field or a foreign account, 404 for an unknown id; not repeated after a 5xx', async () => {
    const sandbox = await startInstantlySandbox({ apiKey: 'inst-key-reply-1' });
    closers.push(sandbox.close);
    const client = createInstantlyClient({ baseUrl: sandbox.url, apiKey: 'inst-key-reply-1', policy: createHttpPolicy({ provider: 'instantly', timeoutMs: 2000, retries: 3, secrets: ['inst-key-reply-1'] }) });
    const received = sandbox.receiveEmail({ lead: 'maya@acme.example.com', eaccount: 'alex@outreach-one.example.com', subject: 'Re: AI at Acme', text: 'Send times.' });
    const sent = await client.replyToEmail({ replyToUuid: received.id, eaccount: 'alex@outreach-one.example.com', subject: 'Re: AI at Acme', text: 'Hi Maya' });
    expect(sent).toMatchObject({ replyToUuid: received.id, threadId: received.thread_id, subject: 'Re: AI at Acme' });
    expect(await client.sentInThread(received.thread_id)).toEqual([sent]);
    expect((await failure(client.replyToEmail({ replyToUuid: 'no-such-email', eaccount: 'alex@outreach-one.example.com', subject: 'Re:', text: 'x' }))).code).toBe('NOT_FOUND');
    expect((await failure(client.replyToEmail({ replyToUuid: received.id, eaccount: 'someone@else.example.com', subject: 'Re:', text: 'x' }))).code).toBe('PROVIDER_BAD_REQUEST');
    const missing = await fetch(`${sandbox.url}/emails/reply`, {
      method: 'POST',
      headers: { authorization: 'Bearer inst-key-reply-1', 'content-type': 'application/json' },
      body: JSON.stringify({ reply_to_uuid: received.id, eaccount: 'alex@outreach-one.example.com', body: { text: 'x' } }),
    });
    expect(missing.status).toBe(400);
    // A 5xx may have reached Instantly: the client (retries 3) does not send it again.
    sandbox.setFailures({ status5xx: { count: 1 }, path: '/api/v2/emails/reply' });
    const uncertain = await failure(client.replyToEmail({ replyToUuid: received.id, eaccount: 'alex@outreach-one.example.com', subject: 'Re:', text: 'again' }));
    expect(uncertain).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: expect.objectContaining({ uncertain: true }) });
    expect(sandbox.sentReplies()).toHaveLength(1);
  });

  it('HeyReach GetConversationsV2 filters by profile; SendMessage needs the owning account, 404s a stale id, and the reply path fetches a fresh one', async () => {
    const sandbox = await startHeyReachSandbox({ apiKey: 'hr-key-reply-1' });
    closers.push(sandbox.close);
    const client = createHeyReachClient({ baseUrl: sandbox.url, apiKey: 'hr-key-reply-1', policy: noRetry('heyreach', 'hr-key-reply-1') });
    const profileUrl = 'https://www.linkedin.com/in/jo-park-example';
    const first = sandbox.receiveMessage({ profileUrl, firstName: 'Jo', lastName: 'Park', text: 'Tell me more' });
    sandbox.receiveMessage({ profileUrl: 'https://www.linkedin.com/in/someone-else', firstName: 'Sam', lastName: 'Roe', text: 'Hi' });
    const conversation = await client.conversationOf('linkedin.com/in/jo-park-example/');
    expect(conversation).toMatchObject({ id: first.id, linkedInAccountId: 55101, lastMessageSender: 'CORRESPONDENT' });
    expect(await client.conversationOf('https://www.linkedin.com/in/nobody')).toBeNull();
    expect((await failure(client.sendMessage({ conversationId: first.id, linkedInAccountId: 1, message: 'x' }))).code).toBe('PROVIDER_AUTH');
    sandbox.rotateConversationIds();
    expect((await failure(client.sendMessage({ conversationId: first.id, linkedInAccountId: 55101, message: 'x' }))).code).toBe('NOT_FOUND');
    expect(sandbox.sentMessages()).toHaveLength(0);

    const item = { id: 'o-1', step: 'reply', recipient: 'linkedin.com/in/jo-park-example', body: 'Hi Jo, here are some times.', payload: { thread: { profileUrl } }, claimedAt: new Date() } as unknown as OutboxItem;
    expect(await lookupLinkedInReply(client, item)).toEqual({ found: false });
    const { providerRef } = await deliverLinkedInReply(client, item);
    expect(providerRef).not.toContain(first.id);
    expect(sandbox.sentMessages()).toEqual([expect.objectContaining({ message: 'Hi Jo, here are some times.', linkedInAccountId: 55101 })]);
    expect(await lookupLinkedInReply(client, item)).toMatchObject({ found: true });

    // The conversation read fails: surely not sent (the item waits), no message.
    sandbox.setFailures({ status5xx: { count: 5 }, path: '/api/public/inbox/GetConversationsV2' });
    const notSent = await failure(deliverLinkedInReply(client, item));
    expect(notSent).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: expect.objectContaining({ uncertain: false }) });
    expect(sandbox.sentMessages()).toHaveLength(1);
  });

  it('GoHighLevel calendar free-slots: working hours, booked slots left out, a 5xx injected', async () => {
    const sandbox = await startGhlSandbox({ calendars: [{ id: 'cal-1', timezone: 'America/New_York', hours: [9, 11], slotMinutes: 60 }] });
    closers.push(sandbox.close);
    const client = createGhlClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey, locationId: sandbox.locationId, policy: noRetry('ghl', sandbox.apiKey) });
    // Monday 2026-11-23 and Tuesday, in New York (EST, UTC-5): 09:00 and 10:00 each day.
    const range = { startDate: new Date('2026-11-23T00:00:00Z'), endDate: new Date('2026-11-25T00:00:00Z'), timezone: 'America/New_York' };
    const days = await client.freeSlots('cal-1', range);
    expect(days.flatMap((d) => d.slots)).toEqual(['2026-11-23T09:00:00-05:00', '2026-11-23T10:00:00-05:00', '2026-11-24T09:00:00-05:00', '2026-11-24T10:00:00-05:00']);
    const contact = await client.upsertContact({ email: 'booked@acme.example.com' });
    await client.bookAppointment({ calendarId: 'cal-1', contactId: contact.contactId, startTime: '2026-11-23T09:00:00-05:00' });
    expect((await client.freeSlots('cal-1', range)).flatMap((d) => d.slots)).not.toContain('2026-11-23T09:00:00-05:00');
    sandbox.setFailures({ status5xx: { count: 1 }, path: '/calendars/cal-1/free-slots' });
    expect((await failure(client.freeSlots('cal-1', range))).code).toBe('PROVIDER_UNAVAILABLE');
  });
});
