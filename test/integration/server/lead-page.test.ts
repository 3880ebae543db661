import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionTagLabel } from '../../../src/domain/labels.js';
import { esc } from '../../../src/server/pages/render.js';
import { buildApp } from '../../../src/server/app.js';
import type { Database } from '../../../src/store/database.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { createSessionStore } from '../../../src/store/session-repo.js';
import { apiDepsOf } from '../../support/api.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'lead-page-dashboard-token-0123456789';
const auth = { 'x-dashboard-token': TOKEN };

/*
 * Issue 21, items 4 and 7: a page per lead and plain labels, through the production wiring
 * (apiDepsFor over openApp/openDispatch, the real pipeline, review and dispatch with sandboxes).
 */
describe('/leads and /leads/<id>', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let cookie = '';
  let editedBody = '';
  let sent: { email: string; leadId: string; draftId: string };
  let edited: { email: string; leadId: string; draftId: string };
  let rejected: { email: string; leadId: string; draftId: string };

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: body as object });

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h), sessions: createSessionStore(database.db) } });
    sent = await h.approvedLead({ firstName: 'Maya', lastName: 'Okafor', linkedin: false });
    edited = await h.approvedLead({ firstName: 'Noor', lastName: 'Haddad', linkedin: false });
    rejected = await h.approvedLead({ firstName: 'Omar', lastName: 'Quist', linkedin: false });
    // Noor's draft reopened and approved again with an edit; Omar's reopened and rejected.
    expect((await post(`/api/emails/${edited.draftId}/reopen`, { by: 'Sam' })).statusCode).toBe(200);
    const original = ((await h.db.execute(sql`select body from drafts where id = ${edited.draftId}`)) as { rows: { body: string }[] }).rows[0]!.body;
    editedBody = `Hi Noor, a shorter note from me.\n${original.split('\n').slice(1).join('\n')}`;
    const edit = await post(`/api/emails/${edited.draftId}/approve`, { by: 'Sam', body: editedBody });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await post(`/api/emails/${rejected.draftId}/reopen`, { by: 'Sam' })).statusCode).toBe(200);
    const no = await post(`/api/emails/${rejected.draftId}/reject`, { by: 'Sam', reason: 'Wrong person for this', tag: 'icp_mismatch' });
    expect(no.statusCode, no.body).toBe(200);
    // Maya's and Noor's e-mails go through a batch to Instantly; Maya replies asking for a meeting.
    const batch = await h.gatekeeper.create('outbound', 'Dani');
    expect((await post(`/api/operator/batches/${batch.id}/send`, { by: 'Sam' })).statusCode).toBe(200);
    await h.db.execute(sql`insert into lead_events (lead_id, at, channel, type, source, from_status, to_status, details)
      values (${sent.leadId}, '2026-11-23T11:00:00Z', 'email', 'email_replied', 'instantly', 'sent', 'replied', '{"replyClass":"meeting_request"}'::jsonb)`);
    const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(TOKEN)}` });
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  it('a lead page: who, the score always with its components, provenance, the timeline in plain words and <time> elements', async () => {
    const page = await get(`/leads/${sent.leadId}`);
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(body).toContain('<title>Maya Okafor - CAIO Alpha Swarm</title>');
    expect(body).toContain('<strong>CEO</strong> at');
    // The score breakdown is there although the draft was decided and sent.
    expect(body).toMatch(/<h2 id="lp-score">Score: \d+ points, Tier \d<\/h2>/);
    for (const component of ['Company size', 'Job title', 'Industry', 'Tech stack', 'Intent', 'Engagement']) expect(body).toContain(`<th scope="row">${component}</th>`);
    expect(body).toContain('Where the data came from');
    // Timeline in words, times as UTC <time datetime> for the page's script.
    expect(body).toContain('E-mail step 1 handed to Instantly');
    expect(body).toContain('Replied: meeting request (now replied)');
    expect(body).toContain('<time datetime="2026-11-23T11:00:00.000Z">');
    expect(body).toMatch(/Draft approved by Dani/);
    // No code leaks as a label.
    expect(body).not.toMatch(/>\s*tier_\d|t1_executive_buyin<|pending_review</);
  });

  it("the editor's change shows before and after; a rejection shows its reason", async () => {
    const noor = (await get(`/leads/${edited.leadId}`)).body;
    expect(noor).toContain("The reviewer's change");
    expect(noor).toContain('<h5>After</h5><pre class="body">Hi Noor, a shorter note from me.');
    expect(editedBody).toContain('Hi Noor');
    expect(noor).toContain('Approved</strong> by Sam');
    const omar = (await get(`/leads/${rejected.leadId}`)).body;
    expect(omar).toContain('Why it stopped');
    expect(omar).toContain(`Draft rejected by Sam: ${esc(rejectionTagLabel('icp_mismatch'))}, “Wrong person for this”`);
  });

  it('an unknown or malformed id is a 404 page, not an error', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', encodeURIComponent("1' or '1'='1")]) {
      const page = await get(`/leads/${id}`);
      expect([id, page.statusCode]).toEqual([id, 404]);
      expect(page.body).toContain('No lead has this id.');
    }
    expect((await app.inject({ method: 'GET', url: `/leads/${sent.leadId}` })).statusCode).toBe(302);
  });

  it('/leads links every row to its page by id, never by address; filters, search and sort narrow it', async () => {
    const all = (await get('/leads')).body;
    for (const l of [sent, edited, rejected]) expect(all).toContain(`href="/leads/${l.leadId}"`);
    expect(all).not.toMatch(/href="[^"]*@/);
    expect(all).toContain('Funnel of contacted leads');
    const byName = (await get('/leads?q=noor')).body;
    expect(byName).toContain(`href="/leads/${edited.leadId}"`);
    expect(byName).not.toContain(`href="/leads/${sent.leadId}"`);
    // LIKE wildcards are literal: "%" matches no name.
    expect((await get('/leads?q=%25')).body).toContain('No lead matches.');
    const byStatus = (await get('/leads?status=review_rejected')).body;
    expect(byStatus).toContain(`href="/leads/${rejected.leadId}"`);
    expect(byStatus).not.toContain(`href="/leads/${sent.leadId}"`);
    // Sorted by name ascending: Maya, Noor, Omar; descending the other way round.
    const order = (b: string) =>
      [sent, edited, rejected]
        .map((l) => [l, b.indexOf(`/leads/${l.leadId}"`)] as const)
        .sort((x, y) => x[1] - y[1])
        .map(([l]) => l.leadId);
    expect(order((await get('/leads?sort=name&dir=asc')).body)).toEqual([sent.leadId, edited.leadId, rejected.leadId]);
    expect(order((await get('/leads?sort=name&dir=desc')).body)).toEqual([rejected.leadId, edited.leadId, sent.leadId]);
    // The campaign filter is the latest score's recommendation, as the KPIs attribute it.
    const campaign = ((await h.db.execute(sql`select recommended_campaign as c from scores where lead_id = ${sent.leadId}`)) as { rows: { c: string }[] }).rows[0]!.c;
    const byCampaign = (await get(`/leads?campaign=${encodeURIComponent(campaign)}`)).body;
    expect(byCampaign).toContain(`href="/leads/${sent.leadId}"`);
    expect((await get('/leads?campaign=no_such_campaign')).body).toContain('No lead matches.');
    // A new score moves the lead to its campaign: the filter (leads.recommended_campaign) follows
    // the latest score, not the first.
    const { id: _id, runId: _run, createdAt: _at, ...score } = (await h.stores.leadDetail.detailByEmail(sent.email))!.score!;
    await h.stores.leads.recordScore(sent.leadId, 'rescore', { ...score, recommendedCampaign: 'rescored_campaign' });
    const rescored = (await get('/leads?campaign=rescored_campaign')).body;
    expect(rescored).toContain(`href="/leads/${sent.leadId}"`);
    expect(rescored).not.toContain(`href="/leads/${edited.leadId}"`);
    expect((await get(`/leads?campaign=${encodeURIComponent(campaign)}`)).body).not.toContain(`href="/leads/${sent.leadId}"`);
    // Unknown sort or status values are ignored, not passed on.
    expect((await get('/leads?sort=email;drop table leads&status=nope')).statusCode).toBe(200);
    expect((await get('/leads?tier=tier_1&source=fake')).statusCode).toBe(200);
  });

  it('a search for an e-mail address is POSTed and redirects to the lead page: the address never reaches a URL', async () => {
    const found = await app.inject({ method: 'POST', url: '/leads', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `q=${encodeURIComponent(sent.email.toUpperCase())}` });
    expect([found.statusCode, found.headers.location]).toEqual([303, `/leads/${sent.leadId}`]);
    const missing = await app.inject({ method: 'POST', url: '/leads', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'q=nobody%40example.com' });
    expect(missing.statusCode).toBe(200);
    expect(missing.body).toContain('No lead has that e-mail address.');
    const named = await app.inject({ method: 'POST', url: '/leads', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'q=omar&tier=&sort=name' });
    expect([named.statusCode, named.headers.location]).toEqual([303, '/leads?q=omar&sort=name']);
    // An address typed into the URL by hand is not searched for.
    expect((await get(`/leads?q=${encodeURIComponent(sent.email)}`)).body).toContain(`href="/leads/${edited.leadId}"`);
  });

  it('review cards and operator outbox rows link to the lead page; angles and tiers are words', async () => {
    const operator = (await get('/operator')).body;
    expect(operator).toContain(`<a href="/leads/${sent.leadId}">Maya Okafor</a>`);
    const decided = (await get('/sales/decided')).body;
    expect(decided).toContain(`href="/leads/${rejected.leadId}"`);
  });

  it('KPI rates come with their counts and no verdict below the minimum sample', async () => {
    const kpis = (await get('/kpis')).body;
    expect(kpis).toMatch(/Open rate: 0 of 2 \(0\.0 %\), too few to judge \(fewer than 20\)/);
    expect(kpis).not.toContain('misses target');
  });

  it('the reply-to-meeting rate is shown with its counts, overall and per campaign and angle', async () => {
    expect((await get('/kpis')).body).toContain('Reply to meeting: none yet');
    const event = (leadId: string, type: string) => createLeadEventStore(h.db).append({ leadId, type, at: h.clock.now(), channel: 'email', source: 'test', fromStatus: null, toStatus: null, inboxId: null, details: {} });
    await event(sent.leadId, 'email_replied');
    await event(edited.leadId, 'email_replied');
    await event(sent.leadId, 'meeting_booked');
    const kpis = (await get('/kpis')).body;
    expect(kpis).toContain('Reply to meeting: 1 of 2 (50.0 %) (meetings booked over replies, no target)');
    expect(kpis).toContain('<th>Reply to meeting</th>');
    expect(kpis.match(/<td>1 of [12] \((?:100|50)\.0 %\)<\/td><\/tr>/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
