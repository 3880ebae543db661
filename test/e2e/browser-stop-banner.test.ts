import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/store/database.js';
import { dispatchHarness, type Harness } from '../support/dispatch.js';
import { apiDepsOf } from '../support/api.js';
import { openTestDatabase } from '../support/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-test-token-0123456789';
const PAGES = ['/sales', '/sales/decided', '/leads', '/operator', '/kpis', '/runs', '/agents', '/ask'];

/** While the emergency stop is set, every page says so (banner and title) with who, why and when. */
describe.skipIf(!existsSync(CHROMIUM))('stopped is obvious everywhere (chromium)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let page: Page;
  let url = '';

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const base = apiDepsOf(h);
    const deps = apiDepsOf(h, {
      operatorStatus: async () => ({
        sendMode: 'live',
        emergencyStop: { active: Boolean((await h.control.emergencyStop())?.active) },
        usage: {},
        linkedinWarmup: { week: 0, limit: 5, inWarmup: true },
        ramp: { active: false, day: 0, cleanDays: 0, required: 3 },
      }),
      // An incident escalated to level 3 while no pager is configured: the escalation reached only the log.
      incidents: async () => [{ key: 'emergency-stop', level: 3, notifiedLevel: 3, openedAt: new Date('2026-11-23T09:00:00Z'), details: { title: 'Emergency stop: all sending is off' } }],
      stopView: { ...base.stopView, pagers: [] },
    });
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
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

  const banner = () => page.locator('.stop-banner');

  it('no banner while sending; a stop without a reason puts one on every page and STOPPED in every title', async () => {
    for (const p of PAGES) {
      await page.goto(`${url}${p}`);
      expect([p, await banner().count(), (await page.title()).startsWith('STOPPED')]).toEqual([p, 0, false]);
      expect([p, await page.locator('a.skip-link[href="#main"]').count()]).toEqual([p, 1]);
    }
    await page.goto(`${url}/operator`);
    // No reason: allowed.
    await page.click('button.danger');
    await expect.poll(async () => (await h.control.emergencyStop())?.active).toBe(true);
    for (const p of PAGES) {
      await page.goto(`${url}${p}`);
      expect([p, (await page.title()).startsWith('STOPPED - ')]).toEqual([p, true]);
      const text = await banner().textContent();
      expect([p, text]).toEqual([p, expect.stringContaining('STOPPED: nothing is being sent.')]);
      expect(text).toContain('set by dashboard');
      expect(text).toContain('No reason given yet');
      // When: a <time> with the moment it was set.
      expect(await banner().locator('time').getAttribute('datetime')).toBe('2026-11-23T10:00:00.000Z');
    }
  });

  it('the reason is given afterwards on /operator and shows in the banner; the history lists both', async () => {
    await page.goto(`${url}/operator`);
    await page.fill('#stop-why', 'a prospect complained about the cadence');
    await page.click('form[data-api="/api/emergency-stop/reason"] button');
    await expect.poll(async () => (await h.control.emergencyStop())?.reason).toBe('a prospect complained about the cadence');
    await page.goto(`${url}/leads`);
    expect(await banner().textContent()).toContain('Reason: a prospect complained about the cadence.');
    await page.goto(`${url}/operator`);
    const history = await page.locator('section[aria-labelledby=stop-history] tbody').textContent();
    expect(history).toContain('Reason given');
    expect(history).toContain('Stopped');
  });

  it('"paged" is not claimed when no pager is configured', async () => {
    await page.goto(`${url}/operator`);
    const incidents = await page.locator('section[aria-labelledby=incidents]').textContent();
    expect(incidents).toContain('nobody paged: no pager is configured');
    expect(incidents).not.toContain('paged at level');
  });

  it('resuming removes the banner and STOPPED from the title; the history shows the resume', async () => {
    await page.goto(`${url}/operator`);
    await page.click('form[data-api="/api/resume"] button');
    await expect.poll(async () => (await h.control.emergencyStop())?.active).toBe(false);
    await page.goto(`${url}/sales`);
    expect([await banner().count(), (await page.title()).startsWith('STOPPED')]).toEqual([0, false]);
    await page.goto(`${url}/operator`);
    expect(await page.locator('section[aria-labelledby=stop-history] tbody tr').first().textContent()).toContain('Resumed');
  });
});
