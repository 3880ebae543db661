import type { AgentAction } from '../agents/index.js';

/**
 * QUEEN's tools: our own use cases, each named for what it reads or does. `action` is what the
 * agent permission registry checks (as UNIFIED_QUEEN) before the tool runs; `writes` marks a tool
 * whose plan needs a person's confirmation (`--yes`).
 */
export const QUEEN_TOOLS = {
  'score.rules': { writes: false, action: 'read_pipeline', does: 'the scoring rules in force: tier thresholds and the competitor and exclusion lists (sizes only)' },
  'leads.search': { writes: false, action: 'search_contacts', does: 'find stored leads by e-mail, domain, tier or status' },
  'leads.status': { writes: false, action: 'read_pipeline', does: 'count stored leads by status (the funnel)' },
  'score.describe': { writes: false, action: 'read_contact', does: 'score a lead described in the request with the live ICP scorer (nothing stored)' },
  'drafts.queue': { writes: false, action: 'read_pipeline', does: 'count drafts by review status (pending, approved, rejected)' },
  'runs.recent': { writes: false, action: 'read_pipeline', does: 'the latest pipeline runs and their stages' },
  'kpis.rates': { writes: false, action: 'read_pipeline', does: 'engagement rates (open, reply, bounce, LinkedIn accept) over a window' },
  'cadence.counts': { writes: false, action: 'read_pipeline', does: 'cadence enrolments by state' },
  'incidents.open': { writes: false, action: 'read_pipeline', does: 'open escalation incidents' },
  'providers.health': { writes: false, action: 'read_pipeline', does: 'provider circuit breakers and the emergency stop' },
  'audit.search': { writes: false, action: 'read_pipeline', does: 'the audit log over a window' },
  'limits.usage': { writes: false, action: 'read_pipeline', does: 'send limits used and remaining today and this hour' },
  'agents.permissions': { writes: false, action: 'read_pipeline', does: 'what each agent role may and may not do' },
  'privacy.redact': { writes: false, action: 'read_contact', does: 'redact personal data and secrets from a text given in the request' },
  'replies.classify': { writes: false, action: 'read_contact', does: 'classify a reply text given in the request (class, objection kind, confidence, evidence, proposed times); nothing stored' },
  'replies.recent': { writes: false, action: 'read_contact', does: 'the latest stored replies with their classes and whether they need an answer (no addresses)' },
  'calendar.slots': { writes: false, action: 'read_calendar', does: 'live free slots of the GoHighLevel calendar the SCHEDULER books on' },
  'meeting.brief': { writes: false, action: 'read_calendar', does: 'the brief of a booked meeting (one reply), or of the meetings booked in the next hours' },
  'learning.report': { writes: false, action: 'read_pipeline', does: 'open, reply and meeting rates per subject variant (the running A/B test) and per angle, with intervals and a verdict' },
  'visitors.recent': { writes: false, action: 'read_pipeline', does: 'RB2B website visitors recorded as leads, with their visits, tier and status (no addresses)' },
  'webhooks.recent': { writes: false, action: 'read_pipeline', does: 'webhook deliveries stored (verified) by provider and processing status over a window (no payloads)' },
  'drafts.rejections': {
    writes: false,
    action: 'read_pipeline',
    does: "the latest drafts reviewers rejected, grouped by the reviewers' rejection tag and by angle, with the tag-and-angle pairs that recur and the reviewers' reasons as evidence",
  },
  'leads.tech_stack': {
    writes: false,
    action: 'read_contact',
    does: "the technologies stored for a lead's company by enrichment (with the provider that gave them) and what the scorer makes of them, or counted over the stored leads",
  },
  'copy.check': {
    writes: false,
    action: 'read_pipeline',
    does: "check a text pasted into the request against the checks a reviewer's edit of a draft must pass (the compliant footer with the configured postal address and unsubscribe link, no placeholder) and the quality guard's rules; read-only, nothing stored",
  },
  'draft.preview': {
    writes: false,
    action: 'get_templates',
    does: "preview what CRAFTER's templates render for a lead described in the request (angle, A/B subjects, the cadence's e-mail steps, signature and footer, the quality guard's verdict); a lead not stored: nothing is queued, reviewed or sent",
  },
  'visitors.contacts': {
    writes: false,
    action: 'search_contacts',
    does: 'which website visitors are stored contacts (matched by e-mail or LinkedIn URL when the visit came in) and which are new leads from RB2B, with the stored leads at the same company (no addresses)',
  },
  'pipeline.run': {
    writes: true,
    action: 'create_contact',
    does: 'run the pipeline: discovery, enrichment (the Apollo, BetterContact and Clay waterfall), scoring into tiers, drafting, and drafts queued in the approval queue for a person; nothing is sent',
  },
  'lead.enrich': {
    writes: true,
    action: 'update_contact',
    does: 'enrich one stored lead through the enrichment waterfall (Apollo People Match, then BetterContact and Clay while no e-mail is found) and store what it finds; it returns the job title, company domain and technologies with the enrichment source of each, and the ICP fit score of the enriched lead (scored live, not stored)',
  },
  'slack.alert': { writes: true, action: 'create_task', does: "post one alert to the team's Slack channel (the configured Slack webhook); it reaches no prospect" },
  'batch.create': { writes: true, action: 'create_task', does: 'freeze approved drafts into a batch waiting for a person to approve it' },
  'campaign.pause': { writes: true, action: 'instantly_pause_campaign', does: 'pause one campaign at its provider' },
  'calendar.book': {
    writes: true,
    action: 'create_calendar_event',
    does: "book a reply's proposed (or a named) slot as caio replies book does: a calendar event (GoHighLevel appointment) and a meeting confirmation draft queued for review; QUEEN sends nothing",
  },
  'dispatch.emergency_stop': { writes: true, action: 'instantly_pause_campaign', does: 'set the emergency stop: every send is held and live campaigns paused' },
} as const satisfies Record<string, { writes: boolean; action: AgentAction; does: string }>;

export type QueenToolName = keyof typeof QUEEN_TOOLS;
export const QUEEN_TOOL_NAMES = Object.keys(QUEEN_TOOLS) as QueenToolName[];
export const isQueenTool = (name: string): name is QueenToolName => Object.hasOwn(QUEEN_TOOLS, name);

export type ToolArgs = Record<string, string | number | boolean | string[] | null>;
export type ToolCall = { tool: QueenToolName; args: ToolArgs };

/** Steps every ask records in its trace besides the tool calls: the grammar, and the registry check. */
export const UNDERSTAND_STEP = 'queen.understand';
export const AUTHORIZE_STEP = 'guardrails.authorize';
/** The refusal rules fired (they are checked on every ask; the step is recorded when one refused). */
export const REFUSALS_STEP = 'queen.refusals';
/** The ask's trace, stored in the audit log. */
export const TRACE_STEP = 'audit.trace';
