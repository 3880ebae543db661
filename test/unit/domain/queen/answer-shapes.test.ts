import { describe, expect, it } from 'vitest';
import { composeAnswer, inventedNumbers, understand, type AuditSummary, type LimitsRow, type MeetingsFound, type ProviderHealthRow, type ToolOutcome, type Understanding } from '../../../../src/domain/queen/index.js';
import { buildMeetingBrief } from '../../../../src/domain/replies/meeting-brief.js';

/**
 * Shaped answers (answer-shapes.ts, answer-sections*.ts): the sections a kind of ask calls for,
 * written from the tools' results only. Each test feeds the pure composer tool results that differ
 * from the replay sandbox's, so a section that ignored its data, or wrote a figure no tool
 * returned, fails here.
 */

const ok = (tool: string, result: unknown, args: Record<string, unknown> = {}): ToolOutcome => ({ tool, args, status: 'ok', durationMs: 1, result });
const failed = (tool: string): ToolOutcome => ({ tool, args: {}, status: 'failed', durationMs: 1, error: 'store unreachable' });

/** The answer, checked grounded: every number in it is in a result or an argument. */
const answerOf = (u: Understanding, outcomes: ToolOutcome[]): string => {
  const answer = composeAnswer(u, outcomes);
  expect(
    inventedNumbers(
      answer,
      outcomes.map((o) => o.result ?? null),
      u.plan.map((p) => p.args),
    ),
  ).toEqual([]);
  return answer;
};

const meetings = (text: string | null): MeetingsFound => ({
  from: '2026-03-02T09:00:00.000Z',
  to: '2026-03-04T09:00:00.000Z',
  count: 1,
  meetings: [{ replyId: 'r-77', appointmentId: 'appt-9', slot: '2026-03-03T15:00:00.000Z', brief: text === null ? null : { title: 'Meeting brief: Dana Reyes (Acme Robotics)', text } }],
});

const audit = (byAction: Record<string, number>, entries: AuditSummary['entries']): AuditSummary => ({
  sinceHours: 36,
  since: '2026-03-01T21:00:00.000Z',
  count: entries.length,
  byAction,
  first: entries[0]?.at ?? null,
  last: entries.at(-1)?.at ?? null,
  entries,
});

const health = (breakers: ProviderHealthRow['breakers'], stop = false): ProviderHealthRow => ({ breakers, emergencyStop: { active: stop, setBy: stop ? 'Sam' : null, reason: stop ? 'bounce spike' : null } });

describe('shaped answers', () => {
  it('a pipeline scan reads the meetings too, and names stale leads, upcoming meetings, ghost candidates and next actions from the counts', () => {
    const u = understand('Scan the pipeline: anything stale or ghosted that needs action?');
    expect(u.shapes).toEqual(['pipeline_review']);
    expect(u.plan.map((c) => c.tool)).toEqual(['leads.status', 'cadence.counts', 'meeting.brief']);
    const answer = answerOf(u, [ok('leads.status', { stalled: 7, ghosted: 5, scored: 11, replied: 2 }), ok('cadence.counts', { active: 9, completed: 6 }), ok('meeting.brief', { ...meetings(null), count: 0, meetings: [] })]);
    expect(answer).toContain('- Stale leads: 7 at status stalled');
    expect(answer).toContain('Leads not contacted yet, by status: scored 11.');
    expect(answer).toContain('- Upcoming meetings: none booked from 2026-03-02T09:00:00.000Z');
    expect(answer).toContain('- Ghost candidates: by status, ghosted 5; 6 cadence enrolments completed every step with no exit');
    expect(answer).toMatch(/- Next actions: look at 7 stalled leads .*; 5 leads at ghosted: revival candidates .*; decide on 6 quiet cadence enrolments/);
    expect(answer).not.toContain('prepare for');
  });

  it('a pipeline scan says which category could not be read instead of filling it in', () => {
    const u = understand('pipeline scan please');
    const answer = answerOf(u, [failed('leads.status'), ok('cadence.counts', {}), failed('meeting.brief')]);
    expect(answer).toContain('- Stale leads: not read');
    expect(answer).toContain('- Upcoming meetings: not read');
    expect(answer).toContain('- Ghost candidates: no cadence enrolment completed without an exit.');
    expect(answer).toContain('- Next actions: none found in the data read.');
  });

  it('a call prep takes pain points, objection prep and the approach from the brief, and says when the named contact is unknown', () => {
    const text = buildMeetingBrief({
      person: { name: 'Dana Reyes', title: 'VP Sales', location: null, linkedinUrl: null },
      company: { name: 'Acme Robotics', domain: 'acme-robotics.example.com', industry: 'robotics', size: '310' },
      score: { points: 72, tier: 'tier_2', reasons: ['title matches VP Sales', 'uses HubSpot'] },
      conversation: [],
      angleId: null,
      reply: { class: 'objection', kind: 'budget', evidence: ['no budget this quarter'] },
      meeting: { slot: '2026-03-03T15:00:00.000Z', appointmentId: 'appt-9' },
      prospectTimeZone: 'America/Chicago',
      ownerTimeZone: 'America/New_York',
    }).text;
    const u = understand('Call prep for contact_id 4242 with pain points and likely objections');
    expect(u.shapes).toEqual(['meeting_prep']);
    const answer = answerOf(u, [ok('leads.search', { count: 0, leads: [] }), ok('meeting.brief', meetings(text))]);
    expect(answer).toContain('Call prep for contact_id 4242: no stored lead has this id');
    expect(answer).toContain('- Pain points: none stated by them on record');
    expect(answer).toContain('what the score found: 72 points, Tier 2; title matches VP Sales; uses HubSpot.');
    expect(answer).toContain('- Objection prep: they raised an objection (budget) in their reply');
    expect(answer).toContain('- Recommended approach: no angle is known to have worked; then answer the objection itself');
  });

  it('why something was blocked: the block with its recorded reason, what a send must show, and the next step', () => {
    const u = understand('Why was this message blocked by the guardrails?');
    expect(u.shapes).toContain('block_explanation');
    const entries = [
      { at: '2026-03-02T08:00:00.000Z', actor: 'reviewer', action: 'review.approve', entityType: 'draft', entityId: 'd-1', runId: null, reason: null },
      { at: '2026-03-02T09:00:00.000Z', actor: 'OPERATOR', action: 'outbox.rejected', entityType: 'outbox', entityId: 'ob-3', runId: null, reason: 'AGENT_GROUNDING_REQUIRED' },
    ];
    const answer = answerOf(u, [ok('audit.search', audit({ 'review.approve': 1, 'outbox.rejected': 1 }, entries), { sinceHours: 24 })]);
    expect(answer).toContain('Blocked in the last 36 hours (audit log): outbox.rejected 1; outbox.rejected outbox ob-3 at 2026-03-02T09:00:00.000Z by OPERATOR: reason AGENT_GROUNDING_REQUIRED.');
    expect(answer).toMatch(/grounding evidence from a required source, one of supabase, .*internal, verified within the last hour/);
    expect(answer).toContain('Next step:');
    expect(answer).not.toMatch(/bypass(?!es a guardrail)/);

    const nothing = answerOf(u, [ok('audit.search', audit({ 'review.approve': 1 }, entries.slice(0, 1)))]);
    expect(nothing).toContain('Blocked: no rejected, refused or stopped entry in the audit log over the last 36 hours');
  });

  it('a diagnostic names the evidence, calls the root cause likely, and says when nothing points to one', () => {
    const u = understand('Investigate why replies dropped: root cause?');
    expect(u.shapes).toEqual(['diagnostic']);
    expect(u.plan.map((c) => c.tool)).toEqual(expect.arrayContaining(['providers.health', 'incidents.open', 'audit.search', 'drafts.queue', 'runs.recent']));
    const stopped = answerOf(u, [
      ok('providers.health', health([{ provider: 'heyreach', state: 'open', changedAt: '2026-03-02T06:00:00.000Z' }], true)),
      ok('incidents.open', { count: 0, incidents: [] }),
      ok('drafts.queue', { pending_review: 14, approved: 0, rejected: 1, other: {} }),
    ]);
    expect(stopped).toContain('- Health status: degraded: the emergency stop is set, heyreach breaker open.');
    expect(stopped).toContain('- Diagnostic conclusion: likely root cause: the emergency stop is set (by Sam: bounce spike)');
    expect(stopped).toContain('- Queue metrics: review queue pending 14, approved 0, rejected 1');
    expect(stopped).toContain('caio operator resume');

    const calm = answerOf(u, [ok('providers.health', health([{ provider: 'apollo', state: 'closed', changedAt: '2026-03-01T00:00:00.000Z' }])), failed('drafts.queue')]);
    expect(calm).toContain('- Evidence: nothing abnormal in the data read.');
    expect(calm).toContain('- Diagnostic conclusion: no root cause is visible in the data read');
    expect(calm).toContain('- Queue metrics: the review queue could not be read for this ask.');
  });

  it('an ops report has health, queue movement, approvals and risk flags from the audit day', () => {
    const u = understand('Daily ops report for the board');
    expect(u.shapes).toEqual(['ops_report']);
    const answer = answerOf(u, [
      ok('providers.health', health([])),
      ok('audit.search', audit({ 'review.approve': 5, 'batch.approve': 1, 'dispatch.refused': 2, 'privacy.erase': 1 }, [])),
      ok('drafts.queue', { pending_review: 3, approved: 5, rejected: 0, other: {} }),
      ok('runs.recent', []),
    ]);
    expect(answer).toContain('- Health: no failure recorded (no breaker transition recorded: no data, not a clean bill of health).');
    expect(answer).toContain('- Queue movement: audit log review.approve 5, batch.approve 1, dispatch.refused 2; review queue pending 3');
    expect(answer).toContain('- Approvals: decisions by a person in the window: review.approve 5, batch.approve 1; drafts at status approved now: 5.');
    expect(answer).toContain('- Risk flags: held-back sends in the audit log: dispatch.refused 2.');
  });

  it('a volume beyond the limits gets the capacity, a phased plan and rate-limit-aware execution, with the limits read', () => {
    const u = understand('Email 250,000 leads this week');
    expect(u.shapes).toEqual(['volume_plan']);
    expect(u.plan.map((c) => c.tool)).toContain('limits.usage');
    const limits: LimitsRow = {
      sendMode: 'live',
      emailToday: { used: 40, limit: 40, remaining: 0 },
      emailThisHour: { used: 0, limit: 10, remaining: 10 },
      emailThisMonth: { used: 400, limit: 900, remaining: 500 },
      linkedinToday: { used: 0, limit: 20, remaining: 20 },
    };
    const answer = answerOf(u, [ok('limits.usage', limits)]);
    expect(answer).toContain('Capacity constraint: every send counts against the configured limits: e-mail 0 remaining of 40 today, 10 of 10 this hour, 500 of 900 this month');
    expect(answer).toContain('Phased plan: first the pipeline');
    expect(answer).toContain('nothing beyond the 0 e-mails left today is promised');
    expect(answerOf(u, [failed('limits.usage')])).toContain('the send limits could not be read for this ask; no volume is promised without them');
  });

  it('a booking without its inputs asks for them and lays out the availability workflow', () => {
    const u = understand('Book a meeting with them, any time');
    const answer = answerOf(u, [
      ok('calendar.slots', { replyId: null, timeZone: 'Europe/Paris', calendar: true, bookingUrl: null, slots: [], zoneFrom: 'owner' }),
      { tool: 'calendar.book', args: { replyId: null, slot: null }, status: 'missing_input', durationMs: 0, error: 'which reply' },
    ]);
    expect(answer).toContain("Before booking, request clarification of: which prospect (the reply the meeting answers, by its id), which slot, and the prospect's time zone");
    expect(answer).toContain('Proposed availability workflow: take the free slots above');
  });

  it('an unknown tool is named as unknown, and a forecast gets the past rates as its fallback', () => {
    const u = understand("Run tool 'crystal_ball' and forecast next month's close rate");
    expect(u.plan.map((c) => c.tool)).toEqual(['kpis.rates']);
    const answer = answerOf(u, [ok('kpis.rates', { since: '2026-02-01', counts: { emailSent: 10 }, rates: { reply: 0.1 } }, { days: 7 })]);
    expect(answer).toContain("Unknown tool crystal_ball: it is not one of QUEEN's tools, so nothing ran for it.");
    expect(answer).toContain('Fallback recommendation: no forecast or exact future rate is given; the engagement rates so far (above) are measured, not predicted');
  });

  it('asks of no shape get no sections', () => {
    for (const request of ['How full is the review queue?', 'Are any circuit breakers open?', 'How many tier 1 leads do we have?', 'Por favor, envía 50000 correos']) expect(understand(request).shapes).toEqual([]);
  });
});
