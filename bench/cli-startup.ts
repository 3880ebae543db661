import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ratio } from './measure.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.js');
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 15);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Wall time of one process from spawn to exit, in ms. */
const wallMs = (args: string[]): number => {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return performance.now() - started;
};

/**
 * `caio --help` and `caio leads --help` wall time (issue: a fast CLI, target under 250 ms): each
 * command loads its implementation only when it runs, so a help screen loads the command table only.
 * Baseline in the same run: `node -e ''`, Node's own start-up; the runs are interleaved so a busy
 * machine slows all three alike.
 */
export const benchCliStartup = (runs = RUNS) => {
  const cases = { nodeOnly: ['-e', ''], help: [CLI, '--help'], leadsHelp: [CLI, 'leads', '--help'] };
  const times: Record<keyof typeof cases, number[]> = { nodeOnly: [], help: [], leadsHelp: [] };
  for (const args of Object.values(cases)) wallMs(args); // warm the file system cache
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(cases) as [keyof typeof cases, string[]][]) times[name].push(wallMs(args));
  }
  const nodeOnly = median(times.nodeOnly);
  const help = median(times.help);
  const leadsHelp = median(times.leadsHelp);
  return {
    name: `CLI start-up, median of ${runs} runs each`,
    nodeOnlyMs: Math.round(nodeOnly),
    helpMs: Math.round(help),
    leadsHelpMs: Math.round(leadsHelp),
    helpVsNodeOnly: ratio(help, nodeOnly),
    leadsHelpVsNodeOnly: ratio(leadsHelp, nodeOnly),
    helpOverNodeOnlyMs: Math.round(help - nodeOnly),
    leadsHelpOverNodeOnlyMs: Math.round(leadsHelp - nodeOnly),
    helpUnder250Ms: help < 250 && leadsHelp < 250,
  };
};

// `node dist/bench/cli-startup.js` runs this benchmark alone (npm run bench -- cli-startup does the same).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(benchCliStartup(), null, 2)}\n`);
}
