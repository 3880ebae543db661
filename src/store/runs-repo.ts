import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from './database.js';
import { runs, stageResults } from './schema.js';
import type { RunRecord, RunStore, StageName, StageResult, StageStatus, RunStatus, RunSummary } from '../pipeline/ports.js';

type RunRow = typeof runs.$inferSelect;
type StageRow = typeof stageResults.$inferSelect;

const toStage = (row: StageRow): StageResult => ({
  name: row.stage as StageName,
  status: row.status as StageStatus,
  inputCount: row.inputCount,
  outputCount: row.outputCount,
  durationMs: row.durationMs,
  errors: row.errors as StageResult['errors'],
  metrics: row.metrics as Record<string, unknown>,
});

const toRun = (row: RunRow, stages: StageRow[]): RunRecord => ({
  runId: row.id,
  mode: row.mode as RunRecord['mode'],
  source: row.source,
  requestedLimit: row.requestedLimit,
  seed: row.seed,
  status: row.status as RunStatus,
  startedAt: row.startedAt,
  completedAt: row.completedAt,
  totalErrors: row.totalErrors,
  stages: stages.sort((a, b) => a.position - b.position).map(toStage),
  summary: row.summary as RunSummary,
});

export const createRunStore = (db: Db): RunStore => ({
  start: async (run) => {
    await db.insert(runs).values({
      id: run.runId,
      mode: run.mode,
      source: run.source,
      requestedLimit: run.requestedLimit,
      seed: run.seed,
      status: 'running',
      startedAt: run.startedAt,
    });
  },
  recordStage: async (runId, position, stage) => {
    await db.insert(stageResults).values({
      runId,
      position,
      stage: stage.name,
      status: stage.status,
      inputCount: stage.inputCount,
      outputCount: stage.outputCount,
      durationMs: Math.round(stage.durationMs),
      errors: stage.errors,
      metrics: stage.metrics,
    });
  },
  finish: async (runId, outcome) => {
    await db.update(runs).set({ status: outcome.status, completedAt: outcome.completedAt, totalErrors: outcome.totalErrors, summary: outcome.summary }).where(eq(runs.id, runId));
  },
  get: async (runId) => {
    const [row] = await db.select().from(runs).where(eq(runs.id, runId)).limit(1);
    if (!row) return null;
    const stages = await db.select().from(stageResults).where(eq(stageResults.runId, runId)).orderBy(asc(stageResults.position));
    return toRun(row, stages);
  },
  list: async (limit) => {
    const rows = await db.select().from(runs).orderBy(desc(runs.startedAt)).limit(limit);
    if (rows.length === 0) return [];
    const stages = await db
      .select()
      .from(stageResults)
      .where(
        inArray(
          stageResults.runId,
          rows.map((r) => r.id),
        ),
      );
    return rows.map((row) =>
      toRun(
        row,
        stages.filter((s) => s.runId === row.id),
      ),
    );
  },
});
