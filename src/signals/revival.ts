import { applySignal, isLeadStatus } from '../domain/signals/index.js';
import type { RevivalSettings } from '../domain/revival/index.js';
import { emptyLead } from '../domain/lead.js';
import type { LeadEventStore, RevivalCrm, SignalLeadStore } from './ports.js';
import { scanRevival, type RevivalCandidate, type TimelinesOf } from './revival-scan.js';
import type { RevivalDrafter } from './revival-drafts.js';

/** What approving one revival item does (or, in a dry run, would do): queued for a draft, drafted, or why not. */
export type RevivalItemOutcome = { recipient: string; queued: boolean; draftId: string | null; drafted: boolean; reason: string | null };

/** The profile a CRM contact is recorded with (the store's fromCrmContact writes the same). */
const crmProfile = (email: string, c: { firstName: string | null; lastName: string | null; company: string | null }) => {
  const profile = emptyLead({ email, firstName: c.firstName, lastName: c.lastName, fullName: [c.firstName, c.lastName].filter(Boolean).join(' ') || null, sourceType: 'crm_contact', provenance: { email: 'ghl' } });
  profile.company.name = c.company;
  return profile;
};

/**
 * The revival motion's two halves: today's candidates (within `limits.revivalDailyLimit`, counting
 * the leads already queued today), and marking a candidate `revival_queued` once a person approved
 * the batch: its status moves through the transition table and the revival goes on its timeline
 * with the score, reason and context. Nothing is e-mailed here: `approve` then crafts the lead's
 * revival e-mail (revival-drafts.ts), which waits in the review queue for a person; approved revival
 * drafts go out in a revival batch through the send gateway on GoHighLevel (docs/revival.md).
 */
export const createRevival = (deps: {
  ghl: RevivalCrm;
  leads: SignalLeadStore;
  events: LeadEventStore;
  /** The scan's timelines of many leads in one read (store/timelines-repo.ts). */
  timelines: TimelinesOf;
  settings: RevivalSettings;
  dailyLimit: number;
  queuedToday: (now: Date) => Promise<number>;
  /** Crafts the revival e-mail of a queued lead; without it a queued lead gets no draft. */
  drafter?: RevivalDrafter;
}) => {
  /** Whether the revival_queued signal would move this lead (a lead we have no record of always can). */
  const canQueue = async (leadId: string | null, at: Date): Promise<boolean> => {
    const lead = leadId ? await deps.leads.byId(leadId) : null;
    if (!lead) return leadId === null;
    if (!isLeadStatus(lead.status)) return false;
    const history = await deps.events.stateOf(lead.id);
    return applySignal({ status: lead.status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: 'revival_queued', at, source: 'operator' }).changed;
  };
  const markQueued = async (leadId: string, at: Date, details: Record<string, unknown>): Promise<boolean> => {
    const lead = await deps.leads.byId(leadId);
    if (!lead || !isLeadStatus(lead.status)) return false;
    const history = await deps.events.stateOf(leadId);
    const outcome = applySignal({ status: lead.status, lastEventAt: history.lastEventAt, opens: history.opens }, { type: 'revival_queued', at, source: 'operator' });
    if (!outcome.changed || !(await deps.leads.setStatus(leadId, lead.status, outcome.status, at))) return false;
    await deps.events.append({ leadId, at, channel: 'crm', type: 'revival_queued', source: 'operator', fromStatus: lead.status, toStatus: outcome.status, inboxId: null, details });
    return true;
  };
  return {
    candidates: async (now: Date): Promise<RevivalCandidate[]> => {
      const room = Math.max(0, deps.dailyLimit - (await deps.queuedToday(now)));
      return room === 0 ? [] : scanRevival({ ghl: deps.ghl, leads: deps.leads, timelines: deps.timelines, settings: deps.settings }, now, room);
    },
    scan: (now: Date, limit: number) => scanRevival({ ghl: deps.ghl, leads: deps.leads, timelines: deps.timelines, settings: deps.settings }, now, limit),
    ensureLead: (c: RevivalCandidate) => (c.leadId ? Promise.resolve(c.leadId) : deps.leads.fromCrmContact(c, 'revival')),
    markQueued,
    /**
     * One approved revival item: the lead moves to `revival_queued` (timeline: score, reason,
     * context) and its revival e-mail is crafted into the review queue. `write: false` (a dry run)
     * reads only and says what the live run will do, by the same rules.
     */
    approve: async (
      item: { leadId: string; recipient: string; scan: { score: number; reason: string; daysInactive: number }; contact?: { firstName: string | null; lastName: string | null; company: string | null } | undefined },
      at: Date,
      write: boolean,
    ): Promise<RevivalItemOutcome> => {
      const known = item.leadId.startsWith('crm:') ? null : item.leadId;
      const queued = write ? await markQueued(item.leadId, at, { ...item.scan, approvedBatchItem: true }) : await canQueue(known, at);
      if (!queued) return { recipient: item.recipient, queued: false, draftId: null, drafted: false, reason: 'not_queueable' };
      if (!deps.drafter) return { recipient: item.recipient, queued: true, draftId: null, drafted: false, reason: 'no_drafter' };
      if (write) {
        const result = await deps.drafter.queue(item.recipient, item.scan, at);
        return { recipient: item.recipient, queued: true, draftId: result.draftId, drafted: result.draftId !== null, reason: result.reason };
      }
      // A contact we have no lead for yet is recorded (live) from its CRM names, as fromCrmContact does.
      const fallback = item.contact ? crmProfile(item.recipient, item.contact) : undefined;
      const plan = await deps.drafter.plan(item.recipient, item.scan, at, fallback);
      return { recipient: item.recipient, queued: true, draftId: null, drafted: plan.ok, reason: plan.ok ? null : plan.reason };
    },
  };
};

export type Revival = ReturnType<typeof createRevival>;
