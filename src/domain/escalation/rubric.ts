/**
 * Which escalation level an incident deserves (spec/dashboard.md "Escalation levels"): 1 is Slack,
 * 2 adds an SMS, 3 adds an e-mail. The original picked a level per caller (risk score, gatekeeper
 * urgency, hot-lead flag); operational failures had no rubric at all. This one weighs the three
 * things a head of sales cares about when something breaks: what failed, for how long, and how many
 * leads it touches. Pure: time is an argument.
 */

export const INCIDENT_KINDS = ['provider_unavailable', 'breaker_open', 'send_failures', 'campaign_paused', 'queue_backlog', 'jobs_failing', 'pipeline_failed', 'emergency_stop', 'approval_waiting'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export type Incident = {
  /** Stable identity across processes and reports, e.g. `provider:apollo:unavailable`. */
  key: string;
  kind: IncidentKind;
  title: string;
  detail: string;
  /** When the failure started (not when it was reported). */
  since: Date;
  leadsAffected: number;
  /** Whether outbound sending is blocked or degraded by this failure. */
  sendingAffected: boolean;
};

export type EscalationLevel = 1 | 2 | 3;
export type EscalationChannel = 'slack' | 'sms' | 'email';

const MINUTE = 60_000;

/**
 * The rubric's thresholds; every comparison is "at least".
 *
 * Level 3 (Slack + SMS + e-mail): a person must act now.
 * - `criticalKinds`: an emergency stop halts all outreach, and a campaign is only paused
 *   automatically when bounces or complaints put the sending domain at risk; both need a human
 *   decision however short or small they are.
 * - `sendingMinutes` 30: sending is quota-bound by the day and by warm-up, so half an hour of lost
 *   sending is volume that cannot be made up later in the day.
 * - `leads` 100: about a full day's batch of outreach is stuck or at risk.
 *
 * Level 2 (Slack + SMS): it did not heal itself.
 * - `minutes` 15: retries, backoff and breakers are meant to ride out blips; the longest default
 *   breaker window (email_sending, 600 s) is 10 minutes, so 15 minutes means recovery failed.
 * - `leads` 25: more than a handful of leads, i.e. a batch rather than a bad record.
 *
 * Anything else is level 1 (Slack only): someone should look when they next check.
 */
export const ESCALATION_THRESHOLDS = {
  level3: { criticalKinds: ['emergency_stop', 'campaign_paused'] as readonly IncidentKind[], sendingMinutes: 30, leads: 100 },
  level2: { minutes: 15, leads: 25 },
} as const;

const CHANNELS: Record<EscalationLevel, readonly EscalationChannel[]> = {
  1: ['slack'],
  2: ['slack', 'sms'],
  3: ['slack', 'sms', 'email'],
};

export type EscalationAssessment = { level: EscalationLevel; minutes: number; reasons: string[] };

/**
 * A batch waiting for approval is not a failure: it escalates by how long it has waited, at the
 * plan's timeouts (spec/dashboard.md: 30 min, 2 h, 4 h). Before `level1` nobody is paged: the new
 * batch's own Slack post is the first call.
 */
export const APPROVAL_WAIT_MINUTES = { level1: 30, level2: 120, level3: 240 } as const;

const assessApprovalWait = (minutes: number): EscalationAssessment => {
  const waited = minutes >= 120 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  const level: EscalationLevel = minutes >= APPROVAL_WAIT_MINUTES.level3 ? 3 : minutes >= APPROVAL_WAIT_MINUTES.level2 ? 2 : 1;
  return { level, minutes, reasons: [`waiting for approval for ${waited}`] };
};

/** Whether a batch created `createdAt` has waited long enough to be escalated at all. */
export const approvalWaitIsDue = (createdAt: Date, now: Date): boolean => minutesSince(createdAt, now) >= APPROVAL_WAIT_MINUTES.level1;

/** Whole minutes since the failure started; a `since` in the future (clock skew) counts as 0. */
export const minutesSince = (since: Date, now: Date): number => Math.max(0, Math.floor((now.getTime() - since.getTime()) / MINUTE));

/** The level and the reasons a person reads in the page ("sending affected for 42 min"). */
export const assessEscalation = (incident: Incident, now: Date): EscalationAssessment => {
  const elapsedMs = Math.max(0, now.getTime() - incident.since.getTime());
  const minutes = minutesSince(incident.since, now);
  const leads = Math.max(0, incident.leadsAffected);
  const { level3, level2 } = ESCALATION_THRESHOLDS;
  if (incident.kind === 'approval_waiting') return assessApprovalWait(minutes);

  const critical: string[] = [];
  if (level3.criticalKinds.includes(incident.kind)) critical.push(incident.kind === 'emergency_stop' ? 'emergency stop is active' : 'a campaign was paused automatically');
  if (incident.sendingAffected && elapsedMs >= level3.sendingMinutes * MINUTE) critical.push(`sending affected for ${minutes} min`);
  if (leads >= level3.leads) critical.push(`${leads} leads affected`);
  if (critical.length) return { level: 3, minutes, reasons: critical };

  const serious: string[] = [];
  if (elapsedMs >= level2.minutes * MINUTE) serious.push(`failing for ${minutes} min`);
  if (leads >= level2.leads) serious.push(`${leads} leads affected`);
  if (serious.length) return { level: 2, minutes, reasons: serious };

  return { level: 1, minutes, reasons: [minutes > 0 ? `failing for ${minutes} min` : 'just started'] };
};

export const escalationLevel = (incident: Incident, now: Date): EscalationLevel => assessEscalation(incident, now).level;

/** The channels a level pages, in the order they are tried. */
export const describeLevel = (level: EscalationLevel): readonly EscalationChannel[] => CHANNELS[level];

export const isEscalationLevel = (n: number): n is EscalationLevel => n === 1 || n === 2 || n === 3;
