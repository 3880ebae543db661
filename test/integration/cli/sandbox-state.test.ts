import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/lib/clock.js';
import { inProcessCli, tempWorkdir } from '../../support/cli.js';

type Drained = { channel: string; outcome: string; reason: string | null; providerRef: string | null };

/**
 * Issue 20 item 1: the documented flow from separate CLI runs in sandbox mode. Each run opens its
 * own composition root and starts its own loopback sandboxes with a new API key, which find what
 * the earlier runs left in `<dataDir>/sandbox/*.json` (docs/sandboxes.md). Before, the second
 * dispatch got "Campaign not found" and a new HeyReach list reused an id already in our database.
 */
describe('sandboxes that remember across CLI runs', () => {
  const work = tempWorkdir();
  // No ramp (every tier may send on day one) and one channel per tier, so both dispatches reach both providers.
  writeFileSync(path.join(work.dir, 'caio.config.json'), JSON.stringify({ send: 'live', ramp: { enabled: false }, tierRouting: { tier_1: ['heyreach'], tier_2: ['heyreach'], tier_3: ['instantly'] } }));
  // A Monday inside the business hours, so the dispatch sends rather than defers.
  const { run } = inProcessCli({ cwd: work.dir, clock: fixedClock('2026-11-23T15:00:00Z') });
  const heyreachState = () => JSON.parse(readFileSync(path.join(work.dir, '.caio', 'sandbox', 'heyreach.json'), 'utf8')) as { state: { lists: { id: number; leads: unknown[] }[] } };
  afterAll(() => work.cleanup());

  /** Approve one LinkedIn lead and one e-mail lead, freeze, approve and execute their batch: one dispatch process. */
  const approveAndDispatch = async () => {
    const queue = JSON.parse((await run(['review', 'list', '--json'])).stdout) as { id: string; lead: { tier: string | null } }[];
    const picked = [queue.find((d) => d.lead.tier === 'tier_1' || d.lead.tier === 'tier_2'), queue.find((d) => d.lead.tier === 'tier_3')];
    for (const d of picked) {
      expect(d, 'a LinkedIn and an e-mail lead in the queue').toBeDefined();
      expect((await run(['review', 'approve', d!.id, '--by', 'Dani'])).code).toBe(0);
    }
    const created = await run(['batch', 'create', '--motion', 'outbound', '--by', 'Dani', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const batch = JSON.parse(created.stdout) as { id: string };
    expect((await run(['batch', 'approve', batch.id, '--by', 'Sam'])).code).toBe(0);
    const sent = await run(['dispatch', '--motion', 'outbound', '--live', '--batch', batch.id, '--by', 'Dani', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    const items = (JSON.parse(sent.stdout) as { drain: { items: Drained[] } }).drain.items;
    expect(items.map((i) => [i.channel, i.outcome, i.reason])).toEqual(
      expect.arrayContaining([
        ['instantly', 'sent', null],
        ['heyreach', 'sent', null],
      ]),
    );
    expect(items.filter((i) => i.outcome !== 'sent')).toEqual([]);
    return items;
  };

  it('sends from a second dispatch process into the campaign and list the first created, then activates that campaign', async () => {
    expect((await run(['pipeline', 'run', '--limit', '12'])).code).toBe(0);
    const first = await approveAndDispatch();
    const second = await approveAndDispatch();
    const refs = (items: Drained[], channel: string) => new Set(items.filter((i) => i.channel === channel).map((i) => i.providerRef));
    // Same tier, step and day: the second process adds to what the first created (before: "Campaign not found").
    expect(refs(second, 'instantly')).toEqual(refs(first, 'instantly'));
    expect(refs(second, 'heyreach')).toEqual(refs(first, 'heyreach'));
    // One list, holding the LinkedIn leads of both processes.
    expect(heyreachState().state.lists.map((l) => l.leads.length)).toEqual([2]);

    const campaigns = JSON.parse((await run(['campaigns', 'list', '--json'])).stdout) as { provider: string; externalId: string; kind: string }[];
    expect(campaigns.map((c) => `${c.provider}:${c.kind}`).sort()).toEqual(['heyreach:list', 'instantly:campaign']);
    const campaign = campaigns.find((c) => c.provider === 'instantly')!;
    const activated = await run(['campaigns', 'activate', campaign.externalId, '--by', 'Sam']);
    expect(activated.code, activated.stderr).toBe(0);
  }, 240_000);
});
