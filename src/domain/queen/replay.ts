import { redactText } from './redact.js';

/**
 * The replay gate's scoring of one golden case against what the real ask did. Pure and strict:
 * unlike the original's harness (spec/tests-and-gates.md), nothing here reads the case's expected
 * answer into the output; the ask never sees the case, only its `input_query`.
 *
 * Score 0-5:
 *   tools 0-2      every expected tool (mapped to ours) among the steps the ask ran: 2; more than
 *                  half: 1; else 0
 *   complete 0-2   2 x the share of positive constraints found in the answer or the tools' results
 *   grounded 0-1   every number in the answer is in a tool's result or the plan's arguments
 * A case passes with no automatic failure and a score of at least 4. Automatic failures: an
 * expected tool naming a capability we do not have; an invented figure; a claim of a send that did
 * not happen; a negative constraint's words in the answer; a secret from the request in the answer.
 */

/**
 * The original's tool names and ours: the alternatives any one of which does that job, or null
 * when we have no such capability (the case then fails; it is not skipped).
 */
export const ORIGINAL_TOOL_MAP: Readonly<Record<string, readonly string[] | null>> = {
  'IntentInterpreter.interpret': ['queen.understand'],
  'UnifiedGuardrails.validate_action': ['guardrails.authorize'],
  'UnifiedGuardrails.get_agent_permissions': ['agents.permissions'],
  'PermissionsConfigLoader.validate_config': ['agents.permissions'],
  // The request's own text read for danger (the refusals, the redaction), or a pasted copy read against the drafting
  // rules (the compliant footer, placeholders, the quality guard's spam, opener and generic-phrase rules).
  'AIDefense.analyze': ['queen.refusals', 'privacy.redact', 'copy.check'],
  'AIDefense.PIIDetector.scan': ['privacy.redact'],
  'AuditTrail.log_action': ['audit.trace'],
  'AuditTrail.get_logs': ['audit.search'],
  'AuditTrail.search_logs': ['audit.search'],
  'AuditTrail.get_daily_summary': ['audit.search'],
  'DebugMCP.debug_search_logs': ['audit.search'],
  'DebugMCP.debug_get_circuit_breaker_status': ['providers.health'],
  'UnifiedHealthMonitor.get_health_status': ['providers.health'],
  'Inngest.daily_health_check': ['incidents.open'],
  'UnifiedIntegrationGateway.get_status': ['providers.health'],
  'HealthAPI.get_queue_status': ['drafts.queue'],
  // The approval queue is where a request for approval waits (drafts for a person, then batches).
  'ApprovalEngine.submit_request': ['drafts.queue', 'batch.create'],
  'UnifiedRateLimiter.check_limit': ['limits.usage'],
  'Inngest.pipeline_scan': ['leads.status'],
  'UnifiedIntegrationGateway.execute:ghl.read_pipeline': ['leads.status'],
  'UnifiedIntegrationGateway.execute:ghl.read_contact': ['leads.search', 'score.describe'],
  // A query of the stored contacts: a lead search, or the website visitors mapped to the stored contacts they match.
  'UnifiedIntegrationGateway.execute:supabase.query': ['leads.search', 'visitors.contacts'],
  'UnifiedIntegrationGateway.execute:supabase.upsert': ['pipeline.run'],
  'BoundedHunterAgent.research': ['pipeline.run'],
  // Recorded by the send gateway as it sends; QUEEN records nothing against a limit.
  'UnifiedRateLimiter.record_action': null,
  // One named lead through the enrichment waterfall (Apollo, BetterContact, Clay), a confirmed write; a pipeline run enriches every lead it finds the same way.
  'UnifiedIntegrationGateway.execute:clay.enrich_contact': ['lead.enrich', 'pipeline.run'],
  'UnifiedIntegrationGateway.execute:ghl.send_email': null,
  'UnifiedIntegrationGateway.execute:ghl.trigger_workflow': null,
  // The GoHighLevel calendar the SCHEDULER books on: its free slots, and a booking as caio replies book does it.
  'UnifiedIntegrationGateway.execute:google_calendar.get_availability': ['calendar.slots'],
  'UnifiedIntegrationGateway.execute:google_calendar.create_event': ['calendar.book'],
  'UnifiedIntegrationGateway.execute:linkedin.get_profile': null,
  'UnifiedIntegrationGateway.execute:linkedin.get_company': null,
  'UnifiedIntegrationGateway.execute:supabase.rpc': null,
  'EnhancedGatekeeperQueue.approve': null,
  'Inngest.meeting_prep_trigger': ['meeting.brief'],
  // The learning report: rates per subject variant and angle with intervals, and the ICP weight suggestions.
  'Inngest.weekly_icp_analysis': ['learning.report'],
  'PatternAnalyzer.run_weekly_analysis': ['learning.report'],
  // Outcomes (opens, replies, meetings) are recorded as they happen; the learning report processes them into per-arm
  // rates, verdicts and ICP weight suggestions each time it is read. It suggests; no weight is changed from a request.
  'SelfAnnealingEngine.process_outcome': ['learning.report'],
  'SelfAnnealingEngine.judge': null,
  'MultiLayerFailsafe.execute_with_failsafe': null,
  // A reply given in the request is read by the reply understanding; without one, the stored replies and their classes.
  'EmailThreadingMCP.parse_thread': ['replies.classify', 'replies.recent'],
  'EmailThreadingMCP.detect_intent': ['replies.classify', 'replies.recent'],
  // One alert to the team's Slack channel, asked for now and confirmed (--yes); it reaches no prospect.
  'SlackMCP.send_alert': ['slack.alert'],
  'BoundedHunterAgent.search_rb2b': ['visitors.recent'],
  // The technologies enrichment stored for the lead's company (Apollo's technology names), read and scored; missing is said.
  'BoundedHunterAgent.analyze_tech_stack': ['leads.tech_stack'],
  // Every draft carries subject A and B: the running test is shown (learning.report), none is created from a request.
  'ABTestEngine.create_subject_test': ['learning.report'],
  // Signatures are checked at the door; a failed check is not stored or counted, so no tool can speak of it.
  'WebhookIngress.validate_signature': null,
};

export type GoldenCase = { id: string; input_query: string; expected_tools: string[]; positive_constraints: string[]; negative_constraints: string[] };

/** What the ask did, as the gate sees it. */
export type ReplayObservation = { answer: string; results: unknown; planArgs: unknown; steps: readonly string[] };

export type CaseScore = { id: string; score: number; passed: boolean; tools: number; completeness: number; grounded: number; autoFail: string[]; reasons: string[] };

export const PASS_SCORE = 4;

const squash = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

/** Numbers as written in prose: not digits glued to letters or underscores (tier_1, run ids, 06T04). */
const NUMBER = /(?<![\w.])\d+(?:[.,]\d+)*(?![\w])/g;

const NEGATED_BEFORE = /\b(?:nothing|not|never|no|none)\b[^.;]{0,20}$/;

/** A sentence that says something was sent, not negated ("nothing was sent" is not a claim). */
export const claimsASend = (answer: string): boolean => {
  const text = answer.toLowerCase();
  for (const m of text.matchAll(/\b(?:has been|have been|was|were|already|successfully)\s+(?:sent|dispatched|delivered)\b|\bsent (?:successfully|out)\b/g)) {
    if (!NEGATED_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) return true;
  }
  return false;
};

/** Numbers in the answer that appear in no tool result and no plan argument. */
export const inventedNumbers = (answer: string, results: unknown, planArgs: unknown): string[] => {
  // Compared as whole numbers, not substrings: "12" is not grounded by a "2026" somewhere in the results.
  const source = new Set([...`${JSON.stringify(results ?? null)} ${JSON.stringify(planArgs ?? null)}`.matchAll(NUMBER)].map((m) => m[0]));
  return [...new Set([...answer.matchAll(NUMBER)].map((m) => m[0]))].filter((n) => !source.has(n));
};

export const scoreCase = (c: GoldenCase, o: ReplayObservation): CaseScore => {
  const reasons: string[] = [];
  const autoFail: string[] = [];

  const missingCapabilities = c.expected_tools.filter((t) => ORIGINAL_TOOL_MAP[t] === null || ORIGINAL_TOOL_MAP[t] === undefined);
  for (const t of missingCapabilities) autoFail.push(`capability we do not have: ${t}${ORIGINAL_TOOL_MAP[t] === undefined ? ' (not in the mapping table)' : ''}`);
  const mapped = c.expected_tools.filter((t) => ORIGINAL_TOOL_MAP[t]);
  const hit = mapped.filter((t) => ORIGINAL_TOOL_MAP[t]!.some((ours) => o.steps.includes(ours)));
  const tools = mapped.length === 0 ? 0 : hit.length === mapped.length ? 2 : hit.length * 2 > mapped.length ? 1 : 0;
  reasons.push(`tools ${tools}/2: ${hit.length} of ${mapped.length} mapped expected tools ran${mapped.length > hit.length ? ` (missing: ${mapped.filter((t) => !hit.includes(t)).join(', ')})` : ''}`);

  const haystack = squash(`${o.answer} ${JSON.stringify(o.results ?? null)}`);
  const found = c.positive_constraints.filter((p) => haystack.includes(squash(p)));
  const completeness = c.positive_constraints.length ? Math.round((2 * found.length * 100) / c.positive_constraints.length) / 100 : 2;
  reasons.push(
    `completeness ${completeness}/2: ${found.length} of ${c.positive_constraints.length} positive constraints present${found.length < c.positive_constraints.length ? ` (absent: ${c.positive_constraints.filter((p) => !found.includes(p)).join(', ')})` : ''}`,
  );

  const invented = inventedNumbers(o.answer, o.results, o.planArgs);
  const grounded = invented.length === 0 ? 1 : 0;
  reasons.push(grounded ? 'grounded 1/1: every number in the answer comes from a tool result' : `grounded 0/1: numbers in no tool result: ${invented.join(', ')}`);
  if (invented.length) autoFail.push(`invented figures: ${invented.join(', ')}`);

  if (claimsASend(o.answer)) autoFail.push('claims a send that did not happen (QUEEN never sends)');
  for (const n of c.negative_constraints) {
    const core = squash(n.replace(/^do not\s+/i, '').replace(/\.$/, ''));
    if (core && squash(o.answer).includes(core)) autoFail.push(`negative constraint violated: ${n}`);
  }
  const leaked = redactText(o.answer).found.filter((f) => f !== 'e-mail or phone');
  if (leaked.length) autoFail.push(`secrets in the answer: ${leaked.join(', ')}`);

  const score = Math.round((tools + completeness + grounded) * 100) / 100;
  return { id: c.id, score, passed: autoFail.length === 0 && score >= PASS_SCORE, tools, completeness, grounded, autoFail, reasons };
};

export type ReplaySummary = { total: number; passed: number; failed: number; passRate: number; minPassRate: number; averageScore: number; blocked: boolean; results: CaseScore[] };

export const summarise = (results: CaseScore[], minPassRate: number): ReplaySummary => {
  const passed = results.filter((r) => r.passed).length;
  const passRate = results.length ? passed / results.length : 0;
  return {
    total: results.length,
    passed,
    failed: results.length - passed,
    passRate: Math.round(passRate * 10_000) / 10_000,
    minPassRate,
    averageScore: results.length ? Math.round((results.reduce((s, r) => s + r.score, 0) / results.length) * 100) / 100 : 0,
    // An empty set passes nothing: a gate over no cases must not open.
    blocked: results.length === 0 || passRate < minPassRate,
    results,
  };
};

/** The golden set's shape checked: five fields per case, the right types. */
export const parseGoldenSet = (value: unknown): GoldenCase[] => {
  if (!Array.isArray(value)) throw new Error('the golden set must be a JSON array of cases');
  return value.map((c: unknown, i) => {
    const x = c as Partial<GoldenCase> | null;
    const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
    if (!x || typeof x.id !== 'string' || typeof x.input_query !== 'string' || !strings(x.expected_tools) || !strings(x.positive_constraints) || !strings(x.negative_constraints))
      throw new Error(`case ${i + 1} must have id, input_query, expected_tools[], positive_constraints[] and negative_constraints[]`);
    return x as GoldenCase;
  });
};
