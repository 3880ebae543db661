import { ACTIONS, AGENTS, authorize, effectiveActionsOf } from '../domain/agents/index.js';
import {
  AUTHORIZE_STEP,
  composeAnswer,
  REFUSALS_STEP,
  TRACE_STEP,
  QUEEN_TOOLS,
  redactText,
  understand,
  UNDERSTAND_STEP,
  type AuditSummary,
  type DraftCounts,
  type RoleSummary,
  type ScoreResult,
  type ScoreRules,
  type ToolCall,
  type ToolOutcome,
  type Understanding,
} from '../domain/queen/index.js';
import { emptyLead } from '../domain/lead.js';
import { scoreLead } from '../domain/scoring/score-lead.js';
import { LLM_PLAN_STEP, planWithLlm, shouldAskPlanner, type LlmOutcome } from './llm-planner.js';
import type { AskJson, QueenDeps } from './ports.js';

/**
 * QUEEN's ask: a request in plain words is understood by the deterministic grammar, its plan's
 * tool calls each pass the agent permission registry as UNIFIED_QUEEN, reads run, writes run only
 * when the person confirmed (`confirm`), the answer is written from the tools' answers, and the
 * whole ask is stored as a trace in the audit log.
 */
export type AskOptions = { confirm?: boolean; by?: string };

export type AskResult = {
  intent: string;
  intents: string[];
  refused: boolean;
  reason: string | null;
  plan: ToolCall[];
  /** The plan writes and was not confirmed: its writes were held. */
  needsConfirmation: boolean;
  results: Record<string, unknown>;
  calls: ToolOutcome[];
  /** What ran, in order: the grammar, the registry check, then each tool that ran or was held. */
  steps: string[];
  unsupported: { capability: string; instead: string }[];
  answer: string;
  traceId: string;
  /** Who made the plan: the deterministic grammar, or the optional LLM planner (its calls checked like the grammar's). */
  planner: 'grammar' | 'llm';
};

export const QUEEN_ROLE = 'UNIFIED_QUEEN';
const TRACE_ACTION = 'queen.ask';

type Runner = (args: Record<string, unknown>, context: { request: string; by: string }) => Promise<unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const scoreDescribed = (deps: QueenDeps, args: Record<string, unknown>): ScoreResult => {
  const lead = emptyLead();
  const described = { title: str(args.title), employeeCount: num(args.employeeCount), industry: str(args.industry), technologies: Array.isArray(args.technologies) ? args.technologies.map(String) : [] };
  lead.title = described.title;
  lead.email = str(args.email);
  lead.company.employeeCount = described.employeeCount;
  lead.company.industry = described.industry;
  lead.company.technologies = described.technologies;
  lead.sourceType = 'manual';
  const score = scoreLead(lead, deps.icp);
  const notStated = [described.title ? null : 'title', described.employeeCount === null ? 'company size' : null, described.industry ? null : 'industry', 'revenue', 'intent signals'].filter((x): x is string => x !== null);
  return { described, points: score.points, tier: score.tier, reasons: score.reasons, disqualification: score.disqualification?.reason ?? null, recommendedCampaign: score.recommendedCampaign, notStated };
};

const roles = (): RoleSummary[] =>
  AGENTS.map((a) => {
    const effective = effectiveActionsOf(a);
    const blocked = Object.keys(ACTIONS).filter((x) => !effective.includes(x as never));
    return {
      role: a.role,
      enabled: a.enabled,
      mergedInto: a.mergedInto,
      readOnly: a.enabled && effective.every((x) => ACTIONS[x].risk === 'LOW'),
      allowedActions: [...effective],
      blockedActions: blocked,
      allowedCount: effective.length,
      blockedCount: blocked.length,
    };
  });

const runnersFor = (deps: QueenDeps): Record<string, Runner> => ({
  'score.describe': async (args) => scoreDescribed(deps, args),
  'score.rules': async (): Promise<ScoreRules> => ({
    tiers: deps.icp.tiers,
    competitorDomains: deps.icp.exclusions.competitorDomains.length,
    competitorCompanyNames: deps.icp.exclusions.competitorCompanyNames.length,
    excludedDomains: deps.icp.exclusions.excludedDomains.length,
  }),
  'leads.search': async (args) => {
    const rows = await deps.reads.leads({ id: str(args.id), email: str(args.email), domain: str(args.domain), tier: str(args.tier), limit: num(args.limit) ?? 20 });
    // One lead's address only when the request named it: a list never carries addresses (no bulk export).
    const leads = rows.map((r) => ({ ...r, email: args.email && r.email === args.email ? r.email : null }));
    return { count: leads.length, leads };
  },
  'leads.status': async () => deps.reads.leadStatusCounts(),
  'drafts.queue': async (): Promise<DraftCounts> => {
    const { pending_review = 0, approved = 0, rejected = 0, ...other } = await deps.reads.draftStatusCounts();
    return { pending_review, approved, rejected, other };
  },
  'runs.recent': async (args) => deps.reads.runs(num(args.limit) ?? 5),
  'kpis.rates': async (args) => deps.reads.kpis(num(args.days) ?? 7),
  'cadence.counts': async () => deps.reads.cadenceCounts(),
  'incidents.open': async () => {
    const incidents = await deps.reads.incidents();
    return { count: incidents.length, incidents };
  },
  'providers.health': async () => deps.reads.providerHealth(),
  'audit.search': async (args): Promise<AuditSummary> => {
    const sinceHours = num(args.sinceHours) ?? 24;
    const since = new Date(deps.clock.now().getTime() - sinceHours * 3_600_000);
    const entries = (await deps.reads.audit(since, 500)).filter((e) => e.action !== TRACE_ACTION);
    const byAction: Record<string, number> = {};
    for (const e of entries) byAction[e.action] = (byAction[e.action] ?? 0) + 1;
    return {
      sinceHours,
      since: since.toISOString(),
      count: entries.length,
      byAction,
      first: entries[0]?.at.toISOString() ?? null,
      last: entries.at(-1)?.at.toISOString() ?? null,
      entries: entries.slice(-20).map((e) => ({ at: e.at.toISOString(), actor: e.actor, action: e.action, entityType: e.entityType, entityId: e.entityId })),
    };
  },
  'limits.usage': async () => deps.reads.limits(),
  'agents.permissions': async () => roles(),
  'privacy.redact': async (_args, { request }) => redactText(request),
  'pipeline.run': async (args, { by }) => deps.acts.runPipeline(num(args.limit) ?? 25, by),
  'batch.create': async (_args, { by }) => deps.acts.createBatch(by),
  'campaign.pause': async (args, { by }) => deps.acts.pauseCampaign(str(args.campaign) ?? '', by),
  'dispatch.emergency_stop': async (args, { by }) => deps.acts.setEmergencyStop(str(args.reason) ?? 'set through QUEEN', by),
});

/** Arguments a tool cannot run without; the answer asks for them instead of guessing. */
const missingInput = (call: ToolCall): string | null => {
  if (call.tool === 'campaign.pause' && !call.args.campaign) return 'which campaign (its id, as caio campaigns list shows it)';
  if (call.tool === 'score.describe' && !call.args.title && call.args.employeeCount === null && !call.args.industry) return "the lead's title, company size or industry";
  return null;
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

const runCall = async (deps: QueenDeps, runners: Record<string, Runner>, call: ToolCall, context: { request: string; by: string; confirm: boolean }): Promise<ToolOutcome> => {
  const started = Date.now();
  const outcome = (status: ToolOutcome['status'], extra: Partial<ToolOutcome> = {}): ToolOutcome => ({ tool: call.tool, args: call.args, status, durationMs: Date.now() - started, ...extra });
  const spec = QUEEN_TOOLS[call.tool];
  const verdict = authorize({ role: QUEEN_ROLE, action: spec.action, now: deps.clock.now() });
  if (!verdict.allowed) return outcome('denied', { error: `${verdict.code}: ${verdict.reason}` });
  const missing = missingInput(call);
  if (missing) return outcome('missing_input', { error: missing });
  if (spec.writes && !context.confirm) return outcome('needs_confirmation');
  const runner = runners[call.tool];
  if (!runner) return outcome('failed', { error: 'no runner for this tool' });
  try {
    return outcome('ok', { result: await runner(call.args, context) });
  } catch (error) {
    return outcome('failed', { error: errorText(error) });
  }
};

/** A value with the addresses and secrets in its strings masked (the markers hold no quote, so the JSON stays whole). */
const redacted = <T>(value: T): T => JSON.parse(redactText(JSON.stringify(value)).redacted) as T;

const traceDetails = (request: string, u: Understanding, calls: ToolOutcome[], options: { confirm: boolean; by: string }) => ({
  // The trace keeps the request as redacted text, cut short: never the raw secrets or addresses in it.
  request: redactText(request.slice(0, 2000)).redacted,
  requestChars: request.length,
  intent: u.intent,
  intents: u.intents,
  plan: redacted(u.plan),
  calls: redacted(calls.map(({ result: _r, ...c }) => c)),
  refusals: u.refusals.map((r) => ({ rule: r.rule, reason: r.reason })),
  unsupported: u.unsupported.map((x) => x.capability),
  confirmed: options.confirm,
  by: options.by,
});

/** Why the LLM planner's answer added nothing, in a line the answer carries (no figure in it). */
const LLM_NOTE: Partial<Record<LlmOutcome['status'], string>> = {
  timeout: "The LLM planner did not answer in time: the grammar's reading stands and nothing was run for it.",
  failed: "The LLM planner could not be reached: the grammar's reading stands and nothing was run for it.",
  malformed: "The LLM planner's answer was malformed: nothing was taken from it and nothing was run for it.",
  truncated: "The LLM planner's answer was cut short: nothing was taken from it and nothing was run for it.",
  refused_by_model: 'The LLM planner declined the request: nothing was run for it.',
  no_plan: 'The LLM planner found no tool for this request either.',
};

/**
 * The grammar's reading, or, when the grammar found nothing to do or refuse and a planner is
 * configured, the LLM planner's checked plan in its place (llm-planner.ts). The refusals of the
 * model's calls that name an unsafe action are the grammar's own rules.
 */
const understandWithPlanner = async (deps: QueenDeps, request: string): Promise<{ u: Understanding; llm: LlmOutcome | null }> => {
  const grammar = understand(request);
  if (!deps.planner || !shouldAskPlanner(grammar)) return { u: grammar, llm: null };
  const llm = await planWithLlm(deps.planner, request, deps.log);
  if (llm.plan.length === 0 && llm.refusals.length === 0) return { u: grammar, llm };
  return { u: { ...grammar, intent: 'llm_plan', intents: [], plan: llm.plan, refusals: llm.refusals.flatMap((r) => (r.refusal ? [r.refusal] : [])) }, llm };
};

/** The trace's record of the planner: the model, its calls as written (redacted), what was refused and why it gave nothing. */
const llmTrace = (llm: LlmOutcome) => ({
  model: llm.model,
  status: llm.status,
  messageId: llm.messageId,
  stopReason: llm.stopReason,
  toolCalls: llm.toolCalls,
  taken: llm.plan.map((c) => c.tool),
  refused: llm.refusals.map((r) => ({ rule: r.rule, tool: r.tool })),
  error: llm.error,
  usage: llm.usage,
});

/** Ask QUEEN. Never throws for a bad request: a refusal, a missing input or a failed read is part of the answer. */
export const ask = async (deps: QueenDeps, request: string, options: AskOptions = {}): Promise<AskResult> => {
  const confirm = options.confirm === true;
  const by = options.by?.trim() || 'queen';
  const { u, llm } = await understandWithPlanner(deps, request);
  // Refusals of the model's calls that no grammar rule covers (a tool not offered, a call that does not fit).
  const llmOnly = (llm?.refusals ?? []).filter((r) => r.refusal === null);
  const planner = u.intent === 'llm_plan' ? 'llm' : 'grammar';
  const runners = runnersFor(deps);
  const calls: ToolOutcome[] = [];
  // Reads before writes; each call on its own (a failing read does not stop the others).
  const ordered = [...u.plan.filter((c) => !QUEEN_TOOLS[c.tool].writes), ...u.plan.filter((c) => QUEEN_TOOLS[c.tool].writes)];
  for (const call of ordered) calls.push(await runCall(deps, runners, call, { request, by, confirm }));
  const results: Record<string, unknown> = {};
  for (const c of calls) if (c.status === 'ok') results[c.tool] = c.result;
  const refusedRules = [...u.refusals.map((r) => `${r.rule}: ${r.reason}`), ...llmOnly.map((r) => `${r.rule}: ${r.reason}`)];
  if (u.intent === 'too_long') refusedRules.push('REQUEST_TOO_LONG: the request is too long to be a plain-words ask');
  const traceId = deps.newTraceId();
  const steps = [
    UNDERSTAND_STEP,
    ...(llm ? [LLM_PLAN_STEP] : []),
    ...(u.refusals.length || llmOnly.length ? [REFUSALS_STEP] : []),
    ...(calls.length || u.refusals.some((r) => r.registryChecked) ? [AUTHORIZE_STEP] : []),
    ...calls.filter((c) => c.status === 'ok' || c.status === 'needs_confirmation').map((c) => c.tool),
    TRACE_STEP,
  ];
  const answer = [
    ...llmOnly.map((r) => `Request denied, cannot comply (${r.rule}): ${r.reason}. Action blocked: nothing was run for it. Safe alternative: ${r.instead}.`),
    composeAnswer(u, calls),
    ...(llm && llm.plan.length === 0 && LLM_NOTE[llm.status] ? [LLM_NOTE[llm.status]!] : []),
  ].join('\n');
  await deps.audit.append({
    at: deps.clock.now(),
    actor: QUEEN_ROLE,
    action: TRACE_ACTION,
    entityType: 'queen_trace',
    entityId: traceId,
    runId: null,
    details: {
      ...traceDetails(request, u, calls, { confirm, by }),
      ...(llmOnly.length ? { refusals: [...u.refusals, ...llmOnly].map((r) => ({ rule: r.rule, reason: r.reason })) } : {}),
      refused: refusedRules.length > 0,
      planner,
      ...(llm ? { llm: llmTrace(llm) } : {}),
    },
  });
  return {
    intent: u.intent,
    intents: u.intents,
    refused: refusedRules.length > 0,
    reason: refusedRules.length ? refusedRules.join('; ') : null,
    plan: u.plan,
    needsConfirmation: calls.some((c) => c.status === 'needs_confirmation'),
    results,
    calls,
    steps,
    unsupported: u.unsupported,
    answer,
    traceId,
    planner,
  };
};

export const QUEEN_TRACE_ACTION = TRACE_ACTION;

/**
 * The JSON of an ask as `caio ask --json` prints it and `POST /api/ask` answers it: the issue's
 * shape, plus the held writes and each call's outcome (without its result, which `results` holds).
 */
export const toAskJson = (r: AskResult): AskJson => ({
  intent: r.intent,
  refused: r.refused,
  reason: r.reason,
  plan: r.plan,
  results: r.results,
  answer: r.answer,
  traceId: r.traceId,
  needsConfirmation: r.needsConfirmation,
  calls: r.calls.map(({ result: _r, ...c }) => c),
});
