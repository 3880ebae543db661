import { openBenchApp } from './bench-store.js';
import { openProviders, pipelineDepsFor } from '../src/deps.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';

const SEED = 1;

/**
 * The scenario as a config file would hold it: sandbox providers (seed 1, 500 people), discovery of
 * VPs of Sales, and the Apollo step alone (the later waterfall steps are not what this measures).
 */
const SCENARIO = {
  providers: 'sandbox',
  sandbox: { seed: SEED, peopleCount: 500 },
  discovery: { titles: ['VP of Sales'], seniorities: ['vp'], organizationDomains: [] },
  betterContact: { enabled: false },
  clay: { enabled: false },
};

/**
 * One full sandbox run of `limit` leads on a fresh database (the embedded PostgreSQL, or
 * DATABASE_URL), wired as `caio pipeline run` wires it (`openApp`, `openProviders`: the Apollo
 * sandbox and the real client with its HTTP policy, `pipelineDepsFor`); returns its wall time.
 */
const timeRun = async (limit: number): Promise<{ ms: number; passed: number; drafts: number; label: string }> => {
  const bench = await openBenchApp({ ...SCENARIO, sandbox: { seed: SEED, peopleCount: Math.max(500, limit) } });
  try {
    const providers = await openProviders(bench.app, { source: 'apollo', seed: SEED });
    try {
      const started = performance.now();
      const report = await runPipeline(pipelineDepsFor(bench.app, providers), { limit, source: 'apollo', seed: SEED });
      return { ms: performance.now() - started, passed: report.passed, drafts: report.drafts.length, label: bench.label };
    } finally {
      await providers.close();
    }
  } finally {
    await bench.close();
  }
};

/**
 * Wall time of a 100-lead sandbox pipeline (HTTP to the loopback sandbox, PostgreSQL writes), with a
 * 10-lead run in the same process as the baseline: the ratio shows how the run scales per lead.
 */
export const benchPipelineWallTime = async () => {
  await timeRun(5); // warm-up: JIT, the drivers' first connections
  const small = await timeRun(10);
  const large = await timeRun(100);
  return {
    name: `pipeline wall time (sandbox, ${large.label}, wired by openProviders)`,
    leads100Ms: Math.round(large.ms),
    leads10Ms: Math.round(small.ms),
    perLead100Ms: +(large.ms / 100).toFixed(1),
    ratio100vs10: `${(large.ms / small.ms).toFixed(2)}x`,
    stagesPassed100: `${large.passed}/6`,
    drafts100: large.drafts,
  };
};
