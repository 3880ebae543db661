import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { REJECTION_TAGS } from '../../domain/approval/rejection-tags.js';
import { LEAD_STATUS_GROUPS } from '../../domain/signals/index.js';
import { AppError, isAppError } from '../../lib/app-error.js';
import type { Operator } from '../../dispatch/operator.js';
import type { ReviewService } from '../../pipeline/review-draft.js';
import type { DraftStatus } from '../../domain/approval/draft-status.js';
import type { LeadDetailQuery, RunStore } from '../../pipeline/ports.js';
import type { TimelineEntry } from '../../store/timeline-repo.js';
import type { DashboardQueries } from '../../store/dashboard-repo.js';
import type { Gatekeeper } from '../../pipeline/gatekeeper.js';

export type ApiDeps = {
  review: ReviewService;
  runs: RunStore;
  leadDetail: LeadDetailQuery;
  timeline: (leadId: string, limit: number) => Promise<TimelineEntry[]>;
  statusCounts: () => Promise<Record<string, number>>;
  operatorStatus: () => Promise<Record<string, unknown>>;
  operator: Pick<Operator, 'stop' | 'resume' | 'dispatch'>;
  dashboard: DashboardQueries;
  gatekeeper: Pick<Gatekeeper, 'list' | 'show' | 'approve' | 'reject'>;
  detectDecay: (dryRun: boolean) => Promise<unknown[]>;
  cadence: { counts: () => Promise<Record<string, number>>; due: () => Promise<unknown[]>; sync: () => Promise<unknown[]> };
  runPipeline: (limit: number) => Promise<Record<string, unknown>>;
  now: () => Date;
};

/** Targets the KPI page compares against (the original's: spec/dashboard.md). */
export const KPI_TARGETS = { open: 0.5, reply: 0.08, bounce: 0.02, linkedinAccept: 0.3 } as const;

const HTTP_STATUS: Partial<Record<AppError['code'], number>> = { INVALID_INPUT: 400, CONFIG_INVALID: 400, NOT_FOUND: 404, CONFLICT: 409, EMERGENCY_STOP: 423, STORE_LOCKED: 503 };

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

/** The funnel the dashboard draws: every lead status falls in one stage. */
export const FUNNEL_STAGES = { Pipeline: LEAD_STATUS_GROUPS.pipeline, Outreach: [...LEAD_STATUS_GROUPS.linkedin, 'revival_candidate', 'revival_queued', 'revival_sent'], Engaged: LEAD_STATUS_GROUPS.engagement, 'At risk': LEAD_STATUS_GROUPS.decay, Terminal: LEAD_STATUS_GROUPS.terminal } as const;

export const registerApiRoutes = (app: FastifyInstance, deps: ApiDeps): void => {
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
  app.get('/api/kpis', async (req, reply) =>
    answer(reply, async () => ({ ...(await deps.dashboard.kpis(new Date(deps.now().getTime() - Days.parse(req.query).days * 86_400_000))), targets: KPI_TARGETS })),
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
