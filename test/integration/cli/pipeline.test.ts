import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_ID_PATTERN } from '../../../src/lib/ids.js';
import { runCliInProcess, tempWorkdir } from '../../support/cli.js';

type RunJson = {
  runId: string;
  mode: string;
  passed: number;
  total: number;
  stages: { name: string; status: string; inputCount: number; outputCount: number; durationMs: number; errors: unknown[] }[];
  leads: { email: string | null; status: string }[];
  drafts: { email: string; draftId: string }[];
};

/*
 * The CLI in-process on this file's PostgreSQL schema. That the one-off command starts the embedded
 * server for its own run and stops it after is test/e2e/cli-smoke.test.ts (spawned, no DATABASE_URL).
 */
describe('caio CLI: pipeline run, leads, runs and the config', () => {
  const work = tempWorkdir();
  let run: RunJson;

  beforeAll(async () => {
    const result = await runCliInProcess(['pipeline', 'run', '--limit', '25', '--json'], { cwd: work.dir });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    run = JSON.parse(result.stdout) as RunJson;
  }, 120_000);
  afterAll(() => work.cleanup());

  it('runs all six stages in sandbox mode and reports them as JSON', () => {
    expect(run.runId).toMatch(RUN_ID_PATTERN);
    expect(run.mode).toBe('sandbox');
    expect(run.stages.map((s) => s.name)).toEqual(['discover', 'enrich', 'score', 'craft', 'queue', 'send']);
    expect(run.passed).toBe(6);
    expect(run.total).toBe(6);
    expect(run.stages[0]).toMatchObject({ inputCount: 25, outputCount: 25 });
    expect(run.drafts.length).toBeGreaterThan(0);
  });

  it('shows every drafted lead with its score, reasons and draft', async () => {
    for (const draft of run.drafts) {
      const shown = await runCliInProcess(['leads', 'show', draft.email, '--json'], { cwd: work.dir });
      expect([shown.code, shown.stderr]).toEqual([0, '']);
      const detail = JSON.parse(shown.stdout) as { lead: { email: string }; score: { reasons: unknown[] }; drafts: { grounding: unknown[] }[] };
      expect(detail.lead.email).toBe(draft.email);
      expect(detail.score.reasons.length).toBeGreaterThan(0);
      expect(detail.drafts[0]).toMatchObject({ id: draft.draftId, status: 'pending_review' });
      expect(detail.drafts[0]!.grounding.length).toBeGreaterThan(0);
    }
  }, 120_000);

  it('marks competitors and excluded domains as disqualified with the reason, and lists them', async () => {
    const listed = await runCliInProcess(['leads', 'list', '--status', 'disqualified', '--json'], { cwd: work.dir });
    const rows = JSON.parse(listed.stdout) as { email: string; disqualificationReason: string }[];
    expect(rows.some((r) => /competitor/.test(r.disqualificationReason))).toBe(true);
    expect(rows.some((r) => r.email?.endsWith('chiefaiofficer.com'))).toBe(true);
    const text = await runCliInProcess(['leads', 'show', rows[0]!.email], { cwd: work.dir });
    expect(text.stdout).toContain('DISQUALIFIED');
  }, 60_000);

  it('prints the stored run report', async () => {
    const shown = await runCliInProcess(['runs', 'show', run.runId], { cwd: work.dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`run ${run.runId}: PASSED`);
    expect(shown.stdout).toMatch(/discover\s+PASS/);
  }, 60_000);

  it('treats --limit 0, a negative or a non-numeric limit as a usage error (exit 2)', async () => {
    for (const bad of ['0', '-3', 'ten']) {
      const result = await runCliInProcess(['pipeline', 'run', '--limit', bad], { cwd: work.dir });
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toMatch(/limit/);
    }
  }, 60_000);

  it('refuses an invalid config with the key named, exit 2, and writes nothing', async () => {
    const other = tempWorkdir();
    try {
      writeFileSync(path.join(other.dir, 'bad.json'), JSON.stringify({ icp: { tiers: { tier1: 180, tier2: 60, tier3: 40 } }, nope: true }));
      const result = await runCliInProcess(['pipeline', 'run', '--config', 'bad.json'], { cwd: other.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('icp.tiers.tier1');
      expect(result.stderr).toContain('nope: unknown key');
      expect(existsSync(path.join(other.dir, '.caio'))).toBe(false);
      const check = await runCliInProcess(['config', 'check', '--config', 'bad.json'], { cwd: other.dir });
      expect(check.code).toBe(2);
      writeFileSync(path.join(other.dir, 'notjson.json'), '{ nope');
      const notJson = await runCliInProcess(['config', 'check', '--config', 'notjson.json'], { cwd: other.dir });
      expect(notJson.code).toBe(2);
      expect(notJson.stderr).toContain('not valid JSON');
    } finally {
      other.cleanup();
    }
  }, 60_000);
});
