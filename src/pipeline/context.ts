import type { CopyCheckSettings } from '../domain/quality/copy-checks.js';
import type { IcpSettings } from '../domain/scoring/settings.js';
import type { SenderSettings } from '../domain/drafting/index.js';
import type { VisitMention } from '../domain/drafting/visit-mention.js';
import type { Tier } from '../domain/tier.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { AlertPort, LeadEnricher, LeadSource, PipelineStores, SendChannel, StageError, StageName, StageResult } from './ports.js';

// Declared with the ports (the store and the dispatch ports use them too); re-exported for the use cases.
export type { SendChannel, WorkingLead } from './ports.js';

export type PipelineSettings = {
  mode: 'sandbox' | 'live';
  icp: IcpSettings;
  sender: SenderSettings;
  tierRouting: Record<Tier, readonly SendChannel[]>;
  stopOnStageFailure: boolean;
  enrichConcurrency: number;
  /** The cap on one lead's whole waterfall. */
  enrichTimeoutMs: number;
  /** Rejection memory: how long a rejection counts, and how many block a lead from new drafts. */
  review: { rejectionTtlDays: number; maxRejections: number };
  quality: { enabled: boolean; mode: 'soft' | 'hard'; genericPhraseDensity: number; checks?: CopyCheckSettings | undefined };
  /** false: stage 2 is skipped and leads go on with what their source gave. @defaultValue true */
  enrich?: boolean;
  /** How a draft may use a website visit (`rb2b.mentionVisit`). @defaultValue never */
  visitMention?: VisitMention | undefined;
};

export type PipelineDeps = {
  stores: PipelineStores;
  source: LeadSource;
  enricher: LeadEnricher;
  alerts: AlertPort;
  clock: Clock;
  log: Logger;
  settings: PipelineSettings;
  /** For tests: a fixed run id; defaults to `run_YYYYMMDD_HHMMSS_<6 hex>` from the clock. */
  newRunId?: () => string;
};

export type PipelineEvents = {
  onStageStart?: (name: StageName, inputCount: number) => void;
  onStageProgress?: (name: StageName, done: number, total: number) => void;
  onStageEnd?: (result: StageResult) => void;
};

export type RunContext = { runId: string; deps: PipelineDeps; events: PipelineEvents };

/** What a stage hands back: its output for the next stage and the facts for its StageResult. */
export type StageOutcome<T> = {
  output: T;
  /** Overrides the stage's input count (discovery from a file counts its rows, not the limit). */
  inputCount?: number;
  passed: boolean;
  errors: StageError[];
  metrics: Record<string, unknown>;
};

/** Error messages in reports carry codes and lead ids, never provider bodies or secrets. */
export const describeError = (error: unknown): { message: string; code?: string } => {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return typeof e?.code === 'string' ? { message, code: e.code } : { message };
};

export const MAX_STAGE_ERRORS = 50;
