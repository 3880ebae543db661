import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import type { LookupResult, OutboundChannel, OutboxItem } from '../../dispatch/ports.js';
import type { GhlClient } from './client.js';

/** The outbox step of an answer in a prospect's thread (issue 17 item 3). */
const REPLY_STEP = 'reply';
/** How many pages of a conversation (20 e-mails each) the read-back of an uncertain answer reads before it says it cannot tell. */
const READ_BACK_PAGES = 5;

/**
 * The thread a GoHighLevel answer goes in, as the reply sender froze it in the item's payload
 * (signals/reply-drafts.ts, from the InboundMessage: providers/ghl/webhook.ts `ghlThreadOf`). Read
 * with a schema: the payload is the outbox's JSON, written before this process started.
 */
const GhlReplyThreadSchema = z.object({
  contactId: z.string().min(1),
  threadId: z.string().min(1),
  replyMessageId: z.string().min(1),
  conversationId: z.string().min(1).nullable().optional(),
});
type GhlReplyThread = z.infer<typeof GhlReplyThreadSchema>;

const threadOf = (item: OutboxItem): GhlReplyThread | null => {
  const parsed = GhlReplyThreadSchema.safeParse(item.payload.thread);
  return parsed.success ? parsed.data : null;
};

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Our answer is plain text (a reviewer edits text): as HTML, each paragraph a <p>, each line break a <br>, nothing of it read as markup. */
export const answerHtml = (text: string): string =>
  text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/\n/g, '<br>')}</p>`)
    .join('');

/** `Re: <subject>` of the thread (contracts/ghl.md "Where threadId / replyMessageId come from"), never `Re: Re:`. */
const replySubject = (subject: string | null) => {
  const s = (subject ?? '').trim();
  return /^re:/i.test(s) ? s : `Re: ${s}`.trim();
};

/**
 * GoHighLevel as an outbound e-mail channel (nurture, revival, single-draft approval sends): find
 * or create the contact, then send through Conversations. GHL sends at once, so the gateway checks
 * business hours for this channel. GHL cannot tell us afterwards whether a new e-mail went out, so
 * an uncertain send is handed to a person, never resent.
 *
 * An answer to a nurture reply (step `reply`) goes in the prospect's thread: the contact, the
 * thread and the e-mail answered come from their InboundMessage, `emailReplyMode: reply`. That one
 * GoHighLevel can tell us about: an uncertain answer is looked for among the conversation's e-mails
 * (the one whose `replyToMessageId` is the message answered) before anything is sent again.
 */
export const createGhlChannel = (deps: { client: GhlClient }): OutboundChannel => {
  const deliverReply = async (item: OutboxItem) => {
    const thread = threadOf(item);
    if (!thread) throw new AppError('PROVIDER_BAD_REQUEST', 'ghl reply: the thread is unknown (no contact, thread or message id in the reply delivery)', { details: { provider: 'ghl', reason: 'thread_unknown' } });
    if (!item.body?.trim()) throw new AppError('PROVIDER_BAD_REQUEST', 'a GHL answer needs a body', { details: { provider: 'ghl', reason: 'empty_message' } });
    const sent = await deps.client.replyInThread({
      contactId: thread.contactId,
      threadId: thread.threadId,
      replyMessageId: thread.replyMessageId,
      subject: replySubject(item.subject),
      html: answerHtml(item.body),
      text: item.body,
      ...(item.sender ? { emailFrom: item.sender } : {}),
    });
    return { providerRef: `ghl:message:${sent.messageId}` };
  };

  /**
   * Our answer in the thread, looked for before anything is sent again: the conversation's outbound
   * e-mails, newest first, each read by its e-mail id for the message it answered. Without the
   * conversation's id, or past the pages read, GoHighLevel cannot say (a person decides).
   */
  const lookupReply = async (item: OutboxItem): Promise<LookupResult> => {
    const thread = threadOf(item);
    if (!thread?.conversationId) return { found: 'unknown' };
    let lastMessageId: string | undefined;
    // `meta.email.messageIds` lists every e-mail of the thread: each is read once.
    const seen = new Set<string>();
    // The contract marks `replyToMessageId` optional: an outbound e-mail that does not say what it
    // answers (or cannot be read) may be ours, so the answer is then "cannot say", never "absent".
    // The thread's first e-mail (its id is the thread's id) is the nurture e-mail itself, not an answer.
    let unsure = false;
    for (let page = 0; page < READ_BACK_PAGES; page++) {
      const answer = await deps.client.conversationEmails(thread.conversationId, lastMessageId ? { lastMessageId } : {});
      for (const message of answer.messages) {
        if (message.direction !== 'outbound') continue;
        for (const emailId of message.meta?.email?.messageIds ?? []) {
          if (seen.has(emailId)) continue;
          seen.add(emailId);
          const email = await deps.client.emailMessage(emailId);
          if (email?.replyToMessageId === thread.replyMessageId && (email.direction ?? 'outbound') === 'outbound') return { found: true, providerRef: `ghl:message:${message.id}` };
          if (!email?.replyToMessageId && emailId !== thread.threadId && (email?.direction ?? 'outbound') === 'outbound') unsure = true;
        }
      }
      if (!answer.nextPage || !answer.lastMessageId) return { found: unsure ? 'unknown' : false };
      lastMessageId = answer.lastMessageId;
    }
    return { found: 'unknown' };
  };

  return {
    name: 'ghl',
    deliver: async (item) => {
      if (item.step === REPLY_STEP) return deliverReply(item);
      const email = item.recipient;
      const existing = await deps.client.findContactByEmail(email);
      const contactId =
        existing?.id ??
        (
          await deps.client.createContact({
            email,
            ...(item.payload.firstName ? { firstName: item.payload.firstName } : {}),
            ...(item.payload.lastName ? { lastName: item.payload.lastName } : {}),
            ...(item.payload.companyName ? { companyName: item.payload.companyName } : {}),
            source: 'caio-alpha-swarm',
          })
        ).contactId;
      if (!item.subject || !item.body) throw new AppError('PROVIDER_BAD_REQUEST', 'a GHL e-mail needs a subject and a body', { details: { provider: 'ghl', reason: 'empty_message' } });
      const sent = await deps.client.sendEmail({ contactId, subject: item.subject, html: item.body, ...(item.sender ? { emailFrom: item.sender } : {}) });
      return { providerRef: `ghl:message:${sent.messageId ?? sent.emailMessageId ?? 'unknown'}` };
    },
    lookup: async (item) => (item.step === REPLY_STEP ? lookupReply(item) : { found: 'unknown' }),
  };
};
