import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/store/database.js';
import { dispatchHarness, type Harness } from '../support/dispatch.js';
import { apiDepsOf } from '../support/api.js';
import { openTestDatabase } from '../support/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-test-token-0123456789';
const OUT = path.resolve('test-output', 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
/** One unbroken "word" far wider than a phone: a URL pasted into a draft, an id, a stop reason. */
const LONG = `https://example.com/${'a-very-long-path-segment-'.repeat(12)}end`;

/**
 * The dashboard on a 390x844 phone and on a desktop (issue 21, item 8): no page scrolls sideways
 * (tables scroll inside themselves, long words wrap, the edit box fits), the menu folds behind a real
 * button that works from the keyboard with Log out reachable, and a draft's actions stay in reach
 * without scrolling past the draft. The keyboard (skip link, j / a) and the stop banner still work.
 */
describe.skipIf(!existsSync(CHROMIUM))('the dashboard on a phone and on a desktop (chromium)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let url = '';
  let leadId = '';
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    // One decided draft (for /sales/decided), three waiting; the first waiting one is long and holds a long URL.
    await h.approvedLead({ linkedin: false });
    const waiting: string[] = [];
    for (let i = 0; i < 3; i++) {
      const lead = await h.approvedLead({ linkedin: false });
      waiting.push(lead.draftId);
      await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${lead.draftId}::uuid`);
    }
    const body = `${Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long draft that a reviewer reads on a phone.`).join('\n')}\nSee ${LONG}`;
    await h.db.execute(sql`update drafts set body = ${body}, subject_a = ${`About ${LONG}`} where id = ${waiting[0]}::uuid`);
    leadId = ((await h.db.execute(sql`select id from leads order by created_at limit 1`)) as { rows: { id: string }[] }).rows[0]!.id;
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await h?.close();
    await database?.close();
  });

  const open = async (viewport: { width: number; height: number }, mobile: boolean): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(`${url}/login`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/sales`);
    return { context, page };
  };

  // Written as strings: the page's DOM types are not part of the Node test build.
  const sideways = (page: Page) => page.evaluate<number>(`document.documentElement.scrollWidth - document.documentElement.clientWidth`);
  /** Elements whose right edge passes the viewport (outside any inner scroll container): what would make the page scroll sideways. */
  const sticking = (page: Page) =>
    page.evaluate<string[]>(`Array.from(document.querySelectorAll('body *')).filter((el) => {
      if (el.closest('table') && el.tagName !== 'TABLE') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > document.documentElement.clientWidth + 0.5;
    }).map((el) => el.tagName + '.' + el.className)`);
  const pages = () => ['/sales', '/sales/decided', '/operator', '/leads', `/leads/${leadId}`, '/kpis', '/runs', '/ask', '/agents'];
  const inViewport = async (page: Page, selector: string) => {
    const box = await page.locator(selector).boundingBox();
    return box !== null && box.y >= 0 && box.y + box.height <= PHONE.height && box.x >= 0 && box.x + box.width <= PHONE.width;
  };

  it('no page scrolls sideways at 390 px (login and stopped included); tables scroll inside themselves; no inline style or script', async () => {
    const { context, page } = await open(PHONE, true);
    for (const p of pages()) {
      await page.goto(`${url}${p}`);
      expect([p, await sideways(page), await sticking(page)]).toEqual([p, 0, []]);
      // CSP: no inline script or style anywhere; styles come from /assets/app.css.
      expect([p, await page.locator('script:not([src]), style, [style]').count()]).toEqual([p, 0]);
      await page.screenshot({ path: path.join(OUT, `phone${p.replaceAll('/', '-').replace(/-[0-9a-f-]{36}$/, '-lead')}.png`), fullPage: true });
    }
    // A wide table scrolls inside itself, not the page.
    await page.goto(`${url}/leads`);
    const table = await page.evaluate<{ overflow: string; scroll: number; client: number }>(
      `(() => { const t = document.querySelector('table.leads'); return { overflow: getComputedStyle(t).overflowX, scroll: t.scrollWidth, client: t.clientWidth }; })()`,
    );
    expect(table.overflow).toBe('auto');
    expect(table.scroll).toBeGreaterThan(table.client);
    // display: block on a table keeps its semantics in chromium's accessibility tree (still a table with column headers).
    const cdp = await context.newCDPSession(page);
    const ax = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; role?: { value: string } }[] };
    const roles = ax.nodes.filter((n) => !n.ignored).map((n) => n.role?.value);
    expect(roles).toContain('table');
    expect(roles).toContain('columnheader');
    // The funnel chart shrinks to the screen.
    expect((await page.locator('svg.chart').boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);

    // The edit box fits.
    await page.goto(`${url}/sales`);
    await page.locator('article.card').first().locator('details:has(form.edit) summary').click();
    const textarea = (await page.locator('article.card').first().locator('textarea[name=body]').boundingBox())!;
    expect(textarea.x + textarea.width).toBeLessThanOrEqual(PHONE.width);
    expect(await sideways(page)).toBe(0);

    // The stop banner with a long unbroken reason wraps too.
    await h.control.setEmergencyStop({ active: true, reason: LONG, setBy: 'Dani', setAt: new Date() });
    await page.goto(`${url}/operator`);
    expect(await page.locator('.stop-banner').isVisible()).toBe(true);
    expect(await sideways(page)).toBe(0);
    await page.screenshot({ path: path.join(OUT, 'phone-operator-stopped.png'), fullPage: true });
    await h.control.setEmergencyStop({ active: false, reason: null, setBy: 'Dani', setAt: new Date() });

    // The login page too (a fresh context has no session).
    const guest = await browser.newContext({ viewport: PHONE, isMobile: true });
    const login = await guest.newPage();
    await login.goto(`${url}/login`);
    expect(await sideways(login)).toBe(0);
    await guest.close();
    expect(cspViolations).toEqual([]);
    await context.close();
  }, 120_000);

  it('on a phone the menu folds behind a real button that works from the keyboard, Log out included', async () => {
    const { context, page } = await open(PHONE, true);
    await page.goto(`${url}/leads`);
    const toggle = page.locator('button.menu-toggle');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-controls')).toBe('main-nav');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#main-nav').isVisible()).toBe(false);

    // Tab: the skip link first, then the menu button; Enter opens the menu.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(`document.activeElement.className`)).toBe('skip-link');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(`document.activeElement.className`)).toBe('menu-toggle');
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#main-nav').isVisible()).toBe(true);
    expect(await page.locator('#main-nav a[aria-current=page]').textContent()).toBe('Leads');
    // Every link and Log out are on the screen, one under the other, within 390 px.
    for (const label of ['Review queue', 'Leads', 'Operator', 'KPIs', 'Runs', 'Agents', 'Ask QUEEN']) expect([label, await inViewport(page, `#main-nav a:text-is("${label}")`)]).toEqual([label, true]);
    expect(await inViewport(page, '#main-nav .logout button')).toBe(true);
    expect(await sideways(page)).toBe(0);
    await page.screenshot({ path: path.join(OUT, 'phone-menu-open.png') });
    // The next Tab goes into the menu; Escape closes it and gives the focus back to the button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(`document.activeElement.textContent`)).toBe('Review queue');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate<string>(`document.activeElement.className`)).toBe('menu-toggle');
    // Space toggles it too (a real button); Log out works from the keyboard.
    await page.keyboard.press(' ');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.locator('#main-nav .logout button').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/login`);
    await context.close();
  }, 60_000);

  it("on a phone a long draft's actions are in reach without scrolling past it; j / a and the skip link still work", async () => {
    const { context, page } = await open(PHONE, true);
    await page.goto(`${url}/sales`);
    // The skip link lands on main.
    await page.keyboard.press('Tab');
    expect(await page.locator('a.skip-link').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>(`document.activeElement.id`)).toBe('main');

    await page.keyboard.press('j');
    const first = page.locator('article.card').first();
    expect(await page.evaluate<boolean>(`document.activeElement === document.querySelector('article.card')`)).toBe(true);
    // The draft is longer than the screen, yet its Approve and Reject are on it.
    const bodyBox = (await first.locator('pre.body').boundingBox())!;
    expect(bodyBox.y + bodyBox.height).toBeGreaterThan(PHONE.height);
    const id = (await first.getAttribute('data-draft'))!;
    expect(await inViewport(page, `article[data-draft="${id}"] form.approve button`)).toBe(true);
    expect(await inViewport(page, `article[data-draft="${id}"] form.reject button`)).toBe(true);
    // Halfway down the draft they are still there.
    await page.evaluate(`window.scrollBy(0, ${Math.round(PHONE.height / 2)})`);
    expect(await inViewport(page, `article[data-draft="${id}"] form.approve button`)).toBe(true);
    await page.screenshot({ path: path.join(OUT, 'phone-review.png') });

    await page.keyboard.press('a');
    await expect.poll(async () => ((await h.db.execute(sql`select status from drafts where id = ${id}::uuid`)) as { rows: { status: string }[] }).rows[0]!.status).toBe('approved');
    await expect.poll(() => first.locator('[data-outcome]').textContent()).toContain('Approved');
    await context.close();
  }, 60_000);

  it('on a desktop the full nav shows without a menu button, and no page scrolls sideways', async () => {
    const { context, page } = await open(DESKTOP, false);
    for (const p of pages()) {
      await page.goto(`${url}${p}`);
      expect([p, await sideways(page)]).toEqual([p, 0]);
    }
    expect(await page.locator('button.menu-toggle').isVisible()).toBe(false);
    expect(await page.locator('#main-nav').isVisible()).toBe(true);
    // One row: every link and Log out at the same height.
    const tops = await page.evaluate<number[]>(`Array.from(document.querySelectorAll('#main-nav > a, #main-nav .logout button')).map((el) => Math.round(el.getBoundingClientRect().top))`);
    expect(tops.length).toBe(9);
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(6);
    await page.screenshot({ path: path.join(OUT, 'desktop-agents.png') });
    await context.close();
  }, 60_000);
});
