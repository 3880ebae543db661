/**
 * The lead status machine (spec/signals.md section 1, design invariant 6).
 *
 * The original accepted whatever status arrived last, so an `opened` webhook delivered after a
 * reply moved the lead back to `opened`. Here every move goes through one explicit table
 * (`LEAD_STATUS_TRANSITIONS`) and one total function (`applySignal`) that returns the outcome as a
 * value, including the reason a person will read in the lead's history. The caller appends the
 * signal (always) and a history entry (only when `changed`), as the original did.
 *
 * Decisions, each one also tested:
 * 1. Progress only moves forward. `STATUS_RANK` orders the statuses from "not contacted" to
 *    "meeting booked"; every table entry moves to a higher rank except the three kinds of move
 *    listed in 2, 3 and 13.
 * 2. Recovery: a fresh `email_opened` on a `stalled` lead (a time-based decay of `opened`) moves it
 *    back to `opened` (or `engaged_not_replied`, see 5): the silence the decay described is over.
 * 3. Restart: `revival_queued` (an explicit operator action) restarts a lead whose outreach went
 *    quiet. It is allowed from the statuses the original's `is_revivable` accepts: no record
 *    (`unknown`), and every status that is neither terminal nor "active" (ghosted, stalled,
 *    engaged_not_replied, replied, linkedin_replied, linkedin_exhausted, meeting_booked).
 * 4. A late event (its `at` is before the lead's `lastEventAt`) is applied only when it moves the
 *    lead forward in rank; it can never trigger a recovery or a restart. So an `opened` after
 *    `replied` stays `replied` whatever the order, and a days-late open does not undo a decay that
 *    was declared after it.
 * 5. Repeated opens: the original turned a lead into `engaged_not_replied` ("hesitant") on the
 *    second open while it was `opened`. Kept, with the threshold as a rule (`engagedAfterOpens`),
 *    also from `stalled` (a stalled lead has opened before). A click counts as at least that
 *    much interest, so `email_clicked` moves to `engaged_not_replied` directly: the spec has no
 *    `clicked` status, and adding one would be a status the funnel, cadence pause list and revival
 *    scoring do not know.
 * 6. Suppression wins over everything: `email_bounced`, `unsubscribed` and `do_not_contact` move
 *    every non-suppressed status, including `disqualified`, `rejected` and `meeting_booked`, and
 *    they are applied even when late. Withdrawn consent must never be lost to ordering, and a
 *    disqualified lead may be re-scored later (the pipeline may overwrite `disqualified`), so its
 *    opt-out has to be on record.
 * 7. Suppression statuses never leave suppression. Among them a stronger one may replace a weaker
 *    one (bounced < unsubscribed < do_not_contact): a bounce says the address failed, an
 *    unsubscribe says the person withdrew consent, and that must survive a fixed address.
 * 8. Closed statuses (`disqualified`, `rejected`) ignore engagement: the signal is recorded but a
 *    reply does not reopen a lead a person or the scorer closed. Only suppression moves them.
 * 9. The pipeline's own statuses (discovered, enriched, scored, pending_review, queued, the
 *    original's pending/approved/dispatched, ...) are all "not contacted yet" (rank 0): any
 *    outreach or engagement event moves them into the outreach and engagement statuses.
 * 10. `website_visit` changes no status: a visit is intent that scoring and revival read, not a
 *    response to outreach. The caller still records it as a signal.
 * 11. Decay (`decay_*`) and revival are events too, so the daily decay run and the revival motion
 *    go through the same table and the same history. A decay event's `at` should be the moment
 *    the threshold was crossed (`Decay.since`), which makes decision 4 compare the right instants.
 * 12. Duplicate deliveries are the inbox's job (idempotency key). Here a duplicate is harmless for
 *    status (it maps to the status the lead already has), but a duplicated open would be counted
 *    twice by the caller's open counter.
 * 13. Cancel: `meeting_cancelled` (the SCHEDULER cancelled the lead's appointment at the lead's
 *    request, issue 17 item 4) moves `meeting_booked` back to `replied`: the lead asked for it in a
 *    reply, has no meeting any more, and may book again. It is emitted at "now" by the system
 *    itself, like decay and revival; from any other status it is recorded and moves nothing (a
 *    suppressed lead stays suppressed).
 */

/** Spec groups, plus the rewrite's pipeline statuses (pipeline) and `do_not_contact` (terminal). */
export const LEAD_STATUS_GROUPS = {
  pipeline: ['unknown', 'discovered', 'enriched', 'unenriched', 'scored', 'skipped', 'duplicate', 'pending_review', 'review_rejected', 'queued', 'pending', 'approved', 'dispatched', 'sent'],
  engagement: ['opened', 'replied', 'meeting_booked'],
  decay: ['ghosted', 'stalled', 'engaged_not_replied'],
  terminal: ['bounced', 'unsubscribed', 'do_not_contact', 'rejected', 'disqualified'],
  linkedin: ['linkedin_sent', 'linkedin_connected', 'linkedin_replied', 'linkedin_exhausted'],
  revival: ['revival_candidate', 'revival_queued', 'revival_sent'],
} as const;

export type LeadStatusGroup = keyof typeof LEAD_STATUS_GROUPS;
export type LeadStatus = (typeof LEAD_STATUS_GROUPS)[LeadStatusGroup][number];

export const LEAD_STATUSES: readonly LeadStatus[] = Object.values(LEAD_STATUS_GROUPS).flat();

export const isLeadStatus = (value: string): value is LeadStatus => (LEAD_STATUSES as readonly string[]).includes(value);

export const statusGroupOf = (status: LeadStatus): LeadStatusGroup => (Object.keys(LEAD_STATUS_GROUPS) as LeadStatusGroup[]).find((group) => (LEAD_STATUS_GROUPS[group] as readonly string[]).includes(status))!;

export const SIGNAL_TYPES = [
  'email_sent',
  'email_opened',
  'email_clicked',
  'email_replied',
  'email_bounced',
  'unsubscribed',
  'linkedin_connection_sent',
  'linkedin_connection_accepted',
  /**
   * Our LinkedIn message to a connection (a cadence message step handed to HeyReach): a touch on the
   * timeline that moves no status (the lead is already `linkedin_connected`) and is not a KPI
   * connection request (docs/linkedin.md).
   */
  'linkedin_message_sent',
  'linkedin_replied',
  /** HeyReach CAMPAIGN_COMPLETED: the LinkedIn sequence ran out without a reply. */
  'linkedin_campaign_completed',
  'meeting_booked',
  'website_visit',
  'do_not_contact',
  /** Emitted by decay detection (decay.ts), never by a provider. */
  'decay_ghosted',
  'decay_stalled',
  'decay_engaged_not_replied',
  /** Emitted by the revival motion when it queues a stale lead. */
  'revival_queued',
  /** Emitted by the SCHEDULER when it cancels the lead's appointment (decision 13), never by a provider. */
  'meeting_cancelled',
] as const;

export type SignalType = (typeof SIGNAL_TYPES)[number];

export const isSignalType = (value: string): value is SignalType => (SIGNAL_TYPES as readonly string[]).includes(value);

/** Statuses that block every outbound touch (design invariant 3); the send gateway reads this. */
const SUPPRESSING: ReadonlySet<string> = new Set<LeadStatus>(['unsubscribed', 'bounced', 'do_not_contact']);

/** Accepts any string so a raw stored status can be checked without narrowing first. */
export const suppresses = (status: string): boolean => SUPPRESSING.has(status);

/** Closed by a person or the scorer: engagement does not reopen them (decision 8). */
const CLOSED: ReadonlySet<LeadStatus> = new Set<LeadStatus>(['disqualified', 'rejected']);

export const isTerminal = (status: LeadStatus): boolean => statusGroupOf(status) === 'terminal';

/**
 * Progress order: a higher rank is further along. Pipeline statuses share rank 0 because no signal
 * moves a lead between them. Suppression ranks highest so that decision 4 never blocks it.
 */
export const STATUS_RANK: Readonly<Record<LeadStatus, number>> = {
  unknown: 0,
  discovered: 0,
  enriched: 0,
  unenriched: 0,
  scored: 0,
  skipped: 0,
  duplicate: 0,
  pending_review: 0,
  review_rejected: 0,
  queued: 0,
  pending: 0,
  approved: 0,
  dispatched: 0,
  revival_candidate: 0,
  sent: 10,
  linkedin_sent: 11,
  revival_queued: 12,
  revival_sent: 13,
  ghosted: 14,
  linkedin_connected: 20,
  linkedin_exhausted: 21,
  opened: 30,
  stalled: 31,
  engaged_not_replied: 32,
  linkedin_replied: 40,
  replied: 41,
  meeting_booked: 50,
  rejected: 90,
  disqualified: 90,
  bounced: 100,
  unsubscribed: 101,
  do_not_contact: 102,
};

export const statusRank = (status: LeadStatus): number => STATUS_RANK[status];

type TransitionRow = Readonly<Partial<Record<SignalType, LeadStatus>>>;

const SUPPRESSION = { email_bounced: 'bounced', unsubscribed: 'unsubscribed', do_not_contact: 'do_not_contact' } as const satisfies TransitionRow;

/** The first sign of life from a lead who has not engaged yet. */
const FIRST_ENGAGEMENT = {
  email_opened: 'opened',
  email_clicked: 'engaged_not_replied',
  email_replied: 'replied',
  linkedin_replied: 'linkedin_replied',
  meeting_booked: 'meeting_booked',
} as const satisfies TransitionRow;

const REPLY_OR_MEETING = { email_replied: 'replied', linkedin_replied: 'linkedin_replied', meeting_booked: 'meeting_booked' } as const satisfies TransitionRow;

const LINKEDIN_PROGRESS = { linkedin_connection_accepted: 'linkedin_connected', linkedin_campaign_completed: 'linkedin_exhausted' } as const satisfies TransitionRow;

const NOT_CONTACTED = {
  email_sent: 'sent',
  linkedin_connection_sent: 'linkedin_sent',
  ...LINKEDIN_PROGRESS,
  ...FIRST_ENGAGEMENT,
  ...SUPPRESSION,
} as const satisfies TransitionRow;

const RESTART = { revival_queued: 'revival_queued' } as const satisfies TransitionRow;

/**
 * status → signal → next status. A missing entry means the signal leaves the status as it is
 * (it is still recorded). Read with the decisions at the top of this file.
 */
export const LEAD_STATUS_TRANSITIONS: Readonly<Record<LeadStatus, TransitionRow>> = {
  unknown: { ...NOT_CONTACTED, ...RESTART },
  discovered: NOT_CONTACTED,
  enriched: NOT_CONTACTED,
  unenriched: NOT_CONTACTED,
  scored: NOT_CONTACTED,
  skipped: NOT_CONTACTED,
  duplicate: NOT_CONTACTED,
  pending_review: NOT_CONTACTED,
  review_rejected: NOT_CONTACTED,
  queued: NOT_CONTACTED,
  pending: NOT_CONTACTED,
  approved: NOT_CONTACTED,
  // Handed to the provider but not confirmed: the spec's ghost rule covers it.
  dispatched: { ...NOT_CONTACTED, decay_ghosted: 'ghosted' },
  revival_candidate: { ...NOT_CONTACTED, ...RESTART },
  sent: { linkedin_connection_sent: 'linkedin_sent', ...LINKEDIN_PROGRESS, ...FIRST_ENGAGEMENT, decay_ghosted: 'ghosted', ...SUPPRESSION },
  // An unanswered connection request ghosts like an unanswered email (an extension of the spec's
  // dispatched/sent rule, so a lead contacted on LinkedIn first is not invisible to decay).
  linkedin_sent: { ...LINKEDIN_PROGRESS, ...FIRST_ENGAGEMENT, decay_ghosted: 'ghosted', ...SUPPRESSION },
  revival_queued: { email_sent: 'revival_sent', ...LINKEDIN_PROGRESS, ...FIRST_ENGAGEMENT, ...SUPPRESSION },
  revival_sent: { ...LINKEDIN_PROGRESS, ...FIRST_ENGAGEMENT, decay_ghosted: 'ghosted', ...SUPPRESSION },
  // More sends to a ghosted lead do not end the silence; only engagement does.
  ghosted: { ...LINKEDIN_PROGRESS, ...FIRST_ENGAGEMENT, ...RESTART, ...SUPPRESSION },
  linkedin_connected: { linkedin_campaign_completed: 'linkedin_exhausted', ...FIRST_ENGAGEMENT, ...SUPPRESSION },
  linkedin_exhausted: { ...FIRST_ENGAGEMENT, ...RESTART, ...SUPPRESSION },
  // `email_opened` on `opened` maps to itself; the repeated-open rule may lift it (decision 5).
  opened: {
    email_opened: 'opened',
    email_clicked: 'engaged_not_replied',
    ...REPLY_OR_MEETING,
    decay_stalled: 'stalled',
    decay_engaged_not_replied: 'engaged_not_replied',
    ...SUPPRESSION,
  },
  stalled: { email_opened: 'opened', email_clicked: 'engaged_not_replied', ...REPLY_OR_MEETING, ...RESTART, ...SUPPRESSION },
  engaged_not_replied: { ...REPLY_OR_MEETING, ...RESTART, ...SUPPRESSION },
  // An email reply outranks a LinkedIn reply only to keep the order total; both exit the cadence.
  linkedin_replied: { email_replied: 'replied', meeting_booked: 'meeting_booked', ...RESTART, ...SUPPRESSION },
  replied: { meeting_booked: 'meeting_booked', ...RESTART, ...SUPPRESSION },
  // Decision 13: a cancelled meeting leaves the lead a replied lead that can book again.
  meeting_booked: { meeting_cancelled: 'replied', ...RESTART, ...SUPPRESSION },
  rejected: SUPPRESSION,
  disqualified: SUPPRESSION,
  bounced: { unsubscribed: 'unsubscribed', do_not_contact: 'do_not_contact' },
  unsubscribed: { do_not_contact: 'do_not_contact' },
  do_not_contact: {},
};

export type StatusRules = {
  /** Opens (including this one) that turn an opened lead into `engaged_not_replied`. Spec: 2. */
  engagedAfterOpens: number;
};

export const DEFAULT_ENGAGED_AFTER_OPENS = 2;
export const DEFAULT_STATUS_RULES: Readonly<StatusRules> = { engagedAfterOpens: DEFAULT_ENGAGED_AFTER_OPENS };

export type LeadStatusState = {
  status: LeadStatus;
  /** The latest `at` of any event already applied to this lead; null before the first one. */
  lastEventAt: Date | null;
  /** Opens recorded before this event; only read by the repeated-open rule. */
  opens?: number;
};

export type SignalEvent = { type: SignalType; at: Date; source: string };

/** Why the status did or did not move; stable codes for tests and audit queries. */
export type TransitionRule = 'moved' | 'recovered' | 'restarted' | 'cancelled' | 'suppressed' | 'same_status' | 'not_forward' | 'late' | 'terminal' | 'closed' | 'no_status_effect';

export type StatusChange = {
  changed: boolean;
  from: LeadStatus;
  status: LeadStatus;
  rule: TransitionRule;
  /** One sentence for the lead's history. */
  reason: string;
  /** The lead's `lastEventAt` after this event: the later of the two instants. */
  lastEventAt: Date;
};

const REPEAT_OPEN_FROM: ReadonlySet<LeadStatus> = new Set<LeadStatus>(['opened', 'stalled']);

/** Decision 5: being `opened` or `stalled` implies at least one earlier open. */
const liftRepeatedOpen = (current: LeadStatusState, event: SignalEvent, listed: LeadStatus, rules: StatusRules): LeadStatus => {
  if (event.type !== 'email_opened' || listed !== 'opened' || !REPEAT_OPEN_FROM.has(current.status)) return listed;
  const earlierOpens = Math.max(current.opens ?? 0, 1);
  return earlierOpens + 1 >= rules.engagedAfterOpens ? 'engaged_not_replied' : listed;
};

/** Why a signal with no table entry leaves the status as it is. */
const unlisted = (from: LeadStatus, type: SignalType): { rule: TransitionRule; why: string } => {
  // A repeated delivery of the signal that produced this status (a second reply, unsubscribe...).
  if (LEAD_STATUS_TRANSITIONS.unknown[type] === from) return { rule: 'same_status', why: 'is already the status this signal leads to' };
  if (suppresses(from)) return { rule: 'terminal', why: 'is suppressed; only a stronger suppression may replace it' };
  if (CLOSED.has(from)) return { rule: 'closed', why: 'is closed; engagement is recorded but does not reopen it' };
  if (type === 'website_visit') return { rule: 'no_status_effect', why: 'is kept; a website visit is intent, not a response to outreach' };
  return { rule: 'not_forward', why: 'is kept; this signal would not move it forward' };
};

const movedRule = (from: LeadStatus, to: LeadStatus, type: SignalType): TransitionRule => {
  if (suppresses(to)) return 'suppressed';
  if (STATUS_RANK[to] > STATUS_RANK[from]) return 'moved';
  if (type === 'meeting_cancelled') return 'cancelled';
  return type === 'revival_queued' ? 'restarted' : 'recovered';
};

const latest = (a: Date | null, b: Date): Date => (a !== null && a.getTime() > b.getTime() ? a : b);

/**
 * Apply one engagement event to a lead's status. Total: every status and signal gives an outcome,
 * and an outcome that keeps the status says why.
 */
export const applySignal = (current: LeadStatusState, event: SignalEvent, rules: StatusRules = DEFAULT_STATUS_RULES): StatusChange => {
  const from = current.status;
  const lastEventAt = latest(current.lastEventAt, event.at);
  const signal = `${event.type} from ${event.source}`;
  const keep = (rule: TransitionRule, reason: string): StatusChange => ({ changed: false, from, status: from, rule, reason, lastEventAt });

  const listed = LEAD_STATUS_TRANSITIONS[from][event.type];
  if (listed === undefined) {
    const { rule, why } = unlisted(from, event.type);
    return keep(rule, `${signal}: ${from} ${why}`);
  }
  const to = liftRepeatedOpen(current, event, listed, rules);
  if (to === from) return keep('same_status', `${signal}: already ${from}`);

  const late = current.lastEventAt !== null && event.at.getTime() < current.lastEventAt.getTime();
  if (late && STATUS_RANK[to] <= STATUS_RANK[from]) {
    return keep('late', `${signal} at ${event.at.toISOString()} is older than the last event (${current.lastEventAt!.toISOString()}); ${from} is not moved back to ${to}`);
  }
  return { changed: true, from, status: to, rule: movedRule(from, to, event.type), reason: `${signal}: ${from} to ${to}`, lastEventAt };
};

/** Apply events in the order given, threading `lastEventAt` and the open count like a caller would. */
export const applySignals = (initial: LeadStatusState, events: readonly SignalEvent[], rules: StatusRules = DEFAULT_STATUS_RULES): { state: Required<LeadStatusState>; changes: StatusChange[] } => {
  let state: Required<LeadStatusState> = { status: initial.status, lastEventAt: initial.lastEventAt, opens: initial.opens ?? 0 };
  const changes: StatusChange[] = [];
  for (const event of events) {
    const change = applySignal(state, event, rules);
    changes.push(change);
    state = { status: change.status, lastEventAt: change.lastEventAt, opens: state.opens + (event.type === 'email_opened' ? 1 : 0) };
  }
  return { state, changes };
};
