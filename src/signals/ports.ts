import type { Enrollment } from '../domain/cadence/index.js';
import type { LeadProfile } from '../domain/lead.js';
import type { LlmNote, ObjectionKind, ProposedTime, ReplyClass } from '../domain/replies/index.js';
import type { DecayInput, SignalType } from '../domain/signals/index.js';

/**
 * What people drive of the signal loop (the CLI, the dashboard's API): the timeline bootstrap's
 * report (signals/bootstrap-timeline.ts makes it), and the unit of work the inbox processor runs a
 * delivery in; the contract between each provider's webhook (src/providers/<name>/webhook.ts),
 * the door that serves it (src/webhooks/) and the processor that acts on what it stored; and what
 * the signal use cases read and write through adapters: the inbox, the lead events, the leads, the
 * decay query, the cadence enrolments (src/store implements them) and the CRM the revival scan
 * searches (src/providers/ghl's client, structurally). Types only.
 */
export type BootstrapReport = {
  dryRun: boolean;
  /** Sends the provider accepted whose touch is missing from the lead's timeline. */
  missing: number;
  recorded: number;
  items: { outboxId: string; leadId: string; channel: string; step: string; sentAt: string }[];
};

/**
 * Work that commits as one: `work` is handed stores bound to one transaction; what it wrote commits
 * when it returns and none of it when it throws (compose/signals.ts runs it in a database
 * transaction). The inbox processor runs each delivery in one.
 */
export type UnitOfWork<S> = <T>(work: (stores: S) => Promise<T>) => Promise<T>;

/**
 * One webhook delivery as the signal loop acts on it, whatever provider sent it: which lead (by
 * e-mail, else LinkedIn URL), what happened, on which channel, when. Plain JSON (the time is an ISO
 * string), so the door stores it in `webhook_inbox.signal` next to the raw payload and the processor
 * reads it back from there without knowing the provider's payload.
 */
export type NormalisedSignal = {
  email: string | null;
  linkedinUrl: string | null;
  /** The status-machine signal; null for an event recorded on the timeline without a status change (an auto-reply, a label). */
  type: SignalType | null;
  channel: 'email' | 'linkedin' | 'website';
  /** When it happened (ISO 8601): the provider's time, or the receive time when it gave none or one out of range. */
  at: string;
  /** What the timeline event keeps besides its type (event name, campaign, reply category, page...): never a message's text. */
  details: Record<string, unknown>;
  /** What was worked around (an event time out of range, replaced by the receive time). */
  flags: string[];
  /** A person who is a lead in their own right (a website visitor): recorded when we do not know them yet. */
  newLead?: { source: string; sourceId: string; profile: LeadProfile };
};

/** What the door tells a provider's `parse` besides the body. */
export type WebhookParseContext = {
  /** When the door received the delivery (the event time when the provider gives none usable). */
  receivedAt: Date;
  /** The event the URL names (`/webhooks/heyreach/<EVENT>`), or for a stored delivery the event type stored with it. */
  urlEvent?: string | null;
};

/**
 * A provider's reading of one delivery body (parsed JSON, made storable), in one pass: an event to
 * act on, with the fields that name this delivery for idempotency (null: the body's bytes name it)
 * and its normalised signal; or why it is kept without being acted on. Reasons name fields, never a
 * personal value.
 */
export type WebhookParse = { ok: true; eventType: string; keyParts: readonly unknown[] | null; signal: NormalisedSignal } | { ok: false; eventType: string; reason: string };

/**
 * How a provider's deliveries prove who sent them, checked by the door over the raw bytes in
 * constant time (src/webhooks/verify.ts). Any one proof suffices.
 */
export type WebhookAuthScheme = {
  /** Headers that may carry a hex HMAC-SHA256 of the raw body (an optional `sha256=` prefix is accepted). */
  signatureHeaders: readonly string[];
  /** The shared secret may come in `X-Caio-Webhook-Token`. */
  tokenHeader: boolean;
  /** The shared secret may come as `Authorization: Bearer <secret>`. */
  bearer: boolean;
  /** Query parameters that may carry the shared secret (senders that can set no header). */
  secretParams: readonly string[];
  /** The shared secret may be the rest of the path under this one (`/webhooks/rb2b/<secret>`). */
  secretPathUnder?: string;
};

/** A public POST path of a provider's webhook; `urlEvent`: the event this URL is for, for bodies that name none. */
export type WebhookPath = { path: string; urlEvent?: string };

/** What a provider's `webhook.ts` exports for the door (paths and auth) and the processor (its signal, through the door's store). */
export type ProviderWebhook = {
  /** The inbox's provider name. */
  provider: string;
  paths: readonly WebhookPath[];
  auth: WebhookAuthScheme;
  parse: (json: unknown, context: WebhookParseContext) => WebhookParse;
};

/**
 * Each provider's parse, by inbox provider name: how a delivery stored without a signal (before
 * migration 0017, or stored `ignored` and now replayed) is read, as the door would read it today.
 * The composition root passes the providers' parsers.
 */
export type PayloadReaders = Readonly<Record<string, ProviderWebhook['parse']>>;

/**
 * A stored delivery as the processor and `caio webhooks list` read it (the raw body is not in it).
 * `error` is the failure, or for an `ignored` delivery the reason it was kept without being acted
 * on; `flags` what processing worked around (e.g. an event time in 2099).
 */
export type InboxItem = {
  id: string;
  provider: string;
  eventType: string;
  idempotencyKey: string;
  payload: unknown;
  receivedAt: Date;
  status: string;
  leadId: string | null;
  error: string | null;
  processedAt: Date | null;
  flags: string[] | null;
};

/**
 * A delivery taken for processing: with `signal`, the door's normalised reading of it (null when it
 * was stored ignored, or before the door kept one). Not in listings: it names the person.
 */
export type StoredDelivery = InboxItem & { signal: unknown };

/** What processing made of a delivery (`failed` is recorded by `fail` or `finish`). */
export type DeliveryOutcome = 'processed' | 'unknown_lead' | 'ignored';

/** The webhook inbox as the processor works it: deliveries to claim, process and finish. */
export type InboxStore = {
  /**
   * Take the delivery if it is in one of `from` (compare-and-set), and return it. In a transaction
   * the claim is that transaction's row lock: a rollback leaves the delivery as it was.
   */
  take(id: string, from: readonly string[], at: Date): Promise<StoredDelivery | null>;
  /** `take` for many deliveries in one statement: the ones still takeable, in no particular order. */
  takeMany(ids: readonly string[], from: readonly string[], at: Date): Promise<StoredDelivery[]>;
  /** A delivery together with the oldest deliveries waiting, `limit` in all, oldest first; rows another worker holds are skipped. */
  takeWithWaiting(id: string, limit: number, from: readonly string[], at: Date): Promise<StoredDelivery[]>;
  /** A delivery's status alone (null when it is gone). */
  statusOf(id: string): Promise<string | null>;
  /** Back to pending, for a deliberate replay. */
  reset(id: string): Promise<boolean>;
  /** Oldest first; `receivedBefore`: only deliveries that have waited since before then. */
  pending(limit: number, receivedBefore?: Date): Promise<InboxItem[]>;
  /** Deliveries whose processing failed, received since `receivedSince` (oldest first). */
  failedSince(limit: number, receivedSince: Date): Promise<InboxItem[]>;
  /** Claims taken at or before `claimedBefore` belong to a worker that died: back to pending (their ids). */
  releaseStale(claimedBefore: Date): Promise<string[]>;
  /** Processing failed: `failed` with the reason, unless another worker has finished it meanwhile. */
  fail(id: string, error: string, at: Date): Promise<boolean>;
  /** Record the outcome, only if still in `from` (no double processing). `error` is the reason for `ignored`. */
  finish(id: string, from: string, outcome: { status: DeliveryOutcome | 'failed'; leadId: string | null; error: string | null; at: Date; flags?: readonly string[] }): Promise<boolean>;
  /** `finish` for many deliveries in one statement; returns how many were still in `from`. */
  finishMany(outcomes: readonly { id: string; status: DeliveryOutcome; leadId: string | null; error: string | null; flags?: readonly string[] }[], from: string, at: Date): Promise<number>;
};

/** One event on a lead's timeline (a webhook delivery's, a touch of ours, a decay, a revival). */
export type LeadEvent = { id: number; leadId: string; at: Date; channel: string; type: string; source: string; fromStatus: string | null; toStatus: string | null; inboxId: string | null; details: Record<string, unknown> };

/** What the status machine needs of a lead's timeline besides the status. */
export type TimelineState = { lastEventAt: Date | null; opens: number };

/** The leads' timelines: events appended (with their KPI milestones) and read. */
export type LeadEventStore = {
  /** The event (once per delivery and type: a second one returns false). */
  append(event: Omit<LeadEvent, 'id'>): Promise<boolean>;
  /** Many events in one statement; returns how many were inserted (fewer: another worker recorded one meanwhile). */
  appendMany(events: readonly Omit<LeadEvent, 'id'>[]): Promise<number>;
  /** Whether this delivery already has its event of this type (a replay), and the lead's timeline state. */
  deliveryState(inboxId: string, type: string, leadId: string): Promise<TimelineState & { recorded: boolean }>;
  /** `deliveryState` for many: the `inboxId|type` pairs recorded already, and per lead its timeline state. */
  deliveryStates(items: readonly { inboxId: string; type: string; leadId: string }[]): Promise<{ recorded: Set<string>; leads: Map<string, TimelineState> }>;
  stateOf(leadId: string): Promise<TimelineState>;
  /** Newest first. */
  timeline(leadId: string, limit?: number): Promise<LeadEvent[]>;
};

/** A lead as the signal loop reads it. */
export type SignalLead = { id: string; status: string; email: string | null; linkedinUrl: string | null; disqualificationReason: string | null; tier: string | null };

/** What the signal loop reads and writes on leads: find them by e-mail or LinkedIn URL, move their status. */
export type SignalLeadStore = {
  byEmail(email: string): Promise<SignalLead | null>;
  byLinkedin(linkedinUrl: string): Promise<SignalLead | null>;
  byId(id: string): Promise<SignalLead | null>;
  /** `byId` with what the status machine needs of the lead's timeline (its last event, its opens), in one read. */
  withTimeline(id: string): Promise<{ lead: SignalLead; lastEventAt: Date | null; opens: number } | null>;
  /** `byEmail` for many addresses in one query, keyed by the normalised address. */
  byEmails(emails: readonly string[]): Promise<Map<string, SignalLead>>;
  /** A CRM contact we have no lead for: recorded as a `revival_candidate` lead, or the existing lead with that e-mail. Returns the lead id. */
  fromCrmContact(contact: { email: string; contactId: string; firstName: string | null; lastName: string | null; company: string | null }, runId: string): Promise<string>;
  /** A lead first seen through a signal (an RB2B visitor): recorded as discovered, or the existing lead. Returns the lead id. */
  fromDiscovered(lead: { source: string; sourceId: string; profile: LeadProfile }, runId: string): Promise<string>;
  /** A delivery naming a suppressed person no lead is for: its payload becomes a placeholder naming `reason`, its body and signal are dropped. */
  forgetDeliveryBody(inboxId: string, reason: string): Promise<void>;
  /** Move the status only if it is still `from`. */
  setStatus(id: string, from: string, to: string, at: Date): Promise<boolean>;
  /** `setStatus` for many leads in one statement; returns how many were still in their `from`. */
  setStatuses(moves: readonly { id: string; from: string; to: string }[], at: Date): Promise<number>;
};

/**
 * Who we added to a HeyReach campaign: the leads of outbox items sent into it (a LinkedIn message
 * step's AddLeadsToCampaignV2, providerRef `heyreach:campaign:<id>`), for a `CAMPAIGN_COMPLETED`
 * that names no lead (signals/campaign-completed.ts; src/store/campaign-roster-repo.ts implements it).
 */
export type CampaignRoster = {
  /** The distinct leads of HeyReach items sent with this provider ref. */
  leadsSentTo(providerRef: string): Promise<SignalLead[]>;
  /** Of `leadIds`, the ones whose timeline already has this delivery's event of `type` (a replay). */
  heard(inboxId: string, type: string, leadIds: readonly string[]): Promise<Set<string>>;
};

/** Per lead, what decay detection needs from its timeline. */
export type DecayCandidate = Omit<DecayInput, 'status'> & { leadId: string; status: string };

export type DecayQuery = {
  /** Every lead in one of `statuses` that has a timeline. */
  candidates(statuses: readonly string[]): Promise<DecayCandidate[]>;
};

/** The cadence enrolments the cadence sync keeps. */
/** What the cadence reads of a lead to decide its due steps and its exits: the lead's record and the event types of its latest timeline. */
export type CadenceLeadRecord = { status: string; linkedinUrl: string | null; eventTypes: ReadonlySet<string> };

/** The cadence's facts for many leads at once, so a due list or a sync costs one statement, not two per lead. */
export type CadenceFactsQuery = {
  /** Per lead (absent: no such lead), its status, its LinkedIn URL (the profile's first) and the types among its `newestEvents` newest events. */
  leadRecords(leadIds: readonly string[], newestEvents: number): Promise<Map<string, CadenceLeadRecord>>;
};

export type CadenceStore = {
  get(leadId: string): Promise<Enrollment | null>;
  /** The enrolments of these leads, keyed by lead. */
  getMany(leadIds: readonly string[]): Promise<Map<string, Enrollment>>;
  /** Insert or replace one enrolment; `nextDueAt` is what the engine says is next (null when nothing is). */
  save(enrollment: Enrollment, nextDueAt: Date | null): Promise<void>;
  /** Active enrolments with a step due by `now`, earliest first. */
  due(now: Date, limit: number): Promise<Enrollment[]>;
  /** Active and paused enrolments (the ones a sync may still move). */
  open(): Promise<Enrollment[]>;
};

/**
 * A CRM contact as the revival scan reads it (GoHighLevel's contact). `dateLastActivity` and
 * `pipelineStage` are fields some locations send beside the documented ones.
 */
export type CrmContact = {
  id: string;
  email?: string | null | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  companyName?: string | null | undefined;
  tags: string[];
  lastActivity?: string | null | undefined;
  dateUpdated?: string | null | undefined;
  dateLastActivity?: string | null | undefined;
  pipelineStage?: string | null | undefined;
};

/** One page of contacts whose last activity falls between `gte` and `lte` (ISO 8601). */
export type CrmContactSearch = { page: number; pageLimit: number; filters: { field: 'lastActivity'; operator: 'range'; value: { gte: string; lte: string } }[] };

/** The CRM the revival motion searches for stale contacts (src/providers/ghl's client implements it). */
export type RevivalCrm = {
  searchContacts(search: CrmContactSearch): Promise<{ contacts: CrmContact[] }>;
};

// ---- The reply follow-through (issue 17 item 2, src/signals/follow-through*.ts): the stored
// understanding of each reply, the action outbox of the calls it makes after commit, and the
// providers those calls reach; src/store and src/providers implement them.

/** The follow-through calls a reply may need, executed after commit (reply_actions.kind). */
export type ReplyActionKind = 'slack_hot_lead' | 'crm_tag' | 'instantly_interest' | 'cadence_resume' | 'reply_draft' | 'book_meeting' | 'change_meeting' | 'llm_opt_out';

/** One reply as stored with its understanding (one per webhook delivery). */
export type StoredReply = {
  id: string;
  inboxId: string;
  leadId: string | null;
  channel: 'email' | 'linkedin';
  receivedAt: Date;
  class: ReplyClass;
  kind: ObjectionKind | null;
  confidence: number;
  evidence: string[];
  proposedTimes: ProposedTime[];
  returnDate: Date | null;
  timeZone: string;
  needsResponse: boolean;
  excerpt: string;
  referredLeadId: string | null;
  pausedUntil: Date | null;
  /** The optional LLM classifier's note beside the rules' reading (domain/replies/llm-reading.ts); null or absent: no model read it. */
  llm?: LlmNote | null;
};

export type NewReply = Omit<StoredReply, 'id' | 'referredLeadId' | 'pausedUntil'>;

/** The replies, as the follow-through writes them in the delivery's transaction. */
export type ReplyStore = {
  /** The reply of this delivery: inserted, or the one a first processing stored (`created: false`). */
  record(reply: NewReply): Promise<{ reply: StoredReply; created: boolean }>;
  byInbox(inboxId: string): Promise<StoredReply | null>;
  /** What the follow-through did besides its actions: the referred lead, the cadence pause. */
  setFollowUp(id: string, followUp: { referredLeadId?: string | null; pausedUntil?: Date | null }): Promise<void>;
  /** The lead's IANA zone when enrichment gave one (profile `timeZone`/`timezone`), else null. */
  leadTimeZone(leadId: string): Promise<string | null>;
  /**
   * The slots the lead's latest suggested answer a person let go out (an approved or sent `reply:`
   * draft) offered, in the order it listed them: what "the second option" picks from. Empty: none.
   */
  offeredSlots(leadId: string): Promise<Date[]>;
};

/** A row of the action outbox (reply_actions). */
export type ReplyAction = {
  id: string;
  replyId: string;
  leadId: string | null;
  kind: ReplyActionKind;
  idempotencyKey: string;
  status: ReplyActionStatus;
  payload: Record<string, unknown>;
  notBefore: Date;
  attempts: number;
  claimedAt: Date | null;
  lastError: string | null;
  doneAt: Date | null;
};

/**
 * pending: waiting for its time; running: claimed by a worker; done; skipped (nothing to do: not
 * configured, the lead is not at the provider); failed: retried at `notBefore`; uncertain: the call
 * may have reached the provider and is not repeatable (a person decides); needs_person: retries
 * used up or refused for good.
 */
export type ReplyActionStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'uncertain' | 'needs_person';

export type NewReplyAction = Pick<ReplyAction, 'replyId' | 'leadId' | 'kind' | 'idempotencyKey' | 'payload' | 'notBefore'>;

export type ReplyActionStore = {
  /** Record actions once (a second recording of the same key is ignored); returns how many were new. */
  record(actions: readonly NewReplyAction[]): Promise<number>;
  /**
   * Claim up to `limit` actions due by `now` (pending, or failed and due again), and running ones
   * whose claim is older than `staleBefore` (their worker died mid-call; `stale: true`). Rows
   * another worker holds are skipped.
   */
  claimDue(now: Date, limit: number, staleBefore: Date): Promise<(ReplyAction & { stale: boolean })[]>;
  /** Record the outcome of a claimed action, only if it is still claimed at `claimedAt` (no double finish). */
  finish(id: string, claimedAt: Date, outcome: { status: Exclude<ReplyActionStatus, 'pending' | 'running'>; error?: string | null; notBefore?: Date; at: Date }): Promise<boolean>;
  forReply(replyId: string): Promise<ReplyAction[]>;
};

/** What the HOT LEAD alert says (no address: the excerpt is masked, the link names the lead's id). */
export type HotLeadAlert = { leadName: string; company: string | null; class: ReplyClass; channel: string; excerpt: string; leadUrl: string; confidence: number };

/** The lead as an action needs it (name and company for the alert and the CRM). */
export type ReplyLeadCard = { id: string; email: string | null; firstName: string | null; lastName: string | null; company: string | null };

/**
 * The providers the actions call (null: not configured: the action is `skipped`). Each throws the
 * shared AppError codes (src/providers/http): PROVIDER_UNAVAILABLE with `details.uncertain` when a
 * call may have reached the provider.
 */
export type FollowThroughProviders = {
  /** Posts the HOT LEAD alert (not repeatable: a second post is a second alert). */
  hotLead: ((alert: HotLeadAlert) => Promise<void>) | null;
  /** GoHighLevel: upsert the contact by e-mail, then add tags (both repeatable). */
  crm: { upsertContact(input: { email: string; firstName?: string; lastName?: string; companyName?: string; source?: string }): Promise<{ contactId: string }>; addTags(contactId: string, tags: string[]): Promise<string[]> } | null;
  /** Instantly's lead interest status (repeatable: it sets a value). */
  interest: ((input: { leadEmail: string; interestValue: number | null; campaignId?: string | null }) => Promise<unknown>) | null;
  /** The GoHighLevel calendar's free slots (ISO instants) for suggested answers (reply-drafts.ts); null or absent: no calendar. */
  freeSlots?: ((range: { start: Date; end: Date; timeZone: string }) => Promise<string[]>) | null;
};
