import { existsSync } from 'node:fs';
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

/**
 * The review queue's keyboard and in-place decisions in chromium: a shortcut never fires with a
 * modifier, never while typing, and only on the focused draft; a decision shows beside its draft
 * with a 10-second undo; a double click is one decision; decided today reopens.
 */
describe.skipIf(!existsSync(CHROMIUM))('review that cannot misfire (chromium)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let page: Page;
  let url = '';
  const ids: string[] = [];
  const posts: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    for (let i = 0; i < 3; i++) {
      const lead = await h.approvedLead({ linkedin: false });
      await h.db.execute(sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null where id = ${lead.draftId}::uuid`);
    }
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await browser.newPage();
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/emails/')) posts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${url}/login`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${url}/sales`);
    // Written as strings: the page's DOM types are not part of the Node test build.
    ids.push(...(await page.evaluate<string[]>(`Array.from(document.querySelectorAll('article[data-draft]')).map((e) => e.getAttribute('data-draft'))`)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await h?.close();
    await database?.close();
  });

  const statusOf = async (id: string) => ((await h.db.execute(sql`select status from drafts where id = ${id}::uuid`)) as { rows: { status: string }[] }).rows[0]!.status;
  const statuses = async () => Promise.all(ids.map(statusOf));
  const count = (name: string) => page.locator(`[data-count=${name}]`).textContent();
  const card = (i: number) => page.locator(`article[data-draft="${ids[i]}"]`);
  /** Whatever a key press started has reached the page's network layer (a round trip through the page). */
  const settle = async () => {
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  };

  it('modifier keys and keys with no focused draft do nothing; j / k move the focus and announce the draft', async () => {
    expect(ids).toHaveLength(3);
    expect([await count('waiting'), await count('approved'), await count('rejected')]).toEqual(['3', '0', '0']);
    // Nothing focused: neither a nor Ctrl+A approves anything.
    await page.keyboard.press('a');
    await page.keyboard.press('Control+a');
    await settle();
    await expect.poll(() => page.textContent('#review-live')).toContain('press j');
    await page.keyboard.press('j');
    expect(await page.evaluate(`document.activeElement.getAttribute('data-draft')`)).toBe(ids[0]);
    await expect.poll(() => page.textContent('#review-live')).toContain('Draft 1 of 3');
    // The focused draft is the highlighted one (CSS :focus-within), and modifiers never approve it.
    const shadow = (i: number) => page.evaluate<string>(`getComputedStyle(document.querySelector('article[data-draft="${ids[i]}"]')).boxShadow`);
    expect(await shadow(0)).not.toBe('none');
    expect(await shadow(1)).toBe('none');
    for (const key of ['Control+a', 'Meta+a', 'Alt+a', 'Control+Shift+a']) await page.keyboard.press(key);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect.poll(() => page.textContent('#review-live')).toContain('Draft 1 of 3');
    await settle();
    expect(posts).toEqual([]);
    expect(await statuses()).toEqual(['pending_review', 'pending_review', 'pending_review']);
  });

  it('a acts on the focused draft (its button has the focus), not on another one; the decision shows beside it with an undo', async () => {
    await card(1).locator('form.approve button').focus();
    await page.keyboard.press('a');
    await expect.poll(() => statusOf(ids[1]!)).toBe('approved');
    expect([await statusOf(ids[0]!), await statusOf(ids[2]!)]).toEqual(['pending_review', 'pending_review']);
    await expect.poll(() => card(1).locator('[data-outcome]').textContent()).toContain('Approved by dashboard');
    expect(await card(1).locator('button.undo').isVisible()).toBe(true);
    expect(await card(1).locator('form.approve').isVisible()).toBe(false);
    expect([await count('waiting'), await count('approved')]).toEqual(['2', '1']);
    expect(page.url()).toBe(`${url}/sales`);
    // Pressing a again on the decided draft does not decide anything else.
    await page.keyboard.press('a');
    await settle();
    expect(posts.filter((p) => p.endsWith('/approve'))).toHaveLength(1);
    // Undo, in time.
    await card(1).locator('button.undo').click();
    await expect.poll(() => statusOf(ids[1]!)).toBe('pending_review');
    await expect.poll(() => card(1).locator('[data-outcome]').textContent()).toContain('Undone');
    expect(await card(1).locator('form.approve').isVisible()).toBe(true);
    expect([await count('waiting'), await count('approved')]).toEqual(['3', '0']);
  });

  it('keys typed in a text box are text, not shortcuts', async () => {
    const reason = card(0).locator('input[name=reason]');
    await reason.focus();
    await page.keyboard.type('a bad angle, just rejected');
    await settle();
    expect(await reason.inputValue()).toBe('a bad angle, just rejected');
    expect(await statusOf(ids[0]!)).toBe('pending_review');
    await card(0).locator('select[name=tag]').selectOption({ index: 1 });
    await card(0).locator('form.reject button').click();
    await expect.poll(() => statusOf(ids[0]!)).toBe('rejected');
    await expect.poll(() => card(0).locator('[data-outcome]').textContent()).toContain('Rejected by dashboard');
    expect([await count('waiting'), await count('rejected')]).toEqual(['2', '1']);
  });

  it('a double-clicked approve is one decision', async () => {
    const before = posts.length;
    await card(2).locator('form.approve button').dblclick();
    await expect.poll(() => statusOf(ids[2]!)).toBe('approved');
    await settle();
    expect(posts.slice(before)).toEqual([`/api/emails/${ids[2]}/approve`]);
    const actions = ((await h.db.execute(sql`select action from audit_log where entity_id = ${ids[2]!} and actor = 'dashboard' order by id`)) as { rows: { action: string }[] }).rows.map((r) => r.action);
    expect(actions).toEqual(['review.approved']);
  });

  it('decided today lists the decisions and reopens one in place', async () => {
    await page.goto(`${url}/sales/decided`);
    const rows = page.locator('tr[data-draft-row]');
    expect(await rows.count()).toBe(2);
    expect([await count('waiting'), await count('approved'), await count('rejected')]).toEqual(['1', '1', '1']);
    await page.locator(`tr[data-draft-row="${ids[0]}"] button`).click();
    await expect.poll(() => statusOf(ids[0]!)).toBe('pending_review');
    await expect.poll(() => page.locator(`tr[data-draft-row="${ids[0]}"] [data-outcome]`).textContent()).toContain('Reopened');
    expect(await statuses()).toEqual(['pending_review', 'pending_review', 'approved']);
  });

  it('the skip link is the first stop of the keyboard and lands on the main content', async () => {
    await page.goto(`${url}/sales`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(`document.activeElement.className`)).toBe('skip-link');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(`document.activeElement.id`)).toBe('main');
  });
});
