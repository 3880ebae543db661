import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { ChunkResult, RunChunkStore, WorkingLead } from '../pipeline/ports.js';
import type { Db } from './database.js';
import { runChunks, runs } from './schema.js';

export const createRunChunkStore = (db: Db): RunChunkStore => ({
  plan: async (runId, discover, chunkSizes, at) => {
    await db.insert(runChunks).values([{ runId, chunk: 0, leadCount: 0, result: discover, doneAt: at }, ...chunkSizes.map((leadCount, i) => ({ runId, chunk: i + 1, leadCount, result: null, doneAt: null }))]);
  },
  complete: async (runId, chunk, result, at) =>
    (
      await db
        .update(runChunks)
        .set({ result, doneAt: at })
        .where(and(eq(runChunks.runId, runId), eq(runChunks.chunk, chunk), isNull(runChunks.doneAt)))
        .returning({ chunk: runChunks.chunk })
    ).length === 1,
  isDone: async (runId, chunk) => {
    const [row] = await db
      .select({ doneAt: runChunks.doneAt })
      .from(runChunks)
      .where(and(eq(runChunks.runId, runId), eq(runChunks.chunk, chunk)))
      .limit(1);
    return row ? row.doneAt !== null : null;
  },
  remaining: async (runId) =>
    Number(
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(runChunks)
          .where(and(eq(runChunks.runId, runId), isNull(runChunks.doneAt)))
      )[0]?.n ?? 0,
    ),
  results: async (runId) => (await db.select().from(runChunks).where(eq(runChunks.runId, runId)).orderBy(asc(runChunks.chunk))).map((r) => ({ chunk: r.chunk, result: r.result as ChunkResult | null })),
  /** One worker finishes the run: the one that moves it from running to finishing. */
  claimFinish: async (runId) =>
    (
      await db
        .update(runs)
        .set({ status: 'finishing' })
        .where(and(eq(runs.id, runId), eq(runs.status, 'running')))
        .returning({ id: runs.id })
    ).length === 1,
  leadStates: async (runId, leadIds) => {
    if (leadIds.length === 0) return [];
    const rows = (await db.execute(sql`select l.id, l.profile, l.duplicate_of is not null as duplicate,
        exists (select 1 from enrichments e where e.lead_id = l.id and e.run_id = ${runId}) as enriched
      from leads l where l.id in (${sql.join(
        leadIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`)) as { rows: { id: string; profile: unknown; duplicate: boolean; enriched: boolean }[] };
    return rows.rows.map((r) => ({ id: r.id, profile: r.profile as WorkingLead['profile'], duplicate: Boolean(r.duplicate), enriched: Boolean(r.enriched) }));
  },
  startedAt: async (runId) => (await db.select({ startedAt: runs.startedAt }).from(runs).where(eq(runs.id, runId)).limit(1))[0]?.startedAt ?? null,
});
