import { z } from 'zod';
import { REJECTION_TAGS } from '../domain/approval/rejection-tags.js';
import { AppError } from '../lib/app-error.js';

/**
 * What a simulation assumes about the people it writes to and the person who reviews: the
 * `simulation` object of the file given to `caio simulate --config F` (docs/simulation.md). Every
 * rate is a probability in [0, 1]; multipliers scale the open, click and reply rates (the result is
 * capped at 1) so that tiers, angles and subject variants differ and the learning has a true answer.
 */
const rate = z.number().min(0).max(1);
const multiplier = z.number().min(0).max(20);
const hours = z
  .tuple([
    z
      .number()
      .min(0)
      .max(24 * 60),
    z
      .number()
      .min(0)
      .max(24 * 60),
  ])
  .refine(([a, b]) => a <= b, 'the first number (earliest, in hours) must not exceed the second (latest)');

export const REPLY_CLASSES = ['meeting_request', 'interested', 'question', 'objection', 'not_interested', 'out_of_office', 'referral', 'unsubscribe'] as const;
export type SimReplyClass = (typeof REPLY_CLASSES)[number];

const EngagementSchema = z.strictObject({
  /** Of e-mails sent: bounced (nothing else happens to a bounced e-mail). */
  bounce: rate.default(0.015),
  /** Of e-mails delivered: opened at least once. */
  open: rate.default(0.45),
  /** Of e-mails opened: a link clicked. */
  click: rate.default(0.08),
  /** Of e-mails delivered: answered (the class is drawn from `replyClasses`). */
  reply: rate.default(0.07),
  /** Of e-mails delivered and not answered: unsubscribed by the link. */
  unsubscribe: rate.default(0.008),
  /** Of LinkedIn invitations: accepted. */
  linkedinAccept: rate.default(0.35),
  /** Of LinkedIn messages: answered. */
  linkedinReply: rate.default(0.1),
  /** The classes of a reply, as weights (normalised). */
  replyClasses: z.strictObject(Object.fromEntries(REPLY_CLASSES.map((c) => [c, z.number().min(0).max(1000).optional()])) as Record<SimReplyClass, z.ZodOptional<z.ZodNumber>>).default({}),
  /** Of meeting requests: the reply names a time (the SCHEDULER books it); the rest ask for times. */
  meetingPick: rate.default(0.7),
  /**
   * Of our answers that offered free slots (a suggested answer the reviewer approved, sent in the
   * thread): the prospect picks one of them by its position ("the second option works"), which
   * the production reply understanding resolves against the offered slots and the SCHEDULER books.
   */
  slotPick: rate.default(0.6),
  /** Per tier (tier_1 ... tier_4), per angle id and per subject variant (A, B): multipliers of open, click and reply. */
  byTier: z.record(z.string(), multiplier).default({ tier_1: 1.3, tier_2: 1.1, tier_3: 1, tier_4: 0.8 }),
  byAngle: z.record(z.string(), multiplier).default({}),
  byVariant: z.record(z.enum(['A', 'B']), multiplier).default({ A: 1, B: 1.2 }),
  /** Delays after the send, in simulated hours: uniformly between the two numbers. */
  delays: z
    .strictObject({
      bounce: hours.default([0.05, 2]),
      open: hours.default([0.5, 48]),
      click: hours.default([0.05, 4]),
      reply: hours.default([2, 72]),
      unsubscribe: hours.default([1, 96]),
      linkedinAccept: hours.default([4, 96]),
      linkedinReply: hours.default([2, 72]),
      /** After our answer with the slots: the prospect's pick (soon, or the slots are gone). */
      slotPick: hours.default([0.5, 12]),
    })
    .prefault({}),
});

const ReviewerSchema = z
  .strictObject({
    /** Of drafts reviewed: approved as is, approved with an edit, rejected with a tag (normalised). */
    approve: rate.default(0.8),
    edit: rate.default(0.1),
    reject: rate.default(0.1),
    /** The tags a rejection carries, drawn uniformly. */
    tags: z
      .array(z.enum(REJECTION_TAGS.map((t) => t.id) as [string, ...string[]]))
      .min(1)
      .default(['weak_subject', 'personalization_mismatch', 'tone_style_issue', 'icp_mismatch']),
    /** Of pending batches: approved (the rest are rejected). */
    batchApprove: rate.default(1),
    /** The UTC hours at which the reviewer works through the queue and the pending batches, on weekdays. */
    sessionHoursUtc: z.array(z.number().int().min(0).max(23)).min(1).default([13, 17]),
  })
  .refine((r) => r.approve + r.edit + r.reject > 0, 'approve, edit and reject cannot all be 0');

export const SimulationSettingsSchema = z.strictObject({
  engagement: EngagementSchema.prefault({}),
  reviewer: ReviewerSchema.prefault({}),
  /** Set the emergency stop at the start of this simulated day (1 = the first); null: never. */
  emergencyStopOnDay: z.number().int().min(1).max(366).nullable().default(null),
  /** Activate each campaign the OPERATOR creates (a person's act in production); auto-paused ones stay paused. */
  activateCampaigns: z.boolean().default(true),
});

export type SimulationSettings = z.infer<typeof SimulationSettingsSchema>;
export type EngagementSettings = SimulationSettings['engagement'];
export type ReviewerSettings = SimulationSettings['reviewer'];

/** The settings from the file's `simulation` object; a problem names the key (`simulation.engagement.bounce: ...`). */
export const parseSimulationSettings = (raw: unknown): SimulationSettings => {
  const parsed = SimulationSettingsSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `simulation.${i.path.join('.')}: ${i.message}`);
    throw new AppError('INVALID_INPUT', `the simulation settings are invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
};
