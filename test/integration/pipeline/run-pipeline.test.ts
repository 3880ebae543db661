import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/lib/app-error.js';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { createStores } from '../../../src/store/index.js';
import type { Database } from '../../../src/store/database.js';
import type { PipelineStores } from '../../../src/pipeline/ports.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { fakeEnricher, fakeSource, pipelineDeps } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

const company = (name: string, domain: string, industry = 'marketing & advertising', employeeCount = 180) => ({
  name,
  domain,
  industry,
  employeeCount,
  annualRevenue: null,
  technologies: ['HubSpot'],
  fundingStage: null,
  linkedinUrl: null,
});

/** Three people as search finds them (no email yet) and what the match reveals. */
const discovered = () => [
  aDiscoveredLead({ sourceId: 'good', profile: aProfile({ email: null, company: company('Northwind Agency', 'northwind.example.com') }) }),
  aDiscoveredLead({ sourceId: 'rival', profile: aProfile({ email: null, firstName: 'Sam', company: company('Gong', 'gong.io', 'computer software') }) }),
  aDiscoveredLead({ sourceId: 'noemail', profile: aProfile({ email: null, firstName: 'Theo', company: company('Blue Fern Staffing', 'bluefern.example.com', 'staffing & recruiting') }) }),
];
const matches = {
  good: { email: 'maya.rivera@northwind.example.com', linkedinUrl: 'https://www.linkedin.com/in/example-maya' },
  rival: { email: 'sam@gong.io' },
  noemail: { title: 'CEO' },
};

describe('runPipeline', () => {
  let database: Database;
  let stores: PipelineStores;
  beforeEach(async () => {
    database = await openTestDatabase();
    stores = createStores(database.db);
  });
  afterEach(async () => {
    await database.close();
  });

  it('runs the six stages: the competitor is disqualified, the lead without email is skipped with its reason, one draft waits for review', async () => {
    const { deps, alerts } = pipelineDeps(stores, { source: fakeSource(discovered()), enricher: fakeEnricher(matches) });
    const report = await runPipeline(deps, { limit: 10, source: 'fake', seed: null });

    expect(report.stages.map((s) => [s.name, s.status, s.inputCount, s.outputCount])).toEqual([
      ['discover', 'pass', 10, 3],
      ['enrich', 'pass', 3, 3],
      ['score', 'pass', 3, 2],
      ['craft', 'pass', 2, 1],
      ['queue', 'pass', 1, 1],
      ['send', 'pass', 1, 1],
    ]);
    expect(report).toMatchObject({ passed: 6, total: 6, status: 'passed' });
    expect(report.drafts).toEqual([expect.objectContaining({ email: 'maya.rivera@northwind.example.com' })]);
    expect(alerts.sent).toEqual([]);

    const rival = await stores.leadDetail.detailByEmail('sam@gong.io');
    expect(rival?.lead.status).toBe('disqualified');
    expect(rival?.lead.disqualificationReason).toContain('competitor');
    expect(rival?.drafts).toEqual([]);

    const [theo] = await stores.leads.list({ status: 'skipped' });
    expect(theo?.skipReason).toMatch(/email/i);

    const maya = await stores.leadDetail.detailByEmail('maya.rivera@northwind.example.com');
    expect(maya?.lead.status).toBe('pending_review');
    expect(maya?.drafts[0]?.status).toBe('pending_review');
    expect(maya?.shadowSends.map((s) => s.channel).sort()).toEqual(maya?.score?.tier === 'tier_3' ? ['instantly'] : ['heyreach', 'instantly']);

    const stored = await stores.runs.get(report.runId);
    expect(stored?.stages).toHaveLength(6);
    expect(stored?.status).toBe('passed');
  });

  it('does not queue a second copy of an unchanged draft when the pipeline runs again', async () => {
    const parts = { source: fakeSource(discovered()), enricher: fakeEnricher(matches) };
    await runPipeline(pipelineDeps(stores, parts).deps, { limit: 10, source: 'fake', seed: null });
    const second = await runPipeline(pipelineDeps(stores, parts).deps, { limit: 10, source: 'fake', seed: null });
    expect(second.stages.find((s) => s.name === 'queue')?.metrics).toMatchObject({ newlyQueued: 0, alreadyPending: 1 });
    const maya = await stores.leadDetail.detailByEmail('maya.rivera@northwind.example.com');
    expect(maya?.drafts).toHaveLength(1);
  });

  it('reports a lead whose enrichment answer is malformed and goes on with the others', async () => {
    const enricher = fakeEnricher({
      ...matches,
      rival: () => {
        throw new AppError('PROVIDER_BAD_RESPONSE', 'apollo people/match: unexpected response shape');
      },
    });
    const { deps } = pipelineDeps(stores, { source: fakeSource(discovered()), enricher });
    const report = await runPipeline(deps, { limit: 10, source: 'fake', seed: null });
    const enrich = report.stages.find((s) => s.name === 'enrich')!;
    expect(enrich.status).toBe('pass');
    expect(enrich.errors).toEqual([expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE', leadRef: expect.any(String) })]);
    expect(enrich.metrics).toMatchObject({ enriched: 2, failed: 1, unenriched: 1 });
    expect(report.passed).toBe(6);
  });

  it('fails the enrich stage when no lead can be enriched, alerts, and still scores the unenriched leads', async () => {
    const down = () => {
      throw new AppError('PROVIDER_UNAVAILABLE', 'apollo unavailable', { retryable: true });
    };
    const { deps, alerts } = pipelineDeps(stores, { source: fakeSource(discovered()), enricher: fakeEnricher({ good: down, rival: down, noemail: down }) });
    const report = await runPipeline(deps, { limit: 10, source: 'fake', seed: null });
    expect(report.stages.map((s) => s.status)).toEqual(['pass', 'fail', 'pass', 'fail', 'skip', 'skip']);
    expect(report.stages[2]?.inputCount).toBe(3);
    expect(report.status).toBe('failed');
    expect(alerts.sent.map((a) => [a.severity, a.title])).toEqual(
      expect.arrayContaining([
        ['warning', 'Pipeline stage failed: Enrich'],
        ['warning', 'Pipeline stage failed: Craft'],
        ['warning', expect.stringMatching(/^Pipeline completed with \d+ errors$/)],
      ]),
    );
  });

  it('stops calling the enricher after it runs out of credits and alerts once', async () => {
    const broke = () => {
      throw new AppError('OUT_OF_CREDITS', 'apollo: out of credits');
    };
    const enricher = fakeEnricher({ good: broke, rival: broke, noemail: broke });
    const { deps, alerts } = pipelineDeps(stores, { source: fakeSource(discovered()), enricher, settings: { enrichConcurrency: 1 } });
    const report = await runPipeline(deps, { limit: 10, source: 'fake', seed: null });
    expect(enricher.calls).toEqual(['good']);
    expect(report.stages[1]?.metrics).toMatchObject({ failed: 1, skipped: 2 });
    expect(alerts.sent.filter((a) => a.severity === 'critical').map((a) => a.title)).toEqual(['fake_match is out of credits']);
  });

  it('records a stage that throws as failed with a critical alert; later stages with no input are skipped', async () => {
    const source = fakeSource(() => {
      throw new AppError('PROVIDER_AUTH', 'apollo rejected the API key');
    });
    const { deps, alerts } = pipelineDeps(stores, { source, enricher: fakeEnricher({}) });
    const report = await runPipeline(deps, { limit: 5, source: 'fake', seed: null });
    expect(report.stages.map((s) => s.status)).toEqual(['fail', 'skip', 'skip', 'skip', 'skip', 'skip']);
    expect(report.stages[0]?.errors).toEqual([{ message: 'apollo rejected the API key', code: 'PROVIDER_AUTH' }]);
    expect(alerts.sent[0]).toMatchObject({ severity: 'critical', title: 'Pipeline stage exception: Discover' });
    expect((await stores.runs.get(report.runId))?.status).toBe('failed');
  });

  it('skips every stage after a failure when stopOnStageFailure is set', async () => {
    const down = () => {
      throw new AppError('PROVIDER_UNAVAILABLE', 'down', { retryable: true });
    };
    const { deps } = pipelineDeps(stores, { source: fakeSource(discovered()), enricher: fakeEnricher({ good: down, rival: down, noemail: down }), settings: { stopOnStageFailure: true } });
    const report = await runPipeline(deps, { limit: 10, source: 'fake', seed: null });
    expect(report.stages.map((s) => s.status)).toEqual(['pass', 'fail', 'skip', 'skip', 'skip', 'skip']);
  });
});
