import { leadIdentities } from '../domain/lead.js';
import { isAppError } from '../lib/app-error.js';
import { describeError, MAX_STAGE_ERRORS, type RunContext, type StageOutcome, type WorkingLead } from './context.js';
import type { EnrichmentResult, StageError } from './ports.js';

/**
 * Stage 2: enrich each lead once through the enricher. A lead that cannot be enriched continues
 * unenriched and is counted; out of credits stops further calls for the run (each later lead is
 * recorded as skipped), as the provider would only refuse again.
 */
export const enrichLeads = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, enricher, alerts, settings } = ctx.deps;
  const errors: StageError[] = [];
  const counts = { enriched: 0, miss: 0, failed: 0, skipped: 0, duplicates: 0, suppressed: 0 };
  let outOfCredits = false;
  let done = 0;
  const byId = new Map<string, WorkingLead>();

  const suppressedMatcher = await stores.suppressions.matcher();
  const isSuppressed = async (profile: WorkingLead['profile']) => leadIdentities(profile).some(suppressedMatcher);

  // Retries, Retry-After and the circuit breaker live in the provider's HTTP policy.
  const callEnricher = (lead: WorkingLead): Promise<EnrichmentResult> => enricher.enrich(lead);

  const enrichOne = async (lead: WorkingLead) => {
    let applied;
    if (outOfCredits) {
      counts.skipped++;
      applied = await stores.leads.applyEnrichment(lead.id, ctx.runId, enricher.provider, { outcome: 'skipped', error: 'provider out of credits' });
    } else {
      try {
        const result = await callEnricher(lead);
        if (result.outcome === 'matched' && (await isSuppressed(result.profile))) {
          // Revealed as someone who asked to be forgotten: drop what the search stored, keep nothing.
          counts.suppressed++;
          await stores.leads.discard(lead.id);
          ctx.events.onStageProgress?.('enrich', ++done, leads.length);
          return;
        }
        if (result.outcome === 'matched') counts.enriched++;
        else counts.miss++;
        applied = await stores.leads.applyEnrichment(lead.id, ctx.runId, enricher.provider, result);
      } catch (error) {
        const described = describeError(error);
        counts.failed++;
        if (errors.length < MAX_STAGE_ERRORS) errors.push({ ...described, leadRef: lead.id });
        if (isAppError(error) && error.code === 'OUT_OF_CREDITS' && !outOfCredits) {
          outOfCredits = true;
          await alerts.send({
            severity: 'critical',
            title: `${enricher.provider} is out of credits`,
            body: 'Enrichment stopped for the rest of this run; the remaining leads continue unenriched.',
            metadata: { runId: ctx.runId, provider: enricher.provider },
          });
        }
        applied = await stores.leads.applyEnrichment(lead.id, ctx.runId, enricher.provider, { outcome: 'error', error: described.message });
      }
    }
    if (applied.duplicateOf) counts.duplicates++;
    const existing = byId.get(applied.leadId);
    byId.set(applied.leadId, { ...(existing ?? lead), id: applied.leadId, profile: applied.profile });
    ctx.events.onStageProgress?.('enrich', ++done, leads.length);
  };

  // A small pool keeps the provider's rate limit and the order of writes predictable.
  const queue = [...leads];
  const workers = Array.from({ length: Math.min(settings.enrichConcurrency, queue.length) }, async () => {
    for (let lead = queue.shift(); lead; lead = queue.shift()) await enrichOne(lead);
  });
  await Promise.all(workers);

  const order = new Map(leads.map((l, i) => [l.id, i]));
  const output = [...byId.values()].sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
  return {
    output,
    // Misses are answers, not failures: the stage fails only when nothing was enriched because calls failed.
    passed: counts.enriched > 0 || counts.failed + counts.skipped === 0,
    errors,
    metrics: { provider: enricher.provider, ...counts, unenriched: counts.miss + counts.failed + counts.skipped },
  };
};
