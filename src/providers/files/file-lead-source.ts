import path from 'node:path';
import type { DiscoveredLead, DiscoveryResult, LeadSource, StageError } from '../../pipeline/ports.js';
import { readLeadFile, type InputReport, type LeadFile } from './read-lead-file.js';

const MAX_REPORTED = 1000;

/**
 * `--input FILE` replaces discovery: each accepted row becomes a lead (source `csv_import`, keyed by
 * its identity); each refused row is reported with its line and reason, and the good rows still run.
 */
export const createFileLeadSource = (deps: {
  file: string;
  isSuppressed: () => Promise<(identity: string) => boolean>;
  onProgress?: (rows: number) => void;
  /** @defaultValue 1000 */ batchSize?: number;
}): LeadSource & { report: () => InputReport | null } => {
  let report: InputReport | null = null;
  const toDiscovered = (l: LeadFile['leads'][number]): DiscoveredLead => ({ source: 'csv_import', sourceId: l.identity, profile: l.profile, raw: { file: path.basename(deps.file), line: l.line, custom: l.custom } });
  const totals = (r: InputReport) => ({
    errors: r.rejected.slice(0, 50).map((x): StageError => ({ message: `line ${x.line}, ${x.field}: ${x.message}`, code: 'INVALID_ROW' })),
    considered: r.rows,
    metrics: { input: { ...r, rejected: r.rejected.slice(0, MAX_REPORTED), duplicateRows: r.duplicateRows.slice(0, MAX_REPORTED) } },
  });
  return {
    name: `file:${path.basename(deps.file)}`,
    report: () => report,
    discoverBatches: async ({ limit }, onBatch) => {
      // A first pass checks the whole file, so a broken line near the end fails the run before
      // anything is written; the second pass hands the accepted rows over in batches.
      const isSuppressed = await deps.isSuppressed();
      await readLeadFile(deps.file, { isSuppressed, validateOnly: true });
      let taken = 0;
      const read = await readLeadFile(deps.file, {
        isSuppressed,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        ...(deps.batchSize ? { batchSize: deps.batchSize } : {}),
        onBatch: async (batch: LeadFile['leads']) => {
          const room = Math.max(0, limit - taken);
          if (room === 0) return;
          const leads = batch.slice(0, room);
          taken += leads.length;
          await onBatch(leads.map(toDiscovered));
        },
      });
      report = read.report;
      return totals(read.report);
    },
    discover: async ({ limit }): Promise<DiscoveryResult> => {
      const read = await readLeadFile(deps.file, { isSuppressed: await deps.isSuppressed(), ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) });
      report = read.report;
      return { leads: read.leads.slice(0, limit).map(toDiscovered), ...totals(read.report) };
    },
  };
};
