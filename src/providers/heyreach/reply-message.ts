import { AppError, isAppError } from '../../lib/app-error.js';
import type { LookupResult, OutboxItem } from '../../dispatch/ports.js';
import { beforeTheLead } from '../http/before-the-send.js';
import type { HeyReachClient } from './client.js';

/** The outbox step of an answer in a prospect's LinkedIn conversation (issue 17 item 3). */
export const REPLY_STEP = 'reply';

const profileOf = (item: OutboxItem) => item.payload.thread?.profileUrl ?? item.recipient;

/**
 * An answer in the lead's LinkedIn conversation (contracts/heyreach.md "Reply"): the conversation
 * is fetched fresh (ids go stale between sessions), then SendMessage with the account that owns it,
 * the last call. A 404 on the send is a stale id: nothing was sent, so the list is read again and
 * the send tried once more with the fresh id. Everything before the send fails as "surely not sent".
 */
export const deliverLinkedInReply = async (client: HeyReachClient, item: OutboxItem): Promise<{ providerRef: string }> => {
  const message = item.body ?? '';
  if (!message.trim()) throw new AppError('PROVIDER_BAD_REQUEST', 'heyreach reply: the message is empty', { details: { provider: 'heyreach', reason: 'empty_message' } });
  const fresh = async () => {
    const conversation = await beforeTheLead('heyreach', 'reading the conversation', () => client.conversationOf(profileOf(item)));
    if (!conversation) throw new AppError('PROVIDER_BAD_REQUEST', 'heyreach reply: HeyReach holds no conversation with this lead', { details: { provider: 'heyreach', reason: 'no_conversation' } });
    return conversation;
  };
  let conversation = await fresh();
  try {
    await client.sendMessage({ conversationId: conversation.id, linkedInAccountId: conversation.linkedInAccountId, message });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'NOT_FOUND') throw error;
    conversation = await fresh();
    await client.sendMessage({ conversationId: conversation.id, linkedInAccountId: conversation.linkedInAccountId, message });
  }
  return { providerRef: `heyreach:conversation:${conversation.id}` };
};

/** Our message in the conversation, after the item was claimed: the look before anything is sent again. */
export const lookupLinkedInReply = async (client: HeyReachClient, item: OutboxItem): Promise<LookupResult> => {
  const conversation = await client.conversationOf(profileOf(item));
  if (!conversation) return { found: false };
  const since = item.claimedAt?.getTime() ?? 0;
  const mine = conversation.messages.find((m) => m.sender === 'ME' && m.body === (item.body ?? '') && (!m.createdAt || Date.parse(m.createdAt) >= since - 60_000));
  return mine ? { found: true, providerRef: `heyreach:conversation:${conversation.id}` } : { found: false };
};
