/**
 * The agent permission registry: the original's 12 agent roles (spec/agents.md) as data.
 *
 * Roles are not processes. A role names who is acting when a use case touches a record or reaches
 * an outside party, so the send gateway and CRM writes can check it (see authorize.ts).
 *
 * The roster decision (spec/agents.md section 1, "four lists disagree"):
 * - The 12 names of the guardrails `AgentName` enum are the roster, as the spec recommends.
 * - PREPPER (JSON only), COMMUNICATOR (orchestrator enum only) and RESPONDER (old registry only) are
 *   not roles. Their work is owned by an existing role: call prep by RESEARCHER, calendar messages
 *   by SCHEDULER, reply classification by PIPER. PREPPER's permissions are not carried over.
 * - enabled / mergedInto follow production.json (the system that actually ran), with one exception:
 *   GATEKEEPER stays enabled on its own. Merging approval into OPERATOR, the role that dispatches,
 *   would let the dispatcher approve its own sends; nothing is sent without a separate approval.
 * - A merged role is refused (AGENT_DISABLED, naming the role to act as); it does not inherit the
 *   permissions of the role it is merged into, so an alias can never gain a send.
 * - The per-agent permission table of core/agent_action_permissions.json is authoritative, with
 *   two deliberate narrowings: UNIFIED_QUEEN (`*`) may not send (it orchestrates and is not in the
 *   live path, so every outbound touch is attributable to OPERATOR or GATEKEEPER), and CRAFTER is
 *   denied every send action, not only the three the JSON lists.
 * - OPERATOR's 11 provider actions, silently dropped by the original's enum conversion, are
 *   first-class actions here with a risk level of their own.
 */

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export type RiskPolicy = {
  meaning: string;
  /** HIGH and CRITICAL need fresh grounding evidence (spec step 5). */
  requiresGrounding: boolean;
  /** Declared but not enforced by the original; enforced here. */
  requiresApproval: boolean;
  maxPerMinute: number;
};

export const RISK_POLICIES: Record<RiskLevel, RiskPolicy> = {
  LOW: { meaning: 'read-only', requiresGrounding: false, requiresApproval: false, maxPerMinute: 60 },
  MEDIUM: { meaning: 'changes one record', requiresGrounding: false, requiresApproval: false, maxPerMinute: 30 },
  HIGH: { meaning: 'outreach that reaches outside parties', requiresGrounding: true, requiresApproval: false, maxPerMinute: 20 },
  CRITICAL: { meaning: 'bulk or destructive', requiresGrounding: true, requiresApproval: true, maxPerMinute: 5 },
};

/** Counts of actions in sliding windows; a limit of undefined means no limit in that window. */
export type RateLimits = { perMinute?: number; perHour?: number; perDay?: number };

export type ActionSpec = {
  risk: RiskLevel;
  /** Reaches a person outside the company (an email, an SMS, a LinkedIn touch, a workflow that messages). */
  sends: boolean;
  /** Extra per-action limits on top of the risk level's per-minute cap. */
  limits?: RateLimits;
  /** Largest batch a bulk action may carry. */
  maxBatch?: number;
  /** Refused for every role; `overrideBy` names the one role that may still run it. */
  blocked?: { reason: string; overrideBy?: AgentRole };
};

// send_email and schedule_email share the ghl_email bucket (2/min, 20/h, 150/day); send_sms keeps its own.
const EMAIL_LIMITS: RateLimits = { perMinute: 2, perHour: 20, perDay: 150 };

export const ACTIONS = {
  read_contact: { risk: 'LOW', sends: false },
  read_pipeline: { risk: 'LOW', sends: false },
  read_calendar: { risk: 'LOW', sends: false },
  search_contacts: { risk: 'LOW', sends: false },
  get_templates: { risk: 'LOW', sends: false },
  create_contact: { risk: 'MEDIUM', sends: false },
  update_contact: { risk: 'MEDIUM', sends: false },
  add_tag: { risk: 'MEDIUM', sends: false },
  remove_tag: { risk: 'MEDIUM', sends: false },
  create_task: { risk: 'MEDIUM', sends: false },
  update_opportunity: { risk: 'MEDIUM', sends: false },
  create_calendar_event: { risk: 'MEDIUM', sends: false },
  update_calendar_event: { risk: 'MEDIUM', sends: false },
  delete_calendar_event: { risk: 'MEDIUM', sends: false },
  send_email: { risk: 'HIGH', sends: true, limits: EMAIL_LIMITS },
  send_sms: { risk: 'HIGH', sends: true, limits: { perHour: 15, perDay: 100 } },
  schedule_email: { risk: 'HIGH', sends: true, limits: EMAIL_LIMITS },
  trigger_workflow: { risk: 'HIGH', sends: true },
  bulk_create_contacts: { risk: 'CRITICAL', sends: false, maxBatch: 50 },
  bulk_update_contacts: { risk: 'CRITICAL', sends: false, maxBatch: 50 },
  bulk_send_email: { risk: 'CRITICAL', sends: true, maxBatch: 25 },
  delete_contact: { risk: 'CRITICAL', sends: false },
  bulk_delete: { risk: 'CRITICAL', sends: false, blocked: { reason: 'bulk deletion is permanently blocked' } },
  export_all_contacts: { risk: 'CRITICAL', sends: false, blocked: { reason: 'exporting every contact is blocked (GDPR)' } },
  mass_unsubscribe: { risk: 'CRITICAL', sends: false, blocked: { reason: 'mass unsubscribe is blocked unless the orchestrator overrides', overrideBy: 'UNIFIED_QUEEN' } },
  instantly_create_campaign: { risk: 'MEDIUM', sends: false },
  instantly_add_leads: { risk: 'HIGH', sends: true },
  instantly_pause_campaign: { risk: 'MEDIUM', sends: false },
  instantly_activate_campaign: { risk: 'HIGH', sends: true },
  instantly_delete_campaign: { risk: 'CRITICAL', sends: false },
  heyreach_add_leads_to_list: { risk: 'MEDIUM', sends: false },
  heyreach_add_leads_to_campaign: { risk: 'HIGH', sends: true },
  heyreach_pause_campaign: { risk: 'MEDIUM', sends: false },
  heyreach_resume_campaign: { risk: 'HIGH', sends: true },
  heyreach_list_campaigns: { risk: 'LOW', sends: false },
  heyreach_setup_webhooks: { risk: 'MEDIUM', sends: false },
} as const satisfies Record<string, ActionSpec>;

export type AgentAction = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as AgentAction[];
export const SEND_ACTIONS: readonly AgentAction[] = ACTION_NAMES.filter((a) => ACTIONS[a].sends);

export const AGENT_ROLES = ['UNIFIED_QUEEN', 'HUNTER', 'ENRICHER', 'SEGMENTOR', 'CRAFTER', 'GATEKEEPER', 'SCOUT', 'OPERATOR', 'COACH', 'PIPER', 'SCHEDULER', 'RESEARCHER'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/**
 * The only roles the send gateway accepts an outbound touch from: OPERATOR dispatches approved
 * batches, GATEKEEPER sends a single draft a human approved on the dashboard.
 */
export const SEND_CAPABLE_ROLES: readonly AgentRole[] = ['GATEKEEPER', 'OPERATOR'];

export type AgentDefinition = {
  role: AgentRole;
  /** The `role` category of the original JSON. */
  category: 'orchestrator' | 'lead_generation' | 'approval' | 'outbound_execution' | 'pipeline' | 'scheduling' | 'research';
  owns: readonly string[];
  allowed: '*' | readonly AgentAction[];
  denied: readonly AgentAction[];
  limits: Required<RateLimits>;
  canApprove: boolean;
  /** Weight of the role's vote in the orchestrator's consensus. */
  approvalWeight: number;
  enabled: boolean;
  /** The role that does this role's work now; set exactly when enabled is false. */
  mergedInto: AgentRole | null;
};

const limits = (perMinute: number, perHour: number, perDay: number): Required<RateLimits> => ({ perMinute, perHour, perDay });

const OPERATOR_PROVIDER_ACTIONS: readonly AgentAction[] = [
  'instantly_create_campaign',
  'instantly_add_leads',
  'instantly_pause_campaign',
  'instantly_activate_campaign',
  'instantly_delete_campaign',
  'heyreach_add_leads_to_list',
  'heyreach_add_leads_to_campaign',
  'heyreach_pause_campaign',
  'heyreach_resume_campaign',
  'heyreach_list_campaigns',
  'heyreach_setup_webhooks',
];

export const AGENTS: readonly AgentDefinition[] = [
  {
    role: 'UNIFIED_QUEEN',
    category: 'orchestrator',
    owns: ['task routing by category', 'consensus over proposals (weights: queen 3, gatekeeper 2, others 1; approve at 2/3)', 'the mass-unsubscribe override'],
    allowed: '*',
    denied: ['bulk_delete', ...SEND_ACTIONS],
    limits: limits(100, 1000, 10000),
    canApprove: true,
    approvalWeight: 3,
    enabled: true,
    mergedInto: null,
  },
  {
    role: 'HUNTER',
    category: 'lead_generation',
    owns: ['discover-leads (Apollo People Search, then People Match)', 'research before meetings and call prep (from RESEARCHER)'],
    allowed: ['read_contact', 'search_contacts', 'create_contact', 'update_contact', 'add_tag'],
    denied: [],
    limits: limits(30, 200, 2000),
    canApprove: false,
    approvalWeight: 1,
    enabled: true,
    mergedInto: null,
  },
  {
    role: 'ENRICHER',
    category: 'lead_generation',
    owns: ['enrich-lead (waterfall: Apollo, BetterContact, Clay)'],
    allowed: ['read_contact', 'update_contact', 'add_tag'],
    denied: [],
    limits: limits(20, 150, 1500),
    canApprove: false,
    approvalWeight: 1,
    enabled: true,
    mergedInto: null,
  },
  {
    role: 'SEGMENTOR',
    category: 'lead_generation',
    owns: ['score-leads (ICP points, tier, campaign recommendation, personalization hooks)'],
    allowed: ['read_contact', 'read_pipeline', 'update_contact', 'add_tag', 'remove_tag'],
    denied: [],
    limits: limits(30, 300, 3000),
    canApprove: false,
    approvalWeight: 1,
    enabled: true,
    mergedInto: null,
  },
  {
    role: 'CRAFTER',
    category: 'lead_generation',
    owns: ['craft-drafts (11 angles and follow-ups)', 'cadence follow-up copy', 'learning from rejections (from COACH)'],
    // Writes copy only: every send action is denied, and authorize refuses sends from outside SEND_CAPABLE_ROLES anyway.
    allowed: ['read_contact', 'get_templates', 'create_task'],
    denied: SEND_ACTIONS,
    limits: limits(20, 150, 1500),
    canApprove: false,
    approvalWeight: 1,
    enabled: true,
    mergedInto: null,
  },
  {
    role: 'GATEKEEPER',
    category: 'approval',
    owns: ['review-draft (human approve / reject of each draft)', 'approve-batch (human approval of OPERATOR batches)'],
    allowed: ['read_contact', 'read_pipeline', 'send_email', 'send_sms', 'schedule_email', 'trigger_workflow', 'bulk_send_email'],
    denied: [],
    limits: limits(20, 150, 150),
    canApprove: true,
    approvalWeight: 2,
    enabled: true,
    mergedInto: null,
  },
  {
    role: 'SCOUT',
    category: 'pipeline',
    owns: ['intent and pipeline scanning (dormant; done by OPERATOR)'],
    allowed: ['read_contact', 'read_pipeline', 'search_contacts'],
    denied: [],
    limits: limits(40, 400, 4000),
    canApprove: false,
    approvalWeight: 1,
    enabled: false,
    mergedInto: 'OPERATOR',
  },
  {
    role: 'OPERATOR',
    category: 'outbound_execution',
    owns: ['create-batch and dispatch-batch (Instantly email, HeyReach LinkedIn)', 'advance-cadence', 'revive-stale', 'work of SCOUT, PIPER and SCHEDULER'],
    allowed: ['read_contact', 'read_pipeline', 'update_opportunity', 'trigger_workflow', 'send_email', 'schedule_email', ...OPERATOR_PROVIDER_ACTIONS],
    denied: ['bulk_delete'],
    limits: limits(30, 300, 3000),
    canApprove: false,
    approvalWeight: 1,
    enabled: true,
    mergedInto: null,
  },
  {
    role: 'COACH',
    category: 'pipeline',
    owns: ['self-annealing from outcomes (done by CRAFTER)'],
    allowed: ['read_contact', 'read_pipeline', 'update_contact', 'add_tag'],
    denied: [],
    limits: limits(30, 300, 3000),
    canApprove: false,
    approvalWeight: 1,
    enabled: false,
    mergedInto: 'CRAFTER',
  },
  {
    role: 'PIPER',
    category: 'pipeline',
    owns: ['pipeline-stage management and reply classification (done by OPERATOR)'],
    allowed: ['read_contact', 'read_pipeline', 'update_opportunity'],
    denied: [],
    limits: limits(20, 200, 2000),
    canApprove: false,
    approvalWeight: 1,
    enabled: false,
    mergedInto: 'OPERATOR',
  },
  {
    role: 'SCHEDULER',
    category: 'scheduling',
    owns: ['calendar work (done by OPERATOR)'],
    allowed: ['read_contact', 'read_calendar', 'create_calendar_event', 'update_calendar_event', 'delete_calendar_event'],
    denied: ['send_email'],
    limits: limits(10, 100, 500),
    canApprove: false,
    approvalWeight: 1,
    enabled: false,
    mergedInto: 'OPERATOR',
  },
  {
    role: 'RESEARCHER',
    category: 'research',
    owns: ['research and call prep before meetings (done by HUNTER)'],
    allowed: ['read_contact', 'read_pipeline', 'search_contacts'],
    denied: [],
    limits: limits(20, 150, 1000),
    canApprove: false,
    approvalWeight: 1,
    enabled: false,
    mergedInto: 'HUNTER',
  },
];

export const isAgentRole = (value: string): value is AgentRole => (AGENT_ROLES as readonly string[]).includes(value);
export const isAgentAction = (value: string): value is AgentAction => Object.hasOwn(ACTIONS, value);

export const findAgent = (role: AgentRole): AgentDefinition => {
  const agent = AGENTS.find((a) => a.role === role);
  if (!agent) throw new Error(`agent registry has no entry for ${role}`);
  return agent;
};

/** The actions a role's allow list names, with `*` expanded to the whole catalogue (before the deny list). */
export const allowedActionsOf = (agent: AgentDefinition): readonly AgentAction[] => (agent.allowed === '*' ? ACTION_NAMES : agent.allowed);

/**
 * What a role may actually do as itself, before evidence, approval and rate limits: nothing when it is
 * merged, else allowed minus denied, minus blocked actions it cannot override, minus sends outside SEND_CAPABLE_ROLES.
 */
export const effectiveActionsOf = (agent: AgentDefinition): readonly AgentAction[] =>
  !agent.enabled
    ? []
    : allowedActionsOf(agent).filter((action) => {
        const spec: ActionSpec = ACTIONS[action];
        if (agent.denied.includes(action)) return false;
        if (spec.blocked && spec.blocked.overrideBy !== agent.role) return false;
        return !spec.sends || SEND_CAPABLE_ROLES.includes(agent.role);
      });
