import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { createHttpPolicy } from '../../../src/providers/http/policy.js';
import { createHeyReachClient } from '../../../src/providers/heyreach/client.js';
import { startHeyReachSandbox, type HeyReachSandbox, type HeyReachSandboxOptions } from '../../../src/providers/sandbox/heyreach/server.js';
import { contractFixture } from '../../support/contracts.js';

const KEY = 'hr-test-key-0123456789';
const PAUSED = 334314;
const RUNNING = 334400;
const maya = { profileUrl: 'https://www.linkedin.com/in/example-maya-rivera', firstName: 'Maya', lastName: 'Rivera' };

describe('HeyReach campaign steps: AddLeadsToCampaignV2, its read-back and the campaign check, against the sandbox', () => {
  let sandbox: HeyReachSandbox | undefined;
  const start = async (options: HeyReachSandboxOptions = {}, retries = 0) => {
    sandbox = await startHeyReachSandbox({ apiKey: KEY, ...options });
    const policy = createHttpPolicy({ provider: 'heyreach', retries, secrets: [KEY], sleep: async () => {} });
    return { sandbox, client: createHeyReachClient({ baseUrl: sandbox.url, apiKey: KEY, policy }) };
  };
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('serves the contract fixtures: AddLeadsToCampaignV2 counts, and GetCampaignsForLead reads the lead back', async () => {
    const { sandbox } = await start();
    const post = (name: string) => {
      const { request } = contractFixture('heyreach', name) as unknown as { request: { path: string; body: unknown } };
      return fetch(new URL(request.path, sandbox.url), { method: 'POST', headers: { 'X-API-KEY': KEY, 'content-type': 'application/json' }, body: JSON.stringify(request.body) });
    };
    // The fixture's lead carries emailAddress, location and customUserFields: all documented fields, so it is added.
    expect(await (await post('add-leads-to-campaign.json')).json()).toEqual((contractFixture('heyreach', 'add-leads-to-campaign.json') as { response: { body: unknown } }).response.body);
    const readBack = (await (await post('get-campaigns-for-lead.json')).json()) as { totalCount: number; items: { campaignId: number }[]; leadFullName: string };
    expect(readBack).toMatchObject({ totalCount: 1, leadFullName: 'Maya Rivera', items: [{ campaignId: PAUSED }] });
    // The add kept both resume flags false: the paused campaign was not reactivated (quirk 1).
    expect(sandbox.campaigns().find((c) => c.id === PAUSED)!.status).toBe('PAUSED');
  });

  it('getCampaign: the campaign, or null when HeyReach has none by that id; campaignsForLead: where the lead is', async () => {
    const { client } = await start();
    expect(await client.getCampaign(RUNNING)).toMatchObject({ id: RUNNING, status: 'IN_PROGRESS' });
    expect(await client.getCampaign(999_999)).toBeNull();
    expect(await client.campaignsForLead(maya.profileUrl)).toEqual([]);
    expect(await client.addLeadsToCampaign(RUNNING, [maya])).toMatchObject({ added: 1, complete: true });
    expect(await client.campaignsForLead(`${maya.profileUrl}/`)).toEqual([RUNNING]);
    // Adding to a campaign that does not exist is a 404, nothing added anywhere.
    expect(await client.addLeadsToCampaign(999_999, [maya]).catch((e: unknown) => (e instanceof AppError ? e.code : e))).toBe('NOT_FOUND');
  });

  it('failure injection: a 502 on AddLeadsToCampaignV2 is not retried (it may have reached HeyReach) and the read-back says whether it did', async () => {
    const { sandbox, client } = await start({ failures: { status5xx: { count: 1, status: 502 }, path: '/api/public/campaign/AddLeadsToCampaignV2' } }, 3);
    const error = await client.addLeadsToCampaign(RUNNING, [maya]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PROVIDER_UNAVAILABLE');
    expect(sandbox.stats.requests).toBe(1);
    expect(await client.campaignsForLead(maya.profileUrl)).toEqual([]);
    // A read is retried through a 429.
    sandbox.setFailures({ status429: { count: 1, retryAfterSeconds: 0 }, path: '/api/public/campaign/GetCampaignsForLead' });
    expect(await client.campaignsForLead(maya.profileUrl)).toEqual([]);
  });

  it('a silent drop into a campaign (a lead without a last name) is reported incomplete, not added', async () => {
    const { sandbox, client } = await start();
    expect(await client.addLeadsToCampaign(RUNNING, [{ ...maya, lastName: ' ' }])).toMatchObject({ added: 0, dropped: 1, complete: false });
    expect(sandbox.leadsOfCampaign(RUNNING)).toEqual([]);
  });
});
