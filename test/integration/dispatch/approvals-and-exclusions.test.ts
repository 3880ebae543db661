import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalWatcherFor } from '../../../src/compose/jobs.js';
import { importExclusions } from '../../../src/dispatch/exclusions.js';
import type { Database } from '../../../src/store/database.js';
import { createBatchStore } from '../../../src/store/batches-repo.js';
import { createExclusionStore } from '../../../src/store/exclusions-repo.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

const MIN = 60_000;

/*
 * Through the production wiring (openApp, openDispatch, the jobs' approval watcher): imported
 * exclusions are refused by the gateway's recipient guards; a batch waiting for approval reaches
 * Slack when it is made, escalates at 30 min, 2 h and 4 h, and says how it ended.
 */
describe('approvals that reach people, and imported exclusions', () => {
  let database: Database;
  let h: Harness;
  beforeEach(async () => {
    database = await openTestDatabase('postgres');
  });
  afterEach(async () => {
    await h?.close();
    await database.close();
  });
  const harness = async (config: Record<string, unknown> = {}) => {
    h = await dispatchHarness(database, { config: { server: { publicUrl: 'https://caio.example.com' }, ...config } });
    return h;
  };
  const titles = (from: number) => h.alerts.sent.slice(from).map((a) => `${a.severity} ${a.title}`);

  it('the gateway refuses imported domains and e-mails as it refuses the config exclusions', async () => {
    await harness();
    const imported = await importExclusions(
      { store: createExclusionStore(h.db), audit: h.stores.audit, clock: h.clock },
      {
        source: 'customers.csv',
        header: ['domain', 'email'],
        records: [
          { line: 2, cells: ['client.example.com', ''] },
          { line: 3, cells: ['', 'Boss@Other.example.com'] },
          { line: 4, cells: ['nope', ''] },
        ],
        by: 'Dani',
      },
    );
    expect(imported).toMatchObject({ rows: 3, domains: 1, emails: 1, added: 2, errors: [{ line: 4 }] });
    const ok = await h.approvedLead({ domain: 'fine.example.com', linkedin: false });
    const customer = await h.approvedLead({ domain: 'eu.client.example.com', linkedin: false });
    const boss = await h.approvedLead({ email: 'boss@other.example.com', domain: 'other.example.com', linkedin: false });
    const batch = await h.approvedBatch();
    const run = await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' });
    const outcome = (leadId: string) => run.drain.items.filter((i) => i.leadId === leadId).map((i) => `${i.outcome}:${i.reason ?? ''}`);
    expect(outcome(ok.leadId)).toEqual(['sent:']);
    expect(outcome(customer.leadId)).toEqual(['rejected:excluded_recipient_domain']);
    expect(outcome(boss.leadId)).toEqual(['rejected:excluded_recipient_email']);
    const audited = ((await h.db.execute(sql`select details from audit_log where action = 'exclusions.imported'`)) as { rows: { details: Record<string, unknown> }[] }).rows;
    expect(audited.map((r) => r.details)).toEqual([{ source: 'customers.csv', rows: 3, domains: 1, emails: 1, added: 2, rejected: 1 }]);
  });

  it('posts a new batch to Slack with its size and the /operator link, escalates at 30 min, 2 h and 4 h, and closes when decided', async () => {
    await harness();
    await h.approvedLead();
    await h.approvedLead();
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const id = batch.id.slice(0, 8);
    expect(h.alerts.sent.at(-1)).toMatchObject({
      severity: 'warning',
      title: `Batch ${id} waiting for approval: 4 actions`,
      body: expect.stringContaining('4 actions for 2 leads (outbound), created by Dani'),
      metadata: { batchId: batch.id, items: 4, leads: 2, link: 'https://caio.example.com/operator' },
    });
    expect(h.alerts.sent.at(-1)!.body).toContain('Approve or reject it at https://caio.example.com/operator');
    const watcher = approvalWatcherFor(h.app);
    const tick = async (minutes: number) => {
      h.clock.advance(minutes * MIN);
      return watcher.run(h.clock.now());
    };
    let seen = h.alerts.sent.length;
    expect(await tick(29)).toMatchObject({ pending: 1, overdue: 0 });
    expect(titles(seen)).toEqual([]);
    await tick(1); // 30 min
    expect(titles(seen)).toEqual([`warning L1 Batch ${id} waiting for approval`]);
    expect(h.alerts.sent.at(-1)!.body).toContain('waiting for approval for 30 min');
    seen = h.alerts.sent.length;
    await tick(60); // 1 h 30: still level 1, already paged
    expect(titles(seen)).toEqual([]);
    await tick(30); // 2 h
    expect(titles(seen)).toEqual([`critical L2 Batch ${id} waiting for approval`]);
    seen = h.alerts.sent.length;
    await tick(120); // 4 h
    expect(titles(seen)).toEqual([`critical L3 Batch ${id} waiting for approval`]);
    seen = h.alerts.sent.length;
    await tick(5);
    expect(titles(seen)).toEqual([]);
    await h.gatekeeper.approve(batch.id, 'Sam');
    expect(await tick(5)).toMatchObject({ pending: 0, closed: 1 });
    expect(titles(seen)).toEqual([`warning Batch ${id} approved by Sam`]);
    seen = h.alerts.sent.length;
    await tick(5);
    expect(titles(seen)).toEqual([]);
  });

  it('an expired batch says so once, to the people paged, or on Slack when nobody was yet', async () => {
    await harness({ gatekeeper: { batchExpiryHours: 1 } });
    await h.approvedLead();
    const paged = await h.gatekeeper.create('outbound', 'Dani');
    const watcher = approvalWatcherFor(h.app);
    let seen = h.alerts.sent.length;
    h.clock.advance(30 * MIN);
    await watcher.run(h.clock.now());
    expect(titles(seen)).toEqual([`warning L1 Batch ${paged.id.slice(0, 8)} waiting for approval`]);
    seen = h.alerts.sent.length;
    h.clock.advance(30 * MIN);
    expect(await watcher.run(h.clock.now())).toMatchObject({ expired: 1 });
    expect(titles(seen)).toEqual([`warning Batch ${paged.id.slice(0, 8)} expired without a decision`]);
    expect(h.alerts.sent.at(-1)!.body).toContain('will not be sent');
    seen = h.alerts.sent.length;
    h.clock.advance(10 * MIN);
    // Announced, the expired batch is no longer read by the watcher (nor by the scopes): it says nothing more of it.
    expect((await createBatchStore(h.db).open(h.clock.now())).map((b) => b.id)).not.toContain(paged.id);
    expect((await createBatchStore(h.db).open()).map((b) => b.id)).toContain(paged.id);
    expect(await watcher.run(h.clock.now())).toMatchObject({ pending: 0, expired: 0 });
    expect(titles(seen)).toEqual([]);
  });

  it('a batch that expires before its first escalation is still announced', async () => {
    await harness({ gatekeeper: { batchExpiryHours: 0.2 } });
    await h.approvedLead();
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const seen = h.alerts.sent.length;
    h.clock.advance(13 * MIN);
    await approvalWatcherFor(h.app).run(h.clock.now());
    await approvalWatcherFor(h.app).run(h.clock.now());
    expect(titles(seen)).toEqual([`warning Batch ${batch.id.slice(0, 8)} expired without a decision`]);
  });
});
