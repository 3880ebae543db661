import { applySignal, DECAY_SIGNAL, detectDecay, isLeadStatus, type DecayThresholds } from '../domain/signals/index.js';
import type { CadenceSync } from './cadence-sync.js';
import type { DecayQuery, LeadEventStore, SignalLeadStore } from './ports.js';

/** Statuses decay can apply to (ghosted from a touch; stalled and engaged-not-replied from opened). */
const ELIGIBLE = ['dispatched', 'sent', 'linkedin_sent', 'revival_sent', 'opened'];

export type DecayFinding = { leadId: string; from: string; kind: string; since: string; detail: string; applied: boolean };

/**
 * Daily decay detection from a given "now": each eligible lead's timeline is judged by the pure
 * rules; a finding moves the status (through the same transition table as webhooks) and goes on
 * the timeline. `dryRun` reports the findings and writes nothing. Leads already decayed are not
 * eligible, so running twice changes nothing.
 */
export const runDecay = async (deps: { query: DecayQuery; events: LeadEventStore; leads: SignalLeadStore; thresholds: DecayThresholds; cadence?: CadenceSync }, now: Date, dryRun: boolean): Promise<DecayFinding[]> => {
  const findings: DecayFinding[] = [];
  for (const c of await deps.query.candidates(ELIGIBLE)) {
    if (!isLeadStatus(c.status)) continue;
    const decay = detectDecay({ ...c, status: c.status }, now, deps.thresholds);
    if (!decay) continue;
    let applied = false;
    if (!dryRun) {
      const history = await deps.events.stateOf(c.leadId);
      const outcome = applySignal({ status: c.status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: DECAY_SIGNAL[decay.kind], at: decay.since, source: 'decay' });
      if (outcome.changed && (await deps.leads.setStatus(c.leadId, c.status, outcome.status, now))) {
        applied = true;
        await deps.events.append({ leadId: c.leadId, at: decay.since, channel: 'pipeline', type: DECAY_SIGNAL[decay.kind], source: 'decay', fromStatus: c.status, toStatus: outcome.status, inboxId: null, details: { detail: decay.detail } });
        await deps.cadence?.onSignal(c.leadId, DECAY_SIGNAL[decay.kind], now);
      }
    }
    findings.push({ leadId: c.leadId, from: c.status, kind: decay.kind, since: decay.since.toISOString(), detail: decay.detail, applied });
  }
  return findings;
};
