import { newRunId } from '../lib/ids.js';
import { craftDrafts } from './craft-drafts.js';
import { describeError, type PipelineDeps, type PipelineEvents, type RunContext, type StageOutcome, type WorkingLead } from './context.js';
import { discoverLeads } from './discover-leads.js';
import { enrichLeads } from './enrich-leads.js';
import { queueDrafts } from './queue-drafts.js';
import { recordShadowSends } from './record-shadow-sends.js';
import { scoreLeads } from './score-leads.js';
import { STAGE_NAMES, type StageName, type StageResult } from './ports.js';

export type RunOptions = { limit: number; source: string; seed: number | null };

export type DraftSummary = { draftId: string; leadId: string; email: string | null; tier: string; points: number; angleId: string; subjectA: string };
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

type StageFn = (ctx: RunContext, input: WorkingLead[], options: RunOptions) => Promise<StageOutcome<WorkingLead[]>>;

const STAGES: Record<StageName, StageFn> = {
  discover: (ctx, _input, options) => discoverLeads(ctx, options.limit),
  enrich: enrichLeads,
  score: scoreLeads,
  craft: craftDrafts,
  queue: queueDrafts,
  send: recordShadowSends,
};

const TITLES: Record<StageName, string> = { discover: 'Discover', enrich: 'Enrich', score: 'Score', craft: 'Craft', queue: 'Queue for approval', send: 'Send (shadow)' };

/**
 * The six stages, strictly in order. A failed stage is reported and alerted; the run goes on with
 * what that stage produced (or, for enrichment, with its input: unenriched leads still count),
 * unless `stopOnStageFailure` is set. A stage with nothing to work on is skipped, not failed.
 */
export const runPipeline = async (deps: PipelineDeps, options: RunOptions, events: PipelineEvents = {}): Promise<RunReport> => {
  const startedAt = deps.clock.now();
  const runId = deps.newRunId ? deps.newRunId() : newRunId(startedAt);
  const ctx: RunContext = { runId, deps, events };
  const mode = deps.settings.mode;
  await deps.stores.runs.start({ runId, mode, source: options.source, requestedLimit: options.limit, seed: options.seed, startedAt });
  await deps.stores.audit.append({ at: startedAt, actor: 'system', action: 'run.started', entityType: 'run', entityId: runId, runId, details: { ...options, mode } });

  const results: StageResult[] = [];
  let current: WorkingLead[] = [];
  let queued: WorkingLead[] = [];
  let halted = false;
  for (const [position, name] of STAGE_NAMES.entries()) {
    const input = name === 'discover' ? options.limit : current.length;
    events.onStageStart?.(name, input);
    const began = performance.now();
    let result: StageResult;
    if (name === 'enrich' && deps.settings.enrich === false && !halted && current.length > 0) {
      // Enrichment turned off: the leads go on as their source gave them.
      result = { name, status: 'skip', inputCount: current.length, outputCount: current.length, durationMs: 0, errors: [], metrics: { reason: 'enrichment turned off' } };
    } else if (halted || (name !== 'discover' && current.length === 0)) {
      result = { name, status: 'skip', inputCount: name === 'discover' ? 0 : current.length, outputCount: 0, durationMs: 0, errors: [], metrics: { reason: halted ? 'an earlier stage failed' : 'nothing to do' } };
    } else {
      try {
        const outcome = await STAGES[name](ctx, current, options);
        result = { name, status: outcome.passed ? 'pass' : 'fail', inputCount: outcome.inputCount ?? input, outputCount: outcome.output.length, durationMs: performance.now() - began, errors: outcome.errors, metrics: outcome.metrics };
        // Unenriched leads go on to scoring; every other stage hands on only what it produced.
        current = outcome.output;
        if (name === 'queue') queued = outcome.output;
        if (!outcome.passed) await alertStageFailed(ctx, name, result);
      } catch (error) {
        const described = describeError(error);
        deps.log.error({ runId, stage: name, code: described.code }, 'pipeline stage exception');
        result = { name, status: 'fail', inputCount: input, outputCount: 0, durationMs: performance.now() - began, errors: [described], metrics: {} };
        if (name !== 'enrich') current = [];
        await deps.alerts.send({
          severity: 'critical',
          title: `Pipeline stage exception: ${TITLES[name]}`,
          body: `Run ${runId} (${mode}): ${described.message}`,
          metadata: { runId, stage: name, mode, code: described.code ?? null },
        });
      }
      if (result.status === 'fail' && deps.settings.stopOnStageFailure) halted = true;
    }
    results.push(result);
    await deps.stores.runs.recordStage(runId, position, result);
    events.onStageEnd?.(result);
  }

  const completedAt = deps.clock.now();
  const totalErrors = results.reduce((sum, s) => sum + s.errors.length, 0);
  const passed = results.filter((s) => s.status === 'pass').length;
  const status = results.some((s) => s.status === 'fail') ? 'failed' : 'passed';
  const runLeads = await deps.stores.leads.list({ runId, limit: 100_000 });
  const leadById = new Map(runLeads.map((l) => [l.id, l]));
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
    leads: runLeads.map((l) => ({ id: l.id, email: l.email, tier: l.tier, points: l.points, status: l.status })),
    drafts: queued.map((l) => ({ draftId: l.draftId!, leadId: l.id, email: leadById.get(l.id)?.email ?? l.profile.email, tier: l.score!.tier, points: l.score!.points, angleId: l.draft!.angleId, subjectA: l.draft!.subjectA })),
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
    body: `Run ${ctx.runId} (${ctx.deps.settings.mode}). First errors: ${result.errors.slice(0, 3).map((e) => e.message).join(' | ') || 'none recorded'}`,
    metadata: { runId: ctx.runId, stage: name, mode: ctx.deps.settings.mode, errorCount: result.errors.length },
  });
