import {
  applyEvent,
  completeStep,
  connectStepFor,
  enrollOnTouch,
  exitSignalOf,
  pacedCadenceStatus,
  pacedDueSteps,
  stepDueAt,
  type CadenceEventType,
  type CadenceStep,
  type CatchUpRule,
  type DueStep,
  type Enrollment,
  type SkippedStep,
} from '../domain/cadence/index.js';
import type { SignalType } from '../domain/signals/index.js';
import type { CadenceFactsQuery, CadenceStore } from './ports.js';
import { CADENCE_FACTS_EVENTS, leadFactsOf } from './cadence-facts.js';

export const CADENCE_ID = 'default_21day';

/** Which signals the cadence hears, and as what (the engine decides exit, pause or nothing). */
const CADENCE_EVENT: Partial<Record<SignalType, CadenceEventType>> = {
  email_replied: 'replied',
  linkedin_replied: 'linkedin_replied',
  meeting_booked: 'meeting_booked',
  email_bounced: 'bounced',
  unsubscribed: 'unsubscribed',
  do_not_contact: 'manual_exit',
  linkedin_connection_accepted: 'connection_accepted',
  email_opened: 'opened',
  decay_engaged_not_replied: 'engaged_not_replied',
};

/** `catchUp` (config `cadence.catchUp`): at most one step per lead per day after downtime; absent, it is on. */
export type CadenceSettings = { steps: readonly CadenceStep[]; exitOn: readonly string[]; pauseOn: readonly string[]; catchUp?: CatchUpRule };

/**
 * `events` and `leads` are no longer read here (the store reads the facts of many leads in one
 * statement); they stay optional so the composition root's callers compile until they drop them.
 */
export type CadenceSyncDeps = { store: CadenceStore & CadenceFactsQuery; settings: CadenceSettings };

/**
 * The cadence's bookkeeping, kept in step with the signal loop: the first touch on any channel
 * enrols a lead; exit and pause events (config `cadence.exitOn` / `pauseOn`) move the enrolment;
 * `next_due_at` is stored so the due query is one indexed range scan.
 */
export const createCadenceSync = (deps: CadenceSyncDeps) => {
  /** The cadence event a signal is, when the cadence hears it (configured exits and pauses, and the events it always hears). */
  const heard = (signal: SignalType): CadenceEventType | null => {
    const event = CADENCE_EVENT[signal];
    return event && (deps.settings.exitOn.includes(event) || deps.settings.pauseOn.includes(event) || event === 'manual_exit' || event === 'connection_accepted' || event === 'opened') ? event : null;
  };
  const statusOf = (e: Enrollment, now: Date) => pacedCadenceStatus(e, deps.settings.steps, now, deps.settings.catchUp);
  const save = (e: Enrollment, now: Date) => deps.store.save(e, statusOf(e, now).nextDueAt);

  /** The facts of every lead of these enrolments, read at once (one statement, whatever their number). */
  const factsOfAll = async (enrolments: readonly Enrollment[]) => {
    const records = await deps.store.leadRecords(
      enrolments.map((e) => e.leadId),
      CADENCE_FACTS_EVENTS,
    );
    return (leadId: string) => leadFactsOf(records.get(leadId));
  };

  const touchStep = (enrolled: Enrollment, at: Date, channel: 'email' | 'linkedin') => touchStepOf(deps.settings.steps, enrolled, at, channel);

  /** HeyReach reports a connection request it sent (its own campaign): an enrolled lead's connect step is resolved. */
  const requestReported = async (leadId: string, at: Date) => {
    const existing = await deps.store.get(leadId);
    const step = existing ? connectStepFor(existing, deps.settings.steps) : null;
    if (!existing || !step) return existing;
    const next = completeStep(existing, step.step, at, deps.settings.steps);
    await save(next, at);
    return next;
  };

  return {
    /**
     * A touch on any channel: enrol the lead if it is not enrolled (an exited lead is never
     * re-enrolled), and count the touch as a step: the outbound e-mail as the first e-mail step
     * due (the intro), the LinkedIn invitation as the connect step even before its day, so a lead
     * invited on day 1 is never invited again at step 2 (docs/linkedin.md).
     */
    onTouch: async (leadId: string, at: Date, channel: 'email' | 'linkedin') => {
      const enrolled = enrollOnTouch(await deps.store.get(leadId), leadId, CADENCE_ID, at);
      const step = touchStep(enrolled, at, channel);
      const next = step ? completeStep(enrolled, step.step, at, deps.settings.steps) : enrolled;
      await save(next, at);
      return next;
    },
    /** A cadence step was sent: resolved (idempotent; a completed cadence becomes `completed`). */
    completeStep: async (leadId: string, step: number, at: Date) => {
      const existing = await deps.store.get(leadId);
      if (!existing) return null;
      const next = completeStep(existing, step, at, deps.settings.steps);
      if (next !== existing) await save(next, at);
      return next;
    },
    /** A signal about the lead: exits and pauses as configured; other signals change nothing. */
    onSignal: async (leadId: string, signal: SignalType, at: Date) => {
      if (signal === 'linkedin_connection_sent') return requestReported(leadId, at);
      const event = heard(signal);
      // A signal the cadence does not hear (a click, a sent e-mail) costs no read: it runs per webhook delivery.
      if (!event) return null;
      const existing = await deps.store.get(leadId);
      if (!existing) return existing;
      const next = applyEvent(existing, { type: event, at, ...(event === 'manual_exit' ? { reason: signal } : {}) });
      if (next !== existing) await save(next, at);
      return next;
    },
    /** `onSignal` for many signals, in order, with one read for all their leads (set-based processing). */
    onSignals: async (signals: readonly { leadId: string; signal: SignalType; at: Date }[]) => {
      for (const s of signals) if (s.signal === 'linkedin_connection_sent') await requestReported(s.leadId, s.at);
      const wanted = signals.filter((s) => heard(s.signal));
      if (wanted.length === 0) return;
      const enrolments = await deps.store.getMany(wanted.map((s) => s.leadId));
      const changed = new Map<string, { enrolment: Enrollment; at: Date }>();
      for (const { leadId, signal, at } of wanted) {
        const existing = enrolments.get(leadId);
        if (!existing) continue;
        const event = heard(signal)!;
        const next = applyEvent(existing, { type: event, at, ...(event === 'manual_exit' ? { reason: signal } : {}) });
        if (next === existing) continue;
        enrolments.set(leadId, next);
        changed.set(leadId, { enrolment: next, at });
      }
      for (const { enrolment, at } of changed.values()) await save(enrolment, at);
    },
    /**
     * Due steps of every active enrolment, with the ones skipped by a condition and why (changes
     * nothing); under the catch-up rule, at most one per lead, on a schedule shifted by the delay.
     */
    due: async (now: Date, limit = 1000): Promise<{ leadId: string; due: DueStep[]; skipped: SkippedStep[] }[]> => {
      const enrolments = await deps.store.due(now, limit);
      const factsOf = await factsOfAll(enrolments);
      return enrolments.map((e) => ({ leadId: e.leadId, ...pacedDueSteps(e, deps.settings.steps, factsOf(e.leadId), now, deps.settings.catchUp) }));
    },
    /**
     * Re-derive every open enrolment from the lead's record (the original's `sync_signals`): an exit
     * the live hooks missed (a reply stored while the enrolment was being written, a status set by
     * hand) is applied now. Returns what changed.
     */
    sync: async (now: Date) => {
      const changed: { leadId: string; from: string; to: string; reason: string | null }[] = [];
      const open = await deps.store.open();
      // Saving an enrolment changes no lead or event, so the facts read before the loop are the ones each lead would be read with.
      const factsOf = await factsOfAll(open);
      for (const e of open) {
        const exit = exitSignalOf(factsOf(e.leadId));
        if (!exit) continue;
        const next = applyEvent(e, { type: exit, at: now });
        if (next === e) continue;
        await save(next, now);
        changed.push({ leadId: e.leadId, from: e.status, to: next.status, reason: next.exitReason });
      }
      return changed;
    },
    /**
     * Pause an active enrolment until `until` (an out-of-office reply, src/signals/follow-through.ts,
     * which records the resume as an action due then). True when the enrolment is paused now.
     */
    pauseUntil: async (leadId: string, at: Date, until: Date) => {
      const existing = await deps.store.get(leadId);
      if (!existing || until.getTime() <= at.getTime()) return false;
      const next = applyEvent(existing, { type: 'manual_pause', at });
      if (next !== existing) await save(next, at);
      return next.status === 'paused';
    },
    /** Resume a paused enrolment (the pause's end); anything else is left as it is. True when it resumed. */
    resume: async (leadId: string, at: Date) => {
      const existing = await deps.store.get(leadId);
      if (!existing || existing.status !== 'paused') return false;
      await save(applyEvent(existing, { type: 'manual_resume', at }), at);
      return true;
    },
    status: async (leadId: string, now: Date) => {
      const e = await deps.store.get(leadId);
      return e ? { enrollment: e, ...statusOf(e, now) } : null;
    },
  };
};

export type CadenceSync = ReturnType<typeof createCadenceSync>;

/** The step a touch counts as: a LinkedIn touch is the connection request (any day), an e-mail the first e-mail step due. */
const touchStepOf = (steps: readonly CadenceStep[], enrolled: Enrollment, at: Date, channel: 'email' | 'linkedin'): CadenceStep | undefined =>
  channel === 'linkedin'
    ? (connectStepFor(enrolled, steps) ?? undefined)
    : steps.filter((s) => s.channel === channel && !enrolled.completedSteps.includes(s.step) && stepDueAt(enrolled.enrolledAt, s.day).getTime() <= at.getTime()).sort((a, b) => a.step - b.step)[0];

/**
 * What a send does to the enrolment, decided without I/O from the enrolment read before it (the
 * dispatch's one-statement touch): `cadenceStep` N completes step N of an enrolled lead, as
 * `completeStep` does; otherwise the touch enrols the lead and counts as its step, as `onTouch`
 * does. The enrolment to save with its next due time, or null when nothing is saved.
 */
export const touchEnrolment = (
  settings: CadenceSettings,
  existing: Enrollment | null,
  touch: { leadId: string; at: Date; channel: 'email' | 'linkedin'; cadenceStep: number | null },
): { value: Enrollment; nextDueAt: Date | null } | null => {
  const { at } = touch;
  const saved = (e: Enrollment) => ({ value: e, nextDueAt: pacedCadenceStatus(e, settings.steps, at, settings.catchUp).nextDueAt });
  if (touch.cadenceStep !== null) {
    if (!existing) return null;
    const next = completeStep(existing, touch.cadenceStep, at, settings.steps);
    return next === existing ? null : saved(next);
  }
  const enrolled = enrollOnTouch(existing, touch.leadId, CADENCE_ID, at);
  const step = touchStepOf(settings.steps, enrolled, at, touch.channel);
  return saved(step ? completeStep(enrolled, step.step, at, settings.steps) : enrolled);
};
