import { ACTIONS, allowedActionsOf, findAgent, isAgentAction, isAgentRole, RISK_POLICIES, SEND_CAPABLE_ROLES, type ActionSpec, type AgentAction, type AgentRole, type RateLimits, type RiskLevel } from './registry.js';

/** Sources the original accepts as grounding evidence for HIGH and CRITICAL actions. */
export const GROUNDING_SOURCES = ['supabase', 'ghl', 'clay', 'rb2b', 'manual', 'canary_test', 'internal'] as const;
export type GroundingSource = (typeof GROUNDING_SOURCES)[number];

/** Evidence older than this no longer grounds an outreach. */
export const GROUNDING_MAX_AGE_MS = 60 * 60 * 1000;

export type GroundingEvidence = { source: string; verifiedAt: Date };

/** How many actions were already done in each sliding window, before this one. */
export type WindowCounts = { lastMinute?: number; lastHour?: number; lastDay?: number };

export type AuthorizeInput = {
  /** The acting role; a string because it comes from callers and stored records. */
  role: string;
  action: string;
  /** `role`: every action by this role; `action`: this action by this role. A missing window is not checked. */
  recentActionCount?: { role?: WindowCounts; action?: WindowCounts };
  /** Required for HIGH and CRITICAL actions. */
  grounding?: GroundingEvidence;
  /** Whether a recorded human approval covers this action; CRITICAL actions need one. */
  approved?: boolean;
  /** Number of records a bulk action carries; required for actions with a batch cap. */
  batchSize?: number;
  /** The clock, passed in: grounding freshness is measured against it. */
  now?: Date;
};

export type AgentDenialCode =
  'AGENT_ACTION_BLOCKED' | 'AGENT_UNKNOWN' | 'AGENT_ACTION_UNKNOWN' | 'AGENT_DISABLED' | 'AGENT_ACTION_DENIED' | 'AGENT_GROUNDING_REQUIRED' | 'AGENT_APPROVAL_REQUIRED' | 'AGENT_BATCH_TOO_LARGE' | 'AGENT_RATE_LIMITED';

export type AgentDenial = { allowed: false; code: AgentDenialCode; reason: string };
export type AgentAuthorization = { allowed: true; role: AgentRole; action: AgentAction; risk: RiskLevel } | AgentDenial;

const deny = (code: AgentDenialCode, reason: string): AgentDenial => ({ allowed: false, code, reason });

const isGroundingSource = (value: string): value is GroundingSource => (GROUNDING_SOURCES as readonly string[]).includes(value);

const checkGrounding = (action: AgentAction, risk: RiskLevel, grounding: GroundingEvidence | undefined, now: Date | undefined): AgentDenial | null => {
  if (!RISK_POLICIES[risk].requiresGrounding) return null;
  if (!grounding) return deny('AGENT_GROUNDING_REQUIRED', `${action} is ${risk} risk and needs grounding evidence`);
  if (!isGroundingSource(grounding.source)) return deny('AGENT_GROUNDING_REQUIRED', `grounding source ${grounding.source} is not one of ${GROUNDING_SOURCES.join(', ')}`);
  if (!now) return deny('AGENT_GROUNDING_REQUIRED', 'grounding freshness cannot be checked without the current time');
  const ageMs = now.getTime() - grounding.verifiedAt.getTime();
  // A verification time in the future is as untrustworthy as a stale one.
  if (Number.isNaN(ageMs) || ageMs < 0 || ageMs >= GROUNDING_MAX_AGE_MS) return deny('AGENT_GROUNDING_REQUIRED', 'grounding evidence must have been verified within the last hour');
  return null;
};

const WINDOWS = [
  ['lastMinute', 'perMinute', 'minute'],
  ['lastHour', 'perHour', 'hour'],
  ['lastDay', 'perDay', 'day'],
] as const;

const checkWindows = (subject: string, counts: WindowCounts | undefined, limits: RateLimits): AgentDenial | null => {
  if (!counts) return null;
  for (const [countKey, limitKey, label] of WINDOWS) {
    const count = counts[countKey];
    const limit = limits[limitKey];
    if (count !== undefined && limit !== undefined && count >= limit) return deny('AGENT_RATE_LIMITED', `${subject} reached its limit of ${limit} per ${label}`);
  }
  return null;
};

/** The action's own limits, capped by its risk level's per-minute rate. */
export const actionLimitsOf = (action: AgentAction): RateLimits => {
  const spec: ActionSpec = ACTIONS[action];
  const riskCap = RISK_POLICIES[spec.risk].maxPerMinute;
  return { ...spec.limits, perMinute: Math.min(spec.limits?.perMinute ?? riskCap, riskCap) };
};

/**
 * May `role` perform `action` now? Pure: counts, evidence and the clock are inputs.
 *
 * The order follows the original's execute_with_guardrails (spec/agents.md): globally blocked,
 * unknown role, unknown action, then the role's own tables (deny wins over allow), grounding,
 * approval, batch size and rate limits. Circuit breakers and backoff belong to the provider HTTP
 * policy, not to the role. The first refusal wins and names its reason, so the caller can audit it.
 */
export const authorize = (input: AuthorizeInput): AgentAuthorization => {
  const { role, action } = input;
  const known = isAgentAction(action) ? action : null;
  const blocked = known ? (ACTIONS[known] as ActionSpec).blocked : undefined;
  if (blocked && blocked.overrideBy !== role) return deny('AGENT_ACTION_BLOCKED', blocked.reason);
  if (!isAgentRole(role)) return deny('AGENT_UNKNOWN', `unknown agent role ${JSON.stringify(role)}`);
  if (!known) return deny('AGENT_ACTION_UNKNOWN', `unknown action ${JSON.stringify(action)}`);

  const agent = findAgent(role);
  if (!agent.enabled) return deny('AGENT_DISABLED', agent.mergedInto ? `${role} is merged into ${agent.mergedInto}; act as ${agent.mergedInto}` : `${role} is disabled`);

  const spec: ActionSpec = ACTIONS[known];
  // Structural, not table-driven: a registry edit cannot hand a send to CRAFTER or any other role.
  if (spec.sends && !SEND_CAPABLE_ROLES.includes(role)) return deny('AGENT_ACTION_DENIED', `${role} can never send (${known}); only ${SEND_CAPABLE_ROLES.join(' and ')} can`);
  if (agent.denied.includes(known)) return deny('AGENT_ACTION_DENIED', `${known} is on ${role}'s denied list`);
  if (!allowedActionsOf(agent).includes(known)) return deny('AGENT_ACTION_DENIED', `${known} is not on ${role}'s allowed list`);

  const grounding = checkGrounding(known, spec.risk, input.grounding, input.now);
  if (grounding) return grounding;
  if (RISK_POLICIES[spec.risk].requiresApproval && input.approved !== true) return deny('AGENT_APPROVAL_REQUIRED', `${known} is ${spec.risk} risk and needs a recorded human approval`);
  if (spec.maxBatch !== undefined) {
    const size = input.batchSize;
    if (size === undefined || !Number.isInteger(size) || size < 1) return deny('AGENT_BATCH_TOO_LARGE', `${known} must declare its batch size (1 to ${spec.maxBatch})`);
    if (size > spec.maxBatch) return deny('AGENT_BATCH_TOO_LARGE', `${known} carries ${size} records; at most ${spec.maxBatch}`);
  }

  const limited = checkWindows(role, input.recentActionCount?.role, agent.limits) ?? checkWindows(`${role} ${known}`, input.recentActionCount?.action, actionLimitsOf(known));
  if (limited) return limited;
  return { allowed: true, role, action: known, risk: spec.risk };
};
