import { pino } from 'pino';
import { DEFAULT_ICP_SETTINGS } from '../../src/domain/scoring/settings.js';
import { DEFAULT_SENDER_SETTINGS } from '../../src/domain/drafting/settings.js';
import { fixedClock, type Clock } from '../../src/lib/clock.js';
import { createLogAlerts } from '../../src/providers/log-alerts.js';
import type { PipelineDeps, PipelineSettings } from '../../src/pipeline/context.js';
import type { DiscoveredLead, EnrichmentResult, LeadEnricher, LeadSource, PipelineStores } from '../../src/pipeline/ports.js';
import { mergeProfiles } from '../../src/domain/lead.js';

export const silentLog = pino({ level: 'silent' });

export const fakeSource = (leads: DiscoveredLead[] | (() => never)): LeadSource => ({
  name: 'fake',
  discover: async ({ limit }) => {
    if (typeof leads === 'function') leads();
    return { leads: (leads as DiscoveredLead[]).slice(0, limit), errors: [], metrics: {} };
  },
});

/** An enricher that answers from a table by source id; a function value lets a test throw. */
export const fakeEnricher = (answers: Record<string, Partial<DiscoveredLead['profile']> | (() => EnrichmentResult)>): LeadEnricher & { calls: string[] } => {
  const calls: string[] = [];
  return {
    provider: 'fake_match',
    calls,
    enrich: async ({ sourceId, profile }) => {
      calls.push(sourceId);
      const answer = answers[sourceId];
      if (answer === undefined) return { outcome: 'miss' };
      if (typeof answer === 'function') return answer();
      const enriched = mergeProfiles(profile, { ...profile, ...answer, provenance: Object.fromEntries(Object.keys(answer).map((k) => [k, 'fake_match'])) });
      return { outcome: 'matched', profile: enriched, raw: { sourceId }, fields: Object.keys(answer) };
    },
  };
};

export const testSettings = (overrides: Partial<PipelineSettings> = {}): PipelineSettings => ({
  mode: 'sandbox',
  icp: DEFAULT_ICP_SETTINGS,
  sender: DEFAULT_SENDER_SETTINGS,
  tierRouting: { tier_1: ['instantly', 'heyreach'], tier_2: ['instantly', 'heyreach'], tier_3: ['instantly'], tier_4: [] },
  stopOnStageFailure: false,
  enrichConcurrency: 2,
  enrichTimeoutMs: 30_000,
  review: { rejectionTtlDays: 30, maxRejections: 2 },
  quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4 },
  ...overrides,
});

let runCounter = 0;

export const pipelineDeps = (stores: PipelineStores, parts: { source: LeadSource; enricher: LeadEnricher; settings?: Partial<PipelineSettings>; clock?: Clock }) => {
  const alerts = createLogAlerts(silentLog);
  const deps: PipelineDeps = {
    stores,
    source: parts.source,
    enricher: parts.enricher,
    alerts,
    clock: parts.clock ?? fixedClock('2026-11-24T09:00:00Z'),
    log: silentLog,
    settings: testSettings(parts.settings),
    newRunId: () => `run_20261124_090000_${(++runCounter).toString(16).padStart(6, '0')}`,
  };
  return { deps, alerts };
};
