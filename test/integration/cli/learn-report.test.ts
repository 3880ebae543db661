import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LearningReport } from '../../../src/domain/learning/report.js';
import { subjectVariantOf } from '../../../src/domain/learning/variant.js';
import { fixedClock } from '../../../src/lib/clock.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { createLeadEventStore } from '../../../src/store/inbox-repo.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';
import { dispatchHarness, HARNESS_CONFIG, type Harness } from '../../support/dispatch.js';

/**
 * `caio learn report`: leads through the real pipeline, approved, sent live by the OPERATOR to the
 * sandbox (which picks each lead's subject variant), then replies recorded on the timeline as the
 * webhook processor records them. Every B lead replies, no A lead does: with a small
 * `learning.minPerArm` B wins; with the default 100 it is "not enough data", never a winner.
 */
describe('caio learn report', () => {
  const work = tempWorkdir();
  const clock = fixedClock('2026-11-24T12:00:00Z');
  const cli = inProcessCli({ cwd: work.dir, clock });
  let database: Database;
  let h: Harness;
  const sent: { leadId: string; variant: 'A' | 'B' }[] = [];
  /** The first e-mails the OPERATOR sent, with the subject that went out and the draft's two. */
  const sentFirstEmails = async () =>
    (
      (await database.db.execute(sql`select o.lead_id, o.subject, d.subject_a, d.subject_b from outbox o join drafts d on d.id = o.draft_id where o.status = 'sent' and o.step = 'initial'`)) as {
        rows: { lead_id: string; subject: string; subject_a: string; subject_b: string }[];
      }
    ).rows;

  beforeAll(async () => {
    writeFileSync(path.join(work.dir, 'small.json'), JSON.stringify({ learning: { minPerArm: 5 } }));
    database = await openDatabase(cli.store);
    // The OPERATOR's process runs with learning.autoShift on (the CLI's report reads its own config: off).
    h = await dispatchHarness(database, {
      config: { limits: { ...HARNESS_CONFIG.limits, emailDailyLimit: 100, emailHourlyLimit: 100, perDomainHourlyLimit: 10, minDelaySeconds: 0 }, learning: { autoShift: true, minPerArm: 5, maxShift: 0.2 } },
    });
    // Lead ids are random and a lead's variant is a hash of its id: add leads until each variant has 6
    // (16 leads left one arm under 5 about once in thirteen runs).
    const arms = { A: 0, B: 0 };
    for (let i = 0; i < 60 && (i < 16 || arms.A < 6 || arms.B < 6); i++) arms[subjectVariantOf((await h.approvedLead({ linkedin: false })).leadId)]++;
    const batch = await h.approvedBatch();
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: batch.id, by: 'Dani' });
    const rows = await sentFirstEmails();
    for (const r of rows) {
      // No verdict yet, so 50/50: what the OPERATOR chose is what the report must read back.
      expect(r.subject).toBe(subjectVariantOf(r.lead_id) === 'A' ? r.subject_a : r.subject_b);
      sent.push({ leadId: r.lead_id, variant: subjectVariantOf(r.lead_id) });
    }
    const events = createLeadEventStore(database.db);
    const at = new Date('2026-11-23T15:00:00Z');
    for (const s of sent) {
      await events.append({ leadId: s.leadId, at, channel: 'email', type: 'email_opened', source: 'instantly', fromStatus: null, toStatus: null, inboxId: null, details: {} });
      if (s.variant === 'B') await events.append({ leadId: s.leadId, at, channel: 'email', type: 'email_replied', source: 'instantly', fromStatus: null, toStatus: null, inboxId: null, details: {} });
    }
  }, 180_000);
  afterAll(async () => {
    await h.close();
    await database.close();
    work.cleanup();
  });

  it('seeded enough sends of both variants to judge', () => {
    expect(sent.filter((s) => s.variant === 'A').length).toBeGreaterThanOrEqual(5);
    expect(sent.filter((s) => s.variant === 'B').length).toBeGreaterThanOrEqual(5);
  });

  it('with the default minimum per arm: counts, rates and intervals, and "not enough data", never a winner', async () => {
    const out = await cli.run(['learn', 'report']);
    expect(out.code).toBe(0);
    const a = sent.filter((s) => s.variant === 'A').length;
    const b = sent.filter((s) => s.variant === 'B').length;
    expect(out.stdout).toContain(`Learning report: leads first e-mailed 2026-08-27 to 2026-11-24 (${sent.length})`);
    expect(out.stdout).toContain(`not enough data for replies: ${Math.min(a, b)} of 100 sends needed per arm`);
    expect(out.stdout).not.toMatch(/ wins /);
    expect(out.stdout).toMatch(new RegExp(`\\nA +${a} +${a} +100\\.0 % +\\[[\\d.]+, 100\\.0\\] +0 +0\\.0 % +\\[0\\.0, [\\d.]+\\]`));
    expect(out.stdout).toMatch(new RegExp(`\\nB +${b} +${b} +100\\.0 % +\\[[\\d.]+, 100\\.0\\] +${b} +100\\.0 %`));
    expect(out.stdout).toContain('learning.autoShift is off: 50/50');
  });

  it('with learning.minPerArm 5: B wins replies, in the documented JSON shape', async () => {
    const out = await cli.run(['learn', 'report', '--config', path.join(work.dir, 'small.json')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/B wins replies: 100\.0 % \[[\d.]+, 100\.0\] vs 0\.0 % \[0\.0, [\d.]+\], p [<=] 0\.0\d+/);
    expect(out.stdout).toMatch(/no winner for opens: A 100\.0 %/);

    const json = JSON.parse((await cli.run(['learn', 'report', '--json', '--days', '7', '--config', path.join(work.dir, 'small.json')])).stdout) as LearningReport;
    expect(Object.keys(json).sort()).toEqual(['angles', 'calibration', 'sent', 'settings', 'since', 'traffic', 'until', 'variants']);
    expect(json).toMatchObject({ since: '2026-11-18', until: '2026-11-24', sent: sent.length, settings: { alpha: 0.05, minPerArm: 5, autoShift: false, maxShift: 0.2 }, traffic: { winner: 'B', shareA: 0.5, applied: false } });
    expect(json.variants.comparison.reply.verdict).toMatchObject({ kind: 'winner', winner: 'B', against: ['A'] });
    expect(json.variants.comparison.reply.arms.map((x) => [x.name, x.n, x.successes])).toEqual([
      ['A', sent.filter((s) => s.variant === 'A').length, 0],
      ['B', sent.filter((s) => s.variant === 'B').length, sent.filter((s) => s.variant === 'B').length],
    ]);
    expect(json.variants.comparison.reply.arms[0]!.interval).toEqual({ low: 0, high: expect.any(Number) });
    expect(json.calibration.scored).toBe(sent.length);
    expect(json.calibration.fits.map((f) => f.kind)).toEqual(['not_enough_data', 'not_enough_data']);
    // Nothing was sent in a window before the sends.
    const empty = JSON.parse((await cli.run(['learn', 'report', '--json', '--days', '1'], {})).stdout) as LearningReport;
    expect(empty.sent).toBe(0);
    expect(empty.variants.comparison.reply.verdict.kind).toBe('not_enough_data');
  });

  it('with learning.autoShift, the OPERATOR then gives subject B (the reply winner) more of the next first e-mails, at most 70/30', async () => {
    const before = new Set(sent.map((s) => s.leadId));
    for (let i = 0; i < 24; i++) await h.approvedLead({ linkedin: false });
    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'Dani' });
    const rows = await sentFirstEmails();
    const next = rows.filter((r) => !before.has(r.lead_id));
    expect(next).toHaveLength(24);
    for (const r of next) expect(r.subject).toBe(subjectVariantOf(r.lead_id, 0.3) === 'A' ? r.subject_a : r.subject_b);
    // The shift really changed someone's subject (else this test could not tell the share was read).
    expect(next.some((r) => subjectVariantOf(r.lead_id, 0.3) !== subjectVariantOf(r.lead_id))).toBe(true);
  }, 180_000);

  it('refuses a window that is not a positive number of days', async () => {
    const out = await cli.run(['learn', 'report', '--days', '0']);
    expect(out.code).toBe(2);
  });
});
