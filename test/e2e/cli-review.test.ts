import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempWorkdir } from '../support/cli.js';

describe('caio review and audit', () => {
  const work = tempWorkdir();
  let queue: { id: string; lead: { email: string } }[];

  beforeAll(async () => {
    expect((await runCli(['pipeline', 'run', '--limit', '10'], { cwd: work.dir })).code).toBe(0);
    queue = JSON.parse((await runCli(['review', 'list', '--json'], { cwd: work.dir })).stdout);
  }, 120_000);
  afterAll(() => work.cleanup());

  it('lists the queue and the tags', async () => {
    expect(queue.length).toBeGreaterThan(1);
    const tags = JSON.parse((await runCli(['review', 'tags', '--json'], { cwd: work.dir })).stdout);
    expect(tags).toHaveLength(12);
  }, 60_000);

  it('rejects with a reason and tag, refuses a bad tag or a missing reason, and will not approve what was rejected', async () => {
    const id = queue[0]!.id;
    const badTag = await runCli(['review', 'reject', id, '--reason', 'x', '--tag', 'nope', '--by', 'Dani'], { cwd: work.dir });
    expect(badTag.code).toBe(2);
    expect(badTag.stderr).toContain('personalization_mismatch');
    expect((await runCli(['review', 'reject', id, '--tag', 'other', '--by', 'Dani'], { cwd: work.dir })).code).toBe(2);
    const rejected = await runCli(['review', 'reject', id, '--reason', 'opener is generic', '--tag', 'personalization_mismatch', '--by', 'Dani'], { cwd: work.dir });
    expect(rejected.stdout).toContain('is rejected');
    const approve = await runCli(['review', 'approve', id, '--by', 'Sam'], { cwd: work.dir });
    expect(approve.code).toBe(4);
    expect(approve.stderr).toContain('re-run the pipeline');
    expect((await runCli(['review', 'show', '00000000-0000-0000-0000-000000000000'], { cwd: work.dir })).code).toBe(3);
  }, 60_000);

  it('approves without sending and records every decision and refusal in the audit log', async () => {
    const id = queue[1]!.id;
    const approved = await runCli(['review', 'approve', id, '--by', 'Dani'], { cwd: work.dir });
    expect(approved.stdout).toContain('nothing was sent');
    const audit = JSON.parse((await runCli(['audit', '--since', '1h', '--json'], { cwd: work.dir })).stdout) as { action: string }[];
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['review.rejected', 'review.approve_refused', 'review.approved']));
    expect((await runCli(['audit', '--since', 'yesterday-ish'], { cwd: work.dir })).code).toBe(2);
  }, 60_000);
});

describe('caio batch', () => {
  const work = tempWorkdir();
  afterAll(() => work.cleanup());

  it('creates a batch from approved drafts, shows its scope, approves it once, and refuses a second approval', async () => {
    expect((await runCli(['pipeline', 'run', '--limit', '10'], { cwd: work.dir })).code).toBe(0);
    expect((await runCli(['batch', 'create', '--motion', 'outbound', '--by', 'Dani'], { cwd: work.dir })).code).toBe(4);
    const queue = JSON.parse((await runCli(['review', 'list', '--json'], { cwd: work.dir })).stdout) as { id: string }[];
    await runCli(['review', 'approve', queue[0]!.id, '--by', 'Dani'], { cwd: work.dir });
    const created = JSON.parse((await runCli(['batch', 'create', '--motion', 'outbound', '--by', 'Dani', '--json'], { cwd: work.dir })).stdout);
    expect(created).toMatchObject({ status: 'pending_approval', scope: expect.arrayContaining([expect.objectContaining({ draftId: queue[0]!.id })]) });
    expect((await runCli(['batch', 'show', created.id], { cwd: work.dir })).stdout).toContain(queue[0]!.id);
    expect((await runCli(['batch', 'approve', created.id, '--by', 'Sam'], { cwd: work.dir })).stdout).toContain('approved by Sam');
    expect((await runCli(['batch', 'approve', created.id, '--by', 'Sam'], { cwd: work.dir })).code).toBe(4);
    expect((await runCli(['batch', 'create', '--motion', 'revival', '--by', 'Dani'], { cwd: work.dir })).code).toBe(2);
    expect((await runCli(['batch', 'create', '--motion', 'everything', '--by', 'Dani'], { cwd: work.dir })).code).toBe(2);
  }, 120_000);
});
