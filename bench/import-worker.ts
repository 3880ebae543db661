/**
 * One measured import in its own process, so its peak memory (maxRSS) is its own.
 * Usage: node dist/bench/import-worker.js parse|pipeline <file>
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { readLeadFile } from '../src/providers/files/read-lead-file.js';
import { createFileLeadSource } from '../src/providers/files/file-lead-source.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { openDatabase, createStores } from '../src/store/index.js';
import { DEFAULT_ICP_SETTINGS } from '../src/domain/scoring/settings.js';
import { DEFAULT_SENDER_SETTINGS } from '../src/domain/drafting/index.js';
import { systemClock } from '../src/lib/clock.js';
import { createLogAlerts } from '../src/providers/log-alerts.js';

const [mode, file] = process.argv.slice(2);
const started = performance.now();
let rows = 0;
let stages: Record<string, number> = {};
if (mode === 'parse') {
  rows = (await readLeadFile(file!)).report.rows;
} else {
  // The embedded PostgreSQL, as `npm start` runs it: the server is its own process, so this
  // process's peak RSS is the import's own (PGlite counted its WebAssembly heap here).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-db-'));
  chmodSync(dataDir, 0o755); // as root, the embedded server runs as the user postgres, who must enter it
  const database = await openDatabase({ kind: 'embedded', dir: path.join(dataDir, 'pg') });
  const stores = createStores(database.db);
  const log = pino({ level: 'silent' });
  const source = createFileLeadSource({ file: file!, isSuppressed: () => stores.suppressions.matcher() });
  const report = await runPipeline(
    {
      stores,
      source,
      enricher: { provider: 'none', enrich: async () => ({ outcome: 'miss' }) },
      alerts: createLogAlerts(log),
      clock: systemClock,
      log,
      settings: {
        mode: 'sandbox',
        icp: DEFAULT_ICP_SETTINGS,
        sender: DEFAULT_SENDER_SETTINGS,
        tierRouting: { tier_1: ['instantly'], tier_2: ['instantly'], tier_3: ['instantly'], tier_4: [] },
        stopOnStageFailure: false,
        enrichConcurrency: 4,
        enrichTimeoutMs: 180_000,
        review: { rejectionTtlDays: 30, maxRejections: 2 },
        quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4 },
        enrich: false,
      },
    },
    { limit: 2_147_483_647, source: source.name, seed: null },
  );
  rows = report.stages[0]!.inputCount;
  stages = Object.fromEntries(report.stages.map((s) => [s.name, Math.round(s.durationMs)]));
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ mode, rows, ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), stages }));
