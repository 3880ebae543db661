import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/store/database.js';
import { apiDepsOf } from '../support/api.js';
import { dispatchHarness, type Harness } from '../support/dispatch.js';
import { replyDelivery } from '../support/replies.js';
import { openTestDatabase } from '../support/store.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOKEN = 'browser-replies-token-0123456789';
type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

/** Issue 17 item 6 on a phone-sized screen (390 px): the replies, one conversation, the suggested answer approved in place, a slot booked. */
describe.skipIf(!existsSync(CHROMIUM))('the /replies page (chromium, 390 px)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let browser: Browser;
  let page: Page;
  let url = '';
  const ids = { meeting: '', objection: '' };

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const maya = await h.approvedLead({ firstName: 'Maya', lastName: 'Rivera', linkedin: false });
    const omar = await h.approvedLead({ firstName: 'Omar', lastName: 'Quist', linkedin: false });
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const reply = await replyDelivery(h);
    const deliver = (key: string, email: string, text: string) => reply({ key, email, text, subject: 'Re: AI' });
    ids.meeting = await deliver('b-1', maya.email, 'Tuesday at 4pm works, send an invite.');
    ids.objection = await deliver('b-2', omar.email, 'We use <b>HubSpot</b> and it works fine for us, no need for this.');
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 1024 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'UTC', locale: 'en-US' })).newPage();
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

  const fitsWidth = () => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

  it('lists the conversations newest first and filters them by class, within 390 px', async () => {
    await page.goto(`${url}/replies`);
    const items = page.locator('li.reply-item');
    expect(await items.count()).toBe(2);
    expect(await items.nth(0).getAttribute('data-reply')).toBe(ids.objection);
    expect(await items.nth(0).locator('h2').textContent()).toBe('Objection (already uses something else)');
    expect(await items.nth(1).locator('h2').textContent()).toBe('Asks for a meeting');
    expect(await fitsWidth()).toBe(true);
    await page.selectOption('#reply-class', 'meeting_request');
    await page.click('form.reply-filter button[type=submit]');
    await page.waitForURL(`${url}/replies?class=meeting_request`);
    expect(await page.locator('li.reply-item').count()).toBe(1);
    await page.locator('li.reply-item h2 a').click();
    await page.waitForURL(`${url}/replies/${ids.meeting}`);
    expect(await page.locator('[data-appointment]').textContent()).toContain('Meeting booked for Tuesday, November 24 at 4:00 PM UTC');
    await page.locator('details[data-brief] summary').click();
    expect(await page.locator('[data-brief-text]').textContent()).toContain('# Meeting brief: Maya Rivera');
    expect(await fitsWidth()).toBe(true);
  });

  it('shows the thread escaped, approves the suggested answer in place and books a live slot', async () => {
    await page.goto(`${url}/replies/${ids.objection}`);
    expect(await page.locator('[data-reply-class]').textContent()).toBe('Objection (already uses something else)');
    const messages = page.locator('ol.thread li.message');
    expect(await messages.count()).toBe(2);
    expect(await messages.nth(0).getAttribute('data-direction')).toBe('sent');
    // The reply's HTML is text here: no <b> element was made from it.
    expect(await messages.nth(1).locator('pre.body').textContent()).toContain('HubSpot');
    expect(await messages.nth(1).locator('b').count()).toBe(0);
    expect(await fitsWidth()).toBe(true);

    await page.locator('form.approve button[type=submit]').click();
    await page.locator('[data-outcome]', { hasText: 'Approved by dashboard' }).waitFor();
    const draftId = await page.locator('[data-draft]').getAttribute('data-draft');
    expect(rowsOf(await database.db.execute(sql`select status, decided_by from drafts where id = ${draftId}`))[0]).toMatchObject({ status: 'approved', decided_by: expect.stringMatching(/^dashboard/) });

    await page.locator('[data-load-slots]').click();
    const first = page.locator('[data-slot-list] input[name=slot]').first();
    await first.waitFor();
    const slot = (await first.getAttribute('value'))!;
    expect(await first.isChecked()).toBe(true);
    expect(await fitsWidth()).toBe(true);
    await page.locator('[data-book-form] button[type=submit]').click();
    await page.locator('[data-book-outcome]', { hasText: 'Booked:' }).waitFor();
    expect(h.sandboxes.ghl.appointments().filter((a) => Date.parse(a.startTime) === Date.parse(slot) && a.appointmentStatus !== 'cancelled')).toHaveLength(1);
    await page.reload();
    expect(await page.locator('[data-appointment]').count()).toBe(1);
  });

  it("shows a model's disputed reading on the list and the reply, escaped, within 390 px", async () => {
    const note = { verdict: 'disagrees', model: 'claude-test', class: 'unsubscribe', kind: null, confidence: 0.9, evidence: ['<b>HubSpot</b>'], added: [], reason: 'the rules read objection', needsPerson: true };
    await database.db.execute(sql`update replies set llm = ${JSON.stringify(note)}::jsonb where id = ${ids.objection}`);
    await page.goto(`${url}/replies`);
    const marked = page.locator('li.reply-item [data-llm-disputed]');
    expect(await marked.count()).toBe(1);
    expect(await page.locator(`li.reply-item[data-reply="${ids.objection}"] [data-llm-disputed]`).textContent()).toBe('a model reads it as asked to be removed: a person should read it');
    expect(await fitsWidth()).toBe(true);
    await page.goto(`${url}/replies/${ids.objection}`);
    const words = page.locator('[data-llm-verdict="disagrees"]');
    expect(await words.textContent()).toBe(
      "A model (claude-test) reads this reply differently: Asked to be removed (confidence 0.9), from the words “<b>HubSpot</b>”. The rules' reading above stands (the rules read objection); a person should read the reply and decide.",
    );
    expect(await words.locator('b').count()).toBe(0);
    expect(await page.locator('[data-reply-class]').textContent()).toBe('Objection (already uses something else)');
    expect(await fitsWidth()).toBe(true);
  });

  it('an edit of the suggested answer is checked by its own kind: an e-mail answer that loses its footer is refused in place, one that keeps it is approved', async () => {
    await page.goto(`${url}/replies/${ids.meeting}`);
    const card = page.locator('[data-draft]');
    const draftId = await card.getAttribute('data-draft');
    await card.locator('details summary').click();
    const body = card.locator('textarea[name=body]');
    const original = await body.inputValue();
    await body.fill('Hi Maya,\n\nTuesday at 4:00 PM works well on my side.\n\nAlex');
    await card.locator('form.edit button[type=submit]').click();
    await card.locator('[data-outcome]', { hasText: 'FOOTER-ADDRESS' }).waitFor();
    expect(rowsOf(await database.db.execute(sql`select status from drafts where id = ${draftId}`))[0]).toMatchObject({ status: 'pending_review' });
    const edited = original.replace('works on my side', 'works well on my side');
    expect(edited).not.toBe(original);
    await body.fill(edited);
    await card.locator('form.edit button[type=submit]').click();
    await card.locator('[data-outcome]', { hasText: 'Edited and approved by dashboard' }).waitFor();
    expect(rowsOf(await database.db.execute(sql`select status, edited_body from drafts where id = ${draftId}`))[0]).toMatchObject({ status: 'approved', edited_body: edited });
    expect(await fitsWidth()).toBe(true);
  });
});
