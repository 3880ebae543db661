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
  entries: { at: string; actor: string; action: string; entityType: string; entityId: string | null }[];
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
