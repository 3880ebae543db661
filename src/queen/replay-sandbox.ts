import { emptyLead } from '../domain/lead.js';
import type { LeadRow } from '../domain/queen/index.js';
import { scoreLead } from '../domain/scoring/score-lead.js';
import type { IcpSettings } from '../domain/scoring/settings.js';
import type { AuditEntry } from '../pipeline/ports.js';
import { DEFAULT_SENDER_SETTINGS } from '../domain/drafting/index.js';
import type { DraftPreviewSettings } from '../domain/queen/index.js';
import { DEFAULT_COPY_CHECKS } from '../domain/quality/copy-checks.js';
import type { QueenDeps } from './ports.js';
import { sandboxSignalReads } from './replay-sandbox-signals.js';

/**
 * The seeded sandbox the replay gate asks against: a small, fixed book of leads (scored by the
 * live scorer with the configured ICP settings), drafts, runs, engagement, cadence, incidents,
 * breakers, limits and an audit day, at a fixed time. Nothing in it is taken from the golden set:
 * the companies are invented `*.example.com` names, and no case's figures are planted. Writes are
 * never confirmed in a replay, so the acts refuse.
 */
export const REPLAY_NOW = new Date('2026-01-15T12:00:00.000Z');

const PEOPLE: readonly [string, string, number, string, string[], string][] = [
  ['Chief Revenue Officer', 'Northwind Analytics', 220, 'software', ['salesforce', 'gong'], 'scored'],
  ['VP of Sales', 'Bluefin Logistics', 140, 'logistics', ['hubspot'], 'pending_review'],
  ['Director of Operations', 'Cedar Manufacturing', 450, 'manufacturing', [], 'scored'],
  ['CEO', 'Quartz Fintech', 60, 'fintech', ['salesforce'], 'pending_review'],
  ['RevOps Manager', 'Harbor Health', 900, 'healthcare', ['marketo'], 'scored'],
  ['Head of Growth', 'Pine Retail', 35, 'retail', [], 'disqualified'],
  ['CTO', 'Orbit Robotics', 310, 'robotics', ['hubspot', 'slack'], 'scored'],
  ['Marketing Manager', 'Maple Education', 15, 'education', [], 'skipped'],
];

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const seedLeads = (icp: IcpSettings): LeadRow[] =>
  PEOPLE.map(([title, company, employees, industry, tech, status], i) => {
    const lead = emptyLead();
    lead.title = title;
    lead.company.name = company;
    lead.company.domain = `${slug(company)}.example.com`;
    lead.company.employeeCount = employees;
    lead.company.industry = industry;
    lead.company.technologies = tech;
    const score = scoreLead(lead, icp);
    return { id: `00000000-0000-4000-8000-00000000000${i + 1}`, email: `contact${i + 1}@${lead.company.domain}`, company, title, tier: score.tier, points: score.points, status };
  });

const hoursAgo = (h: number) => new Date(REPLAY_NOW.getTime() - h * 3_600_000);

const seedAudit = (): AuditEntry[] =>
  (
    [
      [30, 'reviewer:sam', 'review.approve', 'draft'],
      [20, 'reviewer:sam', 'review.reject', 'draft'],
      [9, 'reviewer:ana', 'review.approve', 'draft'],
      [8, 'reviewer:ana', 'review.approve', 'draft'],
      [6, 'reviewer:ana', 'review.reject', 'draft'],
      [5, 'OPERATOR', 'gateway.rejected', 'outbox'],
      [3, 'sam', 'batch.create', 'batch'],
      [2, 'pipeline', 'run.finish', 'run'],
    ] as const
  ).map(([h, actor, action, entityType], i) => ({ at: hoursAgo(h), actor, action, entityType, entityId: `seed-${i + 1}`, runId: null, details: {} }));

/** Reviewers' rejections over three weeks (tag, angle, the reviewer's reason), invented like the rest of the book. */
const REJECTED: readonly [number, string, string, string][] = [
  [20, 'weak_cta', 't1_executive_buyin', 'Ends without a clear next step; ask for a 15-minute call instead.'],
  [44, 'weak_cta', 't1_executive_buyin', 'No ask at the end.'],
  [70, 'personalization_mismatch', 't1_hiring_trigger', 'Mentions hiring but they are not hiring for data roles.'],
  [96, 'weak_cta', 't1_executive_buyin', 'CTA is vague ("let me know").'],
  [150, 'tone_style_issue', 't1_industry_specific', 'Too salesy for a hospital buyer.'],
  [230, 'personalization_mismatch', 't1_hiring_trigger', 'The hiring hook is a year old.'],
  [400, 'length_issue', 't1_industry_specific', 'Four paragraphs; keep it under 120 words.'],
];

const refuseWrite = async (): Promise<never> => {
  throw new Error('writes are not run in the replay sandbox');
};

/**
 * What CRAFTER drafts with when the config leaves everything at its defaults (config/schema.ts: the
 * sender, the guard in hard mode with the copy checks, the 21-day cadence, the tier routing);
 * test/unit/queen/replay-sandbox-drafting.test.ts keeps the two equal.
 */
export const REPLAY_DRAFTING: DraftPreviewSettings = {
  sender: DEFAULT_SENDER_SETTINGS,
  quality: { enabled: true, mode: 'hard', genericPhraseDensity: 0.4, maxRejections: 2, checks: DEFAULT_COPY_CHECKS },
  cadenceSteps: [
    { step: 1, day: 1, channel: 'email', action: 'intro' },
    { step: 2, day: 2, channel: 'linkedin', action: 'connect' },
    { step: 3, day: 5, channel: 'email', action: 'value_followup', condition: 'not_replied' },
    { step: 4, day: 7, channel: 'linkedin', action: 'message', condition: 'linkedin_connected' },
    { step: 5, day: 10, channel: 'email', action: 'social_proof', condition: 'not_replied' },
    { step: 6, day: 14, channel: 'linkedin', action: 'followup_message', condition: 'linkedin_connected' },
    { step: 7, day: 17, channel: 'email', action: 'breakup', condition: 'not_replied' },
    { step: 8, day: 21, channel: 'email', action: 'close', condition: 'not_replied' },
  ],
  tierRouting: { tier_1: ['instantly', 'heyreach'], tier_2: ['instantly', 'heyreach'], tier_3: ['instantly'], tier_4: [] },
};

/** QUEEN's deps over the seeded sandbox, and the trace log it writes to. */
export const replaySandbox = (icp: IcpSettings, drafting: DraftPreviewSettings = REPLAY_DRAFTING): { deps: QueenDeps; traces: AuditEntry[] } => {
  const leads = seedLeads(icp);
  const audit = seedAudit();
  const traces: AuditEntry[] = [];
  let traceCount = 0;
  const counts = <T>(rows: T[], key: (r: T) => string) => rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + 1 }), {});
  const deps: QueenDeps = {
    icp,
    drafting,
    replyContext: { timeZone: 'America/New_York' },
    clock: { now: () => REPLAY_NOW },
    newTraceId: () => `qt_replay_${String(++traceCount).padStart(4, '0')}`,
    audit: { append: async (entry) => void traces.push(entry) },
    reads: {
      leads: async (q) =>
        leads
          .filter((l) => (!q.id || l.id === q.id) && (!q.email || l.email === q.email) && (!q.domain || (l.email ?? '').endsWith(`@${q.domain}`) || (l.email ?? '').endsWith(`.${q.domain}`)) && (!q.tier || l.tier === q.tier))
          .slice(0, q.limit),
      leadStatusCounts: async () => counts(leads, (l) => l.status),
      draftStatusCounts: async () => ({ pending_review: 4, approved: 3, rejected: 2 }),
      runs: async (limit) =>
        [
          { runId: 'run_20260115_080000_a1b2c3', mode: 'sandbox', status: 'passed', startedAt: hoursAgo(4).toISOString(), leads: 8, drafts: 4, errors: 0 },
          { runId: 'run_20260114_080000_d4e5f6', mode: 'sandbox', status: 'failed', startedAt: hoursAgo(28).toISOString(), leads: 6, drafts: 0, errors: 2 },
        ].slice(0, limit),
      kpis: async () => ({ since: '2026-01-09', counts: { emailSent: 40, opened: 18, replied: 3, bounced: 1, linkedinSent: 12, linkedinAccepted: 5 }, rates: { open: 0.45, reply: 0.075, bounce: 0.025, linkedinAccept: 0.4167 } }),
      cadenceCounts: async () => ({ active: 3, completed: 1, exited: 1 }),
      incidents: async () => [{ key: 'provider:instantly:errors', level: 1, openedAt: hoursAgo(5).toISOString(), title: 'Instantly answered 503 on 3 sends' }],
      providerHealth: async () => ({
        breakers: [
          { provider: 'apollo', state: 'closed', changedAt: hoursAgo(48).toISOString() },
          { provider: 'instantly', state: 'half_open', changedAt: hoursAgo(5).toISOString() },
        ],
        emergencyStop: { active: false, setBy: null, reason: null },
      }),
      audit: async (since, limit) => audit.filter((e) => e.at >= since).slice(0, limit),
      limits: async () => ({
        sendMode: 'shadow',
        emailToday: { used: 12, limit: 150, remaining: 138 },
        emailThisHour: { used: 2, limit: 20, remaining: 18 },
        emailThisMonth: { used: 180, limit: 3000, remaining: 2820 },
        linkedinToday: { used: 4, limit: 20, remaining: 16 },
      }),
      ...sandboxSignalReads(REPLAY_NOW, leads),
      rejections: async (limit) =>
        REJECTED.slice(0, limit).map(([h, tag, angleId, reason], i) => ({
          draftId: `00000000-0000-4000-a000-00000000000${i + 1}`,
          leadId: leads[i % leads.length]!.id,
          tag,
          reason,
          angleId,
          subject: `Subject ${i + 1}`,
          rejectedAt: hoursAgo(h).toISOString(),
        })),
      // The seeded companies' technologies, as Apollo People Match would have stored them (none for some: said missing).
      techStack: async (q) =>
        leads
          .map((l, i) => ({ lead: l, tech: PEOPLE[i]![4] }))
          .filter(({ lead: l }) => (!q.id || l.id === q.id) && (!q.email || l.email === q.email) && (!q.domain || (l.email ?? '').endsWith(`@${q.domain}`)))
          .slice(0, q.limit)
          .map(({ lead: l, tech }) => ({ leadId: l.id, company: l.company, domain: l.email?.split('@')[1] ?? null, status: l.status, technologies: [...tech], source: tech.length ? 'apollo_match' : null })),
    },
    acts: { runPipeline: refuseWrite, createBatch: refuseWrite, pauseCampaign: refuseWrite, setEmergencyStop: refuseWrite, bookReply: refuseWrite, enrichLead: refuseWrite, postSlackAlert: refuseWrite },
  };
  return { deps, traces };
};
