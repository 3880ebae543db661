import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/store/database.js';
import { apiDepsOf } from '../support/api.js';
import { dispatchHarness, type Harness } from '../support/dispatch.js';
import { openTestDatabase } from '../support/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-lead-page-token-0123456789';

/** Issue 21, items 4 and 8: find a lead, open it with the keyboard, read its times in local time. */
describe.skipIf(!existsSync(CHROMIUM))('a page per lead (chromium)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let page: Page;
  let url = '';
  let maya: { email: string; leadId: string };

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    maya = await h.approvedLead({ firstName: 'Maya', lastName: 'Okafor', linkedin: false });
    await h.approvedLead({ firstName: 'Noor', lastName: 'Haddad', linkedin: false });
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    // A viewer in Tokyo (UTC+9): the page must show their time, not UTC.
    page = await (await browser.newContext({ timezoneId: 'Asia/Tokyo', locale: 'en-GB' })).newPage();
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

  it('a lead row opens with Enter; the lead page shows its times in the viewer’s local time', async () => {
    await page.goto(`${url}/leads?sort=name&dir=asc`);
    const row = page.locator('tr[data-href]').first();
    expect(await row.getAttribute('data-href')).toBe(`/leads/${maya.leadId}`);
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/leads/${maya.leadId}`);
    expect(await page.title()).toBe('Maya Okafor - CAIO Alpha Swarm');
    expect(await page.locator('#lp-score').textContent()).toMatch(/Score: \d+ points, Tier \d/);
    // The approval at 10:00 UTC (the harness clock) reads 19:00 in Tokyo, and no longer says UTC.
    const approved = page.locator('ol.timeline li', { hasText: 'Draft approved by Dani' }).locator('time');
    expect(await approved.getAttribute('datetime')).toBe('2026-11-23T10:00:00.000Z');
    const shown = (await approved.textContent()) ?? '';
    expect(shown).toContain('19:00');
    expect(shown).not.toContain('UTC');
  });

  it('Enter with a modifier does nothing; an e-mail search opens the lead without the address in the URL', async () => {
    await page.goto(`${url}/leads`);
    await page.locator('tr[data-href]').first().focus();
    await page.keyboard.press('Control+Enter');
    expect(page.url()).toBe(`${url}/leads`);
    await page.fill('#lead-q', maya.email);
    await page.click('form.lead-search button[type=submit]');
    await page.waitForURL(`${url}/leads/${maya.leadId}`);
    expect(page.url()).not.toContain('@');
    expect(page.url()).not.toContain('%40');
  });
});
