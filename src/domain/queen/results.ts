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
  entries: { at: string; actor: string; action: string; entityType: string; entityId: string | null; runId: string | null; reason: string | null }[];
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
export type RedactResult = {
  redacted: string;
  found: string[];
  /** The scan over the audit entries of a window, when logs were asked for with their secrets or personal data. */
  logs?: { over: string; sinceHours: number; scanned: number; entriesMasked: number; found: string[] };
};
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
/** A lead with website visits on its timeline: its source, and the other stored leads at its company domain. */
export type VisitorContactRow = {
  leadId: string;
  company: string | null;
  domain: string | null;
  title: string | null;
  source: string;
  status: string;
  tier: string | null;
  visits: number;
  lastVisit: string | null;
  sameCompanyLeads: number;
};
/**
 * Contact mapping of the website visitors: `stored_contact` when the visit landed on a lead we held
 * (RB2B's e-mail or LinkedIn URL matched it when the visit came in: the same person); `new_from_rb2b`
 * when no stored lead matched (the lead was created from the visit; the rb2b pipeline run matches it
 * to a contact by Apollo People Match on the LinkedIn URL). Stored leads at the same company domain
 * are the same account, not the same person.
 */
export type VisitorContactsFound = {
  count: number;
  storedContacts: number;
  newFromRb2b: number;
  visitors: (VisitorContactRow & { mapping: 'stored_contact' | 'new_from_rb2b' })[];
};
export type WebhooksRow = { sinceHours: number; since: string; total: number; byProvider: Record<string, Record<string, number>>; last: string | null };
/** One stored lead's company technologies, as enrichment stored them, and the provider they came from. */
export type TechStackRow = { leadId: string; company: string | null; domain: string | null; status: string; technologies: string[]; source: string | null };
/** The tech stack read: per lead, what the scorer makes of the stack (its tech_stack component), and counts per technology. */
export type TechStackFound = {
  count: number;
  /** Leads read before the filter by the tools asked about (`uses`). */
  read: number;
  uses: string[];
  leads: (TechStackRow & { stackPoints: number; stackReason: string })[];
  byTechnology: Record<string, number>;
  /** Leads read that hold no technology on record (not enriched with one, or the provider had none). */
  withoutTechnologies: number;
};
/** One lead enriched on request (lead.enrich): what the waterfall found, each field's source, and the live ICP fit (not stored). */
export type EnrichRow = {
  leadId: string;
  outcome: 'matched' | 'miss' | 'suppressed';
  providers: string;
  found: string[];
  missReason: string | null;
  fields: { field: string; value: string | number | null; source: string | null }[];
  technologies: string[];
  quality: number | null;
  credits: Record<string, number>;
  icpFit: { points: number; tier: string; disqualification: string | null; stored: false } | null;
  duplicateOf: string | null;
};
/** A Slack alert asked for (slack.alert): posted or not, and why not. */
export type SlackAlertRow = { posted: boolean; status: string; text: string; chars: number };
/** One rejection of a draft by a reviewer (the rejection memory): its tag from the taxonomy, the reviewer's reason, the draft's angle. */
export type RejectionRow = { draftId: string; leadId: string; tag: string; reason: string; angleId: string; subject: string; rejectedAt: string };
/** The latest rejections read and grouped: by tag (the reviewers' categories), by angle, the tag-and-angle pairs that recur, and the reasons as evidence. */
export type RejectionsFound = {
  read: number;
  limit: number;
  first: string | null;
  last: string | null;
  byTag: Record<string, number>;
  tagLabels: Record<string, string>;
  byAngle: Record<string, number>;
  /** A tag on one angle at least twice, most frequent first. */
  patterns: { tag: string; angleId: string; count: number }[];
  /** Up to two rejections per top tag, with the reviewer's reason (masked). */
  evidence: { tag: string; draftId: string; angleId: string; reason: string }[];
};
