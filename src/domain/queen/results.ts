/** What each of QUEEN's tools answers, as the ask use case hands it to the answer. */
export type LeadRow = { id: string; email: string | null; company: string | null; title: string | null; tier: string | null; points: number | null; status: string };
export type LeadQuery = { id: string | null; email: string | null; domain: string | null; tier: string | null; limit: number };
export type RunRow = { runId: string; mode: string; status: string; startedAt: string; leads: number | null; drafts: number | null; errors: number };
export type KpiRow = { since: string; counts: Record<string, number>; rates: Record<string, number | null> };
export type IncidentRow = { key: string; level: number; openedAt: string; title: string };
export type ProviderHealthRow = { breakers: { provider: string; state: string; changedAt: string }[]; emergencyStop: { active: boolean; setBy: string | null; reason: string | null } };
export type QuotaRow = { used: number; limit: number; remaining: number };
export type LimitsRow = { sendMode: string; emailToday: QuotaRow; emailThisHour: QuotaRow; emailThisMonth: QuotaRow; linkedinToday: QuotaRow };

export type AuditSummary = {
  sinceHours: number;
  since: string;
  count: number;
  byAction: Record<string, number>;
  first: string | null;
  last: string | null;
  /** The latest entries; `reason` is the entry's recorded reason (a refusal's, a rejection's), when it has one. */
  entries: { at: string; actor: string; action: string; entityType: string; entityId: string | null; reason: string | null }[];
};
export type ScoreResult = {
  described: { title: string | null; employeeCount: number | null; industry: string | null; technologies: string[] };
  points: number;
  tier: string;
  reasons: string[];
  disqualification: string | null;
  recommendedCampaign: string;
  /** What the request did not state (scored as unknown, never guessed). */
  notStated: string[];
};
export type ScoreRules = { tiers: { tier1: number; tier2: number; tier3: number }; competitorDomains: number; competitorCompanyNames: number; excludedDomains: number };
export type RoleSummary = { role: string; enabled: boolean; mergedInto: string | null; readOnly: boolean; allowedActions: string[]; blockedActions: string[]; allowedCount: number; blockedCount: number };
export type LeadsFound = { count: number; leads: LeadRow[] };
export type IncidentsOpen = { count: number; incidents: IncidentRow[] };
export type RedactResult = { redacted: string; found: string[] };
export type DraftCounts = { pending_review: number; approved: number; rejected: number; other: Record<string, number> };

/** A tool call as it went: its answer, or why it did not run. */
export type ToolOutcome = {
  tool: string;
  args: Record<string, unknown>;
  status: 'ok' | 'denied' | 'failed' | 'needs_confirmation' | 'missing_input';
  durationMs: number;
  result?: unknown;
  error?: string;
};

/** A stored reply as QUEEN shows it: its class and evidence, never the sender's address. */
export type ReplyRow = {
  id: string;
  channel: string;
  receivedAt: string;
  class: string;
  kind: string | null;
  confidence: number;
  evidence: string[];
  proposedTimes: string[];
  needsResponse: boolean;
  appointmentId: string | null;
};
export type RepliesFound = { count: number; byClass: Record<string, number>; replies: ReplyRow[] };
/** A reply text given in the request, read by the reply understanding (src/domain/replies). */
export type ReplyReading = { class: string; kind: string | null; confidence: number; evidence: string[]; proposedTimes: { at: string; text: string; precision: string }[]; returnDate: string | null; chars: number };
/** Free slots of the calendar the SCHEDULER books on, in a time zone (a reply's, else the owner's). */
export type SlotsRow = { replyId: string | null; timeZone: string; calendar: boolean; bookingUrl: string | null; slots: { at: string; label: string }[] };
/** Where the slots' time zone came from: the reply's lead, the request, or the owner's (dispatch.timeZone). */
export type SlotsFound = SlotsRow & { zoneFrom: 'reply' | 'request' | 'owner' };
export type BookingRow = { replyId: string; slot: string; booked: boolean; status: string; error: string | null };
/** A booked meeting and its brief (the one the morning brief job delivers). */
export type MeetingRow = { replyId: string; appointmentId: string; slot: string; brief: { title: string; text: string } | null };
export type MeetingsFound = { from: string; to: string; count: number; meetings: MeetingRow[] };
export type RateArm = { name: string; n: number; successes: number; rate: number | null; low: number; high: number };
export type LearningRow = {
  since: string;
  until: string;
  sent: number;
  /** The verdict rule: the significance level and the smallest arm compared. */
  alpha: number;
  minSample: number;
  variants: Record<string, { arms: RateArm[]; verdict: string }>;
  angles: Record<string, { arms: RateArm[]; verdict: string }>;
  suggestions: string[];
};
export type VisitorRow = { leadId: string; company: string | null; domain: string | null; title: string | null; status: string; tier: string | null; points: number | null; visits: number; lastVisit: string | null };
export type VisitorsFound = { count: number; visitors: VisitorRow[] };
export type WebhooksRow = { sinceHours: number; since: string; total: number; byProvider: Record<string, Record<string, number>>; last: string | null };
