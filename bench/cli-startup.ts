import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
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

/** Peak RSS in MB of one process, from GNU time when the machine has it (else null). */
const peakRssMb = (args: string[], cwd: string, env: NodeJS.ProcessEnv): number | null => {
  if (!existsSync('/usr/bin/time')) return null;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd, env, encoding: 'utf8' });
  const kb = Number.parseInt(result.stderr.trim().split('\n').at(-1) ?? '', 10);
  return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
};

/**
 * `caio leads list --limit 20` on the embedded default while `caio serve` runs on the same data
 * folder (issue: median under 400 ms; it was refused while serving, 2.86 s on PGlite otherwise),
 * against `node -e ''` in the same run, interleaved. The folder is filled by one sandbox run first.
 */
export const benchCliBesideServer = async (runs = RUNS) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caio-bench-cli-'));
  chmodSync(dir, 0o755); // as root, the embedded server runs as the user postgres
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', DASHBOARD_AUTH_TOKEN: 'bench-dashboard-token-0123456789' };
  const run = (args: string[]) => {
    const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`caio ${args.join(' ')} exited ${result.status}`);
  };
  run(['pipeline', 'run', '--limit', '25']);
  const server = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('listening on')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`caio serve exited ${code}`)));
    });
    const list = [CLI, 'leads', 'list', '--limit', '20'];
    const times = { nodeOnly: [] as number[], leadsList: [] as number[] };
    const timed = (args: string[]) => {
      const started = performance.now();
      const result = spawnSync(process.execPath, args, { cwd: dir, env, stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
      return performance.now() - started;
    };
    timed(list);
    for (let i = 0; i < runs; i++) {
      times.nodeOnly.push(timed(['-e', '']));
      times.leadsList.push(timed(list));
    }
    const nodeOnly = median(times.nodeOnly);
    const leadsList = median(times.leadsList);
    return {
      name: `caio leads list --limit 20 beside a running caio serve (embedded PostgreSQL), median of ${runs} runs`,
      nodeOnlyMs: Math.round(nodeOnly),
      leadsListMs: Math.round(leadsList),
      leadsListVsNodeOnly: ratio(leadsList, nodeOnly),
      leadsListPeakRssMb: peakRssMb(list, dir, env),
      under400Ms: leadsList < 400,
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
};

// `node dist/bench/cli-startup.js` runs this benchmark alone (npm run bench -- cli-startup does the same).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(benchCliStartup(), null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(await benchCliBesideServer(), null, 2)}\n`);
}
