import path from 'node:path';
import type { DiscoveryResult, LeadSource, StageError } from '../../pipeline/ports.js';
import { readLeadFile, type InputReport } from './read-lead-file.js';

const MAX_REPORTED = 1000;

/**
 * `--input FILE` replaces discovery: each accepted row becomes a lead (source `csv_import`, keyed by
 * its identity); each refused row is reported with its line and reason, and the good rows still run.
 */
export const createFileLeadSource = (deps: { file: string; isSuppressed: () => Promise<(identity: string) => boolean>; onProgress?: (rows: number) => void }): LeadSource & { report: () => InputReport | null } => {
  let report: InputReport | null = null;
  return {
    name: `file:${path.basename(deps.file)}`,
    report: () => report,
    discover: async ({ limit }): Promise<DiscoveryResult> => {
      const read = await readLeadFile(deps.file, { isSuppressed: await deps.isSuppressed(), ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) });
      report = read.report;
      const errors: StageError[] = read.report.rejected.slice(0, 50).map((r) => ({ message: `line ${r.line}, ${r.field}: ${r.message}`, code: 'INVALID_ROW' }));
      return {
        leads: read.leads.slice(0, limit).map((l) => ({ source: 'csv_import', sourceId: l.identity, profile: l.profile, raw: { file: path.basename(deps.file), line: l.line, custom: l.custom } })),
        errors,
        considered: read.report.rows,
        metrics: {
          input: { ...read.report, rejected: read.report.rejected.slice(0, MAX_REPORTED), duplicateRows: read.report.duplicateRows.slice(0, MAX_REPORTED) },
        },
      };
    },
  };
};
