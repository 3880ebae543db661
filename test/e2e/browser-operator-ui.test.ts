import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createSessionStore } from '../../src/store/session-repo.js';
import type { Database } from '../../src/store/database.js';
import { dispatchHarness, type Harness } from '../support/dispatch.js';
import { apiDepsOf } from '../support/api.js';
import { openTestDatabase } from '../support/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-operator-token-0123456789';
const OUT = path.resolve('test-output', 'screenshots');

/*
 * Issue 21, item 1 in a real browser: a person approves the waiting batch on /operator and sees it
 * sent to the end (a double click executes once), the outbox says the e-mails sit in a draft Instantly
 * campaign, and "Activate" starts the campaign, named in the audit log. Production wiring (apiDepsFor
 * over the dispatch harness), the real session store.
 */
describe.skipIf(!existsSync(CHROMIUM))('/operator sends an approved batch to the end (chromium)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let page: Page;
  let url = '';

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    await h.approvedLead({ linkedin: false, firstName: 'Ada', lastName: 'Byron' });
    await h.approvedLead({ linkedin: false, firstName: 'Grace', lastName: 'Hopper' });
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db) } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await h?.close();
    await database?.close();
  });

  const count = async (query: ReturnType<typeof sql>) => ((await database.db.execute(query)) as { rows: { n: number }[] }).rows[0]!.n;

  it('approve and send (double-clicked) executes once, shows the batch executed and the outbox in words; Activate starts the campaign', async () => {
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    await page.goto(`${url}/login`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/sales`);
    await page.goto(`${url}/operator`);
    expect(await page.textContent('#op-pending')).toContain(batch.id);
    expect(await page.textContent('#op-outbox')).toContain('The outbox is empty');
    // Every control of the page has a label (written as a string: the page's DOM types are not part of the Node test build).
    const unlabelled = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
      .filter((el) => !(el.id && document.querySelector('label[for="' + el.id + '"]')) && !el.getAttribute('aria-label'))
      .map((el) => el.outerHTML.slice(0, 80))`);
    expect(unlabelled).toEqual([]);

    // Without a name nothing is sent: the audit log records who acts.
    await page.click('#op-pending button:has-text("Approve and send")');
    await expect.poll(async () => page.textContent('#op-last')).toContain('Type your name first');
    expect(await count(sql`select count(*)::int as n from outbox`)).toBe(0);

    await page.fill('#operator-name', 'Sam Rivera');
    await page.dblclick('#op-pending button:has-text("Approve and send")');
    await expect.poll(async () => page.textContent('#op-last')).toContain('Executed: 2 items queued');
    // Updated in place: the batch is executed with its counts, the outbox says where the e-mails are.
    await expect.poll(async () => page.textContent('#op-pending')).toContain('No batch is waiting');
    expect(await page.getAttribute(`#op-batches tr[data-batch="${batch.id}"]`, 'data-state')).toBe('executed');
    expect(await page.textContent(`#op-batches tr[data-batch="${batch.id}"]`)).toContain('2 handed to the provider');
    const outbox = (await page.textContent('#op-outbox')) ?? '';
    expect(outbox).toContain('handed to Instantly (draft campaign, not sending yet)');
    expect(outbox).toContain('Ada Byron');
    expect(outbox).not.toContain('@');
    await page.screenshot({ path: path.join(OUT, 'operator-sent.png'), fullPage: true });
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'batch.executed'`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from outbox`)).toBe(2);
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'batch.approved' and actor = 'Sam Rivera'`)).toBe(1);

    // A person starts the draft campaign.
    expect(await page.getAttribute('#op-campaigns tr[data-campaign]', 'data-status')).toBe('draft');
    await page.click('#op-campaigns button:has-text("Activate")');
    await expect.poll(async () => page.textContent('#op-last')).toContain('is now active (activated by Sam Rivera)');
    await expect.poll(async () => page.textContent('#op-outbox')).toContain('sending (Instantly campaign active');
    expect(await page.getAttribute('#op-campaigns tr[data-campaign]', 'data-status')).toBe('active');
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'campaign.activated' and actor = 'Sam Rivera'`)).toBe(1);
  }, 120_000);

  it('a batch whose draft was rejected since is refused on the page with the reason, and nothing is sent', async () => {
    const lead = await h.approvedLead({ linkedin: false, firstName: 'Alan', lastName: 'Turing' });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    await database.db.execute(sql`update drafts set status = 'rejected' where id = ${lead.draftId}::uuid`);
    const before = await count(sql`select count(*)::int as n from outbox`);
    await page.goto(`${url}/operator`);
    expect(await page.textContent('#op-pending')).toContain(batch.id);
    // The name typed before is remembered on this browser.
    expect(await page.inputValue('#operator-name')).toBe('Sam Rivera');
    await page.click('#op-pending button:has-text("Approve and send")');
    await expect.poll(async () => page.textContent('#op-last')).toContain('Refused: cannot approve this batch: 1 of its drafts is no longer approved (rejected)');
    expect(await count(sql`select count(*)::int as n from outbox`)).toBe(before);
    expect((await h.gatekeeper.show(batch.id)).status).toBe('pending_approval');
  }, 120_000);
});
