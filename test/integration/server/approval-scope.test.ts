import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/server/app.js';
import type { Database } from '../../../src/store/database.js';
import { dispatchHarness, type Harness } from '../../support/dispatch.js';
import { apiDepsOf } from '../../support/api.js';
import { openTestDatabase } from '../../support/store.js';

const TOKEN = 'approval-scope-token-0123456789';

/**
 * Issue 21 item 3, the draft half: each card on /sales says what approving it enables (the tier's
 * routing, the cadence config), shows both subjects, the angle in words with why, and the grounding
 * of each personal claim with a flag on a claim not in the lead's current data. Production wiring.
 */
describe('the review card says what approving does (/sales)', () => {
  let database: Database;
  let h: Harness;
  let app: ReturnType<typeof buildApp>;
  let html = '';
  let draftId = '';

  beforeAll(async () => {
    database = await openTestDatabase();
    h = await dispatchHarness(database);
    const lead = await h.approvedLead({ firstName: 'Maya', lastName: 'Okafor' });
    draftId = lead.draftId;
    await h.db.execute(
      sql`update drafts set status = 'pending_review', decided_by = null, decided_at = null, angle_reason = 'the CEO owns the budget', grounding = grounding || ${JSON.stringify([{ claim: 'runs Google Workspace', field: 'company.technologies', value: 'Google Workspace', provider: 'apollo' }])}::jsonb where id = ${lead.draftId}::uuid`,
    );
    await h.db.execute(sql`update leads set status = 'pending_review' where id = ${lead.leadId}::uuid`);
    app = buildApp({ routes: { post: {}, get: {} }, maxBodyBytes: 64 * 1024, api: { token: TOKEN, deps: apiDepsOf(h) } });
    const login = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${encodeURIComponent(TOKEN)}` });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const page = await app.inject({ method: 'GET', url: '/sales', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    html = page.body;
  });
  afterAll(async () => {
    await app.close();
    await h.close();
    await database.close();
  });

  const card = () => html.slice(html.indexOf(`data-draft="${draftId}"`), html.indexOf('</article>', html.indexOf(`data-draft="${draftId}"`)));

  it('names the touches and the cadence the tier routing enables, both subjects and the angle with its reason', async () => {
    const row = ((await h.db.execute(sql`select d.subject_a, d.subject_b, l.tier from drafts d join leads l on l.id = d.lead_id where d.id = ${draftId}::uuid`)) as { rows: { subject_a: string; subject_b: string; tier: string }[] })
      .rows[0]!;
    const c = card();
    expect(c).toContain('Approving enables:');
    // The harness routes tiers 1 and 2 to Instantly and HeyReach, 3 and 4 to Instantly only.
    const linkedIn = ['tier_1', 'tier_2'].includes(row.tier);
    expect(c).toContain(
      linkedIn
        ? 'E-mail step 1 through Instantly; LinkedIn connection request through HeyReach; then the 21-day cadence (steps 3, 5, 7 and 8 by e-mail, 4 and 6 on LinkedIn).'
        : 'E-mail step 1 through Instantly; then the 21-day cadence (steps 3, 5, 7 and 8 by e-mail).',
    );
    const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(c).toContain(`<span data-subject="a">${escaped(row.subject_a)}</span>`);
    expect(c).toContain(`<span data-subject="b">${escaped(row.subject_b)}</span>`);
    expect(c).toContain('chosen because the CEO owns the budget');
    expect(c).not.toMatch(/data-angle>t\d_/);
  });

  it('lists the grounding of each claim and flags the one not in the lead current data', () => {
    const c = card();
    expect(c).toContain('Grounding of personal claims');
    expect(c).toContain("not in the lead's current data");
    const stale = c.match(/<tr class="claim-stale" data-claim-stale>.*?<\/tr>/g) ?? [];
    expect(stale, stale.join('\n')).toHaveLength(1);
    expect(stale[0]).toContain('runs Google Workspace');
    // The claims the pipeline grounded itself still match.
    expect(c).toContain('Matches');
  });
});
