import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/store/database.js';
import { dispatchHarness, type Harness } from '../support/dispatch.js';
import { apiDepsOf } from '../support/api.js';
import { openTestDatabase } from '../support/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-ask-token-0123456789';
const OUT = path.resolve('test-output', 'screenshots');

if (!existsSync(CHROMIUM)) console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

/** The ask box and the agents page in a real browser, over the production API wiring; no request leaves loopback. */
describe.skipIf(!existsSync(CHROMIUM))('QUEEN on the dashboard in a real browser (chromium)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let page: Page;
  let url = '';
  const outside: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    // Offline: every request the page makes goes to this server.
    page.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(`${url}/login`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/sales`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await h?.close();
    await database?.close();
  });

  const askIn = async (request: string) => {
    await page.fill('#ask-request', request);
    await page.click('#ask-form button[type=submit]');
    await expect.poll(async () => page.textContent('#ask-result'), { timeout: 20_000 }).toContain('trace qt_');
    return (await page.textContent('#ask-result')) ?? '';
  };

  it('asks from the box: shows the answer and the plan, the refusal with its rule, and runs a writing plan only on confirm', async () => {
    await page.goto(`${url}/ask`);
    // The box is labelled; typing in it binds no page shortcut (the review queue's keys are not here).
    expect(await page.locator('label[for=ask-request]').count()).toBe(1);
    await page.locator('#ask-request').focus();
    await page.keyboard.type('a');
    expect(await page.inputValue('#ask-request')).toBe('a');

    const read = await askIn('How full is the review queue?');
    expect(read).toContain('pending 0, approved 0, rejected 0');
    expect(await page.locator('#ask-result table.ask-plan td').first().textContent()).toBe('drafts.queue');

    const refused = await askIn('send all approved emails now');
    expect(refused).toContain('Refused: ');
    expect(refused).toContain('QUEEN_NEVER_SENDS');
    expect(await page.locator('#ask-confirm').count()).toBe(0);

    // Markup in a request is shown as text, never run as HTML.
    await askIn('<img src=x id=injected> how full is the review queue?');
    expect(await page.locator('#injected').count()).toBe(0);

    const held = await askIn('hit the emergency stop');
    expect(held).toContain('needs_confirmation');
    expect(Boolean((await h.control.emergencyStop())?.active)).toBe(false);
    await page.screenshot({ path: path.join(OUT, 'ask-held.png'), fullPage: true });
    // The confirm button, reached and pressed with the keyboard.
    await page.locator('#ask-confirm').focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => Boolean((await h.control.emergencyStop())?.active), { timeout: 20_000 }).toBe(true);
    await expect.poll(async () => page.textContent('#ask-result')).toContain('dispatch.emergency_stop');
    expect(await page.locator('#ask-confirm').count()).toBe(0);

    await page.fill('#ask-request', '   ');
    await page.click('#ask-form button[type=submit]');
    expect(await page.textContent('#ask-result')).toContain('Write a request first');
    const traces = ((await database.db.execute(sql`select count(*)::int as n from audit_log where action = 'queen.ask'`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(traces).toBe(5);
    expect(outside).toEqual([]);
  }, 120_000);

  it('shows what each of the 12 roles did, and says when a role has no data', async () => {
    await page.goto(`${url}/agents`);
    const rows = page.locator('tr[data-role]');
    expect(await rows.count()).toBe(12);
    // Five asks reached QUEEN (the blank one did not): each an action or a refusal, none failed.
    const [health, actions, refusals, failures] = await page.locator('tr[data-role=UNIFIED_QUEEN] td').allTextContents();
    expect([health, Number(actions) + Number(refusals), Number(refusals) >= 1, failures]).toEqual(['ok', 5, true, '0']);
    expect(await page.locator('tr[data-role=SCOUT]').textContent()).toContain('Merged into OPERATOR');
    expect(await page.textContent('main')).toContain('No data: nothing recorded for this role in the last 24 hours.');
    await page.screenshot({ path: path.join(OUT, 'agents.png'), fullPage: true });
    expect(outside).toEqual([]);
  }, 60_000);
});
