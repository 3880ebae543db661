import { InvalidArgumentError, type Command } from 'commander';
import type { BatchMotion } from '../../domain/approval/batch.js';
import type { AppDeps } from '../../deps.js';
import { createGatekeeper } from '../../pipeline/gatekeeper.js';
import { createBatchStore, type Batch } from '../../store/batches-repo.js';
import { configFrom, parsePositiveInt, withCommonOptions, type CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { printJson, withApp } from './with-app.js';

const gatekeeperFor = (app: AppDeps) =>
  createGatekeeper({ batches: createBatchStore(app.database.db), audit: app.stores.audit, alerts: app.alerts, clock: app.clock, settings: { batchExpiryHours: app.config.gatekeeper.batchExpiryHours, tierRouting: app.config.tierRouting } });

const parseMotion = (value: string): BatchMotion => {
  if (!['outbound', 'revival', 'cadence', 'all'].includes(value)) throw new InvalidArgumentError('motion must be outbound, revival, cadence or all.');
  return value as BatchMotion;
};

const summary = (b: Batch, now: Date) => `batch ${b.id} [${b.status}${b.status !== 'executed' && b.status !== 'rejected' && b.expiresAt <= now ? ', expired' : ''}] ${b.motion}, ${b.scope.length} actions, preview ${b.previewHash.slice(0, 12)}, expires ${b.expiresAt.toISOString()}${b.decidedBy ? `, ${b.status} by ${b.decidedBy}` : ''}`;

export const registerBatchCommands = (program: Command): void => {
  const batch = program.command('batch').description('Gatekeeper batches: the frozen scope a person approves before anything is dispatched');

  withCommonOptions(
    batch.command('create').description('freeze the approved drafts into a batch waiting for approval').requiredOption('--motion <motion>', 'outbound (revival and cadence come later)', parseMotion).requiredOption('--by <name>', 'who creates it').option('--json', 'print JSON'),
  ).action(async (options: CommonOptions & { motion: BatchMotion; by: string; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const created = await gatekeeperFor(app).create(options.motion, options.by);
      if (options.json) return printJson(created);
      process.stdout.write(`${summary(created, app.clock.now())}\nreview it with: caio batch show ${created.id}\n`);
    });
  });

  withCommonOptions(batch.command('list').description('batches, newest first').option('--limit <n>', 'how many', parsePositiveInt('limit', 1000), 50).option('--json', 'print JSON')).action(async (options: CommonOptions & { limit: number; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const list = await gatekeeperFor(app).list(options.limit);
      if (options.json) return printJson(list);
      if (list.length === 0) return void process.stdout.write('no batches yet\n');
      process.stdout.write(`${list.map((b) => summary(b, app.clock.now())).join('\n')}\n`);
    });
  });

  withCommonOptions(batch.command('show <batchId>').description('one batch and its exact scope').option('--json', 'print JSON')).action(async (id: string, options: CommonOptions & { json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const b = await gatekeeperFor(app).show(id);
      if (options.json) return printJson(b);
      process.stdout.write(`${summary(b, app.clock.now())}\n${renderTable(['draft', 'channel', 'action', 'recipient'], b.scope.map((i) => [i.draftId, i.channel, i.action, i.recipient]))}\n`);
    });
  });

  withCommonOptions(batch.command('approve <batchId>').description('approve the frozen scope (dispatch comes with the send gateway)').requiredOption('--by <name>', 'who approves').option('--json', 'print JSON')).action(async (id: string, options: CommonOptions & { by: string; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const b = await gatekeeperFor(app).approve(id, options.by);
      if (options.json) return printJson(b);
      process.stdout.write(`${summary(b, app.clock.now())}\n`);
    });
  });

  withCommonOptions(batch.command('reject <batchId>').description('reject a batch with a reason').requiredOption('--by <name>', 'who rejects').requiredOption('--reason <text>', 'why').option('--json', 'print JSON')).action(async (id: string, options: CommonOptions & { by: string; reason: string; json?: boolean }) => {
    await withApp(configFrom(options), async (app) => {
      const b = await gatekeeperFor(app).reject(id, options.by, options.reason);
      if (options.json) return printJson(b);
      process.stdout.write(`${summary(b, app.clock.now())}\n`);
    });
  });
};
