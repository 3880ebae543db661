import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { renderLeadDetail } from '../../../src/cli/render/lead-detail.js';
import { cadencePreviewFor } from '../../../src/compose/cadence-preview.js';
import type { Database } from '../../../src/store/database.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';
import { dispatchHarness, HARNESS_CONFIG, type Harness } from '../../support/dispatch.js';
import { openTestDatabase } from '../../support/store.js';

/**
 * Issue 18 leftovers, item 3: `caio leads show` shows, per e-mail step of the cadence, the copy the
 * cadence would send now (crafted from the step's template, as the batch crafts it), labelled as of
 * today; the draft's stored generic follow-ups are labelled as not sent and not shown as copy.
 */

const DAY_MS = 86_400_000;
const DAY1 = Date.UTC(2026, 10, 23);
const EVERY_DAY = { dispatch: { ...HARNESS_CONFIG.dispatch, businessHours: { startHour: 8, endHour: 18, weekdays: [1, 2, 3, 4, 5, 6, 7] } } };

describe('the cadence preview is what the cadence then sends', () => {
  let database: Database;
  let h: Harness;
  afterEach(async () => {
    await h.close();
    await database.close();
  });

  it("step 3's previewed copy is the copy the batch puts in the outbox on day 5; the stored follow-ups are not shown as copy", async () => {
    database = await openTestDatabase('postgres');
    h = await dispatchHarness(database, { config: EVERY_DAY });
    const lead = await h.approvedLead();
    const detail = (await h.stores.leadDetail.detailByEmail(lead.email))!;
    const preview = cadencePreviewFor(h.app.config, detail.lead.profile);
    expect(preview.map((s) => [s.step, s.day, s.action, s.kind])).toEqual([
      [1, 1, 'intro', 'first_draft'],
      [3, 5, 'value_followup', 'crafted'],
      [5, 10, 'social_proof', 'crafted'],
      [7, 17, 'breakup', 'crafted'],
      [8, 21, 'close', 'crafted'],
    ]);

    await h.operator.dispatch({ motion: 'outbound', live: true, batchId: (await h.approvedBatch()).id, by: 'A' });
    const at = (day: number) => h.clock.advance(DAY1 + (day - 1) * DAY_MS + 10 * 3600_000 - h.clock.now().getTime());
    // Day 2: the LinkedIn invitation that waited for the one-touch-a-day rule goes (the connect step).
    at(2);
    await h.gateway.drain({ dryRun: false, limit: 10 });
    at(5);
    const created = await h.operator.dispatch({ motion: 'cadence', live: true, by: 'A' });
    await h.gatekeeper.approve(created.pendingBatch!.id, 'Sam');
    await h.operator.dispatch({ motion: 'cadence', live: true, batchId: created.pendingBatch!.id, by: 'A' });
    const [sent] = ((await database.db.execute(sql`select subject, body from outbox where lead_id = ${lead.leadId}::uuid and step = 's3'`)) as { rows: { subject: string; body: string }[] }).rows;
    const step3 = preview.find((s) => s.step === 3)!;
    expect(step3.kind === 'crafted' && { subject: step3.subject, body: step3.body }).toEqual(sent);

    const text = renderLeadDetail(detail, preview);
    expect(text).toContain('Cadence e-mail steps (as of today; crafted again when the step is due):');
    expect(text).toContain(`step 3, day 5 (value_followup): "${sent!.subject}"`);
    expect(text).toContain('step 1, day 1 (intro): the approved draft above');
    // The draft's generic follow-ups ("Re: ...", "Closing the loop...") are counted and labelled, never shown as what goes out.
    const stored = detail.drafts[0]!.followUps;
    expect(stored.length).toBeGreaterThan(0);
    for (const f of stored) expect(text).not.toContain(`"${f.subjectA}" / "${f.subjectB}"`);
    // Day 10 shows its own step (social proof), not the draft's "last note" that the old cadence sent there.
    const day10 = text.split('\n').find((l) => l.startsWith('  step 5, day 10'))!;
    expect(day10).toMatch(/\(social_proof\): "/);
    for (const f of stored) expect(day10).not.toContain(f.subjectA);
    expect(text).toContain(`Stored follow-ups: ${stored.length}, written with the draft and not sent`);
  });
});

describe('caio leads show (the production CLI)', () => {
  const work = tempWorkdir();
  const cli = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('prints the cadence e-mail steps as of today, and --json carries them as cadenceEmailSteps', async () => {
    expect((await cli.run(['pipeline', 'run', '--limit', '5', '--json'])).code).toBe(0);
    const queue = JSON.parse((await cli.run(['review', 'list', '--json'])).stdout) as { lead: { email: string } }[];
    const email = queue[0]!.lead.email;
    const shown = await cli.run(['leads', 'show', email]);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toContain('Cadence e-mail steps (as of today; crafted again when the step is due):');
    expect(shown.stdout).toMatch(/step 5, day 10 \(social_proof\): "/);
    expect(shown.stdout).not.toMatch(/^\s*Follow-ups:/m);
    const json = JSON.parse((await cli.run(['leads', 'show', email, '--json'])).stdout) as { cadenceEmailSteps: { step: number; kind: string }[] };
    expect(json.cadenceEmailSteps.map((s) => s.step)).toEqual([1, 3, 5, 7, 8]);
  }, 120_000);
});
