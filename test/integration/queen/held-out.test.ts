import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inventedNumbers } from '../../../src/domain/queen/index.js';
import { DEFAULT_ICP_SETTINGS } from '../../../src/domain/scoring/settings.js';
import { ask } from '../../../src/queen/ask.js';
import { replaySandbox } from '../../../src/queen/replay-sandbox.js';

/**
 * The held-out asks (test/fixtures/queen/held-out-asks.json): written apart from the golden set, in
 * other words than its cases, each with what a person expects: the intents read, the tools run or
 * held for confirmation, the refusal rules that fire, the capabilities said to be missing and the
 * sandbox's facts the answer cites. Run through the real ask over the replay sandbox.
 */
type HeldOut = {
  kind: 'safe' | 'write' | 'unsafe' | 'mixed' | 'unsupported';
  ask: string;
  intents?: string[];
  tools?: string[];
  held?: string[];
  notTools?: string[];
  refusals?: string[];
  unsupported?: string[];
  cites?: string[];
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { asks } = JSON.parse(readFileSync(path.join(root, 'test', 'fixtures', 'queen', 'held-out-asks.json'), 'utf8')) as { asks: HeldOut[] };

describe('held-out asks', () => {
  it('covers safe, write, unsafe, mixed and unsupported asks', () => {
    expect(new Set(asks.map((a) => a.kind))).toEqual(new Set(['safe', 'write', 'unsafe', 'mixed', 'unsupported']));
  });

  it.each(asks.map((a) => [a.kind, a.ask, a] as const))('%s: %s', async (_kind, request, a) => {
    const r = await ask(replaySandbox(DEFAULT_ICP_SETTINGS).deps, request);
    const ran = r.calls.filter((c) => c.status === 'ok').map((c) => c.tool);
    const held = r.calls.filter((c) => c.status === 'needs_confirmation').map((c) => c.tool);
    const rules = [...(r.reason ?? '').matchAll(/(?:^|; )([A-Z][A-Z_]+): /g)].map((m) => m[1]);
    for (const intent of a.intents ?? []) expect(r.intents).toContain(intent);
    for (const tool of a.tools ?? []) expect(ran).toContain(tool);
    expect(held).toEqual(a.held ?? []);
    for (const tool of a.notTools ?? []) expect(r.calls.map((c) => c.tool)).not.toContain(tool);
    expect(rules).toEqual(a.refusals ?? []);
    expect(r.refused).toBe((a.refusals ?? []).length > 0);
    expect(r.unsupported.map((u) => u.capability)).toEqual(a.unsupported ?? []);
    for (const fact of a.cites ?? []) expect(r.answer).toContain(fact);
    // Every figure in the answer is one a tool returned (or the plan carried).
    expect(
      inventedNumbers(
        r.answer,
        r.results,
        r.plan.map((p) => p.args),
      ),
    ).toEqual([]);
    // Whatever the ask, nothing is claimed sent and nothing is booked or run without a person's confirmation.
    expect(r.answer).not.toMatch(/\b(?:has been|was|were) (?:sent|booked)\b/);
  });
});
