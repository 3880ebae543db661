import { enrichmentQuality } from '../domain/enrichment-quality.js';
import { leadIdentities } from '../domain/lead.js';
import { AppError, isAppError } from '../lib/app-error.js';
import { addCredits } from './enrichment-waterfall.js';
import { describeError, MAX_STAGE_ERRORS, type RunContext, type StageOutcome, type WorkingLead } from './context.js';
import type { CreditsSpent, EnrichmentResult, StageError } from './ports.js';

/**
 * Stage 2: enrich each lead once through the enricher. A lead that cannot be enriched continues
 * unenriched and is counted; out of credits stops further calls for the run (each later lead is
 * recorded as skipped), as the provider would only refuse again.
 */
export const enrichLeads = async (ctx: RunContext, leads: WorkingLead[]): Promise<StageOutcome<WorkingLead[]>> => {
  const { stores, enricher, alerts, settings } = ctx.deps;
  const errors: StageError[] = [];
  const counts = { enriched: 0, miss: 0, failed: 0, skipped: 0, duplicates: 0, suppressed: 0, timedOut: 0 };
  const credits: CreditsSpent = {};
  const qualities: number[] = [];
  let outOfCredits = false;
  let done = 0;
  const byId = new Map<string, WorkingLead>();

  const suppressedMatcher = await stores.suppressions.matcher();
  const isSuppressed = async (profile: WorkingLead['profile']) => leadIdentities(profile).some(suppressedMatcher);

  // Retries, Retry-After and the circuit breaker live in the provider's HTTP policy; this caps the
  // whole waterfall for one lead (spec/enrichment.md: 180 s). A late provider answer is dropped.
  const callEnricher = async (lead: WorkingLead): Promise<EnrichmentResult> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('PROVIDER_UNAVAILABLE', `enrichment took longer than ${settings.enrichTimeoutMs} ms for this lead`, { retryable: true, details: { reason: 'lead_timeout' } })), settings.enrichTimeoutMs);
    });
    try {
      return await Promise.race([enricher.enrich({ ...lead, leadId: lead.id, runId: ctx.runId }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

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
        addCredits(credits, result.credits);
        const quality = result.outcome === 'matched' ? enrichmentQuality(result.profile) : null;
        if (quality !== null) qualities.push(quality);
        applied = await stores.leads.applyEnrichment(lead.id, ctx.runId, enricher.provider, result, { quality, credits: result.credits ?? {} });
      } catch (error) {
        const described = describeError(error);
        counts.failed++;
        if (isAppError(error) && error.details.reason === 'lead_timeout') counts.timedOut++;
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
    metrics: {
      provider: enricher.provider,
      ...counts,
      unenriched: counts.miss + counts.failed + counts.skipped,
      credits,
      // Totals, not an average, so batches of one run add up (averageQuality() reads them).
      quality: { total: qualities.reduce((a, b) => a + b, 0), leads: qualities.length },
    },
  };
};

/** The mean enrichment quality of a stage's matched leads, from its metrics; null when none matched. */
export const averageQuality = (metrics: Record<string, unknown>): number | null => {
  const q = metrics.quality as { total?: number; leads?: number } | undefined;
  return q?.leads ? Math.round((q.total ?? 0) / q.leads) : null;
};
