import { applySignal, isLeadStatus, type SignalType } from '../domain/signals/index.js';
import type { SendChannel } from '../pipeline/context.js';
import type { CadenceSync } from './cadence-sync.js';
import type { LeadEventStore, SignalLeadStore } from './ports.js';

const TOUCH: Record<SendChannel, { type: SignalType; channel: 'email' | 'linkedin' }> = {
  instantly: { type: 'email_sent', channel: 'email' },
  ghl: { type: 'email_sent', channel: 'email' },
  heyreach: { type: 'linkedin_connection_sent', channel: 'linkedin' },
};

/**
 * What the gateway reports after a provider accepted an item: the lead's status moves (e.g. to
 * `sent`) and the touch goes on its timeline, so decay detection and the cadence see our side of
 * the conversation as well as the lead's.
 */
export const createTouchRecorder =
  (deps: { events: LeadEventStore; leads: SignalLeadStore; cadence?: CadenceSync }) =>
  async (item: { leadId: string | null; channel: SendChannel; id: string; step: string; providerRef: string }, at: Date): Promise<void> => {
    if (!item.leadId) return;
    const found = await deps.leads.withTimeline(item.leadId);
    if (!found) return;
    const { lead, ...history } = found;
    const touch = TOUCH[item.channel];
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
      details: { outboxId: item.id, provider: item.channel, providerRef: item.providerRef },
    });
    // The first touch on any channel enrols the lead in the cadence.
    const cadenceStep = /^s(\d+)$/.exec(item.step);
    if (cadenceStep) await deps.cadence?.completeStep(lead.id, Number(cadenceStep[1]), at);
    else await deps.cadence?.onTouch(lead.id, at, touch.channel);
  };
