/**
 * What the send gateway and the OPERATOR need from the outside: the outbox, the control flags
 * (emergency stop, leases) and one outbound channel per provider. The store and the providers
 * implement them; tests use the real ones against PostgreSQL and the loopback sandboxes.
 */
import type { BatchMotion } from '../domain/approval/batch.js';
import type { Enrollment } from '../domain/cadence/index.js';
import type { RampSettings, RampStatus } from '../domain/sending/index.js';
import type { LeadProfile } from '../domain/lead.js';
import type { AuditEntry, SendChannel } from '../pipeline/ports.js';
import type { BatchStore } from '../pipeline/review-ports.js';

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'rejected' | 'cancelled';

/** Channel-specific facts frozen at enqueue (HeyReach needs first and last name; GHL the names too). */
export type OutboxPayload = {
  firstName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  title?: string | null;
  email?: string | null;
  /** A `reply` item (issue 17 item 3): the thread it answers in. Instantly: the received e-mail's id and the account that received it; HeyReach: the lead's profile (the conversation is fetched fresh). */
  thread?: { replyToUuid?: string | null; eaccount?: string | null; threadId?: string | null; profileUrl?: string | null } | null;
};

export type OutboxItem = {
  id: string;
  dedupKey: string;
  batchId: string | null;
  draftId: string | null;
  leadId: string | null;
  channel: SendChannel;
  step: string;
  recipient: string;
  recipientDomain: string | null;
  tier: string | null;
  subject: string | null;
  body: string | null;
  payload: OutboxPayload;
  sender: string | null;
  status: OutboxStatus;
  reason: string | null;
  notBefore: Date;
  claimToken: string | null;
  claimedAt: Date | null;
  providerRef: string | null;
  sentAt: Date | null;
  attempts: number;
  createdAt: Date;
};

export type NewOutboxItem = Pick<OutboxItem, 'dedupKey' | 'batchId' | 'draftId' | 'leadId' | 'channel' | 'step' | 'recipient' | 'recipientDomain' | 'tier' | 'subject' | 'body' | 'payload' | 'sender' | 'notBefore'> & {
  status: 'queued' | 'rejected';
  reason: string | null;
};

/** One sent (or being sent) action, for quotas: when, on which channel, from which sender, to which domain. */
export type SendRecord = { at: Date; channel: 'email' | 'linkedin'; sender: string | null; recipientDomain: string | null; provider: SendChannel; count?: number };

export interface OutboxStore {
  /** Insert in one transaction; an item whose dedup key exists already is not inserted (returned as a duplicate). */
  enqueue(items: NewOutboxItem[]): Promise<{ inserted: OutboxItem[]; duplicates: string[] }>;
  /** Queued items due at `now`: answers in a thread (step `reply`) first, then oldest first. */
  due(now: Date, limit: number): Promise<OutboxItem[]>;
  /** queued -> sending, only if still queued: the dedup claim, committed before the provider call. */
  claim(id: string, token: string, now: Date): Promise<boolean>;
  /** Marks the claimed item sent and, in the same statement, appends `audit` when the mark applied. */
  markSent(id: string, token: string, providerRef: string, now: Date, audit?: AuditEntry): Promise<void>;
  /** The provider refused for good (bad request, auth): failed, never retried automatically. */
  markFailed(id: string, token: string, reason: string, now: Date): Promise<void>;
  /** The provider may or may not have it (timeout, 5xx after sending): reconciled before anything else. */
  markUncertain(id: string, token: string, reason: string, now: Date): Promise<void>;
  /** Back to queued, not before `notBefore` (quota, outside hours, the provider was down before sending). */
  defer(id: string, notBefore: Date, reason: string, token?: string): Promise<void>;
  reject(id: string, reason: string): Promise<void>;
  /**
   * queued -> sending for those of `ids` still queued, in one committed statement (rows locked in id
   * order, so that two drains claiming at once never deadlock), none while the emergency stop flag is
   * set: the drain's next few items, claimed before the provider calls as `claim` does one. Returns
   * the claimed ones with their claim columns from before.
   */
  claimMany(ids: string[], token: string, now: Date): Promise<Map<string, ClaimBefore>>;
  /** Claimed items (`token`) a drain did not reach (a stop, a failure, an old claim): back to queued as they were. */
  releaseMany(items: { id: string; before: ClaimBefore }[], token: string): Promise<void>;
  /**
   * An item claimed with its read (`LeadStateQuery.claimItem`) that the guards then held back: from
   * `sending` (only with this claim's token) to `rejected`, or back to `queued` not before `notBefore`,
   * with the claim's token, time and attempt count as they were before the claim.
   */
  release(id: string, token: string, outcome: { status: 'rejected'; reason: string } | { status: 'queued'; notBefore: Date; reason: string }, before: ClaimBefore): Promise<void>;
  /** Queued items (not claimed) held back without a claim: each waits until its `notBefore`, with its reason; one statement. */
  deferMany(items: { id: string; notBefore: Date; reason: string }[]): Promise<void>;
  /** Items a crash or an outage left in `sending` or `uncertain` since before `claimedBefore`. */
  unresolved(claimedBefore: Date): Promise<OutboxItem[]>;
  /** A live drain's first read in one round trip: `unresolved(claimedBefore)` and `due(now, limit)`, each in its own order. */
  drainWork(now: Date, limit: number, claimedBefore: Date): Promise<{ unresolved: OutboxItem[]; due: OutboxItem[] }>;
  /** Set the outcome of a reconciliation. */
  resolve(id: string, outcome: { status: 'sent'; providerRef: string; at: Date } | { status: 'queued'; reason: string } | { status: 'uncertain'; reason: string }): Promise<void>;
  /** Sends since `since` (status sent or sending), for quotas. */
  sentSince(since: Date): Promise<SendRecord[]>;
  /**
   * The sends in [from, before) as aggregates: one record per UTC day, channel, provider and sender,
   * with its `count` and its latest time (no recipient domain). What a drain needs of the month's
   * older sends (the month's count, each sender's latest send) without reading each row.
   */
  sentCountsBetween(from: Date, before: Date): Promise<SendRecord[]>;
  /** The lead's sends on any channel since `since`, for the cross-channel cap. */
  leadSendsSince(leadId: string, since: Date): Promise<{ channel: string; at: Date }[]>;
  statusCounts(): Promise<Record<string, number>>;
  /** Per UTC day: sent, failed and uncertain counts (the ramp's clean-day input). */
  /** Complaints are not counted: no provider we use reports them (Instantly's webhooks have no complaint event). */
  dailyTotals(sinceDay: string): Promise<{ date: string; sent: number; errors: number; bounces: number }[]>;
  list(filter: { status?: OutboxStatus; batchId?: string; limit: number }): Promise<OutboxItem[]>;
  /** Cancel everything still queued for a lead (erasure, suppression). */
  cancelForLead(leadId: string, reason: string): Promise<number>;
}

/** An item's claim columns as they were before a claim, so that a release leaves the item as it found it. */
export type ClaimBefore = { claimToken: string | null; claimedAt: Date | null };

export type EmergencyStop = { active: boolean; reason: string | null; setBy: string; setAt: Date };

export interface ControlStore {
  emergencyStop(): Promise<EmergencyStop | null>;
  setEmergencyStop(stop: EmergencyStop): Promise<void>;
  /** Take the lease if free or expired; true when this holder now has it. */
  acquireLease(name: string, holder: string, until: Date, now: Date): Promise<boolean>;
  /** Extend a lease this holder still has; false when it was lost. */
  renewLease(name: string, holder: string, until: Date): Promise<boolean>;
  /** Give the lease back; false when this holder no longer had it (it expired and another process took it). */
  releaseLease(name: string, holder: string): Promise<boolean>;
  /**
   * The start of a live run in one round trip: the emergency stop as it is, the lease taken (as
   * `acquireLease`) only when the stop is not set, the ramp's daily totals since `sinceDay` and the
   * active campaigns.
   */
  startRun(run: { lease: string; holder: string; until: Date; now: Date; sinceDay: string }): Promise<{
    stop: EmergencyStop | null;
    acquired: boolean;
    days: { date: string; sent: number; errors: number; bounces: number }[];
    /** The campaigns whose status is `active`, newest first (what the health check judges). */
    activeCampaigns: ProviderCampaign[];
  }>;
  /** Forget expired leases whose name starts with `prefix` (job slots). */
  pruneLeases(prefix: string, now: Date): Promise<void>;
}

export type ProviderCampaign = {
  id: string;
  provider: string;
  externalId: string;
  name: string;
  kind: 'campaign' | 'list';
  /** `gone`: deleted at the provider (a 404 when we used it); the next item gets a new one. */ status: 'draft' | 'active' | 'paused' | 'gone';
  tier: string | null;
  day: string;
  createdAt: Date;
  activatedBy: string | null;
  activatedAt: Date | null;
};

export interface CampaignStore {
  /** The newest campaign or list of this kind for this tier and day. */
  latest(provider: string, kind: ProviderCampaign['kind'], tier: string | null, day: string): Promise<ProviderCampaign | null>;
  countFor(provider: string, kind: ProviderCampaign['kind'], tier: string | null, day: string): Promise<number>;
  insert(c: Omit<ProviderCampaign, 'id' | 'createdAt' | 'activatedBy' | 'activatedAt'>): Promise<ProviderCampaign>;
  byExternalId(provider: string, externalId: string): Promise<ProviderCampaign | null>;
  setStatus(id: string, status: ProviderCampaign['status'], by?: { name: string; at: Date }): Promise<void>;
  list(provider?: string): Promise<ProviderCampaign[]>;
}

export type LookupResult = { found: true; providerRef: string } | { found: false } | { found: 'unknown' };

/** One provider as an outbound channel: deliver one item, and say afterwards whether it has it. */
export interface OutboundChannel {
  readonly name: SendChannel;
  /**
   * Throws AppError: PROVIDER_RATE_LIMITED, or PROVIDER_UNAVAILABLE with `details.uncertain: false`,
   * when the provider surely does not have the item (it waits and goes again); PROVIDER_UNAVAILABLE
   * otherwise (it may have it: a person decides); anything else is final.
   */
  deliver(item: OutboxItem, now: Date): Promise<{ providerRef: string }>;
  /** Does the provider have this item? `unknown` when the provider cannot tell (GHL email). */
  lookup(item: OutboxItem): Promise<LookupResult>;
  /** Pause everything live at the provider (emergency stop); returns how many were paused. */
  pauseAll?(): Promise<number>;
  /** Activate a campaign we created as a draft (only by an explicit person's command). */
  activate?(externalId: string): Promise<void>;
  /** Pause one campaign (auto-pause on bad health). */
  pause?(externalId: string): Promise<void>;
  /** Sends, bounces and complaints of one campaign so far, as the provider reports them. */
  health?(externalId: string): Promise<{ sent: number; bounces: number; complaints: number }>;
  /** The same for many campaigns in as few calls as the provider allows (the OPERATOR tick checks every live campaign). */
  healthOfMany?(externalIds: readonly string[]): Promise<Map<string, { sent: number; bounces: number; complaints: number }>>;
  /**
   * A drain starts (`true`) or ends (`false`): between the two the channel may keep the campaign or
   * list it adds to instead of reading it for every item. Outside a drain nothing is kept, so a
   * campaign a person activated between two drains is never added to.
   */
  drainScope?(open: boolean): void;
}

/** What the gateway must know about a lead at the moment of sending. */
export type LeadSendState = { leadId: string; status: string; disqualificationReason: string | null; email: string | null; linkedinUrl: string | null };

/** A draft ready to go out: the copy to use (the reviewer's edit wins) and what channels need about the lead. */
export type DispatchDetail = {
  draftId: string;
  leadId: string;
  tier: string | null;
  subjectA: string;
  subjectB: string;
  body: string;
  editedSubject: string | null;
  editedBody: string | null;
  /** The lead's data: the cadence's later e-mail steps are crafted from it, per step. */
  profile: LeadProfile;
  payload: OutboxPayload;
};

/** What the gateway reads before judging one item, in one round trip. */
export type ItemState = {
  /** The database's emergency stop flag (null: never set). */
  stop: { active: boolean; setBy: string; reason: string | null } | null;
  lead: LeadSendState | null;
  /** The lead's sends (sent, sending or uncertain) since the time asked. */
  touches: { channel: string; at: Date }[];
  /** What the touch after a send is decided from, read with the rest (null: no lead). */
  touch?: TouchState | null;
};

/**
 * `ItemState` read in the statement that claims the item (`claimed`): the claim is made only if the
 * item is still queued and the stop flag, in the same statement's snapshot, is not set. `before`:
 * the claim columns the claim replaced (null when not claimed).
 */
export type ClaimedItemState = ItemState & { claimed: boolean; before: ClaimBefore | null };

/**
 * A lead's state as the touch recorder decides from it (signals/record-touch.ts): the status, the
 * timeline's last event and opens (the status machine's inputs) and the cadence enrolment.
 * `version` is the store's fingerprint of the timeline and enrolment as read: the write after the
 * send compares it (with the status) and records the touch only if nothing moved meanwhile.
 */
export type TouchState = { leadId: string; status: string; lastEventAt: Date | null; opens: number; enrolment: Enrollment | null; version: string };

/** A send the provider accepted, as the gateway reports it to the touch recorder. */
export type SentItem = { id: string; leadId: string | null; channel: SendChannel; step: string; providerRef: string };

/**
 * The mark of a send (outbox `sent` + its audit line) and the lead's touch decided before from
 * `expect` (status move, timeline event with its KPI milestone, cadence enrolment), written
 * together; the touch only while the lead's status and `expect.version` are still as read.
 */
export type SentTouchWrite = {
  outboxId: string;
  token: string;
  providerRef: string;
  sentAt: Date;
  audit: AuditEntry;
  expect: TouchState;
  /** The status to move to (null: it stays). */
  statusTo: string | null;
  event: { at: Date; channel: string; type: string; source: string; details: Record<string, unknown> };
  /** The enrolment to save and its next due time (null: the enrolment is not touched). */
  enrolment: { value: Enrollment; nextDueAt: Date | null } | null;
};

/** Where a lead's due cadence steps go, and the draft their copy is made from. */
export type CadenceTarget = { email: string | null; linkedinUrl: string | null; draftId: string | null };

export interface LeadStateQuery {
  /**
   * The cadence scope's read of the leads with due steps, one statement for all of them: per
   * existing lead, its e-mail, its profile's LinkedIn URL, its latest approved draft (null: none).
   */
  cadenceTargets(leadIds: readonly string[]): Promise<Map<string, CadenceTarget>>;
  leadState(leadId: string): Promise<LeadSendState | null>;
  /**
   * The stop flag, the lead and its sends since `touchesSince`, in one statement (`leadId` null: no
   * lead). `unsent`: items the drain claimed and has not tried yet, which are not sends.
   */
  itemState(leadId: string | null, touchesSince: Date, unsent?: readonly string[]): Promise<ItemState>;
  /**
   * `itemState` and the claim (`queued -> sending` with `token`, committed) in one statement, the
   * claim only while the stop flag is not set; a guard that then holds the item back releases it
   * (`OutboxStore.release`).
   */
  claimItem(item: { id: string; leadId: string | null }, token: string, now: Date, touchesSince: Date): Promise<ClaimedItemState>;
  dispatchDetails(draftIds: string[]): Promise<Map<string, DispatchDetail>>;
  /** The draft a lead's outreach went out with (its latest approved one), for the cadence's copy. */
  dispatchedDraftOf(leadId: string): Promise<string | null>;
  /** Dedup keys already in the outbox, of these. */
  existingKeys(keys: string[]): Promise<Set<string>>;
}

// ---- reports, and what people drive (the CLI, the dashboard and its API) -----------------------

export type ItemOutcome = 'sent' | 'would_send' | 'deferred' | 'rejected' | 'failed' | 'uncertain' | 'skipped' | 'stopped';
export type ItemReport = { outboxId: string; leadId: string | null; channel: SendChannel; outcome: ItemOutcome; reason: string | null; providerRef?: string; notBefore?: string };
/** What one drain of the outbox through the send gateway did (or, dry, would do). */
export type DrainReport = { dryRun: boolean; stopped: boolean; stopReason: string | null; reconciled: ItemReport[]; items: ItemReport[]; counts: Record<ItemOutcome, number> };

export type DispatchRequest = { motion: BatchMotion; live: boolean; batchId?: string | undefined; by: string };

export type DispatchReport = {
  motion: BatchMotion;
  mode: 'dry_run' | 'live';
  ramp: RampStatus;
  /** A pending batch this run created (live, Gatekeeper required, no batch given). */
  pendingBatch: { id: string; items: number; expiresAt: string } | null;
  /** Every pending batch this run created, when more than one: an `all` run puts CRM re-contacts in a `revival` batch of their own. */
  pendingBatches?: { id: string; motion: BatchMotion; items: number; expiresAt: string }[];
  /** What executing the batch queued (or, in a dry run, would queue). */
  queued: { batchId: string; items: number; duplicates: number; rejected: { leadId: string; channel: string; reason: string }[]; revivals?: number; revivalDrafts?: number } | null;
  /** Approved drafts not yet in any batch (what a new batch would hold). */
  waitingForBatch: number;
  drain: DrainReport;
};

/** The OPERATOR (dispatch/operator.ts) as a person drives it: a dispatch, the emergency stop, a resume. */
export type OperatorControls = {
  dispatch(request: DispatchRequest): Promise<DispatchReport>;
  /** The emergency stop: persisted first (every process checks it per item), then live campaigns paused. */
  stop(by: string, reason: string): Promise<{ at: Date; paused: Record<string, string | number> }>;
  resume(by: string): Promise<{ at: Date }>;
  /** Give (or correct) the reason of the stop in force. */
  explainStop(by: string, reason: string): Promise<{ at: Date; reason: string }>;
};

/** Campaigns as a person drives them (the CLI, and the API through the root): only a person activates one. */
export type CampaignControls = {
  list(): Promise<ProviderCampaign[]>;
  /** Start sending a draft Instantly campaign we created; returns it as it now is. */
  activate(externalId: string, by: string): Promise<ProviderCampaign>;
};

// ---- the operator status (dispatch/operator-status.ts) ------------------------------------------

/** What the operator status reads; the store implements each. */
export type OperatorStatusStores = {
  outbox: Pick<OutboxStore, 'sentSince' | 'sentCountsBetween' | 'dailyTotals' | 'statusCounts'>;
  control: Pick<ControlStore, 'emergencyStop'>;
  batches: Pick<BatchStore, 'open'>;
  campaigns: Pick<CampaignStore, 'list'>;
};

/**
 * The settings the operator status reads, as the loaded config holds them (src/config's `Config`
 * satisfies this type), so that the use case names no adapter.
 */
export type OperatorStatusConfig = {
  send: 'shadow' | 'live';
  env: { readonly EMERGENCY_STOP?: boolean | undefined };
  limits: {
    emailDailyLimit: number;
    emailHourlyLimit: number;
    emailMonthlyLimit: number;
    linkedinWarmupStart: string | null;
    linkedinWarmupWeeks: number;
    linkedinWarmupDailyLimit: number;
    linkedinFullDailyLimit: number;
  };
  ramp: RampSettings;
};

// ---- imported exclusions (caio exclusions import) -------------------------------------------

export type RecipientExclusion = { kind: 'domain' | 'email'; value: string; source: string; addedBy: string; addedAt: Date };

/** Customers' domains and e-mails imported from files; the send gateway refuses them as it does the config's. */
export interface ExclusionStore {
  /** Adds what is new; returns how many were new (a value already there keeps its first source). */
  add(entries: readonly RecipientExclusion[]): Promise<number>;
  list(): Promise<RecipientExclusion[]>;
}

// ---- a batch approved from the dashboard, sent to the end (dispatch/batch-send.ts) ---------------

export type BatchSendState = 'executed' | 'executing' | 'scheduled' | 'approved_shadow' | 'already_decided';

export type BatchSendOutcome = {
  batchId: string;
  state: BatchSendState;
  /** What happened, in the words the page shows. */
  message: string;
  scheduledFor: string | null;
  counts: { queued: number; refused: number; sent: number; deferred: number; failed: number } | null;
};

/** How a batch stands, for /operator and GET /api/operator/batches. */
export type BatchBoardState = 'pending' | 'approved' | 'scheduled' | 'executing' | 'executed' | 'rejected' | 'expired';

export type BatchBoardRow = {
  id: string;
  motion: BatchMotion;
  state: BatchBoardState;
  label: string;
  items: number;
  createdAt: string;
  expiresAt: string;
  decidedBy: string | null;
  scheduledFor: string | null;
  /** Outbox items of the batch by status, once executed. */
  outbox: Record<string, number>;
};

/** What the dashboard drives of it: approve and send, and the batches as they stand. */
export type BatchSendControls = {
  approveAndSend(batchId: string, by: string): Promise<BatchSendOutcome>;
  board(limit: number): Promise<BatchBoardRow[]>;
};
