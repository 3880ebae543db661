/**
 * What QUEEN is asked for and does not have: each capability, what we do instead, and the words
 * that name it. A match is said in the answer ("Unsupported feature"), never pretended. Pure.
 */
export const DRAFTING_FROM_DESCRIPTION = 'drafting an e-mail from a description';
export const REWRITING_COPY = 'rewriting a given text';

/** Slack named with a condition ("if it still fails", "whenever", "automatically"): a rule for the escalation, not an alert asked for now. */
export const CONDITIONAL_SLACK = /\b(?:when|whenever|if|once|after|automatically)\b[^.?!]*\bslack\b|\bslack\b[^.?!]*\b(?:when|whenever|if|once|automatically)\b/;

export const UNSUPPORTED: readonly { capability: string; instead: string; re: RegExp }[] = [
  {
    capability: DRAFTING_FROM_DESCRIPTION,
    instead: 'drafts are crafted by the pipeline for stored, scored leads and reviewed by a person (caio pipeline run, caio review)',
    re: /\b(?:draft|write|compose|create)\s+(?:[\w-]+\s+){0,5}?(?:e-?mails?|sequences?|follow-?ups?|nurture|copy|drafts)\b/,
  },
  {
    capability: REWRITING_COPY,
    instead:
      "QUEEN checks a pasted text against the checks a reviewer's edit must pass and the quality guard's rules (copy.check), and adds the configured footer where it is missing; rewording is a person's edit (on the review screen, where the same checks run again)",
    re: /\b(?:rewrite|re-write|reword|rephrase|edit|fix|improve|polish|make)\s+(?:this|the|my|our|that)\s+(?:[\w-]+\s+){0,2}?(?:copy|e-?mail|draft|follow-?up|message|text)\b(?!\s+(?:rates?|volume|queue))/,
  },
  {
    capability: 'Slack alerts on a condition',
    instead:
      'Slack hears automatically from the escalation of incidents (a provider failing, sends failing after their retries) and from hot-lead replies; QUEEN posts an alert only when asked to post one now (slack.alert), after a person confirms',
    re: CONDITIONAL_SLACK,
  },
  {
    capability: 'canary tests of prompts',
    instead: 'drafts come from templates, not a prompt under test; the one running experiment is the A/B subject line per draft (learning.report)',
    re: /\bcanary\b/,
  },
  {
    capability: 'changing the ICP weights from a request',
    instead: 'the learning report suggests weight changes from outcomes; the ICP weights are configuration (icp in the config file), changed by a person',
    re: /\b(?:update|change|retrain|tune|apply)\s+(?:the\s+|our\s+)?(?:scoring\s+|icp\s+)?weights\b/,
  },
  {
    capability: 'integrations we do not have',
    instead: 'available integrations are Apollo, BetterContact, Clay, Instantly, HeyReach, GoHighLevel, RB2B and Slack (their state below)',
    re: /\b(?:use|via|through|search|from|sync (?:to|with)|push to|in)\s+(?:the\s+)?(?:salesforce|supabase|pipedrive|zoominfo|google calendar)\b/,
  },
  {
    capability: 'webhook processing on request',
    instead:
      "webhooks are verified on arrival (the provider's signature or token); a delivery failing that check is a rejected event, answered unauthorized and not stored. Replay protection is the inbox's idempotency key: the same event delivered again is answered as a duplicate and not processed twice (these providers send no timestamp, so there is no replay window). A stored delivery is processed again only by a person (caio webhooks replay), never from a request",
    re: /\b(?:process|replay|re-?run|re-?process|resend|accept)\s+(?:this\s+|the\s+|that\s+|a\s+)?(?:\w+\s+){0,2}?webhooks?\b/,
  },
  { capability: 'new agent roles', instead: 'the agent registry is code, reviewed like code', re: /\b(?:onboard|create|add)\s+(?:a\s+)?(?:new\s+)?agent(?:\s+role)?\b/ },
  { capability: 'changing the retry policy', instead: 'retries and backoff are fixed per provider in the HTTP policy', re: /\bretry\b.*\bbackoff\b/ },
  { capability: 'forecasting', instead: 'no forecast is made; rates so far are in caio kpis', re: /\b(?:forecast|predict\w*|exact close rate)\b/ },
  { capability: 'company research on request', instead: 'the lead as we hold it is in caio leads show; a booked meeting has a brief (meeting.brief)', re: /\bresearch\s+[a-z]+\s+[a-z]+,/ },
  { capability: 'CRM workflows', instead: 'GoHighLevel is written only by the dispatch of approved batches', re: /\b(?:trigger|start|run)\s+(?:\w+\s+){0,3}workflows?\b/ },
  { capability: 'an unknown tool', instead: 'QUEEN runs only its own tools (see supported capabilities)', re: /\b(?:run|use|call)\s+(?:the\s+)?tool\b/ },
];
