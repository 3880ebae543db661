import path from 'node:path';
import type { Config } from '../../config/load.js';
import type { Logger } from '../../lib/logger.js';
import type { StoreLocation } from '../../store/database.js';
import type { CommonOptions } from '../options.js';
import { cliErr, cliIo, cliOut, setExitCode } from '../io.js';
import { printJson } from '../render/json.js';
import { renderTable } from '../render/table.js';
import type { DailyRow, SimulationReport } from '../../simulation/run-simulation.js';

export type SimulateOptions = CommonOptions & { days: number; leads: number; seed?: number; json?: boolean };

const logFor = async (config: Config): Promise<Logger> => {
  const { createLogger } = await import('../../lib/logger.js');
  const io = cliIo();
  const level = config.env.LOG_LEVEL ?? 'error';
  return io.stderr === process.stderr ? createLogger(level) : createLogger(level, { write: (line: string) => io.stderr.write(line) } as unknown as NodeJS.WritableStream);
};

/** Run one simulation with Ctrl-C stopping it after the current step (the store is closed cleanly either way). */
const simulate = async (options: SimulateOptions, where: (config: Config) => Promise<{ store: StoreLocation; sandboxStateDir: string | null; describe: string }>, quiet: boolean): Promise<SimulationReport> => {
  const { simulationSetup, simulationStart, checkSimulationOptions } = await import('../../simulation/simulation-config.js');
  const { runSimulation } = await import('../../simulation/run-simulation.js');
  checkSimulationOptions(options);
  const io = cliIo();
  const seed = options.seed ?? 1;
  const setup = simulationSetup({ config: options.config, dataDir: options.dataDir, env: io.env, cwd: io.cwd, leads: options.leads, seed });
  const target = await where(setup.config);
  let stop = false;
  const onSigint = () => {
    stop = true;
    cliErr('\nstopping after this step; the data folder is left consistent (a new `caio simulate` starts over)\n');
  };
  process.once('SIGINT', onSigint);
  try {
    if (!quiet) cliErr(`simulating ${options.days} days for up to ${options.leads} leads (seed ${seed}) on ${target.describe}\n`);
    return await runSimulation({
      config: setup.config,
      settings: setup.settings,
      days: options.days,
      leads: options.leads,
      seed,
      start: simulationStart(io.overrides?.clock?.now() ?? new Date(), options.days),
      store: target.store,
      sandboxStateDir: target.sandboxStateDir,
      log: await logFor(setup.config),
      interrupted: () => stop,
      ...(quiet ? {} : { onDay: (r: DailyRow) => cliErr(`day ${r.day}/${options.days}: ${r.sent} sent, ${r.replied} replies, ${r.meetings} meetings\n`) }),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
};

const guardsOf = (refusals: Record<string, number>) =>
  Object.entries(refusals)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

export const renderSimulation = (r: SimulationReport): string => {
  const table = renderTable(
    ['day', 'date', 'sent', 'email', 'linkedin', 'opened', 'replied', 'meetings', 'bounces', 'unsubs', 'approved', 'rejected', 'violations', 'refusals by guard'],
    r.daily.map((d) => [d.day, d.date, d.sent, d.emails, d.linkedin, d.opened, d.replied, d.meetings, d.bounces, d.unsubscribes, d.approved + d.edited, d.rejected, d.violations, guardsOf(d.refusals)]),
  );
  const lines = [
    table,
    '',
    `${r.days} days, ${r.leads} leads (seed ${r.seed}): ${r.sent} sent, ${r.replies} replies, ${r.meetings} meetings, ${r.bounces} bounces, ${r.unsubscribes} unsubscribes (${(r.elapsedMs / 1000).toFixed(1)} s)`,
    ...r.notes.map((n) => `note: ${n}`),
    `time: ${Object.entries(r.timings)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
      .join(', ')}`,
    `violations: ${r.violations.length}`,
    ...r.violations.slice(0, 50).map((v) => `  day ${v.day} ${v.rule}${v.lead ? ` lead ${v.lead}` : ''}: ${v.detail}`),
    ...(r.violations.length > 50 ? [`  ... and ${r.violations.length - 50} more (see --json)`] : []),
  ];
  return `${lines.join('\n')}\n`;
};

/** `caio simulate`: on its own store (wiped first), never the user's data. Exit 1 with a violation, 130 when interrupted. */
export const simulateCommand = async (options: SimulateOptions): Promise<void> => {
  const { freshSimulationStore } = await import('../../simulation/simulation-config.js');
  const report = await simulate(options, (config) => freshSimulationStore(config, cliIo().overrides?.store), Boolean(options.json));
  if (options.json) printJson(report);
  else cliOut(renderSimulation(report));
  if (report.violations.length > 0) setExitCode(1);
  if (report.interrupted) setExitCode(130);
};

/** `caio start --demo`: a short simulation written INTO the data folder's own store and sandboxes, so the dashboard has a lived-in past. */
export const demoSimulation = async (options: CommonOptions, store: StoreLocation): Promise<SimulationReport> => {
  const report = await simulate({ ...options, days: 14, leads: 150 }, async (config) => ({ store, sandboxStateDir: path.join(config.dataDir, 'sandbox'), describe: `the data folder's own store (--demo)` }), false);
  cliOut(
    `demo: ${report.days} simulated days written into the data folder: ${report.sent} sent, ${report.replies} replies, ${report.meetings} meetings${report.violations.length ? `, ${report.violations.length} violations (run caio simulate to see them)` : ''}\n`,
  );
  return report;
};
