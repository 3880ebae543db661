import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { inboxProcessorOn } from '../../../src/compose/signals.js';
import { loadConfig } from '../../../src/config/load.js';
import { buildApp } from '../../../src/server/app.js';
import { webhookRoutes } from '../../../src/server/webhook-routes.js';
import { createClayStore } from '../../../src/store/clay-repo.js';
import type { Database } from '../../../src/store/database.js';
import { createInboxStore } from '../../../src/store/inbox-repo.js';
import { contractFixture } from '../../support/contracts.js';
import { CADENCE, dispatchHarness, HARNESS_CONFIG, type Harness } from '../../support/dispatch.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * Issue 18 leftovers, item 1: HeyReach's `CAMPAIGN_COMPLETED` that names no lead, only its campaign
 * (contracts/heyreach.md: it "may carry no lead"), reaches every lead we added to that campaign
 * (message steps sent with providerRef `heyreach:campaign:<id>`) through the normal transition
 * table, each once, with the delivery on each lead's timeline. Posted through `caio serve`'s webhook
 * route (the URL secret) and processed by the production inbox processor.
 */

const DAY_MS = 86_400_000;
const DAY1 = Date.UTC(2026, 10, 23);
const HR_SECRET = 'hr-secret-0123456789';
const EVERY_DAY = { dispatch: { ...HARNESS_CONFIG.dispatch, businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5, 6, 7] } } };
/** The sandbox's seeded campaign (paused; adding never resumes it). */
const CAMPAIGN = 334314;

describe('CAMPAIGN_COMPLETED naming only its campaign reaches the leads we added to it', () => {
  let database: Database;
  let h: Harness;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];
  let processor: ReturnType<typeof inboxProcessorOn>;

  const open = async () => {
    database = await openTestDatabase('postgres');
    h = await dispatchHarness(database, { config: { ...EVERY_DAY, heyreach: { campaigns: { '4': CAMPAIGN } } } });
    processor = inboxProcessorOn(database.db, { clock: h.clock, log: silentLog, cadence: CADENCE });
    const serverConfig = loadConfig({ cwd: '/nonexistent-caio-test-dir', env: { HEYREACH_WEBHOOK_SECRET: HR_SECRET, WEBHOOK_SIGNATURE_REQUIRED: 'true' } });
    const routes = webhookRoutes({ config: serverConfig, inbox: createInboxStore(database.db), clay: createClayStore(database.db), onStored: (id) => processing.push(processor.process(id)), now: () => h.clock.now() });
    const app = buildApp({ routes, maxBodyBytes: 1024 * 1024 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closeReceiver = () => app.close();
  };
  afterEach(async () => {
    await Promise.all(processing);
    processing = [];
    await closeReceiver();
    await h.close();
    await database.close();
  });

  const at = (day: number, hour = 10) => h.clock.advance(DAY1 + (day - 1) * DAY_MS + hour * 3600_000 - h.clock.now().getTime());
  const linkedinOf = (n: number) => `https://www.linkedin.com/in/example-lead-${n}`;
  const heyreach = async (event: string, body: Record<string, unknown>) => {
    const res = await fetch(`${url}/webhooks/heyreach/${event}?secret=${HR_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await Promise.all(processing);
    return { status: res.status, body: (await res.json()) as { status: string; id: string } };
  };
  const accepted = (n: number) => ({ ...(contractFixture('heyreach', 'webhook.connection_request_accepted.json').request.body as Record<string, unknown>), lead: { profile_url: linkedinOf(n), first_name: 'Ann', last_name: 'Lee' } });
  /** The contract's minimal shape: the campaign, no lead, no message. */
  const completed = (campaignId: number) => ({
    ...(contractFixture('heyreach', 'webhook.campaign_completed.json').request.body as Record<string, unknown>),
    timestamp: h.clock.now().toISOString(),
    campaign: { id: campaignId, name: 'Tier 1 connect and message', status: 'FINISHED' },
  });
  const q = async <T>(query: ReturnType<typeof sql>) => ((await database.db.execute(query)) as { rows: T[] }).rows;
  const statusOf = async (leadId: string) => (await q<{ status: string }>(sql`select status from leads where id = ${leadId}::uuid`))[0]!.status;
  const completions = (leadId: string) =>
    q<{ from: string | null; to: string | null; inboxId: string; source: string; unchanged: string | null }>(
      sql`select from_status as "from", to_status as "to", details->>'inboxId' as "inboxId", source, details->>'unchanged' as unchanged from lead_events where lead_id = ${leadId}::uuid and type = 'linkedin_campaign_completed'`,
    );
  const inboxRow = async (id: string) => (await q<{ status: string; error: string | null; leadId: string | null }>(sql`select status, error, lead_id as "leadId" from webhook_inbox where id = ${id}::uuid`))[0]!;

  const cadenceDay = async () => {
    const created = await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' });
    if (!created.pendingBatch) return;
    await h.gatekeeper.approve(created.pendingBatch.id, 'Sam');
    await h.operator.dispatch({ motion: 'cadence', live: true, batchId: created.pendingBatch.id, by: 'A' });
  };

  it('each lead we added hears it once through the transition table; a lead who replied stays replied; a lead not in the campaign hears nothing', async () => {
    await open();
    const [done, replied, outside] = [await h.approvedLead(), await h.approvedLead(), await h.approvedLead()];
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    at(3);
    for (const n of [1, 2]) expect((await heyreach('CONNECTION_REQUEST_ACCEPTED', accepted(n))).status).toBe(202);
    at(5);
    await cadenceDay();
    at(7);
    await cadenceDay();
    // Steps 4 of the two who accepted went into the campaign; the third was never added to it.
    expect(
      h.sandboxes.heyreach
        .leadsOfCampaign(CAMPAIGN)
        .map((l) => l.profileUrl)
        .sort(),
    ).toEqual([linkedinOf(1), linkedinOf(2)]);
    expect((await heyreach('MESSAGE_REPLY_RECEIVED', { eventType: 'MESSAGE_REPLY_RECEIVED', lead: { firstName: 'Ann', profileUrl: linkedinOf(2) }, message: 'Sounds good, tell me more' })).status).toBe(202);
    expect(await statusOf(replied.leadId)).toBe('linkedin_replied');
    const outsideBefore = await statusOf(outside.leadId);

    at(8);
    const delivery = await heyreach('CAMPAIGN_COMPLETED', completed(CAMPAIGN));
    expect(delivery.status).toBe(202);
    expect(await inboxRow(delivery.body.id)).toEqual({ status: 'processed', error: null, leadId: null });
    expect(await statusOf(done.leadId)).toBe('linkedin_exhausted');
    expect(await completions(done.leadId)).toEqual([{ from: 'linkedin_connected', to: 'linkedin_exhausted', inboxId: delivery.body.id, source: 'heyreach', unchanged: null }]);
    // Replied outranks exhausted: not moved back, but the completion is on the timeline.
    expect(await statusOf(replied.leadId)).toBe('linkedin_replied');
    expect(await completions(replied.leadId)).toEqual([{ from: null, to: null, inboxId: delivery.body.id, source: 'heyreach', unchanged: expect.stringContaining('linkedin_replied') }]);
    expect(await statusOf(outside.leadId)).toBe(outsideBefore);
    expect(await completions(outside.leadId)).toEqual([]);

    // Processed again (an operator's replay): each lead still has its one event.
    expect(await processor.replay(delivery.body.id)).toBe('processed');
    for (const l of [done, replied]) expect(await completions(l.leadId)).toHaveLength(1);

    // The cadence skips the remaining LinkedIn step; the e-mail steps go on.
    at(14);
    const due = (await h.cadence.due(h.clock.now())).find((d) => d.leadId === done.leadId)!;
    expect(due.skipped.map((s) => [s.action, s.reason])).toEqual([['followup_message', 'linkedin_exhausted']]);
    expect(due.due.map((s) => s.channel)).toEqual(['email']);
  });

  it('a campaign we never added anyone to is kept as ignored, with the reason; nobody moves', async () => {
    await open();
    const lead = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    const before = await statusOf(lead.leadId);
    // The lead's invitation went into a list, not into a campaign: no campaign knows it from us.
    for (const campaignId of [CAMPAIGN, 424242]) {
      const delivery = await heyreach('CAMPAIGN_COMPLETED', completed(campaignId));
      expect(delivery.status).toBe(202);
      expect(await inboxRow(delivery.body.id)).toEqual({ status: 'ignored', leadId: null, error: `CAMPAIGN_COMPLETED for HeyReach campaign ${campaignId}: we added no lead to it (a campaign we never used)` });
    }
    expect(await statusOf(lead.leadId)).toBe(before);
    expect(await completions(lead.leadId)).toEqual([]);
  });

  it('one that names neither a lead nor a campaign is answered and kept as ignored at the door', async () => {
    await open();
    const body = { eventType: 'CAMPAIGN_COMPLETED', timestamp: h.clock.now().toISOString() };
    const delivery = await heyreach('CAMPAIGN_COMPLETED', body);
    expect([delivery.status, delivery.body.status]).toEqual([200, 'ignored']);
    expect((await inboxRow(delivery.body.id)).error).toMatch(/names no lead .* and no campaign/);
  });
});
