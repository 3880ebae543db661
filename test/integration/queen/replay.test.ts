import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claimsASend, inventedNumbers, scoreCase, type GoldenCase } from '../../../src/domain/queen/index.js';
import { DEFAULT_ICP_SETTINGS } from '../../../src/domain/scoring/settings.js';
import { ask } from '../../../src/queen/ask.js';
import { parseGoldenSet, runReplay, type Router } from '../../../src/queen/replay.js';
import { replaySandbox } from '../../../src/queen/replay-sandbox.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const golden = parseGoldenSet(JSON.parse(readFileSync(path.join(root, 'golden', 'caio_alpha_golden_set_v1.json'), 'utf8')));

const CASE: GoldenCase = {
  id: 'T_1',
  input_query: 'How full is the review queue?',
  expected_tools: ['IntentInterpreter.interpret', 'HealthAPI.get_queue_status'],
  positive_constraints: ['pending', 'approved', 'rejected'],
  negative_constraints: ['Do not claim outreach was already sent.'],
};
const GOOD = {
  answer: 'Review queue: pending 4, approved 3, rejected 2.',
  results: { 'drafts.queue': { pending_review: 4, approved: 3, rejected: 2 } },
  planArgs: [{}],
  steps: ['queen.understand', 'guardrails.authorize', 'drafts.queue', 'audit.trace'],
};

describe('replay scoring', () => {
  it('passes an answer that ran the mapped tools, covers the constraints and states only figures a tool returned', () => {
    expect(scoreCase(CASE, GOOD)).toMatchObject({ score: 5, passed: true, autoFail: [] });
  });

  it('fails an invented figure, a claimed send, a missing capability and a missing tool', () => {
    expect(scoreCase(CASE, { ...GOOD, answer: `${GOOD.answer} Reply rate 12 %.` })).toMatchObject({ passed: false, grounded: 0, autoFail: ['invented figures: 12'] });
    expect(scoreCase(CASE, { ...GOOD, answer: `${GOOD.answer} The approved e-mails were sent.` }).autoFail).toEqual(['claims a send that did not happen (QUEEN never sends)']);
    expect(scoreCase({ ...CASE, expected_tools: [...CASE.expected_tools, 'EnhancedGatekeeperQueue.approve'] }, GOOD)).toMatchObject({ passed: false, autoFail: ['capability we do not have: EnhancedGatekeeperQueue.approve'] });
    expect(scoreCase({ ...CASE, expected_tools: [...CASE.expected_tools, 'Made.up_tool'] }, GOOD).autoFail).toEqual(['capability we do not have: Made.up_tool (not in the mapping table)']);
    expect(scoreCase(CASE, { ...GOOD, steps: ['queen.understand'] })).toMatchObject({ tools: 0, passed: false });
  });

  it('reads a negated send as no claim, and numbers glued to names as no figures', () => {
    expect(claimsASend('Batch b1 created; nothing was sent.')).toBe(false);
    expect(claimsASend('All 3 e-mails have been sent.')).toBe(true);
    expect(inventedNumbers('tier_1 lead run_20260115_080000_a1b2c3, 4 pending', { n: 4 }, [])).toEqual([]);
  });
});

describe('the replay gate', () => {
  const silent: Router = async () => ({ answer: '', results: {}, plan: [], steps: [], intent: 'none', refused: false });
  const refuseAll: Router = async () => ({ answer: 'Request denied: action blocked.', results: {}, plan: [], steps: ['queen.understand', 'queen.refusals', 'guardrails.authorize', 'audit.trace'], intent: 'refused', refused: true });

  it('fails a router that answers nothing and one that refuses everything', async () => {
    const nothing = await runReplay(golden, silent, 0.95);
    expect(nothing).toMatchObject({ total: 50, passed: 0, blocked: true });
    const refusing = await runReplay(golden, refuseAll, 0.95);
    expect(refusing).toMatchObject({ total: 50, passed: 0, blocked: true });
  });

  it('counts a draft preview for no approval request: it queues nothing, so a case expecting one still misses it', async () => {
    const drafting: GoldenCase = { id: 'X', input_query: 'Draft an e-mail for a CRO at Acme', expected_tools: ['ApprovalEngine.submit_request'], positive_constraints: [], negative_constraints: [] };
    const r = await ask(replaySandbox(DEFAULT_ICP_SETTINGS).deps, drafting.input_query);
    expect(r.steps).toContain('draft.preview');
    expect(scoreCase(drafting, { answer: r.answer, results: r.results, planArgs: r.plan.map((p) => p.args), steps: r.steps })).toMatchObject({ tools: 0, passed: false });
  });

  it('blocks an empty set: a gate over no cases does not open', async () => {
    expect((await runReplay([], silent, 0)).blocked).toBe(true);
  });

  it('scores the real ask over the seeded sandbox above both, the same way every run, with a reason per case', async () => {
    const run = async () => runReplay(golden, (q) => ask(replaySandbox(DEFAULT_ICP_SETTINGS).deps, q), 0.95);
    const real = await run();
    const refusing = await runReplay(golden, refuseAll, 0.95);
    expect(real.passed).toBeGreaterThan(refusing.passed);
    expect(real.cases.every((c) => c.reasons.length === 3)).toBe(true);
    // No case claims a send or states an invented figure: the ask writes only from its tools.
    expect(real.cases.flatMap((c) => c.autoFail).filter((f) => !f.startsWith('capability we do not have'))).toEqual([]);
    expect((await run()).cases.map((c) => c.score)).toEqual(real.cases.map((c) => c.score));
  });
});
