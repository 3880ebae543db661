import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import type { OutboxItem } from '../../../src/dispatch/ports.js';
import { createInstantlyClient } from '../../../src/providers/instantly/client.js';
import { createInstantlyChannel } from '../../../src/providers/instantly/outbound-channel.js';
import { createHeyReachClient } from '../../../src/providers/heyreach/client.js';
import { createHeyReachChannel } from '../../../src/providers/heyreach/outbound-channel.js';
import { createCampaignStore } from '../../../src/store/control-repo.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/** What a person does in Instantly's web app: delete a campaign (the API call the app makes). */
const deleteCampaign = async (h: Harness, id: string) => {
  const res = await fetch(`${h.sandboxes.instantly.url}/campaigns/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${h.sandboxes.instantly.apiKey}` } });
  expect(res.status).toBe(200);
};

const anItem = (over: Partial<OutboxItem>): OutboxItem =>
  ({
    id: `item-${Math.random().toString(36).slice(2)}`,
    dedupKey: 'k',
    batchId: null,
    draftId: null,
    leadId: null,
    channel: 'instantly',
    step: 'initial',
    recipient: 'x@y.example.com',
    recipientDomain: 'y.example.com',
    tier: 'tier_1',
    subject: 'Hello',
    body: 'Body',
    payload: { firstName: 'Ann', lastName: 'Lee', companyName: 'Northwind' },
    sender: null,
    status: 'queued',
    reason: null,
    notBefore: new Date(0),
    claimToken: null,
    claimedAt: null,
    providerRef: null,
    ...over,
  }) as OutboxItem;

describe('a provider container deleted at the provider (issue: safe to run live, item 8)', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase('postgres');
    h = await dispatchHarness(database);
  });
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  it('an Instantly campaign deleted by a person: the next lead goes into a new draft campaign through the send gateway, the old one is marked gone, nothing fails', async () => {
    const a = await h.approvedLead({ linkedin: false });
    const first = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'Maya' });
    expect(first.drain.counts.sent).toBe(1);
    const [old] = h.sandboxes.instantly.campaigns();
    expect(h.sandboxes.instantly.leadsOf(old!.id).map((l) => l.email)).toEqual([a.email]);
    await deleteCampaign(h, old!.id);

    const b = await h.approvedLead({ linkedin: false });
    const second = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'Maya' });
    expect(second.drain.counts).toMatchObject({ sent: 1, failed: 0, uncertain: 0 });
    const [fresh] = h.sandboxes.instantly.campaigns();
    expect(fresh!.id).not.toBe(old!.id);
    expect(fresh!.name).toMatch(/_v2$/);
    expect(h.sandboxes.instantly.leadsOf(fresh!.id).map((l) => l.email)).toEqual([b.email]);
    const stored = await createCampaignStore(h.db).list('instantly');
    expect(stored.map((c) => [c.externalId, c.status])).toEqual([
      [fresh!.id, 'draft'],
      [old!.id, 'gone'],
    ]);
    expect(await h.outbox.statusCounts()).toEqual({ sent: 2 });
  });

  it('when the new campaign is gone too, the item waits and goes again (never failed for good), then goes once Instantly keeps the campaign', async () => {
    // A workspace where every campaign disappears right after it is made (a cleanup script gone wrong).
    const client = createInstantlyClient({ baseUrl: h.sandboxes.instantly.url, apiKey: h.sandboxes.instantly.apiKey });
    let vanish = true;
    const vanishing = {
      ...client,
      createCampaign: async (input: Parameters<typeof client.createCampaign>[0]) => {
        const created = await client.createCampaign(input);
        if (vanish) await deleteCampaign(h, created.id);
        return created;
      },
    };
    const channel = createInstantlyChannel({
      client: vanishing,
      campaigns: createCampaignStore(h.db),
      settings: { senders: [], timezone: 'America/Detroit', days: [1, 2, 3, 4, 5], fromHour: 8, toHour: 18, campaignDailyLimit: 50, emailGapMinutes: 10 },
    });
    const item = anItem({ recipient: 'ann@northwind.example.com' });
    const error = await channel.deliver(item, h.clock.now()).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    // PROVIDER_UNAVAILABLE with uncertain: false is what the send gateway defers (it surely was not sent).
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { uncertain: false, reason: 'campaign_missing' } });
    expect((await createCampaignStore(h.db).list('instantly')).map((c) => c.status)).toEqual(['gone', 'gone']);
    vanish = false;
    const sent = await channel.deliver(item, h.clock.now());
    const [kept] = h.sandboxes.instantly.campaigns();
    expect(sent.providerRef).toBe(`instantly:campaign:${kept!.id}`);
    expect(kept!.name).toMatch(/_v3$/);
  });

  it('a HeyReach list deleted by a person: the next lead goes into a new list named _v2, the old one is marked gone', async () => {
    const channel = createHeyReachChannel({ client: createHeyReachClient({ baseUrl: h.sandboxes.heyreach.url, apiKey: h.sandboxes.heyreach.apiKey }), campaigns: createCampaignStore(h.db) });
    const linkedin = (n: number) => anItem({ channel: 'heyreach', recipient: `https://www.linkedin.com/in/example-${n}`, recipientDomain: null });
    await channel.deliver(linkedin(1), h.clock.now());
    const [old] = h.sandboxes.heyreach.lists();
    expect(h.sandboxes.heyreach.deleteList(old!.id)).toBe(true);
    const sent = await channel.deliver(linkedin(2), h.clock.now());
    const [fresh] = h.sandboxes.heyreach.lists();
    expect(fresh!.name).toBe(`${old!.name}_v2`);
    expect(sent.providerRef).toBe(`heyreach:list:${fresh!.id}`);
    expect(h.sandboxes.heyreach.leadsOfList(fresh!.id).map((l) => l.profileUrl)).toEqual(['https://www.linkedin.com/in/example-2']);
    expect((await createCampaignStore(h.db).list('heyreach')).map((c) => c.status)).toEqual(['draft', 'gone']);
  });
});
