import { sql } from 'drizzle-orm';
import { AppError } from '../../../src/lib/app-error.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as AppError,
  );

/** Every row of every table, in a stable order: "the database is unchanged" means this is equal. */
const dump = async (h: Harness) => {
  const tables = ((await h.db.execute(sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`)) as { rows: { table_name: string }[] }).rows.map(
    (r) => r.table_name,
  );
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = ((await h.db.execute(sql.raw(`select * from "${t}" order by 1`))) as { rows: unknown[] }).rows;
  return JSON.stringify(out);
};

describe.each(STORE_KINDS)('OPERATOR outbound dispatch through the send gateway (%s)', (kind) => {
  let database: Database;
  let h: Harness;
  const extra: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    for (const c of extra.splice(0)) await c();
    await h?.close();
    await database.close();
  });
  const harness = async (options: Parameters<typeof dispatchHarness>[1] = {}) => {
    h = await dispatchHarness(database, options);
    return h;
  };

  it('without a batch, a live run creates a pending batch and sends nothing; with the approved batch it sends each action once, per lead copy', async () => {
    await harness();
    const a = await h.approvedLead();
    const b = await h.approvedLead();
    const first = await h.operator.dispatch({ motion: 'outbound', live: true, by: 'Maya' });
    expect(first.pendingBatch?.items).toBe(4);
    expect(first.drain.counts.sent).toBe(0);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(0);
    await h.gatekeeper.approve(first.pendingBatch!.id, 'Sam');
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: first.pendingBatch!.id, by: 'Maya' });
    expect(run.queued).toMatchObject({ items: 4, duplicates: 0 });
    // Email first; the LinkedIn touch waits for the next day (cross-channel cap).
    expect(run.drain.counts).toMatchObject({ sent: 2, deferred: 2 });
    const [campaign] = h.sandboxes.instantly.campaigns();
    expect(campaign?.status).toBe(0);
    const leads = h.sandboxes.instantly.leadsOf(campaign!.id);
    expect(leads.map((l) => l.email).sort()).toEqual([a.email, b.email].sort());
    // Each lead carries its own copy.
    const bodies = leads.map((l) => JSON.stringify((l as { payload?: unknown }).payload));
    expect(new Set(bodies).size).toBe(2);
    expect((await refusal(h.operator.dispatch({ motion: 'outbound', live: true, batchId: first.pendingBatch!.id, by: 'Maya' })))?.message).toContain('already executed');
    h.clock.advance(24 * 3600_000);
    const nextDay = await h.operator.dispatch({ motion: 'outbound', live: true, by: 'Maya' });
    expect(nextDay.drain.counts.sent).toBe(2);
    expect(nextDay.pendingBatch).toBeNull();
    expect(h.sandboxes.heyreach.stats.leadsAdded).toBe(2);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(2);
  });

  it('a dry run leaves the database byte-for-byte unchanged and calls no provider, yet says what would happen', async () => {
    await harness();
    await h.approvedLead();
    const batch = await h.approvedBatch();
    const before = await dump(h);
    const dry = await h.operator.dispatch({ motion: 'outbound', live: false, batchId: batch.id, by: 'Maya' });
    expect(dry.mode).toBe('dry_run');
    expect(dry.queued?.items).toBe(2);
    expect(dry.drain.counts.would_send).toBe(1);
    expect(await dump(h)).toBe(before);
    expect(h.sandboxes.instantly.stats.requests + h.sandboxes.heyreach.stats.requests + h.sandboxes.ghl.stats.requests).toBe(0);
  });

  it('two live dispatches of one batch at the same instant: one runs, the other is refused; each lead is sent exactly once', async () => {
    await harness();
    for (let i = 0; i < 5; i++) await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    const second = h.makeOperator('test-2').operator;
    const results = await Promise.allSettled([h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' }), second.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'B' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const leads = h.sandboxes.instantly.campaigns().flatMap((c) => h.sandboxes.instantly.leadsOf(c.id));
    expect(leads).toHaveLength(5);
    expect(new Set(leads.map((l) => l.email)).size).toBe(5);
  });

  it('two gateways draining the same outbox at once (no lease): the claim lets each item through once', async () => {
    await harness({ operator: { drainLimit: 0 } });
    for (let i = 0; i < 6; i++) await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    // Queue the batch without sending (a drain limit of 0), then race two gateways over it.
    expect((await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })).queued?.items).toBe(6);
    const other = h.makeOperator('test-2').gateway;
    const [r1, r2] = await Promise.all([h.gateway.drain({ dryRun: false, limit: 100 }), other.drain({ dryRun: false, limit: 100 })]);
    expect(r1.counts.sent + r2.counts.sent).toBe(6);
    expect(r1.counts.skipped + r2.counts.skipped).toBe(6);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(6);
  });

  it('a crash between claim and provider call is reconciled, never blindly resent: not at the provider -> sent once; at the provider -> marked sent', async () => {
    await harness({ operator: { drainLimit: 0 } });
    const a = await h.approvedLead({ linkedin: false });
    const b = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    const queued = await h.outbox.due(h.clock.now(), 10);
    expect(queued.map((i) => i.recipient).sort()).toEqual([a.email, b.email].sort());
    // A process claimed both, delivered b, then died before recording anything.
    for (const item of queued) expect(await h.outbox.claim(item.id, 'dead-process', h.clock.now())).toBe(true);
    await h.real.instantly.deliver(
      queued.find((i) => i.recipient === b.email)!,
      h.clock.now(),
    );
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(1);
    // Within the claim lease nothing is touched; after it, the items are reconciled with Instantly.
    expect((await h.gateway.drain({ dryRun: false, limit: 10 })).reconciled).toEqual([]);
    h.clock.advance(5 * 60_000);
    const run = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(run.reconciled.map((r) => `${r.outcome}`).sort()).toEqual(['deferred', 'sent']);
    expect(run.counts.sent).toBe(1);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(2);
    const all = h.sandboxes.instantly
      .campaigns()
      .flatMap((c) => h.sandboxes.instantly.leadsOf(c.id))
      .map((l) => l.email)
      .sort();
    expect(all).toEqual([a.email, b.email].sort());
    expect(await h.outbox.statusCounts()).toEqual({ sent: 2 });
  });

  it('GHL cannot say whether an interrupted send went out: the item goes to a person and is never resent', async () => {
    await harness();
    const a = await h.approvedLead({ linkedin: false });
    await h.db.execute(sql`insert into outbox (dedup_key, lead_id, channel, step, recipient, recipient_domain, subject, body, status, not_before, claim_token, claimed_at)
      values ('ghl:' || ${a.leadId} || ':nurture', ${a.leadId}::uuid, 'ghl', 'nurture', ${a.email}, 'x.example.com', 'Hi', 'Body', 'sending', now(), 'dead', ${new Date(h.clock.now().getTime() - 3600_000)}::timestamptz)`);
    const run = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(run.reconciled[0]?.outcome).toBe('uncertain');
    expect(h.sandboxes.ghl.stats.emailsSent).toBe(0);
    const again = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(again.counts.sent).toBe(0);
    expect(h.sandboxes.ghl.stats.emailsSent).toBe(0);
    expect(h.alerts.sent.some((x) => x.title.includes('needs a person'))).toBe(true);
  });

  it('the emergency stop is escalated and resuming resolves it; a failing escalation never blocks the stop', async () => {
    const calls: string[] = [];
    await harness({ escalation: { report: async (i) => void calls.push(`report ${i.key} ${i.kind} ${i.sendingAffected}`), resolve: async (key) => void calls.push(`resolve ${key}`) } });
    await h.operator.stop('Maya', 'complaint came in');
    await h.operator.resume('Maya');
    expect(calls).toEqual(['report emergency-stop emergency_stop true', 'resolve emergency-stop']);
    await h.close();
    await harness({ holder: 'test-2', escalation: { report: async () => Promise.reject(new Error('pager down')), resolve: async () => Promise.reject(new Error('pager down')) } });
    await h.operator.stop('Maya', 'complaint came in');
    expect((await h.control.emergencyStop())?.active).toBe(true);
    await h.operator.resume('Maya');
    expect((await h.control.emergencyStop())?.active).toBe(false);
  });

  it('a send that certainly never left (connection refused) waits and goes later; one that may have reached the provider is never resent', async () => {
    const failures: AppError[] = [
      new AppError('PROVIDER_UNAVAILABLE', 'instantly leads/add: connection refused', { retryable: true, details: { uncertain: false } }),
      new AppError('PROVIDER_UNAVAILABLE', 'instantly leads/add: server error 502; the call may have reached instantly', { details: { uncertain: true } }),
    ];
    await harness({
      wrap: (real) => ({
        ...real,
        instantly: {
          ...real.instantly,
          deliver: async (item, now) => {
            const failure = failures.shift();
            if (failure) throw failure;
            return real.instantly.deliver(item, now);
          },
        },
      }),
    });
    await h.approvedLead({ linkedin: false });
    await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    expect(run.drain.counts).toMatchObject({ deferred: 1, uncertain: 1 });
    const deferred = run.drain.items.find((i) => i.outcome === 'deferred')!;
    const uncertain = run.drain.items.find((i) => i.outcome === 'uncertain')!;
    expect(deferred.reason).toBe('PROVIDER_UNAVAILABLE');
    // A minute later the deferred item goes as it is; the uncertain one is only resent once
    // Instantly has said it does not have the lead (the reconciliation), never blindly.
    h.clock.advance(2 * 60_000);
    const later = await h.gateway.drain({ dryRun: false, limit: 10 });
    expect(later.items.find((i) => i.outboxId === deferred.outboxId)?.outcome).toBe('sent');
    expect(later.reconciled.map((r) => r.outboxId)).toEqual([uncertain.outboxId]);
    expect(later.counts.sent).toBe(2);
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(2); // one per lead: nothing went twice
  });

  it('a provider error that echoes the recipient reaches neither the outbox nor the append-only audit log with the address', async () => {
    await harness({
      wrap: (real) => ({
        ...real,
        instantly: {
          ...real.instantly,
          deliver: async (item) => {
            throw new AppError('PROVIDER_BAD_REQUEST', `instantly leads/add: 400 lead ${item.recipient.toUpperCase()} (${encodeURIComponent(item.recipient)}) is invalid`);
          },
        },
      }),
    });
    const a = await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    expect(run.drain.counts.failed).toBe(1);
    const audit = JSON.stringify(((await h.db.execute(sql`select details from audit_log where action like 'outbox.%'`)) as { rows: unknown[] }).rows);
    const outbox = JSON.stringify(((await h.db.execute(sql`select reason from outbox`)) as { rows: unknown[] }).rows);
    for (const text of [audit, outbox]) {
      expect(text).toContain('[recipient]');
      expect(text.toLowerCase()).not.toContain(a.email.toLowerCase());
      expect(text.toLowerCase()).not.toContain(encodeURIComponent(a.email).toLowerCase());
    }
  });

  it('an emergency stop set mid-batch: no provider call after the flag', async () => {
    let delivered = 0;
    await harness({
      wrap: (real) => ({
        ...real,
        instantly: {
          ...real.instantly,
          deliver: async (item, now) => {
            const result = await real.instantly.deliver(item, now);
            if (++delivered === 2) await h.operator.stop('Maya', 'complaint came in');
            return result;
          },
        },
      }),
    });
    for (let i = 0; i < 5; i++) await h.approvedLead({ linkedin: false });
    const batch = await h.approvedBatch();
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    expect(run.drain.stopped).toBe(true);
    expect(run.drain.counts).toMatchObject({ sent: 2, stopped: 3 });
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(2);
    expect((await refusal(h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' })))?.code).toBe('EMERGENCY_STOP');
    await h.operator.resume('Maya');
    const after = await h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' });
    expect(after.drain.counts.sent).toBe(3);
  });

  it('EMERGENCY_STOP in the environment blocks a live run before anything', async () => {
    await harness({ envStop: true });
    await h.approvedLead();
    const batch = await h.approvedBatch();
    expect((await refusal(h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })))?.code).toBe('EMERGENCY_STOP');
    expect((await h.gatekeeper.show(batch.id)).status).toBe('approved');
  });

  it('each guard rejects what it should and nothing else, on every channel', async () => {
    await harness();
    const ok = await h.approvedLead({ domain: 'fine.example.com' });
    const excludedSub = await h.approvedLead({ domain: 'eu.customer.example.com' });
    const vip = await h.approvedLead({ email: 'vip@partner.example.com', domain: 'partner.example.com' });
    const forgotten = await h.approvedLead({ domain: 'forgot.example.com' });
    const crowd: { leadId: string }[] = [];
    for (let i = 0; i < 4; i++) crowd.push(await h.approvedLead({ domain: 'crowd.example.com', linkedin: false }));
    const batch = await h.approvedBatch();
    // After approval the person unsubscribes (the signal loop sets the status): the gateway must still refuse.
    await h.db.execute(sql`update leads set status = 'unsubscribed' where id = ${forgotten.leadId}::uuid`);
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    const reasons = (leadId: string) =>
      [...run.drain.items, ...(run.queued?.rejected ?? []).map((r) => ({ leadId: r.leadId, channel: r.channel, reason: r.reason, outcome: 'rejected' }))]
        .filter((i) => i.leadId === leadId)
        .map((i) => `${i.channel}:${i.outcome}:${i.reason ?? ''}`)
        .sort();
    expect(reasons(ok.leadId)).toEqual(['heyreach:deferred:cross_channel_cap', 'instantly:sent:']);
    expect(reasons(excludedSub.leadId)).toEqual(['heyreach:rejected:excluded_recipient_domain', 'instantly:rejected:excluded_recipient_domain']);
    expect(reasons(vip.leadId).find((r) => r.startsWith('instantly'))).toBe('instantly:rejected:excluded_recipient_email');
    expect(run.queued?.rejected.filter((r) => r.reason === 'domain_concentration_cap')).toHaveLength(1);
    expect(run.drain.items.filter((i) => crowd.some((c) => c.leadId === i.leadId) && i.outcome === 'sent')).toHaveLength(3);
    expect(reasons(forgotten.leadId)).toEqual(['heyreach:rejected:suppressed:unsubscribed', 'instantly:rejected:suppressed:unsubscribed']);
    // Nothing was sent to any of them.
    const sentTo = h.sandboxes.instantly
      .campaigns()
      .flatMap((c) => h.sandboxes.instantly.leadsOf(c.id))
      .map((l) => String(l.email));
    expect(sentTo).not.toContain(forgotten.email);
    expect(sentTo).not.toContain(vip.email);
    expect(sentTo.filter((e) => e.endsWith('customer.example.com'))).toHaveLength(0);
    // Each rejection is audited with its reason and the lead.
    const audited = ((await h.db.execute(sql`select details from audit_log where action = 'outbox.rejected'`)) as { rows: { details: { reason: string; leadId: string } }[] }).rows.map((r) => r.details.reason);
    expect(audited).toEqual(expect.arrayContaining(['excluded_recipient_domain', 'excluded_recipient_email']));
  });

  it('LinkedIn warm-up (5 a day) and the email daily limit hold across UTC day boundaries', async () => {
    await harness({ gateway: { emailDailyLimit: 3 }, operator: { emailDailyLimit: 3 } });
    for (let i = 0; i < 7; i++) await h.approvedLead();
    const batch = await h.approvedBatch();
    const day1 = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    const sent1 = day1.drain.items.filter((i) => i.outcome === 'sent');
    expect(sent1.filter((i) => i.channel === 'instantly')).toHaveLength(3);
    expect(day1.drain.items.filter((i) => i.reason === 'quota_daily')).toHaveLength(4);
    // LinkedIn goes to the four leads not e-mailed today (the cross-channel cap holds back the other three).
    expect(sent1.filter((i) => i.channel === 'heyreach')).toHaveLength(4);
    h.clock.advance(24 * 3600_000);
    const day2 = await h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' });
    expect(day2.drain.items.filter((i) => i.outcome === 'sent' && i.channel === 'instantly')).toHaveLength(3);
    h.clock.advance(24 * 3600_000);
    await h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' });
    h.clock.advance(24 * 3600_000);
    await h.operator.dispatch({ motion: 'outbound', live: true, by: 'A' });
    expect(h.sandboxes.instantly.stats.bulkAddCalls).toBe(7);
    expect(h.sandboxes.heyreach.stats.leadsAdded).toBe(7);
    const perDay = (
      (await h.db.execute(sql`select to_char(sent_at at time zone 'UTC', 'YYYY-MM-DD') as d, channel, count(*)::int as n from outbox where status = 'sent' group by 1, 2`)) as { rows: { d: string; channel: string; n: number }[] }
    ).rows;
    expect(perDay.filter((r) => r.channel === 'instantly').every((r) => r.n <= 3)).toBe(true);
    expect(perDay.filter((r) => r.channel === 'heyreach').every((r) => r.n <= 5)).toBe(true);
  });

  it('refuses bad requests clearly, audited, with nothing sent and no counter changed', async () => {
    await harness();
    await h.approvedLead();
    const batch = await h.approvedBatch();
    const shadow = h.makeOperator('shadow', { send: 'shadow' }).operator;
    expect((await refusal(shadow.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })))?.message).toContain('send mode is shadow');
    expect((await h.gatekeeper.show(batch.id)).status).toBe('approved');
    expect((await refusal(h.operator.dispatch({ motion: 'outbound', live: true, batchId: '00000000-0000-4000-8000-000000000000', by: 'A' })))?.code).toBe('NOT_FOUND');
    await h.approvedLead();
    const pending = await h.gatekeeper.create('outbound', 'Dani');
    expect((await refusal(h.operator.dispatch({ motion: 'outbound', live: true, batchId: pending.id, by: 'A' })))?.message).toContain('pending approval');
    await h.gatekeeper.reject(pending.id, 'Sam', 'not now');
    expect((await refusal(h.operator.dispatch({ motion: 'outbound', live: true, batchId: pending.id, by: 'A' })))?.message).toContain('rejected');
    h.clock.advance(25 * 3600_000);
    expect((await refusal(h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })))?.message).toContain('expired');
    expect(h.sandboxes.instantly.stats.requests + h.sandboxes.heyreach.stats.requests).toBe(0);
    expect(await h.outbox.statusCounts()).toEqual({});
    const refused = ((await h.db.execute(sql`select count(*)::int as n from audit_log where action in ('dispatch.refused', 'batch.execute_refused')`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(refused).toBeGreaterThanOrEqual(4);
  });

  it('auto-pauses a live campaign whose bounce rate passes 2 %, with an alert and an incident; only a person resumes it', async () => {
    const incidents: { key: string; kind: string; leadsAffected: number }[] = [];
    await harness({ escalation: { report: async (i) => void incidents.push(i), resolve: async () => undefined } });
    const people = [await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false }), await h.approvedLead({ linkedin: false })];
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    const [campaign] = h.sandboxes.instantly.campaigns();
    const ours = (await h.db.execute(sql`select id from provider_campaigns where external_id = ${campaign!.id}`)) as { rows: { id: string }[] };
    await h.real.instantly.activate!(campaign!.id);
    await h.db.execute(sql`update provider_campaigns set status = 'active' where id = ${ours.rows[0]!.id}::uuid`);
    for (const p of people) for (let i = 0; i < 20; i++) await h.sandboxes.instantly.recordEvent(campaign!.id, p.email, 'sent');
    await h.sandboxes.instantly.recordEvent(campaign!.id, people[0]!.email, 'bounced');
    expect((await h.operator.checkHealth())[0]).toMatchObject({ sent: 60, bounces: 1, paused: false });
    await h.sandboxes.instantly.recordEvent(campaign!.id, people[1]!.email, 'bounced');
    expect((await h.operator.checkHealth())[0]).toMatchObject({ bounces: 2, paused: true, reason: 'bounce_rate' });
    expect(h.sandboxes.instantly.campaigns()[0]!.status).toBe(2);
    expect(h.alerts.sent.some((x) => x.severity === 'critical' && x.title.includes('paused'))).toBe(true);
    expect(incidents).toMatchObject([{ key: `campaign:instantly:${campaign!.id}:paused`, kind: 'campaign_paused', leadsAffected: 60 }]);
    // Paused stays paused: the next health check does not touch it, and nothing resumes it by itself.
    expect(await h.operator.checkHealth()).toEqual([]);
  });

  it('reads the health of every live Instantly campaign in one analytics call, not one per campaign', async () => {
    await harness();
    await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    // A second campaign: the next day's (one campaign per tier, step and day).
    h.clock.advance(86_400_000);
    await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const campaigns = h.sandboxes.instantly.campaigns();
    expect(campaigns.length).toBe(2);
    for (const c of campaigns) await h.real.instantly.activate!(c.id);
    await h.db.execute(sql`update provider_campaigns set status = 'active'`);
    const before = h.sandboxes.instantly.stats.requests;
    const checked = await h.operator.checkHealth();
    expect(checked).toHaveLength(2);
    expect(h.sandboxes.instantly.stats.requests - before).toBe(1);
  });
});
