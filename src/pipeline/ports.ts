/**
 * The ports the pipeline's use cases need. Providers and the store implement them; tests use
 * the real implementations against loopback sandboxes or in-memory fakes.
 */
import type { LeadProfile } from '../domain/lead.js';
import type { LeadScore } from '../domain/scoring/types.js';
import type { CraftedDraft } from '../domain/drafting/index.js';
import type { Tier } from '../domain/tier.js';
import type { QualityVerdict } from '../domain/quality/quality-guard.js';

export const STAGE_NAMES = ['discover', 'enrich', 'score', 'craft', 'queue', 'send'] as const;
export type StageName = (typeof STAGE_NAMES)[number];
export type StageStatus = 'pass' | 'fail' | 'skip';

/** An error a person reads in the run report; `leadRef` is a lead id or a source id, never an email. */
export type StageError = { message: string; code?: string; leadRef?: string };

export type StageResult = {
  name: StageName;
  status: StageStatus;
  inputCount: number;
  outputCount: number;
  durationMs: number;
  errors: StageError[];
  metrics: Record<string, unknown>;
};

export type RunStatus = 'running' | 'passed' | 'failed';

export type RunRecord = {
  runId: string;
  mode: 'sandbox' | 'live';
  source: string;
  requestedLimit: number;
  seed: number | null;
  status: RunStatus;
  startedAt: Date;
  completedAt: Date | null;
  totalErrors: number;
  stages: StageResult[];
  summary: RunSummary;
};

export type RunSummary = { leads?: number; drafts?: number; disqualified?: number; skipped?: number; passed?: number; total?: number };

// ---- discovery and enrichment -------------------------------------------------------------

export type DiscoveredLead = { source: string; sourceId: string; profile: LeadProfile; raw: unknown };

/** `considered`: how many records the source looked at (rows of a file); defaults to the limit. */
export type DiscoveryResult = {
  leads: DiscoveredLead[];
  errors: StageError[];
  metrics: Record<string, unknown>;
  considered?: number;
  /** Finding nobody is normal for this source (no website visitor waiting), not a failed discovery. */
  emptyIsNormal?: boolean;
};

/**
 * Lead statuses a run left unfinished (it stopped between discovery and scoring): a source may offer
 * such a person again. Not `unenriched` (every provider missed: asking again would spend the
 * credits again for the same miss) nor `skipped` (the pipeline decided not to draft).
 */
export const UNFINISHED_STATUSES: readonly string[] = ['discovered', 'enriched'];

export type DiscoverOptions = {
  limit: number;
  /**
   * Of these records of `source`, the ones a run already finished with (not enriched, scored,
   * disqualified, skipped, waiting for review, decided, in outreach): a searching source pages past them, so
   * a top-up finds people it has not offered before instead of the first page again.
   */
  handled?: (source: string, sourceIds: readonly string[]) => Promise<ReadonlySet<string>>;
};

export interface LeadSource {
  readonly name: string;
  discover(options: DiscoverOptions): Promise<DiscoveryResult>;
  /**
   * Large sources (files) hand leads over in batches; the pipeline runs every stage on a batch
   * before asking for the next, so memory stays bounded. Resolves with the source's totals
   * (errors, metrics, how many records it considered) once every batch was handled.
   */
  discoverBatches?(options: { limit: number }, onBatch: (leads: DiscoveredLead[]) => Promise<void>): Promise<Omit<DiscoveryResult, 'leads'>>;
}

/** Credits spent, by provider (a miss can cost credits too: Clay charges per step). */
export type CreditsSpent = Record<string, number>;

export type EnrichmentResult = { outcome: 'matched'; profile: LeadProfile; raw: unknown; fields: string[]; credits?: CreditsSpent } | { outcome: 'miss'; credits?: CreditsSpent; reason?: string };

export type EnrichmentInput = { sourceId: string; source: string; profile: LeadProfile; /** Our lead id, when the lead is already stored. */ leadId?: string; runId?: string };

export interface LeadEnricher {
  readonly provider: string;
  /** Throws AppError for outages, bad responses, auth and credit problems. */
  enrich(lead: EnrichmentInput): Promise<EnrichmentResult>;
}

/** What a Clay callback told us, read through the field map (providers/clay/callback.ts). */
export type ClayResult = {
  requestId: string | null;
  leadId: string | null;
  linkedinUrl: string | null;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  companyName: string | null;
  companyDomain: string | null;
  industry: string | null;
  employeeCount: number | null;
  revenue: string | null;
};

/**
 * Clay correlation lives in the database: a callback can arrive minutes later, after a restart or
 * in another process (the original kept it in Redis for 10 minutes and lost late answers).
 */
export interface ClayCorrelationStore {
  registerRequest(request: { requestId: string; leadId: string | null; linkedinHash: string; runId: string | null; webhookRef: string; submittedAt: Date }): Promise<void>;
  /**
   * Store a callback and find its request: by request id, then lead id, then LinkedIn hash. A
   * callback about a suppressed person (erased, unsubscribed) is not stored: `suppressed: true`.
   */
  recordCallback(result: ClayResult, linkedinHash: string | null, receivedAt: Date): Promise<{ correlated: boolean; requestId: string | null; leadId: string | null; suppressed?: boolean }>;
  /** The callback answering this request, if it has arrived. */
  resultFor(requestId: string): Promise<ClayResult | null>;
  /** The newest callback for this person (a late answer to an earlier run), to reuse instead of paying again. */
  latestForLinkedin(linkedinHash: string, since: Date): Promise<ClayResult | null>;
  submissionsTo(webhookRef: string): Promise<number>;
}

// ---- alerts -------------------------------------------------------------------------------

export type Alert = { severity: 'info' | 'warning' | 'critical'; title: string; body: string; metadata: Record<string, unknown> };

export interface AlertPort {
  send(alert: Alert): Promise<void>;
}

// ---- store --------------------------------------------------------------------------------

export type LeadStatus = 'discovered' | 'enriched' | 'unenriched' | 'scored' | 'disqualified' | 'skipped' | 'pending_review' | 'duplicate';

/** Statuses the pipeline may overwrite on a later run; any other status means the lead is in outreach. */
export const PIPELINE_STATUSES: readonly string[] = ['discovered', 'enriched', 'unenriched', 'scored', 'disqualified', 'skipped', 'pending_review', 'review_rejected', 'duplicate'];

export type StoredLead = {
  id: string;
  email: string | null;
  source: string;
  sourceId: string;
  status: string;
  tier: Tier | null;
  points: number | null;
  disqualificationReason: string | null;
  skipReason: string | null;
  duplicateOf: string | null;
  profile: LeadProfile;
  firstRunId: string;
  lastRunId: string;
  createdAt: Date;
  updatedAt: Date;
};

export type StoredScore = LeadScore & { id: string; runId: string; createdAt: Date };

export type StoredDraft = Omit<CraftedDraft, 'hooks'> & {
  id: string;
  leadId: string;
  runId: string;
  status: string;
  version: number;
  hooks: CraftedDraft['hooks'];
  quality: QualityVerdict | null;
  createdAt: Date;
};

export type ShadowSend = { id: string; runId: string; draftId: string; leadId: string; channel: string; recipient: string; subject: string | null; createdAt: Date };

export type EnrichmentRecord = { provider: string; outcome: string; fields: string[]; error: string | null; runId: string; createdAt: Date };

export type AuditEntry = { at: Date; actor: string; action: string; entityType: string; entityId: string | null; runId: string | null; details: Record<string, unknown> };

export type LeadDetail = {
  lead: StoredLead;
  enrichments: EnrichmentRecord[];
  score: StoredScore | null;
  drafts: StoredDraft[];
  shadowSends: ShadowSend[];
  audit: AuditEntry[];
};

export type LeadFilter = { tier?: Tier | undefined; status?: string | undefined; runId?: string | undefined; limit?: number | undefined };

export type UpsertedLead = { id: string; inOutreach: boolean; status: string };

export interface RunStore {
  start(run: Omit<RunRecord, 'status' | 'completedAt' | 'totalErrors' | 'stages' | 'summary'>): Promise<void>;
  recordStage(runId: string, position: number, stage: StageResult): Promise<void>;
  finish(runId: string, outcome: { status: RunStatus; completedAt: Date; totalErrors: number; summary: RunSummary }): Promise<void>;
  get(runId: string): Promise<RunRecord | null>;
  list(limit: number): Promise<RunRecord[]>;
}

export interface LeadStore {
  upsertDiscovered(runId: string, leads: DiscoveredLead[]): Promise<UpsertedLead[]>;
  /** Which of these records of `source` are leads past UNFINISHED_STATUSES (DiscoverOptions.handled). */
  handledSourceIds(source: string, sourceIds: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Store an enrichment and the enriched profile. When the enriched email already belongs to another
   * lead, this lead becomes its duplicate and the id of the lead to continue with is returned.
   */
  applyEnrichment(
    leadId: string,
    runId: string,
    provider: string,
    result: EnrichmentResult | { outcome: 'error'; error: string } | { outcome: 'skipped'; error: string },
    measured?: { quality: number | null; credits: CreditsSpent },
  ): Promise<{ leadId: string; duplicateOf: string | null; profile: LeadProfile }>;
  recordScore(leadId: string, runId: string, score: LeadScore): Promise<void>;
  /** The same for many leads in a few statements. */
  recordScores(runId: string, items: { leadId: string; score: LeadScore }[]): Promise<void>;
  /** One lead, or many with the same reason in one statement per chunk. */
  markSkipped(leadIds: string | string[], reason: string): Promise<void>;
  /** Many leads, each with its own reason, in one statement per chunk. */
  markSkippedEach(items: readonly { leadId: string; reason: string }[]): Promise<void>;
  markQueued(leadIds: string | string[]): Promise<void>;
  /** Remove a lead found in this run that turned out to be suppressed; it never held more than provider data. */
  discard(leadId: string): Promise<void>;
  list(filter: LeadFilter): Promise<StoredLead[]>;
  /** The leads a run touched, without their profiles (duplicates folded away). */
  summaries(runId: string): Promise<{ id: string; email: string | null; tier: Tier | null; points: number | null; status: string }[]>;
  profile(leadId: string): Promise<StoredLead | null>;
}

export interface LeadDetailQuery {
  /** Everything we hold about one lead, found by its (normalised) email. */
  detailByEmail(email: string): Promise<LeadDetail | null>;
}

export interface DraftStore {
  /** Insert a pending_review draft, unless an identical one (same fingerprint) is already pending. */
  queueForReview(leadId: string, runId: string, draft: CraftedDraft): Promise<{ draftId: string; queued: boolean }>;
  /** The same for many leads (one draft each) in a few statements; results in input order. */
  /** `angleId` is a first-touch angle, or `revival` for a revival e-mail (src/domain/drafting/revival-draft.ts). */
  queueManyForReview(runId: string, items: { leadId: string; draft: Omit<CraftedDraft, 'angleId'> & { angleId: string }; quality?: QualityVerdict | undefined }[]): Promise<{ draftId: string; queued: boolean }[]>;
  /** The report's line for each draft, in the order given (a run keeps only the ids while it runs). */
  summaries(draftIds: readonly string[]): Promise<DraftSummary[]>;
  pendingForRun(runId: string): Promise<StoredDraft[]>;
}

export type ShadowSendEntry = { runId: string; draftId: string; leadId: string; channel: string; recipient: string; subject: string | null; payload: Record<string, unknown> };

export interface ShadowSendStore {
  record(entry: ShadowSendEntry): Promise<boolean>;
  /** Returns how many were new (an entry already recorded for its draft and channel is left alone). */
  recordMany(entries: ShadowSendEntry[]): Promise<number>;
}

export interface SuppressionStore {
  isSuppressed(identity: string): Promise<boolean>;
  add(identity: string, reason: string): Promise<void>;
  /** A synchronous check over a snapshot of the list, for bulk imports. */
  matcher(): Promise<(identity: string) => boolean>;
}

/** What reviewers rejected for a lead within the memory's TTL. */
export type RejectionMemory = { count: number; angleIds: string[]; fingerprints: string[]; tags: string[]; reasons: string[]; subjects: string[] };

export interface RejectionMemoryStore {
  memoryFor(leadIds: string[], since: Date): Promise<Map<string, RejectionMemory>>;
}

export interface AuditStore {
  append(entry: AuditEntry | AuditEntry[]): Promise<void>;
}

/** The last breaker transition per provider, shared across processes. */
export interface ProviderHealthStore {
  recordBreaker(provider: string, from: string, to: string, at: Date): Promise<void>;
  breakers(): Promise<{ provider: string; state: string; changedAt: Date }[]>;
}

export type PipelineStores = {
  runs: RunStore;
  leads: LeadStore;
  leadDetail: LeadDetailQuery;
  drafts: DraftStore;
  shadowSends: ShadowSendStore;
  audit: AuditStore;
  suppressions: SuppressionStore;
  rejections: RejectionMemoryStore;
  clay: ClayCorrelationStore;
  providerHealth: ProviderHealthStore;
};

/** The outbound providers a draft can be sent through (tier routing, the send gateway's channels). */
export type SendChannel = 'instantly' | 'heyreach' | 'ghl';

/** A lead as it moves through one run. */
export type WorkingLead = {
  id: string;
  source: string;
  sourceId: string;
  profile: LeadProfile;
  score?: LeadScore;
  draft?: CraftedDraft;
  quality?: QualityVerdict;
  draftId?: string;
};

/** A draft a run queued for review, as its report lists it. */
export type DraftSummary = { draftId: string; leadId: string; email: string | null; tier: string; points: number; angleId: string; subjectA: string };

/**
 * What one chunk (or, for chunk 0, the discovery) left for the run's report: `drafts` holds the ids
 * of the drafts it queued (results stored before this change hold whole summaries).
 */
export type ChunkResult = { stages: StageResult[]; drafts: (string | DraftSummary)[]; threw: StageName[] };

/** The chunks of a distributed run (pipeline/chunked-run.ts), kept by the store. */
export interface RunChunkStore {
  /** Chunk 0 (the discovery's result, done) and one open chunk per slice of leads. */
  plan(runId: string, discover: ChunkResult, chunkSizes: number[], at: Date): Promise<void>;
  /** Record a chunk's result once: false when it was already done (a retried job). */
  complete(runId: string, chunk: number, result: ChunkResult, at: Date): Promise<boolean>;
  /** null when the run has no such chunk. */
  isDone(runId: string, chunk: number): Promise<boolean | null>;
  remaining(runId: string): Promise<number>;
  results(runId: string): Promise<{ chunk: number; result: ChunkResult | null }[]>;
  claimFinish(runId: string): Promise<boolean>;
  /**
   * Where these leads stand now (a chunk retried after a crash): their stored profile, whether they
   * were folded into a duplicate, and whether this run already enriched them. A discarded lead is absent.
   */
  leadStates(runId: string, leadIds: string[]): Promise<{ id: string; profile: WorkingLead['profile']; duplicate: boolean; enriched: boolean }[]>;
  startedAt(runId: string): Promise<Date | null>;
}

// ---- website visitors (RB2B) ----------------------------------------------------------------

/** A website visitor the webhook recorded as a lead (`rb2b`, still `discovered`), with every sighting on their timeline. */
export type PendingVisitor = { leadId: string; source: string; sourceId: string; profile: LeadProfile; sightings: { at: Date; page: string | null }[] };

export interface VisitorStore {
  /** RB2B leads no run has taken yet (status `discovered`), oldest first, with their sightings. */
  pending(limit: number): Promise<PendingVisitor[]>;
  /** Visitors at an excluded company or address: `disqualified` with the reason, so no run drafts them. */
  disqualify(items: { leadId: string; reason: string }[], at: Date): Promise<void>;
}
