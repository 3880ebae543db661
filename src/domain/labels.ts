import { REJECTION_TAGS } from './approval/rejection-tags.js';
import { ANGLES, isAngleId } from './drafting/angles/index.js';

/**
 * Plain words for the codes the pipeline stores (issue 21, item 7): a head of sales reads "Tier 1",
 * "Executive buy-in" and "Ramp: tier 1 only", never `tier_1`, `t1_executive_buyin` or
 * `ramp_tier_filter:tier_1`. Pure: every function maps a stored value to text; an unknown code is
 * shown humanised ("some_code" -> "Some code") rather than hidden, so nothing new disappears.
 */

/** "some_code" -> "Some code": the fallback for a code no map knows yet. */
export const humanize = (code: string | null | undefined): string => {
  const words = String(code ?? '')
    .replace(/[_-]+/g, ' ')
    .trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : '-';
};

/** `tier_1` -> "Tier 1". */
export const tierLabel = (tier: string | null | undefined): string => {
  if (!tier) return 'No tier';
  const m = /^tier_(\d)$/.exec(tier);
  return m ? `Tier ${m[1]}` : humanize(tier);
};

/** `t1_executive_buyin` -> "Executive buy-in": the angle template's label up to its colon. */
export const angleLabel = (angleId: string | null | undefined): string => {
  if (!angleId) return '-';
  if (angleId === 'revival') return 'Re-contact (revival)';
  return isAngleId(angleId) ? ANGLES[angleId].label.split(':')[0]!.trim() : humanize(angleId.replace(/^t\d_/, ''));
};

/** The angle's whole label, with what it offers: "Executive buy-in: the 90-day implementation sprint". */
export const angleLongLabel = (angleId: string): string => (isAngleId(angleId) ? ANGLES[angleId].label : angleLabel(angleId));

const STATUS: Record<string, string> = {
  unknown: 'Unknown',
  discovered: 'Discovered',
  enriched: 'Enriched',
  unenriched: 'Not enriched (nothing found)',
  scored: 'Scored',
  skipped: 'Skipped',
  duplicate: 'Duplicate',
  pending_review: 'Waiting for review',
  review_rejected: 'Draft rejected',
  queued: 'Queued to send',
  pending: 'Pending',
  approved: 'Approved',
  dispatched: 'Handed to a sender',
  sent: 'Contacted',
  opened: 'Opened',
  replied: 'Replied',
  meeting_booked: 'Meeting booked',
  ghosted: 'No answer (ghosted)',
  stalled: 'Stalled',
  engaged_not_replied: 'Engaged, no reply',
  bounced: 'Bounced',
  unsubscribed: 'Unsubscribed',
  do_not_contact: 'Do not contact',
  rejected: 'Rejected',
  disqualified: 'Disqualified',
  linkedin_sent: 'LinkedIn request sent',
  linkedin_connected: 'LinkedIn connected',
  linkedin_replied: 'Replied on LinkedIn',
  linkedin_exhausted: 'LinkedIn sequence finished',
  revival_candidate: 'CRM re-contact candidate',
  revival_queued: 'Re-contact queued',
  revival_sent: 'Re-contacted',
  pending_approval: 'Waiting for approval',
  superseded: 'Replaced by a newer draft',
};

/** A lead's or a draft's status in words. */
export const statusLabel = (status: string | null | undefined): string => (status ? (STATUS[status] ?? humanize(status)) : '-');

const PROVIDER: Record<string, string> = {
  apollo: 'Apollo',
  apollo_match: 'Apollo Match',
  bettercontact: 'BetterContact',
  clay: 'Clay',
  instantly: 'Instantly',
  heyreach: 'HeyReach',
  ghl: 'GoHighLevel',
  slack: 'Slack',
  twilio: 'Twilio',
  smtp: 'e-mail (SMTP)',
  rb2b: 'RB2B',
  import: 'a file import',
  operator: 'the OPERATOR',
  pipeline: 'the pipeline',
  decay: 'the daily decay scan',
  dashboard: 'the dashboard',
};

/** `bettercontact` -> "BetterContact". */
export const providerLabel = (provider: string | null | undefined): string => (provider ? (PROVIDER[provider] ?? humanize(provider)) : '-');

/** An enrichment waterfall as stored (`apollo_match>bettercontact`) -> "Apollo Match, then BetterContact". */
export const enrichmentChainLabel = (chain: string): string =>
  chain
    .split('>')
    .map((p) => providerLabel(p.trim()))
    .join(', then ');

const GUARD: Record<string, string> = {
  domain_concentration_cap: 'Per-domain cap of one batch',
  suppressed: 'Suppression list',
  excluded_domain: 'Excluded domain',
  competitor_domain: 'Competitor domain',
  excluded_email: 'Excluded address',
  draft_missing: 'Draft missing',
  lead_missing: 'Lead missing',
  quality_guard: 'Quality guard',
  emergency_stop: 'Emergency stop',
  daily_limit: 'Daily limit reached',
  reconciled: 'Reconciled with the provider',
};

/**
 * A refusal reason as stored (`guard:detail`) in words: `ramp_tier_filter:tier_1` -> "Ramp: tier 1
 * only"; a known guard with a detail keeps the detail after its name.
 */
export const guardLabel = (reason: string | null | undefined): string => {
  if (!reason) return 'No reason recorded';
  const at = reason.indexOf(':');
  const guard = (at === -1 ? reason : reason.slice(0, at)).trim();
  const detail = at === -1 ? '' : reason.slice(at + 1).trim();
  if (guard === 'ramp_tier_filter') return `Ramp: ${detail ? tierLabel(detail).toLowerCase() : 'some tiers'} only`;
  const name = GUARD[guard] ?? humanize(guard);
  return detail ? `${name}: ${detail}` : name;
};

/** A rejection tag (`icp_mismatch`) -> its label in the review form. */
export const rejectionTagLabel = (tag: string): string => REJECTION_TAGS.find((t) => t.id === tag)?.label ?? humanize(tag);

const COMPONENT: Record<string, string> = {
  company_size: 'Company size',
  title: 'Job title',
  industry: 'Industry',
  tech_stack: 'Tech stack',
  intent: 'Intent',
  engagement: 'Engagement',
};

/** A score component's code -> "Company size". */
export const componentLabel = (code: string): string => COMPONENT[code] ?? humanize(code);

const FIELD: Record<string, string> = {
  email: 'E-mail',
  title: 'Title',
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name',
  linkedinUrl: 'LinkedIn profile',
  location: 'Location',
  'company.name': 'Company name',
  'company.domain': 'Company domain',
  'company.industry': 'Industry',
  'company.employeeCount': 'Employees',
  'company.revenue': 'Revenue',
  'company.techStack': 'Tech stack',
  'company.location': 'Company location',
};

/** A LeadProfile field path -> "Company domain". */
export const fieldLabel = (path: string): string => FIELD[path] ?? humanize(path.replace(/^company\./, 'company '));

const CHANNEL: Record<string, string> = { instantly: 'E-mail', heyreach: 'LinkedIn', ghl: 'GoHighLevel (CRM)', email: 'E-mail', linkedin: 'LinkedIn', crm: 'CRM', website: 'Website' };

/** An outbox step in words: `initial` -> "step 1", `s2` -> "step 2", `revival` -> "re-contact". */
export const stepLabel = (step: string): string => (step === 'initial' ? 'step 1' : /^s\d+$/.test(step) ? `step ${step.slice(1)}` : step === 'revival' ? 're-contact' : humanize(step).toLowerCase());

/** An outbox or event channel in words. */
export const channelLabel = (channel: string): string => CHANNEL[channel] ?? humanize(channel);

const REPLY: Record<string, string> = {
  meeting_request: 'meeting request',
  interested: 'interested',
  question: 'a question',
  objection: 'an objection',
  referral: 'a referral to someone else',
  not_interested: 'not interested',
  unsubscribe: 'asks to unsubscribe',
  unsubscribe_request: 'asks to unsubscribe',
  out_of_office: 'out of office',
  not_now: 'not now',
  positive: 'positive',
  wrong_person: 'wrong person',
  unclear: 'unclear',
};

const EVENT: Record<string, string> = {
  email_opened: 'Opened',
  email_clicked: 'Clicked a link',
  email_bounced: 'E-mail bounced',
  unsubscribed: 'Unsubscribed',
  do_not_contact: 'Asked not to be contacted',
  linkedin_connection_accepted: 'Accepted the LinkedIn connection',
  linkedin_connected: 'Accepted the LinkedIn connection',
  linkedin_campaign_completed: 'LinkedIn sequence finished',
  linkedin_exhausted: 'LinkedIn sequence finished',
  meeting_booked: 'Meeting booked',
  website_visit: 'Visited the website',
  decay_ghosted: 'No answer: marked ghosted',
  decay_stalled: 'Went quiet after opening: marked stalled',
  revival_queued: 'Queued for a re-contact',
  manual_pause: 'Paused by a person',
  manual_resume: 'Resumed by a person',
  referred_by_reply: 'Referred by another lead’s reply',
};

/**
 * A timeline event in plain words: `email_sent` from Instantly -> "E-mail sent through Instantly";
 * `email_replied` with the reply's class -> "Replied: meeting request".
 */
export const eventLabel = (type: string, source: string | null, details: Record<string, unknown> = {}): string => {
  // Our own sends are recorded by the OPERATOR with the provider that took them in details.provider.
  const by = typeof details.provider === 'string' ? details.provider : source;
  const through = by && PROVIDER[by] && !['pipeline', 'decay', 'dashboard', 'operator'].includes(by) ? ` through ${PROVIDER[by]}` : '';
  const replyClass = typeof details.replyClass === 'string' ? details.replyClass : typeof details.replyCategory === 'string' ? details.replyCategory : null;
  const replied = (where: string) => `Replied${where}${replyClass ? `: ${REPLY[replyClass] ?? humanize(replyClass).toLowerCase()}` : ''}`;
  switch (type) {
    case 'email_sent':
      return `E-mail sent${through}`;
    case 'linkedin_connection_sent':
    case 'linkedin_sent':
      return `LinkedIn connection request sent${through}`;
    case 'linkedin_message_sent':
      return `LinkedIn message sent${through}`;
    case 'reply_answer_sent':
      return `Our answer to their reply sent${through}`;
    case 'email_replied':
      return replied('');
    case 'linkedin_replied':
      return replied(' on LinkedIn');
    default:
      return EVENT[type] ?? humanize(type);
  }
};

/**
 * The smallest number of leads a rate needs before the dashboard says it meets or misses its target:
 * below it the rate shows with its counts and "too few to judge". 20 leads: one reply in three sends
 * is 33 %, noise not a verdict (docs/dashboard.md).
 */
export const MIN_RATE_SAMPLE = 20;

/** A rate always with its counts: "2 of 3 (66.7 %)"; "none yet" when the denominator is 0. */
export const rateWithCounts = (part: number, whole: number): string => (whole > 0 ? `${part} of ${whole} (${((part / whole) * 100).toFixed(1)} %)` : 'none yet');

/** Whether a rate has enough leads behind it to be judged against its target. */
export const judgeable = (whole: number, minSample = MIN_RATE_SAMPLE): boolean => whole >= minSample;
