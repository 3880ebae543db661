import type { BatchMotion } from '../../domain/approval/batch.js';
import { openDispatch, type AppDeps } from '../../deps.js';
import type { Batch } from '../../store/batches-repo.js';
import { gatekeeperFor } from '../../compose/operator.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { renderTable } from '../render/table.js';
import { renderBatchPreview } from '../render/batch-preview.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

const summary = (b: Batch, now: Date) =>
  `batch ${b.id} [${b.status}${b.status !== 'executed' && b.status !== 'rejected' && b.expiresAt <= now ? ', expired' : ''}] ${b.motion}, ${b.scope.length} actions, preview ${b.previewHash.slice(0, 12)}, expires ${b.expiresAt.toISOString()}${b.decidedBy ? `, ${b.status} by ${b.decidedBy}` : ''}`;

export const batchCreateCommand = async (options: CommonOptions & { motion: BatchMotion; by: string; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    // `all` puts CRM re-contacts in a revival batch of their own (issue 21 item 3): both are printed.
    const [created, ...others] = await gatekeeperFor(app).createBatches(options.motion, options.by);
    if (options.json) return printJson(others.length ? { ...created!, alsoCreated: others } : created);
    cliOut(`${[created!, ...others].map((b) => `${summary(b, app.clock.now())}\nreview it with: caio batch show ${b.id}`).join('\n')}\n`);
  });
};

export const batchListCommand = async (options: CommonOptions & { limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const list = await gatekeeperFor(app).list(options.limit);
    if (options.json) return printJson(list);
    if (list.length === 0) return void cliOut('no batches yet\n');
    cliOut(`${list.map((b) => summary(b, app.clock.now())).join('\n')}\n`);
  });
};

/** The batch's items with the copy each will send (the OPERATOR crafts a cadence step's per lead). */
const previewOf = async (app: AppDeps, id: string) => {
  const dispatch = await openDispatch(app);
  try {
    return await dispatch.operator.preview(id);
  } finally {
    await dispatch.close();
  }
};

export const batchShowCommand = async (id: string, options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const b = await gatekeeperFor(app).show(id);
    const preview = await previewOf(app, b.id);
    if (options.json) return printJson({ ...b, preview });
    cliOut(
      `${summary(b, app.clock.now())}\n${renderTable(
        ['draft', 'channel', 'action', 'recipient'],
        b.scope.map((i) => [i.draftId, i.channel, i.action, i.recipient]),
      )}\n${renderBatchPreview(preview)}\n`,
    );
  });
};

export const batchApproveCommand = async (id: string, options: CommonOptions & { by: string; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const b = await gatekeeperFor(app).approve(id, options.by);
    if (options.json) return printJson(b);
    cliOut(`${summary(b, app.clock.now())}\n`);
  });
};

export const batchRejectCommand = async (id: string, options: CommonOptions & { by: string; reason: string; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const b = await gatekeeperFor(app).reject(id, options.by, options.reason);
    if (options.json) return printJson(b);
    cliOut(`${summary(b, app.clock.now())}\n`);
  });
};
