import { newRunId } from '../lib/ids.js';
import { describeError, type PipelineDeps, type RunContext, type WorkingLead } from './context.js';
import { discoverLeads } from './discover-leads.js';
import { STAGE_NAMES, type ChunkResult, type RunChunkStore, type StageName, type StageResult } from './ports.js';
import { finishRun, mergeStage, runBatch, type RunOptions, type RunReport, type RunState } from './run-pipeline.js';

// Declared with the ports (the store implements the chunk store); re-exported for the use cases.
export type { ChunkResult, RunChunkStore } from './ports.js';

export type ChunkJob = { runId: string; chunk: number; leads: WorkingLead[] };

/**
 * A pipeline run for many workers (the BullMQ backend): this job discovers, stores the leads and
 * hands them to `enqueue` in chunks of `chunkSize`; each chunk runs enrichment to the shadow send
 * on whichever worker takes it (`runChunk`), and the worker that completes the last chunk finishes
 * the run. A run with nothing discovered finishes here.
 */
export const startChunkedRun = async (
  deps: PipelineDeps,
  chunks: RunChunkStore,
  options: RunOptions & { chunkSize: number },
  enqueue: (job: ChunkJob) => Promise<void>,
): Promise<{ runId: string; chunks: number; leads: number; report?: RunReport }> => {
  const startedAt = deps.clock.now();
  const runId = deps.newRunId ? deps.newRunId() : newRunId(startedAt);
  const ctx: RunContext = { runId, deps, events: {} };
  await deps.stores.runs.start({ runId, mode: deps.settings.mode, source: options.source, requestedLimit: options.limit, seed: options.seed, startedAt });
  await deps.stores.audit.append({
    at: startedAt,
    actor: 'system',
    action: 'run.started',
    entityType: 'run',
    entityId: runId,
    runId,
    details: { limit: options.limit, source: options.source, seed: options.seed, mode: deps.settings.mode, distributed: true },
  });
  const began = performance.now();
  let discovered: WorkingLead[] = [];
  let discover: StageResult;
  const threw: StageName[] = [];
  try {
    const outcome = await discoverLeads(ctx, await deps.source.discover({ limit: options.limit, handled: (source, ids) => deps.stores.leads.handledSourceIds(source, ids) }));
    discovered = outcome.output;
    discover = {
      name: 'discover',
      status: outcome.passed ? 'pass' : 'fail',
      inputCount: outcome.inputCount ?? options.limit,
      outputCount: discovered.length,
      durationMs: performance.now() - began,
      errors: outcome.errors,
      metrics: outcome.metrics,
    };
  } catch (error) {
    threw.push('discover');
    discover = { name: 'discover', status: 'fail', inputCount: options.limit, outputCount: 0, durationMs: performance.now() - began, errors: [describeError(error)], metrics: {} };
  }
  const halted = discover.status === 'fail' && deps.settings.stopOnStageFailure;
  const slices: WorkingLead[][] = [];
  if (!halted) for (let i = 0; i < discovered.length; i += options.chunkSize) slices.push(discovered.slice(i, i + options.chunkSize));
  await chunks.plan(
    runId,
    { stages: [discover], drafts: [], threw },
    slices.map((s) => s.length),
    deps.clock.now(),
  );
  if (slices.length === 0) return { runId, chunks: 0, leads: 0, report: await finishChunkedRun(deps, chunks, runId) };
  for (const [i, leads] of slices.entries()) await enqueue({ runId, chunk: i + 1, leads });
  return { runId, chunks: slices.length, leads: discovered.length };
};

/**
 * One chunk: enrichment, scoring, crafting, queueing and the shadow send for its leads. A chunk
 * already done (its job retried after it finished) does nothing. Returns the report when this
 * chunk was the run's last.
 */
export const runChunk = async (deps: PipelineDeps, chunks: RunChunkStore, job: ChunkJob): Promise<{ done: boolean; report?: RunReport }> => {
  const done = await chunks.isDone(job.runId, job.chunk);
  if (done !== false) return { done: true };
  const state: RunState = { halted: false, merged: [], threw: new Set(), drafts: [] };
  const ctx: RunContext = { runId: job.runId, deps, events: {} };
  const noDiscovery = () => Promise.reject(new Error('a chunk does not discover'));
  // A chunk run again after a crash must not pay twice: leads this run already enriched go on with
  // their stored profile and skip enrichment; a lead folded into a duplicate or discarded meanwhile drops out.
  const now = new Map(
    (
      await chunks.leadStates(
        job.runId,
        job.leads.map((l) => l.id),
      )
    ).map((l) => [l.id, l]),
  );
  // Folded into a duplicate or discarded (suppressed) by this run's enrichment: already handled.
  const live = job.leads.filter((l) => now.has(l.id) && !(now.get(l.id)!.duplicate && now.get(l.id)!.enriched));
  const fresh = live.filter((l) => !now.get(l.id)!.enriched);
  const resumed = live.filter((l) => now.get(l.id)!.enriched).map((l) => ({ ...l, profile: now.get(l.id)!.profile }));
  if (fresh.length > 0) await runBatch(ctx, noDiscovery, state, false, fresh.length, fresh);
  if (resumed.length > 0) await runBatch({ ...ctx, deps: { ...deps, settings: { ...deps.settings, enrich: false } } }, noDiscovery, state, false, resumed.length, resumed);
  const result: ChunkResult = { stages: state.merged.filter((s): s is StageResult => Boolean(s)), drafts: state.drafts, threw: [...state.threw] };
  if (!(await chunks.complete(job.runId, job.chunk, result, deps.clock.now()))) return { done: true };
  if ((await chunks.remaining(job.runId)) > 0) return { done: false };
  const report = await finishChunkedRun(deps, chunks, job.runId);
  return report ? { done: false, report } : { done: false };
};

/** Merge every chunk's stages into the run's six and finish it, once (the first worker to claim it). */
const finishChunkedRun = async (deps: PipelineDeps, chunks: RunChunkStore, runId: string): Promise<RunReport | undefined> => {
  if (!(await chunks.claimFinish(runId))) return undefined;
  const merged: (StageResult | undefined)[] = [];
  const threw = new Set<StageName>();
  const draftIds: string[] = [];
  for (const { result } of await chunks.results(runId)) {
    if (!result) continue;
    for (const stage of result.stages) {
      const position = STAGE_NAMES.indexOf(stage.name);
      merged[position] = mergeStage(merged[position], stage);
    }
    result.threw.forEach((t) => threw.add(t));
    for (const d of result.drafts) draftIds.push(typeof d === 'string' ? d : d.draftId);
  }
  // A stage no chunk reached (nothing discovered, or a halt) is reported as skipped, as in one process.
  const results = STAGE_NAMES.map((name, i) => merged[i] ?? { name, status: 'skip' as const, inputCount: 0, outputCount: 0, durationMs: 0, errors: [], metrics: { reason: 'nothing to do' } });
  return finishRun({ runId, deps, events: {} }, { startedAt: (await chunks.startedAt(runId)) ?? deps.clock.now(), results, threw, draftIds, announce: false });
};
