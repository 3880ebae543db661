import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/store/database.js';
import { createSessionStore } from '../../src/store/session-repo.js';
import { createUserStore } from '../../src/store/users-repo.js';
import { apiDepsOf } from '../support/api.js';
import { dispatchHarness, type Harness } from '../support/dispatch.js';
import { openTestDatabase } from '../support/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-users-token-0123456789';
const OUT = path.resolve('test-output', 'screenshots');

/*
 * Issue 21 item 5 in a real browser: an operator logs in with her name and password and approves
 * the waiting batch without typing a name (the audit log records her login name); a reviewer sees
 * the same page without the operator's buttons; a wrong password is refused with the one message.
 * Production wiring (apiDepsFor over the dispatch harness), the PostgreSQL sessions and users.
 */
describe.skipIf(!existsSync(CHROMIUM))('people log in by name on the dashboard (chromium)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let url = '';

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const users = createUserStore(database.db);
    await users.add({ name: 'otto', role: 'operator', password: 'otto operates the send' });
    await users.add({ name: 'rita', role: 'reviewer', password: 'rita reviews drafts' });
    await h.approvedLead({ linkedin: false, firstName: 'Ada', lastName: 'Byron' });
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db), users, audit: h.stores.audit } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await h?.close();
    await database?.close();
  });

  const count = async (query: ReturnType<typeof sql>) => ((await database.db.execute(query)) as { rows: { n: number }[] }).rows[0]!.n;

  /** A fresh browser context (its own cookies) logged in by name. */
  const loggedIn = async (name: string, password: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${url}/login`);
    await page.fill('#login-name', name);
    await page.fill('#login-password', password);
    await page.click('form:has(#login-name) button[type=submit]');
    return { context, page };
  };

  it('a wrong password is refused with the one message; the operator approves and sends under her login name', async () => {
    const wrong = await loggedIn('otto', 'not otto password');
    expect(await wrong.page.textContent('[role=alert]')).toBe('That name and password do not match.');
    await wrong.context.close();

    const batch = await h.gatekeeper.create('outbound', 'Dani');
    const { context, page } = await loggedIn('Otto', 'otto operates the send');
    await page.waitForURL(`${url}/sales`);
    await page.goto(`${url}/operator`);
    expect(await page.textContent('#op-pending')).toContain(batch.id);
    expect(await page.textContent('main')).toContain('Logged in as otto (operator)');
    // No name to type: the session names her.
    await page.click('#op-pending button:has-text("Approve and send")');
    await expect.poll(async () => page.textContent('#op-last')).toContain('Executed: 1 item');
    await page.screenshot({ path: path.join(OUT, 'users-operator.png'), fullPage: true });
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'batch.approved' and actor = 'otto'`)).toBe(1);
    await context.close();
  }, 120_000);

  it('a reviewer sees /operator without the operator buttons, and can still decide drafts on /sales', async () => {
    await h.approvedLead({ linkedin: false, firstName: 'Grace', lastName: 'Hopper' });
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    // A draft back in the review queue (outside the batch) for her to decide.
    const waiting = await h.approvedLead({ linkedin: false, firstName: 'Alan', lastName: 'Turing' });
    const reopened = await app.inject({ method: 'POST', url: `/api/emails/${waiting.draftId}/reopen`, headers: { 'x-dashboard-token': TOKEN }, payload: { by: 'Dani' } });
    expect(reopened.statusCode, reopened.body).toBe(200);
    const { context, page } = await loggedIn('rita', 'rita reviews drafts');
    await page.waitForURL(`${url}/sales`);
    await page.goto(`${url}/operator`);
    expect(await page.textContent('#op-pending')).toContain(batch.id);
    expect(await page.textContent('main')).toContain('Logged in as rita (reviewer)');
    for (const label of ['Approve and send', 'Reject batch', 'Leave the checked items out', 'Emergency stop', 'Activate']) expect(await page.locator(`main button:has-text("${label}")`).count(), label).toBe(0);
    expect(await page.textContent('#op-pending')).toContain('Only an operator or an admin approves or rejects a batch.');
    await page.screenshot({ path: path.join(OUT, 'users-reviewer.png'), fullPage: true });
    expect((await h.gatekeeper.show(batch.id)).status).toBe('pending_approval');

    // The review page's form still says "dashboard": the server records her login name.
    await page.goto(`${url}/sales`);
    await page.click(`article[data-draft="${waiting.draftId}"] form.approve button`);
    await expect.poll(() => page.locator(`article[data-draft="${waiting.draftId}"] [data-outcome]`).textContent()).toContain('Approved by rita');
    expect(await count(sql`select count(*)::int as n from audit_log where action = 'review.approved' and actor = 'rita' and entity_id = ${waiting.draftId}`)).toBe(1);
    await context.close();
  }, 120_000);
});
