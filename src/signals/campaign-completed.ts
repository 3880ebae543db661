import { applySignal, isLeadStatus, type SignalType } from '../domain/signals/index.js';
import type { CadenceSync } from './cadence-sync.js';
import type { CampaignRoster, LeadEventStore, NormalisedSignal, SignalLeadStore, StoredDelivery } from './ports.js';

/**
 * HeyReach's `CAMPAIGN_COMPLETED` that names no lead, only its campaign (contracts/heyreach.md: it
 * "may carry no lead"): every lead WE added to that campaign hears it, each through the normal
 * transition table (so a lead who replied or booked is not moved back; the cadence skips its
 * remaining LinkedIn steps because the event is on its timeline), each once, with the delivery on
 * each lead's timeline. A campaign we never added anyone to is kept as ignored, with the reason.
 * docs/linkedin.md "Campaign completed".
 */

const TYPE = 'linkedin_campaign_completed' satisfies SignalType;

export type CampaignCompletedStores = { roster: CampaignRoster; leads: SignalLeadStore; events: LeadEventStore; cadence?: CadenceSync | undefined };

/** The ref a HeyReach campaign add is recorded with (the channel's `providerRef`). */
export const heyreachCampaignRef = (campaignId: string) => `heyreach:campaign:${campaignId}`;

/** The campaign of a campaign-wide `CAMPAIGN_COMPLETED` (no person named, `details.campaignId`); null for any other signal. */
export const campaignWideCompletion = (signal: Pick<NormalisedSignal, 'email' | 'linkedinUrl' | 'type' | 'details'>): string | null => {
  if (signal.type !== TYPE || signal.email || signal.linkedinUrl) return null;
  const id = signal.details.campaignId;
  return (typeof id === 'string' || typeof id === 'number') && /^\d{1,18}$/.test(String(id)) ? String(id) : null;
};

/** What hearing it came to: the leads that heard it (each once, over replays too), or why nobody did. */
export type CampaignCompletedOutcome = { leadIds: string[] } | { ignored: string };

/** Status moves retried when another event moved the lead meanwhile (as the one-lead path does). */
const MOVE_ATTEMPTS = 3;

/**
 * Every lead we added to the campaign hears the completion, in the delivery's unit of work. The
 * timeline events carry the delivery as `details.inboxId`, not in `inbox_id`: that column is unique
 * per delivery and type (one event per delivery), and this delivery has one event per lead. A
 * replay finds them there (`roster.heard`) and adds none; the cadence hears it again (idempotent).
 */
export const hearCampaignCompleted = async (
  s: CampaignCompletedStores,
  item: Pick<StoredDelivery, 'id' | 'provider'>,
  signal: Omit<NormalisedSignal, 'at'> & { at: Date },
  campaignId: string,
  now: Date,
): Promise<CampaignCompletedOutcome> => {
  const roster = await s.roster.leadsSentTo(heyreachCampaignRef(campaignId));
  if (roster.length === 0) return { ignored: `CAMPAIGN_COMPLETED for HeyReach campaign ${campaignId}: we added no lead to it (a campaign we never used)` };
  const heard = await s.roster.heard(
    item.id,
    TYPE,
    roster.map((l) => l.id),
  );
  for (const lead of roster) {
    if (!heard.has(lead.id)) await hear(s, item, signal, lead.id, now);
    await s.cadence?.onSignal(lead.id, TYPE, signal.at);
  }
  return { leadIds: roster.map((l) => l.id) };
};

/** One lead: the status move through the transition table (compare-and-set) and the timeline event. */
const hear = async (s: CampaignCompletedStores, item: Pick<StoredDelivery, 'id' | 'provider'>, signal: Omit<NormalisedSignal, 'at'> & { at: Date }, leadId: string, now: Date) => {
  let found = await s.leads.withTimeline(leadId);
  if (!found) return;
  const decide = (f: NonNullable<typeof found>) => (isLeadStatus(f.lead.status) ? applySignal({ status: f.lead.status, lastEventAt: f.lastEventAt, opens: f.opens }, { type: TYPE, at: signal.at, source: item.provider }) : null);
  let outcome = decide(found);
  let moved = false;
  for (let attempt = 0; outcome?.changed && attempt < MOVE_ATTEMPTS; attempt++) {
    moved = await s.leads.setStatus(leadId, found.lead.status, outcome.status, now);
    if (moved) break;
    // Another event moved the lead meanwhile: decide again on what it is now (never a blind overwrite).
    found = (await s.leads.withTimeline(leadId)) ?? found;
    outcome = decide(found);
  }
  await s.events.append({
    leadId,
    at: signal.at,
    channel: signal.channel,
    type: TYPE,
    source: item.provider,
    fromStatus: moved ? found.lead.status : null,
    toStatus: moved ? outcome!.status : null,
    inboxId: null,
    details: { ...signal.details, inboxId: item.id, ...(outcome && !moved ? { unchanged: outcome.changed ? 'the lead kept moving meanwhile' : outcome.reason } : {}) },
  });
};
