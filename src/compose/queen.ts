import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDispatch, openProviders, pipelineDepsFor } from '../deps.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { createGatekeeper } from '../pipeline/gatekeeper.js';
import type { AgentsStatusDeps, LeadQuery, QueenActs, QueenDeps, QueenReads } from '../queen/ports.js';
import type { StoredLead } from '../pipeline/ports.js';
import { AppError } from '../lib/app-error.js';
import { createAuditStore } from '../store/audit-repo.js';
import { createBatchStore } from '../store/batches-repo.js';
import { createCadenceStore } from '../store/cadence-repo.js';
import { createControlStore } from '../store/control-repo.js';
import { createDashboardQueries } from '../store/dashboard-repo.js';
import { createAnthropicPlanner } from '../providers/anthropic/planner.js';
import type { Tier } from '../domain/tier.js';
import type { AppDeps } from './app-deps.js';
import { openIncidentsFor, operatorStatusFor } from './operator.js';
import { operatorPageUrl } from './operator-url.js';
import { queenBookFor, queenSignalReadsFor } from './queen-signals.js';
import { queenEnrichFor, queenRejectionsFor, queenSlackAlertFor, queenTechStackFor } from './queen-acts.js';

/** Leads read for a domain filter: the newest this many, filtered here (the store has no domain index). */
const DOMAIN_SCAN = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const emailDomain = (email: string | null) => email?.split('@')[1] ?? null;
const inDomain = (host: string | null, domain: string) => host !== null && (host === domain || host.endsWith(`.${domain}`));

/** The stored leads a query finds: by id (ours only), by e-mail, else a list (filtered by domain here). */
const storedLeadsFor =
  (app: AppDeps) =>
  async (q: LeadQuery): Promise<StoredLead[]> => {
    // An id that is not one of ours (not a uuid) matches nothing: it is not looked up.
    const rows = q.id
      ? UUID.test(q.id)
        ? [await app.stores.leads.profile(q.id)].filter((l) => l !== null)
        : []
      : q.email
        ? [(await app.stores.leadDetail.detailByEmail(q.email))?.lead].filter((l) => l !== undefined)
        : (await app.stores.leads.list({ tier: (q.tier ?? undefined) as Tier | undefined, limit: q.domain ? DOMAIN_SCAN : q.limit })).filter(
            (l) => !q.domain || inDomain(emailDomain(l.email), q.domain) || inDomain(l.profile.company.domain, q.domain),
          );
    return rows.slice(0, q.limit);
  };

/** QUEEN's reads over one opened app: the same stores and read models the CLI and the dashboard use. */
export const queenReadsFor = (app: AppDeps): QueenReads => {
  const db = app.database.db;
  const dashboard = createDashboardQueries(db);
  const storedLeads = storedLeadsFor(app);
  return {
    leads: async (q) => (await storedLeads(q)).map((l) => ({ id: l.id, email: l.email, company: l.profile.company.name, title: l.profile.title, tier: l.tier, points: l.points, status: l.status })),
    leadStatusCounts: () => dashboard.statusCounts(),
    // The review queue by status: one grouped count (no repository reads drafts this way yet).
    draftStatusCounts: async () => {
      const result: unknown = await db.execute(sql`select status, count(*)::int as n from drafts group by status`);
      const { rows } = result as { rows: { status: string; n: number }[] };
      return Object.fromEntries(rows.map((r): [string, number] => [r.status, Number(r.n)]));
    },
    runs: async (limit) =>
      (await app.stores.runs.list(limit)).map((r) => ({ runId: r.runId, mode: r.mode, status: r.status, startedAt: r.startedAt.toISOString(), leads: r.summary.leads ?? null, drafts: r.summary.drafts ?? null, errors: r.totalErrors })),
    kpis: async (days) => {
      const now = app.clock.now();
      const k = await dashboard.kpis(new Date(now.getTime() - (days - 1) * 86_400_000), now, app.config.kpis.trailingDays);
      return { since: k.since, counts: { ...k.counts }, rates: { ...k.rates } };
    },
    cadenceCounts: () => createCadenceStore(db).counts(),
    incidents: async () => (await openIncidentsFor(app)()).map((i) => ({ key: i.key, level: i.level, openedAt: i.openedAt.toISOString(), title: String(i.details.title ?? '') })),
    providerHealth: async () => {
      const stop = await createControlStore(db).emergencyStop();
      const env = app.config.env.EMERGENCY_STOP === true;
      return {
        breakers: (await app.stores.providerHealth.breakers()).map((b) => ({ provider: b.provider, state: b.state, changedAt: b.changedAt.toISOString() })),
        emergencyStop: { active: Boolean(stop?.active) || env, setBy: stop?.active ? stop.setBy : env ? 'EMERGENCY_STOP in the environment' : null, reason: stop?.active ? stop.reason : null },
      };
    },
    audit: (since, limit) => createAuditStore(db).list({ since, limit }),
    limits: async () => {
      const status = await operatorStatusFor(app)();
      return { sendMode: status.sendMode, ...status.usage };
    },
    ...queenSignalReadsFor(app),
    techStack: queenTechStackFor(app, storedLeads),
    rejections: queenRejectionsFor(app),
  };
};

/** Open the outbound side for one act and always close it. */
const withDispatch = async <T>(app: AppDeps, work: (dispatch: Awaited<ReturnType<typeof openDispatch>>) => Promise<T>): Promise<T> => {
  const dispatch = await openDispatch(app);
  try {
    return await work(dispatch);
  } finally {
    await dispatch.close();
  }
};

/** QUEEN's acts: the pipeline, a batch for a person to approve, a campaign pause, the emergency stop. None sends. */
export const queenActsFor = (app: AppDeps): QueenActs => ({
  runPipeline: async (limit, _by, source) => {
    const seed = app.config.usesSandboxes ? app.config.sandbox.seed : null;
    const providers = await openProviders(app, { source, seed });
    try {
      const report = await runPipeline(pipelineDepsFor(app, providers), { limit, source, seed });
      const tiers: Record<string, number> = {};
      for (const l of report.leads) if (l.tier) tiers[l.tier] = (tiers[l.tier] ?? 0) + 1;
      return { runId: report.runId, status: report.status, leads: report.leads.length, drafts: report.drafts.length, tiers };
    } finally {
      await providers.close();
    }
  },
  createBatch: async (by) => {
    const gatekeeper = createGatekeeper({
      batches: createBatchStore(app.database.db),
      audit: app.stores.audit,
      alerts: app.alerts,
      clock: app.clock,
      settings: { batchExpiryHours: app.config.gatekeeper.batchExpiryHours, tierRouting: app.config.tierRouting, operatorUrl: operatorPageUrl(app.config) },
    });
    const batch = await gatekeeper.create('outbound', by);
    return { batchId: batch.id, items: batch.scope.length, expiresAt: batch.expiresAt.toISOString() };
  },
  pauseCampaign: (campaign, by) =>
    withDispatch(app, async (dispatch) => {
      for (const provider of ['instantly', 'heyreach'] as const) {
        const found = await dispatch.parts.campaigns.byExternalId(provider, campaign);
        const channel = dispatch.channels[provider];
        if (!found) continue;
        if (!channel?.pause) throw new AppError('CONFLICT', `${provider} campaigns cannot be paused from here`);
        await channel.pause(found.externalId);
        await dispatch.parts.campaigns.setStatus(found.id, 'paused');
        await app.stores.audit.append({ at: app.clock.now(), actor: by, action: 'campaign.paused', entityType: 'campaign', entityId: found.id, runId: null, details: { provider, externalId: found.externalId, via: 'queen' } });
        return { campaign: found.externalId, provider, status: 'paused' };
      }
      throw new AppError('NOT_FOUND', `no campaign ${campaign} created by us (caio campaigns list)`);
    }),
  setEmergencyStop: (reason, by) =>
    withDispatch(app, async (dispatch) => {
      const result = await dispatch.operator.stop(by, reason);
      return { at: result.at.toISOString(), paused: result.paused };
    }),
  bookReply: queenBookFor(app),
  enrichLead: queenEnrichFor(app),
  postSlackAlert: queenSlackAlertFor(app),
});

/** QUEEN's optional LLM planner: only with queen.llm.enabled and ANTHROPIC_API_KEY both set (off by default). */
export const queenPlannerFor = (app: AppDeps): QueenDeps['planner'] => {
  const llm = app.config.queen.llm;
  const apiKey = app.config.env.ANTHROPIC_API_KEY;
  if (!llm.enabled || !apiKey || !llm.model) return undefined;
  return createAnthropicPlanner({ apiKey, baseUrl: llm.baseUrl, model: llm.model, timeoutMs: llm.timeoutMs, maxTokens: llm.maxTokens });
};

/** QUEEN over the opened app: its reads, its acts, the audit log for traces, the configured ICP scorer. */
export const queenDepsFor = (app: AppDeps): QueenDeps => {
  const planner = queenPlannerFor(app);
  return {
    ...(planner ? { planner } : {}),
    log: app.log,
    reads: queenReadsFor(app),
    acts: queenActsFor(app),
    audit: app.stores.audit,
    icp: { ...app.config.icp, exclusions: app.config.exclusions },
    // What CRAFTER drafts with in the pipeline (deps.ts): the sender and footer, the guard, the cadence, the tier routing.
    drafting: {
      sender: app.config.sender,
      quality: { ...app.config.quality, maxRejections: app.config.review.maxRejections },
      cadenceSteps: app.config.cadence.steps,
      tierRouting: app.config.tierRouting,
    },
    replyContext: { timeZone: app.config.dispatch.timeZone },
    clock: app.clock,
    newTraceId: () => `qt_${randomBytes(6).toString('hex')}`,
  };
};

/** Runs read for the agents' status: the newest this many, filtered to the window (a day holds far fewer). */
const RUNS_SCAN = 1000;

/** What `caio agents status` and the /agents page read: the audit log and the runs' stages. */
export const agentsStatusDepsFor = (app: AppDeps): AgentsStatusDeps => ({
  activity: (since, until, askLimit) => createAuditStore(app.database.db).activity(since, until, askLimit),
  runs: async (since) =>
    (await app.stores.runs.list(RUNS_SCAN))
      .filter((r) => r.startedAt >= since)
      .map((r) => ({ runId: r.runId, startedAt: r.startedAt, status: r.status, stages: r.stages.map((s) => ({ name: s.name, status: s.status, outputCount: s.outputCount, errors: s.errors.length })) })),
  clock: app.clock,
});
