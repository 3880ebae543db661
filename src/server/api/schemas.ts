import { z } from 'zod';

/**
 * The dashboard API's schemas: what the routes parse (queries, bodies) and what they answer (the
 * JSON the use cases' results serialise to: dates become ISO strings). The OpenAPI document is
 * generated from them (openapi.ts: each route's Fastify schema, which @fastify/swagger collects);
 * the API tests check every answer against them.
 *
 * A response schema lists every field the use case returns (a strict object: a field the code adds
 * without adding it here fails the tests); the parts that are open by design (a lead's profile, a
 * run's metrics, a report a job returns) are loose objects naming their main fields.
 */

/**
 * The metadata the OpenAPI document is generated with: schemas with an `id` become
 * `components.schemas` entries (referenced, not inlined); `description`s are shown. (Not zod's
 * global registry, which `.describe()` writes to: the document holds only what is said here.)
 */
export const components = z.registry<{ id?: string; description?: string }>();
const named = <S extends z.ZodType>(id: string, schema: S, description?: string): S => {
  components.add(schema, description ? { id, description } : { id });
  return schema;
};
const described = <S extends z.ZodType>(schema: S, description: string): S => {
  components.add(schema, { description });
  return schema;
};

// ---- requests ----------------------------------------------------------------------------------

/**
 * Text a client sends: no NUL (PostgreSQL refuses it in text and jsonb: a 500 where a 400 is due)
 * and no lone surrogate (not Unicode: it would be stored as U+FFFD, not as what was sent).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isSafeText = (text: string): boolean => !text.includes('\u0000') && !LONE_SURROGATE.test(text);
export const safeText = () => z.string().refine(isSafeText, 'must not hold NUL characters or lone surrogates');
/** A name or a reason a person gives. */
const Text = () => safeText().trim().min(1);

/**
 * The cursor `leadsPage` gives out (dashboard-repo.ts): base64url of `[createdAt, id]`, createdAt an
 * ISO instant as `toISOString` writes it (PostgreSQL takes it as is), id a UUID. Anything else is
 * refused here rather than by PostgreSQL's cast (a 500).
 */
const LeadCursor = z.tuple([z.iso.datetime().refine((t) => !t.startsWith('0000') && !Number.isNaN(Date.parse(t)) && new Date(t).toISOString() === t), z.guid()]);
const decodeCursor = (cursor: string): { createdAt: string; id: string } | undefined => {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  try {
    const parsed = LeadCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: parsed.data[0], id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
};

// Path parameters (Fastify has decoded them once: they are not decoded again).
export const DraftParams = z.object({ id: described(z.guid(), 'the draft id (a UUID)') });
export const BatchParams = z.object({ id: described(z.guid(), 'the batch id (a UUID)') });
export const CampaignParams = z.object({ externalId: described(safeText().trim().min(1).max(200), "the campaign's id at the provider") });
export const RunParams = z.object({ id: described(safeText().min(1).max(200), 'the run id') });
export const LeadEmailParams = z.object({
  email: described(
    safeText()
      .trim()
      .min(3)
      .max(320)
      .refine((e) => e.includes('@'), 'not an email address'),
    "the lead's email address",
  ),
});

export const Limit = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
export const Decision = z.object({ by: Text(), expectedStatus: safeText().optional() });
export const Approve = Decision.extend({ subject: safeText().optional(), body: safeText().optional() });
export const Reject = Decision.extend({ reason: Text(), tag: Text() });
export const History = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
export const BatchHistory = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const LeadPage = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: safeText().trim().min(1).max(40).optional(),
  tier: z.enum(['tier_1', 'tier_2', 'tier_3', 'tier_4']).optional(),
  cursor: z
    .string()
    .optional()
    .transform((c, ctx) => {
      if (c === undefined) return undefined;
      const cursor = decodeCursor(c);
      if (cursor) return cursor;
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
      return z.NEVER;
    }),
});
export const Trigger = z.object({ dry_run: z.boolean().default(true), motion: z.enum(['outbound', 'cadence', 'revival', 'all']).default('all'), by: Text().default('dashboard'), batchId: z.string().uuid().optional() });
export const BatchDecision = z.object({ by: Text() });
export const BatchReject = BatchDecision.extend({ reason: Text() });
export const Days = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });
export const RunRequest = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(25) });
/** A stop may come without a reason (stopping must not wait for words): POST /api/emergency-stop/reason adds it. */
export const Stop = z.object({ by: Text(), reason: safeText().trim().default('') });
export const StopReason = z.object({ by: Text(), reason: Text() });
/** Undo (within 10 s) or reopen: who does it. */
export const Reopen = z.object({ by: Text() });
export const DecidedToday = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const CampaignActivate = z.object({ by: Text() });
export const Resume = z.object({ by: Text() });
export const DetectDecay = z.object({ dry_run: z.boolean().default(false) });
export const Bootstrap = z.object({ dry_run: z.boolean().default(false), limit: z.number().int().min(1).max(100_000).default(10_000) });
export const WatcherTrigger = z.object({ force: z.boolean().default(true), by: Text().default('dashboard') });
/**
 * An ask of QUEEN. An empty request is refused here; one longer than QUEEN reads (4,000 characters)
 * reaches the ask, which refuses it (REQUEST_TOO_LONG) with a trace and runs nothing.
 */
export const AskRequest = z.object({
  request: described(safeText().trim().min(1, 'must not be empty').max(100_000), 'the request in plain words'),
  confirm: described(z.boolean().default(false), 'run the writes of a plan that writes (as `caio ask --yes`); reads run either way'),
  by: described(Text().max(200).default('dashboard'), 'who is asking (recorded on anything written)'),
});

// ---- responses ---------------------------------------------------------------------------------

const Timestamp = z.iso.datetime({ offset: true });
const Day = z.iso.date();
const Counts = z.record(z.string(), z.number().int());

export const ErrorBody = named('Error', z.strictObject({ error: z.string(), code: z.string() }), 'A refusal: what went wrong (names the parameter for a 400) and a stable code (INVALID_INPUT, NOT_FOUND, CONFLICT, UNAUTHORIZED...).');

const LeadProfile = z.looseObject({
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  fullName: z.string().nullable(),
  title: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  company: z.looseObject({ name: z.string().nullable(), domain: z.string().nullable() }),
});

export const ReviewDraft = named(
  'ReviewDraft',
  z.strictObject({
    id: z.string(),
    leadId: z.string(),
    runId: z.string(),
    status: z.string(),
    version: z.number().int(),
    angleId: z.string(),
    angleReason: z.string(),
    subjectA: z.string(),
    subjectB: z.string(),
    body: z.string(),
    followUps: described(
      z.array(z.looseObject({ step: z.number().int(), delayDays: z.number(), channel: z.string(), subjectA: z.string(), subjectB: z.string(), body: z.string() })),
      "The draft's own generic follow-ups, kept for the record: NOT what the cadence sends. Each later e-mail step is crafted from its step template and the lead's data when the step comes due (`caio leads show` previews them; docs/drafting.md).",
    ),
    hooks: z.array(z.looseObject({ text: z.string(), field: z.string(), provider: z.string() })),
    grounding: z.array(z.looseObject({ claim: z.string(), field: z.string(), value: z.string(), provider: z.string() })),
    fingerprint: z.string(),
    quality: z.looseObject({ passed: z.boolean(), mode: z.string(), blockedReason: z.string().nullable() }).nullable(),
    createdAt: Timestamp,
    decidedBy: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
    editedSubject: z.string().nullable(),
    editedBody: z.string().nullable(),
    lead: z.strictObject({
      id: z.string(),
      email: z.string().nullable(),
      name: z.string().nullable(),
      title: z.string().nullable(),
      company: z.string().nullable(),
      tier: z.string().nullable(),
      points: z.number().nullable(),
      profile: LeadProfile,
    }),
  }),
  'A draft with its lead, as the reviewer sees it.',
);

export const DecidedTodayPage = named(
  'DecidedToday',
  z.strictObject({
    since: described(Timestamp, 'the start of today (UTC)'),
    drafts: z.array(ReviewDraft),
    counts: z.strictObject({ waiting: z.number().int(), approvedToday: z.number().int(), rejectedToday: z.number().int() }),
  }),
  'The drafts decided today, newest first, with the counters of the review page.',
);
export const RejectionTag = named('RejectionTag', z.strictObject({ id: z.string(), label: z.string() }));

export const ReviewHistoryEntry = named(
  'ReviewHistoryEntry',
  z.strictObject({ draftId: z.string(), leadId: z.string(), email: z.string().nullable(), status: z.string(), decidedBy: z.string().nullable(), decidedAt: Timestamp, subject: z.string() }),
);

export const LeadRow = named(
  'LeadRow',
  z.strictObject({
    id: z.string(),
    email: z.string().nullable(),
    status: z.string(),
    tier: z.string().nullable(),
    points: z.number().nullable(),
    company: z.string().nullable(),
    title: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export const LeadsPage = named('LeadsPage', z.strictObject({ leads: z.array(LeadRow), nextCursor: described(z.string().nullable(), 'pass as `cursor` for the next page; null on the last one') }));

export const StatusCounts = named('StatusCounts', z.record(z.string(), z.number().int()), 'leads (or enrolments) per status');
export const Funnel = named('Funnel', z.strictObject({ stages: z.array(z.strictObject({ stage: z.string(), count: z.number().int() })), byStatus: StatusCounts }));

export const TimelineEntry = named('TimelineEntry', z.strictObject({ at: Timestamp, channel: z.enum(['pipeline', 'email', 'linkedin', 'crm', 'operator', 'website']), type: z.string(), detail: z.string() }));
export const LeadTimeline = named('LeadTimeline', z.strictObject({ leadId: z.string(), status: z.string(), timeline: z.array(TimelineEntry) }));

export const DecayFinding = named('DecayFinding', z.strictObject({ leadId: z.string(), from: z.string(), kind: z.string(), since: Timestamp, detail: z.string(), applied: z.boolean() }));
export const DecayReport = named('DecayReport', z.strictObject({ findings: z.array(DecayFinding) }));

export const BootstrapReport = named(
  'BootstrapReport',
  z.strictObject({ dryRun: z.boolean(), missing: z.number().int(), recorded: z.number().int(), items: z.array(z.strictObject({ outboxId: z.string(), leadId: z.string(), channel: z.string(), step: z.string(), sentAt: z.string() })) }),
);

export const QueueWatcherStatus = named('QueueWatcherStatus', z.strictObject({ pending: z.number().int(), lowWater: z.number().int(), target: z.number().int(), everyMinutes: z.number(), needsTopUp: z.boolean() }));
export const QueueTopUp = named(
  'QueueTopUp',
  z.looseObject({ pending: z.number().int(), toppedUp: z.boolean(), reason: z.string().optional(), requested: z.number().int().optional(), by: z.string().optional() }),
  'Whether the queue was topped up; a top-up adds what its pipeline run reported (runId, status, drafts...).',
);

const KpiCounts = named(
  'KpiCounts',
  z.strictObject({
    emailSent: z.number(),
    emailOpened: z.number(),
    emailClicked: z.number(),
    emailReplied: z.number(),
    emailBounced: z.number(),
    unsubscribed: z.number(),
    linkedinSent: z.number(),
    linkedinAccepted: z.number(),
    linkedinReplied: z.number(),
    meetingsBooked: described(z.number(), 'leads with a meeting the SCHEDULER booked and nobody cancelled since, on the day of that booking (meeting_booked)'),
  }),
);
const KpiRates = named(
  'KpiRates',
  z.strictObject({
    open: z.number().nullable(),
    reply: z.number().nullable(),
    bounce: z.number().nullable(),
    linkedinAccept: z.number().nullable(),
    replyToMeeting: described(z.number().nullable(), 'meetingsBooked over emailReplied + linkedinReplied; null when nobody replied'),
  }),
  'Rates (0..1, 4 decimals); null when nothing was sent.',
);
export const Kpis = named(
  'Kpis',
  z.strictObject({
    since: Day,
    counts: KpiCounts,
    rates: KpiRates,
    trailingDays: z.number().int(),
    perDay: described(z.array(z.strictObject({ day: Day, counts: KpiCounts, rates: KpiRates })), "one point per UTC day: that day's counts, and the rates over the trailing days ending that day"),
    perCampaign: z.array(z.strictObject({ campaign: z.string(), counts: KpiCounts, rates: KpiRates })),
    perAngle: z.array(z.strictObject({ angle: z.string(), counts: KpiCounts, rates: KpiRates })),
    targets: z.strictObject({ open: z.number(), reply: z.number(), bounce: z.number(), linkedinAccept: z.number() }),
  }),
);

const RampStatus = named(
  'RampStatus',
  z.strictObject({ active: z.boolean(), day: z.number().int(), cleanDays: z.number().int(), required: z.number().int(), emailLimitOverride: z.number().nullable(), tierFilter: z.string().nullable(), reason: z.string(), detail: z.string() }),
);
const QuotaUsage = z.strictObject({ used: z.number().int(), limit: z.number().int(), remaining: z.number().int() });
export const OperatorStatus = named(
  'OperatorStatus',
  z.strictObject({
    sendMode: z.enum(['shadow', 'live']),
    emergencyStop: z.strictObject({ active: z.boolean(), database: z.strictObject({ active: z.boolean(), reason: z.string().nullable(), setBy: z.string(), setAt: Timestamp }).nullable(), environment: z.boolean() }),
    usage: z.strictObject({ emailToday: QuotaUsage, emailThisHour: QuotaUsage, emailThisMonth: QuotaUsage, linkedinToday: QuotaUsage }),
    linkedinWarmup: z.strictObject({ limit: z.number().int(), week: z.number().int(), inWarmup: z.boolean() }),
    ramp: RampStatus,
    batches: z.array(z.strictObject({ id: z.string(), motion: z.string(), status: z.string(), items: z.number().int(), expiresAt: Timestamp })),
    outbox: described(z.record(z.string(), z.number().int()), 'outbox items per status'),
    campaigns: z.array(
      z.looseObject({
        id: z.string(),
        provider: z.string(),
        externalId: z.string(),
        name: z.string(),
        kind: z.enum(['campaign', 'list']),
        status: z.enum(['draft', 'active', 'paused', 'gone']),
        tier: z.string().nullable(),
        day: z.string(),
      }),
    ),
  }),
  'Limits and their use, LinkedIn warm-up, the ramp, the emergency stop, open batches, the outbox.',
);

const ItemReport = named(
  'ItemReport',
  z.strictObject({
    outboxId: z.string(),
    leadId: z.string().nullable(),
    channel: z.string(),
    outcome: z.enum(['sent', 'would_send', 'deferred', 'rejected', 'failed', 'uncertain', 'skipped', 'stopped']),
    reason: z.string().nullable(),
    providerRef: z.string().optional(),
    notBefore: z.string().optional(),
  }),
);
export const DispatchReport = named(
  'DispatchReport',
  z.strictObject({
    motion: z.enum(['outbound', 'revival', 'cadence', 'all']),
    mode: z.enum(['dry_run', 'live']),
    ramp: RampStatus,
    pendingBatch: described(z.strictObject({ id: z.string(), items: z.number().int(), expiresAt: Timestamp }).nullable(), 'the batch this live run created for approval'),
    pendingBatches: described(
      z.array(z.strictObject({ id: z.string(), motion: z.string(), items: z.number().int(), expiresAt: Timestamp })).optional(),
      'every batch this live run created, when more than one (an all run puts CRM re-contacts in a revival batch of their own)',
    ),
    queued: z
      .strictObject({
        batchId: z.string(),
        items: z.number().int(),
        duplicates: z.number().int(),
        rejected: z.array(z.strictObject({ leadId: z.string(), channel: z.string(), reason: z.string() })),
        revivals: z.number().int().optional(),
        revivalDrafts: z.number().int().optional(),
      })
      .nullable(),
    waitingForBatch: z.number().int(),
    drain: z.strictObject({ dryRun: z.boolean(), stopped: z.boolean(), stopReason: z.string().nullable(), reconciled: z.array(ItemReport), items: z.array(ItemReport), counts: Counts }),
  }),
  'What a run of the OPERATOR did (live) or would do (dry run).',
);
export const DispatchQueued = named('DispatchQueued', z.strictObject({ queued: z.looseObject({ id: z.string(), queue: z.string() }) }), 'A live run handed to a worker (a server with REDIS_URL).');

export const Batch = named(
  'Batch',
  z.strictObject({
    id: z.string(),
    motion: z.enum(['outbound', 'revival', 'cadence', 'all']),
    status: z.enum(['pending_approval', 'approved', 'rejected', 'executed']),
    scope: z.array(z.strictObject({ draftId: z.string(), leadId: z.string(), recipient: z.string(), channel: z.string(), action: z.string() })),
    previewHash: z.string(),
    createdBy: z.string(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    decidedBy: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
    decisionReason: z.string().nullable(),
    executedAt: Timestamp.nullable(),
    executionReport: z.record(z.string(), z.unknown()).nullable(),
  }),
  'A batch the Gatekeeper holds for a person to approve: its frozen scope and its decision.',
);
export const Campaign = named(
  'Campaign',
  z.strictObject({
    id: z.string(),
    provider: z.string(),
    externalId: z.string(),
    name: z.string(),
    kind: z.enum(['campaign', 'list']),
    status: z.enum(['draft', 'active', 'paused', 'gone']),
    tier: z.string().nullable(),
    day: z.string(),
    createdAt: Timestamp,
    activatedBy: z.string().nullable(),
    activatedAt: Timestamp.nullable(),
  }),
  'A campaign (Instantly) or list (HeyReach) we created: a draft until a person activates it.',
);

export const NoPendingBatch = named('NoPendingBatch', z.strictObject({ status: z.literal('no_pending_batch') }));

export const Incident = named(
  'Incident',
  z.strictObject({
    key: z.string(),
    level: z.number().int(),
    notifiedLevel: z.number().int(),
    openedAt: Timestamp,
    lastSeenAt: Timestamp,
    lastNotifiedAt: Timestamp.nullable(),
    resolvedAt: Timestamp.nullable(),
    details: z.looseObject({ kind: z.string().optional(), title: z.string().optional(), detail: z.string().optional() }),
  }),
  'An open incident: what failed, since when, the level reached and the level people were paged at.',
);

const DueStep = z.strictObject({ step: z.number().int(), day: z.number().int(), channel: z.string(), action: z.string(), dueAt: Timestamp, actionId: z.string() });
export const CadenceDue = named('CadenceDue', z.strictObject({ leadId: z.string(), due: z.array(DueStep), skipped: z.array(DueStep.extend({ reason: z.string(), detail: z.string() })) }));
export const CadenceSync = named('CadenceSync', z.strictObject({ changed: z.array(z.strictObject({ leadId: z.string(), from: z.string(), to: z.string(), reason: z.string().nullable() })) }));

export const EmergencyStopResult = named(
  'EmergencyStopResult',
  z.strictObject({ at: Timestamp, paused: described(z.record(z.string(), z.union([z.number(), z.string()])), 'per channel: how many live campaigns were paused, or why pausing failed') }),
);
export const ResumeResult = named('ResumeResult', z.strictObject({ at: Timestamp }));
export const StopReasonResult = named('StopReasonResult', z.strictObject({ at: Timestamp, reason: z.string() }));

const StageResult = z.strictObject({
  name: z.enum(['discover', 'enrich', 'score', 'craft', 'queue', 'send']),
  status: z.enum(['pass', 'fail', 'skip']),
  inputCount: z.number().int(),
  outputCount: z.number().int(),
  durationMs: z.number(),
  errors: z.array(z.looseObject({ message: z.string(), code: z.string().optional(), leadRef: z.string().optional() })),
  metrics: z.record(z.string(), z.unknown()),
});
export const RunRecord = named(
  'RunRecord',
  z.strictObject({
    runId: z.string(),
    mode: z.enum(['sandbox', 'live']),
    source: z.string(),
    requestedLimit: z.number().int(),
    seed: z.number().nullable(),
    status: z.enum(['running', 'passed', 'failed']),
    startedAt: Timestamp,
    completedAt: Timestamp.nullable(),
    totalErrors: z.number().int(),
    stages: z.array(StageResult),
    summary: z.looseObject({ leads: z.number().optional(), drafts: z.number().optional(), disqualified: z.number().optional(), skipped: z.number().optional(), passed: z.number().optional(), total: z.number().optional() }),
  }),
  'One pipeline run: its stages and their counts.',
);
export const RunStarted = named(
  'RunStarted',
  z.looseObject({ runId: z.string().optional(), status: z.string().optional(), drafts: z.number().int().optional(), chunks: z.number().int().optional(), leads: z.number().int().optional(), queued: z.unknown().optional() }),
  'The run (inline: when it finished, its id, status and drafts; with workers: its id and chunks, or the job it was queued as).',
);

export const OpenApiDocumentBody = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) });

const ToolOutcome = z.strictObject({
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  status: z.enum(['ok', 'denied', 'failed', 'needs_confirmation', 'missing_input']),
  durationMs: z.number(),
  error: z.string().optional(),
});
export const AskAnswer = named(
  'AskAnswer',
  z.strictObject({
    intent: z.string(),
    refused: described(z.boolean(), 'a part of the request (or all of it) was refused'),
    reason: described(z.string().nullable(), 'the rules that refused, with their reasons; null when nothing was refused'),
    plan: z.array(z.strictObject({ tool: z.string(), args: z.record(z.string(), z.unknown()) })),
    results: described(z.record(z.string(), z.unknown()), "each tool that ran: its answer, which the answer's figures come from"),
    answer: z.string(),
    traceId: described(z.string(), 'the trace in the audit log (caio traces)'),
    needsConfirmation: described(z.boolean(), 'the plan writes and was not confirmed: its writes were held (ask again with confirm true)'),
    calls: z.array(ToolOutcome),
  }),
  'What QUEEN made of an ask, as `caio ask --json` prints it.',
);

const AgentActivity = z.strictObject({
  role: z.string(),
  enabled: z.boolean(),
  mergedInto: z.string().nullable(),
  actions: z.number().int(),
  refusals: z.number().int(),
  failures: z.number().int(),
  lastRun: Timestamp.nullable(),
  byAction: Counts,
  health: z.enum(['ok', 'degraded', 'failing', 'idle', 'merged']),
  summary: z.string(),
});
export const AgentsStatus = named(
  'AgentsStatus',
  z.strictObject({
    windowHours: z.number().int(),
    since: Timestamp,
    until: Timestamp,
    agents: z.array(AgentActivity),
    unattributed: z.strictObject({ count: z.number().int(), byAction: Counts }),
    truncated: z.boolean(),
  }),
  'What each of the 12 agent roles did in the window and its health, from the audit log, the QUEEN traces and the runs.',
);

// ---- sending to the end from the dashboard (issue 21; docs/dashboard-sending.md) ----------------

export const BatchSendRequest = z.object({ by: described(Text(), 'who approves (recorded in the audit log)') });
export const OutboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const BatchSendOutcome = named(
  'BatchSendOutcome',
  z.strictObject({
    batchId: z.string(),
    state: z.enum(['executed', 'executing', 'scheduled', 'approved_shadow', 'already_decided']),
    message: described(z.string(), 'what happened, in the words /operator shows'),
    scheduledFor: Timestamp.nullable(),
    counts: z.strictObject({ queued: z.number().int(), refused: z.number().int(), sent: z.number().int(), deferred: z.number().int(), failed: z.number().int() }).nullable(),
  }),
  'A batch approved from the dashboard: executed through the OPERATOR, executing on a worker, scheduled for the send window, approved in shadow mode, or already decided (a second click).',
);
export const BatchBoardRow = named(
  'BatchBoardRow',
  z.strictObject({
    id: z.string(),
    motion: z.enum(['outbound', 'revival', 'cadence', 'all']),
    state: z.enum(['pending', 'approved', 'scheduled', 'executing', 'executed', 'rejected', 'expired']),
    label: z.string(),
    items: z.number().int(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    decidedBy: z.string().nullable(),
    scheduledFor: Timestamp.nullable(),
    outbox: Counts,
  }),
  'A batch and how it stands.',
);
export const OutboxBoardItem = named(
  'OutboxBoardItem',
  z.strictObject({
    id: z.string(),
    batchId: z.string().nullable(),
    channel: z.string(),
    step: z.string(),
    status: z.string(),
    state: z.enum(['queued', 'deferred', 'sending', 'handed_draft', 'handed_paused', 'sent', 'refused', 'failed', 'uncertain', 'cancelled']),
    label: described(z.string(), 'the state in words: "handed to Instantly (draft campaign, not sending yet)", "refused by <guard>" ...'),
    reason: z.string().nullable(),
    until: Timestamp.nullable(),
    sentAt: Timestamp.nullable(),
    lead: z.string().nullable(),
    company: z.string().nullable(),
    campaign: z.strictObject({ name: z.string(), externalId: z.string(), status: z.string() }).nullable(),
  }),
  'One outbox item by name and company (never the address) with its state.',
);
export const OutboxBoard = named('OutboxBoard', z.strictObject({ counts: Counts, items: z.array(OutboxBoardItem) }), 'The newest outbox items and the count of each status.');

// ---- what approving covers: a batch item by item, leaving items out (issue 21 item 3) ----------

export const BatchExclude = z.object({
  by: described(Text(), 'who leaves the items out (recorded in the audit log)'),
  items: described(z.array(z.number().int().min(0)).min(1), "the items to leave out, by their position in the batch's scope (0 first)"),
});
export const BatchOutlook = named(
  'BatchOutlook',
  z.strictObject({
    batch: Batch,
    stopped: described(z.boolean(), 'the emergency stop is set: nothing would be sent'),
    stopReason: z.string().nullable(),
    items: z.array(
      z.strictObject({
        index: z.number().int(),
        leadId: z.string(),
        draftId: z.string(),
        channel: z.string(),
        kind: z.enum(['first_touch', 'cadence_step', 'revival', 'revival_email', 'unknown']),
        touch: z.string().nullable(),
        step: z.number().int().nullable(),
        subject: z.string().nullable(),
        body: z.string().nullable(),
        outcome: described(z.enum(['would_send', 'deferred', 'refused', 'stopped', 'left_out', 'queues_revival']), "the predicted outcome under today's guards (the OPERATOR's dry run)"),
        until: Timestamp.nullable(),
        reason: z.string().nullable(),
      }),
    ),
  }),
  "A pending batch item by item: each item's message and its predicted outcome under today's guards, from the OPERATOR's dry run (nothing is written).",
);
export const BatchExcluded = named(
  'BatchExcluded',
  z.strictObject({
    batch: Batch,
    previousBatchId: z.string(),
    excluded: described(z.number().int(), 'how many items were left out (they wait for the next batch; their drafts stay approved)'),
    message: z.string(),
  }),
  'A batch re-frozen without the items left out: a new batch (a new scope hash) replaces the old, which is closed as rejected.',
);

// ---- replies (issue 17 item 6): the /replies page's API ---------------------------------------

const REPLY_CLASS_VALUES = ['meeting_request', 'interested', 'question', 'objection', 'referral', 'out_of_office', 'not_interested', 'unsubscribe', 'auto_reply'] as const;
export const ReplyParams = z.object({ id: described(z.guid(), 'the reply id (a UUID, see GET /api/replies)') });
export const RepliesQuery = z.object({
  class: described(z.enum(REPLY_CLASS_VALUES).optional(), 'only replies of this class'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const ReplyBookRequest = z.object({
  slot: described(
    safeText().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 instant with its offset'),
    'the start of the slot (one of GET /api/replies/{id}/slots)',
  ),
  by: described(Text().max(200), 'who books (audited)'),
});

const ProposedTimeBody = z.looseObject({ at: Timestamp, text: z.string(), precision: z.string(), timeZone: z.string() });
const LlmNoteBody = named(
  'ReplyLlmNote',
  z.strictObject({
    verdict: described(z.enum(['answered', 'added', 'confirmed', 'disagrees', 'ignored', 'unavailable']), "what was done with the model's answer (disagrees: it reads the reply otherwise than the rules, whose reading stands)"),
    model: z.string().nullable(),
    class: described(z.string().nullable(), "the model's class"),
    kind: described(z.string().nullable(), "the model's objection kind"),
    confidence: z.number().nullable(),
    evidence: described(z.array(z.string()), "the words of the reply the model's reading rests on"),
    added: described(z.array(z.string()), "what the model's answer changed in the stored reading (class, kind, proposedTimes, confidence)"),
    reason: described(z.string().nullable(), 'why nothing was taken, or where it disagrees'),
    needsPerson: described(z.boolean(), 'true when a person should read the reply (a disagreement)'),
  }),
  'The optional LLM classifier\'s note beside the rules\' reading (docs/replies.md "The LLM classifier").',
);
export const ReplyListItem = named(
  'ReplyListItem',
  z.strictObject({
    id: z.string(),
    leadEmail: z.string().nullable(),
    channel: z.enum(['email', 'linkedin']),
    receivedAt: Timestamp,
    class: z.string(),
    kind: z.string().nullable(),
    confidence: z.number(),
    evidence: z.array(z.string()),
    proposedTimes: z.array(ProposedTimeBody),
    needsResponse: z.boolean(),
    draftId: described(z.string().nullable(), "the suggested answer's draft (approve, edit or reject it with /api/emails/{id}/...)"),
    appointmentId: described(z.string().nullable(), 'the GoHighLevel appointment the SCHEDULER booked for this reply'),
    llm: described(LlmNoteBody.nullable().optional(), "the LLM classifier's note, null when no model read the reply"),
  }),
  'A reply as `caio replies list --json` prints it: its class, objection kind, confidence, evidence and proposed times.',
);
export const ReplyConversation = named(
  'ReplyConversation',
  ReplyListItem.extend({
    leadId: z.string().nullable(),
    leadName: z.string().nullable(),
    company: z.string().nullable(),
    title: z.string().nullable(),
    leadStatus: z.string().nullable(),
    excerpt: z.string(),
    timeZone: described(z.string(), "the prospect's zone the reply's times were read in"),
    returnDate: Timestamp.nullable(),
    messages: described(
      z.array(z.strictObject({ at: Timestamp, direction: z.enum(['sent', 'received']), channel: z.enum(['email', 'linkedin']), subject: z.string().nullable(), text: z.string(), note: z.string().nullable() })),
      "the lead's conversation across channels, oldest first: what we sent and every reply (cleaned of quotes and signatures)",
    ),
    suggestedAnswer: z
      .strictObject({
        id: z.string(),
        status: z.string(),
        angleId: z.string(),
        subject: z.string(),
        body: z.string(),
        editedSubject: z.string().nullable(),
        editedBody: z.string().nullable(),
        reason: z.string(),
        decidedBy: z.string().nullable(),
        decidedAt: Timestamp.nullable(),
      })
      .nullable(),
    appointment: z.strictObject({ id: z.string(), slot: Timestamp, status: z.enum(['booked', 'moved', 'cancelled']) }).nullable(),
  }),
  'One conversation: the reply, its lead, every message across channels, the suggested answer and the appointment.',
);
export const ReplySlots = named(
  'ReplySlots',
  z.strictObject({
    replyId: z.string(),
    timeZone: z.string(),
    calendar: described(z.boolean(), 'whether a GoHighLevel calendar is configured (scheduler.calendarId)'),
    bookingUrl: z.string().nullable(),
    slots: z.array(z.strictObject({ at: Timestamp, label: described(z.string(), "the slot in the prospect's zone, in words") })),
  }),
  "Live free slots from the GoHighLevel calendar the SCHEDULER books on, at least an hour ahead and within business hours in the prospect's zone.",
);
export const ReplyBooking = named(
  'ReplyBooking',
  z.strictObject({ replyId: z.string(), slot: Timestamp, booked: z.boolean(), status: z.string(), error: z.string().nullable() }),
  'A booking by hand: booked, or not (the slot was taken or off hours: a draft offering the nearest free slots is queued instead).',
);
export const ReplyBrief = named(
  'ReplyBrief',
  z.strictObject({
    title: z.string(),
    text: described(z.string(), 'the brief as Markdown'),
    meeting: z.strictObject({ slot: Timestamp, appointmentId: z.string() }).nullable(),
    prospectTimeZone: z.string(),
    ownerTimeZone: z.string(),
  }),
  'The meeting brief: the person, the company, the score reasons, the whole conversation, the angle that worked and the meeting time in both zones.',
);
