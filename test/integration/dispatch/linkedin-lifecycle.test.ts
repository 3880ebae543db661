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

const DAY_MS = 86_400_000;
/** Day 1 is the harness clock's day (Monday 2026-11-23). */
const DAY1 = Date.UTC(2026, 10, 23);
const HR_SECRET = 'hr-secret-0123456789';
/** Every day is a business day: the test is about the cadence's days, not the weekend rule. */
const EVERY_DAY = { dispatch: { ...HARNESS_CONFIG.dispatch, businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5, 6, 7] } } };
/** The sandbox's seeded campaigns (contracts/heyreach.md fixtures): 334314 is PAUSED. */
const PAUSED_CAMPAIGN = 334314;

describe('the LinkedIn lifecycle: one connection request per person, acceptance, message campaigns, exhaustion', () => {
  let database: Database;
  let h: Harness;
  let url = '';
  let closeReceiver = async () => {};
  let processing: Promise<unknown>[] = [];

  /** The production wiring with `config` on top of the harness's, and the webhook receiver of `caio serve` in front of the inbox processor. */
  const open = async (config: Record<string, unknown> = {}) => {
    database = await openTestDatabase('postgres');
    h = await dispatchHarness(database, { config: { ...EVERY_DAY, ...config } });
    const processor = inboxProcessorOn(database.db, { clock: h.clock, log: silentLog, cadence: CADENCE });
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

  /** A HeyReach event posted to `caio serve`'s webhook route (the URL secret), processed like a real delivery. */
  const heyreach = async (event: string, body: Record<string, unknown>) => {
    const res = await fetch(`${url}/webhooks/heyreach/${event}?secret=${HR_SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await Promise.all(processing);
    return res.status;
  };
  const accepted = (profileUrl: string) => ({ ...(contractFixture('heyreach', 'webhook.connection_request_accepted.json').request.body as Record<string, unknown>), lead: { profile_url: profileUrl, first_name: 'Ann', last_name: 'Lee' } });

  const heyreachRows = async (leadId?: string) =>
    (
      (await database.db.execute(
        leadId
          ? sql`select step, status, reason, provider_ref as "providerRef" from outbox where channel = 'heyreach' and lead_id = ${leadId}::uuid order by created_at`
          : sql`select step, status, reason, provider_ref as "providerRef" from outbox where channel = 'heyreach' order by created_at`,
      )) as { rows: { step: string; status: string; reason: string | null; providerRef: string | null }[] }
    ).rows;
  const statusOf = async (leadId: string) => ((await database.db.execute(sql`select status from leads where id = ${leadId}::uuid`)) as { rows: { status: string }[] }).rows[0]!.status;

  /** The cadence motion as a person runs it: what is due becomes a batch, approved, sent. Returns the batch's scope. */
  const cadenceDay = async () => {
    const created = await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' });
    if (!created.pendingBatch) return [];
    const batch = await h.gatekeeper.show(created.pendingBatch.id);
    await h.gatekeeper.approve(batch.id, 'Sam');
    await h.operator.dispatch({ motion: 'cadence', live: true, batchId: batch.id, by: 'A' });
    return batch.scope;
  };

  it('a lead invited on day 1 is never queued for a connection request again at step 2', async () => {
    // LinkedIn only: the invitation goes out on day 1, a day before the connect step's day.
    await open({ tierRouting: { tier_1: ['heyreach'], tier_2: ['heyreach'], tier_3: ['heyreach'], tier_4: [] } });
    const early = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    expect(await heyreachRows(early.leadId)).toEqual([expect.objectContaining({ step: 'initial', status: 'sent' })]);
    // The invitation resolved the connect step (step 2) on day 1.
    expect((await h.cadence.status(early.leadId, h.clock.now()))!.enrollment.completedSteps).toEqual([2]);
    for (let day = 2; day <= 8; day++) {
      at(day);
      const scope = await cadenceDay();
      expect(scope.filter((i) => i.channel === 'heyreach' && i.action.endsWith(':connect'))).toEqual([]);
    }
    expect((await heyreachRows(early.leadId)).map((r) => r.step)).toEqual(['initial']);
    expect(h.sandboxes.heyreach.lists().reduce((n, l) => n + l.leadCount, 0)).toBe(1);
  });

  it('an invitation deferred by the one-touch-a-day rule is not queued again by the connect step that comes due meanwhile', async () => {
    await open();
    const lead = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    // Day 1: the e-mail went; the invitation waits for tomorrow (one touch per lead per day).
    expect(await heyreachRows(lead.leadId)).toEqual([expect.objectContaining({ step: 'initial', status: 'queued' })]);
    at(2);
    // The connect step is due today, but the person's request is already in the outbox: no second one.
    const dueNow = (await h.cadence.due(h.clock.now())).flatMap((d) => d.due);
    expect(dueNow.map((d) => d.action)).toEqual(['connect']);
    // The cadence motion finds nothing new to batch, and its drain sends the waiting invitation.
    const created = await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' });
    expect(created.pendingBatch).toBeFalsy();
    expect(await heyreachRows(lead.leadId)).toEqual([expect.objectContaining({ step: 'initial', status: 'sent' })]);
    // Sent: the connect step is resolved, and the dry run of the next days shows no request.
    expect((await h.cadence.status(lead.leadId, h.clock.now()))!.enrollment.completedSteps).toEqual([1, 2]);
    for (let day = 3; day <= 6; day++) {
      at(day);
      await cadenceDay();
    }
    expect((await heyreachRows(lead.leadId)).map((r) => r.step)).toEqual(['initial']);
  });

  it('two leads with the same LinkedIn URL get one connection request between them', async () => {
    await open();
    const a = await h.approvedLead();
    const b = await h.approvedLead();
    // The same person under two records (two e-mail addresses, one profile).
    await database.db.execute(sql`update leads set linkedin_url = ${linkedinOf(1)}, profile = jsonb_set(profile, '{linkedinUrl}', to_jsonb(${linkedinOf(1)}::text)) where id = ${b.leadId}::uuid`);
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    const rows = await heyreachRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('sent');
    for (let day = 3; day <= 6; day++) {
      at(day);
      await cadenceDay();
    }
    expect(await heyreachRows()).toHaveLength(1);
    expect(h.sandboxes.heyreach.lists().reduce((n, l) => n + l.leadCount, 0)).toBe(1);
    expect([a.leadId, b.leadId]).toContain(((await database.db.execute(sql`select lead_id as "leadId" from outbox where channel = 'heyreach'`)) as { rows: { leadId: string }[] }).rows[0]!.leadId);
  });

  it('acceptance (webhook) makes the message step due; it goes into its configured campaign by AddLeadsToCampaignV2, a paused campaign stays paused', async () => {
    await open({ heyreach: { campaigns: { '4': PAUSED_CAMPAIGN } } });
    const connects = await h.approvedLead();
    const silent = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    at(3);
    expect(await heyreach('CONNECTION_REQUEST_ACCEPTED', accepted(linkedinOf(1)))).toBe(202);
    expect(await statusOf(connects.leadId)).toBe('linkedin_connected');
    at(5);
    await cadenceDay();
    at(7);
    const due = await h.cadence.due(h.clock.now());
    // The one who accepted has the message step due; the other's is skipped (not connected), nothing recorded.
    expect(due.find((d) => d.leadId === connects.leadId)!.due.map((s) => s.action)).toEqual(['message']);
    expect(due.find((d) => d.leadId === silent.leadId)!.skipped.map((s) => [s.action, s.reason])).toEqual([['message', 'not_connected']]);
    const scope = await cadenceDay();
    expect(scope.filter((i) => i.channel === 'heyreach').map((i) => [i.leadId, i.action])).toEqual([[connects.leadId, 'cadence:s4:message']]);
    expect((await heyreachRows(connects.leadId)).map((r) => [r.step, r.status, r.providerRef])).toEqual([
      ['initial', 'sent', expect.stringMatching(/^heyreach:list:/)],
      ['s4', 'sent', `heyreach:campaign:${PAUSED_CAMPAIGN}`],
    ]);
    expect(h.sandboxes.heyreach.leadsOfCampaign(PAUSED_CAMPAIGN).map((l) => l.profileUrl)).toEqual([linkedinOf(1)]);
    expect(h.sandboxes.heyreach.campaigns().find((c) => c.id === PAUSED_CAMPAIGN)!.status).toBe('PAUSED');
  });

  it('message steps obey the LinkedIn warm-up limit like connection requests', async () => {
    await open({ heyreach: { campaigns: { '4': PAUSED_CAMPAIGN } }, limits: { ...HARNESS_CONFIG.limits, linkedinWarmupStart: '2026-11-23', linkedinWarmupDailyLimit: 5 } });
    const leads = [await h.approvedLead(), await h.approvedLead()];
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    at(3);
    for (const n of [1, 2]) expect(await heyreach('CONNECTION_REQUEST_ACCEPTED', accepted(linkedinOf(n)))).toBe(202);
    at(5);
    await cadenceDay();
    at(7, 9);
    // Four LinkedIn touches already today (other work): one left of the warm-up's five.
    for (let i = 0; i < 4; i++) {
      await database.db.execute(sql`insert into outbox (dedup_key, channel, step, recipient, status, not_before, sent_at, claimed_at)
        values (${`warmup-${i}`}, 'heyreach', 'initial', ${`https://www.linkedin.com/in/someone-${i}`}, 'sent', now(), ${h.clock.now()}::timestamptz, ${h.clock.now()}::timestamptz)`);
    }
    at(7);
    await cadenceDay();
    const s4 = (await Promise.all(leads.map((l) => heyreachRows(l.leadId)))).flat().filter((r) => r.step === 's4');
    expect(s4.map((r) => r.status).sort()).toEqual(['queued', 'sent']);
    expect(s4.find((r) => r.status === 'queued')!.reason).toMatch(/quota_linkedin_daily/);
    expect(h.sandboxes.heyreach.leadsOfCampaign(PAUSED_CAMPAIGN)).toHaveLength(1);
  });

  it('a campaign id HeyReach does not have: the message step stays queued with an error naming the key, nothing is marked sent', async () => {
    await open({ heyreach: { campaigns: { '4': 999_999 } } });
    const lead = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    at(3);
    await heyreach('CONNECTION_REQUEST_ACCEPTED', accepted(linkedinOf(1)));
    at(5);
    await cadenceDay();
    at(7);
    await cadenceDay();
    const s4 = (await heyreachRows(lead.leadId)).find((r) => r.step === 's4')!;
    expect(s4.status).toBe('queued');
    expect(s4.reason).toMatch(/^CONFIG_INVALID: heyreach\.campaigns\.4: HeyReach has no campaign 999999/);
    expect(s4.providerRef).toBeNull();
    expect((await h.cadence.status(lead.leadId, h.clock.now()))!.enrollment.completedSteps).not.toContain(4);
    // Tried again later (not before the wait): still refused, still queued; nothing reached a campaign.
    h.clock.advance(20 * 60_000);
    const again = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(again.items.map((i) => [i.outcome, i.reason])).toEqual([['deferred', expect.stringContaining('heyreach.campaigns.4')]]);
    expect(h.sandboxes.heyreach.campaigns().flatMap((c) => h.sandboxes.heyreach.leadsOfCampaign(c.id))).toEqual([]);
  });

  it('CAMPAIGN_COMPLETED posted through the server makes the lead linkedin_exhausted; its LinkedIn steps stop, its e-mails go on', async () => {
    await open();
    const lead = await h.approvedLead();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(await statusOf(lead.leadId)).toBe('linkedin_sent');
    at(4);
    const body = { ...(contractFixture('heyreach', 'webhook.campaign_completed.json').request.body as Record<string, unknown>), lead: { profileUrl: linkedinOf(1), firstName: 'Ann1', lastName: 'Lee' } };
    expect(await heyreach('CAMPAIGN_COMPLETED', body)).toBe(202);
    expect(await statusOf(lead.leadId)).toBe('linkedin_exhausted');
    // Accepted after all: still no LinkedIn step (exhausted wins); the e-mail steps go on.
    await heyreach('CONNECTION_REQUEST_ACCEPTED', accepted(linkedinOf(1)));
    at(7);
    const due = (await h.cadence.due(h.clock.now())).find((d) => d.leadId === lead.leadId)!;
    expect(due.skipped.map((s) => [s.action, s.reason])).toEqual([['message', 'linkedin_exhausted']]);
    expect(due.due.map((s) => s.action)).toEqual(['value_followup']);
  });
});
