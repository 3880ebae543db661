import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { openApp, openProviders, pipelineDepsFor } from '../src/deps.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { runSimulation } from '../src/simulation/run-simulation.js';
import { simulationSetup, simulationStart } from '../src/simulation/simulation-config.js';
import type { StoreLocation } from '../src/store/database.js';
import { ratio } from './measure.js';

const SEED = 1;
const silent = pino({ level: 'silent' });

/**
 * A fresh store for one run: a schema of its own on DATABASE_URL (dropped afterwards), else an
 * embedded PostgreSQL in the run's temporary folder. The configuration is the one `caio simulate`
 * rehearses (`simulationSetup`: sandbox providers, live sending into them, the defaults).
 */
const openRun = async (leads: number) => {
  const url = process.env.DATABASE_URL;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-sim-'));
  chmodSync(dataDir, 0o755); // as root, the embedded server runs as the user postgres, who must enter it
  const setup = simulationSetup({ dataDir, env: url ? { DATABASE_URL: url } : {}, cwd: dataDir, leads, seed: SEED });
  const schema = `bench_${randomUUID().replaceAll('-', '')}`;
  const store: StoreLocation = url ? { kind: 'postgres', url, schema } : { kind: 'embedded', dir: path.join(dataDir, 'pg') };
  const dropSchema = async () => {
    if (!url) return;
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  };
  return { setup, store, label: url ? 'PostgreSQL (DATABASE_URL)' : 'embedded PostgreSQL', close: async () => (await dropSchema(), rmSync(dataDir, { recursive: true, force: true })) };
};

/** The pipeline alone: one sandbox run discovering, enriching, scoring and drafting `leads` leads, wired as `caio pipeline run`. */
const pipelineOnly = async (leads: number) => {
  const run = await openRun(leads);
  try {
    const app = await openApp(run.setup.config, { log: silent, store: run.store });
    try {
      const providers = await openProviders(app, { source: 'apollo', seed: SEED });
      try {
        const started = performance.now();
        const report = await runPipeline(pipelineDepsFor(app, providers), { limit: leads, source: 'apollo', seed: SEED });
        return { ms: performance.now() - started, leads: report.leads.length, drafts: report.drafts.length };
      } finally {
        await providers.close();
      }
    } finally {
      await app.close();
    }
  } finally {
    await run.close();
  }
};

/** `caio simulate --days D --leads N` as the CLI runs it (the defaults, seed 1), on a store of its own. */
const simulation = async (days: number, leads: number) => {
  const run = await openRun(leads);
  try {
    const started = performance.now();
    const report = await runSimulation({ config: run.setup.config, settings: run.setup.settings, days, leads, seed: SEED, start: simulationStart(new Date(), days), store: run.store, sandboxStateDir: null, log: silent });
    return { ms: performance.now() - started, report, label: run.label };
  } finally {
    await run.close();
  }
};

/**
 * Issue 20: D simulated days for N leads against the target (30 days x 1,000 leads in under 60 s),
 * with the pipeline alone for the same N leads as the baseline measured in the same run: the ratio
 * is what the month costs on top of discovering and drafting its leads.
 */
export const benchSimulation = async (days = 30, leads = 1000) => {
  const pipeline = await pipelineOnly(leads);
  const sim = await simulation(days, leads);
  const r = sim.report;
  return {
    name: `caio simulate ${days} days x ${leads} leads (sandbox, ${sim.label}) vs the pipeline alone for ${leads} leads`,
    simulationMs: Math.round(sim.ms),
    pipelineOnlyMs: Math.round(pipeline.ms),
    ratio: ratio(sim.ms, pipeline.ms),
    targetMs: days === 30 && leads === 1000 ? 60_000 : null,
    perStepMs: +(sim.ms / (r.days * 24)).toFixed(1),
    pipelineOnly: { leads: pipeline.leads, drafts: pipeline.drafts },
    simulation: { discovered: r.discovered, sent: r.sent, replies: r.replies, meetings: r.meetings, slotPicks: r.slotPicks, violations: r.violations.length },
    timings: r.timings,
    jobTimings: r.jobTimings,
  };
};
