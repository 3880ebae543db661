import type { ToolCall } from './tools.js';

/**
 * The shape of answer a request asks for, beside the data it asks about: a pipeline review (stale,
 * ghosted, upcoming, next actions), a call or meeting prep, why something was blocked, a diagnostic,
 * an ops report, a plan for a volume beyond the send limits, or what won and lost. Each shape is a few words a person
 * uses for that kind of answer, not one phrasing; the answer then gives that shape's sections, each
 * from the tools' results or saying that the data is missing (answer-sections.ts). Pure.
 */
export type AnswerShape = 'pipeline_review' | 'meeting_prep' | 'block_explanation' | 'diagnostic' | 'ops_report' | 'volume_plan' | 'learning_summary' | 'error_logs';

const SHAPES: readonly { shape: AnswerShape; matches: (text: string) => boolean }[] = [
  { shape: 'pipeline_review', matches: (t) => /\b(?:stale|ghost(?:ed|ing)?|ghost candidates?|pipeline scan|scan (?:the |our )?pipeline|pipeline review|triage|need(?:s)? action|next actions?)\b/.test(t) },
  { shape: 'meeting_prep', matches: (t) => /\b(?:call prep|meeting prep|prep brief|prep (?:me|us) for|pain points?|likely objections|objection (?:prep|handling)|opening angle)\b/.test(t) },
  {
    shape: 'block_explanation',
    matches: (t) => /\bwhy (?:was|were|is|are|did|has|have)\b[^.?!]{0,80}\b(?:blocked|refused|rejected|held|denied|stopped)\b|\bguardrail (?:failures?|blocks?|denials?)\b/.test(t),
  },
  { shape: 'diagnostic', matches: (t) => /\b(?:root causes?|diagnos\w*|investigate|why [^.?!]{0,60}\b(?:dropped|drop|fell|falling|failing|(?<!turn(?:s|ing|ed)? )down))\b/.test(t) },
  { shape: 'ops_report', matches: (t) => /\b(?:ops report|operations report|daily report|status report|daily ops|board[- ]ready|executive summary)\b/.test(t) },
  { shape: 'error_logs', matches: (t) => /\b(?:error|debug|failure|server|backend|frontend)\s+logs?\b|\blogs?\b[^.?!]{0,40}\b(?:errors?|debug(?:ging)?)\b|\berror timeline\b/.test(t) },
  { shape: 'learning_summary', matches: (t) => /\b(?:winning (?:profile|traits?)|what changed in|won (?:vs|versus|and) lost|(?:should|to) change next)\b/.test(t) },
  {
    shape: 'volume_plan',
    matches: (t) => /\b(?:millions?|thousands?|\d{1,3}(?:,\d{3})+|\d{5,})\b/.test(t) && /\b(?:send|sends|sending|campaigns?|outreach|e-?mails?|leads)\b/.test(t),
  },
];

/** The shapes a (normalised) request asks for, in the table's order. */
export const shapesOf = (text: string): AnswerShape[] => SHAPES.filter((s) => s.matches(text)).map((s) => s.shape);

/**
 * The reads a shape needs to be answered at all, added to the plan when the intents did not bring
 * them: a pipeline review reads the meetings, a diagnostic and an ops report the health, incidents,
 * audit day, review queue and runs, a volume plan the send limits. Reads only: a shape never adds a write.
 */
const SHAPE_READS = (sinceHours: number): Record<AnswerShape, readonly ToolCall[]> => ({
  pipeline_review: [
    { tool: 'leads.status', args: {} },
    { tool: 'cadence.counts', args: {} },
    { tool: 'meeting.brief', args: { replyId: null, hours: 48 } },
  ],
  meeting_prep: [],
  block_explanation: [{ tool: 'audit.search', args: { sinceHours } }],
  diagnostic: [
    { tool: 'providers.health', args: {} },
    { tool: 'incidents.open', args: {} },
    { tool: 'audit.search', args: { sinceHours } },
    { tool: 'drafts.queue', args: {} },
    { tool: 'runs.recent', args: { limit: 5 } },
  ],
  ops_report: [
    { tool: 'providers.health', args: {} },
    { tool: 'incidents.open', args: {} },
    { tool: 'audit.search', args: { sinceHours } },
    { tool: 'drafts.queue', args: {} },
    { tool: 'runs.recent', args: { limit: 5 } },
  ],
  volume_plan: [{ tool: 'limits.usage', args: {} }],
  learning_summary: [{ tool: 'learning.report', args: { days: 28 } }],
  error_logs: [
    { tool: 'audit.search', args: { sinceHours } },
    { tool: 'privacy.redact', args: { over: 'audit', sinceHours } },
  ],
});

export const shapeReads = (shape: AnswerShape, sinceHours: number): readonly ToolCall[] => SHAPE_READS(sinceHours)[shape];
