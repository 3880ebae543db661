import { isLinkedinMessage, type CadenceStep } from '../domain/cadence/index.js';
import { applySignal, isLeadStatus, type SignalType } from '../domain/signals/index.js';
import type { SentItem, SentTouchWrite, TouchState } from '../dispatch/ports.js';
import type { SendChannel } from '../pipeline/context.js';
import { touchEnrolment, type CadenceSettings, type CadenceSync } from './cadence-sync.js';
import type { LeadEventStore, SignalLeadStore } from './ports.js';

const TOUCH: Record<SendChannel, { type: SignalType; channel: 'email' | 'linkedin' }> = {
  instantly: { type: 'email_sent', channel: 'email' },
  ghl: { type: 'email_sent', channel: 'email' },
  heyreach: { type: 'linkedin_connection_sent', channel: 'linkedin' },
};

/** A LinkedIn message to a connection: what a HeyReach item of a cadence message step is (not a connection request). */
const LINKEDIN_MESSAGE = { type: 'linkedin_message_sent', channel: 'linkedin' } as const satisfies { type: SignalType; channel: 'linkedin' };

/** The touch's timeline details; a revival e-mail says so (docs/revival.md). */
const detailsOf = (item: SentItem): Record<string, unknown> => ({ outboxId: item.id, provider: item.channel, providerRef: item.providerRef, ...(item.step === 'revival' ? { motion: 'revival' } : {}) });

/** The cadence step an outbox step completes (`s2` is step 2), or null: any other step is a first touch. */
const cadenceStepOf = (step: string): number | null => {
  const match = /^s(\d+)$/.exec(step);
  return match ? Number(match[1]) : null;
};

/**
 * The touch a sent item is: by channel, except that a HeyReach item of a cadence step whose action
 * messages a connection (`message`, `followup_message`: `isLinkedinMessage`) is a LinkedIn message,
 * not a connection request. The first touch and the connect step are requests; so is an item of a
 * step the cadence no longer has (it was a request or a message, and a request is what it used to
 * be recorded as).
 */
const touchOf = (item: SentItem, steps: readonly CadenceStep[]): { type: SignalType; channel: 'email' | 'linkedin' } => {
  if (item.channel !== 'heyreach') return TOUCH[item.channel];
  const n = cadenceStepOf(item.step);
  const step = n === null ? undefined : steps.find((s) => s.step === n);
  return step && isLinkedinMessage(step) ? LINKEDIN_MESSAGE : TOUCH.heyreach;
};

/** The outbox step of our answer in a prospect's thread (a reply draft, issue 17 item 3). */
const REPLY_STEP = 'reply';

/**
 * Our answer in a prospect's thread on their timeline: no status move (the lead stays `replied`, or
 * `meeting_booked` after a confirmation), no cadence step, no KPI; the conversation shows both sides.
 */
const answerEvent = (leadId: string, item: SentItem, at: Date) => ({
  leadId,
  at,
  channel: item.channel === 'heyreach' ? ('linkedin' as const) : ('email' as const),
  type: 'reply_answer_sent',
  source: 'operator',
  fromStatus: null,
  toStatus: null,
  inboxId: null,
  details: detailsOf(item),
});

/**
 * What the gateway reports after a provider accepted an item: the lead's status moves (e.g. to
 * `sent`) and the touch goes on its timeline, so decay detection and the cadence see our side of
 * the conversation as well as the lead's.
 */
export const createTouchRecorder =
  (deps: { events: LeadEventStore; leads: SignalLeadStore; cadence?: CadenceSync; steps: readonly CadenceStep[] }) =>
  async (item: SentItem, at: Date): Promise<void> => {
    if (!item.leadId) return;
    const found = await deps.leads.withTimeline(item.leadId);
    if (!found) return;
    const { lead, ...history } = found;
    if (item.step === REPLY_STEP) return void (await deps.events.append(answerEvent(lead.id, item, at)));
    const touch = touchOf(item, deps.steps);
    const outcome = isLeadStatus(lead.status) ? applySignal({ status: lead.status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: touch.type, at, source: 'operator' }) : null;
    const moved = outcome?.changed ? await deps.leads.setStatus(lead.id, lead.status, outcome.status, at) : false;
    await deps.events.append({
      leadId: lead.id,
      at,
      channel: touch.channel,
      type: touch.type,
      source: 'operator',
      fromStatus: moved ? lead.status : null,
      toStatus: moved ? outcome!.status : null,
      inboxId: null,
      details: detailsOf(item),
    });
    // A revival e-mail is a nurture touch: it does not start the cold cadence (docs/revival.md).
    if (item.step === 'revival') return;
    // The first touch on any channel enrols the lead in the cadence.
    const cadenceStep = cadenceStepOf(item.step);
    if (cadenceStep !== null) await deps.cadence?.completeStep(lead.id, cadenceStep, at);
    else await deps.cadence?.onTouch(lead.id, at, touch.channel);
  };

/**
 * The same touch decided without I/O from the lead's state read before the send (`before`, the
 * gateway's one read per item), for the store to write with the send's mark in one statement: the
 * status move (`applySignal`), the timeline event and the enrolment (`touchEnrolment`: completeStep
 * or onTouch; a revival touch leaves the cadence alone). The write records it only while the lead
 * is still as read; otherwise the gateway falls back to `createTouchRecorder`, which reads again.
 */
export const planTouch = (before: TouchState, item: SentItem, at: Date, cadence: CadenceSettings): Pick<SentTouchWrite, 'expect' | 'statusTo' | 'event' | 'enrolment'> => {
  const touch = touchOf(item, cadence.steps);
  const outcome = isLeadStatus(before.status) ? applySignal({ status: before.status, lastEventAt: before.lastEventAt, opens: before.opens }, { type: touch.type, at, source: 'operator' }) : null;
  return {
    expect: before,
    statusTo: outcome?.changed ? outcome.status : null,
    event: { at, channel: touch.channel, type: touch.type, source: 'operator', details: detailsOf(item) },
    enrolment: item.step === 'revival' ? null : touchEnrolment(cadence, before.enrolment, { leadId: before.leadId, at, channel: touch.channel, cadenceStep: cadenceStepOf(item.step) }),
  };
};
