import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { Tier } from '../../domain/tier.js';
import { readModelsFor } from '../../compose/read-models.js';
import type { ExportRow } from '../../store/export-repo.js';
import { configFrom } from '../config-from.js';
import type { CommonOptions } from '../options.js';
import { withApp } from './with-app.js';
import { cliErr, cliOut, cliPath } from '../io.js';

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection). */
export const escapeCell = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const COLUMNS: [string, (r: ExportRow) => string | number | null][] = [
  ['email', (r) => r.email],
  ['first name', (r) => r.firstName],
  ['last name', (r) => r.lastName],
  ['title', (r) => r.title],
  ['company', (r) => r.company],
  ['website', (r) => r.domain],
  ['industry', (r) => r.industry],
  ['employees', (r) => r.employees],
  ['linkedin', (r) => r.linkedinUrl],
  ['tier', (r) => r.tier],
  ['points', (r) => r.points],
  ['status', (r) => r.status],
  ['needs review', (r) => (r.needsReview === null ? null : r.needsReview ? 'yes' : 'no')],
  ['reasons', (r) => r.reasons.join(' | ')],
  ['disqualification', (r) => r.disqualificationReason],
  ['skip reason', (r) => r.skipReason],
  ['last activity', (r) => r.lastActivity.toISOString()],
];

export const toCsv = (rows: ExportRow[]): string => stringify([COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, get]) => escapeCell(String(get(r) ?? ''))))], { bom: true, record_delimiter: 'windows' });

/** `caio leads export`: CSV (spreadsheet-safe) or JSON, to stdout or --out. */
export const leadsExportCommand = async (options: CommonOptions & { format: 'csv' | 'json'; tier?: Tier; status?: string; out?: string }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const rows = await readModelsFor(app).exports.rows({ tier: options.tier, status: options.status });
    const text = options.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows);
    if (options.out) {
      writeFileSync(cliPath(options.out), text);
      cliErr(`wrote ${rows.length} leads to ${options.out}\n`);
    } else {
      cliOut(text);
    }
  });
};
