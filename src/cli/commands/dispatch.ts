import type { BatchMotion } from '../../domain/approval/batch.js';
import { openDispatch, type AppDeps } from '../../deps.js';
import { campaignControlsFor, campaignListFor, openIncidentsFor, operatorStatusFor } from '../../compose/operator.js';
import type { DispatchReport } from '../../dispatch/ports.js';
import { AppError } from '../../lib/app-error.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

/** Open the operator with its channels for one command and always close both. */
const withOperator = async <T>(options: CommonOptions, work: (app: AppDeps, dispatch: Awaited<ReturnType<typeof openDispatch>>) => Promise<T>) =>
  withApp(configFrom(options), async (app) => {
    const dispatch = await openDispatch(app);
    try {
      return await work(app, dispatch);
    } finally {
      await dispatch.close();
    }
  });

const renderDispatch = (r: DispatchReport): string => {
  const lines = [
    `${r.mode === 'dry_run' ? 'DRY RUN (nothing written, nothing sent)' : 'LIVE'}: motion ${r.motion}; ramp ${r.ramp.active ? `active (day ${r.ramp.day}, ${r.ramp.cleanDays}/${r.ramp.required} clean days, ${r.ramp.tierFilter ?? 'all tiers'}, ${r.ramp.emailLimitOverride} emails/day)` : 'off'}`,
  ];
  if (r.pendingBatch)
    lines.push(
      `created batch ${r.pendingBatch.id} with ${r.pendingBatch.items} actions: waiting for approval (caio batch show ${r.pendingBatch.id}; caio batch approve ${r.pendingBatch.id} --by NAME; then caio dispatch --motion ${r.motion} --live --batch ${r.pendingBatch.id} --by NAME)`,
    );
  for (const extra of (r.pendingBatches ?? []).slice(1))
    lines.push(
      `created batch ${extra.id} with ${extra.items} ${extra.motion} actions (CRM re-contacts wait in a batch of their own): caio batch show ${extra.id}; then caio dispatch --motion ${extra.motion} --live --batch ${extra.id} --by NAME`,
    );
  if (r.queued)
    lines.push(
      `batch ${r.queued.batchId}: ${r.queued.items} actions ${r.mode === 'dry_run' ? 'would be' : ''} queued, ${r.queued.duplicates} already queued before, ${r.queued.rejected.length} refused${r.queued.rejected.length ? ` (${[...new Set(r.queued.rejected.map((x) => x.reason))].join(', ')})` : ''}`,
    );
  if (r.waitingForBatch) lines.push(`${r.waitingForBatch} approved drafts are not in a batch yet`);
  if (r.drain.reconciled.length) lines.push(`reconciled ${r.drain.reconciled.length} interrupted sends: ${r.drain.reconciled.map((x) => `${x.outboxId} ${x.outcome}`).join(', ')}`);
  if (r.drain.stopped) lines.push(`STOPPED: ${r.drain.stopReason}`);
  if (r.drain.items.length) {
    lines.push(
      renderTable(
        ['outbox item', 'lead', 'channel', 'outcome', 'reason'],
        r.drain.items.map((i) => [i.outboxId, i.leadId ?? '-', i.channel, i.outcome, i.reason ?? (i.providerRef ? `-> ${i.providerRef}` : '')]),
      ),
    );
  } else lines.push('nothing due in the outbox');
  const c = r.drain.counts;
  lines.push(`${r.mode === 'dry_run' ? `would send ${c.would_send}` : `sent ${c.sent}`}, deferred ${c.deferred}, rejected ${c.rejected}, failed ${c.failed}, uncertain ${c.uncertain}${c.stopped ? `, held by the stop ${c.stopped}` : ''}`);
  return `${lines.join('\n')}\n`;
};

export const dispatchCommand = async (options: CommonOptions & { motion: BatchMotion; dryRun?: boolean; live?: boolean; batch?: string; by?: string; json?: boolean }): Promise<void> => {
  if (options.live && options.dryRun) throw new AppError('INVALID_INPUT', 'choose --dry-run or --live, not both');
  if (options.live && !options.by?.trim()) throw new AppError('INVALID_INPUT', 'a live dispatch needs --by NAME');
  await withOperator(options, async (_app, dispatch) => {
    const report = await dispatch.operator.dispatch({ motion: options.motion, live: Boolean(options.live), batchId: options.batch, by: options.by?.trim() || 'operator (dry run)' });
    if (options.json) return printJson(report);
    cliOut(renderDispatch(report));
  });
};

/** Stopping never waits for words (issue 21 item 6): without --reason the stop is set and the reason asked for afterwards. */
export const stopCommand = async (options: CommonOptions & { reason?: string; by: string; json?: boolean }): Promise<void> => {
  await withOperator(options, async (_app, dispatch) => {
    const result = await dispatch.operator.stop(options.by, options.reason ?? '');
    if (options.json) return printJson(result);
    cliOut(`EMERGENCY STOP set at ${result.at.toISOString()}; paused: ${JSON.stringify(result.paused)}\n`);
    if (!options.reason?.trim()) cliOut(`no reason given: add it with caio stop-reason --reason TEXT --by ${options.by}\n`);
  });
};

export const explainStopCommand = async (options: CommonOptions & { reason: string; by: string; json?: boolean }): Promise<void> => {
  await withOperator(options, async (_app, dispatch) => {
    const result = await dispatch.operator.explainStop(options.by, options.reason);
    if (options.json) return printJson(result);
    cliOut(`reason of the emergency stop recorded at ${result.at.toISOString()}: ${result.reason}\n`);
  });
};

export const resumeCommand = async (options: CommonOptions & { by: string; json?: boolean }): Promise<void> => {
  await withOperator(options, async (app, dispatch) => {
    const result = await dispatch.operator.resume(options.by);
    if (options.json) return printJson({ ...result, envEmergencyStop: app.config.env.EMERGENCY_STOP === true });
    cliOut(`emergency stop cleared at ${result.at.toISOString()}${app.config.env.EMERGENCY_STOP ? ' (EMERGENCY_STOP is still set in the environment: sending stays blocked)' : ''}\n`);
  });
};

export const operatorStatusCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const status = await operatorStatusFor(app)();
    const stop = status.emergencyStop.database;
    const { usage, linkedinWarmup: warmup, ramp, batches: pending } = status;
    if (options.json) return printJson(status);
    const out = [
      `send mode: ${status.sendMode}${status.emergencyStop.active ? `; EMERGENCY STOP ACTIVE${stop?.active ? ` (set by ${stop.setBy} at ${stop.setAt.toISOString()}: ${stop.reason ?? ''})` : ''}${status.emergencyStop.environment ? ' (EMERGENCY_STOP in the environment)' : ''}` : '; no emergency stop'}`,
      `limits today (UTC): ${JSON.stringify(usage)}`,
      `LinkedIn warm-up: week ${warmup.week}, ${warmup.inWarmup ? 'in warm-up' : 'full'}: ${warmup.limit}/day`,
      `ramp: ${ramp.active ? `active, day ${ramp.day}, ${ramp.cleanDays}/${ramp.required} clean days (${ramp.reason})` : `off (${ramp.reason})`}`,
      `open batches: ${pending.length ? pending.map((b) => `${b.id} ${b.status} ${b.items} actions`).join('; ') : 'none'}`,
      `outbox: ${JSON.stringify(status.outbox)}`,
      `campaigns: ${status.campaigns.length ? status.campaigns.map((c) => `${c.provider} ${c.kind} ${c.name} [${c.status}] ${c.externalId}`).join('; ') : 'none'}`,
    ];
    cliOut(`${out.join('\n')}\n`);
  });
};

export const operatorHealthCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withOperator(options, async (_app, dispatch) => {
    const results = await dispatch.operator.checkHealth();
    if (options.json) return printJson(results);
    cliOut(
      results.length
        ? `${renderTable(
            ['provider', 'campaign', 'sent', 'bounces', 'complaints', 'paused now', 'reason'],
            results.map((r) => [r.provider, r.campaign, r.sent, r.bounces, r.complaints, r.paused ? 'YES' : 'no', r.reason]),
          )}\n`
        : 'no live campaign to check\n',
    );
  });
};

export const operatorIncidentsCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const open = await openIncidentsFor(app)();
    if (options.json) return printJson(open);
    cliOut(
      open.length
        ? `${renderTable(
            ['incident', 'since', 'level', 'paged at', 'last seen', 'what'],
            open.map((i) => [i.key, i.openedAt.toISOString(), String(i.level), i.notifiedLevel ? String(i.notifiedLevel) : '-', i.lastSeenAt.toISOString(), String(i.details.title ?? '')]),
          )}\n`
        : 'no open incident\n',
    );
  });
};

export const revivalScanCommand = async (options: CommonOptions & { limit: number; json?: boolean }): Promise<void> => {
  await withOperator(options, async (app, dispatch) => {
    if (!dispatch.revival) throw new AppError('CONFLICT', 'GoHighLevel is not configured (GHL_API_KEY and GHL_LOCATION_ID)');
    const candidates = await dispatch.revival.scan(app.clock.now(), options.limit);
    if (options.json) return printJson(candidates);
    cliOut(
      candidates.length
        ? `${renderTable(
            ['score', 'reason', 'days', 'email', 'company', 'our status'],
            candidates.map((c) => [c.score, c.reason, c.daysInactive, c.email, c.company ?? '-', c.status ?? 'no record']),
          )}\n`
        : 'no contact to revive\n',
    );
  });
};

export const campaignsListCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const list = await campaignListFor(app)();
    if (options.json) return printJson(list);
    cliOut(
      list.length
        ? `${renderTable(
            ['provider', 'kind', 'name', 'status', 'external id', 'activated by'],
            list.map((c) => [c.provider, c.kind, c.name, c.status, c.externalId, c.activatedBy ?? '-']),
          )}\n`
        : 'no campaigns yet\n',
    );
  });
};

export const campaignsActivateCommand = async (externalId: string, options: CommonOptions & { by: string; json?: boolean }): Promise<void> => {
  // Refused before anything is opened (the use case says the same, for the API).
  if (!options.by.trim()) throw new AppError('INVALID_INPUT', 'say who activates (--by NAME)');
  await withOperator(options, async (app, dispatch) => {
    const campaign = await campaignControlsFor(app, dispatch).activate(externalId, options.by);
    if (options.json) return printJson(campaign);
    cliOut(`campaign ${campaign.name} (${campaign.externalId}) activated by ${campaign.activatedBy ?? ''}\n`);
  });
};
