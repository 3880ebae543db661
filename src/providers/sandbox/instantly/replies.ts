/**
 * The Instantly sandbox's Unibox replies (contracts/instantly.md "Replying in a thread"):
 * `POST /emails/reply` answers a received e-mail by its id (`reply_to_uuid`, the webhook's
 * `email_id`) from a connected account (`eaccount`), with `subject` and `body.{text|html}`; it is not
 * idempotent (every call sends another e-mail). `GET /emails?search=thread:<id>&email_type=sent` lists
 * what was sent in a thread, so a client can look before it tries again after an uncertain send.
 */

type Json = Record<string, unknown>;
type Answer = { status: number; body: unknown };
type Ctx = { url: URL; body: Json | undefined; params: string[] };
export type InstantlyReplyRoute = { method: string; pattern: RegExp; scope: [string, string]; handle: (ctx: Ctx) => Answer };

/** An e-mail of a thread as the sandbox holds it (the `Email` object's fields we read). */
export type InstantlySandboxEmail = {
  id: string;
  thread_id: string;
  lead: string;
  eaccount: string;
  subject: string;
  body: { text?: string; html?: string };
  /** 1 sent from a campaign, 2 received, 3 sent by hand (a reply). */
  ue_type: 1 | 2 | 3;
  timestamp_created: string;
  reply_to_uuid?: string;
};

const error = (status: number, message: string): Answer => ({ status, body: { statusCode: status, error: status === 404 ? 'Not Found' : 'Bad Request', message } });
const UUID_LIKE = /^[0-9A-Za-z-]{1,64}$/;

export const createInstantlyReplies = (deps: { nextId: (kind: string) => string; stamp: () => string; accountEmails: () => string[]; saved?: readonly InstantlySandboxEmail[] }) => {
  const emails = new Map<string, InstantlySandboxEmail>((deps.saved ?? []).map((e) => [e.id, e]));

  const reply = ({ body }: Ctx): Answer => {
    if (!body) return error(400, "body must have required property 'reply_to_uuid'");
    for (const field of ['eaccount', 'reply_to_uuid', 'subject'] as const) if (typeof body[field] !== 'string' || !String(body[field]).trim()) return error(400, `body must have required property '${field}'`);
    const content = body.body as { text?: unknown; html?: unknown } | undefined;
    if (!content || typeof content !== 'object' || (typeof content.text !== 'string' && typeof content.html !== 'string')) return error(400, 'body/body must have at least one of text or html');
    if (body.cc_address_email_list !== undefined && typeof body.cc_address_email_list !== 'string') return error(400, 'body/cc_address_email_list must be string');
    const eaccount = String(body.eaccount).toLowerCase();
    if (!deps.accountEmails().includes(eaccount)) return error(400, 'eaccount is not a sending account of this workspace');
    const to = String(body.reply_to_uuid);
    const original = UUID_LIKE.test(to) ? emails.get(to) : undefined;
    if (!original) return error(404, 'Email not found');
    const sent: InstantlySandboxEmail = {
      id: deps.nextId('2e12'),
      thread_id: original.thread_id,
      lead: original.lead,
      eaccount,
      subject: String(body.subject),
      body: { ...(typeof content.text === 'string' ? { text: content.text } : {}), ...(typeof content.html === 'string' ? { html: content.html } : {}) },
      ue_type: 3,
      timestamp_created: deps.stamp(),
      reply_to_uuid: to,
    };
    emails.set(sent.id, sent);
    return { status: 200, body: structuredClone(sent) };
  };

  const list = ({ url }: Ctx): Answer => {
    const search = url.searchParams.get('search') ?? '';
    const type = url.searchParams.get('email_type');
    const thread = /^thread:(.+)$/.exec(search)?.[1];
    const items = [...emails.values()].filter((e) => (!thread || e.thread_id === thread) && (type !== 'sent' || e.ue_type !== 2) && (type !== 'received' || e.ue_type === 2));
    return { status: 200, body: { items: structuredClone(items) } };
  };

  return {
    routes: [
      { method: 'POST', pattern: /^\/emails\/reply$/, scope: ['emails', 'create'], handle: reply },
      { method: 'GET', pattern: /^\/emails$/, scope: ['emails', 'read'], handle: list },
    ] satisfies InstantlyReplyRoute[],
    /** A prospect's e-mail the sandbox received (what a `reply_received` webhook's `email_id` names); returns it. */
    receive: (email: { id?: string; lead: string; eaccount: string; subject: string; text?: string; threadId?: string }): InstantlySandboxEmail => {
      const id = email.id ?? deps.nextId('2d11');
      const stored: InstantlySandboxEmail = {
        id,
        thread_id: email.threadId ?? `thread-${id}`,
        lead: email.lead.toLowerCase(),
        eaccount: email.eaccount.toLowerCase(),
        subject: email.subject,
        body: { text: email.text ?? '' },
        ue_type: 2,
        timestamp_created: deps.stamp(),
      };
      emails.set(id, stored);
      return structuredClone(stored);
    },
    /** Every e-mail of every thread, received and sent, for the sandbox's saved state. */
    all: (): InstantlySandboxEmail[] => [...emails.values()],
    /** The replies sent through `POST /emails/reply`, in order. */
    sentReplies: (): InstantlySandboxEmail[] => [...emails.values()].filter((e) => e.ue_type === 3).map((e) => structuredClone(e)),
  };
};
