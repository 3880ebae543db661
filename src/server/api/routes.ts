import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import { LEAD_STATUS_GROUPS } from '../../domain/signals/index.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { DraftStatus } from '../../domain/approval/draft-status.js';
import type { KpiTargets } from '../../domain/kpis/kpi-events.js';
import type { OperatorControls } from '../../dispatch/ports.js';
import type { ReviewQueueControls } from '../../jobs/ports.js';
import type { LeadDetailQuery, RunStore } from '../../pipeline/ports.js';
import type { BatchDecisions, ReviewDecisions } from '../../pipeline/review-ports.js';
import type { BootstrapReport } from '../../signals/ports.js';
import type { DashboardQueries, TimelineEntry } from '../../store/index.js';

/** What the API and the pages drive: the use cases through their ports, the store's read models. */
export type ApiDeps = {
  review: ReviewDecisions;
  runs: RunStore;
  leadDetail: LeadDetailQuery;
  timeline: (leadId: string, limit: number) => Promise<TimelineEntry[]>;
  statusCounts: () => Promise<Record<string, number>>;
  operatorStatus: () => Promise<Record<string, unknown>>;
  operator: OperatorControls;
  dashboard: DashboardQueries;
  gatekeeper: BatchDecisions;
  detectDecay: (dryRun: boolean) => Promise<unknown[]>;
  cadence: { counts: () => Promise<Record<string, number>>; due: () => Promise<unknown[]>; sync: () => Promise<unknown[]> };
  runPipeline: (limit: number) => Promise<Record<string, unknown>>;
  queueWatcher: ReviewQueueControls;
  bootstrapLeads: (options: { dryRun: boolean; limit: number }) => Promise<BootstrapReport>;
  /** Targets (config `kpis.targets`) and the trailing window of the rates over time. */
  kpis: { targets: KpiTargets; trailingDays: number };
  /** Open escalation incidents. */
  incidents: () => Promise<unknown[]>;
  now: () => Date;
};


const HTTP_STATUS: Partial<Record<AppError['code'], number>> = { INVALID_INPUT: 400, CONFIG_INVALID: 400, NOT_FOUND: 404, CONFLICT: 409, EMERGENCY_STOP: 423, STORE_LOCKED: 503, STORE_UNAVAILABLE: 503 };

/** The same use cases as the CLI; AppError codes become HTTP statuses, zod problems a 400 naming the parameter. */
const answer = async (reply: FastifyReply, work: () => Promise<unknown>) => {
  try {
    return reply.send(await work());
  } catch (error) {
    if (error instanceof z.ZodError) return reply.code(400).send({ error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), code: 'INVALID_INPUT' });
    if (isAppError(error)) return reply.code(HTTP_STATUS[error.code] ?? (error.code.startsWith('PROVIDER') || error.code === 'OUT_OF_CREDITS' ? 502 : 500)).send({ error: error.message, code: error.code });
    throw error;
  }
};

const Limit = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const Decision = z.object({ by: z.string().trim().min(1), expectedStatus: z.string().optional() });
const Approve = Decision.extend({ subject: z.string().optional(), body: z.string().optional() });
const Reject = Decision.extend({ reason: z.string().trim().min(1), tag: z.string().trim().min(1) });
const History = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const LeadPage = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.string().trim().min(1).max(40).optional(),
  tier: z.enum(['tier_1', 'tier_2', 'tier_3', 'tier_4']).optional(),
  cursor: z
    .string()
    .optional()
    .transform((c, ctx) => {
      if (c === undefined) return undefined;
      try {
        const [createdAt, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [string, string];
        if (Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('shape');
        return { createdAt, id };
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
        return z.NEVER;
      }
    }),
});
const Trigger = z.object({ dry_run: z.boolean().default(true), motion: z.enum(['outbound', 'cadence', 'revival', 'all']).default('all'), by: z.string().trim().min(1).default('dashboard'), batchId: z.string().uuid().optional() });
const BatchDecision = z.object({ by: z.string().trim().min(1) });
const BatchReject = BatchDecision.extend({ reason: z.string().trim().min(1) });
const Days = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });
const RunRequest = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(25) });
const Stop = z.object({ by: z.string().trim().min(1), reason: z.string().trim().min(1) });
const Resume = z.object({ by: z.string().trim().min(1) });
const Bootstrap = z.object({ dry_run: z.boolean().default(false), limit: z.number().int().min(1).max(100_000).default(10_000) });
const WatcherTrigger = z.object({ force: z.boolean().default(true), by: z.string().trim().min(1).default('dashboard') });

/** The funnel the dashboard draws: every lead status falls in one stage. */
export const FUNNEL_STAGES = { Pipeline: LEAD_STATUS_GROUPS.pipeline, Outreach: [...LEAD_STATUS_GROUPS.linkedin, 'revival_candidate', 'revival_queued', 'revival_sent'], Engaged: LEAD_STATUS_GROUPS.engagement, 'At risk': LEAD_STATUS_GROUPS.decay, Terminal: LEAD_STATUS_GROUPS.terminal } as const;

/** The API described from the same zod schemas the routes parse with (OpenAPI 3.1 at /api/docs). */
const DOCS: { method: 'get' | 'post'; path: string; summary: string; query?: z.ZodType; body?: z.ZodType }[] = [
  { method: 'get', path: '/api/pending-emails', summary: 'Drafts waiting for review, best leads first', query: Limit },
  { method: 'post', path: '/api/emails/{id}/approve', summary: 'Approve a draft, optionally with an edited subject or body', body: Approve },
  { method: 'post', path: '/api/emails/{id}/reject', summary: 'Reject a draft with a reason and one of the rejection tags', body: Reject },
  { method: 'get', path: '/api/rejection-tags', summary: 'The rejection tags' },
  { method: 'get', path: '/api/emails/history', summary: 'Reviewed drafts, newest decision first', query: History },
  { method: 'get', path: '/api/leads', summary: 'A page of leads (filters, cursor pagination)', query: LeadPage },
  { method: 'get', path: '/api/leads/funnel', summary: 'Leads per funnel stage and per status' },
  { method: 'get', path: '/api/leads/status-summary', summary: 'Leads per status' },
  { method: 'get', path: '/api/leads/{email}/timeline', summary: 'One lead\'s activity, newest first', query: Limit },
  { method: 'post', path: '/api/leads/detect-decay', summary: 'Run decay detection (dry_run reports only)', body: z.object({ dry_run: z.boolean().default(false) }) },
  { method: 'post', path: '/api/leads/bootstrap', summary: 'Record on lead timelines every accepted send missing from them (status, cadence, KPIs follow); safe to repeat', body: Bootstrap },
  { method: 'get', path: '/api/queue-watcher/status', summary: 'Drafts waiting for review against the low-water mark and target' },
  { method: 'post', path: '/api/queue-watcher/trigger', summary: 'Top the review queue up now with a pipeline run (force: whatever the count)', body: WatcherTrigger },
  { method: 'get', path: '/api/kpis', summary: 'Engagement rates against targets over the last `days` UTC days (today included): totals, per day (trailing rates), per campaign, per angle', query: Days },
  { method: 'get', path: '/api/operator/status', summary: 'Limits, warm-up, ramp, emergency stop, batches, outbox' },
  { method: 'post', path: '/api/operator/trigger', summary: 'Run the OPERATOR (a dry run unless dry_run is false)', body: Trigger },
  { method: 'get', path: '/api/operator/pending-batch', summary: 'The batch waiting for approval' },
  { method: 'post', path: '/api/operator/approve-batch/{id}', summary: 'Approve a batch', body: BatchDecision },
  { method: 'post', path: '/api/operator/reject-batch/{id}', summary: 'Reject a batch', body: BatchReject },
  { method: 'get', path: '/api/incidents', summary: 'Open incidents: what failed, since when, the level reached and paged' },
  { method: 'get', path: '/api/operator/history', summary: 'Executed and rejected batches' },
  { method: 'get', path: '/api/cadence/summary', summary: 'Cadence enrolments by status' },
  { method: 'get', path: '/api/cadence/due', summary: 'Cadence steps due now' },
  { method: 'post', path: '/api/cadence/sync', summary: 'Apply exits the live hooks missed' },
  { method: 'post', path: '/api/emergency-stop', summary: 'Stop all sending', body: Stop },
  { method: 'post', path: '/api/resume', summary: 'Clear the emergency stop', body: Resume },
  { method: 'get', path: '/api/runs', summary: 'Pipeline runs, newest first', query: Limit },
  { method: 'post', path: '/api/runs', summary: 'Run the pipeline', body: RunRequest },
  { method: 'get', path: '/api/runs/{id}', summary: 'One pipeline run' },
];

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

export const openApiDocument = () => ({
  openapi: '3.1.0',
  info: { title: 'CAIO Alpha Swarm API', version: '1' },
  components: { securitySchemes: { token: { type: 'apiKey', in: 'header', name: 'X-Dashboard-Token' } } },
  security: [{ token: [] }],
  paths: DOCS.reduce<Record<string, Record<string, unknown>>>((paths, d) => {
    const query = d.query ? (jsonSchema(d.query) as { properties?: Record<string, unknown> }).properties ?? {} : {};
    const params = [...(d.path.match(/\{(\w+)\}/g) ?? []).map((p) => ({ name: p.slice(1, -1), in: 'path', required: true, schema: { type: 'string' } })), ...Object.entries(query).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))];
    (paths[d.path] ??= {})[d.method] = {
      summary: d.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(d.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(d.body) } } } } : {}),
      responses: { '200': { description: 'OK' }, '400': { description: 'a bad parameter or body, named' }, '401': { description: 'no or wrong token' } },
    };
    return paths;
  }, {}),
});

export const registerApiRoutes = (app: FastifyInstance, deps: ApiDeps): void => {
  app.get('/api/docs', async (_req, reply) => reply.send(openApiDocument()));
  app.get('/api/pending-emails', async (req, reply) => answer(reply, async () => deps.review.list({ limit: Limit.parse(req.query).limit })));
  app.get('/api/rejection-tags', async (_req, reply) => answer(reply, async () => REJECTION_TAGS));
  app.post('/api/emails/:id/approve', async (req, reply) =>
    answer(reply, async () => {
      const body = Approve.parse(req.body ?? {});
      const edit = body.subject !== undefined || body.body !== undefined ? { subject: body.subject, body: body.body } : undefined;
      return deps.review.approve({ draftId: (req.params as { id: string }).id, by: body.by, ...(edit ? { edit } : {}), ...(body.expectedStatus ? { expectedStatus: body.expectedStatus as DraftStatus } : {}) });
    }),
  );
  app.post('/api/emails/:id/reject', async (req, reply) =>
    answer(reply, async () => {
      const body = Reject.parse(req.body ?? {});
      return deps.review.reject({ draftId: (req.params as { id: string }).id, by: body.by, reason: body.reason, tag: body.tag, ...(body.expectedStatus ? { expectedStatus: body.expectedStatus as DraftStatus } : {}) });
    }),
  );
  app.get('/api/leads/funnel', async (_req, reply) =>
    answer(reply, async () => {
      const counts = await deps.statusCounts();
      const stages = Object.entries(FUNNEL_STAGES).map(([stage, statuses]) => ({ stage, count: (statuses as readonly string[]).reduce((n, s) => n + (counts[s] ?? 0), 0) }));
      return { stages, byStatus: counts };
    }),
  );
  app.get('/api/leads/status-summary', async (_req, reply) => answer(reply, () => deps.statusCounts()));
  app.get('/api/leads/:email/timeline', async (req, reply) =>
    answer(reply, async () => {
      const email = decodeURIComponent((req.params as { email: string }).email);
      const detail = await deps.leadDetail.detailByEmail(email);
      if (!detail) throw new AppError('NOT_FOUND', 'no such lead');
      return { leadId: detail.lead.id, status: detail.lead.status, timeline: await deps.timeline(detail.lead.id, Limit.parse(req.query).limit) };
    }),
  );
  app.get('/api/operator/status', async (_req, reply) => answer(reply, () => deps.operatorStatus()));
  app.post('/api/emergency-stop', async (req, reply) =>
    answer(reply, async () => {
      const body = Stop.parse(req.body ?? {});
      return deps.operator.stop(body.by, body.reason);
    }),
  );
  app.post('/api/resume', async (req, reply) => answer(reply, async () => deps.operator.resume(Resume.parse(req.body ?? {}).by)));
  app.get('/api/emails/history', async (req, reply) => answer(reply, async () => deps.dashboard.reviewHistory(History.parse(req.query).limit)));
  app.get('/api/leads', async (req, reply) => answer(reply, async () => deps.dashboard.leadsPage(LeadPage.parse(req.query))));
  app.post('/api/leads/detect-decay', async (req, reply) => answer(reply, async () => ({ findings: await deps.detectDecay(z.object({ dry_run: z.boolean().default(false) }).parse(req.body ?? {}).dry_run) })));
  app.post('/api/leads/bootstrap', async (req, reply) =>
    answer(reply, async () => {
      const body = Bootstrap.parse(req.body ?? {});
      return deps.bootstrapLeads({ dryRun: body.dry_run, limit: body.limit });
    }),
  );
  app.get('/api/queue-watcher/status', async (_req, reply) => answer(reply, () => deps.queueWatcher.status()));
  app.post('/api/queue-watcher/trigger', async (req, reply) => answer(reply, async () => deps.queueWatcher.run(WatcherTrigger.parse(req.body ?? {}))));
  app.get('/api/kpis', async (req, reply) =>
    answer(reply, async () => {
      const now = deps.now();
      return { ...(await deps.dashboard.kpis(new Date(now.getTime() - (Days.parse(req.query).days - 1) * 86_400_000), now, deps.kpis.trailingDays)), targets: deps.kpis.targets };
    }),
  );
  app.post('/api/operator/trigger', async (req, reply) =>
    answer(reply, async () => {
      const body = Trigger.parse(req.body ?? {});
      return deps.operator.dispatch({ motion: body.motion, live: !body.dry_run, by: body.by, ...(body.batchId ? { batchId: body.batchId } : {}) });
    }),
  );
  app.get('/api/operator/pending-batch', async (_req, reply) =>
    answer(reply, async () => (await deps.gatekeeper.list(50)).find((b) => b.status === 'pending_approval' && b.expiresAt > deps.now()) ?? { status: 'no_pending_batch' }),
  );
  app.get('/api/operator/history', async (req, reply) =>
    answer(reply, async () => (await deps.gatekeeper.list(z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).parse(req.query).limit)).filter((b) => b.status === 'executed' || b.status === 'rejected')),
  );
  app.post('/api/operator/approve-batch/:id', async (req, reply) => answer(reply, async () => deps.gatekeeper.approve((req.params as { id: string }).id, BatchDecision.parse(req.body ?? {}).by)));
  app.post('/api/operator/reject-batch/:id', async (req, reply) =>
    answer(reply, async () => {
      const body = BatchReject.parse(req.body ?? {});
      return deps.gatekeeper.reject((req.params as { id: string }).id, body.by, body.reason);
    }),
  );
  app.get('/api/incidents', async (_req, reply) => answer(reply, () => deps.incidents()));
  app.get('/api/cadence/summary', async (_req, reply) => answer(reply, () => deps.cadence.counts()));
  app.get('/api/cadence/due', async (_req, reply) => answer(reply, () => deps.cadence.due()));
  app.post('/api/cadence/sync', async (_req, reply) => answer(reply, async () => ({ changed: await deps.cadence.sync() })));
  app.post('/api/runs', async (req, reply) => answer(reply, async () => deps.runPipeline(RunRequest.parse(req.body ?? {}).limit)));
  app.get('/api/runs', async (req, reply) => answer(reply, async () => deps.runs.list(Limit.parse(req.query).limit)));
  app.get('/api/runs/:id', async (req, reply) =>
    answer(reply, async () => {
      const run = await deps.runs.get((req.params as { id: string }).id);
      if (!run) throw new AppError('NOT_FOUND', 'no such run');
      return run;
    }),
  );
};
