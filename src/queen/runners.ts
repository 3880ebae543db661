import { ACTIONS, AGENTS, effectiveActionsOf } from '../domain/agents/index.js';
import { checkPastedCopy, previewDraft, redactText, type AuditSummary, type DraftCounts, type RoleSummary, type ScoreResult, type ScoreRules, type RejectionsFound, type TechStackFound } from '../domain/queen/index.js';
import { rejectionTagLabel } from '../domain/labels.js';
import { emptyLead } from '../domain/lead.js';
import { TIERS, type Tier } from '../domain/tier.js';
import { understandReply } from '../domain/replies/index.js';
import { scoreLead } from '../domain/scoring/score-lead.js';
import type { QueenDeps } from './ports.js';

/** Each of QUEEN's tools as it runs over the use case's ports (ask.ts checks it first: registry, inputs, confirmation). */
const TRACE_ACTION = 'queen.ask';

export type Runner = (args: Record<string, unknown>, context: { request: string; by: string }) => Promise<unknown>;

export const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const scoreDescribed = (deps: QueenDeps, args: Record<string, unknown>): ScoreResult => {
  const lead = emptyLead();
  const described = { title: str(args.title), employeeCount: num(args.employeeCount), industry: str(args.industry), technologies: Array.isArray(args.technologies) ? args.technologies.map(String) : [] };
  lead.title = described.title;
  lead.email = str(args.email);
  lead.company.employeeCount = described.employeeCount;
  lead.company.industry = described.industry;
  lead.company.technologies = described.technologies;
  lead.sourceType = 'manual';
  const score = scoreLead(lead, deps.icp);
  const notStated = [described.title ? null : 'title', described.employeeCount === null ? 'company size' : null, described.industry ? null : 'industry', 'revenue', 'intent signals'].filter((x): x is string => x !== null);
  return { described, points: score.points, tier: score.tier, reasons: score.reasons, disqualification: score.disqualification?.reason ?? null, recommendedCampaign: score.recommendedCampaign, notStated };
};

/** What the scorer makes of a stack alone (its tech_stack component): the same points and reason a scored lead carries. */
const stackScore = (deps: QueenDeps, technologies: string[]) => {
  const lead = emptyLead();
  lead.company.technologies = technologies;
  const component = scoreLead(lead, deps.icp).components.find((c) => c.code === 'tech_stack');
  return { stackPoints: component?.points ?? 0, stackReason: component?.reason ?? 'not scored' };
};

const techStack = async (deps: QueenDeps, args: Record<string, unknown>): Promise<TechStackFound> => {
  const read = await deps.reads.techStack({ id: str(args.id), email: str(args.email), domain: str(args.domain), tier: null, limit: num(args.limit) ?? 20 });
  // "Which companies use HubSpot?": the leads read whose stored stack names one of the tools asked about.
  const uses = Array.isArray(args.uses) ? args.uses.map((t) => String(t).toLowerCase()) : [];
  const rows = uses.length ? read.filter((r) => r.technologies.some((t) => uses.includes(t.toLowerCase()))) : read;
  const byTechnology: Record<string, number> = {};
  for (const r of rows) for (const t of new Set(r.technologies.map((x) => x.toLowerCase()))) byTechnology[t] = (byTechnology[t] ?? 0) + 1;
  return {
    count: rows.length,
    read: read.length,
    uses,
    leads: rows.map((r) => ({ ...r, ...stackScore(deps, r.technologies) })),
    byTechnology,
    withoutTechnologies: rows.filter((r) => r.technologies.length === 0).length,
  };
};

/** The rejections grouped: what reviewers reject (tags), on which angles, which pairs recur, and their own words as evidence. */
const rejectionsFound = async (deps: QueenDeps, limit: number): Promise<RejectionsFound> => {
  const rows = await deps.reads.rejections(limit);
  const count = (key: (r: (typeof rows)[number]) => string) => rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + 1 }), {});
  const byTag = count((r) => r.tag);
  const pairs = count((r) => `${r.tag}\u0000${r.angleId}`);
  const patterns = Object.entries(pairs)
    .filter(([, n]) => n >= 2)
    .map(([k, n]) => ({ tag: k.split('\u0000')[0]!, angleId: k.split('\u0000')[1]!, count: n }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  const topTags = Object.entries(byTag)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([t]) => t);
  const evidence = topTags.flatMap((tag) =>
    rows
      .filter((r) => r.tag === tag)
      .slice(0, 2)
      .map((r) => ({ tag, draftId: r.draftId, angleId: r.angleId, reason: redactText(r.reason.slice(0, 160)).redacted })),
  );
  return {
    read: rows.length,
    limit,
    first: rows.at(-1)?.rejectedAt ?? null,
    last: rows[0]?.rejectedAt ?? null,
    byTag,
    tagLabels: Object.fromEntries(Object.keys(byTag).map((t) => [t, rejectionTagLabel(t)])),
    byAngle: count((r) => r.angleId),
    patterns,
    evidence,
  };
};

/** A PII and secret scan over the audit entries shown for the window (what a person asking for logs gets), not only the request. */
const scanAudit = async (deps: QueenDeps, sinceHours: number) => {
  const since = new Date(deps.clock.now().getTime() - sinceHours * 3_600_000);
  const entries = (await deps.reads.audit(since, 500)).filter((e) => e.action !== TRACE_ACTION);
  const found = new Set<string>();
  let masked = 0;
  for (const e of entries) {
    const r = redactText(JSON.stringify({ actor: e.actor, action: e.action, entityId: e.entityId, details: e.details }));
    if (r.found.length) masked++;
    r.found.forEach((f) => found.add(f));
  }
  return { over: 'audit log', sinceHours, scanned: entries.length, entriesMasked: masked, found: [...found] };
};

const roles = (): RoleSummary[] =>
  AGENTS.map((a) => {
    const effective = effectiveActionsOf(a);
    const blocked = Object.keys(ACTIONS).filter((x) => !effective.includes(x as never));
    return {
      role: a.role,
      enabled: a.enabled,
      mergedInto: a.mergedInto,
      readOnly: a.enabled && effective.every((x) => ACTIONS[x].risk === 'LOW'),
      allowedActions: [...effective],
      blockedActions: blocked,
      allowedCount: effective.length,
      blockedCount: blocked.length,
    };
  });

/** An audit entry's recorded reason (refusals and rejections carry one), masked like every text QUEEN shows. */
const reasonOf = (details: unknown): string | null => {
  const reason = details && typeof details === 'object' ? (details as Record<string, unknown>).reason : undefined;
  return typeof reason === 'string' && reason.trim() ? redactText(reason.slice(0, 200)).redacted : null;
};

const isTier = (v: string): v is Tier => (TIERS as readonly string[]).includes(v);

/** The preview of CRAFTER's copy for a lead described in words: at the tier asked for, else the tier the live scorer gives it. */
const draftPreview = (deps: QueenDeps, args: Record<string, unknown>) => {
  const persona = { title: str(args.title), company: str(args.company), industry: str(args.industry), employeeCount: num(args.employeeCount), technologies: Array.isArray(args.technologies) ? args.technologies.map(String) : [] };
  const asked = str(args.tier);
  const scored = asked && isTier(asked) ? null : scoreDescribed(deps, { ...persona });
  const tier: Tier = asked && isTier(asked) ? asked : isTier(scored!.tier) ? scored!.tier : 'tier_4';
  const preview = previewDraft({ persona, tier, tierFrom: scored ? 'score' : 'request', sequence: args.sequence === true, statedContext: str(args.context) }, deps.drafting);
  return { ...preview, ...(scored ? { score: { points: scored.points, tier: scored.tier } } : {}) };
};

/** Contact mapping: a visit on a lead of another source landed on a stored contact (matched by e-mail or LinkedIn URL on arrival). */
const visitorContacts = async (deps: QueenDeps, limit: number) => {
  const rows = await deps.reads.visitorContacts(limit);
  const visitors = rows.map((r) => ({ ...r, mapping: r.source === 'rb2b' ? ('new_from_rb2b' as const) : ('stored_contact' as const) }));
  return { count: visitors.length, storedContacts: visitors.filter((v) => v.mapping === 'stored_contact').length, newFromRb2b: visitors.filter((v) => v.mapping === 'new_from_rb2b').length, visitors };
};

export const runnersFor = (deps: QueenDeps): Record<string, Runner> => ({
  'copy.check': async (args) => checkPastedCopy(str(args.text) ?? '', { title: str(args.title), company: str(args.company) }, deps.drafting),
  'draft.preview': async (args) => draftPreview(deps, args),
  'visitors.contacts': async (args) => visitorContacts(deps, num(args.limit) ?? 20),
  'score.describe': async (args) => scoreDescribed(deps, args),
  'score.rules': async (): Promise<ScoreRules> => ({
    tiers: deps.icp.tiers,
    competitorDomains: deps.icp.exclusions.competitorDomains.length,
    competitorCompanyNames: deps.icp.exclusions.competitorCompanyNames.length,
    excludedDomains: deps.icp.exclusions.excludedDomains.length,
  }),
  'leads.search': async (args) => {
    const rows = await deps.reads.leads({ id: str(args.id), email: str(args.email), domain: str(args.domain), tier: str(args.tier), limit: num(args.limit) ?? 20 });
    // One lead's address only when the request named it: a list never carries addresses (no bulk export).
    const leads = rows.map((r) => ({ ...r, email: args.email && r.email === args.email ? r.email : null }));
    return { count: leads.length, leads };
  },
  'leads.status': async () => deps.reads.leadStatusCounts(),
  'drafts.queue': async (): Promise<DraftCounts> => {
    const { pending_review = 0, approved = 0, rejected = 0, ...other } = await deps.reads.draftStatusCounts();
    return { pending_review, approved, rejected, other };
  },
  'runs.recent': async (args) => deps.reads.runs(num(args.limit) ?? 5),
  'kpis.rates': async (args) => deps.reads.kpis(num(args.days) ?? 7),
  'cadence.counts': async () => deps.reads.cadenceCounts(),
  'incidents.open': async () => {
    const incidents = await deps.reads.incidents();
    return { count: incidents.length, incidents };
  },
  'providers.health': async () => deps.reads.providerHealth(),
  'audit.search': async (args): Promise<AuditSummary> => {
    const sinceHours = num(args.sinceHours) ?? 24;
    const since = new Date(deps.clock.now().getTime() - sinceHours * 3_600_000);
    const entries = (await deps.reads.audit(since, 500)).filter((e) => e.action !== TRACE_ACTION);
    const byAction: Record<string, number> = {};
    for (const e of entries) byAction[e.action] = (byAction[e.action] ?? 0) + 1;
    return {
      sinceHours,
      since: since.toISOString(),
      count: entries.length,
      byAction,
      first: entries[0]?.at.toISOString() ?? null,
      last: entries.at(-1)?.at.toISOString() ?? null,
      entries: entries.slice(-20).map((e) => ({ at: e.at.toISOString(), actor: e.actor, action: e.action, entityType: e.entityType, entityId: e.entityId, runId: e.runId, reason: reasonOf(e.details) })),
    };
  },
  'limits.usage': async () => deps.reads.limits(),
  'agents.permissions': async () => roles(),
  'privacy.redact': async (args, { request }) => ({ ...redactText(request), ...(args.over === 'audit' ? { logs: await scanAudit(deps, num(args.sinceHours) ?? 24) } : {}) }),
  'leads.tech_stack': async (args) => techStack(deps, args),
  'drafts.rejections': async (args) => rejectionsFound(deps, num(args.limit) ?? 50),
  'replies.classify': async (args) => {
    const text = str(args.text) ?? '';
    const r = understandReply(text, { sentAt: deps.clock.now(), timeZone: deps.replyContext.timeZone });
    return {
      class: r.class,
      kind: r.kind,
      confidence: r.confidence,
      evidence: r.evidence,
      proposedTimes: r.proposedTimes.map((p) => ({ at: p.at, text: p.text, precision: p.precision })),
      returnDate: r.returnDate,
      chars: text.length,
    };
  },
  'replies.recent': async (args) => {
    const replies = await deps.reads.replies({ class: str(args.class), limit: num(args.limit) ?? 10 });
    const byClass: Record<string, number> = {};
    for (const r of replies) byClass[r.class] = (byClass[r.class] ?? 0) + 1;
    return { count: replies.length, byClass, replies };
  },
  'calendar.slots': async (args) => {
    const [replyId, timeZone] = [str(args.replyId), str(args.timeZone)];
    const found = await deps.reads.calendarSlots({ replyId, days: num(args.days) ?? 7, timeZone });
    return { ...found, zoneFrom: replyId ? 'reply' : timeZone ? 'request' : 'owner' };
  },
  'meeting.brief': async (args) => deps.reads.meetings({ replyId: str(args.replyId), hours: num(args.hours) ?? 48 }),
  'learning.report': async (args) => deps.reads.learning(num(args.days) ?? 28),
  'visitors.recent': async (args) => {
    const found = await deps.reads.visitors(num(args.limit) ?? 20);
    // Ranked here, as the answer says: most visits first, then the higher ICP score.
    return { ...found, visitors: [...found.visitors].sort((a, b) => b.visits - a.visits || (b.points ?? -1) - (a.points ?? -1)) };
  },
  'webhooks.recent': async (args) => {
    const sinceHours = num(args.sinceHours) ?? 24;
    const since = new Date(deps.clock.now().getTime() - sinceHours * 3_600_000);
    return { sinceHours, since: since.toISOString(), ...(await deps.reads.webhooks(since)) };
  },
  'calendar.book': async (args, { by }) => {
    // A booking makes GoHighLevel notify the prospect: while the emergency stop holds, nothing is booked.
    if ((await deps.reads.providerHealth()).emergencyStop.active) throw new Error('the emergency stop is set: no meeting is booked while it holds (a person lifts it with caio operator resume)');
    return deps.acts.bookReply(str(args.replyId) ?? '', str(args.slot), by);
  },
  'pipeline.run': async (args, { by }) => deps.acts.runPipeline(num(args.limit) ?? 25, by, args.source === 'rb2b' ? 'rb2b' : 'apollo'),
  'lead.enrich': async (args, { by }) => deps.acts.enrichLead({ id: str(args.id), email: str(args.email) }, by),
  'slack.alert': async (args, { by }) => deps.acts.postSlackAlert(str(args.text) ?? '', by),
  'batch.create': async (_args, { by }) => deps.acts.createBatch(by),
  'campaign.pause': async (args, { by }) => deps.acts.pauseCampaign(str(args.campaign) ?? '', by),
  'dispatch.emergency_stop': async (args, { by }) => deps.acts.setEmergencyStop(str(args.reason) ?? 'set through QUEEN', by),
});
