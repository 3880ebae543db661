import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { queenActsFor, queenDepsFor } from '../src/compose/queen.js';
import { ask } from '../src/queen/ask.js';
import { parseGoldenSet, runReplay } from '../src/queen/replay.js';
import { replaySandbox } from '../src/queen/replay-sandbox.js';
import { openBenchApp } from './bench-store.js';

const ASKS = Number(process.env.BENCH_QUEEN_ASKS ?? 200);
const REPLAYS = Number(process.env.BENCH_QUEEN_REPLAYS ?? 3);
const SEED_LEADS = Number(process.env.BENCH_QUEEN_LEADS ?? 25);
const REQUEST = 'How full is the review queue?';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (ms: number) => Math.round(ms * 100) / 100;

/** The golden set shipped with the code, from bench/ (tsx) or dist/bench/ (npm run bench). */
const goldenSet = () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = [path.resolve(here, '..', 'golden/caio_alpha_golden_set_v1.json'), path.resolve(here, '..', '..', 'golden/caio_alpha_golden_set_v1.json')].find((candidate) => existsSync(candidate));
  if (file === undefined) throw new Error('golden/caio_alpha_golden_set_v1.json not found');
  return parseGoldenSet(JSON.parse(readFileSync(file, 'utf8')));
};

/**
 * QUEEN (issue 19, Performance): a deterministic read ask ("How full is the review queue?": the
 * grammar, the registry check, one grouped query, the answer and the trace written to the audit
 * log) answered in under 50 ms median, against the same use case (the review queue's counts, the
 * read QUEEN runs) called directly in the same run, ASKS times each, the process already started;
 * and the 50-case replay (`caio replay`: the real ask over the seeded sandbox) under 30 s, REPLAYS
 * times. The app is the production one (`openApp` through `openBenchApp`) with SEED_LEADS leads run
 * through the sandbox pipeline, so the queue has drafts to count.
 */
export const benchQueenAsk = async () => {
  const bench = await openBenchApp({ jobs: { enabled: false } });
  try {
    await queenActsFor(bench.app).runPipeline(SEED_LEADS, 'bench', 'apollo');
    const deps = queenDepsFor(bench.app);
    // Warm-up: the first of each compiles the queries and loads the grammar.
    const first = await ask(deps, REQUEST);
    await deps.reads.draftStatusCounts();
    const askMs: number[] = [];
    for (let i = 0; i < ASKS; i++) {
      const start = performance.now();
      await ask(deps, REQUEST);
      askMs.push(performance.now() - start);
    }
    const directMs: number[] = [];
    for (let i = 0; i < ASKS; i++) {
      const start = performance.now();
      await deps.reads.draftStatusCounts();
      directMs.push(performance.now() - start);
    }
    const cases = goldenSet();
    const config = bench.app.config;
    const replays: { wallMs: number; passed: number; total: number }[] = [];
    for (let i = 0; i < REPLAYS; i++) {
      const { deps: sandbox } = replaySandbox({ ...config.icp, exclusions: config.exclusions });
      const start = performance.now();
      const report = await runReplay(cases, (request) => ask(sandbox, request), 0.95);
      replays.push({ wallMs: Math.round(performance.now() - start), passed: report.passed, total: report.total });
    }
    const askMedian = median(askMs);
    return {
      name: 'QUEEN ask and replay',
      store: bench.label,
      request: REQUEST,
      intent: first.intent,
      answer: first.answer,
      asks: ASKS,
      askMedianMs: round(askMedian),
      askP95Ms: round([...askMs].sort((a, b) => a - b)[Math.floor(askMs.length * 0.95)]!),
      directMedianMs: round(median(directMs)),
      askOverDirectMs: round(askMedian - median(directMs)),
      askTargetMs: 50,
      askWithinTarget: askMedian < 50,
      replayCases: cases.length,
      replays,
      replayMedianWallMs: median(replays.map((r) => r.wallMs)),
      replayTargetMs: 30_000,
      replayWithinTarget: median(replays.map((r) => r.wallMs)) < 30_000,
    };
  } finally {
    await bench.close();
  }
};
