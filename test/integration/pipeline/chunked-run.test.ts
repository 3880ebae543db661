import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runChunk, startChunkedRun, type ChunkJob } from '../../../src/pipeline/chunked-run.js';
import type { PipelineStores } from '../../../src/pipeline/ports.js';
import type { Database } from '../../../src/store/database.js';
import { createStores } from '../../../src/store/index.js';
import { createRunChunkStore } from '../../../src/store/run-chunks-repo.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { fakeEnricher, fakeSource, pipelineDeps } from '../../support/pipeline.js';
import { openTestDatabase, STORE_KINDS } from '../../support/store.js';

const company = (i: number) => ({ name: `Agency ${i}`, domain: `agency${i}.example.com`, industry: 'marketing & advertising', employeeCount: 120, annualRevenue: null, technologies: [], fundingStage: null, linkedinUrl: null });
const leads = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    aDiscoveredLead({
      sourceId: `chunked-${i}`,
      profile: aProfile({ email: `lead${i}@agency${i}.example.com`, firstName: `Ann${i}`, lastName: 'Lee', title: 'CEO', company: company(i), linkedinUrl: `https://www.linkedin.com/in/chunked-${i}` }),
    }),
  );

describe.each(STORE_KINDS)('a pipeline run split into chunk jobs (%s)', (kind) => {
  let database: Database;
  let stores: PipelineStores;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
    stores = createStores(database.db);
  });
  afterEach(async () => database.close());

  it('discovers once, runs each chunk once in any order, and the last chunk finishes the run with every stage merged', async () => {
    const enricher = fakeEnricher({});
    const { deps } = pipelineDeps(stores, { source: fakeSource(leads(60)), enricher });
    const chunks = createRunChunkStore(database.db);
    const jobs: ChunkJob[] = [];
    const started = await startChunkedRun(deps, chunks, { limit: 60, source: 'fake', seed: null, chunkSize: 25 }, async (job) => void jobs.push(structuredClone(job)));
    expect([started.chunks, started.leads, jobs.map((j) => j.leads.length)]).toEqual([3, 60, [25, 25, 10]]);
    expect((await stores.runs.get(started.runId))?.status).toBe('running');

    expect(await runChunk(deps, chunks, jobs[2]!)).toEqual({ done: false });
    expect(await runChunk(deps, chunks, jobs[0]!)).toEqual({ done: false });
    // A retried job of a finished chunk does nothing: no lead is enriched twice.
    expect(await runChunk(deps, chunks, jobs[0]!)).toEqual({ done: true });
    const last = await runChunk(deps, chunks, jobs[1]!);
    expect(last.report?.status).toBe('passed');
    expect(enricher.calls.length).toBe(60);
    expect(new Set(enricher.calls).size).toBe(60);

    const run = (await stores.runs.get(started.runId))!;
    expect(run.status).toBe('passed');
    expect(run.stages.map((s) => [s.name, s.inputCount])).toEqual([
      ['discover', 60],
      ['enrich', 60],
      ['score', 60],
      ['craft', expect.any(Number)],
      ['queue', expect.any(Number)],
      ['send', expect.any(Number)],
    ]);
    const pending = (await database.db.execute(sql`select count(*)::int as n from drafts where status = 'pending_review'`)) as { rows: { n: number }[] };
    expect(Number(pending.rows[0]!.n)).toBe(last.report!.drafts.length);
    expect(run.stages.find((s) => s.name === 'queue')!.outputCount).toBe(last.report!.drafts.length);
  });

  it('a chunk re-run after a crash does not enrich again what this run already enriched', async () => {
    const enricher = fakeEnricher({});
    const { deps } = pipelineDeps(stores, { source: fakeSource(leads(10)), enricher });
    const chunks = createRunChunkStore(database.db);
    const jobs: ChunkJob[] = [];
    await startChunkedRun(deps, chunks, { limit: 10, source: 'fake', seed: null, chunkSize: 10 }, async (job) => void jobs.push(structuredClone(job)));
    // The worker died after enriching the first four and before recording the chunk.
    const runId = jobs[0]!.runId;
    for (const lead of jobs[0]!.leads.slice(0, 4)) await stores.leads.applyEnrichment(lead.id, runId, enricher.provider, await enricher.enrich({ ...lead, leadId: lead.id, runId }));
    expect(enricher.calls.length).toBe(4);
    const outcome = await runChunk(deps, chunks, jobs[0]!);
    expect(outcome.report?.status).toBe('passed');
    expect(enricher.calls.length).toBe(10);
    expect(new Set(enricher.calls).size).toBe(10);
    expect(outcome.report!.stages.find((s) => s.name === 'score')!.inputCount).toBe(10);
  });

  it('finishes the run once when the last two chunks end together', async () => {
    const { deps } = pipelineDeps(stores, { source: fakeSource(leads(20)), enricher: fakeEnricher({}) });
    const chunks = createRunChunkStore(database.db);
    const jobs: ChunkJob[] = [];
    await startChunkedRun(deps, chunks, { limit: 20, source: 'fake', seed: null, chunkSize: 10 }, async (job) => void jobs.push(structuredClone(job)));
    const outcomes = await Promise.all(jobs.map((job) => runChunk(deps, chunks, job)));
    expect(outcomes.filter((o) => o.report).length).toBe(1);
  });

  it('finishes at once when nothing was discovered, as a run in one process does', async () => {
    const { deps } = pipelineDeps(stores, { source: fakeSource([]), enricher: fakeEnricher({}) });
    const started = await startChunkedRun(deps, createRunChunkStore(database.db), { limit: 5, source: 'fake', seed: null, chunkSize: 10 }, async () => {
      throw new Error('nothing to enqueue');
    });
    expect(started.chunks).toBe(0);
    expect(started.report?.stages.map((s) => s.status)).toEqual(['fail', 'skip', 'skip', 'skip', 'skip', 'skip']);
  });
});
