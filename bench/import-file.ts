import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TITLES = ['CEO', 'VP of Sales', 'Director of Operations', 'Marketing Manager', 'Founder', 'Head of RevOps', 'Sales Coordinator'];
const INDUSTRIES = ['marketing & advertising', 'computer software', 'manufacturing', 'management consulting', 'retail', 'financial services'];

const writeCsv = (file: string, rows: number) => {
  const lines = ['email,first name,last name,company,title,industry,employees,website'];
  for (let i = 0; i < rows; i++) {
    const company = `Company ${i % 5000}`;
    lines.push(`person${i}@co${i % 5000}.example.com,First${i},Last${i},${company},${TITLES[i % TITLES.length]},${INDUSTRIES[i % INDUSTRIES.length]},${((i * 37) % 1200) + 3},co${i % 5000}.example.com`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
};

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-worker.js');
const measure = (mode: 'parse' | 'pipeline', file: string) =>
  JSON.parse(execFileSync(process.execPath, [worker, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as { rows: number; ms: number; maxRssMb: number; stages: Record<string, number> };

/**
 * A 100,000-row CSV through the pipeline with enrichment off (stage 1 import, 3 score, 4 craft,
 * then 5 queue and 6 shadow send) on the embedded PostgreSQL (or DATABASE_URL), each measurement in its own process.
 * Baseline in the same run: only parsing and validating the file.
 */
export const benchImportFile = (rows = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000)) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-'));
  try {
    const file = path.join(dir, 'leads.csv');
    writeCsv(file, rows);
    const parse = measure('parse', file);
    const pipeline = measure('pipeline', file);
    const stages134 = (pipeline.stages.discover ?? 0) + (pipeline.stages.score ?? 0) + (pipeline.stages.craft ?? 0);
    return {
      name: `import of a ${rows.toLocaleString('en-US')}-row CSV (enrichment off)`,
      parseOnlyRowsPerSecond: Math.round((parse.rows / parse.ms) * 1000),
      parseOnlyPeakRssMb: parse.maxRssMb,
      stages134RowsPerSecond: Math.round((rows / stages134) * 1000),
      wholeRunRowsPerSecond: Math.round((rows / pipeline.ms) * 1000),
      pipelinePeakRssMb: pipeline.maxRssMb,
      stageMs: pipeline.stages,
      slowdownVsParseOnly: `${(parse.rows / parse.ms / (rows / stages134)).toFixed(1)}x`,
      memoryVsParseOnly: `${(pipeline.maxRssMb / parse.maxRssMb).toFixed(1)}x`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
