import { z } from 'zod';
import { QUEEN_TOOLS, type QueenToolName } from '../domain/queen/index.js';
import { REPLY_CLASSES } from '../domain/replies/index.js';
import { TIERS } from '../domain/tier.js';

/**
 * QUEEN's tools as the LLM planner is offered them: exactly the tools of `QUEEN_TOOLS`, each with a
 * strict schema for its arguments (sent to the model as JSON Schema, and checked again on every call
 * the model makes: a call that does not fit is refused, never repaired). The API's tool names allow
 * no dots, so `leads.search` is offered as `leads_search`.
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const none = z.strictObject({});

const ARGS = {
  'score.rules': none,
  'leads.search': z.strictObject({
    id: text(64).optional().describe('a lead id (uuid)'),
    email: z.email().max(254).optional().describe('one lead by its e-mail address'),
    domain: text(253).optional().describe('leads at this company domain'),
    tier: z.enum(TIERS).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  'leads.status': none,
  'score.describe': z.strictObject({
    title: text(120).optional(),
    employeeCount: z.number().int().min(1).max(10_000_000).optional(),
    industry: text(80).optional(),
    technologies: z.array(text(60)).max(20).optional(),
    email: z.email().max(254).optional(),
  }),
  'drafts.queue': none,
  'runs.recent': z.strictObject({ limit: z.number().int().min(1).max(50).optional() }),
  'kpis.rates': z.strictObject({ days: z.number().int().min(1).max(365).optional() }),
  'cadence.counts': none,
  'incidents.open': none,
  'providers.health': none,
  'audit.search': z.strictObject({ sinceHours: z.number().int().min(1).max(8760).optional() }),
  'limits.usage': none,
  'agents.permissions': none,
  'privacy.redact': none,
  'replies.classify': z.strictObject({ text: text(4000).describe('the reply text given in the request, as written') }),
  'replies.recent': z.strictObject({ class: z.enum(REPLY_CLASSES).optional(), limit: z.number().int().min(1).max(50).optional() }),
  'calendar.slots': z.strictObject({ replyId: z.uuid().optional().describe('a reply id: slots in its time zone'), days: z.number().int().min(1).max(31).optional(), timeZone: text(64).optional().describe('an IANA time zone') }),
  'meeting.brief': z.strictObject({ replyId: z.uuid().optional().describe('one booked reply'), hours: z.number().int().min(1).max(336).optional() }),
  'learning.report': z.strictObject({ days: z.number().int().min(1).max(365).optional() }),
  'visitors.recent': z.strictObject({ limit: z.number().int().min(1).max(100).optional() }),
  'webhooks.recent': z.strictObject({ sinceHours: z.number().int().min(1).max(8760).optional() }),
  'calendar.book': z.strictObject({ replyId: z.uuid().describe('the reply whose meeting is booked'), slot: z.iso.datetime({ offset: true }).optional().describe("the slot (ISO); else the reply's proposed time") }),
  'pipeline.run': z.strictObject({ limit: z.number().int().min(1).max(500).optional(), source: z.enum(['apollo', 'rb2b']).optional().describe('apollo discovery (default), or the RB2B website visitors') }),
  'drafts.rejections': z.strictObject({ limit: z.number().int().min(1).max(500).optional() }),
  'leads.tech_stack': z.strictObject({
    id: text(64).optional().describe('a lead id (uuid)'),
    email: z.email().max(254).optional().describe('one lead by its e-mail address'),
    domain: text(253).optional().describe('leads at this company domain'),
    uses: z.array(text(60)).max(10).optional().describe('only leads whose stored stack names one of these technologies'),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  'copy.check': z.strictObject({
    text: text(4000).describe('the text to check, as pasted in the request'),
    title: text(120).optional().describe("the audience's title, when the request names one"),
    company: text(120).optional().describe("the audience's company, when the request names one"),
  }),
  'draft.preview': z.strictObject({
    title: text(120).optional(),
    company: text(120).optional(),
    industry: text(80).optional(),
    employeeCount: z.number().int().min(1).max(10_000_000).optional(),
    technologies: z.array(text(60)).max(20).optional(),
    tier: z.enum(TIERS).optional().describe('the tier asked for; else the described lead is scored'),
    sequence: z.boolean().optional().describe('every step of the configured cadence, not only the first e-mail'),
    context: text(200).optional().describe('what the request says of the person that no template uses'),
  }),
  'visitors.contacts': z.strictObject({ limit: z.number().int().min(1).max(100).optional() }),
  'lead.enrich': z.strictObject({ id: text(64).optional().describe('the stored lead id (uuid)'), email: z.email().max(254).optional().describe('the stored lead by its e-mail address') }),
  'slack.alert': z.strictObject({ text: text(500).describe("the alert's text, as the person asked for it") }),
  'batch.create': z.strictObject({ motion: z.enum(['first_touch']).optional() }),
  'campaign.pause': z.strictObject({ campaign: text(120).describe('the campaign id, as caio campaigns list shows it') }),
  'dispatch.emergency_stop': z.strictObject({ reason: text(200).optional() }),
} as const satisfies Record<QueenToolName, z.ZodType>;

/** The API name of one of our tools, and back. */
export const apiNameOf = (tool: QueenToolName): string => tool.replace(/\./g, '_');
const BY_API_NAME = new Map<string, QueenToolName>((Object.keys(QUEEN_TOOLS) as QueenToolName[]).map((t) => [apiNameOf(t), t]));
export const toolOfApiName = (name: string): QueenToolName | null => BY_API_NAME.get(name) ?? null;

export type OfferedTool = { name: string; description: string; inputSchema: Record<string, unknown> };

/** Every QUEEN tool, as offered to the model. */
export const offeredTools = (): OfferedTool[] =>
  (Object.keys(ARGS) as QueenToolName[]).map((tool) => {
    const { $schema: _s, ...schema } = z.toJSONSchema(ARGS[tool], { io: 'input' }) as Record<string, unknown>;
    return { name: apiNameOf(tool), description: `${QUEEN_TOOLS[tool].does}${QUEEN_TOOLS[tool].writes ? ' (writes: runs only after a person confirms)' : ''}`, inputSchema: schema };
  });

/** A model's arguments checked against the tool's schema: the args the runner gets (absent ones null), or why they do not fit. */
export const checkArgs = (tool: QueenToolName, input: unknown): { ok: true; args: Record<string, string | number | boolean | string[] | null> } | { ok: false; error: string } => {
  const parsed = ARGS[tool].safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('; '),
    };
  }
  const shape = (ARGS[tool] as z.ZodObject).shape as Record<string, unknown>;
  const data = parsed.data as Record<string, string | number | boolean | string[] | undefined>;
  return { ok: true, args: Object.fromEntries(Object.keys(shape).map((k) => [k, data[k] ?? null])) };
};
