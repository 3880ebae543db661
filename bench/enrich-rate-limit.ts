import { openBenchApp } from './bench-store.js';
import { openProviders, pipelineDepsFor } from '../src/deps.js';
import { enrichLeads } from '../src/pipeline/enrich-leads.js';
import type { RunContext, WorkingLead } from '../src/pipeline/context.js';
import { startApolloSandbox } from '../src/providers/sandbox/apollo/index.js';
import { emptyLead } from '../src/domain/lead.js';

const LATENCY_MS = 2_000;
/** The limit the sandbox enforces: 10 calls in any second. */
const WINDOW = { limit: 10, intervalMs: 1_000 };
/**
 * The same limit as the config states Apollo's (`apollo.rateLimitPerMinute`): 600 a minute, whose
 * spacing between two starts (60,000 / 600 ms, plus the limiter's 5 % margin) is that of 10 a
 * second, so the client keeps to the sandbox's window as it did with a one-second window.
 */
const PER_MINUTE = (WINDOW.limit * 60_000) / WINDOW.intervalMs;
const LEADS = 100;
/** The sequential baseline runs on this many leads (20 s) and is scaled to LEADS. */
const SEQUENTIAL_SAMPLE = 10;

/**
 * Stage 2 over `count` Apollo matches with 2 s latency each, against a sandbox that enforces the
 * window and counts what it saw. The enricher is the app's (`openProviders` of the composition
 * root, live, pointed at the sandbox: the Apollo client with the HTTP policy the config gives it,
 * no retries, a 30 s timeout) and runs with the app's pipeline settings (`pipelineDepsFor`).
 */
const timeEnrich = async (count: number, concurrency: number) => {
  const sandbox = await startApolloSandbox({ seed: 7, count: Math.max(200, count), apiKey: 'bench-key', rateLimitPerMinute: 100_000, rateWindow: WINDOW, failures: { latencyMs: LATENCY_MS } });
  const bench = await openBenchApp(
    {
      providers: 'live',
      apollo: { baseUrl: sandbox.url, retries: 0, timeoutMs: 30_000, rateLimitPerMinute: PER_MINUTE },
      // Apollo alone is measured: the waterfall's later steps stay out of it.
      betterContact: { enabled: false },
      clay: { enabled: false },
      pipeline: { enrichConcurrency: concurrency },
    },
    { APOLLO_API_KEY: 'bench-key' },
  );
  // Closed in the reverse order of opening, whatever fails.
  const closers = [() => sandbox.close(), () => bench.close()];
  try {
    const providers = await openProviders(bench.app, { source: 'apollo', seed: 7 });
    closers.push(() => providers.close());
    const { stores } = bench.app;
    const runId = 'run_20261130_000000_bench0';
    await stores.runs.start({ runId, mode: 'live', source: 'apollo', requestedLimit: count, seed: 7, startedAt: new Date() });
    // Leads as People Search would hand them over: Apollo ids, no email yet.
    const discovered = sandbox.people.slice(0, count).map((p) => ({ source: 'apollo_search', sourceId: p.id, profile: emptyLead(), raw: {} }));
    const upserted = await stores.leads.upsertDiscovered(runId, discovered);
    const leads: WorkingLead[] = upserted.map((u, i) => ({ id: u.id, source: 'apollo_search', sourceId: discovered[i]!.sourceId, profile: discovered[i]!.profile }));
    // Only the stage is run, so its context is put together here as runPipeline would.
    const ctx = { runId, deps: pipelineDepsFor(bench.app, providers), events: {} } as unknown as RunContext;
    const started = performance.now();
    const outcome = await enrichLeads(ctx, leads);
    const ms = performance.now() - started;
    return { ms, enriched: (outcome.metrics as { enriched: number }).enriched, matchCalls: sandbox.stats.matchCalls, rateLimited: sandbox.stats.rateLimited, maxInWindow: sandbox.stats.maxInWindow };
  } finally {
    for (const close of closers.reverse()) await close();
  }
};

/**
 * Issue 3's benchmark: 100 leads, 2 s per Apollo match, a limit of 10 calls per second.
 * The bound the limit sets: the 100th call cannot start before (100/10 - 1) s, and it then
 * takes 2 s, so no schedule finishes under 11 s. Concurrency 32 (the config maximum) is enough
 * for the limit, not the pool, to bind (10/s x 2 s = 20 calls in flight).
 */
export const benchEnrichRateLimit = async () => {
  const sequential = await timeEnrich(SEQUENTIAL_SAMPLE, 1);
  const concurrent = await timeEnrich(LEADS, 32);
  const boundMs = (Math.ceil(LEADS / WINDOW.limit) - 1) * WINDOW.intervalMs + LATENCY_MS;
  const sequentialFor100 = (sequential.ms / SEQUENTIAL_SAMPLE) * LEADS;
  return {
    name: `enrichment under a rate limit (Apollo match, 2 s latency, 10 calls/s = apollo.rateLimitPerMinute ${PER_MINUTE}, wired by openProviders)`,
    leads: LEADS,
    concurrentMs: Math.round(concurrent.ms),
    rateLimitBoundMs: boundMs,
    overBound: `${(((concurrent.ms - boundMs) / boundMs) * 100).toFixed(1)}%`,
    sequentialBaselineMs: Math.round(sequentialFor100),
    sequentialMeasuredOn: `${SEQUENTIAL_SAMPLE} leads (${Math.round(sequential.ms)} ms), scaled to ${LEADS}`,
    speedupVsSequential: `${(sequentialFor100 / concurrent.ms).toFixed(1)}x`,
    enriched: concurrent.enriched,
    sandboxMatchCalls: concurrent.matchCalls,
    sandboxMaxCallsInAnySecond: concurrent.maxInWindow,
    sandbox429s: concurrent.rateLimited,
  };
};
