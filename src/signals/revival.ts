import { applySignal, isLeadStatus } from '../domain/signals/index.js';
import type { RevivalSettings } from '../domain/revival/index.js';
import type { LeadEventStore, RevivalCrm, SignalLeadStore } from './ports.js';
import { scanRevival, type RevivalCandidate } from './revival-scan.js';

/**
 * The revival motion's two halves: today's candidates (within `limits.revivalDailyLimit`, counting
 * the leads already queued today), and marking a candidate `revival_queued` once a person approved
 * the batch: its status moves through the transition table and the revival goes on its timeline
 * with the score, reason and context. Like the original, nothing is e-mailed here: a queued lead is
 * drafted by the crafter and reviewed like any other before anything goes out.
 */
export const createRevival = (deps: { ghl: RevivalCrm; leads: SignalLeadStore; events: LeadEventStore; settings: RevivalSettings; dailyLimit: number; queuedToday: (now: Date) => Promise<number> }) => ({
  candidates: async (now: Date): Promise<RevivalCandidate[]> => {
    const room = Math.max(0, deps.dailyLimit - (await deps.queuedToday(now)));
    return room === 0 ? [] : scanRevival({ ghl: deps.ghl, leads: deps.leads, events: deps.events, settings: deps.settings }, now, room);
  },
  scan: (now: Date, limit: number) => scanRevival({ ghl: deps.ghl, leads: deps.leads, events: deps.events, settings: deps.settings }, now, limit),
  ensureLead: (c: RevivalCandidate) => (c.leadId ? Promise.resolve(c.leadId) : deps.leads.fromCrmContact(c, 'revival')),
  markQueued: async (leadId: string, at: Date, details: Record<string, unknown>): Promise<boolean> => {
    const lead = await deps.leads.byId(leadId);
    if (!lead || !isLeadStatus(lead.status)) return false;
    const history = await deps.events.stateOf(leadId);
    const outcome = applySignal({ status: lead.status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: 'revival_queued', at, source: 'operator' });
    if (!outcome.changed || !(await deps.leads.setStatus(leadId, lead.status, outcome.status, at))) return false;
    await deps.events.append({ leadId, at, channel: 'crm', type: 'revival_queued', source: 'operator', fromStatus: lead.status, toStatus: outcome.status, inboxId: null, details });
    return true;
  },
});

export type Revival = ReturnType<typeof createRevival>;
