import { ACTIONS, GROUNDING_MAX_AGE_MS, GROUNDING_SOURCES, RISK_POLICIES } from '../agents/index.js';
import type { Understanding } from './grammar.js';
import type { AuditSummary, DraftCounts, IncidentsOpen, LimitsRow, ProviderHealthRow, RunRow, ToolOutcome } from './results.js';
import { countsList, resultOf } from './section-reads.js';

/**
 * The operational shapes of answer: why something was blocked, a diagnostic, a daily ops report and
 * a plan for a volume beyond the limits. Each section is written from the results of the tools that
 * ran (health, incidents, audit day, review queue, runs, limits); evidence is cited with its time
 * and id, a likely cause is called likely, and what these tools do not hold is named as a gap. Pure.
 */

/** Audit actions that record something held back: a rejection by a guard, a refusal, a stop. */
const BLOCK_ACTION = /(?:\.rejected|[._]refused|\.stopped|\.denied|\.blocked)$/;

const blocksOf = (audit: AuditSummary) => Object.fromEntries(Object.entries(audit.byAction).filter(([a]) => BLOCK_ACTION.test(a)));

const blockedEntry = (e: AuditSummary['entries'][number]) => `${e.action} ${e.entityType} ${e.entityId ?? '(no id)'} at ${e.at} by ${e.actor}: ${e.reason ? `reason ${e.reason}` : 'no reason recorded in the entry'}`;

export const blockSections = (outcomes: readonly ToolOutcome[]): string[] => {
  const audit = resultOf<AuditSummary>(outcomes, 'audit.search');
  const lines: string[] = [];
  if (!audit) lines.push('Blocked: the audit log could not be read for this ask, so the block itself is not shown.');
  else {
    const blocks = blocksOf(audit);
    const latest = audit.entries.filter((e) => BLOCK_ACTION.test(e.action));
    lines.push(
      Object.keys(blocks).length
        ? `Blocked in the last ${audit.sinceHours} hours (audit log): ${countsList(blocks)}${latest.length ? `; ${latest.map(blockedEntry).join('; ')}` : ''}.`
        : `Blocked: no rejected, refused or stopped entry in the audit log over the last ${audit.sinceHours} hours; name the message (its draft or outbox id) or a wider window to look further.`,
    );
  }
  const risk = ACTIONS.send_email.risk;
  const policy = RISK_POLICIES[risk];
  const fresh = GROUNDING_MAX_AGE_MS === 3_600_000 ? 'within the last hour' : 'recently';
  lines.push(
    `What a send must show to pass the guardrails (the agent registry checks every send; send_email is ${risk} risk, ${policy.meaning}): ${
      policy.requiresGrounding ? `grounding evidence from a required source, one of ${GROUNDING_SOURCES.join(', ')}, verified ${fresh}` : 'no grounding evidence'
    }; ${policy.requiresApproval ? 'a recorded human approval' : "a person's approval of the draft in review and of its batch"}; then the dispatch guards (the recipient guards such as suppression, the send quotas and windows, the emergency stop).`,
  );
  lines.push(
    "Next step: read the block's reason (caio audit --json), fix what it names (the lead's data or its source, a quota or window, a suppression), and let the message go again only through review and an approved batch; QUEEN neither bypasses a guardrail nor approves.",
  );
  return lines;
};

type Evidence = { cause: string; mitigation: string };

/** What the tools that ran show as abnormal, most blocking first, each with the step that answers it. */
const evidenceOf = (outcomes: readonly ToolOutcome[]): Evidence[] => {
  const health = resultOf<ProviderHealthRow>(outcomes, 'providers.health');
  const incidents = resultOf<IncidentsOpen>(outcomes, 'incidents.open');
  const limits = resultOf<LimitsRow>(outcomes, 'limits.usage');
  const audit = resultOf<AuditSummary>(outcomes, 'audit.search');
  const runs = resultOf<RunRow[]>(outcomes, 'runs.recent');
  const found: Evidence[] = [];
  if (health?.emergencyStop.active)
    found.push({
      cause: `the emergency stop is set (by ${health.emergencyStop.setBy ?? 'the environment'}: ${health.emergencyStop.reason ?? 'no reason given'})`,
      mitigation: 'a person decides whether to lift the emergency stop (caio operator resume) once its reason is dealt with',
    });
  for (const b of health?.breakers.filter((x) => x.state !== 'closed') ?? [])
    found.push({ cause: `${b.provider} breaker ${b.state} since ${b.changedAt}`, mitigation: `check ${b.provider} (caio providers check): its breaker lets traffic through again once a probe succeeds` });
  for (const i of incidents?.incidents ?? []) found.push({ cause: `open incident ${i.key} (level ${i.level} since ${i.openedAt}: ${i.title})`, mitigation: `work the incident ${i.key} (caio operator incidents)` });
  if (limits && limits.emailToday.remaining === 0)
    found.push({ cause: `the e-mail daily limit is used up (${limits.emailToday.used} of ${limits.emailToday.limit})`, mitigation: 'sends resume in the next daily window; the limit is configuration, changed by a person' });
  const blocks = audit ? blocksOf(audit) : {};
  if (audit && Object.keys(blocks).length) found.push({ cause: `held-back sends in the audit log: ${countsList(blocks)}`, mitigation: "read each block's reason (caio audit --json) and fix what it names" });
  // Failed runs inside the audit window when there is one (older failures are history, not evidence of today).
  for (const r of runs?.filter((x) => x.status === 'failed' && (!audit || x.startedAt >= audit.since)) ?? [])
    found.push({ cause: `run ${r.runId} failed with ${r.errors} errors (started ${r.startedAt})`, mitigation: `read the failed run's stage errors (caio runs show ${r.runId})` });
  return found;
};

const healthWords = (outcomes: readonly ToolOutcome[]): string => {
  const health = resultOf<ProviderHealthRow>(outcomes, 'providers.health');
  if (!health) return 'not read (provider health could not be read for this ask)';
  const open = health.breakers.filter((b) => b.state !== 'closed');
  const blocking = [...(health.emergencyStop.active ? ['the emergency stop is set'] : []), ...open.map((b) => `${b.provider} breaker ${b.state}`)];
  return `${blocking.length ? `degraded: ${blocking.join(', ')}` : 'no failure recorded'}${health.breakers.length ? '' : ' (no breaker transition recorded: no data, not a clean bill of health)'}`;
};

const queueWords = (d: DraftCounts) => `review queue pending ${d.pending_review}, approved ${d.approved}, rejected ${d.rejected}${Object.keys(d.other).length ? `, ${countsList(d.other)}` : ''}`;

const GAPS = 'these tools hold no per-day send volume series and no per-provider latency or error rate (those are in /metrics), so the size of a drop is not measured here';

export const diagnosticSections = (_u: Understanding, outcomes: readonly ToolOutcome[]): string[] => {
  const audit = resultOf<AuditSummary>(outcomes, 'audit.search');
  const drafts = resultOf<DraftCounts>(outcomes, 'drafts.queue');
  const evidence = evidenceOf(outcomes);
  const window = audit ? ` over a ${audit.sinceHours}h window (audit since ${audit.since})` : '';
  return [
    `Diagnostic${window}:`,
    `- Health status: ${healthWords(outcomes)}.`,
    `- Evidence: ${evidence.length ? evidence.map((e) => e.cause).join('; ') : 'nothing abnormal in the data read'}.`,
    `- Queue metrics: ${drafts ? `${queueWords(drafts)}; drafts pending review cannot be sent until a person approves them, so a backlog there holds volume back before any send guard` : 'the review queue could not be read for this ask'}.`,
    `- Diagnostic conclusion: ${evidence[0] ? `likely root cause: ${evidence[0].cause}; likely, not proven, as ${GAPS}` : `no root cause is visible in the data read; ${GAPS}`}.`,
    `- Mitigation steps: ${evidence.length ? evidence.map((e) => e.mitigation).join('; ') : 'none called for by the data read; watch /metrics and the incidents'}. Recovery is declared only when the breakers are closed and the incidents resolved.`,
  ];
};

const MOVEMENT = /^(?:review|batch|run|dispatch|outbox|gateway|campaign)\./;
const APPROVALS = /^(?:review\.(?:approve|reject)|batch\.(?:approve|reject)\w*)$/;

export const opsReportSections = (outcomes: readonly ToolOutcome[]): string[] => {
  const audit = resultOf<AuditSummary>(outcomes, 'audit.search');
  const drafts = resultOf<DraftCounts>(outcomes, 'drafts.queue');
  const runs = resultOf<RunRow[]>(outcomes, 'runs.recent');
  const of = (re: RegExp) => (audit ? Object.fromEntries(Object.entries(audit.byAction).filter(([a]) => re.test(a))) : {});
  const moved = of(MOVEMENT);
  const approvals = of(APPROVALS);
  const evidence = evidenceOf(outcomes);
  const movement = [
    audit ? (Object.keys(moved).length ? `audit log ${countsList(moved)}` : 'no queue, batch or run movement in the audit log') : 'the audit log could not be read',
    drafts ? `${queueWords(drafts)} now` : null,
    runs?.length ? `latest runs ${runs.map((r) => `${r.runId} ${r.status}`).join(', ')}` : null,
  ].filter(Boolean);
  return [
    `Daily ops report${audit ? ` (the last ${audit.sinceHours} hours, since ${audit.since})` : ''}:`,
    `- Health: ${healthWords(outcomes)}.`,
    `- Queue movement: ${movement.join('; ')}.`,
    `- Approvals: ${audit ? (Object.keys(approvals).length ? `decisions by a person in the window: ${countsList(approvals)}` : 'no approval or rejection recorded in the window') : 'the audit log could not be read'}${drafts ? `; drafts at status approved now: ${drafts.approved}` : ''}.`,
    `- Risk flags: ${evidence.length ? evidence.map((e) => e.cause).join('; ') : 'none raised by the data read'}.`,
  ];
};

export const volumePlanSections = (outcomes: readonly ToolOutcome[]): string[] => {
  const limits = resultOf<LimitsRow>(outcomes, 'limits.usage');
  if (!limits) return ['Capacity constraint: the send limits could not be read for this ask; no volume is promised without them.'];
  const { emailToday: day, emailThisHour: hour, emailThisMonth: month } = limits;
  return [
    `Capacity constraint: every send counts against the configured limits: e-mail ${day.remaining} remaining of ${day.limit} today, ${hour.remaining} of ${hour.limit} this hour, ${month.remaining} of ${month.limit} this month (send mode ${limits.sendMode}); a volume beyond that cannot go out today, whatever is asked.`,
    'Phased plan: first the pipeline discovers, enriches, scores and drafts leads in runs (caio pipeline run --limit); then a person reviews the drafts (caio review); then approved drafts are frozen into a batch a person approves; last the OPERATOR dispatches it within the limits, window after window.',
    `Rate-limit-aware execution: the send gateway holds each send to the hourly, daily and monthly limits and defers what is over them to the next window; nothing beyond the ${day.remaining} e-mails left today is promised.`,
  ];
};
