import { describeError } from './context.js';
import type { CreditsSpent, EnrichmentResult, LeadEnricher } from './ports.js';

type Attempt = { provider: string; outcome: string; error?: string; code?: string; reason?: string };

export const addCredits = (into: CreditsSpent, more: CreditsSpent | undefined): CreditsSpent => {
  for (const [provider, n] of Object.entries(more ?? {})) if (n) into[provider] = (into[provider] ?? 0) + n;
  return into;
};

/**
 * Stage 2's waterfall: each provider in order until one gives an email; a provider that fails
 * (outage, open breaker, bad answer) is skipped, not fatal. The lead keeps what every provider
 * found, with each field's provenance; the attempts are kept in the raw record.
 */
export const createEnrichmentWaterfall = (steps: LeadEnricher[]): LeadEnricher => {
  // A provider out of credits would only refuse again: it is skipped for the rest of this run.
  const exhausted = new Set<string>();
  return {
    provider: steps.map((s) => s.provider).join('>'),
    enrich: async (lead) => {
      let profile = lead.profile;
      const attempts: Attempt[] = [];
      const raw: Record<string, unknown> = {};
      const fields = new Set<string>();
      const credits: CreditsSpent = {};
      let lastFailure: { error: unknown } | null = null;
      for (const [i, step] of steps.entries()) {
        // The first provider always runs (firmographics); the later ones only look for a missing email.
        if (i > 0 && profile.email) break;
        if (exhausted.has(step.provider)) {
          attempts.push({ provider: step.provider, outcome: 'skipped', code: 'OUT_OF_CREDITS' });
          continue;
        }
        try {
          const result: EnrichmentResult = await step.enrich({ ...lead, profile });
          attempts.push({ provider: step.provider, outcome: result.outcome, ...(result.outcome === 'miss' && result.reason ? { reason: result.reason } : {}) });
          addCredits(credits, result.credits);
          if (result.outcome === 'matched') {
            profile = result.profile;
            raw[step.provider] = result.raw;
            result.fields.forEach((f) => fields.add(f));
          }
        } catch (error) {
          lastFailure = { error };
          const d = describeError(error);
          attempts.push({ provider: step.provider, outcome: 'error', error: d.message, ...(d.code ? { code: d.code } : {}) });
          if (d.code === 'OUT_OF_CREDITS') exhausted.add(step.provider);
        }
      }
      if (fields.size > 0) return { outcome: 'matched', profile, raw: { ...raw, attempts }, fields: [...fields], credits };
      // Every provider failed: report the failure (the stage counts it); some answered with a miss: a miss.
      if (lastFailure && attempts.every((a) => a.outcome === 'error' || a.outcome === 'skipped')) throw lastFailure.error;
      return { outcome: 'miss', credits, reason: attempts.map((a) => `${a.provider}:${a.reason ?? a.code ?? a.outcome}`).join(' > ') };
    },
  };
};
