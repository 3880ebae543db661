/**
 * The HeyReach sandbox's inbox (contracts/heyreach.md "List conversations", "Reply"):
 * `POST /inbox/GetConversationsV2` lists conversations (offset pages, filters by account, campaign,
 * `leadProfileUrl`, `seen`), `POST /inbox/SendMessage` answers in one with the sender that owns it
 * (an empty 200 = queued; not idempotent). Conversation ids go stale between sessions: after
 * `rotateIds()` an old id is a 404 and a fresh list gives the new one, as HeyReach does.
 */

export type SandboxMessage = { createdAt: string; body: string; subject: string; postLink: string | null; isInMail: boolean; sender: 'ME' | 'CORRESPONDENT' };
export type SandboxConversation = {
  id: string;
  read: boolean;
  groupChat: false;
  lastMessageAt: string;
  lastMessageText: string;
  lastMessageType: 'TEXT';
  lastMessageSender: 'ME' | 'CORRESPONDENT';
  totalMessages: number;
  campaignId: number | null;
  linkedInAccountId: number;
  correspondentProfile: { linkedin_id: string; profileUrl: string; firstName: string; lastName: string; companyName: string | null; emailAddress: string | null };
  messages: SandboxMessage[];
};

type Reply = { status: 200; body?: unknown } | { status: number; error: string };

const key = (profileUrl: string) =>
  profileUrl
    .toLowerCase()
    .replace(/^https?:\/\/(www\.)?/, '')
    .replace(/\/+$/, '');

/** What the sandbox's state file keeps of the inbox: the conversations and where their ids are. */
export type HeyReachInboxSnapshot = { conversations: SandboxConversation[]; session: number; counter: number };

export const createHeyReachInbox = (options: { now?: () => Date; defaultAccountId?: number; saved?: HeyReachInboxSnapshot | undefined } = {}) => {
  const now = options.now ?? (() => new Date());
  const byLead = new Map<string, SandboxConversation>((options.saved?.conversations ?? []).map((c) => [key(c.correspondentProfile.profileUrl), c]));
  let session = options.saved?.session ?? 1;
  let counter = options.saved?.counter ?? 0;
  const sent: { conversationId: string; linkedInAccountId: number; message: string; profileUrl: string }[] = [];

  const freshId = () => `2-sandbox-s${session}-${(++counter).toString(36).padStart(6, '0')}`;
  const stamp = () => now().toISOString();

  const push = (c: SandboxConversation, m: SandboxMessage) => {
    c.messages.push(m);
    Object.assign(c, { lastMessageAt: m.createdAt, lastMessageText: m.body, lastMessageSender: m.sender, totalMessages: c.messages.length, read: m.sender === 'ME' });
  };

  /** A message the prospect sent (what a reply webhook reports), opening the conversation when needed. */
  const receive = (input: {
    profileUrl: string;
    firstName: string;
    lastName: string;
    text: string;
    campaignId?: number | null;
    linkedInAccountId?: number;
    companyName?: string | null;
    emailAddress?: string | null;
  }): SandboxConversation => {
    const k = key(input.profileUrl);
    const c =
      byLead.get(k) ??
      ({
        id: freshId(),
        read: false,
        groupChat: false,
        lastMessageAt: stamp(),
        lastMessageText: '',
        lastMessageType: 'TEXT',
        lastMessageSender: 'CORRESPONDENT',
        totalMessages: 0,
        campaignId: input.campaignId ?? null,
        linkedInAccountId: input.linkedInAccountId ?? options.defaultAccountId ?? 55101,
        correspondentProfile: {
          linkedin_id: `li-${k.split('/').pop() ?? 'x'}`,
          profileUrl: input.profileUrl,
          firstName: input.firstName,
          lastName: input.lastName,
          companyName: input.companyName ?? null,
          emailAddress: input.emailAddress ?? null,
        },
        messages: [],
      } satisfies SandboxConversation);
    byLead.set(k, c);
    push(c, { createdAt: stamp(), body: input.text, subject: '', postLink: null, isInMail: false, sender: 'CORRESPONDENT' });
    return structuredClone(c);
  };

  const list = (body: Record<string, unknown>): Reply => {
    const filters = (body.filters ?? {}) as Record<string, unknown>;
    const limit = Number(body.limit ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, error: 'limit must be between 1 and 100.' };
    const offset = Math.max(0, Number(body.offset) || 0);
    const accounts = Array.isArray(filters.linkedInAccountIds) ? (filters.linkedInAccountIds as number[]) : null;
    const campaigns = Array.isArray(filters.campaignIds) ? (filters.campaignIds as number[]) : null;
    const url = typeof filters.leadProfileUrl === 'string' ? key(filters.leadProfileUrl) : null;
    const seen = typeof filters.seen === 'boolean' ? filters.seen : null;
    const matching = [...byLead.entries()]
      .filter(([k, c]) => (!accounts || accounts.includes(c.linkedInAccountId)) && (!campaigns || (c.campaignId !== null && campaigns.includes(c.campaignId))) && (!url || k === url) && (seen === null || c.read === seen))
      .map(([, c]) => structuredClone(c))
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
    return { status: 200, body: { totalCount: matching.length, items: matching.slice(offset, offset + limit) } };
  };

  const send = (body: Record<string, unknown>): Reply => {
    if (typeof body.message !== 'string' || !body.message.trim()) return { status: 400, error: 'message is required.' };
    if (typeof body.conversationId !== 'string' || !body.conversationId) return { status: 400, error: 'conversationId is required.' };
    if (!Number.isInteger(body.linkedInAccountId)) return { status: 400, error: 'linkedInAccountId must be an integer.' };
    const entry = [...byLead.entries()].find(([, c]) => c.id === body.conversationId);
    // A stale or unknown id: HeyReach answers 404 (re-list with leadProfileUrl for a fresh one).
    if (!entry) return { status: 404, error: 'Conversation not found.' };
    const [, c] = entry;
    if (c.linkedInAccountId !== body.linkedInAccountId) return { status: 403, error: 'The LinkedIn account does not own this conversation.' };
    push(c, { createdAt: stamp(), body: body.message, subject: typeof body.subject === 'string' ? body.subject : '', postLink: null, isInMail: false, sender: 'ME' });
    sent.push({ conversationId: c.id, linkedInAccountId: c.linkedInAccountId, message: body.message, profileUrl: c.correspondentProfile.profileUrl });
    return { status: 200 };
  };

  return {
    /** The inbox routes; null when the route is not the inbox's. */
    route: (route: string, body: Record<string, unknown>): Reply | null => {
      if (route === 'POST /inbox/GetConversationsV2') return list(body);
      if (route === 'POST /inbox/SendMessage') return send(body);
      return null;
    },
    receive,
    /** A new session: every conversation gets a new id; the old ones answer 404. */
    rotateIds: () => {
      session++;
      for (const c of byLead.values()) c.id = freshId();
    },
    sentMessages: () => structuredClone(sent),
    /** The conversations and the id counters, for the sandbox's saved state. */
    snapshot: (): HeyReachInboxSnapshot => ({ conversations: [...byLead.values()], session, counter }),
    conversations: (): SandboxConversation[] => [...byLead.values()].map((c) => structuredClone(c)),
  };
};
