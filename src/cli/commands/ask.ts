import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { queenDepsFor } from '../../compose/queen.js';
import { AppError } from '../../lib/app-error.js';
import { ask, QUEEN_TRACE_ACTION, toAskJson } from '../../queen/ask.js';
import { parseGoldenSet, runReplay, type ReplayReport } from '../../queen/replay.js';
import { replaySandbox } from '../../queen/replay-sandbox.js';
import { createAuditStore } from '../../store/audit-repo.js';
import { configFrom } from '../config-from.js';
import { cliOut, cliPath, setExitCode } from '../io.js';
import type { CommonOptions } from '../options.js';
import { printJson } from '../render/json.js';
import { withApp } from './with-app.js';

/** `caio ask "<request>"`: QUEEN answers from our own use cases; a plan that writes runs only with --yes. */
export const askCommand = async (request: string, options: CommonOptions & { json?: boolean; yes?: boolean; by?: string }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const result = await ask(queenDepsFor(app), request, { confirm: options.yes === true, ...(options.by ? { by: options.by } : {}) });
    if (options.json) return printJson(toAskJson(result));
    const plan = result.plan.length ? `plan:\n${result.calls.map((c) => `  ${c.tool} ${JSON.stringify(c.args)} -> ${c.status}${c.durationMs ? ` (${c.durationMs} ms)` : ''}`).join('\n')}\n` : '';
    cliOut(`${result.answer}\n${plan}intent: ${result.intent}${result.refused ? ' (refused in part or whole)' : ''}; trace ${result.traceId}\n`);
  });
};

/** `caio traces`: QUEEN's asks from the audit log, oldest first. */
export const tracesCommand = async (options: CommonOptions & { since?: Date; limit: number; json?: boolean }): Promise<void> => {
  await withApp(configFrom(options), async (app) => {
    const entries = (await createAuditStore(app.database.db).list({ since: options.since, limit: 100_000 })).filter((e) => e.action === QUEEN_TRACE_ACTION).slice(-options.limit);
    const traces = entries.map((e) => ({ traceId: e.entityId, at: e.at.toISOString(), ...e.details }));
    if (options.json) return printJson(traces);
    if (traces.length === 0) return cliOut('no QUEEN trace yet\n');
    for (const t of traces) {
      const d = t as { traceId: string | null; at: string; intent?: string; refused?: boolean; request?: string; calls?: { tool: string; status: string; durationMs: number }[] };
      cliOut(`${d.at} ${d.traceId} ${d.intent ?? '?'}${d.refused ? ' REFUSED' : ''}: ${JSON.stringify(d.request ?? '')}\n${(d.calls ?? []).map((c) => `  ${c.tool} ${c.status} ${c.durationMs} ms\n`).join('')}`);
    }
  });
};

/** The golden set shipped with the code: golden/ at the package root (found from this file, in src/ or dist/src/). */
const defaultGoldenSet = (): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'golden', 'caio_alpha_golden_set_v1.json');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new AppError('NOT_FOUND', 'the golden set was not found next to the code; give one with --set FILE');
};

const readSet = (file: string) => {
  if (!existsSync(file)) throw new AppError('INVALID_INPUT', `golden set not found: ${file}`);
  try {
    return parseGoldenSet(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new AppError('INVALID_INPUT', `golden set ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
};

const renderReplay = (r: ReplayReport, reportFile: string) =>
  `${r.cases.map((c) => `${c.passed ? 'PASS' : 'FAIL'} ${c.id} ${c.score}/5${c.autoFail.length ? ` [${c.autoFail.join('; ')}]` : ''}\n  ${c.reasons.join('\n  ')}`).join('\n')}\n` +
  `passed ${r.passed}/${r.total} (pass rate ${r.passRate}, required ${r.minPassRate}); average score ${r.averageScore}/5; ${r.blocked ? 'GATE FAILED' : 'gate passed'}\nreport: ${reportFile}\n`;

/**
 * `caio replay`: every golden case through the real ask over the seeded sandbox (no store is
 * opened, nothing is written but the report); exit 1 under the pass rate.
 */
export const replayCommand = async (options: CommonOptions & { set?: string; minPassRate: number; report?: string; json?: boolean }): Promise<void> => {
  const config = configFrom(options);
  const setFile = options.set ? cliPath(options.set) : defaultGoldenSet();
  const cases = readSet(setFile);
  const { deps } = replaySandbox({ ...config.icp, exclusions: config.exclusions });
  const report = await runReplay(cases, (request) => ask(deps, request), options.minPassRate);
  const reportFile = cliPath(options.report ?? path.join('.caio', 'replay', `replay-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify({ goldenSet: setFile, ...report }, null, 2)}\n`);
  if (options.json) printJson({ goldenSet: setFile, reportFile, ...report });
  else cliOut(renderReplay(report, reportFile));
  if (report.blocked) setExitCode(1);
};
