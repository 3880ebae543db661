import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

/**
 * The revival motion as a person drives it from the CLI (sandbox GoHighLevel with its stale
 * contacts): candidates frozen and approved, revival e-mails in the review queue, approved, then
 * `caio batch create --motion revival` freezes them for GoHighLevel. The sends themselves, with
 * every guard and a fixed clock, are test/integration/dispatch/revival-end-to-end.test.ts.
 */
describe('caio batch create --motion revival', () => {
  const work = tempWorkdir();
  writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify({ send: 'live' }));
  const { run } = inProcessCli({ cwd: work.dir });
  afterAll(() => work.cleanup());

  it('freezes approved revival e-mails into a GHL batch; before any is approved it says why it cannot', async () => {
    const none = await run(['batch', 'create', '--motion', 'revival', '--by', 'Dani']);
    expect([none.code, none.stderr]).toEqual([4, expect.stringContaining('no approved revival draft')]);

    const frozen = JSON.parse((await run(['dispatch', '--motion', 'revival', '--live', '--by', 'Dani', '--json'])).stdout) as { pendingBatch: { id: string; items: number } };
    expect(frozen.pendingBatch.items).toBeGreaterThan(0);
    expect((await run(['batch', 'approve', frozen.pendingBatch.id, '--by', 'Sam'])).code).toBe(0);
    const executed = JSON.parse((await run(['dispatch', '--motion', 'revival', '--live', '--batch', frozen.pendingBatch.id, '--by', 'Dani', '--json'])).stdout) as { queued: { revivals: number; revivalDrafts: number } };
    expect(executed.queued).toMatchObject({ revivals: frozen.pendingBatch.items, revivalDrafts: frozen.pendingBatch.items });

    const drafts = JSON.parse((await run(['review', 'list', '--angle', 'revival', '--json'])).stdout) as { id: string; angleId: string }[];
    expect(drafts).toHaveLength(frozen.pendingBatch.items);
    for (const d of drafts) expect((await run(['review', 'approve', d.id, '--by', 'Dani'])).code).toBe(0);

    const batch = JSON.parse((await run(['batch', 'create', '--motion', 'revival', '--by', 'Dani', '--json'])).stdout) as { motion: string; scope: { channel: string; action: string; draftId: string }[] };
    expect(batch.motion).toBe('revival');
    expect(batch.scope.map((i) => `${i.channel}:${i.action}`)).toEqual(drafts.map(() => 'ghl:revival_email'));
    expect(new Set(batch.scope.map((i) => i.draftId))).toEqual(new Set(drafts.map((d) => d.id)));
    // The outbound motion never picks them up.
    expect((await run(['batch', 'create', '--motion', 'outbound', '--by', 'Dani'])).code).toBe(4);
  }, 180_000);
});
