import path from 'node:path';
import { importExclusions, type ExclusionImport } from '../../dispatch/exclusions.js';
import { readCsvTable } from '../../providers/files/read-exclusions-file.js';
import { createExclusionStore } from '../../store/exclusions-repo.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';
import { cliOut, cliPath, setExitCode } from '../io.js';

const renderImport = (file: string, result: ExclusionImport): string => {
  const lines = [`${file}: ${result.rows} rows, ${result.domains} domains and ${result.emails} e-mails read, ${result.added} new, ${result.errors.length} rows refused`];
  for (const e of result.errors.slice(0, 50)) lines.push(`  line ${e.line}: ${e.message}`);
  if (result.errors.length > 50) lines.push(`  … ${result.errors.length - 50} more (--json lists them all)`);
  return `${lines.join('\n')}\n`;
};

/** `caio exclusions import FILE`: customers' domains and e-mails the send gateway must never reach; exit 1 when rows were refused. */
export const exclusionsImportCommand = async (file: string, options: CommonOptions & { by: string; json?: boolean }): Promise<ExclusionImport> => {
  const table = await readCsvTable(cliPath(file));
  return withApp(configFrom(options), async (app) => {
    const result = await importExclusions({ store: createExclusionStore(app.database.db), audit: app.stores.audit, clock: app.clock }, { source: path.basename(file), ...table, by: options.by });
    if (options.json) printJson(result);
    else cliOut(renderImport(file, result));
    if (result.errors.length) setExitCode(1);
    return result;
  });
};

/** `caio exclusions list`: the imported exclusions (the config's own are in caio config check). */
export const exclusionsListCommand = async (options: CommonOptions & { json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const all = await createExclusionStore(app.database.db).list();
    if (options.json) return printJson(all.map((e) => ({ ...e, addedAt: e.addedAt.toISOString() })));
    if (!all.length) return cliOut('no imported exclusions (caio exclusions import FILE adds them)\n');
    cliOut(`${all.map((e) => `${e.kind.padEnd(6)} ${e.value}  (${e.source}, ${e.addedBy}, ${e.addedAt.toISOString().slice(0, 10)})`).join('\n')}\n${all.length} imported exclusions\n`);
  });
};
