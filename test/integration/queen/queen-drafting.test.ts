import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openServer } from '../../../src/compose/server.js';
import { queenDepsFor } from '../../../src/compose/queen.js';
import { loadConfig } from '../../../src/config/load.js';
import { openApp, type AppDeps } from '../../../src/deps.js';
import type { CopyCheckResult, DraftPreview, VisitorContactsFound } from '../../../src/domain/queen/index.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { ask } from '../../../src/queen/ask.js';
import type { Database } from '../../../src/store/database.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { silentLog } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * QUEEN's copy check, draft preview and visitors' contact mapping through the production wiring
 * (loadConfig → openApp → queenDepsFor): the sender, the quality guard and the cadence come from the
 * config as the pipeline's CRAFTER gets them; the visits are posted to `caio serve`'s RB2B webhook
 * and recorded by the inbox processor, which puts a known person's visit on their stored lead.
 */
const NOW = '2026-12-02T09:00:00Z';
const SECRET = 'rb2b-secret-queen-drafting-0123456789';
const SENDER = { name: 'Robin Vale', title: 'Head of Sales', company: 'Vale Advisory', physicalAddress: '12 Harbour Row, Suite 4, Portland, ME 04101', unsubscribeUrl: 'https://vale.example.com/unsubscribe' };

type Rows<T> = { rows: T[] };

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

const openQueen = async (values: Record<string, unknown> = {}, env: Record<string, string> = {}) => {
  const database: Database = await openTestDatabase();
  closers.push(() => database.close());
  const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env, values: { sender: SENDER, jobs: { enabled: false }, ...values } });
  const app: AppDeps = await openApp(config, { database, clock: fixedClock(NOW), log: silentLog });
  closers.push(() => app.close());
  return { app, database, deps: queenDepsFor(app) };
};

const count = async (database: Database, table: 'drafts' | 'leads') => Number(((await database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as Rows<{ n: number }>).rows[0]!.n);

describe('QUEEN checks a pasted text against the drafting rules', () => {
  it('answers which rules pass and fail, adds the configured footer, and leaves the rest to a person', async () => {
    const { deps, database } = await openQueen();
    const request = `Can you vet this e-mail against our rules before I use it:
Subject: Last chance, act now
Hi {{first_name}},

I wanted to reach out because our guaranteed program will transform your business. Everyone in revenue operations is talking about it.

Cheers,
Kim`;
    const r = await ask(deps, request);
    expect(r.intents).toEqual(['copy_check']);
    expect(r.refused).toBe(false);
    const c = r.results['copy.check'] as CopyCheckResult;
    const status = Object.fromEntries(c.rules.map((x) => [x.rule, x.status]));
    expect(status).toMatchObject({ 'FOOTER-ADDRESS': 'fail', 'FOOTER-UNSUBSCRIBE': 'fail', 'PERS-001': 'fail', 'GUARD-004': 'fail', spam_words: 'flag', subject_length: 'pass', 'GUARD-001': 'not_applicable' });
    expect(c.subject).toBe('Last chance, act now');
    // The fix is the configured footer (sender identity, postal address, unsubscribe), and the text's own problems stay.
    expect(c.footerFix!.text).toContain(SENDER.physicalAddress);
    expect(c.footerFix!.text).toContain(SENDER.unsubscribeUrl);
    expect(c.footerFix!.text).toContain(SENDER.name);
    expect(c.footerFix!.stillFailing).not.toContain('FOOTER-ADDRESS');
    expect(c.footerFix!.stillFailing).toEqual(expect.arrayContaining(['PERS-001', 'GUARD-004']));
    expect(r.answer).toContain("needs a person's edit");
    expect(r.answer).toContain('nothing was stored, changed or sent');
    // The pasted words are content: "reach out" and "program" do not become intents, nothing was written.
    expect(await count(database, 'drafts')).toBe(0);
  });

  it('passes the footer rules for a text that carries the configured footer, and asks for a text when none is pasted', async () => {
    const { deps } = await openQueen();
    const body = `Hi Jo,\n\nHarbor Health runs Marketo, which usually makes the first automations quicker to ship. Revenue teams we work with recover ten hours a week of reporting and routing work within the first month, without replacing a single system.\n\nWould a one-page plan for Harbor Health be useful this quarter?\n\nBest,\nRobin\n\n--\n${SENDER.company} | ${SENDER.physicalAddress} | Unsubscribe: ${SENDER.unsubscribeUrl}`;
    const pasted = await ask(deps, `Is this copy compliant for a VP Revenue at Harbor Health? Here it is:\n${body}`);
    const checked = pasted.results['copy.check'] as CopyCheckResult;
    expect(checked.audience).toEqual({ title: 'VP Revenue', company: 'Harbor Health' });
    expect(checked.rules.filter((x) => x.rule.startsWith('FOOTER-')).map((x) => x.status)).toEqual(['pass', 'pass']);
    expect(checked.footerFix).toBeNull();

    const none = await ask(deps, 'Rewrite this follow-up so it is CAN-SPAM compliant');
    expect(none.calls.find((x) => x.tool === 'copy.check')).toMatchObject({ status: 'missing_input' });
    expect(none.unsupported.map((u) => u.capability)).toEqual(['rewriting a given text']);
  });
});

describe('QUEEN previews a draft for a lead described in words', () => {
  it("renders CRAFTER's templates per cadence step with A/B subjects, the configured footer and the guard's verdict, stores nothing", async () => {
    const { deps, database } = await openQueen();
    const r = await ask(deps, 'Put together a tier 2 outreach sequence for a Head of Marketing at Lumen Freight, a logistics firm of 300 people who recently switched CRMs');
    expect(r.intents).toContain('draft_preview');
    expect(r.unsupported).toEqual([]);
    const p = r.results['draft.preview'] as DraftPreview;
    expect(p).toMatchObject({ preview: true, stored: false, tier: 'tier_2', tierFrom: 'request', sequence: true, persona: { title: 'Head of Marketing', company: 'Lumen Freight', industry: 'logistics', employeeCount: 300 } });
    expect(p.statedButUnused).toBe('recently switched crms');
    // One preview step per configured cadence step; e-mail steps carry copy and a verdict, LinkedIn ones none.
    const steps = (await import('../../../src/config/load.js')).loadConfig({ cwd: '/nonexistent-caio-test-dir', env: {}, values: {} }).cadence.steps;
    expect(p.steps.map((s) => s.step)).toEqual(steps.map((s) => s.step));
    const first = p.steps[0]!;
    if (first.kind !== 'email') throw new Error('the first step is an e-mail');
    expect(first.subjectA).not.toBe(first.subjectB);
    expect(first.subjectB).not.toBeNull();
    expect(first.body).toContain(SENDER.physicalAddress);
    expect(first.body).toContain(SENDER.unsubscribeUrl);
    expect(first.body).toContain('Hi [first name],');
    expect(first.quality.mode).toBe('hard');
    expect(p.steps.filter((s) => s.channel === 'linkedin').every((s) => s.kind === 'linkedin')).toBe(true);
    // Nothing about the persona beyond its words: the stated change is not in any copy.
    for (const s of p.steps) if (s.kind === 'email') expect(s.body.toLowerCase()).not.toContain('crm');
    expect(r.answer).toContain('nothing is queued, reviewed or sent');
    expect(await count(database, 'drafts')).toBe(0);
    expect(await count(database, 'leads')).toBe(0);
  });

  it('scores a described lead without a tier and writes no draft for a nurture-only tier', async () => {
    const { deps } = await openQueen();
    const r = await ask(deps, 'Write an email for an office manager at a 12-person nonprofit');
    const p = r.results['draft.preview'] as DraftPreview & { score: { tier: string } };
    expect(p.tierFrom).toBe('score');
    expect(p.tier).toBe(p.score.tier);
    expect(p.tier).toBe('tier_4');
    expect(p.nurtureOnly).toBe(true);
    expect(p.steps).toEqual([]);
    expect(r.answer).toContain('nurture-only');
  });
});

describe('QUEEN maps website visitors to stored contacts', () => {
  it('names the visitors whose visit landed on a stored lead and those new from RB2B', async () => {
    const { app, deps, database } = await openQueen({}, { RB2B_WEBHOOK_SECRET: SECRET, DASHBOARD_AUTH_TOKEN: 'dashboard-token-queen-drafting-0123456789' });
    // A person we already hold (found by Apollo) and one we do not.
    const known = aProfile({ email: 'dana@known.example.com', linkedinUrl: 'https://www.linkedin.com/in/dana-known', title: 'VP of Sales', company: { ...aProfile().company, name: 'Known Co', domain: 'known.example.com' } });
    await app.stores.leads.upsertDiscovered('run_queen_contacts', [aDiscoveredLead({ source: 'apollo_search', sourceId: 'apollo_known', profile: known })]);
    const server = await openServer(app, { mode: 'serve', host: '127.0.0.1', port: 0 });
    closers.push(() => server.close());
    const visit = (linkedin: string, first: string, company: string, domain: string, seenAt: string) => ({
      'LinkedIn URL': linkedin,
      'First Name': first,
      'Last Name': 'Visitor',
      Title: 'Director of Operations',
      'Company Name': company,
      'Business Email': null,
      Website: `https://${domain}`,
      Industry: 'logistics',
      'Employee Count': 200,
      'Estimate Revenue': null,
      City: 'Denver',
      State: 'CO',
      Zipcode: '80202',
      'Seen At': seenAt,
      Referrer: null,
      'Captured URL': 'https://www.caio.example.com/pricing',
      Tags: null,
    });
    for (const body of [
      visit(known.linkedinUrl!, 'Dana', 'Known Co', 'known.example.com', '2026-12-01T15:00:00.000+00:00'),
      visit('https://www.linkedin.com/in/new-visitor', 'Nia', 'Fresh Co', 'fresh.example.com', '2026-12-01T16:00:00.000+00:00'),
    ]) {
      const res = await fetch(`${server.address}/webhooks/rb2b/${SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    }
    // Every stored delivery processed by its job (no assertion on time: it polls until none is left).
    for (let i = 0; i < 400; i++) {
      const { rows } = (await database.db.execute(sql`select count(*)::int as n from webhook_inbox where status in ('pending', 'processing')`)) as Rows<{ n: number }>;
      if (rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }

    const r = await ask(deps, 'Which of our website visitors are already contacts we hold?');
    expect(r.intents).toContain('visitor_contacts');
    const m = r.results['visitors.contacts'] as VisitorContactsFound;
    expect(m).toMatchObject({ count: 2, storedContacts: 1, newFromRb2b: 1 });
    expect(m.visitors.find((v) => v.company === 'Known Co')).toMatchObject({ mapping: 'stored_contact', source: 'apollo_search', visits: 1 });
    expect(m.visitors.find((v) => v.company === 'Fresh Co')).toMatchObject({ mapping: 'new_from_rb2b', source: 'rb2b', visits: 1 });
    expect(r.answer).toContain('Contact mapping of website visitors');
    expect(r.answer).not.toContain('dana@known');
  });
});
