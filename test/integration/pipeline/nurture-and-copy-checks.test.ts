import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { createStores } from '../../../src/store/index.js';
import { aDiscoveredLead, aProfile } from '../../support/builders.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';
import { fakeEnricher, fakeSource, pipelineDeps } from '../../support/pipeline.js';
import { openTestDatabase } from '../../support/store.js';

type LeadRow = { email: string | null; tier: string | null; status: string; skipReason: string | null };
type DraftRow = { leadId: string; subjectA: string; subjectB: string; body: string; quality: { passed: boolean; ruleFailures: { ruleId: string; severity?: string; message: string }[] } | null };
type RunJson = { runId: string; stages: { name: string; status: string; metrics: { skipped?: Record<string, number>; qualityGuard?: Record<string, number> } }[] };

/** The production CLI (config file, composition root, sandbox providers) on a schema of its own. */
const pipelineWith = (config: unknown) => {
  const work = tempWorkdir();
  writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify(config));
  const cli = inProcessCli({ cwd: work.dir });
  const json = async <T>(args: string[]): Promise<T> => {
    const result = await cli.run([...args, '--json']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    return JSON.parse(result.stdout) as T;
  };
  return { work, json };
};

describe('pipeline run: nurture-only tiers and the pre-send copy checks', () => {
  // "bootcamp" is in one angle's body only, so some drafts are blocked and others queued; every
  // subject over 40 characters is flagged.
  const { work, json } = pipelineWith({ quality: { checks: { spamWords: { action: 'block', words: ['bootcamp'] }, subjectLength: { action: 'flag', maxChars: 40 } } } });
  let run: RunJson;
  let leads: LeadRow[];
  let drafts: DraftRow[];
  beforeAll(async () => {
    const { runId } = await json<RunJson>(['pipeline', 'run', '--limit', '25']);
    run = await json<RunJson>(['runs', 'show', runId]);
    leads = await json<LeadRow[]>(['leads', 'list', '--limit', '100']);
    drafts = await json<DraftRow[]>(['review', 'list', '--limit', '100']);
  }, 120_000);
  afterAll(() => work.cleanup());

  it('writes no draft for a tier whose routing has no channel, and says why on the lead', async () => {
    const tier4 = leads.filter((l) => l.tier === 'tier_4');
    expect(tier4.length).toBeGreaterThan(0);
    for (const lead of tier4) {
      expect(lead).toMatchObject({ status: 'skipped', skipReason: 'nurture-only: tier_4 has no outreach channel in tierRouting, so no draft is written' });
      const detail = await json<{ drafts: unknown[] }>(['leads', 'show', lead.email!]);
      expect(detail.drafts).toEqual([]);
    }
    const craft = run.stages.find((s) => s.name === 'craft')!;
    expect(craft.metrics.skipped?.nurture_only).toBe(tier4.length);
    expect(leads.filter((l) => l.tier !== 'tier_4').every((l) => !l.skipReason?.startsWith('nurture-only'))).toBe(true);
  });

  it('keeps a draft that breaks a blocking check out of review, naming the rule on the lead', () => {
    const blocked = leads.filter((l) => l.skipReason?.startsWith('quality guard:'));
    expect(blocked.length).toBeGreaterThan(0);
    for (const lead of blocked) expect(lead.skipReason).toContain('spam_words spam trigger word "bootcamp"');
    expect(drafts.length).toBeGreaterThan(0);
    expect(drafts.some((d) => /bootcamp/i.test(d.body))).toBe(false);
    expect(run.stages.find((s) => s.name === 'craft')!.metrics.qualityGuard?.blocked).toBe(blocked.length);
  });

  it('queues a draft that only breaks a flagging check, with the rule for the reviewer', () => {
    const long = drafts.filter((d) => d.subjectA.length > 40 || d.subjectB.length > 40);
    expect(long.length).toBeGreaterThan(0);
    for (const draft of long) {
      expect(draft.quality?.passed).toBe(true);
      expect(draft.quality?.ruleFailures).toContainEqual(expect.objectContaining({ ruleId: 'subject_length', severity: 'flag' }));
    }
    const short = drafts.filter((d) => !long.includes(d));
    for (const draft of short) expect(draft.quality?.ruleFailures.map((f) => f.ruleId)).not.toContain('subject_length');
  });
});

describe('pipeline run: the routing, not the tier name, decides', () => {
  const { work, json } = pipelineWith({ tierRouting: { tier_3: [], tier_4: ['instantly'] } });
  afterAll(() => work.cleanup());

  it('drafts tier 4 once it has a channel, and makes a tier without one nurture-only', async () => {
    await json(['pipeline', 'run', '--limit', '25']);
    const leads = await json<LeadRow[]>(['leads', 'list', '--limit', '100']);
    expect(leads.filter((l) => l.tier === 'tier_4').every((l) => l.status === 'pending_review')).toBe(true);
    const tier3 = leads.filter((l) => l.tier === 'tier_3' && l.status !== 'disqualified');
    expect(tier3.length).toBeGreaterThan(0);
    for (const lead of tier3) expect(lead.skipReason).toBe('nurture-only: tier_3 has no outreach channel in tierRouting, so no draft is written');
  }, 120_000);
});

describe('pipeline run: a batch of nurture-only leads', () => {
  it('passes the craft stage (the routing worked as configured) and leaves nothing to queue', async () => {
    const database = await openTestDatabase();
    try {
      const stores = createStores(database.db);
      // 5 employees, no seniority, no industry: 0 points, tier 4.
      const weak = aDiscoveredLead({ profile: aProfile({ email: 'kim@tiny.example.com', title: 'Analyst', company: { ...aProfile().company, industry: null, employeeCount: 5, technologies: [] } }) });
      const report = await runPipeline(pipelineDeps(stores, { source: fakeSource([weak]), enricher: fakeEnricher({}) }).deps, { limit: 5, source: 'fake', seed: null });
      expect(report.stages.map((s) => [s.name, s.status])).toEqual([
        ['discover', 'pass'],
        ['enrich', 'pass'],
        ['score', 'pass'],
        ['craft', 'pass'],
        ['queue', 'skip'],
        ['send', 'skip'],
      ]);
      expect(report.stages[3]?.metrics).toMatchObject({ drafted: 0, skipped: { nurture_only: 1 } });
      const detail = await stores.leadDetail.detailByEmail('kim@tiny.example.com');
      expect(detail?.score?.tier).toBe('tier_4');
      expect(detail?.lead).toMatchObject({ status: 'skipped', skipReason: expect.stringMatching(/^nurture-only: tier_4/) });
      expect(detail?.drafts).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
