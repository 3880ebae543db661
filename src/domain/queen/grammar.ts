import { shapeReads, shapesOf, type AnswerShape } from './answer-shapes.js';
import { extractEntities, type Entities } from './entities.js';
import { findRefusals, hasConflictingSendConstraints, REFUSES_WHOLE_REQUEST, type Refusal } from './refusals.js';
import type { ToolArgs, ToolCall } from './tools.js';
import { CONDITIONAL_SLACK, DRAFTING_FROM_DESCRIPTION, UNSUPPORTED } from './unsupported.js';

/**
 * The deterministic grammar: a request in plain words becomes intents, each with the tool calls
 * that answer it, plus the capabilities asked for that we do not have and the refusals. Several
 * intents may match one request (a multi-step ask); the plan is their union, in the table's order,
 * each tool once. No intent is keyed to one phrasing: each is a small set of verbs and nouns.
 */
export type IntentName =
  | 'score_lead'
  | 'competitor_policy'
  | 'lead_search'
  | 'pipeline_status'
  | 'queue_status'
  | 'send_limits'
  | 'health'
  | 'audit'
  | 'runs'
  | 'kpis'
  | 'cadence'
  | 'permissions'
  | 'redact'
  | 'replies'
  | 'calendar'
  | 'meeting_brief'
  | 'learning'
  | 'visitors'
  | 'webhooks'
  | 'tech_stack'
  | 'rejections'
  | 'copy_check'
  | 'draft_preview'
  | 'visitor_contacts'
  | 'run_pipeline'
  | 'draft_visitors'
  | 'enrich_lead'
  | 'slack_alert'
  | 'create_batch'
  | 'pause_campaign'
  | 'emergency_stop';

export type Unsupported = { capability: string; instead: string };

export type Understanding = {
  /** The first intent matched; else `refused`, `unsupported`, `clarify`, `out_of_scope`, `empty` or `too_long`. */
  intent: string;
  intents: IntentName[];
  entities: Entities;
  plan: ToolCall[];
  refusals: Refusal[];
  unsupported: Unsupported[];
  /** The request asks to send and not to send. */
  conflicting: boolean;
  /** The request looks written in another language than English. */
  otherLanguage: boolean;
  /** The kinds of answer asked for (a pipeline review, a call prep...), whose sections the answer gives. */
  shapes: AnswerShape[];
};

/** Longer requests are refused before any matching: nothing in 50 KB of text is a plain-words ask. */
export const MAX_REQUEST_CHARS = 4000;

/** Lower case, one space, typographic quotes and dashes made plain. */
export const normaliseRequest = (raw: string): string =>
  raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();

type IntentRule = { name: IntentName; matches: (text: string, e: Entities) => boolean; calls: (text: string, e: Entities) => ToolCall[] };

const any = (text: string, ...res: RegExp[]) => res.some((re) => re.test(text));
const sinceHours = (e: Entities, fallback: number) => e.timeRange?.hours ?? fallback;
const days = (e: Entities) => Math.max(1, Math.min(365, Math.ceil((e.timeRange?.hours ?? 7 * 24) / 24)));
const idOf = (e: Entities, kind: string) => e.ids.find((i) => i.kind === kind)?.value ?? null;
/** A lead named by id (`lead <uuid>`, `contact_id 123`, a bare uuid). */
const leadIdOf = (e: Entities) => e.ids.find((i) => i.kind === 'lead' || i.kind === 'contact' || i.kind === 'id')?.value ?? null;

/** A reply named by id (`reply <uuid>`, `reply_id …`); a bare uuid counts when the ask is about replies or meetings. */
const replyIdOf = (e: Entities, t: string) => idOf(e, 'reply') ?? (/\b(?:repl(?:y|ies)|meetings?|slots?|book)\b/.test(t) ? idOf(e, 'id') : null);
const BOOK = /\b(?:book|schedule|set(?: up)?|arrange|confirm)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:meetings?|calls?|intro|demo|slot|appointment)\b|\bbook\s+(?:the\s+|this\s+|that\s+)?(?:reply|repl(?:y|ies)'s)\b/;
const REPLY_CLASS_WORDS: Record<string, RegExp> = {
  meeting_request: /\bmeeting requests?\b/,
  interested: /\binterested\b(?<!not interested)/,
  not_interested: /\bnot interested\b/,
  objection: /\bobjections?\b/,
  referral: /\breferrals?\b/,
  out_of_office: /\bout of (?:the )?office\b|\booo\b/,
  unsubscribe: /\bunsubscribes?\b/,
  question: /\bquestions\b/,
};
const replyClassOf = (t: string) => Object.entries(REPLY_CLASS_WORDS).find(([, re]) => re.test(t))?.[0] ?? null;

const describedLead = (e: Entities): ToolArgs => ({
  title: e.titles[0] ?? null,
  employeeCount: e.employeeCount,
  industry: e.industries[0] ?? null,
  technologies: e.tools,
  email: e.emails[0] ?? null,
});

const SLACK_ALERT =
  /\b(?:send|post|raise|fire|push|drop|put)\s+(?:an?\s+|the\s+|this\s+)?(?:[\w-]+\s+){0,2}?(?:alert|notification|heads-up|message|note|ping)\s+(?:[\w-]+\s+){0,3}?(?:to|in|on|into)\s+(?:the\s+|our\s+)?(?:#?[\w-]+\s+)?slack\b|\b(?:alert|notify|ping|tell|warn)\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?:on|in|via|through|over)\s+slack\b|\bslack\s+(?:the\s+)?(?:team|channel)\b|\b(?:send|post|drop|put)\s+(?:an?\s+|the\s+)?slack\s+(?:alert|message|note|notification|ping)\b|\b(?:alert|notify|ping|warn|message)\s+(?:the\s+)?slack\b/;
/** Where the alert's own words start after the ask: a colon, or "saying", "about", "for", "that"... */
const ALERT_WORDS = /(?:^|\s)(?:saying|that says|about|for|regarding|re|that)\s+|^\s*[:-]\s*|:\s+/;

/** The request split at an alert asked for now: the alert's words (what follows "… to Slack about"), and the rest, which holds the instructions. */
const splitAlert = (t: string): { message: string; instructions: string } | null => {
  const m = SLACK_ALERT.exec(t);
  if (!m || CONDITIONAL_SLACK.test(t)) return null;
  const after = t.slice(m.index + m[0].length);
  const start = ALERT_WORDS.exec(after);
  const message = (start ? after.slice(start.index + start[0].length) : after).trim();
  return { message, instructions: t.slice(0, m.index + m[0].length) };
};
/** Empty when the request names no words for the alert: the alert then asks for them rather than posting the request. */
const alertTextOf = (t: string): string | null => splitAlert(t)?.message || null;

const VISITOR_WORDS = /\b(?:website (?:intent )?(?:visitors?|visits|signals)|site visit(?:or)?s|hot visitors|recent visitors|who visited|rb2b)\b/;

/** A request to check copy against the drafting rules: compliance words, or "check this e-mail" with rules or a pasted text. */
const COPY_NOUN = /\b(?:copy|e-?mails?|drafts?|follow-?ups?|messages?|text|outreach|sequence step)\b/;
const checksCopy = (t: string, e: Entities): boolean =>
  (COPY_NOUN.test(t) &&
    any(
      t,
      /\b(?:compliance[- ]safe|compliant|non-compliant|can-?spam|compliance (?:check|review|rules?))\b/,
      /\b(?:does|would|will|can)\s+(?:this|the|my|our|that)\s+(?:[\w-]+\s+){0,2}?(?:copy|e-?mail|draft|follow-?up|message|text)\s+(?:pass|fail|break|meet)\b/,
      /\b(?:check|review|vet|lint|scan|proofread|test|run)\b[^.?!]{0,40}\b(?:against|through|past|with)\s+(?:our|the)\s+(?:[\w-]+\s+){0,2}?(?:rules|guard|checks|guidelines|policy|policies)\b/,
    )) ||
  (/\b(?:check|review|vet|lint|scan|proofread|test|run)\s+(?:this|the|my|our|that|a)?\s*(?:[\w-]+\s+){0,2}?(?:copy|e-?mail|draft|follow-?up|message|text)\b/.test(t) &&
    (e.givenText !== null || /\b(?:rules?|guard|spam|footer|unsubscribe|quality)\b/.test(t)));

/** A request for copy for someone: draft, write, compose... an e-mail, a sequence, a nurture. */
const DRAFT_ASK =
  /\b(?:draft|write|compose|create|prepare|craft|generate|put together|build)\s+(?:me\s+)?(?:[\w-]+\s+){0,5}?(?:e-?mails?|sequences?|follow-?ups?|nurture|copy|drafts?|outreach|messages?|cadence|touches)\b|\bpreview\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:drafts?|e-?mails?|sequences?|cadence)\b|\bwhat would crafter (?:write|draft)\b|\b(?:e-?mail|draft|sequence|outreach)\s+(?:to|for)\s+[^.?!]{0,80}\b(?:look like|say|read)\b/;
const SEQUENCE_WORDS = /\b(?:sequences?|cadences?|nurture|multi-touch|follow-?ups|touches|every step|all (?:the )?steps)\b/;
/** A persona described in words, with no stored lead named: something to preview copy for. */
const describesPersona = (e: Entities) => (e.titles.length > 0 || e.companyName !== null || e.industries.length > 0 || e.employeeCount !== null) && e.emails.length === 0 && leadIdOf(e) === null;

const SECRET_VALUE = /\b\d{3}-\d{2}-\d{4}\b|\bsk-(?:live|test)-[a-z0-9]+|\b(?:bank account|account number|card number)\s*:?\s*\d{6,}/;

const INTENTS: readonly IntentRule[] = [
  {
    name: 'score_lead',
    matches: (t, e) =>
      any(t, /\b(?:qualify|icp fit|icp score|fit score|score (?:this|a|the|that) (?:lead|contact|prospect))\b/) || (e.titles.length > 0 && (e.employeeCount !== null || e.industries.length > 0) && /\b(?:lead|prospect|contact)\b/.test(t)),
    calls: (_t, e) => [
      { tool: 'score.describe', args: describedLead(e) },
      { tool: 'score.rules', args: {} },
    ],
  },
  { name: 'competitor_policy', matches: (t) => /\bcompetitors?\b/.test(t) && /\b(?:lead|pipeline|contact|prospect)\b/.test(t), calls: () => [{ tool: 'score.rules', args: {} }] },
  {
    name: 'lead_search',
    matches: (t, e) =>
      e.emails.length > 0 ||
      e.domains.length > 0 ||
      leadIdOf(e) !== null ||
      (e.tiers.length > 0 && /\bleads\b/.test(t)) ||
      any(t, /\b(?:search|find|look up|lookup|show|list|which)\s+(?:\w+\s+){0,3}?(?:leads|contacts|prospects)\b/, /\bleads? (?:with|at|from) (?:domain|company|e-?mail)\b/),
    calls: (_t, e) => [{ tool: 'leads.search', args: { id: leadIdOf(e), email: e.emails[0] ?? null, domain: e.domains[0] ?? null, tier: e.tiers[0] ?? null, limit: Math.min(e.count ?? 20, 100) } }],
  },
  {
    name: 'pipeline_status',
    matches: (t) => any(t, /\b(?:pipeline scan|scan the pipeline|stale|ghost(?:ed)?|triage|funnel|pipeline (?:status|overview)|status of the pipeline|how many (?:leads|contacts|prospects))\b/),
    calls: () => [
      { tool: 'leads.status', args: {} },
      { tool: 'cadence.counts', args: {} },
    ],
  },
  { name: 'queue_status', matches: (t) => any(t, /\b(?:queue|pending|drafts|approvals?|approved|rejected|rejections)\b/), calls: () => [{ tool: 'drafts.queue', args: {} }] },
  { name: 'send_limits', matches: (t) => any(t, /\b(?:rate[- ]?limits?|send(?:ing)? limits?|daily (?:send )?limits?|capacity|remaining|quotas?|throughput)\b/), calls: () => [{ tool: 'limits.usage', args: {} }] },
  {
    name: 'health',
    matches: (t) => any(t, /\b(?:health|healthy|readiness|ready|integrations?|circuit breakers?|breakers?|degraded|outage|diagnostic|root causes?|incidents?|dropped|blocking traffic)\b/),
    calls: () => [
      { tool: 'providers.health', args: {} },
      { tool: 'incidents.open', args: {} },
    ],
  },
  {
    name: 'audit',
    matches: (t) => any(t, /\b(?:audit|logs?|activity|approve vs reject|history|what happened|why was|blocked|evidence|daily summary|ops report|investigate|root causes?|diagnos\w*)\b/),
    calls: (_t, e) => [{ tool: 'audit.search', args: { sinceHours: sinceHours(e, 24) } }],
  },
  { name: 'runs', matches: (t) => any(t, /\b(?:pipeline runs|runs|last run|run history|queue movement|ops report)\b/), calls: () => [{ tool: 'runs.recent', args: { limit: 5 } }] },
  {
    name: 'kpis',
    matches: (t) => any(t, /\b(?:kpis?|response rates?|reply rates?|open rates?|bounce rates?|engagement|conversion|send-success|outreach volume|volume)\b/),
    calls: (_t, e) => [{ tool: 'kpis.rates', args: { days: days(e) } }],
  },
  { name: 'cadence', matches: (t) => any(t, /\b(?:cadences?|follow-?ups? due|sequence status)\b/), calls: () => [{ tool: 'cadence.counts', args: {} }] },
  { name: 'permissions', matches: (t) => any(t, /\b(?:permissions?|agent roles?|allowed[_ ]actions|blocked[_ ]actions|read-only|who can)\b/), calls: () => [{ tool: 'agents.permissions', args: {} }] },
  { name: 'redact', matches: (t) => SECRET_VALUE.test(t) || /\bredact\b/.test(t), calls: () => [{ tool: 'privacy.redact', args: {} }] },
  {
    // A reply pasted into the request is classified; without one, the stored replies and their classes answer.
    name: 'replies',
    matches: (t, e) =>
      any(
        t,
        /\b(?:repl(?:y|ies)|responses?|e-?mail threads?|threads?|inbox)\b.*\b(?:classify|class|parse|intent|understand|mean|read|summar\w+|need(?:s)? (?:an )?(?:answer|response)|came in|received|latest|recent|new)\b/,
        /\b(?:latest|recent|new|stored|incoming|unanswered|show|list)\s+(?:\w+\s+){0,2}?(?:repl(?:y|ies)|responses)\b/,
        /\b(?:classify|parse|understand)\s+(?:this|the|that|a|these|our)?\s*(?:\w+\s+){0,2}?(?:repl(?:y|ies)|e-?mails?|threads?|messages?|responses?)\b/,
        /\bdetect (?:the )?intent\b/,
        /\b(?:who|which leads?|prospects?) (?:has |have )?replied\b/,
      ) ||
      (e.givenText !== null && /\b(?:repl(?:y|ied|ies)|wrote|said|says|answered|responded)\b/.test(t)),
    calls: (t, e) => {
      const calls: ToolCall[] = [];
      if (e.givenText) calls.push({ tool: 'replies.classify', args: { text: e.givenText.slice(0, 4000) } });
      if (!e.givenText || /\b(?:latest|recent|stored|inbox|came in|received)\b/.test(t)) calls.push({ tool: 'replies.recent', args: { class: replyClassOf(t), limit: Math.min(e.count ?? 10, 50) } });
      return calls;
    },
  },
  {
    name: 'calendar',
    matches: (t) => any(t, BOOK, /\b(?:availability|available slots?|free slots?|open slots?|candidate slots?|calendar|when (?:am i|are we) free)\b/),
    calls: (t, e) => {
      const replyId = replyIdOf(e, t);
      // The availability step always comes first: no slot is booked or proposed without it.
      const calls: ToolCall[] = [{ tool: 'calendar.slots', args: { replyId, days: Math.max(1, Math.min(31, days(e))), timeZone: e.timeZone } }];
      if (BOOK.test(t)) calls.push({ tool: 'calendar.book', args: { replyId, slot: e.slot } });
      return calls;
    },
  },
  {
    name: 'meeting_brief',
    matches: (t) =>
      any(
        t,
        /\b(?:meeting prep|prep(?:are)? (?:for )?(?:the |my |our |tomorrow's |upcoming )?meetings?|meeting briefs?|briefs? (?:for|of) (?:the |my |our |a |this )?(?:booked )?meetings?|(?:upcoming|tomorrow's|booked|today's) meetings|meetings (?:requiring|needing|that need) prep|call prep|prep brief)\b/,
      ),
    calls: (t, e) => [{ tool: 'meeting.brief', args: { replyId: replyIdOf(e, t), hours: Math.max(24, Math.min(24 * 14, e.timeRange?.hours ?? 48)) } }],
  },
  {
    name: 'learning',
    matches: (t) =>
      any(
        t,
        /\b(?:learning report|what(?:'s| is)? (?:working|winning)|winning (?:subject|angle|profile|traits?|variant)s?|subject[- ]line (?:test|variant)s?|subject (?:test|variant)s?|a\/b|ab test|split test|which (?:subject|angle|variant)s?|angles? (?:perform|work)|weekly (?:icp |pattern )?analysis|icp analysis|pattern analysis|what changed in our)\b/,
      ),
    calls: (_t, e) => [{ tool: 'learning.report', args: { days: e.timeRange ? days(e) : 28 } }],
  },
  {
    name: 'visitors',
    matches: (t) => VISITOR_WORDS.test(t),
    calls: (_t, e) => [{ tool: 'visitors.recent', args: { limit: Math.min(e.count ?? 20, 100) } }],
  },
  {
    name: 'webhooks',
    matches: (t) => any(t, /\bwebhooks?\b.*\b(?:deliver(?:y|ies)|recent|received|status|inbox|arriv\w+|failed|processed|came in|last)\b|\b(?:recent|failed|incoming|latest)\s+webhooks?\b|\bwebhook (?:inbox|deliveries)\b/),
    calls: (_t, e) => [{ tool: 'webhooks.recent', args: { sinceHours: sinceHours(e, 24) } }],
  },
  {
    // The stack enrichment stored for a lead's company (Apollo's technology names); said missing where none is on record.
    name: 'tech_stack',
    matches: (t) =>
      any(
        t,
        /\btech(?:nology)?[- ]stacks?\b/,
        /\b(?:technologies|tools|software|crm|martech)\s+(?:do(?:es)?\s+)?(?:they|it|the company|the lead|this lead|that company|their company|the account)\s+(?:use|uses|run|runs|is using|are using)\b/,
        // No sentence stop in between, but dots are allowed: a domain may stand between the words.
        /\b(?:what|which)\s+(?:technologies|tools|software|crm|tech)\b[^?!]{0,80}\b(?:use|uses|using|run|runs)\b/,
        /\b(?:which|what)\s+(?:of\s+(?:our|the)\s+)?(?:leads|companies|accounts|prospects)\b[^?!]{0,30}\b(?:use|uses|using|run|runs|running)\b/,
      ),
    calls: (_t, e) => [{ tool: 'leads.tech_stack', args: { id: leadIdOf(e), email: e.emails[0] ?? null, domain: e.domains[0] ?? null, uses: e.tools, limit: Math.min(e.count ?? 20, 50) } }],
  },
  {
    // What reviewers reject and why: the rejection memory grouped, never a guess at causes no reviewer gave.
    name: 'rejections',
    matches: (t) =>
      any(
        t,
        /\b(?:reject(?:s|ed|ing)?|turn(?:s|ing|ed)? down|declin(?:e|es|ed|ing))\b[^?!.]{0,30}\b(?:drafts?|e-?mails?|messages?|copy)\b/,
        /\b(?:drafts?|e-?mails?|messages?|copy)\b[^?!.]{0,30}\b(?:rejected|turned down|declined)\b/,
        /\brejection (?:reasons?|tags?|categories|patterns?|analysis)\b/,
      ),
    calls: (_t, e) => [{ tool: 'drafts.rejections', args: { limit: Math.min(e.count ?? 50, 500) } }],
  },
  {
    // A pasted text checked against what a reviewer's edit must pass (footer, placeholders) and the quality guard; read-only.
    name: 'copy_check',
    matches: (t, e) => checksCopy(t, e),
    calls: (_t, e) => [{ tool: 'copy.check', args: { text: e.givenText?.slice(0, 4000) ?? null, title: e.titleAsWritten, company: e.companyName } }],
  },
  {
    // Copy for a lead described in words: a preview of CRAFTER's templates, nothing queued; a stored lead is drafted by the pipeline.
    name: 'draft_preview',
    matches: (t, e) => DRAFT_ASK.test(t) && describesPersona(e) && !VISITOR_WORDS.test(t) && !/\b(?:rewrite|re-write|reword|rephrase)\b/.test(t),
    calls: (t, e) => [
      {
        tool: 'draft.preview',
        args: {
          title: e.titleAsWritten,
          company: e.companyName,
          industry: e.industries[0] ?? null,
          employeeCount: e.employeeCount,
          technologies: e.tools,
          tier: e.tiers[0] ?? null,
          sequence: SEQUENCE_WORDS.test(t),
          context: e.statedContext,
        },
      },
    ],
  },
  {
    // Which visitors are stored contacts (matched on arrival by e-mail or LinkedIn URL) and which came new from RB2B.
    name: 'visitor_contacts',
    matches: (t) =>
      VISITOR_WORDS.test(t) &&
      any(
        t,
        /\b(?:map|match|link|tie|resolve|connect)\w*\s+(?:\w+\s+){0,3}?(?:to|with|against)\s+(?:\w+\s+){0,2}?(?:contacts?|leads?|crm|records?|accounts?)\b/,
        /\bcontact mapping\b/,
        /\b(?:already|existing|known|stored)\s+(?:\w+\s+)?(?:contacts?|leads?|customers?)\b/,
        /\b(?:are|is)\s+(?:already\s+)?(?:in|among)\s+(?:our|the)\s+(?:leads|contacts|crm|pipeline|database)\b/,
      ),
    calls: (_t, e) => [{ tool: 'visitors.contacts', args: { limit: Math.min(e.count ?? 20, 100) } }],
  },
  {
    name: 'run_pipeline',
    matches: (t) => any(t, /\b(?:run|start|kick off|launch)\s+(?:the\s+|a\s+|an\s+)?(?:sandbox\s+)?pipeline\b(?!\s+scan)/, /\bend-to-end run\b/, /\bdiscover\s+\d+\s+(?:\w+\s+)?leads\b/),
    calls: (_t, e) => [{ tool: 'pipeline.run', args: { limit: Math.min(e.count ?? 25, 500) } }],
  },
  {
    // Drafts for the website visitors: the pipeline over the RB2B source (caio pipeline run --source rb2b) maps each
    // visitor to a contact by enrichment, scores, drafts and queues for review. Nothing is drafted outside that path.
    name: 'draft_visitors',
    matches: (t) => VISITOR_WORDS.test(t) && /\b(?:queue|draft|write|craft|prepare|create)\b[^.?!]{0,40}\b(?:drafts?|e-?mails?|outreach|messages?)\b/.test(t),
    calls: (_t, e) => [{ tool: 'pipeline.run', args: { limit: Math.min(e.count ?? 25, 500), source: 'rb2b' } }],
  },
  {
    // One named lead through the enrichment waterfall; a lead described only in words is scored (score_lead), not enriched.
    name: 'enrich_lead',
    matches: (t, e) =>
      any(
        t,
        /\b(?:re-?)?enrich\s+(?:this|that|the|a|one|our|my)?\s*(?:\w+\s+){0,2}?(?:lead|contact|person|prospect|record)\b/,
        /\b(?:run|do|start)\s+(?:the\s+)?enrichment\s+(?:waterfall\s+)?(?:for|on)\b/,
        /\b(?:fill in|complete|look up)\s+(?:the\s+)?(?:missing\s+)?(?:data|details|fields|firmographics)\s+(?:for|of|on)\s+(?:this|that|the|lead|contact)\b/,
      ) ||
      (/\benrich\b/.test(t) && (e.emails.length > 0 || leadIdOf(e) !== null)),
    calls: (_t, e) => [{ tool: 'lead.enrich', args: { id: leadIdOf(e), email: e.emails[0] ?? null } }],
  },
  {
    // An alert to the team's own Slack channel, asked for now; a conditional one ("if it still fails") is the escalation's job.
    name: 'slack_alert',
    matches: (t) => splitAlert(t) !== null,
    calls: (t, e) => [{ tool: 'slack.alert', args: { text: (e.givenText ?? alertTextOf(t))?.slice(0, 500) ?? null } }],
  },
  { name: 'create_batch', matches: (t) => any(t, /\b(?:create|make|build|prepare|freeze)\s+(?:a\s+|the\s+|an\s+)?(?:dispatch\s+|send\s+)?batch\b/), calls: () => [{ tool: 'batch.create', args: { motion: 'first_touch' } }] },
  {
    name: 'pause_campaign',
    matches: (t) => any(t, /\bpause\s+(?:the\s+|a\s+|our\s+)?(?:\w+\s+)?campaigns?\b/),
    calls: (t, e) => [{ tool: 'campaign.pause', args: { campaign: idOf(e, 'campaign') ?? /\bcampaign\s+"?([a-z0-9][a-z0-9_-]{2,})"?/.exec(t)?.[1] ?? null } }],
  },
  {
    name: 'emergency_stop',
    matches: (t) =>
      any(t, /\b(?:set|hit|pull|trigger|activate|engage|press)\s+(?:the\s+)?(?:emergency stop|kill switch)\b/, /^(?:emergency stop|stop all (?:sending|sends|outreach))\b/, /\b(?:stop|halt) (?:all )?(?:sending|outreach) now\b/),
    calls: (t) => [{ tool: 'dispatch.emergency_stop', args: { reason: t.slice(0, 200) } }],
  },
];

const DOMAIN_WORDS = /\b(?:leads?|e-?mails?|campaigns?|pipeline|outreach|prospects?|sales|drafts?|contacts?|batch|queue)\b/;
const OTHER_LANGUAGE = /\b(?:el|los|las|por favor|envía|correos|le|les|des|s'il|envoyer|der|die|das|bitte|und|senden|il|gli|per favore|inviare|o|os|enviar)\b/g;

const looksForeign = (raw: string, text: string): boolean => {
  const letters = raw.match(/\p{L}/gu) ?? [];
  const nonLatin = letters.filter((c) => !/[a-zA-Z]/.test(c)).length;
  if (letters.length > 0 && nonLatin / letters.length > 0.3) return true;
  return (text.match(OTHER_LANGUAGE) ?? []).length >= 2;
};

const dedupe = (calls: ToolCall[]): ToolCall[] => {
  const seen = new Set<string>();
  return calls.filter((c) => (seen.has(c.tool) ? false : (seen.add(c.tool), true)));
};

/** Understand a request: intents, plan, refusals and what we cannot do. Pure. */
export const understand = (raw: string): Understanding => {
  const blank: Understanding = { intent: 'empty', intents: [], entities: extractEntities(''), plan: [], refusals: [], unsupported: [], conflicting: false, otherLanguage: false, shapes: [] };
  if (raw.trim() === '') return blank;
  if (raw.length > MAX_REQUEST_CHARS) return { ...blank, intent: 'too_long' };
  const text = normaliseRequest(raw);
  const entities = extractEntities(text, raw);
  // A text pasted to be checked is content, not instructions: the intents and the refusals read the request without it,
  // except the rules that refuse whatever carries them (code, a push to bypass the guardrails).
  const pasted = entities.givenText ? normaliseRequest(entities.givenText) : '';
  const outsidePaste = pasted && text.includes(pasted) ? text.replace(pasted, ' ') : text;
  const copyPasted = outsidePaste !== text && checksCopy(outsidePaste, entities);
  const base = copyPasted ? outsidePaste : text;
  const whole = copyPasted ? findRefusals(text).filter((r) => r.rule === 'INJECTION_DETECTED' || r.rule === 'GUARDRAILS_ARE_MANDATORY') : [];
  const refusals = [...whole, ...findRefusals(base).filter((r) => !whole.some((w) => w.rule === r.rule))];
  const conflicting = hasConflictingSendConstraints(base);
  const otherLanguage = looksForeign(raw, text);
  if (refusals.some((r) => REFUSES_WHOLE_REQUEST.includes(r.rule))) return { ...blank, intent: 'refused', entities, refusals, conflicting, otherLanguage };

  const lifting = refusals.some((r) => r.rule === 'QUEEN_NEVER_LIFTS_STOP');
  // An alert's own words are its message, not instructions: the other intents read the request without them.
  const alert = splitAlert(base);
  const instructions = alert ? alert.instructions : base;
  const matched = INTENTS.filter((rule) => rule.matches(rule.name === 'slack_alert' ? base : instructions, entities) && !(lifting && rule.name === 'emergency_stop'));
  // The pipeline drafts for the leads it finds: asked together with a run, drafting is part of that run; for a lead
  // described in words, the preview answers (and says it is one).
  const drafts = matched.some((m) => m.name === 'run_pipeline' || m.name === 'draft_visitors' || m.name === 'draft_preview');
  const unsupported = UNSUPPORTED.filter((u) => u.re.test(base) && !(drafts && u.capability === DRAFTING_FROM_DESCRIPTION)).map(({ capability, instead }) => ({ capability, instead }));
  const refusesSend = refusals.some((r) => r.rule === 'QUEEN_NEVER_SENDS' || r.rule === 'GUARDRAILS_ARE_MANDATORY');
  // A refused send still gets the safe answer: where the approval queue and today's limits stand.
  const safeAlternative: ToolCall[] = refusesSend
    ? [
        { tool: 'drafts.queue', args: {} },
        { tool: 'limits.usage', args: {} },
      ]
    : [];
  // Asked for an integration we do not have: the ones we have, and their state, answer instead.
  const integrations: ToolCall[] = unsupported.some((u) => u.capability === 'integrations we do not have') ? [{ tool: 'providers.health', args: {} }] : [];
  // Asked for a forecast: the rates so far are the fallback (past rates, said not to be a forecast).
  const pastRates: ToolCall[] = unsupported.some((u) => u.capability === 'forecasting') ? [{ tool: 'kpis.rates', args: { days: days(entities) } }] : [];
  const shapes = otherLanguage ? [] : shapesOf(base);
  const shapeCalls = shapes.flatMap((s) => shapeReads(s, sinceHours(entities, 24)));
  // Logs asked for with their secrets or personal data: the entries shown are scanned (and the request's text), not only the request.
  const scansLogs = matched.some((m) => m.name === 'audit') && (refusals.some((r) => r.rule === 'NO_SECRETS') || /\b(?:pii|personal data|redact\w*|sensitive)\b/.test(base));
  const logScan: ToolCall[] = scansLogs ? [{ tool: 'privacy.redact', args: { over: 'audit', sinceHours: sinceHours(entities, 24) } }] : [];
  const planned = [...logScan, ...matched.flatMap((rule) => rule.calls(text, entities)), ...safeAlternative, ...integrations, ...pastRates, ...shapeCalls];
  const plan = dedupe(planned);
  const intents = matched.map((m) => m.name);
  const intent = intents[0] ?? (refusals.length ? 'refused' : shapes[0] && plan.length ? shapes[0] : unsupported.length ? 'unsupported' : DOMAIN_WORDS.test(base) && !otherLanguage ? 'clarify' : 'out_of_scope');
  return { intent, intents, entities, plan, refusals, unsupported, conflicting, otherLanguage, shapes };
};
