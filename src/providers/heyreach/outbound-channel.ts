import { normalizeLinkedinUrl } from '../../domain/lead.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { CampaignStore, OutboundChannel, ProviderCampaign } from '../../dispatch/ports.js';
import { beforeTheLead } from '../http/before-the-send.js';
import type { HeyReachClient } from './client.js';

const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/**
 * HeyReach as an outbound channel: leads go into a lead LIST (one per day), never straight into a
 * campaign, because adding leads to a paused campaign reactivates it (contracts/heyreach.md); a
 * person attaches the list to a campaign in HeyReach. A lead HeyReach drops in silence is a
 * refusal, not a success.
 */
export const createHeyReachChannel = (deps: { client: HeyReachClient; campaigns: CampaignStore }): OutboundChannel => {
  const { client, campaigns } = deps;
  /** The lists of the drain in progress (none kept outside a drain): one read per list, not per item. */
  let drainLists: Map<string, ProviderCampaign> | null = null;

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
      const firstName = item.payload.firstName?.trim();
      const lastName = item.payload.lastName?.trim();
      if (!firstName || !lastName) throw new AppError('PROVIDER_BAD_REQUEST', 'heyreach needs a first and a last name; this lead has not both', { details: { provider: 'heyreach', reason: 'missing_name' } });
      const { list, result } = await addToList(item.step, now, (listId) =>
        client.addLeadsToList(listId, [
          {
            profileUrl: item.recipient,
            firstName,
            lastName,
            ...(item.payload.companyName ? { companyName: item.payload.companyName } : {}),
            ...(item.payload.title ? { position: item.payload.title } : {}),
            ...(item.payload.email ? { emailAddress: item.payload.email } : {}),
          },
        ]),
      );
      if (!result.complete) throw new AppError('PROVIDER_BAD_REQUEST', 'heyreach accepted the call but did not add the lead (silent drop)', { details: { provider: 'heyreach', reason: 'silent_drop' } });
      return { providerRef: `heyreach:list:${list.externalId}` };
    },
    lookup: async (item) => {
      const list = item.claimedAt ? await campaigns.latest('heyreach', 'list', item.step === 'initial' ? null : item.step, dayOf(item.claimedAt)) : null;
      if (!list) return { found: false };
      const wanted = normalizeLinkedinUrl(item.recipient);
      const leads = await client.getLeadsFromList(Number(list.externalId));
      return leads.some((l) => normalizeLinkedinUrl(l.profileUrl) === wanted) ? { found: true, providerRef: `heyreach:list:${list.externalId}` } : { found: false };
    },
    drainScope: (open) => {
      drainLists = open ? new Map() : null;
    },
  };
};
