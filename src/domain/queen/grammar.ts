import { extractEntities, type Entities } from './entities.js';
import { findRefusals, hasConflictingSendConstraints, REFUSES_WHOLE_REQUEST, type Refusal } from './refusals.js';
import type { ToolArgs, ToolCall } from './tools.js';

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
  | 'run_pipeline'
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

const describedLead = (e: Entities): ToolArgs => ({
  title: e.titles[0] ?? null,
  employeeCount: e.employeeCount,
  industry: e.industries[0] ?? null,
  technologies: e.tools,
  email: e.emails[0] ?? null,
});

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
    name: 'run_pipeline',
    matches: (t) => any(t, /\b(?:run|start|kick off|launch)\s+(?:the\s+|a\s+|an\s+)?(?:sandbox\s+)?pipeline\b(?!\s+scan)/, /\bend-to-end run\b/, /\bdiscover\s+\d+\s+(?:\w+\s+)?leads\b/),
    calls: (_t, e) => [{ tool: 'pipeline.run', args: { limit: Math.min(e.count ?? 25, 500) } }],
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

const UNSUPPORTED: readonly { capability: string; instead: string; re: RegExp }[] = [
  {
    capability: 'calendar booking',
    instead: 'no calendar is connected: meetings are not proposed or booked here',
    re: /\b(?:book|schedule|set(?: up)?)\s+(?:a\s+|an\s+)?(?:\d+-minute\s+)?(?:meeting|call|intro|demo)\b|\bcalendar\b|\bmeeting slot\b|\bset a meeting\b/,
  },
  {
    capability: 'drafting an e-mail from a description',
    instead: 'drafts are crafted by the pipeline for stored, scored leads and reviewed by a person (caio pipeline run, caio review)',
    re: /\b(?:draft|write|rewrite|compose|create)\s+(?:[\w-]+\s+){0,5}?(?:e-?mails?|sequences?|follow-?ups?|nurture|copy|drafts)\b/,
  },
  { capability: 'Slack alerts on request', instead: 'Slack hears from the escalation of incidents, not from a request', re: /\b(?:alert|notify|escalate|post)\b.*\bslack\b|\bslack\b.*\b(?:alert|notify)\b/ },
  { capability: 'e-mail thread parsing', instead: 'replies are classified as they arrive from the providers (caio leads show)', re: /\b(?:parse|analy[sz]e|read)\s+(?:\w+\s+){0,3}threads?\b/ },
  { capability: 'A/B and canary tests', instead: 'subject lines come in A and B variants per draft; there is no test runner', re: /\ba\/b\b|\bsplit test\b|\bcanary\b/ },
  {
    capability: 'ICP learning from outcomes',
    instead: 'the ICP weights are configuration (icp in the config file), changed by a person',
    re: /\bweekly icp analysis\b|\b(?:update|change|retrain|tune)\s+(?:the\s+)?(?:scoring\s+)?weights\b|\bwinning profile\b/,
  },
  {
    capability: 'integrations we do not have',
    instead: 'we integrate Apollo, BetterContact, Clay, Instantly, HeyReach, GoHighLevel, RB2B and Slack',
    re: /\b(?:use|via|through|search|from|sync (?:to|with)|push to|in)\s+(?:the\s+)?(?:salesforce|supabase|pipedrive|zoominfo|google calendar)\b/,
  },
  { capability: 'enriching a contact on request', instead: 'enrichment runs inside the pipeline (Apollo, BetterContact, Clay waterfall)', re: /\benrich\s+(?:this|a|the|that)\s+(?:contact|lead|person)\b/ },
  { capability: 'website visitor identification', instead: 'RB2B visits arrive as webhook signals on known leads (caio leads show)', re: /\b(?:website|hot|recent)\s+visitors\b|\brb2b\b/ },
  { capability: 'webhook processing on request', instead: 'webhooks are verified on arrival (signature, replay window); stale or replayed events are rejected', re: /\bwebhook\b/ },
  { capability: 'new agent roles', instead: 'the agent registry is code, reviewed like code', re: /\b(?:onboard|create|add)\s+(?:a\s+)?(?:new\s+)?agent(?:\s+role)?\b/ },
  { capability: 'changing the retry policy', instead: 'retries and backoff are fixed per provider in the HTTP policy', re: /\bretry\b.*\bbackoff\b/ },
  { capability: 'forecasting', instead: 'no forecast is made; rates so far are in caio kpis', re: /\b(?:forecast|predict\w*|exact close rate)\b/ },
  { capability: 'call prep briefs', instead: 'the lead as we hold it is in caio leads show', re: /\bcall prep\b|\bprep brief\b|\bresearch\s+[a-z]+\s+[a-z]+,/ },
  { capability: 'CRM workflows', instead: 'GoHighLevel is written only by the dispatch of approved batches', re: /\b(?:trigger|start|run)\s+(?:\w+\s+){0,3}workflows?\b/ },
  { capability: 'an unknown tool', instead: 'QUEEN runs only its own tools (see supported capabilities)', re: /\b(?:run|use|call)\s+(?:the\s+)?tool\b/ },
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
  const blank: Understanding = { intent: 'empty', intents: [], entities: extractEntities(''), plan: [], refusals: [], unsupported: [], conflicting: false, otherLanguage: false };
  if (raw.trim() === '') return blank;
  if (raw.length > MAX_REQUEST_CHARS) return { ...blank, intent: 'too_long' };
  const text = normaliseRequest(raw);
  const entities = extractEntities(text);
  const refusals = findRefusals(text);
  const conflicting = hasConflictingSendConstraints(text);
  const otherLanguage = looksForeign(raw, text);
  if (refusals.some((r) => REFUSES_WHOLE_REQUEST.includes(r.rule))) return { ...blank, intent: 'refused', entities, refusals, conflicting, otherLanguage };

  const lifting = refusals.some((r) => r.rule === 'QUEEN_NEVER_LIFTS_STOP');
  const matched = INTENTS.filter((rule) => rule.matches(text, entities) && !(lifting && rule.name === 'emergency_stop'));
  const unsupported = UNSUPPORTED.filter((u) => u.re.test(text)).map(({ capability, instead }) => ({ capability, instead }));
  const refusesSend = refusals.some((r) => r.rule === 'QUEEN_NEVER_SENDS' || r.rule === 'GUARDRAILS_ARE_MANDATORY');
  // A refused send still gets the safe answer: where the approval queue and today's limits stand.
  const safeAlternative: ToolCall[] = refusesSend
    ? [
        { tool: 'drafts.queue', args: {} },
        { tool: 'limits.usage', args: {} },
      ]
    : [];
  const plan = dedupe([...matched.flatMap((rule) => rule.calls(text, entities)), ...safeAlternative]);
  const intents = matched.map((m) => m.name);
  const intent = intents[0] ?? (refusals.length ? 'refused' : unsupported.length ? 'unsupported' : DOMAIN_WORDS.test(text) && !otherLanguage ? 'clarify' : 'out_of_scope');
  return { intent, intents, entities, plan, refusals, unsupported, conflicting, otherLanguage };
};
