import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../../../src/dispatch/ports.js';
import type { GhlClient } from '../../../src/providers/ghl/client.js';
import type { GhlEmailMessage, GhlMessagesPage } from '../../../src/providers/ghl/schemas.js';
import { createGhlChannel } from '../../../src/providers/ghl/outbound-channel.js';

/*
 * The read-back of an uncertain answer in a GoHighLevel thread decides between "sent", "absent"
 * (sent again, once) and "cannot say" (a person decides). `replyToMessageId` is optional in the
 * contract, so an outbound e-mail of the thread that does not say what it answers may be ours:
 * then the answer is never "absent".
 */
const THREAD = { contactId: 'c1', threadId: 'e-root', replyMessageId: 'e-their-reply', conversationId: 'conv-1' };
const item = { step: 'reply', payload: { thread: THREAD } } as unknown as OutboxItem;

const channelOver = (emails: GhlEmailMessage[]) => {
  const page = { messages: [{ id: 'm1', direction: 'outbound', meta: { email: { messageIds: emails.map((e) => e.id) } } }], nextPage: false, lastMessageId: null } as unknown as GhlMessagesPage;
  const client = { conversationEmails: async () => page, emailMessage: async (id: string) => emails.find((e) => e.id === id) ?? null } as unknown as GhlClient;
  return createGhlChannel({ client });
};

describe('the GoHighLevel answer read-back', () => {
  it('finds our answer by the message it answers', async () => {
    const channel = channelOver([
      { id: 'e-root', direction: 'outbound' },
      { id: 'e-ours', direction: 'outbound', replyToMessageId: 'e-their-reply' },
    ] as GhlEmailMessage[]);
    expect(await channel.lookup?.(item)).toEqual({ found: true, providerRef: 'ghl:message:m1' });
  });

  it('says absent when every outbound e-mail of the thread is the nurture e-mail or answers another message', async () => {
    const channel = channelOver([
      { id: 'e-root', direction: 'outbound' },
      { id: 'e-older', direction: 'outbound', replyToMessageId: 'e-an-older-reply' },
    ] as GhlEmailMessage[]);
    expect(await channel.lookup?.(item)).toEqual({ found: false });
  });

  it('cannot say when an outbound e-mail after the first does not name what it answers: never sent again blindly', async () => {
    const channel = channelOver([
      { id: 'e-root', direction: 'outbound' },
      { id: 'e-unnamed', direction: 'outbound' },
    ] as GhlEmailMessage[]);
    expect(await channel.lookup?.(item)).toEqual({ found: 'unknown' });
  });
});
