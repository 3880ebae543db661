/**
 * The cadence engine (spec/operator.md "Cadence engine: default_21day"), as pure functions.
 *
 * The original kept a mutable per-lead cursor (`current_step`, `next_step_due`) and its
 * `get_due_actions()` changed state while it read it: a step whose condition failed was recorded as
 * skipped and the cursor advanced, so even a dry run moved leads through the cadence. Here the state
 * is the set of resolved steps, every function returns a new value, and `dueSteps` only reports:
 * it marks nothing, skipped steps included. The caller records what it did (a dispatched step, or a
 * skip it wants to make permanent) through `completeStep`.
 *
 * Time is always an argument. Days are UTC days: day 1 is the UTC calendar day of the enrolment, and
 * a step of day N is due from 00:00 UTC of day N.
 */

// ---------------------------------------------------------------------------------------------
// Types. Plain shapes on purpose: the domain does not import the config schema.
// ---------------------------------------------------------------------------------------------

export type CadenceChannel = 'email' | 'linkedin';

/** One step of a cadence, as configured (`cadence.steps`). Step numbers are unique within a cadence. */
export type CadenceStep = { step: number; day: number; channel: CadenceChannel; action: string; condition?: string };

export type EnrollmentStatus = 'active' | 'paused' | 'exited' | 'completed';

/**
 * One lead's place in one cadence. `completedSteps` holds the step numbers that are resolved
 * (dispatched, or skipped for good by the caller), sorted and without duplicates, so the same set of
 * completions always gives the same value whatever order they arrived in.
 */
export type Enrollment = {
  leadId: string;
  cadenceId: string;
  enrolledAt: Date;
  status: EnrollmentStatus;
  completedSteps: number[];
  /** Why the enrollment exited (the exit event's type, or a manual reason); null otherwise. */
  exitReason: string | null;
  /** The latest `at` passed to `completeStep` (the maximum, so it does not depend on arrival order). */
  lastStepAt?: Date | null;
  /** When the status last changed (pause, resume, exit, completion); the pause reason lives in the event log. */
  statusChangedAt?: Date | null;
};

/**
 * What the engine needs to know about the lead right now, read from the lead status record.
 * The optional flags default to false.
 */
export type LeadFacts = {
  hasLinkedinUrl: boolean;
  /** Replied by email (or on any channel, if the caller does not distinguish). */
  replied: boolean;
  /** LinkedIn connection accepted (the original's `linkedin_connected` flag or `linkedin_status == "connected"`). */
  connected: boolean;
  bounced: boolean;
  unsubscribed: boolean;
  meetingBooked: boolean;
  linkedinReplied?: boolean;
  /** The lead was rejected (a terminal status; one of the spec's exit_on events). */
  rejected?: boolean;
  /** A connection request is on record for the lead (ours, or HeyReach's CONNECTION_REQUEST_SENT): never a second one. */
  connectionRequested?: boolean;
  /** HeyReach reported the LinkedIn campaign completed (`linkedin_exhausted`): no LinkedIn step any more. */
  linkedinExhausted?: boolean;
};

/** A step that is due now (or overdue) and may be acted on. */
export type DueStep = {
  step: number;
  day: number;
  channel: CadenceChannel;
  action: string;
  dueAt: Date;
  /** `<leadId>|<channel>|s<step>|d<day>`, the id the spec's batches freeze in `approved_cadence_actions`. */
  actionId: string;
};

export type SkipReason =
  /** The lead has an exit signal (reply, meeting, bounce, unsubscribe, rejection) not yet applied as an event. */
  | 'exit_pending'
  /** A LinkedIn step, or `has_linkedin_url`, for a lead without a LinkedIn URL. */
  | 'no_linkedin_url'
  /** A LinkedIn message, or `linkedin_connected`, for a lead who has not accepted the connection. */
  | 'not_connected'
  /** A connection request to a lead who is already connected. */
  | 'already_connected'
  /** A connection request to a lead who already has one (sent, or reported by HeyReach). */
  | 'already_requested'
  /** A LinkedIn step after HeyReach reported the campaign completed. */
  | 'linkedin_exhausted'
  /** `not_replied` for a lead who replied. */
  | 'replied'
  /** A condition the engine does not know: it fails closed rather than send on a guess. */
  | 'unknown_condition';

/** A step that is due by date but whose condition fails now. Nothing is recorded; the caller decides. */
export type SkippedStep = DueStep & { reason: SkipReason; detail: string };

export type DueStepsResult = { due: DueStep[]; skipped: SkippedStep[] };

/**
 * Events the enrollment reacts to. Exit: replied, linkedin_replied, meeting_booked, bounced,
 * unsubscribed, rejected, manual_exit. Pause: engaged_not_replied, manual_pause. Resume:
 * manual_resume only. Everything else (connection_accepted, opened, ...) changes nothing here: a
 * connection is a fact that `dueSteps` reads from `LeadFacts`.
 */
export type CadenceEventType = 'replied' | 'linkedin_replied' | 'meeting_booked' | 'bounced' | 'unsubscribed' | 'rejected' | 'engaged_not_replied' | 'connection_accepted' | 'opened' | 'manual_pause' | 'manual_resume' | 'manual_exit';

export type CadenceEvent = { type: CadenceEventType; at: Date; /** For manual_exit: the reason to record. */ reason?: string };

export type CadenceStatus = {
  status: EnrollmentStatus;
  /** The first unresolved step in step order; null once the enrollment has exited or completed. */
  nextStep: CadenceStep | null;
  /** When `nextStep` is due; null unless the enrollment is active (a paused one has no schedule). */
  nextDueAt: Date | null;
  /** How many unresolved steps are due by `now` (before conditions are checked); 0 unless active. */
  dueNow: number;
  completed: number;
  total: number;
  exitReason: string | null;
};

// ---------------------------------------------------------------------------------------------
// Schedule: UTC day arithmetic.
// ---------------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;

const startOfUtcDay = (at: Date): number => Math.floor(at.getTime() / DAY_MS) * DAY_MS;

/**
 * When a step is due: 00:00 UTC of (enrolment day + day - 1), the spec's `started_at date + (day - 1)`.
 * The config allows day 0; it is treated as day 1 so nothing is due before the enrolment day.
 */
export const stepDueAt = (enrolledAt: Date, day: number): Date => new Date(startOfUtcDay(enrolledAt) + (Math.max(1, day) - 1) * DAY_MS);

/** The spec's batch action id. `leadId` is used as given: the caller passes the normalised email or id. */
export const cadenceActionId = (leadId: string, step: Pick<CadenceStep, 'channel' | 'step' | 'day'>): string => `${leadId}|${step.channel}|s${step.step}|d${step.day}`;

const byStepNumber = (a: CadenceStep, b: CadenceStep): number => a.step - b.step;

// ---------------------------------------------------------------------------------------------
// Enrolment.
// ---------------------------------------------------------------------------------------------

/** A new enrollment, active from the UTC day of the lead's first touch on any channel. */
export const enroll = (leadId: string, cadenceId: string, firstTouchAt: Date): Enrollment => {
  if (Number.isNaN(firstTouchAt.getTime())) throw new RangeError(`cannot enroll ${leadId}: the first touch time is not a valid date`);
  return { leadId, cadenceId, enrolledAt: firstTouchAt, status: 'active', completedSteps: [], exitReason: null, lastStepAt: null, statusChangedAt: null };
};

/**
 * Auto-enrolment on a touch: the existing enrollment if there is one (whatever its status, so an
 * exited lead is never re-enrolled and a retried or late touch changes nothing), else a new one.
 * Unlike the original, a lead touched only on LinkedIn is enrolled too.
 */
export const enrollOnTouch = (existing: Enrollment | null | undefined, leadId: string, cadenceId: string, touchAt: Date): Enrollment => existing ?? enroll(leadId, cadenceId, touchAt);

// ---------------------------------------------------------------------------------------------
// Conditions.
// ---------------------------------------------------------------------------------------------

type Verdict = { ok: true } | { ok: false; reason: SkipReason; detail: string };

const PASS: Verdict = { ok: true };

/** The first exit signal in the facts, if any: the lead must get nothing more from this cadence. */
export const exitSignalOf = (facts: LeadFacts): CadenceEventType | null => {
  if (facts.unsubscribed) return 'unsubscribed';
  if (facts.bounced) return 'bounced';
  if (facts.rejected) return 'rejected';
  if (facts.meetingBooked) return 'meeting_booked';
  if (facts.replied) return 'replied';
  if (facts.linkedinReplied) return 'linkedin_replied';
  return null;
};

const hasReplied = (facts: LeadFacts): boolean => facts.replied || Boolean(facts.linkedinReplied) || facts.meetingBooked;

/** The configured condition: always, has_linkedin_url, not_replied, linkedin_connected. */
const checkCondition = (condition: string | undefined, facts: LeadFacts): Verdict => {
  switch (condition ?? 'always') {
    case 'always':
      return PASS;
    case 'has_linkedin_url':
      return facts.hasLinkedinUrl ? PASS : { ok: false, reason: 'no_linkedin_url', detail: 'the lead has no LinkedIn URL' };
    case 'not_replied':
      return hasReplied(facts) ? { ok: false, reason: 'replied', detail: 'the lead has replied' } : PASS;
    case 'linkedin_connected':
      return facts.connected ? PASS : { ok: false, reason: 'not_connected', detail: 'the lead has not accepted the LinkedIn connection' };
    default:
      return { ok: false, reason: 'unknown_condition', detail: `unknown step condition "${condition}"` };
  }
};

/**
 * Rules every LinkedIn step obeys whatever its configured condition: nothing can be sent without a
 * profile URL, and with `skip_linkedin_if_not_connected` (on in the spec) only the connection
 * request goes to a lead who is not connected. A connection request to a connected lead is skipped.
 */
const checkChannel = (step: CadenceStep, facts: LeadFacts): Verdict => {
  if (step.channel !== 'linkedin') return PASS;
  if (!facts.hasLinkedinUrl) return { ok: false, reason: 'no_linkedin_url', detail: 'LinkedIn step for a lead without a LinkedIn URL' };
  if (facts.linkedinExhausted) return { ok: false, reason: 'linkedin_exhausted', detail: 'HeyReach reported the LinkedIn campaign completed for the lead' };
  if (step.action === 'connect') {
    if (facts.connected) return { ok: false, reason: 'already_connected', detail: 'the lead is already connected on LinkedIn' };
    return facts.connectionRequested ? { ok: false, reason: 'already_requested', detail: 'a connection request is already on record for the lead' } : PASS;
  }
  return facts.connected ? PASS : { ok: false, reason: 'not_connected', detail: 'LinkedIn message before the connection was accepted' };
};

const checkStep = (step: CadenceStep, facts: LeadFacts): Verdict => {
  const exitSignal = exitSignalOf(facts);
  if (exitSignal) return { ok: false, reason: 'exit_pending', detail: `the lead has a "${exitSignal}" signal; the cadence stops` };
  const channel = checkChannel(step, facts);
  return channel.ok ? checkCondition(step.condition, facts) : channel;
};

// ---------------------------------------------------------------------------------------------
// Due steps, completion, status.
// ---------------------------------------------------------------------------------------------

/** Unresolved steps in step order. */
const unresolvedSteps = (enrollment: Enrollment, steps: readonly CadenceStep[]): CadenceStep[] => {
  const done = new Set(enrollment.completedSteps);
  return steps.filter((s) => !done.has(s.step)).sort(byStepNumber);
};

/**
 * The steps of an active enrollment that are due by `now` and not completed, in step order, split
 * into those to act on and those whose condition fails now (with the reason). Pure: unlike the
 * original's `get_due_actions()`, it records no skip and moves no cursor, so a step skipped today
 * (say, a LinkedIn message before the connection is accepted) is evaluated again on the next tick;
 * to make a skip permanent, the caller completes the step. Overdue steps are all returned; pacing
 * (one touch per channel per run, say) is the caller's choice.
 */
export const dueSteps = (enrollment: Enrollment, steps: readonly CadenceStep[], facts: LeadFacts, now: Date): DueStepsResult => {
  const result: DueStepsResult = { due: [], skipped: [] };
  if (enrollment.status !== 'active') return result;
  for (const step of unresolvedSteps(enrollment, steps)) {
    const dueAt = stepDueAt(enrollment.enrolledAt, step.day);
    if (dueAt.getTime() > now.getTime()) continue;
    const item: DueStep = { step: step.step, day: step.day, channel: step.channel, action: step.action, dueAt, actionId: cadenceActionId(enrollment.leadId, step) };
    const verdict = checkStep(step, facts);
    if (verdict.ok) result.due.push(item);
    else result.skipped.push({ ...item, reason: verdict.reason, detail: verdict.detail });
  }
  return result;
};

const laterOf = (a: Date | null | undefined, b: Date): Date => (a && a.getTime() >= b.getTime() ? a : b);

/**
 * Records a step as resolved. Idempotent: completing a step twice returns the enrollment unchanged
 * (the same object). The completion is recorded whatever the status, because a send that was in
 * flight when a reply exited the lead did happen; the status itself only moves from active to
 * completed, and only when `steps` is given and every one of them is resolved.
 */
export const completeStep = (enrollment: Enrollment, step: number, at: Date, steps?: readonly CadenceStep[]): Enrollment => {
  if (enrollment.completedSteps.includes(step)) return enrollment;
  const completedSteps = [...enrollment.completedSteps, step].sort((a, b) => a - b);
  const next: Enrollment = { ...enrollment, completedSteps, lastStepAt: laterOf(enrollment.lastStepAt, at) };
  const allResolved = steps !== undefined && steps.length > 0 && unresolvedSteps(next, steps).length === 0;
  return allResolved && next.status === 'active' ? { ...next, status: 'completed', statusChangedAt: at } : next;
};

/**
 * The status table. Exits come from active or paused (the original's sync_signals handled both);
 * pauses only from active; resume is manual only (the original has no automatic resume). Exited and
 * completed are final: nothing brings them back.
 */
const EXIT_EVENTS: ReadonlySet<CadenceEventType> = new Set(['replied', 'linkedin_replied', 'meeting_booked', 'bounced', 'unsubscribed', 'rejected', 'manual_exit']);
const PAUSE_EVENTS: ReadonlySet<CadenceEventType> = new Set(['engaged_not_replied', 'manual_pause']);

export const transitionFor = (status: EnrollmentStatus, event: CadenceEventType): EnrollmentStatus | null => {
  switch (status) {
    case 'active':
      if (EXIT_EVENTS.has(event)) return 'exited';
      return PAUSE_EVENTS.has(event) ? 'paused' : null;
    case 'paused':
      if (EXIT_EVENTS.has(event)) return 'exited';
      return event === 'manual_resume' ? 'active' : null;
    case 'exited':
    case 'completed':
      return null;
  }
};

/** The enrollment after an event; unchanged (the same object) when the event does not move it. */
export const applyEvent = (enrollment: Enrollment, event: CadenceEvent): Enrollment => {
  const to = transitionFor(enrollment.status, event.type);
  if (!to) return enrollment;
  const exitReason = to === 'exited' ? (event.type === 'manual_exit' ? event.reason?.trim() || 'manual_exit' : event.type) : null;
  return { ...enrollment, status: to, exitReason, statusChangedAt: event.at };
};

/** A summary for `caio cadence status`. */
export const cadenceStatus = (enrollment: Enrollment, steps: readonly CadenceStep[], now: Date): CadenceStatus => {
  const known = new Set(steps.map((s) => s.step));
  const completed = enrollment.completedSteps.filter((n) => known.has(n)).length;
  const open = enrollment.status === 'active' || enrollment.status === 'paused';
  const remaining = open ? unresolvedSteps(enrollment, steps) : [];
  const nextStep = remaining[0] ?? null;
  const active = enrollment.status === 'active';
  const nextDueAt = active && nextStep ? stepDueAt(enrollment.enrolledAt, nextStep.day) : null;
  const dueNow = active ? remaining.filter((s) => stepDueAt(enrollment.enrolledAt, s.day).getTime() <= now.getTime()).length : 0;
  return { status: enrollment.status, nextStep, nextDueAt, dueNow, completed, total: known.size, exitReason: enrollment.exitReason };
};
