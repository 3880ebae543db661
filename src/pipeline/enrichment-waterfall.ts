import { describeError } from './context.js';
import type { EnrichmentResult, LeadEnricher } from './ports.js';

/**
 * Stage 2's waterfall: each provider in order until one gives an email; a provider that fails
 * (outage, open breaker, bad answer) is skipped, not fatal. The lead keeps what every provider
 * found, with each field's provenance; the attempts are kept in the raw record.
 */
export const createEnrichmentWaterfall = (steps: LeadEnricher[]): LeadEnricher => ({
  provider: steps.map((s) => s.provider).join('>'),
  enrich: async (lead) => {
    let profile = lead.profile;
    const attempts: { provider: string; outcome: string; error?: string; code?: string }[] = [];
    const raw: Record<string, unknown> = {};
    const fields = new Set<string>();
    let lastError: unknown = null;
    for (const [i, step] of steps.entries()) {
      // The first provider always runs (firmographics); the later ones only look for a missing email.
      if (i > 0 && profile.email) break;
      try {
        const result: EnrichmentResult = await step.enrich({ ...lead, profile });
        attempts.push({ provider: step.provider, outcome: result.outcome });
        if (result.outcome === 'matched') {
          profile = result.profile;
          raw[step.provider] = result.raw;
          result.fields.forEach((f) => fields.add(f));
        }
      } catch (error) {
        lastError = error;
        const d = describeError(error);
        attempts.push({ provider: step.provider, outcome: 'error', error: d.message, ...(d.code ? { code: d.code } : {}) });
        // Out of credits stops the run's use of that provider upstream; here it just moves on.
      }
    }
    if (fields.size > 0) return { outcome: 'matched', profile, raw: { ...raw, attempts }, fields: [...fields] };
    // Every provider failed: report the failure (the stage counts it); some answered with a miss: a miss.
    if (lastError && attempts.every((a) => a.outcome === 'error')) throw lastError;
    return { outcome: 'miss' };
  },
});
