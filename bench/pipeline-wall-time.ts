import { openBenchDatabase } from './bench-store.js';
import { pino } from 'pino';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { createStores } from '../src/store/index.js';
import { createApolloClient } from '../src/providers/apollo/client.js';
import { createApolloLeadSource } from '../src/providers/apollo/lead-source.js';
import { createApolloEnricher } from '../src/providers/apollo/enricher.js';
import { startApolloSandbox } from '../src/providers/sandbox/apollo/index.js';
import { DEFAULT_ICP_SETTINGS } from '../src/domain/scoring/settings.js';
import { DEFAULT_SENDER_SETTINGS } from '../src/domain/drafting/index.js';
import { systemClock } from '../src/lib/clock.js';
import { createLogAlerts } from '../src/providers/log-alerts.js';

const DISCOVERY = { titles: ['VP of Sales'], seniorities: ['vp'], organizationDomains: [] };

/** One full sandbox run of `limit` leads on a fresh the embedded PostgreSQL, or DATABASE_URL; returns its wall time. */
const timeRun = async (limit: number): Promise<{ ms: number; passed: number; drafts: number }> => {
  const database = await openBenchDatabase();
  const sandbox = await startApolloSandbox({ seed: 1, count: Math.max(500, limit), apiKey: 'bench-key', rateLimitPerMinute: 1_000_000 });
  try {
    const client = createApolloClient({ baseUrl: sandbox.url, apiKey: 'bench-key' });
    const log = pino({ level: 'silent' });
    const started = performance.now();
    const report = await runPipeline(
      {
        stores: createStores(database.db),
        source: createApolloLeadSource({ client, discovery: DISCOVERY }),
        enricher: createApolloEnricher({ client }),
        alerts: createLogAlerts(log),
        clock: systemClock,
        log,
        settings: {
          mode: 'sandbox',
          icp: DEFAULT_ICP_SETTINGS,
          sender: DEFAULT_SENDER_SETTINGS,
          tierRouting: { tier_1: ['instantly', 'heyreach'], tier_2: ['instantly', 'heyreach'], tier_3: ['instantly'], tier_4: [] },
          stopOnStageFailure: false,
          enrichConcurrency: 4,
          enrichTimeoutMs: 180_000,
          review: { rejectionTtlDays: 30, maxRejections: 2 },
          quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4 },
        },
      },
      { limit, source: 'apollo', seed: 1 },
    );
    return { ms: performance.now() - started, passed: report.passed, drafts: report.drafts.length };
  } finally {
    await sandbox.close();
    await database.close();
  }
};

/**
 * Wall time of a 100-lead sandbox pipeline (HTTP to the loopback sandbox, PostgreSQL writes), with a
 * 10-lead run in the same process as the baseline: the ratio shows how the run scales per lead.
 */
export const benchPipelineWallTime = async () => {
  await timeRun(5); // warm-up: WASM compile, JIT
  const small = await timeRun(10);
  const large = await timeRun(100);
  return {
    name: 'pipeline wall time (sandbox, the embedded PostgreSQL, or DATABASE_URL)',
    leads100Ms: Math.round(large.ms),
    leads10Ms: Math.round(small.ms),
    perLead100Ms: +(large.ms / 100).toFixed(1),
    ratio100vs10: `${(large.ms / small.ms).toFixed(2)}x`,
    stagesPassed100: `${large.passed}/6`,
    drafts100: large.drafts,
  };
};
