import type { FastifyDynamicSwaggerOptions, SwaggerOptions, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { z } from 'zod';
import * as S from './schemas.js';
import type { Role } from '../../lib/session.js';

/**
 * The dashboard API described (OpenAPI 3.1, served at GET /api/docs) from the zod schemas the
 * routes parse with and the schemas of what they answer (schemas.ts). `API_OPERATIONS` is the one
 * list: each route is registered from it (routes.ts) with a Fastify `schema` converted from those
 * zod schemas (`routeSchemaOf`), and `@fastify/swagger` (registered on the api plugin with
 * `swaggerOptions`) builds the document from the registered routes. The tests check that every
 * documented operation is a registered route and the reverse, lint the document with Redocly's
 * recommended rules, generate the typed client's types from it and check every answer against
 * the response schema.
 */

/** The error statuses an operation may answer besides the ones every operation has (401, 500). */
type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 423 | 502 | 503;

const TAGS = {
  review: 'Drafts waiting for a person: approve (optionally edited) or reject with a tag.',
  leads: 'Leads: pages, the funnel, a timeline, decay detection, timeline repair.',
  'queue watcher': 'Keeps enough drafts waiting for review by running the pipeline.',
  kpis: 'Engagement rates against the targets.',
  operator: 'The OPERATOR: dispatch runs, batches for approval, the emergency stop, limits and incidents.',
  cadence: 'The follow-up cadence: enrolments, due steps, missed exits.',
  runs: 'Pipeline runs.',
  queen: 'QUEEN: asks in plain words under the agent permission registry, and what the agent roles did.',
  replies: "Prospects' replies: the conversations, live calendar slots, booking by hand and the meeting brief (the suggested answer is decided with the review operations).",
  docs: 'This document.',
} as const;

export type ApiOperation = {
  method: 'get' | 'post';
  /** The OpenAPI path (`{param}`); the route is the same path with `:param`. */
  path: `/api/${string}`;
  operationId: string;
  tag: keyof typeof TAGS;
  summary: string;
  /** The path parameters (their descriptions are the schemas' own, schemas.ts). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The 200 answer. */
  response: z.ZodType;
  /** What the 200 answer is. */
  returns: string;
  errors: readonly ErrorStatus[];
  /** Reads or writes the database (503 when it is unreachable). @defaultValue true */
  db?: boolean;
  /** The least role a person logged in by name needs (auth.ts; 403 FORBIDDEN, audited, below it); the token acts as admin. */
  role?: Role;
};

/** Refusals of the decisions: 404 unknown id, 409 a stale or illegal transition. */
const DECISION = [404, 409] as const;

export const API_OPERATIONS = [
  {
    method: 'get',
    path: '/api/pending-emails',
    operationId: 'listPendingEmails',
    tag: 'review',
    summary: 'Drafts waiting for review, best leads first',
    query: S.Limit,
    response: z.array(S.ReviewDraft),
    returns: 'the drafts',
    errors: [400],
  },
  {
    method: 'post',
    path: '/api/emails/{id}/approve',
    operationId: 'approveEmail',
    tag: 'review',
    summary: 'Approve a draft, optionally with an edited subject or body',
    params: S.DraftParams,
    body: S.Approve,
    response: S.ReviewDraft,
    returns: 'the approved draft',
    errors: DECISION,
  },
  {
    method: 'post',
    path: '/api/emails/{id}/reject',
    operationId: 'rejectEmail',
    tag: 'review',
    summary: 'Reject a draft with a reason and one of the rejection tags',
    params: S.DraftParams,
    body: S.Reject,
    response: S.ReviewDraft,
    returns: 'the rejected draft',
    errors: DECISION,
  },
  {
    method: 'post',
    path: '/api/emails/{id}/undo',
    operationId: 'undoEmailDecision',
    tag: 'review',
    summary: 'Undo a decision within 10 seconds of it, by the person who made it, if the draft is not yet in a batch',
    params: S.DraftParams,
    body: S.Reopen,
    response: S.ReviewDraft,
    returns: 'the draft, back in the queue',
    errors: DECISION,
  },
  {
    method: 'post',
    path: '/api/emails/{id}/reopen',
    operationId: 'reopenEmail',
    tag: 'review',
    summary: 'Put a decided draft back in the review queue, if it is not yet in a batch',
    params: S.DraftParams,
    body: S.Reopen,
    response: S.ReviewDraft,
    returns: 'the draft, back in the queue',
    errors: DECISION,
  },
  {
    method: 'get',
    path: '/api/emails/decided-today',
    operationId: 'listDecidedToday',
    tag: 'review',
    summary: 'Drafts decided today and the review counters',
    query: S.DecidedToday,
    response: S.DecidedTodayPage,
    returns: 'the decided drafts and the counters',
    errors: [400],
  },
  { method: 'get', path: '/api/rejection-tags', operationId: 'listRejectionTags', tag: 'review', summary: 'The rejection tags', response: z.array(S.RejectionTag), returns: 'the tags a rejection must carry one of', errors: [], db: false },
  {
    method: 'get',
    path: '/api/emails/history',
    operationId: 'listReviewHistory',
    tag: 'review',
    summary: 'Reviewed drafts, newest decision first',
    query: S.History,
    response: z.array(S.ReviewHistoryEntry),
    returns: 'the decisions',
    errors: [400],
  },
  {
    method: 'get',
    path: '/api/leads',
    operationId: 'listLeads',
    tag: 'leads',
    summary: 'A page of leads (filters, cursor pagination)',
    query: S.LeadPage,
    response: S.LeadsPage,
    returns: 'the page and the cursor of the next one',
    errors: [400],
  },
  { method: 'get', path: '/api/leads/funnel', operationId: 'getLeadFunnel', tag: 'leads', summary: 'Leads per funnel stage and per status', response: S.Funnel, returns: 'the funnel', errors: [] },
  { method: 'get', path: '/api/leads/status-summary', operationId: 'getLeadStatusSummary', tag: 'leads', summary: 'Leads per status', response: S.StatusCounts, returns: 'the count per status', errors: [] },
  {
    method: 'get',
    path: '/api/leads/{email}/timeline',
    operationId: 'getLeadTimeline',
    tag: 'leads',
    summary: "One lead's activity, newest first",
    params: S.LeadEmailParams,
    query: S.Limit,
    response: S.LeadTimeline,
    returns: 'the lead, its status and its timeline',
    errors: [400, 404],
  },
  { method: 'post', path: '/api/leads/detect-decay', operationId: 'detectLeadDecay', tag: 'leads', summary: 'Run decay detection (dry_run reports only)', body: S.DetectDecay, response: S.DecayReport, returns: 'the findings', errors: [] },
  {
    method: 'post',
    path: '/api/leads/bootstrap',
    operationId: 'bootstrapLeadTimelines',
    tag: 'leads',
    summary: 'Record on lead timelines every accepted send missing from them (status, cadence, KPIs follow); safe to repeat',
    body: S.Bootstrap,
    response: S.BootstrapReport,
    returns: 'what was missing and what was recorded',
    errors: [],
  },
  {
    method: 'get',
    path: '/api/queue-watcher/status',
    operationId: 'getQueueWatcherStatus',
    tag: 'queue watcher',
    summary: 'Drafts waiting for review against the low-water mark and target',
    response: S.QueueWatcherStatus,
    returns: 'the count and the thresholds',
    errors: [],
  },
  {
    method: 'post',
    path: '/api/queue-watcher/trigger',
    operationId: 'triggerQueueWatcher',
    tag: 'queue watcher',
    summary: 'Top the review queue up now with a pipeline run (force: whatever the count)',
    body: S.WatcherTrigger,
    response: S.QueueTopUp,
    returns: 'whether it topped up, and the run',
    errors: [409, 502],
  },
  {
    method: 'get',
    path: '/api/kpis',
    operationId: 'getKpis',
    tag: 'kpis',
    summary: 'Engagement rates against targets over the last `days` UTC days (today included): totals, per day (trailing rates), per campaign, per angle',
    query: S.Days,
    response: S.Kpis,
    returns: 'the KPIs',
    errors: [400],
  },
  { method: 'get', path: '/api/operator/status', operationId: 'getOperatorStatus', tag: 'operator', summary: 'Limits, warm-up, ramp, emergency stop, batches, outbox', response: S.OperatorStatus, returns: 'the status', errors: [] },
  {
    method: 'post',
    path: '/api/operator/trigger',
    operationId: 'triggerOperator',
    role: 'operator',
    tag: 'operator',
    summary: 'Run the OPERATOR (a dry run unless dry_run is false)',
    body: S.Trigger,
    response: z.union([S.DispatchReport, S.DispatchQueued]),
    returns: 'the report, or the job a worker runs it as',
    errors: [404, 409, 423, 502],
  },
  {
    method: 'get',
    path: '/api/operator/pending-batch',
    operationId: 'getPendingBatch',
    tag: 'operator',
    summary: 'The batch waiting for approval',
    response: z.union([S.Batch, S.NoPendingBatch]),
    returns: 'the batch, or `{status: no_pending_batch}`',
    errors: [],
  },
  {
    method: 'post',
    path: '/api/operator/batches/{id}/send',
    operationId: 'approveAndSendBatch',
    role: 'operator',
    tag: 'operator',
    summary: 'Approve a batch and send it to the end: executed through the OPERATOR now, or scheduled for the next send window',
    params: S.BatchParams,
    body: S.BatchSendRequest,
    response: S.BatchSendOutcome,
    returns: 'what happened (executed with counts, executing, scheduled with the time, approved in shadow mode, or already decided)',
    errors: [404, 409, 423, 502],
  },
  {
    method: 'get',
    path: '/api/operator/batches/{id}/outlook',
    operationId: 'getBatchOutlook',
    tag: 'operator',
    summary: "A batch item by item: each item's message and its predicted outcome under today's guards (the OPERATOR's dry run; nothing is written)",
    params: S.BatchParams,
    response: S.BatchOutlook,
    returns: 'the batch and its items with their predicted outcomes',
    errors: [400, 404],
  },
  {
    method: 'post',
    path: '/api/operator/batches/{id}/exclude',
    operationId: 'excludeBatchItems',
    role: 'operator',
    tag: 'operator',
    summary: 'Leave items out of a pending batch before approving it: the batch is re-frozen without them (a new batch, a new scope hash); the items left out wait for the next batch',
    params: S.BatchParams,
    body: S.BatchExclude,
    response: S.BatchExcluded,
    returns: 'the new batch and how many items were left out',
    errors: [400, 404, 409],
  },
  {
    method: 'get',
    path: '/api/operator/batches',
    operationId: 'listOperatorBatches',
    tag: 'operator',
    summary: 'The newest batches with how each stands (pending, approved, scheduled, executing, executed with counts, rejected, expired)',
    query: S.BatchHistory,
    response: z.array(S.BatchBoardRow),
    returns: 'the batches, newest first',
    errors: [400],
  },
  {
    method: 'get',
    path: '/api/outbox',
    operationId: 'listOutbox',
    tag: 'operator',
    summary: 'The outbox by state: queued, deferred (until, why), sent or handed to a draft campaign, refused by a guard, failed, uncertain',
    query: S.OutboxQuery,
    response: S.OutboxBoard,
    returns: 'the newest items and the count of each status',
    errors: [400],
  },
  { method: 'get', path: '/api/campaigns', operationId: 'listCampaigns', tag: 'operator', summary: 'The campaigns and lists we created', response: z.array(S.Campaign), returns: 'the campaigns, newest first', errors: [] },
  {
    method: 'post',
    path: '/api/campaigns/{externalId}/activate',
    operationId: 'activateCampaign',
    role: 'operator',
    tag: 'operator',
    summary: 'Start sending a draft Instantly campaign (only a person does this)',
    params: S.CampaignParams,
    body: S.CampaignActivate,
    response: S.Campaign,
    returns: 'the activated campaign',
    errors: [404, 409, 423],
  },
  {
    method: 'post',
    path: '/api/operator/approve-batch/{id}',
    operationId: 'approveBatch',
    role: 'operator',
    tag: 'operator',
    summary: 'Approve a batch',
    params: S.BatchParams,
    body: S.BatchDecision,
    response: S.Batch,
    returns: 'the approved batch',
    errors: DECISION,
  },
  {
    method: 'post',
    path: '/api/operator/reject-batch/{id}',
    operationId: 'rejectBatch',
    role: 'operator',
    tag: 'operator',
    summary: 'Reject a batch',
    params: S.BatchParams,
    body: S.BatchReject,
    response: S.Batch,
    returns: 'the rejected batch',
    errors: DECISION,
  },
  {
    method: 'get',
    path: '/api/incidents',
    operationId: 'listIncidents',
    tag: 'operator',
    summary: 'Open incidents: what failed, since when, the level reached and paged',
    response: z.array(S.Incident),
    returns: 'the open incidents',
    errors: [],
  },
  {
    method: 'get',
    path: '/api/operator/history',
    operationId: 'listBatchHistory',
    tag: 'operator',
    summary: 'Executed and rejected batches',
    query: S.BatchHistory,
    response: z.array(S.Batch),
    returns: 'the batches, newest first',
    errors: [400],
  },
  { method: 'get', path: '/api/cadence/summary', operationId: 'getCadenceSummary', tag: 'cadence', summary: 'Cadence enrolments by status', response: S.StatusCounts, returns: 'the count per status', errors: [] },
  { method: 'get', path: '/api/cadence/due', operationId: 'listCadenceDue', tag: 'cadence', summary: 'Cadence steps due now', response: z.array(S.CadenceDue), returns: 'per lead, the steps due and the ones a condition skips', errors: [] },
  { method: 'post', path: '/api/cadence/sync', operationId: 'syncCadence', tag: 'cadence', summary: 'Apply exits the live hooks missed', response: S.CadenceSync, returns: 'the enrolments that changed', errors: [] },
  {
    method: 'post',
    path: '/api/emergency-stop',
    operationId: 'emergencyStop',
    role: 'operator',
    tag: 'operator',
    summary: 'Stop all sending',
    body: S.Stop,
    response: S.EmergencyStopResult,
    returns: 'when, and the live campaigns paused',
    errors: [],
  },
  {
    method: 'post',
    path: '/api/emergency-stop/reason',
    operationId: 'explainEmergencyStop',
    role: 'operator',
    tag: 'operator',
    summary: 'Give (or correct) the reason of the emergency stop in force',
    body: S.StopReason,
    response: S.StopReasonResult,
    returns: 'when, and the reason now recorded',
    errors: [400, 409],
  },
  { method: 'post', path: '/api/resume', operationId: 'resumeSending', role: 'operator', tag: 'operator', summary: 'Clear the emergency stop', body: S.Resume, response: S.ResumeResult, returns: 'when', errors: [] },
  { method: 'get', path: '/api/runs', operationId: 'listRuns', tag: 'runs', summary: 'Pipeline runs, newest first', query: S.Limit, response: z.array(S.RunRecord), returns: 'the runs', errors: [400] },
  { method: 'post', path: '/api/runs', operationId: 'startRun', tag: 'runs', summary: 'Run the pipeline', body: S.RunRequest, response: S.RunStarted, returns: 'the run', errors: [409, 502] },
  { method: 'get', path: '/api/runs/{id}', operationId: 'getRun', tag: 'runs', summary: 'One pipeline run', params: S.RunParams, response: S.RunRecord, returns: 'the run', errors: [404] },
  {
    method: 'post',
    path: '/api/ask',
    operationId: 'askQueen',
    tag: 'queen',
    summary: 'Ask QUEEN in plain words: reads run, unsafe parts are refused with their rule, a plan that writes runs its writes only with confirm',
    body: S.AskRequest,
    response: S.AskAnswer,
    returns: 'the intent, the plan, the refusals, the results, the answer and the trace id',
    errors: [],
  },
  {
    method: 'get',
    path: '/api/agents/status',
    operationId: 'getAgentsStatus',
    tag: 'queen',
    summary: 'What each of the 12 agent roles did in the last 24 hours (actions, refusals, failures, last run) and its health',
    response: S.AgentsStatus,
    returns: 'per role, its activity and health',
    errors: [],
  },
  { method: 'get', path: '/api/replies', operationId: 'listReplies', tag: 'replies', summary: 'Replies received, newest first', query: S.RepliesQuery, response: z.array(S.ReplyListItem), returns: 'the replies', errors: [400] },
  { method: 'get', path: '/api/replies/{id}', operationId: 'getReply', tag: 'replies', summary: 'One conversation across channels', params: S.ReplyParams, response: S.ReplyConversation, returns: 'the conversation', errors: [404] },
  {
    method: 'get',
    path: '/api/replies/{id}/slots',
    operationId: 'listReplySlots',
    tag: 'replies',
    summary: "Live free slots in the prospect's zone",
    params: S.ReplyParams,
    response: S.ReplySlots,
    returns: 'the free slots',
    errors: [404, 502],
  },
  {
    method: 'post',
    path: '/api/replies/{id}/book',
    operationId: 'bookReply',
    tag: 'replies',
    summary: 'Book a meeting for a reply by hand (re-checked against the calendar, never twice)',
    params: S.ReplyParams,
    body: S.ReplyBookRequest,
    response: S.ReplyBooking,
    returns: 'the booking',
    errors: [404, 502],
  },
  { method: 'get', path: '/api/replies/{id}/brief', operationId: 'getReplyBrief', tag: 'replies', summary: 'The meeting brief for a reply', params: S.ReplyParams, response: S.ReplyBrief, returns: 'the brief', errors: [404] },
  { method: 'get', path: '/api/docs', operationId: 'getOpenApiDocument', tag: 'docs', summary: 'This OpenAPI document', response: S.OpenApiDocumentBody, returns: 'the OpenAPI 3.1 document', errors: [], db: false },
] as const satisfies readonly ApiOperation[];

export type OperationId = (typeof API_OPERATIONS)[number]['operationId'];

const ERROR_RESPONSES = {
  400: ['BadRequest', 'A parameter or the body is invalid (the message names it), or the body is not JSON'],
  401: ['Unauthorized', 'No token (nor page session), or a wrong one'],
  403: ['Forbidden', 'A page session without its CSRF token (X-CSRF-Token), or a person whose role may not do this (FORBIDDEN: the operator actions need an operator or an admin; audited)'],
  404: ['NotFound', 'No such item'],
  409: ['Conflict', 'The item changed since it was shown, or the action is not possible now (another run holds it, send mode is shadow...)'],
  413: ['PayloadTooLarge', 'The body is larger than server.maxBodyBytes'],
  415: ['UnsupportedMediaType', 'The body is not application/json'],
  423: ['Locked', 'The emergency stop is set: nothing is sent'],
  500: ['InternalError', 'An unexpected failure (logged on the server; nothing about it is shown)'],
  502: ['BadGateway', 'A provider failed or refused'],
  503: ['ServiceUnavailable', 'The database is unreachable'],
} as const satisfies Record<ErrorStatus | 401 | 500, readonly [string, string]>;
type ErrorCode = keyof typeof ERROR_RESPONSES;

type Json = Record<string, unknown>;
const COMPONENT = '#/components/schemas/';

/** An integer's implicit bounds (JavaScript's safe integers) say nothing: left out. */
const quiet = ({ jsonSchema }: { jsonSchema: { minimum?: number; maximum?: number } }) => {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
};

/** `#/$defs/X` (zod's references in a single conversion) to `#/components/schemas/X`. */
const rebase = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rebase);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, COMPONENT) : rebase(v)]));
};

/**
 * The JSON Schema of a zod schema: a reference to its component when it has one, else inline (its
 * named parts referenced). @fastify/swagger leaves `#/...` references as they are.
 */
const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const id = S.components.get(schema)?.id;
  if (id) return { $ref: `${COMPONENT}${id}` };
  const { $schema: _schema, $defs: _defs, ...rest } = z.toJSONSchema(schema, { metadata: S.components, io, unrepresentable: 'any', override: quiet }) as Json;
  return rebase(rest) as Json;
};

const componentSchemas = (): Record<string, Json> => {
  const { schemas } = z.toJSONSchema(S.components, { metadata: S.components, uri: (id) => `${COMPONENT}${id}`, io: 'output', unrepresentable: 'any', override: quiet }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...rest }]) => [id, rest]));
};

const errorsOf = (op: ApiOperation): ErrorCode[] => {
  const statuses = new Set<ErrorCode>([401, 500, ...op.errors]);
  if (op.params || op.query || op.body) statuses.add(400);
  // Every POST body is read as JSON: not JSON is a 400, another type a 415, too large a 413; a page session needs its CSRF token.
  if (op.method === 'post') for (const s of [400, 403, 413, 415] as const) statuses.add(s);
  if (op.db !== false) statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
};

/**
 * The answer's description: @fastify/swagger takes it from `x-response-description` (and drops
 * it), or, beside a `$ref` (whose siblings it drops), from `description`.
 */
const described = (schema: Json, description: string): Json => ('$ref' in schema ? { ...schema, description } : { ...schema, 'x-response-description': description });

/** Converting the zod schemas takes tens of milliseconds: done once per process, each app getting its own copy. */
const built = new Map<string, unknown>();
const once = <T>(key: string, build: () => T): T => {
  if (!built.has(key)) built.set(key, build());
  return structuredClone(built.get(key) as T);
};

const routeSchema = (op: ApiOperation): FastifySchema => ({
  operationId: op.operationId,
  tags: [op.tag],
  summary: op.summary,
  ...(op.params ? { params: schemaOf(op.params, 'input') } : {}),
  ...(op.query ? { querystring: schemaOf(op.query, 'input') } : {}),
  ...(op.body ? { body: schemaOf(op.body, 'input') } : {}),
  response: {
    200: described(schemaOf(op.response, 'output'), op.returns),
    // Written out, then made references to the shared answers of components.responses (finishDocument).
    ...Object.fromEntries(errorsOf(op).map((status) => [status, described(schemaOf(S.ErrorBody, 'output'), ERROR_RESPONSES[status][1])])),
  },
});

/**
 * The Fastify `schema` of an operation's route, from its zod schemas: what @fastify/swagger writes
 * into the document. It documents only: the zod schemas validate in the handlers (routes.ts) and
 * the api plugin compiles these to no validator and no serializer (app.ts).
 */
export const routeSchemaOf = (op: ApiOperation): FastifySchema => once(`route ${op.method} ${op.path}`, () => routeSchema(op));

type Operation = { requestBody?: { required?: boolean; content?: Record<string, { schema?: { required?: unknown[] } }> }; responses?: Record<string, unknown> };

/**
 * Where the document says otherwise than @fastify/swagger writes: an error answer is a reference
 * to its shared answer (components.responses), and a body is required only when a field of it is
 * (the route reads a missing body as `{}`; @fastify/swagger marks every body required).
 */
const finishDocument: SwaggerTransformObject = (document) => {
  if (!('openapiObject' in document)) return document.swaggerObject;
  const { openapiObject } = document;
  for (const operation of Object.values((openapiObject.paths ?? {}) as Record<string, Record<string, Operation>>).flatMap((item) => Object.values(item))) {
    for (const status of Object.keys(operation.responses ?? {})) {
      const shared = ERROR_RESPONSES[Number(status) as ErrorCode] as (typeof ERROR_RESPONSES)[ErrorCode] | undefined;
      if (shared && operation.responses) operation.responses[status] = { $ref: `#/components/responses/${shared[0]}` };
    }
    if (operation.requestBody) operation.requestBody.required = (operation.requestBody.content?.['application/json']?.schema?.required ?? []).length > 0;
  }
  return openapiObject;
};

/** The static parts of the document; the paths come from the registered routes. */
const staticParts = (): FastifyDynamicSwaggerOptions['openapi'] =>
  once('document', () => ({
    openapi: '3.1.0',
    info: {
      title: 'CAIO Alpha Swarm API',
      version: '1',
      description:
        'The dashboard API of `caio serve`: the same use cases as the CLI. Every operation needs the dashboard token (`X-Dashboard-Token` or `Authorization: Bearer`) or a page session (its cookie; a POST also its CSRF token in `X-CSRF-Token`). With a page session of a person logged in by name, the person is what the audit log records (any `by` in the body is replaced by their name) and the operator actions need the operator or admin role. A refusal is JSON `{error, code}`: 400 names the invalid parameter, 401 shows no data.',
      // package.json says UNLICENSED: proprietary, no public licence (SPDX has no id for that, hence a LicenseRef).
      license: { name: 'UNLICENSED (proprietary)', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'the server that serves this document' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ token: [] }],
    components: {
      securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'X-Dashboard-Token', description: 'The dashboard token (DASHBOARD_AUTH_TOKEN); `Authorization: Bearer <token>` works too.' } },
      schemas: componentSchemas(),
      responses: Object.fromEntries(Object.values(ERROR_RESPONSES).map(([name, description]) => [name, { description, content: { 'application/json': { schema: { $ref: `${COMPONENT}Error` } } } }])),
    },
  }));

/** @fastify/swagger's options for the api plugin. */
export const swaggerOptions = (): SwaggerOptions => ({
  openapi: staticParts(),
  // The document is JSON Schema 2020-12 (OpenAPI 3.1): `const` stays `const`.
  convertConstToEnum: false,
  transformObject: finishDocument,
});

/** The route pattern Fastify registers for a documented path (`{id}` -> `:id`). */
export const routeOf = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');
