import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import { LEAD_STATUS_GROUPS } from '../../domain/signals/index.js';
import { AppError, HTTP_STATUS, isAppError } from '../../lib/app-error.js';
import type { DraftStatus } from '../../domain/approval/draft-status.js';
import type { KpiTargets } from '../../domain/kpis/kpi-events.js';
import type { FunnelCounts, LearningReport } from '../../domain/learning/index.js';
import type { BatchSendControls, CampaignControls, OperatorControls } from '../../dispatch/ports.js';
import type { ReviewQueueControls } from '../../jobs/ports.js';
import type { LeadDetailQuery, RunStore } from '../../pipeline/ports.js';
import type { Batch, BatchDecisions, ReviewDecisions } from '../../pipeline/review-ports.js';
import type { BatchOutlookItem } from '../../domain/approval/batch-outlook.js';
import type { ScopeItem } from '../../domain/approval/batch.js';
import type { BootstrapReport } from '../../signals/ports.js';
import type { DashboardQueries, SendBoardQueries, TimelineEntry } from '../../store/index.js';
import type { AgentActivityReport } from '../../domain/agents/activity.js';
import type { AskJson } from '../../queen/ports.js';
import type { ReplyDesk } from '../../domain/replies/meeting-brief.js';
import { API_OPERATIONS, routeOf, routeSchemaOf, type OperationId } from './openapi.js';
import * as S from './schemas.js';
import { outboxView } from './outbox-view.js';

/** The emergency stop as every dashboard page shows it (compose/stop-view.ts). */
export type StopView = {
  /** The stop in force, or null: from the control store, or EMERGENCY_STOP in the environment (setAt unknown). */
  current(): Promise<{ source: 'database' | 'environment'; reason: string | null; setBy: string; setAt: Date | null } | null>;
  /** Stops, reasons given afterwards and resumes, newest first (the audit log). */
  history(limit: number): Promise<{ at: Date; by: string; action: string; reason: string | null }[]>;
  /** The pagers really configured (Slack, SMS, e-mail); empty: escalations reach only the log. */
  pagers: string[];
};

/** A pending batch as a person decides it: item by item with predicted outcomes, and leaving items out. */
export type BatchScopeControls = {
  outlook(batchId: string): Promise<{ batch: Batch; items: BatchOutlookItem[]; stopped: boolean; stopReason: string | null }>;
  exclude(batchId: string, items: number[], by: string): Promise<{ batch: Batch; previous: Batch; excluded: ScopeItem[] }>;
};

/** What the API and the pages drive: the use cases through their ports, the store's read models. */
export type ApiDeps = {
  review: ReviewDecisions;
  runs: RunStore;
  leadDetail: LeadDetailQuery;
  timeline: (leadId: string, limit: number) => Promise<TimelineEntry[]>;
  statusCounts: () => Promise<Record<string, number>>;
  operatorStatus: () => Promise<Record<string, unknown>>;
  operator: OperatorControls;
  /** The campaigns we created, and their activation by a person (the same use case as `caio campaigns activate`). */
  campaigns: CampaignControls;
  dashboard: DashboardQueries;
  gatekeeper: BatchDecisions;
  /** Approving a batch sends it to the end (or schedules it for the send window); the batches as they stand. */
  batchSend: BatchSendControls;
  /** What a pending batch would do item by item (the OPERATOR's dry run), and leaving items out of it (issue 21 item 3). */
  batchScope: BatchScopeControls;
  /** What approving a draft enables: its tier's routing and the cadence's steps (config). */
  approvalScope: { tierRouting: Record<string, readonly string[]>; cadenceSteps: readonly { step: number; day: number; channel: 'email' | 'linkedin'; action: string }[] };
  /** The outbox by state, with the campaign each Instantly item went to. */
  sendBoard: Pick<SendBoardQueries, 'outbox'>;
  detectDecay: (dryRun: boolean) => Promise<unknown[]>;
  cadence: { counts: () => Promise<Record<string, number>>; due: () => Promise<unknown[]>; sync: () => Promise<unknown[]> };
  runPipeline: (limit: number) => Promise<Record<string, unknown>>;
  queueWatcher: ReviewQueueControls;
  bootstrapLeads: (options: { dryRun: boolean; limit: number }) => Promise<BootstrapReport>;
  /** Targets (config `kpis.targets`) and the trailing window of the rates over time. */
  kpis: { targets: KpiTargets; trailingDays: number };
  /** The /kpis pictures (docs/learning.md): the learning report over the last `days` and the funnel of the leads discovered since `since`. */
  learning?: { report: (now: Date, days: number) => Promise<LearningReport>; funnel: (since: Date) => Promise<FunnelCounts> };
  /** Open escalation incidents. */
  incidents: () => Promise<unknown[]>;
  /** QUEEN's ask (the same use case and JSON as `caio ask --json`). */
  ask: (request: string, options: { confirm: boolean; by: string }) => Promise<AskJson>;
  /** What each agent role did in the last 24 hours (the same use case as `caio agents status`). */
  agentsStatus: () => Promise<AgentActivityReport>;
  /** Prospects' replies (compose/replies-view.ts): the conversations, live slots, booking by hand, the meeting brief. */
  replies: ReplyDesk;
  now: () => Date;
  stopView: StopView;
};

/** The same use cases as the CLI; AppError codes become HTTP statuses, zod problems a 400 naming the parameter. */
const answer = async (reply: FastifyReply, work: () => Promise<unknown>) => {
  try {
    return reply.send(await work());
  } catch (error) {
    if (error instanceof z.ZodError) return reply.code(400).send({ error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), code: 'INVALID_INPUT' });
    if (isAppError(error)) return reply.code(HTTP_STATUS[error.code]).send({ error: error.message, code: error.code });
    throw error;
  }
};

/**
 * The funnel the API gives: every lead status falls in one stage, and only leads we contacted count
 * past "Pipeline" (issue 21 item 7): a CRM re-contact candidate, or one queued for a revival draft,
 * has not been contacted yet; a lead handed to a provider (`dispatched`, `sent`) has.
 */
const CONTACTED = ['dispatched', 'sent', 'linkedin_sent', 'linkedin_connected', 'revival_sent'] as const;
export const FUNNEL_STAGES = {
  Pipeline: [...LEAD_STATUS_GROUPS.pipeline.filter((s) => !(CONTACTED as readonly string[]).includes(s)), 'revival_candidate', 'revival_queued'],
  Outreach: CONTACTED,
  Engaged: [...LEAD_STATUS_GROUPS.engagement, 'linkedin_replied'],
  'At risk': [...LEAD_STATUS_GROUPS.decay, 'linkedin_exhausted'],
  Terminal: LEAD_STATUS_GROUPS.terminal,
} as const;

type ApiRequest = FastifyRequest<{ Params: Record<string, string> }>;

/**
 * Each documented operation's handler: its use case, the request parsed with the operation's
 * schemas (schemas.ts). The document is the one @fastify/swagger builds from the routes of `app`.
 */
const handlersOf = (app: FastifyInstance, deps: ApiDeps): Record<OperationId, (req: ApiRequest) => Promise<unknown>> => ({
  getOpenApiDocument: async () => app.swagger(),
  listPendingEmails: async (req) => deps.review.list({ limit: S.Limit.parse(req.query).limit }),
  listRejectionTags: async () => REJECTION_TAGS,
  approveEmail: async (req) => {
    const body = S.Approve.parse(req.body ?? {});
    const edit = body.subject !== undefined || body.body !== undefined ? { subject: body.subject, body: body.body } : undefined;
    return deps.review.approve({ draftId: S.DraftParams.parse(req.params).id, by: body.by, ...(edit ? { edit } : {}), ...(body.expectedStatus ? { expectedStatus: body.expectedStatus as DraftStatus } : {}) });
  },
  rejectEmail: async (req) => {
    const body = S.Reject.parse(req.body ?? {});
    return deps.review.reject({ draftId: S.DraftParams.parse(req.params).id, by: body.by, reason: body.reason, tag: body.tag, ...(body.expectedStatus ? { expectedStatus: body.expectedStatus as DraftStatus } : {}) });
  },
  undoEmailDecision: async (req) => deps.review.undo({ draftId: S.DraftParams.parse(req.params).id, by: S.Reopen.parse(req.body ?? {}).by }),
  reopenEmail: async (req) => deps.review.reopen({ draftId: S.DraftParams.parse(req.params).id, by: S.Reopen.parse(req.body ?? {}).by }),
  listDecidedToday: async (req) => deps.review.decidedToday(S.DecidedToday.parse(req.query).limit),
  getLeadFunnel: async () => {
    const counts = await deps.statusCounts();
    const stages = Object.entries(FUNNEL_STAGES).map(([stage, statuses]) => ({ stage, count: (statuses as readonly string[]).reduce((n, s) => n + (counts[s] ?? 0), 0) }));
    return { stages, byStatus: counts };
  },
  getLeadStatusSummary: () => deps.statusCounts(),
  getLeadTimeline: async (req) => {
    // Fastify decoded the path once; decoding again turned `%25` (a '%') into a URIError, a 500.
    const { email } = S.LeadEmailParams.parse(req.params);
    const detail = await deps.leadDetail.detailByEmail(email);
    if (!detail) throw new AppError('NOT_FOUND', 'no such lead');
    return { leadId: detail.lead.id, status: detail.lead.status, timeline: await deps.timeline(detail.lead.id, S.Limit.parse(req.query).limit) };
  },
  getOperatorStatus: () => deps.operatorStatus(),
  emergencyStop: async (req) => {
    const body = S.Stop.parse(req.body ?? {});
    return deps.operator.stop(body.by, body.reason);
  },
  explainEmergencyStop: async (req) => {
    const body = S.StopReason.parse(req.body ?? {});
    return deps.operator.explainStop(body.by, body.reason);
  },
  resumeSending: async (req) => deps.operator.resume(S.Resume.parse(req.body ?? {}).by),
  listReviewHistory: async (req) => deps.dashboard.reviewHistory(S.History.parse(req.query).limit),
  listLeads: async (req) => deps.dashboard.leadsPage(S.LeadPage.parse(req.query)),
  detectLeadDecay: async (req) => ({ findings: await deps.detectDecay(S.DetectDecay.parse(req.body ?? {}).dry_run) }),
  bootstrapLeadTimelines: async (req) => {
    const body = S.Bootstrap.parse(req.body ?? {});
    return deps.bootstrapLeads({ dryRun: body.dry_run, limit: body.limit });
  },
  getQueueWatcherStatus: () => deps.queueWatcher.status(),
  triggerQueueWatcher: async (req) => deps.queueWatcher.run(S.WatcherTrigger.parse(req.body ?? {})),
  getKpis: async (req) => {
    const now = deps.now();
    return { ...(await deps.dashboard.kpis(new Date(now.getTime() - (S.Days.parse(req.query).days - 1) * 86_400_000), now, deps.kpis.trailingDays)), targets: deps.kpis.targets };
  },
  triggerOperator: async (req) => {
    const body = S.Trigger.parse(req.body ?? {});
    return deps.operator.dispatch({ motion: body.motion, live: !body.dry_run, by: body.by, ...(body.batchId ? { batchId: body.batchId } : {}) });
  },
  getPendingBatch: async () => (await deps.gatekeeper.list(50)).find((b) => b.status === 'pending_approval' && b.expiresAt > deps.now()) ?? { status: 'no_pending_batch' },
  listBatchHistory: async (req) => (await deps.gatekeeper.list(S.BatchHistory.parse(req.query).limit)).filter((b) => b.status === 'executed' || b.status === 'rejected'),
  approveBatch: async (req) => deps.gatekeeper.approve(S.BatchParams.parse(req.params).id, S.BatchDecision.parse(req.body ?? {}).by),
  rejectBatch: async (req) => {
    const { id } = S.BatchParams.parse(req.params);
    const body = S.BatchReject.parse(req.body ?? {});
    return deps.gatekeeper.reject(id, body.by, body.reason);
  },
  listIncidents: () => deps.incidents(),
  getBatchOutlook: async (req) => deps.batchScope.outlook(S.BatchParams.parse(req.params).id),
  excludeBatchItems: async (req) => {
    const body = S.BatchExclude.parse(req.body ?? {});
    const done = await deps.batchScope.exclude(S.BatchParams.parse(req.params).id, body.items, body.by);
    const message = `Left out ${done.excluded.length} item${done.excluded.length === 1 ? '' : 's'}: batch ${done.batch.id.slice(0, 8)} now holds ${done.batch.scope.length} (a new scope hash); the items left out wait for the next batch and their drafts stay approved.`;
    return { batch: done.batch, previousBatchId: done.previous.id, excluded: done.excluded.length, message };
  },
  approveAndSendBatch: async (req) => deps.batchSend.approveAndSend(S.BatchParams.parse(req.params).id, S.BatchSendRequest.parse(req.body ?? {}).by),
  listOperatorBatches: async (req) => deps.batchSend.board(S.BatchHistory.parse(req.query).limit),
  listOutbox: async (req) => {
    const board = await deps.sendBoard.outbox(S.OutboxQuery.parse(req.query).limit);
    return { counts: board.counts, items: outboxView(board.items, deps.now()) };
  },
  listCampaigns: () => deps.campaigns.list(),
  activateCampaign: async (req) => deps.campaigns.activate(S.CampaignParams.parse(req.params).externalId, S.CampaignActivate.parse(req.body ?? {}).by),
  getCadenceSummary: () => deps.cadence.counts(),
  listCadenceDue: () => deps.cadence.due(),
  syncCadence: async () => ({ changed: await deps.cadence.sync() }),
  startRun: async (req) => deps.runPipeline(S.RunRequest.parse(req.body ?? {}).limit),
  askQueen: async (req) => {
    const body = S.AskRequest.parse(req.body ?? {});
    return deps.ask(body.request, { confirm: body.confirm, by: body.by });
  },
  getAgentsStatus: () => deps.agentsStatus(),
  listReplies: async (req) => deps.replies.list(S.RepliesQuery.parse(req.query)),
  getReply: async (req) => {
    const reply = await deps.replies.show(S.ReplyParams.parse(req.params).id);
    if (!reply) throw new AppError('NOT_FOUND', 'no such reply');
    return reply;
  },
  listReplySlots: async (req) => deps.replies.slots(S.ReplyParams.parse(req.params).id),
  bookReply: async (req) => {
    const body = S.ReplyBookRequest.parse(req.body ?? {});
    return deps.replies.book(S.ReplyParams.parse(req.params).id, { slot: new Date(body.slot), by: body.by });
  },
  getReplyBrief: async (req) => deps.replies.brief(S.ReplyParams.parse(req.params).id),
  listRuns: async (req) => deps.runs.list(S.Limit.parse(req.query).limit),
  getRun: async (req) => {
    const run = await deps.runs.get(S.RunParams.parse(req.params).id);
    if (!run) throw new AppError('NOT_FOUND', 'no such run');
    return run;
  },
});

/**
 * Every operation of API_OPERATIONS (openapi.ts) is registered from it, with the schema that
 * @fastify/swagger (registered on `app` before) documents it by: the document and the routes cannot differ.
 */
export const registerApiRoutes = (app: FastifyInstance, deps: ApiDeps): void => {
  const handlers = handlersOf(app, deps);
  for (const op of API_OPERATIONS) {
    const handler = handlers[op.operationId];
    app.route<{ Params: Record<string, string> }>({ method: op.method.toUpperCase(), url: routeOf(op.path), schema: routeSchemaOf(op), handler: async (req, reply) => answer(reply, () => handler(req)) });
  }
};
