import { readModelsFor } from '../../compose/read-models.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut } from '../io.js';

/** `caio audit`: the append-only audit log, oldest first. */
export const auditCommand = async (options: CommonOptions & { since?: Date; limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const entries = await readModelsFor(app).audit.list({ since: options.since, limit: options.limit });
    if (options.json) return printJson(entries);
    for (const e of entries) cliOut(`${e.at.toISOString()} ${e.actor} ${e.action} ${e.entityType}${e.entityId ? ` ${e.entityId}` : ''}${Object.keys(e.details).length ? ` ${JSON.stringify(e.details)}` : ''}\n`);
  });
};
