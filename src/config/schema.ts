import { z } from 'zod';
import { DEFAULT_ICP_SETTINGS } from '../domain/scoring/settings.js';
import { DEFAULT_SENDER_SETTINGS } from '../domain/drafting/settings.js';
import { CADENCE_ACTIONS, isCadenceAction } from '../domain/drafting/follow-ups.js';
import { TIERS } from '../domain/tier.js';
import { DEFAULT_COPY_CHECKS as COPY } from '../domain/quality/copy-checks.js';

const checkAction = z.enum(['block', 'flag', 'off']);

/**
 * The config file (`caio.config.json`). Every key is optional: the defaults give the embedded,
 * sandbox, shadow-send set-up. Unknown keys are errors, so a typo never silently keeps a default.
 */
const keywordList = z.array(z.string().trim().min(1)).max(500);
const domainList = z.array(
  z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a bare domain like example.com'),
);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const points = z.number().int().min(0).max(100);

const IcpSchema = z
  .strictObject({
    tiers: z.strictObject({ tier1: points, tier2: points, tier3: points }).prefault(DEFAULT_ICP_SETTINGS.tiers),
    needsReview: z.strictObject({ min: points, max: points }).prefault(DEFAULT_ICP_SETTINGS.needsReview),
    titleKeywords: z.strictObject({ cLevel: keywordList, vp: keywordList, director: keywordList, manager: keywordList }).prefault(DEFAULT_ICP_SETTINGS.titleKeywords),
    industryKeywords: z.strictObject({ tier1: keywordList, tier2: keywordList, tier3: keywordList }).prefault(DEFAULT_ICP_SETTINGS.industryKeywords),
    techKeywords: z.strictObject({ crm: keywordList, salesTech: keywordList, marketingTech: keywordList }).prefault(DEFAULT_ICP_SETTINGS.techKeywords),
  })
  .superRefine((icp, ctx) => {
    const { tier1, tier2, tier3 } = icp.tiers;
    if (!(tier1 > tier2 && tier2 > tier3)) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: `thresholds must descend: tier1 > tier2 > tier3 (got ${tier1}, ${tier2}, ${tier3})` });
    }
    if (icp.needsReview.min > icp.needsReview.max) {
      ctx.addIssue({ code: 'custom', path: ['needsReview'], message: 'min must not exceed max' });
    }
  });

const ExclusionsSchema = z.strictObject({
  competitorDomains: domainList.default(DEFAULT_ICP_SETTINGS.exclusions.competitorDomains),
  competitorCompanyNames: keywordList.default(DEFAULT_ICP_SETTINGS.exclusions.competitorCompanyNames),
  excludedDomains: domainList.default(DEFAULT_ICP_SETTINGS.exclusions.excludedDomains),
  excludedEmails: z.array(z.string().trim().toLowerCase().email('must be an email address')).default(DEFAULT_ICP_SETTINGS.exclusions.excludedEmails),
});

const SenderSchema = z.strictObject({
  name: z.string().trim().min(1).default(DEFAULT_SENDER_SETTINGS.name),
  title: z.string().trim().min(1).default(DEFAULT_SENDER_SETTINGS.title),
  company: z.string().trim().min(1).default(DEFAULT_SENDER_SETTINGS.company),
  brandDomain: z.string().trim().min(1).default(DEFAULT_SENDER_SETTINGS.brandDomain),
  calendarLink: z.url().default(DEFAULT_SENDER_SETTINGS.calendarLink),
  ctaLabel: z.string().trim().min(1).default(DEFAULT_SENDER_SETTINGS.ctaLabel),
  physicalAddress: z.string().trim().min(10, 'a physical postal address is required by CAN-SPAM').default(DEFAULT_SENDER_SETTINGS.physicalAddress),
  unsubscribeUrl: z.url().default(DEFAULT_SENDER_SETTINGS.unsubscribeUrl),
  disclaimer: z.string().trim().min(1).default(DEFAULT_SENDER_SETTINGS.disclaimer),
});

const SendingAccountSchema = z.strictObject({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  channel: z.enum(['instantly', 'ghl']).default('instantly'),
  dailyLimit: z.number().int().min(0).max(500).default(25),
});

const LimitsSchema = z.strictObject({
  emailDailyLimit: z.number().int().min(0).max(10_000).default(25),
  emailHourlyLimit: z.number().int().min(0).max(10_000).default(15),
  emailMonthlyLimit: z.number().int().min(0).max(1_000_000).default(2500),
  perDomainHourlyLimit: z.number().int().min(0).max(1000).default(3),
  minDelaySeconds: z.number().int().min(0).max(3600).default(45),
  maxLeadsPerDomainPerBatch: z.number().int().min(1).max(1000).default(3),
  linkedinWarmupStart: isoDate.nullable().default(null),
  linkedinWarmupDailyLimit: z.number().int().min(0).max(100).default(5),
  linkedinFullDailyLimit: z.number().int().min(0).max(100).default(20),
  linkedinWarmupWeeks: z.number().int().min(0).max(52).default(4),
  revivalDailyLimit: z.number().int().min(0).max(1000).default(5),
});

const RampSchema = z.strictObject({
  enabled: z.boolean().default(true),
  mode: z.enum(['clean_days', 'calendar']).default('clean_days'),
  emailDailyLimitOverride: z.number().int().min(0).max(10_000).default(5),
  tierFilter: z.enum(TIERS).nullable().default('tier_1'),
  startDate: isoDate.nullable().default(null),
  rampDays: z.number().int().min(0).max(365).default(3),
  cleanDaysRequired: z.number().int().min(0).max(365).default(3),
  cleanDaysLookbackDays: z.number().int().min(1).max(365).default(45),
});

const CadenceStepSchema = z.strictObject({
  step: z.number().int().min(1),
  day: z.number().int().min(0).max(365),
  channel: z.enum(['email', 'linkedin']),
  action: z.string().trim().min(1),
  condition: z.string().trim().min(1).optional(),
});

/** The original's 21-day cadence (spec/operator.md). */
const DEFAULT_CADENCE_STEPS: z.input<typeof CadenceStepSchema>[] = [
  { step: 1, day: 1, channel: 'email', action: 'intro' },
  { step: 2, day: 2, channel: 'linkedin', action: 'connect' },
  { step: 3, day: 5, channel: 'email', action: 'value_followup', condition: 'not_replied' },
  { step: 4, day: 7, channel: 'linkedin', action: 'message', condition: 'linkedin_connected' },
  { step: 5, day: 10, channel: 'email', action: 'social_proof', condition: 'not_replied' },
  { step: 6, day: 14, channel: 'linkedin', action: 'followup_message', condition: 'linkedin_connected' },
  { step: 7, day: 17, channel: 'email', action: 'breakup', condition: 'not_replied' },
  { step: 8, day: 21, channel: 'email', action: 'close', condition: 'not_replied' },
];

/**
 * A cadence whose steps repeat a number or go back in time would send in an order nobody
 * configured; an e-mail step whose action has no step template would have no copy to send.
 */
const checkCadenceSteps = (steps: z.output<typeof CadenceStepSchema>[], ctx: z.RefinementCtx) => {
  steps.forEach((s, i) => {
    const prev = steps[i - 1];
    if (steps.findIndex((o) => o.step === s.step) !== i) ctx.addIssue({ code: 'custom', path: [i, 'step'], message: `step ${s.step} appears twice` });
    else if (prev && (s.step < prev.step || s.day < prev.day))
      ctx.addIssue({ code: 'custom', path: [i, 'step'], message: `steps must be in order of step and day: step ${s.step} (day ${s.day}) comes after step ${prev.step} (day ${prev.day})` });
    if (s.channel === 'email' && s.action !== 'intro' && !isCadenceAction(s.action)) {
      ctx.addIssue({ code: 'custom', path: [i, 'action'], message: `e-mail step ${s.step} has no step template for "${s.action}" (intro, ${CADENCE_ACTIONS.join(', ')})` });
    }
  });
};

const CadenceSchema = z.strictObject({
  steps: z
    .array(CadenceStepSchema)
    .min(1)
    .superRefine(checkCadenceSteps)
    .default(DEFAULT_CADENCE_STEPS as z.output<typeof CadenceStepSchema>[]),
  exitOn: z.array(z.string()).default(['replied', 'meeting_booked', 'bounced', 'unsubscribed', 'linkedin_replied', 'rejected']),
  pauseOn: z.array(z.string()).default(['engaged_not_replied']),
  /** After downtime: at most one step per lead per day, later steps shifted by the delay (false: every overdue step at once). */
  catchUp: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
});

const channel = z.enum(['instantly', 'heyreach', 'ghl']);
const TierRoutingSchema = z.strictObject({
  tier_1: z.array(channel).default(['instantly', 'heyreach']),
  tier_2: z.array(channel).default(['instantly', 'heyreach']),
  tier_3: z.array(channel).default(['instantly']),
  tier_4: z.array(channel).default([]),
});

const seniority = z.enum(['owner', 'founder', 'c_suite', 'partner', 'vp', 'head', 'director', 'manager', 'senior', 'entry', 'intern']);
/** Apollo's `organization_num_employees_ranges[]` form, "51,500" (contracts/apollo.md §1). */
const employeeRange = z
  .string()
  .trim()
  .regex(/^\d+,\d+$/, 'must be "MIN,MAX" employees, e.g. "51,500"')
  .refine((r) => Number(r.split(',')[0]) <= Number(r.split(',')[1]), 'MIN must not exceed MAX');
const profileName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/i, 'letters, digits, - and _ only (at most 40)');

/** One targeting profile: `caio pipeline run --source <name>`; titles and seniorities default to discovery's. */
const DiscoveryProfileSchema = z.strictObject({
  titles: z.array(z.string().trim().min(1)).min(1).optional(),
  seniorities: z.array(seniority).optional(),
  /** One People Search sweep per industry (Apollo's free-text `q_keywords`; the contract has no industry filter). */
  industries: keywordList.default([]),
  employeeRanges: z.array(employeeRange).default([]),
  personLocations: keywordList.default([]),
  organizationLocations: keywordList.default([]),
  /** Free text added to every sweep (`q_keywords`). */
  keywords: z.string().trim().min(1).optional(),
  organizationDomains: domainList.default([]),
  /** Names of `discovery.companyLists`: their domains join `organizationDomains`. */
  companyLists: z.array(profileName).default([]),
});

const DiscoverySchema = z
  .strictObject({
    /** Titles sent to Apollo People Search (spec/pipeline.md, stage 1). */
    titles: z.array(z.string().trim().min(1)).min(1).default(['VP of Sales', 'Head of Sales', 'CRO', 'Chief Revenue Officer', 'VP of Business Development', 'Sales Director', 'Head of RevOps', 'VP Marketing', 'CMO', 'Head of Growth']),
    seniorities: z.array(seniority).default(['vp', 'c_suite', 'director']),
    organizationDomains: domainList.default([]),
    /** Named lists of company domains (target accounts), used by profiles. */
    companyLists: z.record(profileName, domainList.max(1000)).default({}),
    /** Targeting profiles; the default one is the plan's tier-1 target (agencies, staffing, consulting, 51-500 employees). */
    profiles: z.record(profileName, DiscoveryProfileSchema).default({
      tier1: { industries: ['marketing & advertising', 'staffing & recruiting', 'management consulting'], employeeRanges: ['51,500'], personLocations: [], organizationLocations: [], organizationDomains: [], companyLists: [] },
    }),
  })
  .superRefine((discovery, ctx) => {
    for (const [name, profile] of Object.entries(discovery.profiles)) {
      if (name === 'apollo') ctx.addIssue({ code: 'custom', path: ['profiles', name], message: '"apollo" is the unfiltered source; name the profile otherwise' });
      if (name === 'rb2b') ctx.addIssue({ code: 'custom', path: ['profiles', name], message: '"rb2b" is the website-visitor source; name the profile otherwise' });
      profile.companyLists.forEach((list, i) => {
        if (!(list in discovery.companyLists)) ctx.addIssue({ code: 'custom', path: ['profiles', name, 'companyLists', i], message: `no discovery.companyLists.${list}` });
      });
    }
  });

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** Where a send-side provider lives and how fast we may call it (each contract's documented limit). */
const endpointShape = (baseUrl: string, rateLimitPerMinute: number) => ({
  baseUrl: z.url().default(baseUrl),
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  /** Retries on 429/5xx/timeouts, with backoff and Retry-After. */
  retries: z.number().int().min(0).max(10).default(3),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(rateLimitPerMinute),
});
const providerEndpoint = (baseUrl: string, rateLimitPerMinute: number) => z.strictObject(endpointShape(baseUrl, rateLimitPerMinute)).prefault({});

/**
 * `heyreach.campaigns`: the HeyReach campaign each LinkedIn message step goes into, by step number
 * (`{"4": 334314}`); a step without one goes into a per-step lead list. The keys are checked
 * against `cadence.steps` when the config loads (config/heyreach-campaigns.ts). @defaultValue {}
 */
const HeyReachCampaignsSchema = z.record(z.string().regex(/^[1-9]\d*$/, 'must be a cadence step number, e.g. "4"'), z.number().int().positive('must be a HeyReach campaign id (a positive integer)')).default({});

export const FileConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  providers: z.enum(['sandbox', 'live']).default('sandbox'),
  send: z.enum(['shadow', 'live']).default('shadow'),
  sandbox: z
    .strictObject({
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(1),
      peopleCount: z.number().int().min(1).max(100_000).default(500),
    })
    .prefault({}),
  pipeline: z
    .strictObject({
      defaultLimit: z.number().int().min(1).max(10_000).default(25),
      /** Stop after the first failed stage (the original did this only in production). @defaultValue false */
      stopOnStageFailure: z.boolean().default(false),
      enrichConcurrency: z.number().int().min(1).max(32).default(4),
      /** The whole waterfall for one lead, all providers and waits together (spec/enrichment.md: 180 s). @defaultValue 180000 */
      enrichTimeoutMs: z.number().int().min(1000).max(3_600_000).default(180_000),
    })
    .prefault({}),
  apollo: z
    .strictObject({
      baseUrl: z.url().default('https://api.apollo.io/api/v1'),
      timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
      /** Retries on 429/5xx/timeouts, with backoff and Retry-After. @defaultValue 3 */
      retries: z.number().int().min(0).max(10).default(3),
      /** Calls per minute (Apollo's free plan: 50; paid plans allow more). @defaultValue 50 */
      rateLimitPerMinute: z.number().int().min(1).max(100_000).default(50),
    })
    .prefault({}),
  discovery: DiscoverySchema.prefault({}),
  betterContact: z
    .strictObject({
      /** The waterfall's second step, for leads Apollo left without an email. @defaultValue true */
      enabled: z.boolean().default(true),
      baseUrl: z.url().default('https://app.bettercontact.rocks/api/v2'),
      /** Poll interval and bound (the original: 8 polls 15 s apart). @defaultValue 15000 / 8 */
      pollIntervalMs: z.number().int().min(10).max(300_000).default(15_000),
      maxPolls: z.number().int().min(1).max(100).default(8),
      rateLimitPerMinute: z.number().int().min(1).max(10_000).default(60),
    })
    .prefault({}),
  clay: z
    .strictObject({
      /** The waterfall's third step (off by default, as in the original). Live runs need CLAY_WEBHOOK_URL and CLAY_CALLBACK_TOKEN. @defaultValue false */
      enabled: z.boolean().default(false),
      /** Where our receiver listens for Clay's HTTP API column during a run. @defaultValue 127.0.0.1 */
      callbackHost: z.string().trim().min(1).default('127.0.0.1'),
      /** 0: any free port (sandbox); live runs set the port your public proxy forwards to. @defaultValue 0 */
      callbackPort: z.number().int().min(0).max(65_535).default(0),
      callbackPath: z
        .string()
        .regex(/^\/[A-Za-z0-9/_-]*$/, 'must be a path such as /webhooks/clay/callback')
        .default('/webhooks/clay/callback'),
      /** How long one lead waits for its callback; a later answer is kept for the next run. @defaultValue 150000 */
      waitMs: z.number().int().min(100).max(3_600_000).default(150_000),
      pollIntervalMs: z.number().int().min(10).max(60_000).default(2_000),
      /** Rows one table webhook accepts before Clay refuses more. @defaultValue 50000 */
      submissionCap: z.number().int().min(1).max(1_000_000).default(50_000),
      /** Credits one row costs (Clay charges even when it finds nothing; the seed plan: 2-5). @defaultValue 3 */
      creditsPerRow: z.number().min(0).max(100).default(3),
      /** A callback for the same person this recent is reused instead of paying again. @defaultValue 72 */
      reuseWithinHours: z
        .number()
        .min(0)
        .max(24 * 365)
        .default(72),
      rateLimitPerMinute: z.number().int().min(1).max(10_000).default(60),
    })
    .prefault({}),
  instantly: providerEndpoint('https://api.instantly.ai/api/v2', 6_000),
  heyreach: z.strictObject({ ...endpointShape('https://api.heyreach.io/api/public', 300), campaigns: HeyReachCampaignsSchema }).prefault({}),
  ghl: providerEndpoint('https://services.leadconnectorhq.com', 600),
  twilio: providerEndpoint('https://api.twilio.com', 60),
  icp: IcpSchema.prefault({}),
  exclusions: ExclusionsSchema.prefault({}),
  sender: SenderSchema.prefault({}),
  sendingAccounts: z.array(SendingAccountSchema).default([]),
  limits: LimitsSchema.prefault({}),
  ramp: RampSchema.prefault({}),
  cadence: CadenceSchema.prefault({}),
  tierRouting: TierRoutingSchema.prefault({}),
  rb2b: z
    .strictObject({
      /**
       * How a draft for an identified website visitor may use the visit: `never` (the copy does not
       * refer to it at all) or `topic` (only the subject of the pages, e.g. "AI councils"; never a
       * URL, the page itself or the fact that we saw the visit). @defaultValue never
       */
      mentionVisit: z.enum(['never', 'topic']).default('never'),
    })
    .prefault({}),
  revival: z
    .strictObject({
      /** Stale CRM contacts: inactive at least / at most this many days (limits.revivalDailyLimit caps a day). */
      minInactiveDays: z.number().int().min(1).max(3650).default(30),
      maxInactiveDays: z.number().int().min(1).max(3650).default(120),
      excludeTags: z.array(z.string().trim().min(1)).default(['do-not-contact', 'competitor', 'unsubscribed']),
      /** Only contacts in these CRM pipeline stages (e.g. Cold, Lost, Nurture); empty: all, as the original. @defaultValue none */
      pipelineStages: z.array(z.string().trim().min(1)).default([]),
    })
    .refine((r) => r.maxInactiveDays >= r.minInactiveDays, 'maxInactiveDays must be at least minInactiveDays')
    .prefault({}),
  scheduler: z
    .strictObject({
      /** The GoHighLevel calendar whose free slots a suggested answer offers (issue 17 item 3); null: the booking link only. In sandbox mode the sandbox's calendar is used when unset. @defaultValue null */
      calendarId: z.string().trim().min(1).nullable().default(null),
      /** The booking page a suggested answer links to when the calendar cannot give slots; null: sender.calendarLink. @defaultValue null */
      bookingUrl: z.url().nullable().default(null),
      /** Free slots offered per answer (within dispatch.businessHours in the prospect's zone). @defaultValue 3 */
      slotsOffered: z.number().int().min(1).max(10).default(3),
      /** How far ahead slots are looked for (GoHighLevel allows at most 31 days). @defaultValue 7 */
      lookaheadDays: z.number().int().min(1).max(31).default(7),
      /** Send a booked meeting's confirmation without review (through the send gateway, as approved reply answers are); false: it waits in the review queue (issue 17 item 4). @defaultValue false */
      autoConfirm: z.boolean().default(false),
      /**
       * Also write a meeting's brief into the GoHighLevel appointment's description (issue 17 item 5). Off by
       * default: GoHighLevel may put the description in the invitation the prospect gets, and the brief holds
       * internal notes (score reasons, the conversation); turn it on once the calendar keeps it internal. @defaultValue false
       */
      briefOnAppointment: z.boolean().default(false),
    })
    .prefault({}),
  jobs: z
    .strictObject({
      /** Run the scheduled jobs inside `caio serve`. @defaultValue true */
      enabled: z.boolean().default(true),
      /** Daily decay detection, UTC. @defaultValue 10:00 */
      decayAtUtc: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)')
        .default('10:00'),
      /** The OPERATOR tick (motion all: pending batches for new approvals, due cadence steps and revivals; sends what is due). Only when send is live. */
      dispatchEveryMinutes: z.number().int().min(1).max(1440).default(15),
      /** The review-queue watcher: below the low-water mark, one pipeline run tops it up to the target. */
      queueWatchEveryMinutes: z.number().int().min(1).max(1440).default(30),
      /** The approval watcher: batches waiting for approval escalate at 30 min, 2 h and 4 h; expired ones are announced. @defaultValue 5 */
      approvalWatchEveryMinutes: z.number().int().min(1).max(60).default(5),
      /** Website visitors: a `--source rb2b` pipeline run when visitors wait (docs/website-visitors.md). @defaultValue 15 */
      visitorsEveryMinutes: z.number().int().min(1).max(1440).default(15),
      reviewQueueLowWater: z.number().int().min(0).max(10_000).default(10),
      reviewQueueTarget: z.number().int().min(1).max(10_000).default(25),
      /** With REDIS_URL: a pipeline run is split into jobs of this many leads, run by any worker. @defaultValue 25 */
      pipelineChunkSize: z.number().int().min(1).max(1000).default(25),
      /** With REDIS_URL: the prefix of every BullMQ key (two deployments can share one Redis). @defaultValue caio */
      queuePrefix: z
        .string()
        .trim()
        .regex(/^[a-z0-9_-]{1,40}$/i, 'letters, digits, - and _ only (at most 40)')
        .default('caio'),
    })
    .prefault({}),
  decay: z
    .strictObject({
      /** Hours after our last touch with no engagement: ghosted (spec: 72). */
      ghostedAfterHours: z
        .number()
        .min(1)
        .max(24 * 365)
        .default(72),
      /** Days after the last engagement of an opened lead: stalled (spec: 7). */
      stalledAfterDays: z.number().min(1).max(365).default(7),
      /** Opens (or clicks) that make an opened lead engaged-not-replied. */
      engagedOpens: z.number().int().min(1).max(100).default(2),
      engagedClicks: z.number().int().min(1).max(100).default(1),
    })
    .prefault({}),
  kpis: z
    .strictObject({
      /** What the KPI page compares with (spec/dashboard.md's targets); bounce is a ceiling. */
      targets: z
        .strictObject({
          open: z.number().min(0).max(1).default(0.5),
          reply: z.number().min(0).max(1).default(0.08),
          bounce: z.number().min(0).max(1).default(0.02),
          linkedinAccept: z.number().min(0).max(1).default(0.3),
        })
        .prefault({}),
      /** Rates over time are taken over this many trailing days. @defaultValue 7 */
      trailingDays: z.number().int().min(1).max(30).default(7),
    })
    .prefault({}),
  learning: z
    .strictObject({
      /** Significance level of the two-proportion test; intervals are at 1 - alpha (docs/learning.md). @defaultValue 0.05 */
      alpha: z.number().gt(0).max(0.2).default(0.05),
      /** Sends each arm (subject variant, angle) needs before it is compared; fewer: "not enough data". @defaultValue 100 */
      minPerArm: z.number().int().min(1).max(1_000_000).default(100),
      /** Replies (and non-replies) needed before the scoring calibration fits a logistic model. @defaultValue 30 */
      minOutcomesForFit: z.number().int().min(5).max(1_000_000).default(30),
      /** Shift first e-mails toward the subject variant that wins replies (at most maxShift from 50/50). @defaultValue false */
      autoShift: z.boolean().default(false),
      /** How far from 50/50 the shift may go (0.2: 70/30). @defaultValue 0.2 */
      maxShift: z.number().min(0).max(0.45).default(0.2),
      /** The window (days) the shift's verdict is read over. @defaultValue 30 */
      shiftWindowDays: z.number().int().min(1).max(365).default(30),
    })
    .prefault({}),
  escalation: z
    .strictObject({
      /** Who is paged at level 2 and 3 by SMS (E.164, e.g. +15551234567); needs the TWILIO_* variables. @defaultValue none */
      smsTo: z
        .array(
          z
            .string()
            .trim()
            .regex(/^\+\d{10,15}$/, 'must be an E.164 number such as +15551234567'),
        )
        .default([]),
      /** Who is e-mailed at level 3 (and when nothing else reached anyone); needs SMTP_HOST and ALERT_EMAIL_FROM. @defaultValue none */
      emailTo: z.array(z.email()).default([]),
    })
    .prefault({}),
  server: z
    .strictObject({
      /** `caio serve` listens here; put a TLS proxy in front for the providers. @defaultValue 127.0.0.1:8080 */
      host: z.string().trim().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8080),
      /** Larger webhook bodies are refused with 413. @defaultValue 1048576 */
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .max(50 * 1024 * 1024)
        .default(1024 * 1024),
      /**
       * Webhook deliveries are stored in groups: one multi-row insert per `windowMs` or per `maxRows`
       * deliveries, whichever comes first; each is answered once its row is committed. `maxRows: 1`
       * stores each delivery alone. 32: a burst goes in several groups, the next read while one
       * commits (docs/signals.md). @defaultValue { windowMs: 2, maxRows: 32 }
       */
      webhookGroupCommit: z
        .strictObject({
          windowMs: z.number().int().min(0).max(1000).default(2),
          maxRows: z.number().int().min(1).max(1000).default(32),
        })
        .prefault({}),
      /** Browser origins allowed to call the API from another site (exact origins; no wildcard). @defaultValue none */
      corsOrigins: z.array(z.url().refine((o) => !o.includes('*'), 'must be an exact origin, no wildcard')).default([]),
      /** The address people and providers reach the server at (behind the TLS proxy); https makes the session cookie Secure and turns HSTS on. @defaultValue none */
      publicUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
      /**
       * Trust X-Forwarded-For / X-Forwarded-Proto from the proxy in front: true (any peer), or the
       * proxies' addresses / CIDRs. Failed logins are then counted per client address. @defaultValue false
       */
      trustProxy: z.union([z.boolean(), z.array(z.string().trim().min(1)).min(1)], { error: 'must be true, false or a list of proxy addresses / CIDRs' }).default(false),
    })
    .prefault({}),
  dispatch: z
    .strictObject({
      /** A live dispatch needs a batch a person approved (spec/operator.md: gatekeeper_required). @defaultValue true */
      gatekeeperRequired: z.boolean().default(true),
      /** How long a live run holds its motion's lease before another process may take over. @defaultValue 300 */
      leaseSeconds: z.number().int().min(10).max(3600).default(300),
      /** Items one dispatch looks at. @defaultValue 500 */
      drainLimit: z.number().int().min(1).max(100_000).default(500),
      /** A claim with no outcome after this long is a crash: reconciled with the provider. @defaultValue 120 */
      claimLeaseSeconds: z.number().int().min(5).max(86_400).default(120),
      /** Business hours for channels that send at once (GHL), in this time zone when the lead's is unknown. */
      timeZone: z.string().trim().min(1).refine(isTimeZone, 'must be an IANA time zone such as America/New_York').default('America/New_York'),
      businessHours: z
        .strictObject({ startHour: z.number().int().min(0).max(23).default(8), endHour: z.number().int().min(1).max(24).default(18), weekdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]) })
        .refine((h) => h.endHour > h.startHour, 'endHour must be after startHour')
        .prefault({}),
      /** Random extra seconds on top of limits.minDelaySeconds between two sends of one inbox. @defaultValue 60 */
      jitterSeconds: z.number().int().min(0).max(3600).default(60),
      /** A live campaign is paused when its bounce or complaint rate passes these, once it has sent minSample e-mails. */
      autoPause: z.strictObject({ maxBounceRate: z.number().min(0).max(1).default(0.02), maxComplaintRate: z.number().min(0).max(1).default(0.001), minSample: z.number().int().min(1).max(100_000).default(50) }).prefault({}),
      /** Instantly campaigns we create: schedule zone (Instantly's enum has no America/New_York), daily limit, gap in minutes. */
      instantlyTimeZone: z.string().trim().default('America/Detroit'),
      instantlyCampaignDailyLimit: z.number().int().min(1).max(10_000).default(50),
      instantlyEmailGapMinutes: z.number().int().min(0).max(1440).default(10),
    })
    .prefault({}),
  gatekeeper: z
    .strictObject({
      /** Hours after which an unapproved or unexecuted batch can no longer be approved or executed. @defaultValue 24 */
      batchExpiryHours: z
        .number()
        .min(0.1)
        .max(24 * 30)
        .default(24),
    })
    .prefault({}),
  quality: z
    .strictObject({
      /** @defaultValue true */
      enabled: z.boolean().default(true),
      /** hard: a failing draft is not queued; soft: it is queued with its failures recorded. @defaultValue hard */
      mode: z.enum(['soft', 'hard']).default('hard'),
      /** GUARD-005: distinct generic phrases per sentence above which a draft fails. @defaultValue 0.4 */
      genericPhraseDensity: z.number().min(0).max(10).default(0.4),
      /** Pre-send checks on the copy (docs/pipeline-decisions.md): each blocks the draft, flags it for the reviewer, or is off. */
      checks: z
        .strictObject({
          spamWords: z.strictObject({ action: checkAction.default(COPY.spamWords.action), words: z.array(z.string().trim().min(1)).default(COPY.spamWords.words) }).prefault({}),
          subjectLength: z.strictObject({ action: checkAction.default(COPY.subjectLength.action), maxChars: z.number().int().min(10).max(500).default(COPY.subjectLength.maxChars) }).prefault({}),
          bodyLength: z
            .strictObject({
              action: checkAction.default(COPY.bodyLength.action),
              minWords: z.number().int().min(0).max(5000).default(COPY.bodyLength.minWords),
              maxWords: z.number().int().min(1).max(5000).default(COPY.bodyLength.maxWords),
            })
            .refine((b) => b.minWords <= b.maxWords, 'minWords must not exceed maxWords')
            .prefault({}),
          links: z.strictObject({ action: checkAction.default(COPY.links.action), max: z.number().int().min(0).max(50).default(COPY.links.max) }).prefault({}),
          images: z.strictObject({ action: checkAction.default(COPY.images.action), max: z.number().int().min(0).max(50).default(COPY.images.max) }).prefault({}),
          placeholders: z.strictObject({ action: checkAction.default(COPY.placeholders.action) }).prefault({}),
          linkedinNote: z.strictObject({ action: checkAction.default(COPY.linkedinNote.action), maxChars: z.number().int().min(1).max(300).default(COPY.linkedinNote.maxChars) }).prefault({}),
        })
        .prefault({}),
    })
    .prefault({}),
  review: z
    .strictObject({
      /** How long a rejection counts for rotation and blocking. @defaultValue 30 */
      rejectionTtlDays: z.number().int().min(1).max(365).default(30),
      /** Rejections within the TTL after which a lead gets no new draft. @defaultValue 2 */
      maxRejections: z.number().int().min(1).max(20).default(2),
    })
    .prefault({}),
  queen: z
    .strictObject({
      /**
       * QUEEN's optional LLM planner (contracts/anthropic.md, docs/queen.md): asks the grammar does not
       * understand go to the model with QUEEN's tools; it runs only when enabled here and ANTHROPIC_API_KEY is set.
       */
      llm: z
        .strictObject({
          /** @defaultValue false */
          enabled: z.boolean().default(false),
          /** The Anthropic model id (required when enabled). */
          model: z.string().trim().min(1).optional(),
          baseUrl: z.url().default('https://api.anthropic.com'),
          /** One planning call; past it the ask answers from the grammar alone. @defaultValue 10000 */
          timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
          /** @defaultValue 1024 */
          maxTokens: z.number().int().min(64).max(8192).default(1024),
          /**
           * The LLM reply classifier (docs/replies.md): every reply's cleaned text goes to the model,
           * so prospects' words leave for a third party only when a person turns this on. @defaultValue false
           */
          classifyReplies: z.boolean().default(false),
        })
        .superRefine((v, ctx) => {
          if (v.enabled && !v.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'must name the Anthropic model when queen.llm.enabled is true' });
          if (v.classifyReplies && !v.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'must name the Anthropic model when queen.llm.classifyReplies is true' });
        })
        .prefault({}),
    })
    .prefault({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type FileConfig = z.output<typeof FileConfigSchema>;

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off', ''].includes(v), 'must be true/false (1/0, yes/no, on/off)')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const secret = z.string().trim().min(1).optional();

/** Environment variables the app reads. Nothing outside src/config reads process.env. */
export const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** A fixed port for the embedded PostgreSQL (127.0.0.1 only); by default the last one used, or any free one. */
  CAIO_PG_PORT: z.coerce.number().int().min(1024).max(65535).optional(),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  EMERGENCY_STOP: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  APOLLO_API_KEY: secret,
  BETTERCONTACT_API_KEY: secret,
  /** The Clay table webhook's `x-clay-webhook-auth` token, when the table has one. */
  CLAY_API_KEY: secret,
  /** The Clay table webhook URL (a credential: anyone holding it can add rows). */
  CLAY_WEBHOOK_URL: z.url().optional(),
  /** The token Clay's HTTP API column sends in X-Caio-Webhook-Token. */
  CLAY_CALLBACK_TOKEN: secret,
  INSTANTLY_API_KEY: secret,
  HEYREACH_API_KEY: secret,
  GHL_API_KEY: secret,
  GHL_LOCATION_ID: z.string().trim().min(1).optional(),
  TWILIO_ACCOUNT_SID: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex characters')
    .optional(),
  TWILIO_AUTH_TOKEN: secret,
  /** The sending number (E.164) or a Messaging Service SID (MG...). */
  TWILIO_FROM: z
    .string()
    .trim()
    .regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, 'must be an E.164 number or a Messaging Service SID')
    .optional(),
  SLACK_WEBHOOK_URL: secret,
  /** QUEEN's optional LLM planner (with queen.llm.enabled in the config file); the LLM reply classifier (with queen.llm.classifyReplies and .model, docs/replies.md). */
  ANTHROPIC_API_KEY: secret,
  /** Escalation e-mail (level 3, and the fallback when nothing else reached anyone): an SMTP relay. */
  SMTP_HOST: z.string().trim().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  SMTP_USER: z.string().trim().min(1).optional(),
  SMTP_PASSWORD: secret,
  /** The From address of escalation e-mails. */
  ALERT_EMAIL_FROM: z.email().optional(),
  /** The dashboard API token (X-Dashboard-Token or Bearer); without it `caio serve` generates one into <data-dir>/dashboard-token. */
  DASHBOARD_AUTH_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  /** Shared secrets of the inbound webhooks (HMAC key, or the token the sender presents). */
  INSTANTLY_WEBHOOK_SECRET: secret,
  HEYREACH_WEBHOOK_SECRET: secret,
  RB2B_WEBHOOK_SECRET: secret,
  CLAY_WEBHOOK_SECRET: secret,
  /** The token a GoHighLevel workflow "Custom Webhook" action sends in X-Caio-Webhook-Token with a nurture reply (POST /webhooks/ghl; docs/replies.md). */
  GHL_WEBHOOK_SECRET: secret,
  /** Refuse unsigned webhooks (401) and providers with no secret (503). Default: on in live mode, off in sandbox mode. */
  WEBHOOK_SIGNATURE_REQUIRED: bool.optional(),
});

export type Env = z.output<typeof EnvSchema>;

/** Names of env values that are secrets: never printed, only reported as set / not set. */
export const SECRET_ENV_KEYS = [
  'DATABASE_URL',
  'REDIS_URL',
  'APOLLO_API_KEY',
  'BETTERCONTACT_API_KEY',
  'CLAY_API_KEY',
  'CLAY_WEBHOOK_URL',
  'CLAY_CALLBACK_TOKEN',
  'INSTANTLY_API_KEY',
  'HEYREACH_API_KEY',
  'GHL_API_KEY',
  'TWILIO_AUTH_TOKEN',
  'SLACK_WEBHOOK_URL',
  'ANTHROPIC_API_KEY',
  'SMTP_PASSWORD',
  'DASHBOARD_AUTH_TOKEN',
  'INSTANTLY_WEBHOOK_SECRET',
  'HEYREACH_WEBHOOK_SECRET',
  'RB2B_WEBHOOK_SECRET',
  'CLAY_WEBHOOK_SECRET',
  'GHL_WEBHOOK_SECRET',
] as const satisfies readonly (keyof Env)[];
