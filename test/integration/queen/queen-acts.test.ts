import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queenDepsFor } from '../../../src/compose/queen.js';
import { loadConfig } from '../../../src/config/load.js';
import { openApp } from '../../../src/deps.js';
import { emptyLead } from '../../../src/domain/lead.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { createLogAlerts } from '../../../src/providers/log-alerts.js';
import { generateSyntheticPeople } from '../../../src/providers/sandbox/apollo/synthetic-people.js';
import { startSlackSandbox } from '../../../src/providers/sandbox/slack/server.js';
import { ask } from '../../../src/queen/ask.js';
import { reviewServiceFor } from '../../../src/compose/review.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { fakeEnricher, fakeSource, pipelineDeps } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * QUEEN's enrichment of one lead, its Slack alert and its tech-stack read through the production
 * wiring (loadConfig → openApp → queenDepsFor): the enrichment is the pipeline's waterfall against
 * the Apollo and BetterContact sandboxes the app opens, written by the production lead store; the
 * alert goes to the loopback Slack webhook; the stack is what the store holds.
 */
const NOW = '2026-11-23T15:00:00Z';
const log = pino({ level: 'silent' });

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;

const openQueen = async (env: Record<string, string> = {}) => {
  const config = loadConfig({ cwd: '/nonexistent-caio-test-dir', env, values: {} });
  const app = await openApp(config, { database: await openTestDatabase(), clock: fixedClock(NOW), log, alerts: createLogAlerts(log) });
  return { app, config, deps: queenDepsFor(app) };
};

describe('QUEEN enriches one stored lead', () => {
  it('holds the enrichment until confirmed, then runs the waterfall, stores the profile and answers each field with its source', async () => {
    const { app, config, deps } = await openQueen();
    // A person the Apollo sandbox knows (same seed and size as the app opens it), stored as the search found them: no title, no company yet.
    const person = generateSyntheticPeople({ seed: config.sandbox.seed, count: config.sandbox.peopleCount }).find((p) => p.email && p.title && p.organization.technologies.length > 0 && typeof p.organization.employees === 'number')!;
    const bare = emptyLead({ firstName: person.firstName, lastName: person.lastName });
    const [stored] = await app.stores.leads.upsertDiscovered('run_queen_enrich', [aDiscoveredLead({ source: 'apollo_search', sourceId: person.id, profile: bare })]);
    const leadId = stored!.id;

    const held = await ask(deps, `Please run the enrichment for lead ${leadId}`);
    expect(held.intents).toContain('enrich_lead');
    expect(held.calls.find((c) => c.tool === 'lead.enrich')).toMatchObject({ status: 'needs_confirmation', args: { id: leadId } });
    expect(held.answer).toContain('needs confirmation');
    const enrichedRows = async () => Number(rowsOf(await app.database.db.execute(sql`select count(*)::int as n from enrichments where lead_id = ${leadId}`))[0]!.n);
    expect(await enrichedRows()).toBe(0);

    const done = await ask(deps, `Please run the enrichment for lead ${leadId}`, { confirm: true, by: 'Sam' });
    const result = done.results['lead.enrich'] as { outcome: string; providers: string; fields: { field: string; value: unknown; source: string | null }[]; technologies: string[]; icpFit: { points: number; stored: boolean } };
    expect(result.outcome).toBe('matched');
    expect(result.providers).toContain('apollo_match');
    expect(result.fields.find((f) => f.field === 'title')).toMatchObject({ value: person.title, source: 'apollo_match' });
    expect(result.fields.find((f) => f.field === 'company.domain')).toMatchObject({ value: person.organization.domain, source: 'apollo_match' });
    expect(result.icpFit.stored).toBe(false);
    expect(done.answer).toContain(`job title ${person.title} (source apollo_match)`);
    expect(done.answer).toContain(`ICP fit score ${result.icpFit.points}/100`);
    expect(await enrichedRows()).toBe(1);
    const lead = await app.stores.leads.profile(leadId);
    expect(lead).toMatchObject({ status: 'enriched', profile: { title: person.title, company: { domain: person.organization.domain } } });
    const audit = rowsOf(await app.database.db.execute(sql`select actor, action from audit_log where entity_id = ${leadId} and action = 'lead.enriched_on_request'`));
    expect(audit).toEqual([{ actor: 'Sam', action: 'lead.enriched_on_request' }]);

    // The stack it stored is then read back, with the provider that gave it.
    const stack = await ask(deps, `What tech stack does lead ${leadId} use?`);
    expect(stack.intents).toContain('tech_stack');
    expect(stack.results['leads.tech_stack']).toMatchObject({ count: 1, leads: [{ leadId, technologies: result.technologies, source: 'apollo_match' }] });

    // A lead the pipeline has taken further (here: drafted, waiting for review) is not moved back to `enriched`.
    await app.database.db.execute(sql`update leads set status = 'pending_review' where id = ${leadId}`);
    const refused = await ask(deps, `Enrich lead ${leadId}`, { confirm: true });
    expect(refused.calls.find((c) => c.tool === 'lead.enrich')).toMatchObject({ status: 'failed', error: expect.stringContaining('pending_review') });
    expect(await enrichedRows()).toBe(1);
  }, 60_000);

  it('asks which lead when none is named, and reads a missing stack as missing', async () => {
    const { app, deps } = await openQueen();
    const noLead = await ask(deps, 'Enrich this contact', { confirm: true });
    expect(noLead.calls.find((c) => c.tool === 'lead.enrich')).toMatchObject({ status: 'missing_input' });
    const [stored] = await app.stores.leads.upsertDiscovered('run_queen_stack', [aDiscoveredLead({ profile: aProfile({ company: { ...aProfile().company, technologies: [] } }) })]);
    const stack = await ask(deps, `Which technologies does lead ${stored!.id} use?`);
    expect(stack.results['leads.tech_stack']).toMatchObject({ count: 1, withoutTechnologies: 1 });
    expect(stack.answer).toContain('no technologies on record (missing, not guessed)');
  });
});

describe("QUEEN reads the reviewers' rejections", () => {
  it('groups the drafts a person rejected by tag and angle, with the reasons as evidence, and says none when there are none', async () => {
    const { app, deps } = await openQueen();
    const empty = await ask(deps, 'Why were our drafts rejected?');
    expect(empty.results['drafts.rejections']).toMatchObject({ read: 0 });
    expect(empty.answer).toContain('Rejected drafts: none recorded');

    const company = { name: 'Northwind Agency', domain: 'northwind.example.com', industry: 'marketing & advertising', employeeCount: 180, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null };
    const emails = ['ceo1@northwind.example.com', 'ceo2@northwind.example.com', 'ceo3@northwind.example.com'];
    const leads = emails.map((email) => aDiscoveredLead({ sourceId: email, profile: aProfile({ email, title: 'CEO', company }) }));
    const { deps: pipeline } = pipelineDeps(app.stores, { source: fakeSource(leads), enricher: fakeEnricher({}) });
    await runPipeline(pipeline, { limit: 10, source: 'fake', seed: null });
    const review = reviewServiceFor(app);
    const drafts = await Promise.all(emails.map(async (e) => (await app.stores.leadDetail.detailByEmail(e))!.drafts[0]!));
    await review.reject({ draftId: drafts[0]!.id, by: 'Dani', tag: 'weak_cta', reason: 'No clear ask at the end, write to pat@northwind.example.com' });
    await review.reject({ draftId: drafts[1]!.id, by: 'Dani', tag: 'weak_cta', reason: 'The ask is vague' });
    await review.reject({ draftId: drafts[2]!.id, by: 'Sam', tag: 'length_issue', reason: 'Too long' });

    const r = await ask(deps, 'Which categories do reviewers reject drafts for, and is there a pattern?');
    expect(r.intents).toContain('rejections');
    const found = r.results['drafts.rejections'] as { read: number; byTag: Record<string, number>; patterns: { tag: string; count: number }[]; evidence: { draftId: string; reason: string }[] };
    expect(found).toMatchObject({ read: 3, byTag: { weak_cta: 2, length_issue: 1 } });
    // The same angle twice is a pattern only when both drafts were written on it.
    if (drafts[0]!.angleId === drafts[1]!.angleId) expect(found.patterns).toEqual([{ tag: 'weak_cta', angleId: drafts[0]!.angleId, count: 2 }]);
    expect(found.evidence.map((e) => e.draftId)).toEqual(expect.arrayContaining([drafts[0]!.id, drafts[2]!.id]));
    expect(r.answer).toContain('weak_cta 2 (Weak call to action)');
    expect(r.answer).toContain('"The ask is vague"');
    expect(r.answer).not.toContain('pat@northwind');
  });
});

describe('QUEEN posts a Slack alert', () => {
  let slack: Awaited<ReturnType<typeof startSlackSandbox>>;
  beforeAll(async () => {
    slack = await startSlackSandbox();
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('holds the alert until confirmed, then posts it once to the configured webhook, with addresses masked', async () => {
    const { app, deps } = await openQueen({ SLACK_WEBHOOK_URL: slack.url });
    const request = 'Post an alert to Slack: pat@acme.example.com at Acme just asked for pricing';
    const held = await ask(deps, request);
    expect(held.calls.find((c) => c.tool === 'slack.alert')).toMatchObject({ status: 'needs_confirmation' });
    expect(held.answer).toContain('Alert status: not posted');
    expect(slack.messages).toHaveLength(0);

    const posted = await ask(deps, request, { confirm: true, by: 'Ana' });
    expect(posted.results['slack.alert']).toMatchObject({ posted: true });
    expect(posted.answer).toContain('Alert status: posted');
    expect(slack.messages).toHaveLength(1);
    expect(JSON.stringify(slack.messages[0])).toContain('just asked for pricing');
    expect(JSON.stringify(slack.messages[0])).not.toContain('pat@acme');
    const audit = rowsOf(await app.database.db.execute(sql`select actor from audit_log where action = 'slack.alert_posted'`));
    expect(audit).toEqual([{ actor: 'Ana' }]);
  });

  it('says the alert was not delivered when no Slack webhook is configured, and when Slack refuses it', async () => {
    const none = await openQueen();
    const r = await ask(none.deps, 'Send an alert to Slack about the hot lead at Acme', { confirm: true });
    expect(r.results['slack.alert']).toMatchObject({ posted: false });
    expect(r.answer).toContain('no Slack channel is configured');
    expect(r.answer).not.toMatch(/Alert status: posted/);

    slack.revoke();
    const revoked = await openQueen({ SLACK_WEBHOOK_URL: slack.url });
    const refused = await ask(revoked.deps, 'Send an alert to Slack about the hot lead at Acme', { confirm: true });
    expect(refused.calls.find((c) => c.tool === 'slack.alert')).toMatchObject({ status: 'failed', error: expect.stringContaining('Slack refused the alert') });
  });
});
