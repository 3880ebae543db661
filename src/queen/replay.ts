import { parseGoldenSet, scoreCase, summarise, type CaseScore, type GoldenCase, type ReplaySummary } from '../domain/queen/index.js';
import type { AskResult } from './ask.js';

/**
 * The replay gate: every golden case's `input_query` goes through a router (the real ask over the
 * seeded sandbox, in `caio replay`) and is scored by domain/queen/replay.ts. The router is a
 * parameter so a test can show the gate failing a router that answers nothing or refuses all.
 */
export type Router = (request: string) => Promise<Pick<AskResult, 'answer' | 'results' | 'plan' | 'steps' | 'intent' | 'refused'>>;

export type ReplayCaseReport = CaseScore & { query: string; intent: string; refused: boolean; steps: readonly string[]; answer: string };
export type ReplayReport = Omit<ReplaySummary, 'results'> & { cases: ReplayCaseReport[] };

export { parseGoldenSet, type GoldenCase };

export const runReplay = async (cases: readonly GoldenCase[], router: Router, minPassRate: number): Promise<ReplayReport> => {
  const reports: ReplayCaseReport[] = [];
  for (const c of cases) {
    const out = await router(c.input_query);
    const score = scoreCase(c, { answer: out.answer, results: out.results, planArgs: out.plan.map((p) => p.args), steps: out.steps });
    reports.push({ ...score, query: c.input_query, intent: out.intent, refused: out.refused, steps: out.steps, answer: out.answer });
  }
  const { results: _scores, ...summary } = summarise(reports, minPassRate);
  return { ...summary, cases: reports };
};
