import { openBenchDatabase } from './bench-store.js';
import { pino } from 'pino';
import { enrichLeads } from '../src/pipeline/enrich-leads.js';
import type { RunContext, WorkingLead } from '../src/pipeline/context.js';
import { createApolloClient } from '../src/providers/apollo/client.js';
import { createApolloEnricher } from '../src/providers/apollo/enricher.js';
import { createHttpPolicy } from '../src/providers/http/policy.js';
import { createLogAlerts } from '../src/providers/log-alerts.js';
import { startApolloSandbox } from '../src/providers/sandbox/apollo/index.js';
import { createStores } from '../src/store/index.js';
import { DEFAULT_ICP_SETTINGS } from '../src/domain/scoring/settings.js';
import { DEFAULT_SENDER_SETTINGS } from '../src/domain/drafting/index.js';
import { systemClock } from '../src/lib/clock.js';
import { emptyLead } from '../src/domain/lead.js';

const LATENCY_MS = 2_000;
/** The limit the sandbox enforces and the client is configured with: 10 calls in any second. */
const WINDOW = { limit: 10, intervalMs: 1_000 };
const LEADS = 100;
/** The sequential baseline runs on this many leads (20 s) and is scaled to LEADS. */
const SEQUENTIAL_SAMPLE = 10;

/**
 * Stage 2 over `count` Apollo matches with 2 s latency each, against a sandbox that enforces the
 * window and counts what it saw; the client's HTTP policy holds the same limit.
 */
const timeEnrich = async (count: number, concurrency: number) => {
  const database = await openBenchDatabase();
  const sandbox = await startApolloSandbox({ seed: 7, count: Math.max(200, count), apiKey: 'bench-key', rateLimitPerMinute: 100_000, rateWindow: WINDOW, failures: { latencyMs: LATENCY_MS } });
  try {
    const stores = createStores(database.db);
    const runId = 'run_20261130_000000_bench0';
    await stores.runs.start({ runId, mode: 'sandbox', source: 'apollo', requestedLimit: count, seed: 7, startedAt: new Date() });
    // Leads as People Search would hand them over: Apollo ids, no email yet.
    const discovered = sandbox.people.slice(0, count).map((p) => ({ source: 'apollo_search', sourceId: p.id, profile: emptyLead(), raw: {} }));
    const upserted = await stores.leads.upsertDiscovered(runId, discovered);
    const leads: WorkingLead[] = upserted.map((u, i) => ({ id: u.id, source: 'apollo_search', sourceId: discovered[i]!.sourceId, profile: discovered[i]!.profile }));
    const policy = createHttpPolicy({ provider: 'apollo', secrets: ['bench-key'], rateWindows: [WINDOW], retries: 0, timeoutMs: 30_000 });
    const client = createApolloClient({ baseUrl: sandbox.url, apiKey: 'bench-key', policy });
    const log = pino({ level: 'silent' });
    const ctx = {
      runId,
      deps: {
        stores,
        source: { name: 'none', discover: async () => ({ leads: [], errors: [], metrics: {} }) },
        enricher: createApolloEnricher({ client }),
        alerts: createLogAlerts(log),
        clock: systemClock,
        log,
        settings: {
          mode: 'sandbox',
          icp: DEFAULT_ICP_SETTINGS,
          sender: DEFAULT_SENDER_SETTINGS,
          tierRouting: { tier_1: [], tier_2: [], tier_3: [], tier_4: [] },
          stopOnStageFailure: false,
          enrichConcurrency: concurrency,
          enrichTimeoutMs: 180_000,
          review: { rejectionTtlDays: 30, maxRejections: 2 },
          quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4 },
        },
      },
      events: {},
    } as unknown as RunContext;
    const started = performance.now();
    const outcome = await enrichLeads(ctx, leads);
    const ms = performance.now() - started;
    return { ms, enriched: (outcome.metrics as { enriched: number }).enriched, matchCalls: sandbox.stats.matchCalls, rateLimited: sandbox.stats.rateLimited, maxInWindow: sandbox.stats.maxInWindow };
  } finally {
    await sandbox.close();
    await database.close();
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
    name: 'enrichment under a rate limit (Apollo match, 2 s latency, 10 calls/s)',
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
