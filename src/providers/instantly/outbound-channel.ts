import { AppError, isAppError } from '../../lib/app-error.js';
import { beforeTheLead } from '../http/before-the-send.js';
import type { CampaignStore, LookupResult, OutboundChannel, OutboxItem, ProviderCampaign } from '../../dispatch/ports.js';

/** The outbox step of an answer in a prospect's thread (issue 17 item 3). */
const REPLY_STEP = 'reply';
import type { InstantlyClient } from './client.js';
import type { InstantlyTimezone } from './schemas.js';

export type InstantlyChannelSettings = {
  /** Sending accounts (their addresses) put in each campaign's email_list; Instantly rotates them. */
  senders: readonly string[];
  /** Instantly's closed timezone enum has no America/New_York: Detroit is the same clock (contract quirk). */
  timezone: InstantlyTimezone;
  /** Instantly's day keys: 0 = Sunday ... 6 = Saturday. */
  days: readonly number[];
  fromHour: number;
  toHour: number;
  campaignDailyLimit: number;
  /** Minutes between e-mails of one campaign. */
  emailGapMinutes: number;
};

/**
 * Instantly's schedule takes "HH:MM" up to 23:59 (contract regex): our business hours may end at
 * 24 (midnight), which is the end of the day, so it becomes 23:59 rather than a refused "24:00".
 */
const hh = (h: number) => (h >= 24 ? '23:59' : `${String(h).padStart(2, '0')}:00`);
const dayOf = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Instantly as an outbound channel. Each tier gets one campaign a day, created as a DRAFT (status 0)
 * and activated only by a person (`caio campaigns activate`); a campaign already activated is never
 * extended, the next lead opens `_v<k+1>`. Every lead carries its own subject and body as custom
 * variables and the one-step sequence is `{{subject}}` / `{{body}}`, so no lead gets another's copy
 * (the original reused the first lead's copy for a whole tier).
 */
export const createInstantlyChannel = (deps: { client: InstantlyClient; campaigns: CampaignStore; settings: InstantlyChannelSettings }): OutboundChannel => {
  const { client, campaigns, settings } = deps;
  /** The draft campaigns of the drain in progress (none kept outside a drain): one read per campaign, not per item. */
  let drainCampaigns: Map<string, ProviderCampaign> | null = null;

  /** One draft campaign per tier, step and day: `t1_pipeline_...` for the first e-mail, `t1_followup_s3_...` for cadence steps. */
  const draftCampaignFor = async (tier: string, step: string, now: Date) => {
    const day = dayOf(now);
    const key = step === 'initial' ? tier : `${tier}:${step}`;
    const kept = drainCampaigns?.get(`${key}|${day}`);
    if (kept) return kept;
    const campaign = await readOrCreateDraft(tier, step, key, day);
    drainCampaigns?.set(`${key}|${day}`, campaign);
    return campaign;
  };

  const readOrCreateDraft = async (tier: string, step: string, key: string, day: string) => {
    const latest = await campaigns.latest('instantly', 'campaign', key, day);
    if (latest && latest.status === 'draft') return latest;
    const version = (await campaigns.countFor('instantly', 'campaign', key, day)) + 1;
    const kind = step === 'initial' ? 'pipeline' : `followup_${step}`;
    const name = `${tier.replace('tier_', 't')}_${kind}_${day.replaceAll('-', '')}_v${version}`;
    const created = await beforeTheLead('instantly', `creating campaign ${name}`, () =>
      client.createCampaign({
        name,
        campaign_schedule: { schedules: [{ name: 'Business hours', timing: { from: hh(settings.fromHour), to: hh(settings.toHour) }, days: Object.fromEntries(settings.days.map((d) => [String(d), true])), timezone: settings.timezone }] },
        sequences: [{ steps: [{ type: 'email', delay: 0, variants: [{ subject: '{{subject}}', body: '{{body}}' }] }] }],
        ...(settings.senders.length ? { email_list: [...settings.senders] } : {}),
        daily_limit: settings.campaignDailyLimit,
        email_gap: settings.emailGapMinutes,
        stop_on_reply: true,
        insert_unsubscribe_header: true,
      }),
    );
    return campaigns.insert({ provider: 'instantly', externalId: created.id, name, kind: 'campaign', status: 'draft', tier: key, day });
  };

  /**
   * Add the lead to today's draft campaign. A campaign deleted at Instantly answers 404 (the lead was
   * not added: nothing reached anyone): it is marked gone, a new draft takes its place and the lead
   * goes there. Should that fail too, the item waits and goes again; it never fails on this cause.
   */
  const addToDraftCampaign = async (item: OutboxItem, now: Date, add: (campaignId: string) => ReturnType<InstantlyClient['addLeads']>) => {
    for (let attempt = 1; ; attempt++) {
      const campaign = await draftCampaignFor(item.tier ?? 'tier_3', item.step, now);
      try {
        return { campaign, result: await add(campaign.externalId) };
      } catch (error) {
        if (!isAppError(error) || error.code !== 'NOT_FOUND') throw error;
        await campaigns.setStatus(campaign.id, 'gone');
        drainCampaigns?.clear();
        if (attempt >= 2) {
          throw new AppError('PROVIDER_UNAVAILABLE', `instantly: campaign ${campaign.name} is gone at Instantly twice in a row; the item waits and goes again`, {
            retryable: true,
            details: { provider: 'instantly', reason: 'campaign_missing', uncertain: false },
          });
        }
      }
    }
  };

  /** An answer in the prospect's thread (Unibox reply), not a campaign: the send is the only call. */
  const deliverReply = async (item: OutboxItem) => {
    const thread = item.payload.thread;
    if (!thread?.replyToUuid || !thread.eaccount)
      throw new AppError('PROVIDER_BAD_REQUEST', 'instantly reply: the thread is unknown (no e-mail id or receiving account in the reply delivery)', { details: { provider: 'instantly', reason: 'thread_unknown' } });
    const sent = await client.replyToEmail({ replyToUuid: thread.replyToUuid, eaccount: thread.eaccount, subject: item.subject ?? 'Re:', text: item.body ?? '' });
    return { providerRef: `instantly:email:${sent.id}` };
  };
  /** Our reply in the thread, looked for before anything is sent again; without the thread's id Instantly cannot say (a person decides). */
  const lookupReply = async (item: OutboxItem): Promise<LookupResult> => {
    const thread = item.payload.thread;
    if (!thread?.threadId || !thread.replyToUuid) return { found: 'unknown' };
    const mine = (await client.sentInThread(thread.threadId)).find((e) => e.replyToUuid === thread.replyToUuid);
    return mine ? { found: true, providerRef: `instantly:email:${mine.id}` } : { found: false };
  };

  return {
    name: 'instantly',
    deliver: async (item: OutboxItem, now: Date) => {
      if (item.step === REPLY_STEP) return deliverReply(item);
      const followUp = item.step !== 'initial';
      const { campaign, result } = await addToDraftCampaign(item, now, (campaignId) =>
        client.addLeads(
          campaignId,
          [
            {
              email: item.recipient,
              ...(item.payload.firstName ? { first_name: item.payload.firstName } : {}),
              ...(item.payload.lastName ? { last_name: item.payload.lastName } : {}),
              ...(item.payload.companyName ? { company_name: item.payload.companyName } : {}),
              custom_variables: { subject: item.subject ?? '', body: item.body ?? '', caio_outbox_id: item.id },
            },
          ],
          // First e-mail: a person already in another campaign is refused loudly below, not skipped in
          // silence. A cadence follow-up goes to someone who is in our first campaign by design.
          { skipIfInWorkspace: !followUp, skipIfInCampaign: true },
        ),
      );
      if (result.uploaded < 1) {
        const why = result.inBlocklist ? 'on the Instantly block list' : result.invalidEmailCount ? 'an invalid address for Instantly' : result.duplicatedLeads || result.skippedCount ? 'already in an Instantly campaign' : 'not uploaded';
        throw new AppError('PROVIDER_BAD_REQUEST', `instantly refused the lead: ${why}`, { details: { provider: 'instantly', reason: why } });
      }
      return { providerRef: `instantly:campaign:${campaign.externalId}` };
    },
    lookup: async (item) => {
      if (item.step === REPLY_STEP) return lookupReply(item);
      const page = await client.listLeads({ search: item.recipient, limit: 10 });
      const lead = page.items.find((l) => l.email?.toLowerCase() === item.recipient.toLowerCase());
      if (!lead) return { found: false };
      return { found: true, providerRef: `instantly:campaign:${(lead as { campaign?: string | null }).campaign ?? 'unknown'}` };
    },
    pauseAll: async () => {
      drainCampaigns?.clear();
      let paused = 0;
      for (const c of await campaigns.list('instantly')) {
        if (c.kind !== 'campaign' || c.status !== 'active') continue;
        await client.pauseCampaign(c.externalId);
        await campaigns.setStatus(c.id, 'paused');
        paused++;
      }
      return paused;
    },
    activate: async (externalId) => {
      drainCampaigns?.clear();
      await client.activateCampaign(externalId);
    },
    pause: async (externalId) => {
      drainCampaigns?.clear();
      await client.pauseCampaign(externalId);
    },
    drainScope: (open) => {
      drainCampaigns = open ? new Map() : null;
    },
    // Instantly's analytics count bounces but not spam complaints; those come from webhooks (signal loop).
    health: async (externalId) => {
      const [a] = await client.campaignAnalytics([externalId]);
      return { sent: a?.emails_sent_count ?? 0, bounces: a?.bounced_count ?? 0, complaints: 0 };
    },
    // One analytics call per 50 campaigns (repeated `ids=`), not one per campaign: a month of
    // daily campaigns made every OPERATOR tick hundreds of calls (docs/simulation.md).
    healthOfMany: async (externalIds) => {
      const found = new Map<string, { sent: number; bounces: number; complaints: number }>();
      for (let i = 0; i < externalIds.length; i += 50) {
        for (const a of await client.campaignAnalytics(externalIds.slice(i, i + 50))) found.set(a.campaign_id, { sent: a.emails_sent_count ?? 0, bounces: a.bounced_count ?? 0, complaints: 0 });
      }
      for (const id of externalIds) if (!found.has(id)) found.set(id, { sent: 0, bounces: 0, complaints: 0 });
      return found;
    },
  };
};
