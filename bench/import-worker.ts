/**
 * One measured import in its own process, so its peak memory (maxRSS) is its own.
 * Usage: node dist/bench/import-worker.js parse|pipeline <file>
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config/load.js';
import { openApp, openProviders, pipelineDepsFor } from '../src/deps.js';
import { readLeadFile } from '../src/providers/files/read-lead-file.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';

const [mode, file] = process.argv.slice(2);
const started = performance.now();
let rows = 0;
let stages: Record<string, number> = {};
if (mode === 'parse') {
  rows = (await readLeadFile(file!)).report.rows;
} else {
  // `caio pipeline run --input FILE --no-enrich` as the CLI wires it (openApp, openProviders,
  // pipelineDepsFor) on the embedded PostgreSQL, as `npm start` runs it: the server is its own
  // process, so this process's peak RSS is the import's own (PGlite counted its WebAssembly heap here).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-db-'));
  chmodSync(dataDir, 0o755); // as root, the embedded server runs as the user postgres, who must enter it
  const config = loadConfig({ cwd: dataDir, env: {}, dataDir });
  const app = await openApp(config, { log: pino({ level: 'silent' }) });
  const providers = await openProviders(app, { source: 'apollo', seed: null, inputFile: file! });
  const report = await runPipeline(pipelineDepsFor(app, providers, { enrich: false }), { limit: 2_147_483_647, source: providers.source.name, seed: null });
  rows = report.stages[0]!.inputCount;
  stages = Object.fromEntries(report.stages.map((s) => [s.name, Math.round(s.durationMs)]));
  await providers.close();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ mode, rows, ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), stages }));
