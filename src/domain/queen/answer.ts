import type { Understanding } from './grammar.js';
import type { AuditSummary, DraftCounts, IncidentsOpen, KpiRow, LeadsFound, LimitsRow, ProviderHealthRow, RedactResult, RoleSummary, RunRow, ScoreResult, ScoreRules, ToolOutcome } from './results.js';
import { QUEEN_TOOLS, QUEEN_TOOL_NAMES } from './tools.js';
import { redactText } from './redact.js';
import { shapedSections } from './answer-sections.js';
import { copyCheckLine, previewLine, visitorContactsLine } from './answer-drafting.js';
import type { CopyCheckResult } from './copy-check.js';
import type { DraftPreview } from './draft-preview.js';
import type { VisitorContactsFound } from './results.js';
import { bookLine, classifyLine, learningLine, meetingsLine, repliesLine, slotsLine, visitorsLine, webhooksLine } from './answer-signals.js';
import type { BookingRow, EnrichRow, LearningRow, MeetingsFound, RejectionsFound, RepliesFound, ReplyReading, SlackAlertRow, SlotsFound, TechStackFound, VisitorsFound, WebhooksRow } from './results.js';

/**
 * The answer a person reads, written only from the tools' answers: every figure in it is a value a
 * tool returned (or an argument the plan carried), and what no tool returned is said to be missing,
 * never filled in. Pure.
 */

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

const supported = () => `Supported capabilities (QUEEN's tools): ${QUEEN_TOOL_NAMES.join(', ')}.`;

const scoreLine = (r: ScoreResult): string => {
  const d = r.described;
  const who = [d.title, d.employeeCount === null ? null : `${d.employeeCount} employees`, d.industry, d.technologies.length ? `uses ${d.technologies.join(' and ')}` : null].filter(Boolean).join(', ');
  const priority = r.disqualification
    ? `Disqualified (${r.disqualification}): do not contact.`
    : r.tier === 'tier_1' || r.tier === 'tier_2'
      ? `Priority: high; worth prioritising this week through the normal path (a draft a person approves; nothing has been sent).`
      : `Priority: low; not one to prioritise this week.`;
  return [
    `ICP score ${r.points}/100, ${r.tier} for the described lead (${who || 'nothing usable described'}); campaign ${r.recommendedCampaign}.`,
    `Priority rationale: ${r.reasons.join('; ')}.`,
    priority,
    r.notStated.length ? `Not stated in the request, so scored as unknown rather than guessed: ${r.notStated.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
};

const rulesLine = (r: ScoreRules, competitorAsked: boolean): string =>
  competitorAsked
    ? `A lead at a competitor is disqualified by the scorer (the config lists ${r.competitorDomains} competitor domains and ${r.competitorCompanyNames} competitor company names): it stays out of outreach, no draft is crafted, do not contact.`
    : `Tier thresholds in force: tier_1 from ${r.tiers.tier1}, tier_2 from ${r.tiers.tier2}, tier_3 from ${r.tiers.tier3} points.`;

/** The fields the scorer qualifies a lead on, as a lead search shows them. */
const QUALIFICATION_FIELDS = 'company, title, tier, ICP points, status';

const leadsLine = ({ count, leads: rows }: LeadsFound, args: Record<string, unknown>): string => {
  const filter = ['id', 'email', 'domain', 'tier']
    .filter((k) => args[k])
    .map((k) => `${k} ${String(args[k])}`)
    .join(', ');
  if (rows.length === 0) return `No stored lead matches (${filter || 'no filter'}): no records found. Summary: with no record, there are no qualification fields (${QUALIFICATION_FIELDS}) to show.`;
  return `${count} records found (${filter ? `filter: ${filter}` : 'no filter'}); summary of their qualification fields (${QUALIFICATION_FIELDS}): ${rows
    .map((l) => `${l.id} ${l.company ?? 'company unknown'}, ${l.title ?? 'title unknown'}, ${l.tier ?? 'no tier'}, ${l.points ?? 'no'} points, ${l.status}`)
    .join('; ')}.`;
};

const draftsLine = (d: DraftCounts) => `Review queue: pending ${d.pending_review}, approved ${d.approved}, rejected ${d.rejected}${Object.keys(d.other).length ? `; other: ${list(d.other)}` : ''}.`;

const limitsLine = (l: LimitsRow) =>
  `Send rate limits (send mode ${l.sendMode}): e-mail today ${l.emailToday.used} used of ${l.emailToday.limit}, ${l.emailToday.remaining} remaining; this hour ${l.emailThisHour.used} of ${l.emailThisHour.limit}, ${l.emailThisHour.remaining} remaining; this month ${l.emailThisMonth.used} of ${l.emailThisMonth.limit}; LinkedIn today ${l.linkedinToday.used} of ${l.linkedinToday.limit}, ${l.linkedinToday.remaining} remaining. No per-minute send window is configured (hour, day and month are).`;

const healthLine = (h: ProviderHealthRow) => {
  const open = h.breakers.filter((b) => b.state !== 'closed');
  const blocking = [...(h.emergencyStop.active ? [`the emergency stop (set by ${h.emergencyStop.setBy ?? 'the environment'}: ${h.emergencyStop.reason ?? 'no reason given'})`] : []), ...open.map((b) => `${b.provider} breaker ${b.state}`)];
  return [
    `Overall health: ${blocking.length ? 'degraded' : 'no failure recorded'}.`,
    h.breakers.length ? `Circuit breakers: ${h.breakers.map((b) => `${b.provider} ${b.state} since ${b.changedAt}`).join('; ')}.` : 'Circuit breakers: no transition recorded for any provider (no data, not a clean bill of health).',
    blocking.length ? `Blocking status: ${blocking.join('; ')} blocking traffic; not ready to send.` : 'Blocking status: nothing recorded is blocking traffic.',
    'Latency and error rate per provider are not held by these tools (they are in /metrics).',
  ].join(' ');
};

const incidentsLine = ({ count, incidents: rows }: IncidentsOpen) => (count ? `Open incidents (${count}): ${rows.map((i) => `${i.key} (level ${i.level} since ${i.openedAt}: ${i.title})`).join('; ')}.` : 'No open incident.');

const auditLine = (a: AuditSummary) =>
  a.count === 0
    ? `Audit log: no entry since ${a.since} (the last ${a.sinceHours} hours): nothing logged to summarise.`
    : `Audit log since ${a.since} (the last ${a.sinceHours} hours): ${a.count} entries, from ${a.first} to ${a.last}; by action: ${list(a.byAction)}.`;

const runsLine = (rows: RunRow[]) =>
  rows.length ? `Latest runs: ${rows.map((r) => `${r.runId} ${r.status} (${r.mode}, started ${r.startedAt}): ${r.leads ?? 'no'} leads, ${r.drafts ?? 'no'} drafts, ${r.errors} errors`).join('; ')}.` : 'No pipeline run recorded yet.';

const kpisLine = (k: KpiRow, segments: readonly string[]) =>
  `Engagement since ${k.since}: counts ${list(k.counts)}; rates (fractions) ${Object.entries(k.rates)
    .map(([n, v]) => `${n} ${v === null ? 'n/a (nothing sent)' : v}`)
    .join(', ')}.${segments.length ? ` Rates by segment (${segments.join(', ')}) are not held: these rates are over every lead, not split by company size.` : ''}`;

const cadenceLine = (c: Record<string, number>) => (Object.keys(c).length ? `Cadence enrolments: ${list(c)}.` : 'No cadence enrolment yet.');

const statusLine = (c: Record<string, number>) => (Object.keys(c).length ? `Leads by status: ${list(c)} (stalled and ghosted are statuses the daily decay run sets).` : 'No lead stored yet.');

const rolesLine = (roles: RoleSummary[]) =>
  `Agent roles and permissions (checked by the registry on every call): ${roles
    .filter((r) => r.enabled)
    .map((r) => `${r.role}${r.readOnly ? ' (read-only)' : ''}: allowed_actions ${r.allowedCount}, blocked_actions ${r.blockedCount}`)
    .join('; ')}; merged roles: ${roles
    .filter((r) => !r.enabled)
    .map((r) => `${r.role} into ${r.mergedInto}`)
    .join(', ')}.`;

const redactLine = (r: RedactResult) =>
  r.logs
    ? `PII and secret scan over the ${r.logs.over} of the last ${r.logs.sinceHours} hours: ${r.logs.scanned} entries scanned, ${r.logs.entriesMasked} with something masked (${r.logs.found.length ? r.logs.found.join(', ') : 'nothing sensitive found'}); the request itself: ${r.found.length ? `${r.found.join(', ')} masked` : 'nothing sensitive found'}.`
    : `Redacted (${r.found.length ? r.found.join(', ') : 'nothing sensitive found'}); safe summary of the text: ${r.redacted}`;

const valueText = (v: string | number | null) => (v === null || v === '' ? 'missing (not found, not verified)' : String(v));
const FIELD_WORDS: Record<string, string> = { title: 'job title', 'company.name': 'company', 'company.domain': 'company domain', 'company.industry': 'industry', 'company.employeeCount': 'employees' };

const enrichLine = (r: EnrichRow): string => {
  if (r.outcome === 'suppressed') return `Lead ${r.leadId} was not kept: the enrichment revealed someone on the suppression list, so what was found was dropped (as the pipeline does).`;
  const head =
    r.outcome === 'matched'
      ? `Lead ${r.leadId} enriched through ${r.providers} (found: ${r.found.join(', ') || 'nothing new'}; enrichment quality ${r.quality ?? 'not measured'}).`
      : `Lead ${r.leadId}: no provider of ${r.providers} matched (${r.missReason ?? 'no reason given'}); the lead is stored as unenriched and nothing is marked verified.`;
  const fields = r.fields.map((f) => `${FIELD_WORDS[f.field] ?? f.field} ${valueText(f.value)}${f.value !== null && f.source ? ` (source ${f.source})` : ''}`).join('; ');
  const fit = r.icpFit
    ? `ICP fit score ${r.icpFit.points}/100, ${r.icpFit.tier}${r.icpFit.disqualification ? `, disqualified: ${r.icpFit.disqualification}` : ''} (scored live on the enriched lead, not stored: the pipeline's scoring stores scores).`
    : 'ICP fit score: not scored (nothing was enriched).';
  const credits = Object.keys(r.credits).length ? ` Credits spent: ${list(r.credits)}.` : '';
  return `${head} Fields: ${fields}; technologies ${r.technologies.length ? r.technologies.join(', ') : 'none on record'}. ${fit}${r.duplicateOf ? ` The e-mail found belongs to lead ${r.duplicateOf}: this lead was folded into it.` : ''}${credits}`;
};

const rejectionsLine = (r: RejectionsFound): string => {
  if (r.read === 0) return 'Rejected drafts: none recorded, so there are no rejection categories or failure patterns to show (no evidence, nothing invented).';
  const tags = Object.entries(r.byTag)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} ${n} (${r.tagLabels[t] ?? t})`)
    .join(', ');
  return [
    `Rejected drafts: the latest ${r.read} rejections (asked: up to ${r.limit}), from ${r.first} to ${r.last}.`,
    `Rejection categories (the reviewers' tags): ${tags}. By angle: ${list(r.byAngle)}.`,
    r.patterns.length ? `Failure patterns (a tag on one angle at least twice): ${r.patterns.map((p) => `${p.tag} on ${p.angleId} ${p.count}`).join('; ')}.` : 'Failure patterns: no tag recurs on one angle in these rejections.',
    `Evidence (the reviewers' reasons): ${r.evidence.map((e) => `draft ${e.draftId} (${e.tag}, ${e.angleId}): "${e.reason}"`).join('; ')}.`,
    'Prompt updates: none can be proposed, as drafts are not written by a prompt: they are rendered from the angle templates (src/domain/drafting/angles), so a change is an edit to the template of the angle and tag above, made and reviewed by a person.',
  ].join('\n');
};

const slackLine = (r: SlackAlertRow) => `Alert status: ${r.status}. Text: "${r.text}".`;

const techStackLine = (r: TechStackFound): string => {
  const using = r.uses.length ? ` using ${r.uses.join(' or ')}` : '';
  if (r.count === 0) return r.read && r.uses.length ? `Tech stack: none of the ${r.read} stored leads read has ${r.uses.join(' or ')} on record.` : 'Tech stack: no stored lead matches, so no technologies to show.';
  const rows = r.leads.map(
    (l) =>
      `${l.company ?? 'company unknown'} (${l.domain ?? 'no domain'}, lead ${l.leadId}): ${l.technologies.length ? `${l.technologies.join(', ')} (source ${l.source ?? 'not recorded'}); scorer: ${l.stackReason}` : 'no technologies on record (missing, not guessed)'}`,
  );
  const counts = Object.keys(r.byTechnology).length ? ` Leads per technology: ${list(r.byTechnology)}.` : '';
  return `Tech stack of ${r.count} stored leads${using}${r.uses.length ? ` (of ${r.read} read)` : ''} (from enrichment; ${r.withoutTechnologies} with none on record): ${rows.join('; ')}.${counts}`;
};

/** The arguments a held write would run with, in words (what --yes would do). */
const heldArgs = (o: ToolOutcome): string => {
  if (o.tool === 'pipeline.run' && typeof o.args.limit === 'number')
    return o.args.source === 'rb2b'
      ? ` over the RB2B website visitors, up to ${o.args.limit} (each visitor is matched to a contact by enrichment, Apollo People Match by the LinkedIn URL, and drafted with the visit in mind as rb2b.mentionVisit allows; approval required: every draft waits in the review queue for a person, and nothing is sent from here)`
      : ` for up to ${o.args.limit} leads`;
  if (o.tool === 'campaign.pause' && typeof o.args.campaign === 'string') return ` of campaign ${o.args.campaign}`;
  if (o.tool === 'lead.enrich' && (typeof o.args.id === 'string' || typeof o.args.email === 'string')) return ` for lead ${typeof o.args.id === 'string' ? o.args.id : 'with the e-mail given'}`;
  // The text as it would be posted: addresses and secrets masked, as the act masks them.
  if (o.tool === 'slack.alert' && typeof o.args.text === 'string') return ` with the text "${redactText(o.args.text).redacted}"`;
  if (o.tool === 'calendar.book' && typeof o.args.replyId === 'string') return ` for reply ${o.args.replyId}${typeof o.args.slot === 'string' ? ` at ${o.args.slot}` : ''}`;
  return '';
};

const outcomeLine = (o: ToolOutcome, understanding: Understanding): string => {
  if (o.status === 'denied') return `${o.tool} was refused by the agent registry: ${o.error}.`;
  if (o.status === 'failed') return `${o.tool} could not be read: ${o.error}; that data is missing from this answer.`;
  if (o.status === 'missing_input') return `Not run: ${o.tool} (${QUEEN_TOOLS[o.tool as keyof typeof QUEEN_TOOLS]?.does ?? 'a tool'}) needs more input: ${o.error}.`;
  if (o.status === 'needs_confirmation')
    return `Planned, not run: ${o.tool}${heldArgs(o)} (${QUEEN_TOOLS[o.tool as keyof typeof QUEEN_TOOLS]?.does ?? 'writes'}). It writes, so it needs confirmation: repeat with --yes (on the dashboard: Confirm and run).${o.tool === 'slack.alert' ? ' Alert status: not posted.' : ''}`;
  const r = o.result;
  switch (o.tool) {
    case 'score.describe':
      return scoreLine(r as ScoreResult);
    case 'score.rules':
      return rulesLine(r as ScoreRules, understanding.intents.includes('competitor_policy'));
    case 'leads.search':
      return leadsLine(r as LeadsFound, o.args);
    case 'leads.status':
      return statusLine(r as Record<string, number>);
    case 'drafts.queue':
      return draftsLine(r as DraftCounts);
    case 'limits.usage':
      return limitsLine(r as LimitsRow);
    case 'providers.health':
      return healthLine(r as ProviderHealthRow);
    case 'incidents.open':
      return incidentsLine(r as IncidentsOpen);
    case 'audit.search':
      return auditLine(r as AuditSummary);
    case 'runs.recent':
      return runsLine(r as RunRow[]);
    case 'kpis.rates':
      return kpisLine(r as KpiRow, understanding.entities.segments);
    case 'cadence.counts':
      return cadenceLine(r as Record<string, number>);
    case 'agents.permissions':
      return rolesLine(r as RoleSummary[]);
    case 'privacy.redact':
      return redactLine(r as RedactResult);
    case 'replies.classify':
      return classifyLine(r as ReplyReading);
    case 'replies.recent':
      return repliesLine(r as RepliesFound, o.args);
    case 'calendar.slots':
      return slotsLine(r as SlotsFound);
    case 'calendar.book':
      return bookLine(r as BookingRow);
    case 'meeting.brief':
      return meetingsLine(r as MeetingsFound, o.args);
    case 'learning.report':
      return learningLine(r as LearningRow);
    case 'visitors.recent':
      return visitorsLine(r as VisitorsFound);
    case 'copy.check':
      return copyCheckLine(r as CopyCheckResult);
    case 'draft.preview':
      return previewLine(r as DraftPreview);
    case 'visitors.contacts':
      return visitorContactsLine(r as VisitorContactsFound);
    case 'webhooks.recent':
      return webhooksLine(r as WebhooksRow);
    case 'pipeline.run': {
      const p = r as { runId: string; status: string; leads: number; drafts: number; tiers?: Record<string, number> };
      const tiers = p.tiers && Object.keys(p.tiers).length ? ` Tier distribution: ${list(p.tiers)}.` : '';
      return `Pipeline run ${p.runId} ${p.status}: ${p.leads} leads, ${p.drafts} drafts queued in the approval queue for a person's review; nothing was sent.${tiers}`;
    }
    case 'lead.enrich':
      return enrichLine(r as EnrichRow);
    case 'slack.alert':
      return slackLine(r as SlackAlertRow);
    case 'drafts.rejections':
      return rejectionsLine(r as RejectionsFound);
    case 'leads.tech_stack':
      return techStackLine(r as TechStackFound);
    case 'batch.create': {
      const b = r as { batchId: string; items: number; expiresAt: string };
      return `Batch ${b.batchId} created with ${b.items} actions, waiting for a person's approval until ${b.expiresAt}; nothing was sent.`;
    }
    case 'campaign.pause': {
      const c = r as { campaign: string; provider: string; status: string };
      return `Campaign ${c.campaign} at ${c.provider} is now ${c.status}.`;
    }
    case 'dispatch.emergency_stop': {
      const s = r as { at: string; paused: Record<string, string | number> };
      return `Emergency stop set at ${s.at}: every send is held; paused at the providers: ${JSON.stringify(s.paused)}. Only a person lifts it (caio operator resume).`;
    }
    default:
      return `${o.tool}: ${JSON.stringify(r)}`;
  }
};

const preamble = (u: Understanding): string[] => {
  const lines: string[] = [];
  for (const r of u.refusals) lines.push(`Request denied, cannot comply (${r.rule}): ${r.reason}. Action blocked: nothing was run for it. Safe alternative: ${r.instead}.`);
  if (u.conflicting) lines.push('The request holds conflicting constraints (send, and do not send until approved): the stricter one wins, nothing is sent; the safe next step is the approval path (drafts and batches wait for a person).');
  for (const x of u.unsupported) lines.push(`Unsupported feature (${x.capability}): ${x.instead}.`);
  return lines;
};

/** The answer to one ask, from its understanding and the tool calls' outcomes. */
export const composeAnswer = (u: Understanding, outcomes: ToolOutcome[]): string => {
  if (u.intent === 'empty') return `The request is empty: nothing to do. Ask in plain words. ${supported()}`;
  if (u.intent === 'too_long') return 'Refused (REQUEST_TOO_LONG): the request is too long to be a plain-words ask; nothing was read or run. Ask one question at a time.';
  const lines = preamble(u);
  if (u.intent === 'clarify')
    lines.push(
      `Which outcome do you want (a clarifying question, nothing was run)? Objective options: score a lead you describe, look up leads, show the review queue, runs, KPIs, cadence, health, audit or send limits, classify a reply or show the latest replies, the calendar's free slots, meeting briefs, the learning report, website visitors and which are stored contacts, webhook deliveries, a lead's tech stack, check a pasted e-mail against the drafting rules, preview the draft for a lead you describe, run the pipeline, enrich a stored lead, post a Slack alert, create a batch, book a reply's meeting, pause a campaign, set the emergency stop. Required inputs: for a lead, its title, company size and industry; for a lookup, an e-mail, domain or tier; for the audit, a time range.`,
    );
  if (u.intent === 'out_of_scope')
    lines.push(
      `${u.otherLanguage ? 'The request does not look like English, which is the only language this grammar reads; ' : ''}this is out of scope: QUEEN answers about this system's leads, drafts, runs, sends and health. ${supported()}`,
    );
  if (u.intent === 'unsupported' || (u.unsupported.length > 0 && outcomes.length === 0)) lines.push(`Alternative approach: ${supported()}`);
  for (const o of outcomes) lines.push(outcomeLine(o, u));
  lines.push(...shapedSections(u, outcomes, QUEEN_TOOL_NAMES));
  if (lines.length === 0) lines.push(`Nothing matched a tool. ${supported()}`);
  return lines.join('\n');
};
