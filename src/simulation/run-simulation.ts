/**
 * `caio simulate`: a fake clock runs the real jobs through the production wiring (docs/simulation.md).
 * Each step (an hour of simulated time): the engagement the model planned is delivered through the
 * sandboxes' own webhook emitters to our webhook routes (tokened), and processed; the scheduled jobs
 * of the catalogue that are due run (review-queue top-up, OPERATOR tick, decay, cadence, approvals,
 * inbox sweep); in the reviewer's working hours the simulated person decides the review queue and
 * the pending batches; the step's sends are given their planned engagement; the invariants are checked.
 */
import { sql } from 'drizzle-orm';
import { openApp, openDispatch, openProviders, pipelineDepsFor, type AppDeps, type DispatchSet } from '../deps.js';
import type { LeadSource } from '../pipeline/ports.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { jobCatalogueFor, queueWatcherFor } from '../compose/jobs.js';
import { processorFor } from '../compose/signals.js';
import { campaignControlsFor, withScheduledBatches } from '../compose/operator.js';
import { followThroughExecutorFor, followThroughProvidersFor, withFollowThroughActions } from '../compose/follow-through.js';
import type { Config } from '../config/load.js';
import { scheduledJobs } from '../jobs/catalogue.js';
import { nextRunAt } from '../jobs/schedule.js';
import { fixedClock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Alert } from '../pipeline/ports.js';
import { mulberry32 } from '../providers/sandbox/apollo/prng.js';
import type { StoreLocation } from '../store/database.js';
import { rowsOf } from './rows.js';
import { createInvariantChecker, type Violation } from './invariants.js';
import { openEngagementDelivery } from './deliver-engagement.js';
import { runReviewerSession } from './reviewer-session.js';
import { countDay, type DailyRow } from './daily-row.js';
import type { SimulationSettings } from './settings.js';

export type { DailyRow } from './daily-row.js';
export type { Violation } from './invariants.js';

export type SimulationInput = {
  /** The configuration rehearsed: sandbox providers, live sending (prepared by simulation-config.ts). */
  config: Config;
  settings: SimulationSettings;
  days: number;
  leads: number;
  seed: number;
  /** The first simulated instant (UTC midnight). */
  start: Date;
  store: StoreLocation;
  sandboxStateDir: string | null;
  log?: Logger | undefined;
  /** Polled between steps: true stops the run after the current step (Ctrl-C). */
  interrupted?: () => boolean;
  onDay?: (row: DailyRow) => void;
};

export type SimulationReport = {
  days: number;
  leads: number;
  /** Leads the pipeline discovered (at most `leads`). */
  discovered: number;
  seed: number;
  start: string;
  sent: number;
  replies: number;
  meetings: number;
  /** Our answers that offered free slots, the prospects' picks of one ("the second option works"), and the meetings booked from a pick. */
  slotPicks: { offered: number; picked: number; booked: number };
  bounces: number;
  unsubscribes: number;
  violations: Violation[];
  daily: DailyRow[];
  /** Campaigns the OPERATOR paused for their health (bounce or complaint rate). */
  autoPaused: string[];
  emergencyStopAt: string | null;
  interrupted: boolean;
  /** Why nothing (or little) was sent, when that is the case. */
  notes: string[];
  elapsedMs: number;
  /** Where the time went, in ms: the pipeline top-ups, the other jobs, the reviewer, the webhooks, the invariant checks. */
  timings: Record<'pipeline' | 'jobs' | 'reviewer' | 'webhooks' | 'invariants', number>;
  /** Per scheduled job, in ms (the review-queue job includes its pipeline top-ups). */
  jobTimings: Record<string, number>;
};

const timings = (): SimulationReport['timings'] => ({ pipeline: 0, jobs: 0, reviewer: 0, webhooks: 0, invariants: 0 });

/** Run `work`, adding its duration to `into[key]`. */
const timed = async <T>(into: SimulationReport['timings'], key: keyof SimulationReport['timings'], work: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    into[key] += performance.now() - t0;
  }
};

const HOUR_MS = 3_600_000;

/**
 * The job set of `caio start`/`caio worker` (compose/job-set.ts) without its runner: this loop is
 * the scheduler. The review-queue watcher tops up through the production pipeline (runPipeline over
 * pipelineDepsFor), up to the simulation's number of leads in all; its Apollo sandbox source pages
 * past the people already found (production discovery starts at page 1 each run, docs/simulation.md).
 */
const openSimulatedJobs = async (app: AppDeps, dispatch: DispatchSet, leadsCap: number, spent: SimulationReport['timings']) => {
  const recorded = { count: 0 };
  const processor = withFollowThroughActions(processorFor(app, recorded), followThroughExecutorFor(app, await followThroughProvidersFor(app, dispatch)), app.log, recorded);
  const providers = await openProviders(app, { source: 'apollo', seed: null });
  const known = new Set(rowsOf<{ source_id: string }>(await app.database.db.execute(sql`select source_id from leads`)).map((r) => r.source_id));
  const state = { exhausted: false, runs: 0 };
  const source: LeadSource = {
    name: providers.source.name,
    discover: async ({ limit }) => {
      const found = await providers.source.discover({ limit: known.size + limit });
      const fresh = found.leads.filter((l) => !known.has(l.sourceId)).slice(0, limit);
      for (const l of fresh) known.add(l.sourceId);
      if (fresh.length === 0) state.exhausted = true;
      return { ...found, leads: fresh };
    },
  };
  const deps = pipelineDepsFor(app, { ...providers, source });
  const topUp = async (limit: number): Promise<Record<string, unknown>> => {
    const room = leadsCap - known.size;
    if (room <= 0 || state.exhausted) return { skipped: state.exhausted ? 'the sandbox has no more matching people' : `all ${leadsCap} leads of the simulation are discovered` };
    state.runs++;
    const report = await timed(spent, 'pipeline', () => runPipeline(deps, { limit: Math.min(limit, room), source: 'apollo', seed: null }));
    return { runId: report.runId, status: report.status, drafts: report.drafts.length };
  };
  const watcher = queueWatcherFor(app, topUp, dispatch.operator.holder);
  const definitions = jobCatalogueFor(app, { operator: withScheduledBatches(app, dispatch), watcher, processor, cadence: dispatch.parts.cadence, runPipeline: topUp });
  return { processor, jobs: scheduledJobs(definitions), discovered: () => known.size, state, close: () => providers.close() };
};

export const runSimulation = async (input: SimulationInput): Promise<SimulationReport> => {
  const started = performance.now();
  const { config, settings, seed } = input;
  const clock = fixedClock(input.start.toISOString());
  const alerts: Alert[] = [];
  const app = await openApp(config, { clock, store: input.store, sandboxStateDir: input.sandboxStateDir, alerts: { send: async (a) => void alerts.push(a) }, ...(input.log ? { log: input.log } : {}) });
  // Refusals by guard, as the gateway reports each item (the same numbers /metrics counts).
  const refusals = new Map<string, number>();
  const sendItem = app.metrics.sendItem;
  app.metrics.sendItem = (channel, outcome, reason) => {
    sendItem(channel, outcome, reason);
    if (outcome !== 'sent' && outcome !== 'would_send') {
      const guard = outcome === 'stopped' ? 'emergency_stop' : (reason ?? outcome).split(/[:\s(]/)[0] || outcome;
      refusals.set(guard, (refusals.get(guard) ?? 0) + 1);
    }
  };
  const closers: (() => Promise<void>)[] = [() => app.close()];
  const violations: Violation[] = [];
  const daily: DailyRow[] = [];
  let interrupted = false;
  let emergencyStopAt: Date | null = null;
  const spent = timings();
  const perJob = new Map<string, number>();
  try {
    const dispatch = await openDispatch(app, { random: mulberry32(seed ^ 0x5eed), holder: 'simulation' });
    closers.unshift(() => dispatch.close());
    const sim = await openSimulatedJobs(app, dispatch, input.leads, spent);
    closers.unshift(() => sim.close());
    const delivery = await openEngagementDelivery(app, dispatch, { settings: settings.engagement, seed, processor: sim.processor });
    closers.unshift(() => delivery.close());
    const campaigns = campaignControlsFor(app, dispatch);
    const invariants = createInvariantChecker(app.database.db, config);
    await invariants.start(clock.now());
    const next = new Map(sim.jobs.map((j) => [j.name, nextRunAt(j.schedule, new Date(clock.now().getTime() - 1))]));

    for (let day = 1; day <= input.days && !interrupted; day++) {
      const dayStart = clock.now();
      const before = new Map(refusals);
      const decisions = { approved: 0, edited: 0, rejected: 0, batchesApproved: 0, batchesRejected: 0 };
      if (settings.emergencyStopOnDay === day) {
        await dispatch.operator.stop('simulation', `simulated emergency stop on day ${day}`);
        emergencyStopAt = clock.now();
        invariants.stopSetAt(emergencyStopAt);
      }
      for (let hour = 0; hour < 24; hour++) {
        if (input.interrupted?.()) {
          interrupted = true;
          break;
        }
        const now = clock.now();
        await timed(spent, 'webhooks', () => delivery.deliverDue(now));
        const jobsStarted = performance.now();
        const pipelineBefore = spent.pipeline;
        for (const job of sim.jobs) {
          const at = next.get(job.name)!;
          if (at.getTime() > now.getTime()) continue;
          next.set(job.name, nextRunAt(job.schedule, now));
          try {
            const j0 = performance.now();
            await job.run(now);
            perJob.set(job.name, (perJob.get(job.name) ?? 0) + performance.now() - j0);
          } catch (error) {
            app.log.warn({ job: job.name, err: error instanceof Error ? error.message : String(error) }, 'a simulated job failed');
          }
        }
        spent.jobs += performance.now() - jobsStarted - (spent.pipeline - pipelineBefore);
        const weekday = now.getUTCDay() >= 1 && now.getUTCDay() <= 5;
        if (weekday && settings.reviewer.sessionHoursUtc.includes(hour)) {
          const session = await timed(spent, 'reviewer', () => runReviewerSession(app, dispatch, campaigns, settings, seed));
          for (const k of Object.keys(decisions) as (keyof typeof decisions)[]) decisions[k] += session[k];
        }
        await timed(spent, 'webhooks', async () => {
          await delivery.collectSends(now);
          await delivery.deliverDue(now);
        });
        violations.push(...(await timed(spent, 'invariants', () => invariants.check(day, now))));
        clock.advance(HOUR_MS);
      }
      const guards: Record<string, number> = {};
      for (const [k, v] of refusals) if (v > (before.get(k) ?? 0)) guards[k] = v - (before.get(k) ?? 0);
      const row = await countDay(app.database.db, day, dayStart, clock.now(), { ...decisions, refusals: guards, violations: violations.filter((v) => v.day === day).length });
      daily.push(row);
      input.onDay?.(row);
    }
    const autoPaused = (await campaigns.list()).filter((c) => c.status === 'paused').map((c) => `${c.provider} ${c.name}`);
    const sum = (k: keyof DailyRow) => daily.reduce((n, r) => n + (r[k] as number), 0);
    const report: SimulationReport = {
      days: daily.length,
      leads: input.leads,
      discovered: sim.discovered(),
      seed,
      start: input.start.toISOString(),
      sent: sum('sent'),
      replies: sum('replied'),
      meetings: sum('meetings'),
      slotPicks: { ...delivery.slotPicks, booked: sum('slotPickMeetings') },
      bounces: sum('bounces'),
      unsubscribes: sum('unsubscribes'),
      violations,
      daily,
      autoPaused,
      emergencyStopAt: emergencyStopAt?.toISOString() ?? null,
      interrupted,
      notes: [],
      elapsedMs: 0,
      timings: spent,
      jobTimings: {},
    };
    report.notes = explain(report, refusals, alerts);
    const { undeliverable, refused } = delivery.failures;
    if (undeliverable || refused) report.notes.push(`${undeliverable} engagement event(s) could not be emitted by a sandbox and ${refused} delivery(ies) failed at our webhook routes`);
    const picks = report.slotPicks;
    if (picks.offered) report.notes.push(`${picks.offered} of our answers offered free slots; ${picks.picked} prospect(s) picked one by its position, ${picks.booked} meeting(s) booked from a pick`);
    if (sim.state.exhausted) report.notes.push(`the Apollo sandbox had no more matching people after ${sim.discovered()} leads`);
    report.jobTimings = Object.fromEntries([...perJob].map(([k, v]) => [k, Math.round(v)]));
    report.elapsedMs = Math.round(performance.now() - started);
    for (const k of Object.keys(spent) as (keyof typeof spent)[]) spent[k] = Math.round(spent[k]);
    return report;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
};

/** Why the month looks as it does, when it is not obvious: nothing sent, a pause, a stop, an interruption. */
const explain = (report: SimulationReport, refusals: Map<string, number>, alerts: Alert[]): string[] => {
  const notes: string[] = [];
  const top = [...refusals].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
  const approved = report.daily.reduce((n, r) => n + r.approved + r.edited, 0);
  if (report.sent === 0) {
    if (top.length) notes.push(`nothing was sent: every send was refused (by guard: ${top.join(', ')})`);
    else if (approved === 0) notes.push('nothing was sent: no draft was approved (see the reviewer rates, or whether the pipeline found leads)');
    else notes.push('nothing was sent: no approved batch reached the send gateway (see the send mode, the channels and the batch approval rate)');
  }
  if (report.autoPaused.length) notes.push(`auto-paused for their health: ${report.autoPaused.join('; ')}`);
  if (report.emergencyStopAt) notes.push(`the emergency stop was set at ${report.emergencyStopAt}; nothing may be sent after it`);
  if (report.interrupted) notes.push(`interrupted after ${report.days} day(s): the figures cover those days only`);
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  if (critical) notes.push(`${critical} critical alert(s) were raised (kept in the simulation, never sent to Slack)`);
  return notes;
};
