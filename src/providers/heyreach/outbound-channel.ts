import { normalizeLinkedinUrl } from '../../domain/lead.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { CampaignStore, OutboundChannel, ProviderCampaign } from '../../dispatch/ports.js';
import { beforeTheLead } from '../http/before-the-send.js';
import type { HeyReachClient } from './client.js';
import { deliverLinkedInReply, lookupLinkedInReply, REPLY_STEP } from './reply-message.js';

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/** The cadence step number of an outbox step (`s4` -> "4"); null for a first touch. */
const stepNumberOf = (step: string): string | null => /^s(\d+)$/.exec(step)?.[1] ?? null;

/**
 * HeyReach as an outbound channel. Connection requests (the first touch, the cadence's connect
 * step) go into a lead LIST (one per day): a person attaches it to a campaign in HeyReach.
 * A LinkedIn message step with a campaign configured for it (`heyreach.campaigns.<step>`, the
 * keys checked against the cadence when the config loads) goes straight into that campaign with
 * AddLeadsToCampaignV2, both resume flags false so a paused or finished campaign is never
 * reactivated (contracts/heyreach.md quirk 1); a step without one falls back to its list. A lead
 * HeyReach drops in silence is a refusal, not a success. A configured campaign HeyReach does not
 * have is a config error naming the key, raised before the add: the item waits, queued.
 */
export const createHeyReachChannel = (deps: { client: HeyReachClient; campaigns: CampaignStore; messageCampaigns?: Readonly<Record<string, number>> }): OutboundChannel => {
  const { client, campaigns } = deps;
  const messageCampaigns = deps.messageCampaigns ?? {};
  /** The lists of the drain in progress (none kept outside a drain): one read per list, not per item. */
  let drainLists: Map<string, ProviderCampaign> | null = null;
  /** Configured campaigns HeyReach was asked about in this drain (one GetById per campaign per drain). */
  let drainChecked: Map<number, boolean> | null = null;

  /** The campaign a message step goes into, with the config key that named it; null: the step uses a list. */
  const campaignFor = (step: string): { campaignId: number; key: string } | null => {
    const n = stepNumberOf(step);
    const campaignId = n === null ? undefined : messageCampaigns[n];
    return campaignId === undefined ? null : { campaignId, key: `heyreach.campaigns.${n}` };
  };

  /** Refuses a configured campaign HeyReach does not have, naming the key; nothing was added. */
  const ensureCampaign = async ({ campaignId, key }: { campaignId: number; key: string }) => {
    let exists = drainChecked?.get(campaignId);
    if (exists === undefined) {
      exists = (await beforeTheLead('heyreach', `reading campaign ${campaignId}`, () => client.getCampaign(campaignId))) !== null;
      drainChecked?.set(campaignId, exists);
    }
    if (!exists) {
      throw new AppError('CONFIG_INVALID', `${key}: HeyReach has no campaign ${campaignId}; set ${key} to the id of an existing campaign (the item stays queued and goes once it is fixed)`, {
        retryable: true,
        details: { provider: 'heyreach', reason: 'campaign_missing', configKey: key, campaignId, uncertain: false },
      });
    }
  };

  /** One list a day for first touches, and one per cadence step a day (a person attaches each to its campaign). */
  const listFor = async (step: string, now: Date) => {
    const kept = drainLists?.get(`${step}|${dayOf(now)}`);
    if (kept) return kept;
    const list = await readOrCreateList(step, now);
    drainLists?.set(`${step}|${dayOf(now)}`, list);
    return list;
  };

  const readOrCreateList = async (step: string, now: Date) => {
    const day = dayOf(now);
    const key = step === 'initial' ? null : step;
    const existing = await campaigns.latest('heyreach', 'list', key, day);
    if (existing && existing.status !== 'gone') return existing;
    // A list deleted in HeyReach is replaced by `<name>_v2`, `_v3`, ...
    const version = existing ? (await campaigns.countFor('heyreach', 'list', key, day)) + 1 : 1;
    const name = `caio_linkedin_${step === 'initial' ? '' : `${step}_`}${day.replaceAll('-', '')}${version > 1 ? `_v${version}` : ''}`;
    const list = await beforeTheLead('heyreach', `creating list ${name}`, () => client.createList(name));
    return campaigns.insert({ provider: 'heyreach', externalId: String(list.id), name, kind: 'list', status: 'draft', tier: key, day });
  };

  /**
   * Add to today's list. A list deleted in HeyReach answers 404 (nothing was added): it is marked
   * gone and a new list takes its place; should that fail too, the item waits and goes again.
   */
  const addToList = async <T>(step: string, now: Date, add: (listId: number) => Promise<T>) => {
    for (let attempt = 1; ; attempt++) {
      const list = await listFor(step, now);
      try {
        return { list, result: await add(Number(list.externalId)) };
      } catch (error) {
        if (!isAppError(error) || error.code !== 'NOT_FOUND') throw error;
        await campaigns.setStatus(list.id, 'gone');
        drainLists?.clear();
        if (attempt >= 2) {
          throw new AppError('PROVIDER_UNAVAILABLE', `heyreach: list ${list.name} is gone in HeyReach twice in a row; the item waits and goes again`, {
            retryable: true,
            details: { provider: 'heyreach', reason: 'list_missing', uncertain: false },
          });
        }
      }
    }
  };

  return {
    name: 'heyreach',
    deliver: async (item, now) => {
      if (item.step === REPLY_STEP) return deliverLinkedInReply(client, item);
      const firstName = item.payload.firstName?.trim();
      const lastName = item.payload.lastName?.trim();
      if (!firstName || !lastName) throw new AppError('PROVIDER_BAD_REQUEST', 'heyreach needs a first and a last name; this lead has not both', { details: { provider: 'heyreach', reason: 'missing_name' } });
      const lead = {
        profileUrl: item.recipient,
        firstName,
        lastName,
        ...(item.payload.companyName ? { companyName: item.payload.companyName } : {}),
        ...(item.payload.title ? { position: item.payload.title } : {}),
        ...(item.payload.email ? { emailAddress: item.payload.email } : {}),
      };
      const silentDrop = () => new AppError('PROVIDER_BAD_REQUEST', 'heyreach accepted the call but did not add the lead (silent drop)', { details: { provider: 'heyreach', reason: 'silent_drop' } });
      const campaign = campaignFor(item.step);
      if (campaign) {
        await ensureCampaign(campaign);
        // The send itself: the last call of this path (a timeout here is uncertain and reconciled by lookup).
        const result = await client.addLeadsToCampaign(campaign.campaignId, [lead]);
        if (!result.complete) throw silentDrop();
        return { providerRef: `heyreach:campaign:${campaign.campaignId}` };
      }
      const { list, result } = await addToList(item.step, now, (listId) => client.addLeadsToList(listId, [lead]));
      if (!result.complete) throw silentDrop();
      return { providerRef: `heyreach:list:${list.externalId}` };
    },
    lookup: async (item) => {
      if (item.step === REPLY_STEP) return lookupLinkedInReply(client, item);
      const campaign = campaignFor(item.step);
      if (campaign) return (await client.campaignsForLead(item.recipient)).includes(campaign.campaignId) ? { found: true, providerRef: `heyreach:campaign:${campaign.campaignId}` } : { found: false };
      const list = item.claimedAt ? await campaigns.latest('heyreach', 'list', item.step === 'initial' ? null : item.step, dayOf(item.claimedAt)) : null;
      if (!list) return { found: false };
      const wanted = normalizeLinkedinUrl(item.recipient);
      const leads = await client.getLeadsFromList(Number(list.externalId));
      return leads.some((l) => normalizeLinkedinUrl(l.profileUrl) === wanted) ? { found: true, providerRef: `heyreach:list:${list.externalId}` } : { found: false };
    },
    drainScope: (open) => {
      drainLists = open ? new Map() : null;
      drainChecked = open ? new Map() : null;
    },
  };
};
