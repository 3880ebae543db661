/**
 * What QUEEN's ask use case reads and drives, declared here and handed in by the composition root
 * (src/compose/queen.ts) from the app's stores and use cases. Every figure QUEEN states comes from
 * one of these answers; none of them sends, approves or lifts the emergency stop (the ports simply
 * have no such call).
 */
import type { IcpSettings } from '../domain/scoring/settings.js';
import type { ActivityEntry, ActivityRun } from '../domain/agents/activity.js';
import type { AuditEntry } from '../pipeline/ports.js';
import type {
  BookingRow,
  EnrichRow,
  IncidentRow,
  KpiRow,
  LeadQuery,
  LeadRow,
  LearningRow,
  LimitsRow,
  MeetingsFound,
  ProviderHealthRow,
  RejectionRow,
  ReplyRow,
  RunRow,
  SlackAlertRow,
  SlotsRow,
  TechStackRow,
  ToolOutcome,
  VisitorContactRow,
  VisitorsFound,
  WebhooksRow,
} from '../domain/queen/results.js';
import type { DraftPreviewSettings } from '../domain/queen/draft-preview.js';
import type { ToolCall } from '../domain/queen/index.js';

export type { IncidentRow, KpiRow, LeadQuery, LeadRow, LimitsRow, ProviderHealthRow, RunRow } from '../domain/queen/results.js';

export type QueenReads = {
  leads(query: LeadQuery): Promise<LeadRow[]>;
  leadStatusCounts(): Promise<Record<string, number>>;
  draftStatusCounts(): Promise<Record<string, number>>;
  runs(limit: number): Promise<RunRow[]>;
  kpis(days: number): Promise<KpiRow>;
  cadenceCounts(): Promise<Record<string, number>>;
  incidents(): Promise<IncidentRow[]>;
  providerHealth(): Promise<ProviderHealthRow>;
  audit(since: Date, limit: number): Promise<AuditEntry[]>;
  limits(): Promise<LimitsRow>;
  /** The latest stored replies (the replies read model), newest first, optionally of one class. */
  replies(query: { class: string | null; limit: number }): Promise<ReplyRow[]>;
  /** Free slots of the SCHEDULER's calendar in the reply's time zone (the owner's without a reply); `calendar: false` when none is connected. */
  calendarSlots(query: { replyId: string | null; days: number; timeZone: string | null }): Promise<SlotsRow>;
  /** One reply's meeting brief, or the meetings booked in the next `hours` with their briefs. */
  meetings(query: { replyId: string | null; hours: number }): Promise<MeetingsFound>;
  /** The learning report over the last `days` days, as QUEEN shows it. */
  learning(days: number): Promise<LearningRow>;
  /** RB2B website visitors recorded as leads, newest first. */
  visitors(limit: number): Promise<VisitorsFound>;
  /** Leads with website visits on their timeline (any source), most recent visit first: the visitors' contact mapping. */
  visitorContacts(limit: number): Promise<VisitorContactRow[]>;
  /** Webhook deliveries stored since `since`, counted by provider and status. */
  webhooks(since: Date): Promise<Omit<WebhooksRow, 'sinceHours' | 'since'>>;
  /** The company technologies stored for the leads a query finds (enrichment's, with their provider). */
  techStack(query: LeadQuery): Promise<TechStackRow[]>;
  /** The latest rejections of drafts by reviewers (the rejection memory), newest first. */
  rejections(limit: number): Promise<RejectionRow[]>;
};

export type QueenActs = {
  /** `source`: Apollo discovery, or the RB2B website visitors the webhook recorded (`caio pipeline run --source rb2b`). */
  runPipeline(limit: number, by: string, source: 'apollo' | 'rb2b'): Promise<{ runId: string; status: string; leads: number; drafts: number; tiers: Record<string, number> }>;
  createBatch(by: string): Promise<{ batchId: string; items: number; expiresAt: string }>;
  pauseCampaign(campaign: string, by: string): Promise<{ campaign: string; provider: string; status: string }>;
  setEmergencyStop(reason: string, by: string): Promise<{ at: string; paused: Record<string, string | number> }>;
  /** Book a reply's slot through the same use case as `caio replies book` (the slot given, else the reply's first proposed time). */
  bookReply(replyId: string, slot: string | null, by: string): Promise<BookingRow>;
  /** Enrich one stored lead (by id or e-mail) through the pipeline's enrichment waterfall (src/pipeline/enrich-one-lead.ts). */
  enrichLead(lead: { id: string | null; email: string | null }, by: string): Promise<EnrichRow>;
  /** Post one alert to the team's Slack webhook; `posted: false` with the reason when none is configured. */
  postSlackAlert(text: string, by: string): Promise<SlackAlertRow>;
};

/** One of QUEEN's tools as the LLM planner offers it (llm-tools.ts): its API name, what it does, its arguments' JSON Schema. */
export type PlannerTool = { name: string; description: string; inputSchema: Record<string, unknown> };

/** What the model answered, as written: its tool calls (a malformed one with a null name) and no prose. */
export type PlannerAnswer = {
  model: string;
  messageId: string;
  stopReason: string | null;
  toolCalls: { name: string | null; input: unknown }[];
  textChars: number;
  usage: { inputTokens: number; outputTokens: number };
};

/** The optional LLM planner (ANTHROPIC_API_KEY and queen.llm.enabled); absent, the grammar alone reads asks. */
export type QueenPlanner = {
  model: string;
  plan(input: { request: string; system: string; tools: PlannerTool[] }): Promise<PlannerAnswer>;
};

export type QueenLog = { warn(details: Record<string, unknown>, message: string): void };

export type QueenDeps = {
  /** Asks the grammar does not understand go to it when present (src/queen/llm-planner.ts). */
  planner?: QueenPlanner;
  /** Where a planner failure is logged (without secrets); silent when absent. */
  log?: QueenLog;
  reads: QueenReads;
  acts: QueenActs;
  /** Where each ask's trace goes (the audit log). */
  audit: { append(entry: AuditEntry): Promise<void> };
  icp: IcpSettings;
  /** What CRAFTER drafts with (the sender and footer, the quality guard, the cadence's steps, the tier routing): the copy check and the draft preview read them. */
  drafting: DraftPreviewSettings;
  /** The owner's time zone and business hours: a reply text given in a request is read against them. */
  replyContext: { timeZone: string };
  clock: { now(): Date };
  /** A trace id; random in production, counted in tests. */
  newTraceId: () => string;
};

/** What `caio agents status` and the /agents page read: the audit log (QUEEN's traces included) and the runs' stages. */
export type AgentsStatusDeps = {
  /**
   * The audit log between `since` and `until` as the activity report needs it: entries whose
   * action alone says what they were, one per actor and action with their `count` and the newest
   * `at`; QUEEN's asks (whose details say whether they were refused and which calls failed) one by
   * one, oldest first, at most `askLimit`.
   */
  activity(since: Date, until: Date, askLimit: number): Promise<ActivityEntry[]>;
  /** Runs started at or after `since`, with each stage's status, output and error count. */
  runs(since: Date): Promise<ActivityRun[]>;
  clock: { now(): Date };
};

/** An ask as `caio ask --json` prints it and `POST /api/ask` answers it (ask.ts, toAskJson). */
export type AskJson = {
  intent: string;
  refused: boolean;
  reason: string | null;
  plan: ToolCall[];
  results: Record<string, unknown>;
  answer: string;
  traceId: string;
  /** The plan writes and was not confirmed: its writes were held. */
  needsConfirmation: boolean;
  /** Each call's outcome, without its result (which `results` holds). */
  calls: Omit<ToolOutcome, 'result'>[];
};
