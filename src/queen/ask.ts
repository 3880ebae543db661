import { authorize } from '../domain/agents/index.js';
import { AUTHORIZE_STEP, composeAnswer, REFUSALS_STEP, TRACE_STEP, QUEEN_TOOLS, redactText, understand, UNDERSTAND_STEP, type ToolCall, type ToolOutcome, type Understanding } from '../domain/queen/index.js';
import { runnersFor, type Runner } from './runners.js';
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

/** Arguments a tool cannot run without; the answer asks for them instead of guessing. */
const missingInput = (call: ToolCall): string | null => {
  if (call.tool === 'campaign.pause' && !call.args.campaign) return 'which campaign (its id, as caio campaigns list shows it)';
  if (call.tool === 'replies.classify' && !call.args.text) return 'the reply text, in quotes or after "reply:"';
  if (call.tool === 'calendar.book' && !call.args.replyId)
    return 'missing required scheduling data: which reply the meeting answers (its id, as caio replies list shows it) and, unless the reply proposed one, the slot (ISO time with its time zone, from the free slots above); confirmation required before booking';
  if (call.tool === 'lead.enrich' && !call.args.id && !call.args.email) return 'which stored lead to enrich: its lead id or e-mail (as caio leads list shows it); a lead described only in words is scored, not enriched';
  if (call.tool === 'slack.alert' && !call.args.text) return "the alert's text";
  if (call.tool === 'copy.check' && !call.args.text) return 'the text to check, pasted after a colon on the next lines or in quotes (a first line "Subject: ..." is read as the subject)';
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
