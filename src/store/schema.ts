import { sql } from 'drizzle-orm';
import { bigserial, boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { check, type AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * One schema for the embedded PostgreSQL 18 and Debian's PostgreSQL 15: keep to SQL both accept
 * (gen_random_uuid(), no uuidv7()). Only this file and the repositories know column names.
 */
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const runs = pgTable('runs', {
  id: text('id').primaryKey(),
  mode: text('mode').notNull(),
  source: text('source').notNull(),
  requestedLimit: integer('requested_limit').notNull(),
  seed: integer('seed'),
  status: text('status').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  totalErrors: integer('total_errors').notNull().default(0),
  summary: jsonb('summary')
    .notNull()
    .default(sql`'{}'::jsonb`),
});

export const stageResults = pgTable(
  'stage_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    stage: text('stage').notNull(),
    status: text('status').notNull(),
    inputCount: integer('input_count').notNull(),
    outputCount: integer('output_count').notNull(),
    durationMs: integer('duration_ms').notNull(),
    errors: jsonb('errors')
      .notNull()
      .default(sql`'[]'::jsonb`),
    metrics: jsonb('metrics')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [uniqueIndex('stage_results_run_stage_uq').on(t.runId, t.stage)],
);

export const companies = pgTable(
  'companies',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /** Normalised domain; the identity when known. */
    domain: text('domain'),
    name: text('name'),
    industry: text('industry'),
    employeeCount: integer('employee_count'),
    data: jsonb('data')
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('companies_domain_uq').on(t.domain)],
);

export const leads = pgTable(
  'leads',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /** Normalised email: the identity of a person once known. */
    email: text('email'),
    source: text('source').notNull(),
    /** The provider's id for the record that found this lead (e.g. an Apollo person id). */
    sourceId: text('source_id').notNull(),
    linkedinUrl: text('linkedin_url'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    title: text('title'),
    companyId: uuid('company_id').references(() => companies.id),
    companyName: text('company_name'),
    /** The domain view of the lead (LeadProfile) as last built from its sources. */
    profile: jsonb('profile').notNull(),
    /** The provider records as received, kept for audit and re-processing. */
    raw: jsonb('raw')
      .notNull()
      .default(sql`'{}'::jsonb`),
    status: text('status').notNull(),
    tier: text('tier'),
    points: integer('points'),
    /** The latest score's recommended campaign, kept beside tier and points so /leads can filter on it. */
    recommendedCampaign: text('recommended_campaign'),
    disqualificationReason: text('disqualification_reason'),
    /** Why the pipeline stopped with this lead (e.g. a draft could not be made). */
    skipReason: text('skip_reason'),
    duplicateOf: uuid('duplicate_of'),
    firstRunId: text('first_run_id').notNull(),
    lastRunId: text('last_run_id').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('leads_email_uq').on(t.email),
    uniqueIndex('leads_source_uq').on(t.source, t.sourceId),
    index('leads_status_idx').on(t.status),
    // The dashboard's newest-first pages, filtered by status or not.
    index('leads_created_idx').on(t.createdAt, t.id),
    index('leads_status_created_idx').on(t.status, t.createdAt, t.id),
    index('leads_tier_idx').on(t.tier),
    // The dashboard at 100,000 leads (docs/benchmarks.md): the funnel's counts by status (an
    // index-only scan), the review queue's order by points, the /leads campaign filter.
    index('leads_live_status_idx')
      .on(t.status)
      .where(sql`${t.duplicateOf} is null`),
    index('leads_points_idx').on(t.points, t.id),
    index('leads_campaign_idx').on(t.recommendedCampaign),
    // Not declared here: the trigram indexes of the /leads search (leads_name_trgm_idx,
    // leads_company_trgm_idx), which migration 0023 creates only where pg_trgm can be installed.
  ],
);

export const enrichments = pgTable(
  'enrichments',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    runId: text('run_id').notNull(),
    provider: text('provider').notNull(),
    /** matched | miss | error | skipped */
    outcome: text('outcome').notNull(),
    fields: jsonb('fields')
      .notNull()
      .default(sql`'[]'::jsonb`),
    raw: jsonb('raw'),
    error: text('error'),
    /** Enrichment quality 0-100 of the profile after this step (docs/enrichment.md); null when nothing matched. */
    quality: integer('quality'),
    /** Credits this step spent, by provider (Clay charges even when it finds nothing). */
    credits: jsonb('credits')
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('enrichments_lead_idx').on(t.leadId)],
);

export const scores = pgTable(
  'scores',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    runId: text('run_id').notNull(),
    points: integer('points').notNull(),
    rawPoints: integer('raw_points').notNull(),
    multiplier: text('multiplier').notNull(),
    tier: text('tier').notNull(),
    needsReview: boolean('needs_review').notNull(),
    breakdown: jsonb('breakdown').notNull(),
    reasons: jsonb('reasons').notNull(),
    warnings: jsonb('warnings')
      .notNull()
      .default(sql`'[]'::jsonb`),
    disqualification: jsonb('disqualification'),
    recommendedCampaign: text('recommended_campaign').notNull(),
    segmentTags: jsonb('segment_tags')
      .notNull()
      .default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [index('scores_lead_idx').on(t.leadId)],
);

export const drafts = pgTable(
  'drafts',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    runId: text('run_id').notNull(),
    angleId: text('angle_id').notNull(),
    angleReason: text('angle_reason').notNull(),
    subjectA: text('subject_a').notNull(),
    subjectB: text('subject_b').notNull(),
    body: text('body').notNull(),
    followUps: jsonb('follow_ups')
      .notNull()
      .default(sql`'[]'::jsonb`),
    hooks: jsonb('hooks')
      .notNull()
      .default(sql`'[]'::jsonb`),
    grounding: jsonb('grounding')
      .notNull()
      .default(sql`'[]'::jsonb`),
    fingerprint: text('fingerprint').notNull(),
    /** pending_review | superseded (later: approved, rejected, sent …) */
    status: text('status').notNull(),
    version: integer('version').notNull().default(1),
    /** Who approved or rejected this draft, and when (null while pending). */
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    /** A reviewer's edit on approval; subject_a and body keep the original. */
    editedSubject: text('edited_subject'),
    editedBody: text('edited_body'),
    /** The quality guard's verdict when the draft was made (spec/quality.md). */
    quality: jsonb('quality'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('drafts_lead_idx').on(t.leadId),
    index('drafts_status_idx').on(t.status),
    // The review queue walks leads by points and probes their waiting drafts; "decided today" and
    // its counters read by decision time.
    index('drafts_pending_lead_idx')
      .on(t.leadId, t.createdAt)
      .where(sql`${t.status} = 'pending_review'`),
    // A reply's suggested answer, by its run id ('reply:<reply id>'): migration 0025.
    index('drafts_run_idx').on(t.runId, t.version),
    index('drafts_decided_idx')
      .on(t.decidedAt, t.status)
      .where(sql`${t.decidedAt} is not null`),
  ],
);

/** What the send stage would have sent in shadow mode; nothing here ever reached a provider. */
export const shadowSends = pgTable(
  'shadow_sends',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    runId: text('run_id').notNull(),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('shadow_sends_draft_channel_uq').on(t.draftId, t.channel)],
);

/** Append-only: a trigger (see the migrations) refuses UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    runId: text('run_id'),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  // audit_at_idx: the agents page reads a window of the log by time.
  (t) => [index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_at_idx').on(t.at)],
);

/**
 * People who must never be contacted or imported again, kept only as a one-way hash of their
 * identity (normalised email, or `linkedin:<url>`), so a privacy deletion leaves no address behind.
 */
export const suppressions = pgTable('suppressions', {
  hash: text('hash').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
});

/** Customers' domains and e-mails imported with `caio exclusions import`: never sent to, as the config's exclusions. */
export const recipientExclusions = pgTable(
  'recipient_exclusions',
  {
    /** domain | email */
    kind: text('kind').notNull(),
    /** Lower-case; a bare domain or a whole address. */
    value: text('value').notNull(),
    /** The file it came from. */
    source: text('source').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] })],
);

/** Rejection memory: every rejection of a lead's draft, read within a TTL by crafting and review. */
export const rejections = pgTable(
  'rejections',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    reason: text('reason').notNull(),
    fingerprint: text('fingerprint').notNull(),
    angleId: text('angle_id').notNull(),
    subject: text('subject').notNull(),
    rejectedBy: text('rejected_by').notNull(),
    rejectedAt: timestamp('rejected_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('rejections_lead_idx').on(t.leadId, t.rejectedAt)],
);

/** Gatekeeper batches: the frozen scope a person approved; live dispatch executes exactly this, once. */
export const batches = pgTable(
  'batches',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    motion: text('motion').notNull(),
    /** pending_approval | approved | rejected | executed (expiry is computed from expires_at) */
    status: text('status').notNull(),
    scope: jsonb('scope').notNull(),
    previewHash: text('preview_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    decisionReason: text('decision_reason'),
    executedAt: timestamp('executed_at', { withTimezone: true, mode: 'date' }),
    executionReport: jsonb('execution_report'),
    /** When the approval watcher said the batch expired undecided (once, whichever process claims it). */
    expiryAnnouncedAt: timestamp('expiry_announced_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('batches_status_idx').on(t.status)],
);

/**
 * Clay rows we sent, kept in the database (not in memory) so a callback that arrives minutes later,
 * in another process or after a restart, still finds its lead. `linkedin_hash` is the SHA-256 of
 * the normalised LinkedIn URL: Clay templates often do not pass our ids through.
 */
export const clayRequests = pgTable(
  'clay_requests',
  {
    requestId: text('request_id').primaryKey(),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    linkedinHash: text('linkedin_hash').notNull(),
    runId: text('run_id'),
    /** A hash of the table webhook URL: Clay caps submissions per webhook (about 50,000). */
    webhookRef: text('webhook_ref').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('clay_requests_linkedin_idx').on(t.linkedinHash), index('clay_requests_webhook_idx').on(t.webhookRef)],
);

/** Every authenticated Clay callback, correlated or not (an uncorrelated one is reconciled later by its LinkedIn hash). */
export const clayCallbacks = pgTable(
  'clay_callbacks',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    requestId: text('request_id'),
    linkedinHash: text('linkedin_hash'),
    /** The callback as read through the field map (ClayResult), not the raw body. */
    result: jsonb('result').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('clay_callbacks_request_idx').on(t.requestId), index('clay_callbacks_linkedin_idx').on(t.linkedinHash)],
);

/**
 * The last circuit-breaker transition of each provider, written as it happens, so `caio doctor`
 * (another process) can say what the last run or worker saw.
 */
export const providerBreakers = pgTable('provider_breakers', {
  provider: text('provider').primaryKey(),
  state: text('state').notNull(),
  previousState: text('previous_state').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/**
 * The outbox: every outbound action, once. `dedup_key` (channel, lead, step) is unique, so an
 * action can be queued only once whatever batches or processes try. Status moves
 * queued -> sending (the claim, committed before any provider call) -> sent | failed | uncertain;
 * queued -> rejected (a guard said never) or cancelled. `not_before` defers an item (quota, hours).
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    dedupKey: text('dedup_key').notNull(),
    batchId: uuid('batch_id'),
    draftId: uuid('draft_id'),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    step: text('step').notNull(),
    recipient: text('recipient').notNull(),
    recipientDomain: text('recipient_domain'),
    tier: text('tier'),
    subject: text('subject'),
    body: text('body'),
    /** What the channel needs besides the recipient (names, company), frozen at enqueue. */
    payload: jsonb('payload')
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** The sending account assigned (round-robin), for per-sender quotas. */
    sender: text('sender'),
    status: text('status').notNull(),
    reason: text('reason'),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull(),
    claimToken: text('claim_token'),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }),
    providerRef: text('provider_ref'),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbox_dedup_uq').on(t.dedupKey),
    index('outbox_status_idx').on(t.status, t.notBefore),
    index('outbox_sent_idx').on(t.channel, t.sentAt),
    index('outbox_lead_status_idx').on(t.leadId, t.status),
    index('outbox_updated_idx').on(t.updatedAt, t.id),
    // The send history by time (daily totals, the quota window): migration 0024.
    index('outbox_sent_or_claimed_at_idx')
      .on(sql`(coalesce(${t.sentAt}, ${t.claimedAt}))`)
      .where(sql`${t.status} in ('sent', 'sending', 'uncertain', 'failed')`),
  ],
);

/** Operator switches kept in the database, so every process sees them at once (the emergency stop). */
export const controlFlags = pgTable('control_flags', {
  name: text('name').primaryKey(),
  active: boolean('active').notNull(),
  reason: text('reason'),
  setBy: text('set_by').notNull(),
  setAt: timestamp('set_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Leases: one live run per motion across processes; an expired lease may be taken over. */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Campaigns and lists we created at a provider: created as drafts, activated only by a person. */
export const providerCampaigns = pgTable(
  'provider_campaigns',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    provider: text('provider').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    tier: text('tier'),
    day: text('day').notNull(),
    createdAt: createdAt(),
    activatedBy: text('activated_by'),
    activatedAt: timestamp('activated_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('provider_campaigns_ext_uq').on(t.provider, t.externalId), index('provider_campaigns_day_idx').on(t.provider, t.kind, t.tier, t.day)],
);

/**
 * Every verified webhook delivery, stored before it is acknowledged and processed afterwards by a
 * job. `(provider, idempotency_key)` is unique: a retried delivery is acknowledged, not processed twice.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    provider: text('provider').notNull(),
    eventType: text('event_type').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** pending | processing | processed | unknown_lead | ignored | failed */
    status: text('status').notNull(),
    leadId: uuid('lead_id'),
    /** Why a delivery failed, or (status `ignored`) why it was kept without being acted on. */
    error: text('error'),
    processedAt: timestamp('processed_at', { withTimezone: true, mode: 'date' }),
    /** The body as received, made storable (NUL removed): kept when ignored, or when `payload` differs from it. */
    rawBody: text('raw_body'),
    /** The exact bytes (base64) when `raw_body` is not them (not UTF-8, or a NUL byte). */
    rawBase64: text('raw_base64'),
    /** What processing noticed and worked around, e.g. an event time a year ahead (the receive time was used). */
    flags: text('flags').array(),
    /**
     * The provider's reading of the delivery (a NormalisedSignal: who, what, when), stored by the
     * door beside the payload; the processor acts on it. Null for an ignored delivery, and for one
     * stored before this column (the processor then reads the payload with the provider's parse).
     */
    signal: jsonb('signal'),
  },
  (t) => [uniqueIndex('webhook_inbox_idem_uq').on(t.provider, t.idempotencyKey), index('webhook_inbox_status_idx').on(t.status)],
);

/** A lead's activity across pipeline, e-mail, LinkedIn and CRM: every status change with its source. */
export const leadEvents = pgTable(
  'lead_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    /** email | linkedin | website | crm | pipeline | operator */
    channel: text('channel').notNull(),
    type: text('type').notNull(),
    source: text('source').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    /** The webhook delivery this event was read from (null for our own events: sends, decay, revival). */
    inboxId: uuid('inbox_id'),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  // (at, type, lead_id): the KPI window counts are an index-only range scan.
  // (inbox_id, type): one event per delivery and type, so a delivery processed twice (a replay, a
  // worker that died after its commit) never adds a second event (the processor inserts ON CONFLICT DO NOTHING).
  (t) => [
    index('lead_events_lead_idx').on(t.leadId, t.at),
    index('lead_events_at_type_idx').on(t.at, t.type, t.leadId),
    uniqueIndex('lead_events_inbox_type_uq')
      .on(t.inboxId, t.type)
      .where(sql`${t.inboxId} is not null`),
  ],
);

/** One lead's place in the cadence (src/domain/cadence/): enrolled on the first touch from any channel. */
export const cadenceEnrollments = pgTable(
  'cadence_enrollments',
  {
    leadId: uuid('lead_id')
      .primaryKey()
      .references(() => leads.id, { onDelete: 'cascade' }),
    cadenceId: text('cadence_id').notNull(),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** active | paused | exited | completed */
    status: text('status').notNull(),
    completedSteps: jsonb('completed_steps')
      .notNull()
      .default(sql`'[]'::jsonb`),
    exitReason: text('exit_reason'),
    lastStepAt: timestamp('last_step_at', { withTimezone: true, mode: 'date' }),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true, mode: 'date' }),
    /** The earliest moment a not-yet-completed step is due: the indexed column the due query reads. */
    nextDueAt: timestamp('next_due_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('cadence_due_idx').on(t.status, t.nextDueAt)],
);

/**
 * The first time each lead reached a KPI event (sent, opened, replied, bounced, …), with the
 * campaign and angle it was reached under. Written in the same statement as the event (one row per
 * lead and type, so a second open changes nothing); it feeds the daily rollup below.
 */
export const leadMilestones = pgTable(
  'lead_milestones',
  {
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    campaign: text('campaign').notNull(),
    angle: text('angle').notNull(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.type] })],
);

/**
 * KPI rollup: leads whose first event of a type fell on a UTC day, per campaign and angle. The KPI
 * page sums a few hundred of these rows instead of counting a million events (docs/dashboard.md).
 * It holds counts only, so a privacy erasure leaves nothing personal here.
 */
export const kpiDaily = pgTable(
  'kpi_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    campaign: text('campaign').notNull(),
    angle: text('angle').notNull(),
    type: text('type').notNull(),
    leads: integer('leads').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.campaign, t.angle, t.type] })],
);

/**
 * Escalation incidents, one row per incident key (e.g. provider:apollo:down): the level reached and
 * when people were last told, so one incident pages once per level across every process, and its
 * recovery is announced once.
 */
export const incidents = pgTable(
  'incidents',
  {
    key: text('key').primaryKey(),
    level: integer('level').notNull(),
    notifiedLevel: integer('notified_level').notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastNotifiedAt: timestamp('last_notified_at', { withTimezone: true, mode: 'date' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    details: jsonb('details')
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [index('incidents_open_idx').on(t.resolvedAt)],
);

/**
 * A pipeline run split into jobs (the BullMQ backend): chunk 0 holds the discovery stage's result,
 * chunks 1..n a slice of the discovered leads each, filled in by the worker that processed it. The
 * run is finished by whichever worker completes the last chunk.
 */
export const runChunks = pgTable(
  'run_chunks',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    chunk: integer('chunk').notNull(),
    leadCount: integer('lead_count').notNull(),
    /** The chunk's stage results (chunk 0: discovery), its drafts and the stages that threw. */
    result: jsonb('result'),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.runId, t.chunk] })],
);

/**
 * Dashboard page sessions, shared by every server behind a load balancer. The cookie carries the
 * session id; only its SHA-256 is stored, so reading this table does not give anyone a session.
 */
export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    csrf: text('csrf').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The person logged in (users); null: logged in with the dashboard token. */
    userId: uuid('user_id').references((): AnyPgColumn => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('dashboard_sessions_expiry_idx').on(t.expiresAt)],
);

/** Failed dashboard logins per address: 5 in 5 minutes locks that address out on every server. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    address: text('address').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('login_failures_address_idx').on(t.address, t.at)],
);

/**
 * What a prospect's reply said (issue 17: reply understanding and follow-through), one per webhook
 * delivery: a replayed delivery finds its row and records nothing twice. `lead_id` is null for a
 * reply from an address we never wrote to (kept, nothing done for it).
 */
export const replies = pgTable(
  'replies',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => webhookInbox.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    /** email | linkedin */
    channel: text('channel').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    class: text('class').notNull(),
    kind: text('kind'),
    confidence: doublePrecision('confidence').notNull(),
    evidence: jsonb('evidence').notNull(),
    proposedTimes: jsonb('proposed_times').notNull(),
    returnDate: timestamp('return_date', { withTimezone: true, mode: 'date' }),
    /** The zone the times were read in (the lead's, else dispatch.timeZone). */
    timeZone: text('time_zone').notNull(),
    /** Whether a person (or the drafts of item 3) must answer it. */
    needsResponse: boolean('needs_response').notNull(),
    /** The first words of the prospect's new text, addresses masked: what the alert and `caio replies show` quote. */
    excerpt: text('excerpt').notNull(),
    /** For a referral: the lead created (or found) for the person named. */
    referredLeadId: uuid('referred_lead_id'),
    /** Until when the cadence is paused (an out-of-office note). */
    pausedUntil: timestamp('paused_until', { withTimezone: true, mode: 'date' }),
    /** The optional LLM classifier's note beside the rules' reading (migration 0026); null: no model read it. */
    llm: jsonb('llm'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('replies_inbox_uq').on(t.inboxId), index('replies_class_idx').on(t.class, t.receivedAt), index('replies_lead_idx').on(t.leadId)],
);

/**
 * The follow-through of a reply that calls a provider (Slack alert, CRM tag, Instantly interest
 * status, the cadence's resume), recorded in the reply's transaction and executed after commit:
 * unique per idempotency key, claimed before the call, never repeated once a call may have reached
 * the provider (`uncertain`: a person decides).
 */
export const replyActions = pgTable(
  'reply_actions',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    replyId: uuid('reply_id')
      .notNull()
      .references(() => replies.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'cascade' }),
    /** slack_hot_lead | crm_tag | instantly_interest | cadence_resume */
    kind: text('kind').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** pending | running | done | skipped | failed (retried) | uncertain | needs_person */
    status: text('status').notNull(),
    /** What the call needs, frozen when recorded (no message text, no secret). */
    payload: jsonb('payload').notNull(),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('reply_actions_key_uq').on(t.idempotencyKey), index('reply_actions_due_idx').on(t.status, t.notBefore), index('reply_actions_reply_idx').on(t.replyId)],
);

/**
 * People who log in to the dashboard by name (issue 21 item 5): a lower-cased login name, a role
 * (reviewer < operator < admin) and an scrypt hash of the password (lib/password.ts), never the
 * password. A disabled person keeps their row (the audit log names them) and loses every session.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('users_name_uq').on(t.name), check('users_role_check', sql`${t.role} in ('reviewer', 'operator', 'admin')`), check('users_name_lower_check', sql`${t.name} = lower(${t.name})`)],
);
