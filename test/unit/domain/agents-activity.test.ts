import { describe, expect, it } from 'vitest';
import { agentActivity, roleOfEntry, type ActivityEntry } from '../../../src/domain/agents/activity.js';
import { AGENTS } from '../../../src/domain/agents/index.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const entry = (action: string, actor: string, at = hoursAgo(1), details: Record<string, unknown> = {}): ActivityEntry => ({ at, actor, action, details });
const byRole = (report: ReturnType<typeof agentActivity>) => Object.fromEntries(report.agents.map((a) => [a.role, a]));

describe('what each agent role did (audit log, QUEEN traces, runs)', () => {
  it('attributes an entry to the acting role, or to the role whose use case a person acted through; the rest is unattributed', () => {
    expect(roleOfEntry(entry('lead.disqualified', 'SEGMENTOR'))).toBe('SEGMENTOR');
    expect(roleOfEntry(entry('review.approved', 'Dani'))).toBe('GATEKEEPER');
    expect(roleOfEntry(entry('batch.approved', 'Dani'))).toBe('GATEKEEPER');
    expect(roleOfEntry(entry('batch.created', 'dashboard'))).toBe('OPERATOR');
    expect(roleOfEntry(entry('batch.executed', 'dashboard'))).toBe('OPERATOR');
    expect(roleOfEntry(entry('batch.reject_refused', 'Dani'))).toBe('GATEKEEPER');
    expect(roleOfEntry(entry('emergency_stop.set', 'Sam'))).toBe('OPERATOR');
    expect(roleOfEntry(entry('draft.skipped', 'CRAFTER'))).toBe('CRAFTER');
    expect(roleOfEntry(entry('queen.ask', 'UNIFIED_QUEEN'))).toBe('UNIFIED_QUEEN');
    // QUEEN's acts, confirmed by a person: her Slack alert; the enrichment is ENRICHER's waterfall.
    expect(roleOfEntry(entry('slack.alert_posted', 'Dani'))).toBe('UNIFIED_QUEEN');
    expect(roleOfEntry(entry('slack.alert_refused', 'Dani'))).toBe('UNIFIED_QUEEN');
    expect(roleOfEntry(entry('lead.enriched_on_request', 'Dani'))).toBe('ENRICHER');
    expect(roleOfEntry(entry('privacy.erased', 'Sam'))).toBeNull();
    expect(roleOfEntry(entry('run.started', 'system'))).toBeNull();
  });

  it('counts actions, refusals and failures in the window only, with the last run and a health; says plainly when there is no data', () => {
    const report = agentActivity({
      now: NOW,
      windowHours: 24,
      entries: [
        entry('queen.ask', 'UNIFIED_QUEEN', hoursAgo(3), { refused: false, calls: [{ tool: 'drafts.queue', status: 'ok' }] }),
        entry('queen.ask', 'UNIFIED_QUEEN', hoursAgo(2), { refused: true, calls: [{ tool: 'runs.recent', status: 'failed' }] }),
        entry('review.approved', 'Dani', hoursAgo(5)),
        entry('review.approve_refused', 'Dani', hoursAgo(4)),
        entry('outbox.sent', 'OPERATOR', hoursAgo(6)),
        entry('outbox.failed', 'OPERATOR', hoursAgo(6)),
        entry('outbox.failed', 'OPERATOR', hoursAgo(5)),
        // Outside the window: not counted.
        entry('outbox.sent', 'OPERATOR', hoursAgo(30)),
        entry('exclusions.imported', 'Sam', hoursAgo(1)),
      ],
      runs: [
        {
          runId: 'r1',
          startedAt: hoursAgo(8),
          status: 'failed',
          stages: [
            { name: 'discover', status: 'pass', outputCount: 10, errors: 0 },
            { name: 'enrich', status: 'fail', outputCount: 0, errors: 0 },
            { name: 'score', status: 'skip', outputCount: 0, errors: 0 },
          ],
        },
        { runId: 'old', startedAt: hoursAgo(48), status: 'passed', stages: [{ name: 'discover', status: 'pass', outputCount: 99, errors: 0 }] },
      ],
    });
    expect(report.agents.map((a) => a.role)).toEqual(AGENTS.map((a) => a.role));
    expect(report.agents).toHaveLength(12);
    const r = byRole(report);
    expect(r.UNIFIED_QUEEN).toMatchObject({ actions: 1, refusals: 1, failures: 1, lastRun: hoursAgo(2).toISOString(), health: 'failing' });
    expect(r.GATEKEEPER).toMatchObject({ actions: 1, refusals: 1, failures: 0, health: 'ok', byAction: { 'review.approved': 1, 'review.approve_refused': 1 } });
    expect(r.OPERATOR).toMatchObject({ actions: 3, failures: 2, health: 'degraded', lastRun: hoursAgo(5).toISOString() });
    expect(r.HUNTER).toMatchObject({ actions: 10, failures: 0, health: 'ok', lastRun: hoursAgo(8).toISOString() });
    expect(r.ENRICHER).toMatchObject({ actions: 0, failures: 1, health: 'failing' });
    expect(r.SEGMENTOR).toMatchObject({ actions: 0, refusals: 0, failures: 0, lastRun: null, health: 'idle' });
    expect(r.SEGMENTOR!.summary).toBe('No data: nothing recorded for this role in the last 24 hours.');
    expect(r.SCOUT).toMatchObject({ health: 'merged', actions: 0 });
    expect(r.SCOUT!.summary).toContain('Merged into OPERATOR');
    expect(r.OPERATOR!.summary).toBe(`3 actions, 0 refusals, 2 failures in the last 24 hours; last at ${hoursAgo(5).toISOString()}.`);
    expect(report.unattributed).toEqual({ count: 1, byAction: { 'exclusions.imported': 1 } });
    expect(report.truncated).toBe(false);
  });

  it('reads entries grouped by actor and action (a count and the newest time) as the same entries one by one', () => {
    const one = [
      entry('outbox.sent', 'OPERATOR', hoursAgo(6)),
      entry('outbox.sent', 'OPERATOR', hoursAgo(2)),
      entry('outbox.failed', 'OPERATOR', hoursAgo(3)),
      entry('review.approve_refused', 'Dani', hoursAgo(4)),
      entry('review.approve_refused', 'Dani', hoursAgo(1)),
      entry('exclusions.imported', 'Sam', hoursAgo(1)),
      entry('exclusions.imported', 'Sam', hoursAgo(2)),
    ];
    const grouped: ActivityEntry[] = [
      { ...entry('outbox.sent', 'OPERATOR', hoursAgo(2)), count: 2 },
      { ...entry('outbox.failed', 'OPERATOR', hoursAgo(3)), count: 1 },
      { ...entry('review.approve_refused', 'Dani', hoursAgo(1)), count: 2 },
      { ...entry('exclusions.imported', 'Sam', hoursAgo(1)), count: 2 },
    ];
    const report = (entries: ActivityEntry[]) => agentActivity({ now: NOW, windowHours: 24, entries, runs: [] });
    expect(report(grouped)).toEqual(report(one));
    expect(byRole(report(grouped)).OPERATOR).toMatchObject({ actions: 3, failures: 1, lastRun: hoursAgo(2).toISOString() });
    expect(byRole(report(grouped)).GATEKEEPER).toMatchObject({ actions: 0, refusals: 2 });
    expect(report(grouped).unattributed).toEqual({ count: 2, byAction: { 'exclusions.imported': 2 } });
  });
});
