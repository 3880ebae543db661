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
const TOKEN = 'browser-batch-preview-token-0123456789';
const OUT = path.resolve('test-output', 'screenshots');

/*
 * Issue 21 item 3 in a real browser: the pending batch on /operator lists each item with its message
 * and predicted outcome; a person ticks an item, leaves it out (the batch is re-frozen in place
 * without it) and approves the rest, which alone is sent. Production wiring, the real session store.
 */
describe.skipIf(!existsSync(CHROMIUM))('/operator: batch preview and leaving an item out (chromium)', () => {
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

  it('shows each item with its message and predicted outcome, leaves a ticked item out, and sends only the rest', async () => {
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    await page.goto(`${url}/login`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/sales`);
    await page.goto(`${url}/operator`);
    const pending = async () => (await page.textContent('#op-pending')) ?? '';
    expect(await pending()).toContain(batch.id);
    expect(await pending()).toContain('Predicted under today');
    expect(await page.locator('#op-pending tr[data-outcome="would_send"]').count()).toBe(2);
    expect(await pending()).toContain('CRM re-contacts (revival) come in batches of their own');

    await page.fill('#operator-name', 'Sam Rivera');
    const kept = batch.scope[0]!;
    await page.check('#op-pending input[name=items][value="1"]');
    await page.click('#op-pending button:has-text("Leave the checked items out")');
    await expect.poll(async () => page.textContent('#op-last')).toContain('Left out 1 item');
    // Refreshed in place: a new batch with the one item kept.
    await expect.poll(async () => page.locator('#op-pending tr[data-item]').count()).toBe(1);
    expect(await pending()).not.toContain(batch.id);
    await page.screenshot({ path: path.join(OUT, 'operator-batch-preview.png'), fullPage: true });

    await page.click('#op-pending button:has-text("Approve and send")');
    await expect.poll(async () => page.textContent('#op-last')).toContain('Executed: 1 item');
    const rows = ((await database.db.execute(sql`select draft_id from outbox`)) as { rows: { draft_id: string }[] }).rows;
    expect(rows.map((r) => r.draft_id)).toEqual([kept.draftId]);
  });
});
