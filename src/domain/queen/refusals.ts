import { authorize, type AgentAction } from '../agents/index.js';

/**
 * What QUEEN refuses, whatever the wording: each rule names itself, the words that trigger it and,
 * where the agent permission registry covers the action, the registry's own refusal (asked as
 * UNIFIED_QUEEN), so the reason a person reads is the registry's, not a copy of it.
 *
 * A rule matches the request's own words; a negated ask ("do not send anything") does not trigger
 * the send rule, it is a constraint, and a request holding both is reported as conflicting.
 */
export type RefusalRuleId = 'QUEEN_NEVER_SENDS' | 'QUEEN_NEVER_APPROVES' | 'QUEEN_NEVER_LIFTS_STOP' | 'NO_BULK_PERSONAL_DATA_EXPORT' | 'GUARDRAILS_ARE_MANDATORY' | 'NO_SECRETS' | 'INJECTION_DETECTED' | 'NO_CRM_MUTATION';

export type Refusal = {
  rule: RefusalRuleId;
  reason: string;
  matched: string;
  /** The safe way to get what was asked, if there is one. */
  instead: string;
  /** The agent permission registry was asked (as UNIFIED_QUEEN) and its refusal is quoted. */
  registryChecked: boolean;
};

type Rule = { id: RefusalRuleId; patterns: readonly RegExp[]; registryAction?: AgentAction; reason: string; instead: string };

const NEGATED = /\b(?:do not|don't|dont|never|not|without)\s+(?:\w+\s+){0,2}$/;

const RULES: readonly Rule[] = [
  {
    id: 'INJECTION_DETECTED',
    patterns: [/;\s*drop\s+(?:table|database)\b/, /'\)\s*;/, /\bunion\s+select\b/, /<script\b/, /;\s*--/, /\bdelete\s+from\s+\w+/],
    reason: 'input validation failed: injection detected in the request; action blocked, nothing was written',
    instead: 'ask again in plain words, without code or SQL',
  },
  {
    id: 'GUARDRAILS_ARE_MANDATORY',
    patterns: [
      /\b(?:bypass|skip|disable|turn off|switch off|ignore|override|circumvent|get around|remove)\s+(?:\w+\s+){0,3}?(?:guardrails?|approvals?|rules|instructions|limits?|safety|checks?|gatekeeper|review|permissions?)\b/,
      /\bwithout (?:an? )?(?:approval|review|consent)\b/,
      /\bauto-?approve\b/,
    ],
    reason: 'guardrails are mandatory: approvals, limits and permission checks cannot be bypassed, disabled or ignored from a request',
    instead: 'work within them: the review queue, the send limits and a batch a person approves',
  },
  {
    id: 'QUEEN_NEVER_SENDS',
    patterns: [
      // A message to the team's own Slack channel is not outreach (slack.alert, a confirmed write): only a send to a prospect is refused.
      /\b(?:send|blast|dispatch|fire off|launch)\s+(?:(?!slack\b)[\w,'-]+\s+){0,5}?(?:e-?mails?|campaigns?|messages?|outreach|drafts?|batch(?:es)?|sequences?|sms|texts?|invites?)\b(?!\s+(?:[\w-]+\s+){0,2}?(?:to|in|on|into)\s+(?:the\s+|our\s+)?(?:#?[\w-]+\s+)?slack\b)/,
      /\bpush\s+(?:\w+\s+){0,3}(?:to|into)\s+(?:outreach|instantly|heyreach|the campaign)\b/,
      // "Email the drafts to …" as an instruction (at the start of a clause), not "e-mail addresses" or "email bounce rate".
      /(?:^|[.;!?]\s*|\b(?:and|then|please|now|also)\s+)e-?mail\s+(?!address)(?:the\s+|our\s+|all\s+|these\s+|those\s+|every\s+)?(?:[\w-]+\s+){0,2}?(?:drafts?|batch(?:es)?|prospects?|leads?|contacts?|sequences?|follow-?ups?)\b/,
      /\bauto-?send\b/,
      // Activating (or un-pausing) a campaign starts it sending.
      /\b(?:activate|unpause|un-pause|resume|restart)\s+(?:the\s+|our\s+|all\s+)?(?:[\w-]+\s+){0,2}campaigns?\b/,
    ],
    registryAction: 'send_email',
    reason: 'QUEEN never sends: outreach goes out only through an approved batch dispatched by OPERATOR',
    instead: "drafts wait for a person's approval (caio review), an approved batch (caio batch approve) is dispatched by OPERATOR within the send limits",
  },
  {
    id: 'QUEEN_NEVER_APPROVES',
    patterns: [/\bapprove\s+(?:the\s+|this\s+|that\s+|all\s+|every\s+|these\s+|those\s+|my\s+|pending\s+|\d+\s+)*(?:drafts?|batch(?:es)?|e-?mails?|sends?|it|them|everything)\b/, /\bmark\s+(?:\w+\s+){0,3}as approved\b/],
    reason: 'QUEEN never approves a draft or a batch: a person approves on the dashboard or with caio review / caio batch approve',
    instead: 'a person approves with caio review approve or caio batch approve, or on the dashboard',
  },
  {
    id: 'QUEEN_NEVER_LIFTS_STOP',
    patterns: [/\b(?:lift|clear|release|remove|turn off|disable|undo|cancel|reset|unset)\s+(?:the\s+)?(?:emergency\s+stop|kill\s+switch|stop flag)\b/, /\bresume\s+(?:all\s+)?(?:sending|dispatch|outreach|sends)\b/],
    reason: 'QUEEN never lifts the emergency stop: a person clears it with caio operator resume --by NAME',
    instead: 'a person runs caio operator resume --by NAME once the cause is fixed',
  },
  {
    id: 'NO_BULK_PERSONAL_DATA_EXPORT',
    patterns: [
      /\b(?:export|dump|download|scrape|harvest|extract)\s+(?:\w+\s+){0,4}?(?:e-?mails?|e-?mail addresses|contacts?|leads?|personal data|phone numbers|profiles|pii)\b/,
      /\b(?:all|every|full list of)\s+(?:the\s+)?(?:e-?mail addresses|phone numbers|personal data)\b/,
      /\b(?:all|every)\s+(?:the\s+|our\s+)?(?:leads?|contacts?|prospects?)(?:'s|')?\s+(?:e-?mails?|e-?mail addresses|phone numbers)\b/,
      /\b(?:e-?mail addresses|phone numbers) of (?:all|every)\b/,
    ],
    registryAction: 'export_all_contacts',
    reason: 'personal data is never exported in bulk (GDPR); one lead at a time through caio leads show, or an erasure/access request through caio privacy',
    instead: "a lawful alternative: one lead at a time (caio leads show), or a data subject's access request (caio privacy)",
  },
  {
    id: 'NO_SECRETS',
    patterns: [/\b(?:give|show|include|including|print|return|expose|reveal|send|with)\s+(?:me\s+)?(?:\w+\s+){0,4}?(?:api keys?|auth(?:orization)? headers?|tokens?|passwords?|secrets?|connection strings?|credentials)\b/],
    reason: 'secrets (API keys, tokens, auth headers, connection strings) are never returned; logs are shown redacted',
    instead: 'redacted logs: the audit log and open incidents hold no secrets',
  },
  {
    id: 'NO_CRM_MUTATION',
    patterns: [/\b(?:create|delete|update|push)\s+(?:a\s+|the\s+)?(?:contact|contacts)\b.*\b(?:crm|ghl)\b/, /\bdelete\s+(?:all\s+)?(?:leads|contacts)\b/],
    reason: 'QUEEN does not write to the CRM; contacts reach it only through the pipeline and an approved dispatch',
    instead: 'run the pipeline; contacts reach the CRM only with an approved dispatch',
  },
];

/** The registry's refusal for this action as QUEEN, when it refuses; the rule's own reason otherwise. */
const reasonOf = (rule: Rule): string => {
  if (!rule.registryAction) return rule.reason;
  const verdict = authorize({ role: 'UNIFIED_QUEEN', action: rule.registryAction });
  return verdict.allowed ? rule.reason : `${rule.reason} (agent registry: ${verdict.reason})`;
};

const firstUnnegated = (re: RegExp, text: string): string | null => {
  for (const m of text.matchAll(new RegExp(re.source, 'g'))) if (!NEGATED.test(text.slice(Math.max(0, m.index - 30), m.index))) return m[0];
  return null;
};

/** Every rule the request triggers, in the table's order. */
export const findRefusals = (text: string): Refusal[] => {
  const out: Refusal[] = [];
  for (const rule of RULES) {
    for (const re of rule.patterns) {
      const matched = firstUnnegated(re, text);
      if (matched) {
        out.push({ rule: rule.id, reason: reasonOf(rule), matched, instead: rule.instead, registryChecked: rule.registryAction !== undefined });
        break;
      }
    }
  }
  return out;
};

/** A request that asks to send and, in the same breath, not to send. */
export const hasConflictingSendConstraints = (text: string): boolean =>
  RULES.find((r) => r.id === 'QUEEN_NEVER_SENDS')!.patterns.some((re) => firstUnnegated(re, text) !== null) && /\b(?:do not|don't|never|not)\s+(?:send|dispatch)\b/.test(text);

/** Rules that refuse the whole request, not only its unsafe part: nothing in it is trusted. */
export const REFUSES_WHOLE_REQUEST: readonly RefusalRuleId[] = ['INJECTION_DETECTED'];
