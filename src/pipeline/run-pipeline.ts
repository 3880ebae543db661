import { newRunId } from '../lib/ids.js';
import { craftDrafts } from './craft-drafts.js';
import { describeError, type PipelineDeps, type PipelineEvents, type RunContext, type StageOutcome, type WorkingLead } from './context.js';
import { discoverLeads } from './discover-leads.js';
import { enrichLeads } from './enrich-leads.js';
import { queueDrafts } from './queue-drafts.js';
import { recordShadowSends } from './record-shadow-sends.js';
import { scoreLeads } from './score-leads.js';
import { STAGE_NAMES, type DiscoveryResult, type DraftSummary, type StageName, type StageResult } from './ports.js';

export type RunOptions = { limit: number; source: string; seed: number | null };

export type { DraftSummary } from './ports.js';
export type LeadSummary = { id: string; email: string | null; tier: string | null; points: number | null; status: string };

export type RunReport = {
  runId: string;
  mode: 'sandbox' | 'live';
  status: 'passed' | 'failed';
  startedAt: string;
  completedAt: string;
  stages: StageResult[];
  passed: number;
  total: number;
  totalErrors: number;
  leads: LeadSummary[];
  drafts: DraftSummary[];
};

type StageFn = (ctx: RunContext, input: WorkingLead[]) => Promise<StageOutcome<WorkingLead[]>>;

const STAGES: Record<Exclude<StageName, 'discover'>, StageFn> = {
  enrich: enrichLeads,
  score: scoreLeads,
  craft: craftDrafts,
  queue: queueDrafts,
  send: recordShadowSends,
};

const TITLES: Record<StageName, string> = { discover: 'Discover', enrich: 'Enrich', score: 'Score', craft: 'Craft', queue: 'Queue for approval', send: 'Send (shadow)' };

/** What one pass of the six stages over one batch of leads adds to the run. */
export type RunState = {
  halted: boolean;
  merged: (StageResult | undefined)[];
  threw: Set<StageName>;
  /** Ids of the drafts queued so far: a 100,000-lead import keeps ids, not summaries, in memory. */
  drafts: string[];
};

const MAX_REPORTED_ERRORS = 200;

const mergeMetrics = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    if (typeof value === 'number' && typeof prev === 'number') out[key] = prev + value;
    else if (value && prev && typeof value === 'object' && typeof prev === 'object' && !Array.isArray(value) && !Array.isArray(prev)) out[key] = mergeMetrics(prev as Record<string, unknown>, value as Record<string, unknown>);
    else out[key] = value;
  }
  return out;
};

/** A stage over several batches: counts, time and metrics add up; it passed if any batch passed. */
export const mergeStage = (a: StageResult | undefined, b: StageResult): StageResult =>
  !a
    ? b
    : {
        name: b.name,
        status: a.status === 'pass' || b.status === 'pass' ? 'pass' : a.status === 'fail' || b.status === 'fail' ? 'fail' : 'skip',
        inputCount: a.inputCount + b.inputCount,
        outputCount: a.outputCount + b.outputCount,
        durationMs: a.durationMs + b.durationMs,
        errors: [...a.errors, ...b.errors].slice(0, MAX_REPORTED_ERRORS),
        metrics: mergeMetrics(a.metrics, b.metrics),
      };

/**
 * The six stages, in order, over one batch. `live`: report each stage's start and end as it happens.
 * `discovered`: leads an earlier job discovered (a chunk of a distributed run): discovery is skipped.
 */
export const runBatch = async (ctx: RunContext, discover: () => Promise<DiscoveryResult>, state: RunState, live: boolean, limit: number, discovered?: WorkingLead[]): Promise<void> => {
  const { deps, events } = ctx;
  let current: WorkingLead[] = [];
  for (const [position, name] of STAGE_NAMES.entries()) {
    if (discovered && name === 'discover') {
      current = discovered;
      continue;
    }
    const input = name === 'discover' ? limit : current.length;
    if (live || !state.merged[position]) events.onStageStart?.(name, input);
    const began = performance.now();
    let result: StageResult;
    if (name === 'enrich' && deps.settings.enrich === false && !state.halted && current.length > 0) {
      // Enrichment turned off: the leads go on as their source gave them.
      result = { name, status: 'skip', inputCount: current.length, outputCount: current.length, durationMs: 0, errors: [], metrics: { reason: 'enrichment turned off' } };
    } else if (state.halted || (name !== 'discover' && current.length === 0)) {
      result = { name, status: 'skip', inputCount: name === 'discover' ? 0 : current.length, outputCount: 0, durationMs: 0, errors: [], metrics: { reason: state.halted ? 'an earlier stage failed' : 'nothing to do' } };
    } else {
      try {
        const outcome = name === 'discover' ? await discoverLeads(ctx, await discover()) : await STAGES[name](ctx, current);
        result = { name, status: outcome.passed ? 'pass' : 'fail', inputCount: outcome.inputCount ?? input, outputCount: outcome.output.length, durationMs: performance.now() - began, errors: outcome.errors, metrics: outcome.metrics };
        // Unenriched leads go on to scoring; every other stage hands on only what it produced.
        current = outcome.output;
        if (name === 'queue') for (const lead of current) state.drafts.push(lead.draftId!);
      } catch (error) {
        const described = describeError(error);
        deps.log.error({ runId: ctx.runId, stage: name, code: described.code }, 'pipeline stage exception');
        result = { name, status: 'fail', inputCount: input, outputCount: 0, durationMs: performance.now() - began, errors: [described], metrics: {} };
        state.threw.add(name);
        if (name !== 'enrich') current = [];
      }
      if (result.status === 'fail' && deps.settings.stopOnStageFailure) state.halted = true;
    }
    state.merged[position] = mergeStage(state.merged[position], result);
    if (live) events.onStageEnd?.(state.merged[position]);
  }
};

/** A batched source: every batch through all stages, then the source's totals on the discover stage. */
const runBatches = async (ctx: RunContext, state: RunState, limit: number) => {
  const source = ctx.deps.source;
  const events = ctx.events;
  const offsets: Partial<Record<StageName, number>> = {};
  const batchCtx: RunContext = {
    ...ctx,
    events: { ...events, onStageProgress: (name, done, total) => events.onStageProgress?.(name, (offsets[name] ?? 0) + done, (offsets[name] ?? 0) + total) },
  };
  let batches = 0;
  const began = performance.now();
  try {
    const totals = await source.discoverBatches!({ limit }, async (leads) => {
      batches++;
      await runBatch(batchCtx, async () => ({ leads, errors: [], metrics: {} }), state, false, limit);
      state.merged.forEach((stage, i) => (offsets[STAGE_NAMES[i]!] = stage?.inputCount ?? 0));
    });
    if (batches === 0) {
      await runBatch(batchCtx, async () => ({ leads: [], ...totals }), state, false, limit);
      return;
    }
    const discover = state.merged[0]!;
    state.merged[0] = { ...discover, inputCount: totals.considered ?? discover.inputCount, errors: [...totals.errors, ...discover.errors].slice(0, MAX_REPORTED_ERRORS), metrics: { ...discover.metrics, ...totals.metrics } };
  } catch (error) {
    if (batches === 0) {
      await runBatch(batchCtx, () => Promise.reject(error), state, false, limit);
      return;
    }
    // The source broke after some batches were handled: they stay, and the run says so.
    const described = describeError(error);
    state.threw.add('discover');
    state.merged[0] = mergeStage(state.merged[0], {
      name: 'discover',
      status: 'fail',
      inputCount: 0,
      outputCount: 0,
      durationMs: performance.now() - began,
      errors: [{ ...described, message: `${described.message} (after ${batches} batches had been processed)` }],
      metrics: {},
    });
  }
};

/**
 * The six stages, strictly in order. A failed stage is reported and alerted; the run goes on with
 * what that stage produced (or, for enrichment, with its input: unenriched leads still count),
 * unless `stopOnStageFailure` is set. A stage with nothing to work on is skipped, not failed.
 * A source that hands leads over in batches (a file) runs every stage per batch, so memory stays
 * bounded; the stage results then add up over the batches.
 */
export const runPipeline = async (deps: PipelineDeps, options: RunOptions, events: PipelineEvents = {}): Promise<RunReport> => {
  const startedAt = deps.clock.now();
  const runId = deps.newRunId ? deps.newRunId() : newRunId(startedAt);
  const ctx: RunContext = { runId, deps, events };
  const mode = deps.settings.mode;
  await deps.stores.runs.start({ runId, mode, source: options.source, requestedLimit: options.limit, seed: options.seed, startedAt });
  await deps.stores.audit.append({ at: startedAt, actor: 'system', action: 'run.started', entityType: 'run', entityId: runId, runId, details: { ...options, mode } });

  const state: RunState = { halted: false, merged: [], threw: new Set(), drafts: [] };
  const batched = deps.source.discoverBatches !== undefined;
  if (batched) await runBatches(ctx, state, options.limit);
  else await runBatch(ctx, () => deps.source.discover({ limit: options.limit, handled: (source, ids) => deps.stores.leads.handledSourceIds(source, ids) }), state, true, options.limit);

  return finishRun(ctx, { startedAt, results: state.merged as StageResult[], threw: state.threw, draftIds: state.drafts, announce: batched });
};

/**
 * The end of a run, however its stages ran (in one process, in batches, or as chunks on workers):
 * stage results stored and alerted, the summary and status written, the report returned.
 */
export const finishRun = async (ctx: RunContext, run: { startedAt: Date; results: StageResult[]; threw: Set<StageName>; draftIds: string[]; announce: boolean }): Promise<RunReport> => {
  const { deps, events, runId } = ctx;
  const mode = deps.settings.mode;
  const { startedAt, results } = run;
  const state = { threw: run.threw };
  const batched = run.announce;
  for (const [position, result] of results.entries()) {
    await deps.stores.runs.recordStage(runId, position, result);
    if (batched) events.onStageEnd?.(result);
    if (result.status !== 'fail') continue;
    if (state.threw.has(result.name)) {
      await deps.alerts.send({
        severity: 'critical',
        title: `Pipeline stage exception: ${TITLES[result.name]}`,
        body: `Run ${runId} (${mode}): ${result.errors[0]?.message ?? 'unknown error'}`,
        metadata: { runId, stage: result.name, mode, code: result.errors[0]?.code ?? null },
      });
    } else {
      await alertStageFailed(ctx, result.name, result);
    }
  }

  const completedAt = deps.clock.now();
  const totalErrors = results.reduce((sum, s) => sum + s.errors.length, 0);
  const passed = results.filter((s) => s.status === 'pass').length;
  const status = results.some((s) => s.status === 'fail') ? 'failed' : 'passed';
  const runLeads = await deps.stores.leads.summaries(runId);
  const drafts = await deps.stores.drafts.summaries(run.draftIds);
  const report: RunReport = {
    runId,
    mode,
    status,
    startedAt: startedAt.toISOString(),
    completedAt: completedAt.toISOString(),
    stages: results,
    passed,
    total: results.length,
    totalErrors,
    leads: runLeads,
    drafts,
  };
  const summary = { leads: report.leads.length, drafts: report.drafts.length, passed, total: results.length };
  await deps.stores.runs.finish(runId, { status, completedAt, totalErrors, summary });
  await deps.stores.audit.append({ at: completedAt, actor: 'system', action: 'run.completed', entityType: 'run', entityId: runId, runId, details: { status, ...summary, totalErrors } });
  if (totalErrors > 0) {
    await deps.alerts.send({ severity: 'warning', title: `Pipeline completed with ${totalErrors} errors`, body: `Run ${runId} (${mode}): ${passed}/${results.length} stages passed.`, metadata: { runId, mode, totalErrors } });
  }
  return report;
};

const alertStageFailed = (ctx: RunContext, name: StageName, result: StageResult) =>
  ctx.deps.alerts.send({
    severity: 'warning',
    title: `Pipeline stage failed: ${TITLES[name]}`,
    body: `Run ${ctx.runId} (${ctx.deps.settings.mode}). First errors: ${
      result.errors
        .slice(0, 3)
        .map((e) => e.message)
        .join(' | ') || 'none recorded'
    }`,
    metadata: { runId: ctx.runId, stage: name, mode: ctx.deps.settings.mode, errorCount: result.errors.length },
  });
