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
const TOKEN = 'browser-test-token-0123456789';
const OUT = path.resolve('test-output', 'screenshots');

if (!existsSync(CHROMIUM)) {
  // Visible in the test output: the browser suite needs Debian's chromium (.ci/run installs it).
  console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

describe.skipIf(!existsSync(CHROMIUM))('the dashboard in a real browser (chromium)', () => {
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
    const db = database.db;
    for (let i = 0; i < 3; i++) {
      const lead = await h.approvedLead({ linkedin: false });
      await db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${lead.draftId}::uuid`);
    }
    const deps = apiDepsOf(h, {
      operatorStatus: async () => ({
        sendMode: 'live',
        emergencyStop: { active: Boolean((await h.control.emergencyStop())?.active) },
        usage: {},
        linkedinWarmup: { week: 0, limit: 5, inWarmup: true },
        ramp: { active: false, day: 0, cleanDays: 0, required: 3 },
      }),
    });
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps } });
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

  const statuses = async () => ((await database.db.execute(sql`select status, count(*)::int as n from drafts group by status order by status`)) as { rows: { status: string; n: number }[] }).rows.map((r) => `${r.status}:${r.n}`);

  /** Every visible form control has a label, and Tab starts at the navigation. */
  const accessible = async () => {
    // Written as strings: the page's DOM types are not part of the Node test build.
    const unlabelled = await page.evaluate<string[]>(`Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
      .filter((el) => !(el.id && document.querySelector('label[for="' + el.id + '"]')) && !el.getAttribute('aria-label'))
      .map((el) => el.outerHTML.slice(0, 80))`);
    expect(unlabelled).toEqual([]);
    // Focus order follows the document: no positive tabindex, and on the pages the navigation comes first.
    expect(await page.evaluate(`document.querySelectorAll('[tabindex]:not([tabindex="0"]):not([tabindex="-1"])').length`)).toBe(0);
    expect(
      await page.evaluate(
        `(() => { const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]'); return !document.querySelector('nav') || first.closest('nav') !== null || first.classList.contains('skip-link'); })()`,
      ),
    ).toBe(true);
  };

  it('logs in, reviews three drafts (approve, edit and approve, reject with a tag), sees the funnel, and stops sending', async () => {
    await page.goto(`${url}/sales`);
    expect(page.url()).toContain('/login');
    await accessible();
    await page.fill('#token', 'wrong-token');
    await page.click('button[type=submit]');
    expect(await page.textContent('[role=alert]')).toContain('not right');
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/sales`);
    await page.screenshot({ path: path.join(OUT, 'sales.png'), fullPage: true });
    await accessible();
    const cards = page.locator('article.card');
    expect(await cards.count()).toBe(3);

    // 1. Approve the first with the keyboard shortcut: j focuses it, a approves the focused draft.
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    await expect.poll(statuses).toEqual(['approved:1', 'pending_review:2']);

    // 2. Edit and approve the next one.
    await page.goto(`${url}/sales`);
    const second = page.locator('article.card').first();
    await second.locator('details:has(form.edit) summary').click();
    await second.locator('input[name=subject]').fill('A better subject, written by a person');
    await second.locator('form.edit button').click();
    await expect.poll(statuses).toEqual(['approved:2', 'pending_review:1']);
    const edited = ((await database.db.execute(sql`select count(*)::int as n from drafts where edited_subject = 'A better subject, written by a person'`)) as { rows: { n: number }[] }).rows[0]!.n;
    expect(edited).toBe(1);

    // 3. Reject the last one with a reason and a tag.
    await page.goto(`${url}/sales`);
    const third = page.locator('article.card').first();
    await third.locator('input[name=reason]').fill('Too generic for this person');
    await third.locator('select[name=tag]').selectOption({ index: 1 });
    await third.locator('form.reject button').click();
    await expect.poll(statuses).toEqual(['approved:2', 'rejected:1']);
    await page.goto(`${url}/sales`);
    expect(await page.textContent('main')).toContain('No draft is waiting for review');

    // The funnel and a lead's timeline.
    await page.goto(`${url}/leads`);
    await accessible();
    expect(await page.locator('svg[role=img]').count()).toBe(1);
    await page.locator('tr[data-href]').first().click();
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    expect(await page.textContent('ol.timeline')).toContain('Draft written');
    await page.screenshot({ path: path.join(OUT, 'leads.png'), fullPage: true });

    // The emergency stop refuses dispatch.
    await page.goto(`${url}/operator`);
    await accessible();
    await page.fill('#stop-reason', 'complaint from a prospect');
    await page.click('button.danger');
    await expect.poll(async () => Boolean((await h.control.emergencyStop())?.active)).toBe(true);
    // The form reloads the page once the stop is set: a navigation started meanwhile is aborted by
    // that reload (net::ERR_ABORTED on a loaded machine), so wait for it and go again.
    await page.goto(`${url}/operator`).catch(async (error: unknown) => {
      if (!String(error).includes('ERR_ABORTED')) throw error;
      await page.waitForLoadState('load');
      await page.goto(`${url}/operator`);
    });
    expect(await page.textContent('main')).toContain('EMERGENCY STOP ACTIVE');
    await page.screenshot({ path: path.join(OUT, 'operator.png'), fullPage: true });
    const batch = await h.approvedBatch();
    await expect(h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'A' })).rejects.toMatchObject({ code: 'EMERGENCY_STOP' });

    for (const name of ['kpis', 'runs']) {
      await page.goto(`${url}/${name}`);
      await accessible();
      await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
    }
  }, 120_000);
});
