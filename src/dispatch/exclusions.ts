import { exclusionColumns, readExclusionRows, type ExclusionRowError } from '../domain/sending/exclusion-rows.js';
import type { RecipientPolicy } from '../domain/sending/recipient-guards.js';
import { AppError } from '../lib/app-error.js';
import type { Clock } from '../lib/clock.js';
import type { AuditStore } from '../pipeline/ports.js';
import type { ExclusionStore, RecipientExclusion } from './ports.js';

export type ExclusionImport = { rows: number; domains: number; emails: number; added: number; errors: ExclusionRowError[] };

export type ExclusionsDeps = { store: ExclusionStore; audit: AuditStore; clock: Clock };

/**
 * `caio exclusions import`: customers' domains and e-mails from a table (a header naming a domain
 * and/or an e-mail column). Bad rows are reported with their line; the good rows are stored and
 * from then on refused by the send gateway's recipient guards, as the config's exclusions are.
 */
export const importExclusions = async (deps: ExclusionsDeps, input: { source: string; header: readonly string[]; records: readonly { line: number; cells: readonly string[] }[]; by: string }): Promise<ExclusionImport> => {
  const by = input.by.trim();
  if (!by) throw new AppError('INVALID_INPUT', 'say who imports the exclusions (--by NAME)');
  const columns = exclusionColumns(input.header);
  if (!columns) throw new AppError('INVALID_INPUT', `${input.source}: the header has no domain or email column (found: ${input.header.slice(0, 8).join(', ') || 'nothing'}); nothing was imported`);
  const read = readExclusionRows(columns, input.records);
  const now = deps.clock.now();
  const entries: RecipientExclusion[] = read.entries.map((e) => ({ ...e, source: input.source, addedBy: by, addedAt: now }));
  const added = entries.length ? await deps.store.add(entries) : 0;
  const domains = read.entries.filter((e) => e.kind === 'domain').length;
  const emails = read.entries.length - domains;
  await deps.audit.append({
    at: now,
    actor: by,
    action: 'exclusions.imported',
    entityType: 'exclusions',
    entityId: null,
    runId: null,
    details: { source: input.source, rows: read.rows, domains, emails, added, rejected: read.errors.length },
  });
  return { rows: read.rows, domains, emails, added, errors: read.errors };
};

/** The imported exclusions as the recipient guards take them, read once per drain. */
export const importedExclusionPolicy = (store: Pick<ExclusionStore, 'list'>) => async (): Promise<RecipientPolicy> => {
  const all = await store.list();
  return { excludedDomains: all.filter((e) => e.kind === 'domain').map((e) => e.value), excludedEmails: all.filter((e) => e.kind === 'email').map((e) => e.value) };
};
