import { leadIdentities } from '../domain/lead.js';
import type { RunContext, StageOutcome, WorkingLead } from './context.js';
import type { DiscoveryResult } from './ports.js';

/** Stage 1: remember the people the lead source found (up to the run's limit). */
export const discoverLeads = async (ctx: RunContext, found: DiscoveryResult): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, source } = ctx.deps;
  // People who asked to be forgotten are never stored again, whatever the source.
  const isSuppressed = await stores.suppressions.matcher();
  const allowed = found.leads.filter((d) => !leadIdentities(d.profile).some(isSuppressed));
  const suppressed = found.leads.length - allowed.length;
  found.leads = allowed;
  const stored = await stores.leads.upsertDiscovered(ctx.runId, found.leads);
  const seen = new Set<string>();
  const output: WorkingLead[] = [];
  let inOutreach = 0;
  stored.forEach((row, i) => {
    const discovered = found.leads[i]!;
    if (row.inOutreach) {
      inOutreach++;
      return;
    }
    if (seen.has(row.id)) return;
    seen.add(row.id);
    output.push({ id: row.id, source: discovered.source, sourceId: discovered.sourceId, profile: discovered.profile });
  });
  const quietlyEmpty = output.length === 0 && found.errors.length === 0 && found.emptyIsNormal === true;
  return {
    output,
    ...(found.considered !== undefined ? { inputCount: found.considered } : {}),
    passed: output.length > 0 || quietlyEmpty,
    errors: found.errors.length === 0 && output.length === 0 && !quietlyEmpty ? [{ message: `source ${source.name} returned no leads` }] : found.errors,
    metrics: { source: source.name, found: found.leads.length + suppressed, suppressed, alreadyInOutreach: inOutreach, ...found.metrics },
  };
};
