import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

describe('caio review and audit', () => {
  const work = tempWorkdir();
  const { run } = inProcessCli({ cwd: work.dir });
  let queue: { id: string; lead: { email: string } }[];

  beforeAll(async () => {
    expect((await run(['pipeline', 'run', '--limit', '10'])).code).toBe(0);
    queue = JSON.parse((await run(['review', 'list', '--json'])).stdout);
  }, 120_000);
  afterAll(() => work.cleanup());

  it('lists the queue and the tags', async () => {
    expect(queue.length).toBeGreaterThan(1);
    const tags = JSON.parse((await run(['review', 'tags', '--json'])).stdout);
    expect(tags).toHaveLength(12);
  }, 60_000);

  it('rejects with a reason and tag, refuses a bad tag or a missing reason, and will not approve what was rejected', async () => {
    const id = queue[0]!.id;
    const badTag = await run(['review', 'reject', id, '--reason', 'x', '--tag', 'nope', '--by', 'Dani']);
    expect(badTag.code).toBe(2);
    expect(badTag.stderr).toContain('personalization_mismatch');
    expect((await run(['review', 'reject', id, '--tag', 'other', '--by', 'Dani'])).code).toBe(2);
    const rejected = await run(['review', 'reject', id, '--reason', 'opener is generic', '--tag', 'personalization_mismatch', '--by', 'Dani']);
    expect(rejected.stdout).toContain('is rejected');
    const approve = await run(['review', 'approve', id, '--by', 'Sam']);
    expect(approve.code).toBe(4);
    expect(approve.stderr).toContain('re-run the pipeline');
    expect((await run(['review', 'show', '00000000-0000-0000-0000-000000000000'])).code).toBe(3);
  }, 60_000);

  it('approves without sending and records every decision and refusal in the audit log', async () => {
    const id = queue[1]!.id;
    const approved = await run(['review', 'approve', id, '--by', 'Dani']);
    expect(approved.stdout).toContain('nothing was sent');
    const audit = JSON.parse((await run(['audit', '--since', '1h', '--json'])).stdout) as { action: string }[];
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['review.rejected', 'review.approve_refused', 'review.approved']));
    expect((await run(['audit', '--since', 'yesterday-ish'])).code).toBe(2);
  }, 60_000);
});

describe('caio batch', () => {
  const work = tempWorkdir();
  // A schema of its own: the describe above approved a draft, and a batch needs none approved at first.
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('creates a batch from approved drafts, shows its scope, approves it once, and refuses a second approval', async () => {
    expect((await run(['pipeline', 'run', '--limit', '10'])).code).toBe(0);
    expect((await run(['batch', 'create', '--motion', 'outbound', '--by', 'Dani'])).code).toBe(4);
    const queue = JSON.parse((await run(['review', 'list', '--json'])).stdout) as { id: string }[];
    await run(['review', 'approve', queue[0]!.id, '--by', 'Dani']);
    const created = JSON.parse((await run(['batch', 'create', '--motion', 'outbound', '--by', 'Dani', '--json'])).stdout) as { id: string };
    expect(created).toMatchObject({ status: 'pending_approval', scope: expect.arrayContaining([expect.objectContaining({ draftId: queue[0]!.id })]) });
    const shown = (await run(['batch', 'show', created.id])).stdout;
    expect(shown).toContain(queue[0]!.id);
    // The preview shows the words each item will send, not only the list.
    expect(shown).toMatch(/What each item sends:\n {2}instantly initial to \S+\n {4}Subject: \S/);
    expect((await run(['batch', 'approve', created.id, '--by', 'Sam'])).stdout).toContain('approved by Sam');
    expect((await run(['batch', 'approve', created.id, '--by', 'Sam'])).code).toBe(4);
    // A revival batch holds approved revival e-mails: none waits here, and the outbound draft is not one.
    const revival = await run(['batch', 'create', '--motion', 'revival', '--by', 'Dani']);
    expect(revival.code).toBe(4);
    expect(revival.stderr).toContain('no approved revival draft');
    expect((await run(['batch', 'create', '--motion', 'everything', '--by', 'Dani'])).code).toBe(2);
  }, 120_000);
});
